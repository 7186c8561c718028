/**
 * Ameyo Trigger against the sandbox with a controlled clock: 200 polls over two
 * campaigns with random creates, reschedules (a new time), completions (Ameyo removes
 * what it called) and deletions between them, clock skew, callbacks that show up late,
 * and stretches where a campaign is empty (Ameyo's 500) or Ameyo is down. Every new
 * callback must be emitted once, every due (callback, time) once, nothing removed as
 * due, and nothing that fell due while Ameyo answered "empty" lost.
 */
import type { ICredentialDataDecryptedObject, IDataObject } from 'n8n-workflow';

import { AmeyoApi } from '../../credentials/AmeyoApi.credentials';
import { AmeyoTrigger } from '../../nodes/Ameyo/AmeyoTrigger.node';
import { defaultRuntime } from '../../nodes/shared/runtime';
import { pollRunner } from '../helpers/run-node';
import type { PollRunner } from '../helpers/run-node';
import { AMEYO_SUPERVISOR } from '../sandbox/ameyo';
import { Random } from '../sandbox/random';
import { startSandbox } from '../sandbox/server';
import type { Sandbox } from '../sandbox/server';
import { ChurnChecker } from './churn-checker';

const MINUTE = 60_000;
const CAMPAIGNS = [110, 111];

let sandbox: Sandbox;
let clock = Date.parse('2026-09-01T08:00:00Z'); // n8n's clock
let skew = 0; // how far Ameyo's clock is off
const runtime = { ...defaultRuntime, now: () => clock };

beforeAll(async () => {
	sandbox = await startSandbox({ ameyo: { callbacks: 0 }, now: () => clock + skew });
});

afterAll(async () => {
	await sandbox.close();
});

/** One credential for all the triggers: Ameyo allows one session per user. */
const credentials = () => ({
	baseUrl: sandbox.baseUrls.ameyo,
	userId: AMEYO_SUPERVISOR.userId,
	password: AMEYO_SUPERVISOR.password,
	forceLogin: false,
});
let sharedCredentials: ICredentialDataDecryptedObject;

function trigger(parameters: IDataObject): PollRunner {
	return pollRunner({
		nodeType: new AmeyoTrigger(runtime),
		credentialType: new AmeyoApi(),
		credentials: sharedCredentials,
		parameters: { campaignIds: CAMPAIGNS.join(', '), ...parameters },
	});
}

function world() {
	return CAMPAIGNS.flatMap((campaign) => sandbox.ameyo.callbacks(campaign)).map((callback) => ({
		id: callback.customerCallbackId,
		scheduledAtMs: callback.callbackTime,
		pending: true,
	}));
}

describe('Ameyo Trigger under churn', () => {
	it('emits every new and every due callback exactly once over 200 polls, empty answers and outages included', async () => {
		sharedCredentials = credentials();
		const random = new Random(9001);
		const add = (scheduledMs: number, createdMs = clock + skew) =>
			sandbox.ameyo.addCallback({
				campaignId: random.pick(CAMPAIGNS),
				callbackTime: scheduledMs,
				dateAdded: createdMs,
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
		let emptyPolls = 0;
		for (let step = 0; step < 200; step++) {
			clock += MINUTE + random.int(-5, 5) * 1000;
			if (step % 25 === 0) skew = random.int(-3, 3) * MINUTE;

			if (random.int(0, 1) === 0) {
				const created = add(
					clock + random.int(1, 40) * MINUTE,
					clock + skew - random.int(0, 180) * 1000,
				);
				createdAfterActivation.add(created.customerCallbackId);
			}
			// From step 120 to 140 Ameyo answers every list with its empty 500: an outage
			// that looks like "nothing to call" (and while it is down it dials nothing).
			// What falls due meanwhile must be emitted once it answers again.
			const outage = step >= 120 && step < 140;
			// Nothing is removed until the trigger has seen the list again once (a callback
			// that only ever existed during the outage cannot be seen by anyone).
			const quiet = step >= 120 && step <= 140;
			if (outage) {
				emptyPolls++;
				sandbox.faults.add({
					provider: 'ameyo',
					route: '/ameyorestapi/voice/customerCallbacks/getFiltered',
					type: 'status',
					status: 500,
					body: '',
					count: 100,
				});
			}
			if (!quiet) {
				const waiting = CAMPAIGNS.flatMap((campaign) => sandbox.ameyo.callbacks(campaign));
				const pick = () => waiting.splice(random.int(0, waiting.length - 1), 1)[0];
				if (random.int(0, 3) === 0 && waiting.length > 0)
					sandbox.ameyo.changeCallback(pick().customerCallbackId, {
						callbackTime: clock + random.int(-5, 30) * MINUTE,
					});
				// Ameyo dials what is due and removes it from the list, sooner or later.
				for (const callback of waiting.filter((c) => c.callbackTime <= clock))
					if (random.int(0, 2) === 0) sandbox.ameyo.removeCallback(callback.customerCallbackId);
				if (random.int(0, 6) === 0 && waiting.length > 0)
					sandbox.ameyo.removeCallback(pick().customerCallbackId);
			}
			await checker.pollAll(clock, createdAfterActivation);
			sandbox.faults.clear();
		}

		checker.expectExactlyOnce();
		expect(emptyPolls).toBe(20);
		expect(checker.expectedNew.size).toBeGreaterThan(60);
		for (const due of checker.due) expect(due.expected.size).toBeGreaterThan(30);
		// One session served every poll of the three triggers.
		expect(sandbox.ameyo.loginsIssued).toBe(1);
	});

	it('costs one request per campaign and per 1,000 callbacks in it, each poll', async () => {
		sharedCredentials = credentials();
		sandbox.ameyo.expireSessions();
		sandbox.ameyo.addCallbacks(1_500, (index) => ({
			campaignId: 110,
			callbackTime: clock + (index + 60) * MINUTE,
			dateAdded: clock - 10 * MINUTE,
		}));
		for (const event of ['new', 'due']) {
			const runner = trigger({ event });
			await runner.poll();
			sandbox.clearRequests();
			clock += MINUTE;
			await runner.poll();
			const lists = sandbox.requests.filter((r) => r.route.endsWith('/getFiltered'));
			const pages = (campaign: number) =>
				Math.floor(sandbox.ameyo.callbacks(campaign).length / 1000) + 1;
			expect(lists.map((r) => [r.query.campaignId, r.query.offset])).toEqual([
				...Array.from({ length: pages(110) }, (_, i) => ['110', String(i * 1000)]),
				...Array.from({ length: pages(111) }, (_, i) => ['111', String(i * 1000)]),
			]);
		}
	});
});
