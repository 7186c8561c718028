/**
 * Convoso Trigger against the sandbox with a controlled clock: 200 polls with random
 * creates, reschedules, dismissals, completions and deletions between them, clock
 * skew, late-appearing callbacks and a burst larger than a page. Every new callback
 * must be emitted once, every due (callback, time) once, and nothing dismissed,
 * completed or deleted may be emitted as due.
 */
import { DateTime } from 'luxon';
import type { IDataObject } from 'n8n-workflow';

import { ConvosoApi } from '../../credentials/ConvosoApi.credentials';
import { ConvosoTrigger } from '../../nodes/Convoso/ConvosoTrigger.node';
import { defaultRuntime } from '../../nodes/shared/runtime';
import { pollRunner } from '../helpers/run-node';
import type { PollRunner } from '../helpers/run-node';
import type { ConvosoCallbackRecord } from '../sandbox/convoso';
import { Random } from '../sandbox/random';
import { startSandbox } from '../sandbox/server';
import type { Sandbox } from '../sandbox/server';
import { ChurnChecker, pairOf } from './churn-checker';

const ZONE = 'America/New_York';
const MINUTE = 60_000;

let sandbox: Sandbox;
let clock = Date.parse('2026-06-01T12:00:00Z'); // n8n's clock
let skew = 0; // how far Convoso's clock is off
/** The trigger polls on n8n's clock, which the test moves. */
const runtime = { ...defaultRuntime, now: () => clock };

beforeAll(async () => {
	sandbox = await startSandbox({ convoso: { callbacks: 0, leads: 40 }, now: () => clock + skew });
});

afterAll(async () => {
	await sandbox.close();
});

const local = (ms: number) =>
	DateTime.fromMillis(ms, { zone: ZONE }).toFormat('yyyy-MM-dd HH:mm:ss');
const instants = new Map<string, number>();
/** Convoso's account-local time as an instant (cached: the model reads it often). */
function instant(text: string): number {
	let ms = instants.get(text);
	if (ms === undefined) {
		ms = DateTime.fromFormat(text, 'yyyy-MM-dd HH:mm:ss', { zone: ZONE }).toMillis();
		instants.set(text, ms);
	}
	return ms;
}
const isPending = (callback: ConvosoCallbackRecord) =>
	callback.stage === 'PENDING' || callback.stage === 'PAST_DUE';

function trigger(parameters: IDataObject): PollRunner {
	return pollRunner({
		nodeType: new ConvosoTrigger(runtime),
		credentialType: new ConvosoApi(),
		credentials: {
			apiToken: 'sandbox-convoso-token',
			baseUrl: sandbox.baseUrls.convoso,
			accountTimezone: ZONE,
			countryCallingCode: '1',
		},
		parameters,
	});
}

function world() {
	return sandbox.convoso.callbacks().map((callback) => ({
		id: String(callback.id),
		scheduledAtMs: instant(callback.callback_time),
		pending: isPending(callback),
	}));
}

