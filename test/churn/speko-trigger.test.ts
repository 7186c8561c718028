/**
 * Speko Trigger against the sandbox with a controlled clock: 200 polls with random
 * creates (post-call analysis), new scheduled times, cancellations, dispatches
 * (completions and failures) and deletions between them, clock skew and callbacks
 * that show up late. Every new callback must be emitted once, every due
 * (callback, time) once, and nothing cancelled, dispatched or deleted as due.
 */
import type { IDataObject } from 'n8n-workflow';

import { SpekoApi } from '../../credentials/SpekoApi.credentials';
import { defaultRuntime } from '../../nodes/shared/runtime';
import { SpekoTrigger } from '../../nodes/Speko/SpekoTrigger.node';
import { pollRunner } from '../helpers/run-node';
import type { PollRunner } from '../helpers/run-node';
import { Random } from '../sandbox/random';
import { startSandbox } from '../sandbox/server';
import type { Sandbox } from '../sandbox/server';
import { ChurnChecker } from './churn-checker';

const MINUTE = 60_000;
const KEY = 'sk_test_sandbox_speko';

let sandbox: Sandbox;
let clock = Date.parse('2026-09-01T08:00:00Z'); // n8n's clock
let skew = 0; // how far Speko's clock is off
/** The trigger polls on n8n's clock, which the test moves. */
const runtime = { ...defaultRuntime, now: () => clock };

beforeAll(async () => {
	sandbox = await startSandbox({ speko: { callbacks: 0 }, now: () => clock + skew });
});

afterAll(async () => {
	await sandbox.close();
});

const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

function trigger(parameters: IDataObject): PollRunner {
	return pollRunner({
		nodeType: new SpekoTrigger(runtime),
		credentialType: new SpekoApi(),
		credentials: { apiKey: KEY, baseUrl: sandbox.baseUrls.speko },
		parameters,
	});
}

function world() {
	return sandbox.speko.callbacks().map((callback) => ({
		id: callback.id,
		scheduledAtMs: Date.parse(callback.scheduled_at),
		pending: callback.status === 'scheduled' || callback.status === 'dispatching',
	}));
}

describe('Speko Trigger under churn', () => {
	it('emits every new and every due callback exactly once over 200 polls', async () => {
		const random = new Random(4242);
		const add = (scheduledMs: number, createdMs = clock + skew) =>
			sandbox.speko.addCallback({
				scheduled_at: iso(scheduledMs),
				created_at: iso(createdMs),
				updated_at: iso(createdMs),
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
		for (let step = 0; step < 200; step++) {
			clock += MINUTE + random.int(-5, 5) * 1000;
			if (step % 25 === 0) skew = random.int(-3, 3) * MINUTE;

			// Speko lists at most 100 per status: the account stays below that (see the README).
			if (random.int(0, 1) === 0) {
				const created = add(
					clock + random.int(-5, 30) * MINUTE,
					clock + skew - random.int(0, 180) * 1000,
				);
				createdAfterActivation.add(created.id);
			}
			const scheduled = sandbox.speko.callbacks().filter((c) => c.status === 'scheduled');
			const pick = () => scheduled.splice(random.int(0, scheduled.length - 1), 1)[0];
			if (random.int(0, 3) === 0 && scheduled.length > 0) {
				sandbox.speko.changeCallback(pick().id, {
					scheduled_at: iso(clock + random.int(-5, 30) * MINUTE),
				});
			}
			if (random.int(0, 4) === 0 && scheduled.length > 0)
				sandbox.speko.setStatus(pick().id, 'cancelled');
			if (random.int(0, 4) === 0 && scheduled.length > 0)
				sandbox.speko.setStatus(pick().id, 'dispatching');
			if (random.int(0, 5) === 0 && scheduled.length > 0) sandbox.speko.removeCallback(pick().id);
			// Speko places due calls itself: dispatching ones finish, a few fail.
			for (const callback of sandbox.speko.callbacks().filter((c) => c.status === 'dispatching')) {
				if (random.int(0, 2) === 0) {
					sandbox.speko.setStatus(callback.id, random.int(0, 4) === 0 ? 'failed' : 'dispatched', {
						failureCause: 'no-answer',
					});
				}
			}
			await checker.pollAll(clock, createdAfterActivation);
		}

		checker.expectExactlyOnce();
		expect(checker.expectedNew.size).toBeGreaterThan(60);
		for (const due of checker.due) expect(due.expected.size).toBeGreaterThan(30);
		for (const status of ['scheduled', 'dispatched', 'cancelled']) {
			expect(sandbox.speko.callbacks().filter((c) => c.status === status).length).toBeLessThan(100);
		}
	});

	it('costs five requests per poll for New Callback and two for Callback Due', async () => {
		for (const [event, requests] of [
			['new', 5],
			['due', 2],
		] as const) {
			const runner = trigger({ event });
			await runner.poll();
			sandbox.clearRequests();
			clock += MINUTE;
			await runner.poll();
			expect(sandbox.requests.map((r) => r.query.status).sort()).toHaveLength(requests);
			expect(sandbox.requests.every((r) => r.query.limit === '100')).toBe(true);
		}
	});
});
