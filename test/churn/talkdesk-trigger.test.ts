/**
 * Talkdesk Trigger against the sandbox with a controlled clock: 200 polls with random
 * creates, reschedules, retries (TO_BE_RETRIED with a new next time to call),
 * cancellations, completions and deletions between them, clock skew and callbacks
 * that show up late. Every new callback must be emitted once, every due (callback,
 * time) once, and nothing finished or deleted as due.
 */
import type { IDataObject } from 'n8n-workflow';

import { TalkdeskApi } from '../../credentials/TalkdeskApi.credentials';
import { defaultRuntime } from '../../nodes/shared/runtime';
import { TalkdeskTrigger } from '../../nodes/Talkdesk/TalkdeskTrigger.node';
import { pollRunner } from '../helpers/run-node';
import type { PollRunner } from '../helpers/run-node';
import { Random } from '../sandbox/random';
import { startSandbox } from '../sandbox/server';
import type { Sandbox } from '../sandbox/server';
import { TALKDESK_CLIENT } from '../sandbox/talkdesk';
import { ChurnChecker } from './churn-checker';

const MINUTE = 60_000;

let sandbox: Sandbox;
let clock = Date.parse('2026-09-01T08:00:00Z'); // n8n's clock
let skew = 0; // how far Talkdesk's clock is off
/** The trigger polls on n8n's clock, which the test moves. */
const runtime = { ...defaultRuntime, now: () => clock };

beforeAll(async () => {
	sandbox = await startSandbox({ talkdesk: { callbacks: 0 }, now: () => clock + skew });
});

afterAll(async () => {
	await sandbox.close();
});

const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

function trigger(parameters: IDataObject): PollRunner {
	return pollRunner({
		nodeType: new TalkdeskTrigger(runtime),
		credentialType: new TalkdeskApi(),
		credentials: {
			region: 'custom',
			apiBaseUrl: sandbox.baseUrls.talkdesk,
			tokenUrl: sandbox.baseUrls.talkdeskToken,
			clientId: TALKDESK_CLIENT.id,
			clientSecret: TALKDESK_CLIENT.secret,
		},
		parameters,
	});
}

const PENDING = ['UNATTEMPTED', 'TO_BE_RETRIED'];

function world() {
	return sandbox.talkdesk.callbacks().map((callback) => ({
		id: callback.id,
		scheduledAtMs: Date.parse(callback.next_time_to_call ?? callback.scheduled_time_to_call),
		pending: PENDING.includes(callback.status),
	}));
}

describe('Talkdesk Trigger under churn', () => {
	it('emits every new and every due callback exactly once over 200 polls', async () => {
		const random = new Random(7331);
		const add = (scheduledMs: number, createdMs = clock + skew) =>
			sandbox.talkdesk.addCallback({
				time_to_call: iso(scheduledMs),
				next_time_to_call: iso(scheduledMs),
				scheduled_time_to_call: iso(scheduledMs),
				created_at: iso(createdMs),
			});

		for (let i = 0; i < 15; i++)
			add(clock + random.int(-90, 90) * MINUTE, clock - random.int(0, 300) * MINUTE);
		const checker = new ChurnChecker(
			world,
			trigger({ event: 'new' }),
			[
				{ runner: trigger({ event: 'due' }), leadMs: 0 },
				{ runner: trigger({ event: 'due', minutesBefore: 10 }), leadMs: 10 * MINUTE },
			],
			clock,
		);
		await checker.activate();

		const createdAfterActivation = new Set<string>();
		let retried = 0;
		for (let step = 0; step < 200; step++) {
			clock += MINUTE + random.int(-5, 5) * 1000;
			if (step % 25 === 0) skew = random.int(-3, 3) * MINUTE;

			if (random.int(0, 1) === 0) {
				const created = add(
					clock + random.int(1, 40) * MINUTE,
					clock + skew - random.int(0, 180) * 1000,
				);
				createdAfterActivation.add(created.id);
			}
			const waiting = sandbox.talkdesk.callbacks().filter((c) => PENDING.includes(c.status));
			const pick = () => waiting.splice(random.int(0, waiting.length - 1), 1)[0];
			if (random.int(0, 3) === 0 && waiting.length > 0) {
				const moved = iso(clock + random.int(-5, 30) * MINUTE);
				sandbox.talkdesk.changeCallback(pick().id, {
					next_time_to_call: moved,
					scheduled_time_to_call: moved,
				});
			}
			// Talkdesk dials what is due: some calls work, some are retried later, some give up.
			for (const callback of waiting.filter((c) => Date.parse(c.next_time_to_call!) <= clock)) {
				const outcome = random.int(0, 5);
				if (outcome <= 1) sandbox.talkdesk.setStatus(callback.id, 'SUCCESS');
				else if (outcome === 2) {
					sandbox.talkdesk.retry(callback.id, iso(clock + random.int(5, 20) * MINUTE));
					retried++;
				} else if (outcome === 3) sandbox.talkdesk.setStatus(callback.id, 'EXHAUSTED');
			}
			if (random.int(0, 4) === 0 && waiting.length > 0)
				sandbox.talkdesk.setStatus(pick().id, 'CANCELED');
			if (random.int(0, 6) === 0 && waiting.length > 0) sandbox.talkdesk.removeCallback(pick().id);
			await checker.pollAll(clock, createdAfterActivation);
		}

		checker.expectExactlyOnce();
		expect(checker.expectedNew.size).toBeGreaterThan(60);
		for (const due of checker.due) expect(due.expected.size).toBeGreaterThan(30);
		// Retried callbacks fell due again at their new time.
		expect(retried).toBeGreaterThan(5);
		const dueAgain = [...checker.due[0].expected].map((pair) => pair.split('@')[0]);
		expect(dueAgain.length).toBeGreaterThan(new Set(dueAgain).size);
	});

	it('costs one request per idle poll for Callback Due, and one one-row request for New Callback', async () => {
		for (let i = 0; i < 300; i++)
			sandbox.talkdesk.addCallback({ next_time_to_call: iso(clock + (i + 1) * MINUTE) });
		for (const event of ['new', 'due']) {
			const runner = trigger({ event });
			await runner.poll();
			sandbox.clearRequests();
			clock += MINUTE;
			await runner.poll();
			const api = sandbox.requests.filter((r) => r.route.startsWith('/api/'));
			expect(api).toHaveLength(1);
			// New Callback asks only for the total; Callback Due lists its short window.
			expect(api[0].query.per_page).toBe(event === 'new' ? '1' : '500');
			expect(sandbox.requests.filter((r) => r.route === '/id/oauth/token')).toHaveLength(0);
			if (event === 'due') {
				expect(api[0].query).toMatchObject({ status: 'UNATTEMPTED,TO_BE_RETRIED' });
				expect(
					Date.parse(api[0].query.end_time) - Date.parse(api[0].query.start_time),
				).toBeLessThan(30 * MINUTE);
			}
		}
	});
});