describe('Convoso Trigger under churn', () => {
	it('emits every new and every due callback exactly once over 200 polls', async () => {
		const random = new Random(20261122);
		const leadIds = sandbox.convoso.leads().map((lead) => lead.id);
		const add = (scheduledMs: number, createdMs = clock + skew) =>
			sandbox.convoso.addCallback({
				lead_id: random.pick(leadIds),
				callback_time: local(scheduledMs),
				created_at: local(createdMs),
				modified_at: local(createdMs),
			});

		// Before activation: upcoming ones, some already due, some long past.
		for (let i = 0; i < 30; i++) {
			add(clock + random.int(-120, 120) * MINUTE, clock - random.int(0, 600) * MINUTE);
		}
		const checker = new ChurnChecker(
			world,
			trigger({ event: 'new' }),
			[
				{ runner: trigger({ event: 'due' }), leadMs: 0 },
				{ runner: trigger({ event: 'due', minutesBefore: 15 }), leadMs: 15 * MINUTE },
			],
			clock,
		);
		await checker.activate();

		const createdAfterActivation = new Set<string>();
		const ended = new Set<string>(); // (id, time) pairs dismissed, completed or deleted
		let burst: number[] = [];
		for (let step = 0; step < 200; step++) {
			clock += MINUTE + random.int(-5, 5) * 1000;
			if (step % 20 === 0) skew = random.int(-3, 3) * MINUTE;

			for (let i = random.int(0, 3); i > 0; i--) {
				// Some show up late: created up to 3 minutes before they become visible.
				const created = add(
					clock + random.int(-5, 40) * MINUTE,
					clock + skew - random.int(0, 180) * 1000,
				);
				createdAfterActivation.add(String(created.id));
			}
			const pending = sandbox.convoso.callbacks().filter(isPending);
			const pickPending = () => pending.splice(random.int(0, pending.length - 1), 1)[0];
			for (let i = random.int(0, 2); i > 0 && pending.length > 0; i--) {
				const moved = pickPending();
				sandbox.convoso.changeCallback(moved.id, {
					callback_time: local(clock + random.int(-5, 40) * MINUTE),
					stage: 'PENDING',
				});
			}
			const end = (change: (callback: ConvosoCallbackRecord) => void) => {
				if (pending.length === 0) return;
				const callback = pickPending();
				ended.add(
					pairOf({ id: String(callback.id), scheduledAtMs: instant(callback.callback_time) }),
				);
				change(callback);
			};
			if (random.int(0, 2) === 0) {
				end((c) =>
					sandbox.convoso.changeCallback(c.id, { stage: 'DISMISSED', status: 'DISMISSED' }),
				);
			}
			if (random.int(0, 3) === 0)
				end((c) => sandbox.convoso.changeCallback(c.id, { stage: 'COMPLETED' }));
			if (random.int(0, 3) === 0) end((c) => sandbox.convoso.removeCallback(c.id));
			// Convoso moves callbacks whose time has passed to Past Due: still pending.
			for (const callback of pending) {
				if (instant(callback.callback_time) < clock - 2 * MINUTE && random.int(0, 1) === 0) {
					sandbox.convoso.changeCallback(callback.id, { stage: 'PAST_DUE' });
				}
			}
			// Once: more new callbacks between two polls than one page (5,000) holds,
			// deleted again two polls later to keep the rest of the run light.
			if (step === 100) {
				burst = Array.from({ length: 5_200 }, () => add(clock + 3 * 24 * 60 * MINUTE).id);
				for (const id of burst) createdAfterActivation.add(String(id));
			}
			if (step === 102) for (const id of burst) sandbox.convoso.removeCallback(id);

			await checker.pollAll(clock, createdAfterActivation);
		}

		checker.expectExactlyOnce();
		expect(checker.expectedNew.size).toBeGreaterThan(5_400);
		const [onTime, early] = checker.due;
		expect(onTime.expected.size).toBeGreaterThan(100);
		expect(early.expected.size).toBeGreaterThan(100);
		// Rescheduled callbacks fell due again at their new time.
		const dueIds = onTime.emitted.map((pair) => pair.split('@')[0]);
		expect(dueIds.length).toBeGreaterThan(new Set(dueIds).size);
		// Callbacks that ended before their time came never fell due.
		const endedBeforeDue = [...ended].filter((pair) => {
			const time = Number(pair.split('@')[1]);
			return time <= clock && !onTime.expected.has(pair);
		});
		expect(endedBeforeDue.length).toBeGreaterThan(10);
		for (const pair of endedBeforeDue) expect(onTime.emitted).not.toContain(pair);
	});

	it('"Fetch Test Event" returns the latest callback without touching the state', async () => {
		clock += MINUTE;
		const runner = trigger({ event: 'new' });
		expect(await runner.poll()).toBeNull();
		const before = JSON.stringify(runner.staticData());
		const latest = sandbox.convoso.addCallback({
			created_at: local(clock + skew + MINUTE),
			callback_time: local(clock + 60 * MINUTE),
		});
		const [[item]] = (await runner.poll('manual'))!;
		expect(item.json.id).toBe(latest.id);
		expect(JSON.stringify(runner.staticData())).toBe(before);
		// The real poll still emits it.
		const next = await runner.poll();
		expect(next?.[0].map((entry) => entry.json.id)).toEqual([latest.id]);
	});
});
