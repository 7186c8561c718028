/**
 * Convoso Trigger against the sandbox with a controlled clock: hundreds of polls
 * with random creates, reschedules, dismissals, completions and deletions between
 * them, clock skew, late-appearing callbacks and a burst larger than a page.
 * Every new callback must be emitted once, every due (callback, time) once, and
 * nothing cancelled, completed or deleted may be emitted as due.
 */
import { DateTime } from 'luxon';
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { ConvosoApi } from '../../credentials/ConvosoApi.credentials';
import { ConvosoTrigger } from '../../nodes/Convoso/ConvosoTrigger.node';
import { LATE_TOLERANCE_MS, pollSettings } from '../../nodes/shared/poll';
import { pollRunner } from '../helpers/run-node';
import type { PollRunner } from '../helpers/run-node';
import type { ConvosoCallbackRecord } from '../sandbox/convoso';
import { Random } from '../sandbox/random';
import { startSandbox } from '../sandbox/server';
import type { Sandbox } from '../sandbox/server';

const ZONE = 'America/New_York';
const MINUTE = 60_000;
const STATE_LIMIT = 64 * 1024;

let sandbox: Sandbox;
let clock = Date.parse('2026-06-01T12:00:00Z'); // n8n's clock
let skew = 0; // how far Convoso's clock is off
const realNow = pollSettings.now;

beforeAll(async () => {
	sandbox = await startSandbox({ convoso: { callbacks: 0, leads: 40 }, now: () => clock + skew });
	pollSettings.now = () => clock;
});

afterAll(async () => {
	pollSettings.now = realNow;
	await sandbox.close();
});

const local = (ms: number) =>
	DateTime.fromMillis(ms, { zone: ZONE }).toFormat('yyyy-MM-dd HH:mm:ss');
const instants = new Map<string, number>();
const instant = (text: string) => {
	let ms = instants.get(text);
	if (ms === undefined)
		instants.set(
			text,
			(ms = DateTime.fromFormat(text, 'yyyy-MM-dd HH:mm:ss', { zone: ZONE }).toMillis()),
		);
	return ms;
};
const isPending = (callback: ConvosoCallbackRecord) =>
	callback.stage === 'PENDING' || callback.stage === 'PAST_DUE';

function trigger(parameters: IDataObject): PollRunner {
	return pollRunner({
		nodeType: new ConvosoTrigger(),
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

function emitted(result: INodeExecutionData[][] | null): IDataObject[] {
	return result === null ? [] : result[0].map((item) => item.json);
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
		for (let i = 0; i < 30; i++)
			add(clock + random.int(-120, 120) * MINUTE, clock - random.int(0, 600) * MINUTE);
		const activatedAt = clock;

		const newTrigger = trigger({ event: 'new' });
		const dueTrigger = trigger({ event: 'due' });
		const earlyTrigger = trigger({ event: 'due', minutesBefore: 15 });
		const pair = (callback: ConvosoCallbackRecord) =>
			`${callback.id}@${instant(callback.callback_time)}`;
		// What is already due at activation is the baseline: never emitted.
		const baseline = (leadMs: number) =>
			new Set(
				sandbox.convoso
					.callbacks()
					.filter((c) => instant(c.callback_time) - leadMs <= activatedAt)
					.map(pair),
			);
		const due = [
			{
				runner: dueTrigger,
				leadMs: 0,
				baseline: baseline(0),
				expected: new Set<string>(),
				seen: [] as string[],
			},
			{
				runner: earlyTrigger,
				leadMs: 15 * MINUTE,
				baseline: baseline(15 * MINUTE),
				expected: new Set<string>(),
				seen: [] as string[],
			},
		];
		const createdAfterActivation = new Set<number>();
		const newSeen: number[] = [];
		// (id, time) pairs that were dismissed, completed or deleted
		const neverDue = new Set<string>();
		const burst: number[] = [];

		// The first poll only sets a baseline.
		expect(await newTrigger.poll()).toBeNull();
		for (const { runner } of due) expect(await runner.poll()).toBeNull();

		const expectedNew = new Set<number>();
		let previousPoll = activatedAt;
		const pollAll = async () => {
			// New: what was created after activation and can be seen now (a callback created and
			// deleted between two polls never existed for anyone).
			for (const id of createdAfterActivation)
				if (sandbox.convoso.getCallback(id)) expectedNew.add(id);
			// What must be due now, from the sandbox's state (independent of the engine): pending,
			// its time has come, and it did not show up more than the documented tolerance late.
			for (const d of due) {
				for (const callback of sandbox.convoso.callbacks()) {
					const fire = instant(callback.callback_time) - d.leadMs;
					const inTime = fire >= previousPoll - LATE_TOLERANCE_MS;
					if (isPending(callback) && fire <= clock && inTime && !d.baseline.has(pair(callback)))
						d.expected.add(pair(callback));
				}
			}
			for (const json of emitted(await newTrigger.poll())) newSeen.push(json.id as number);
			for (const d of due) {
				for (const json of emitted(await d.runner.poll())) {
					expect(json.status === 'scheduled' || json.status === 'past_due').toBe(true);
					d.seen.push(`${json.id}@${Date.parse(json.scheduledAt as string)}`);
				}
			}
			for (const runner of [newTrigger, ...due.map((d) => d.runner)]) {
				expect(JSON.stringify(runner.staticData()).length).toBeLessThan(STATE_LIMIT);
			}
			previousPoll = clock;
		};

		for (let step = 0; step < 200; step++) {
			clock += MINUTE + random.int(-5, 5) * 1000;
			if (step % 20 === 0) skew = random.int(-3, 3) * MINUTE;

			for (let i = random.int(0, 3); i > 0; i--) {
				// Some show up late: created up to 3 minutes before they become visible.
				const created = add(
					clock + random.int(-5, 40) * MINUTE,
					clock + skew - random.int(0, 180) * 1000,
				);
				createdAfterActivation.add(created.id);
			}
			const pending = sandbox.convoso.callbacks().filter(isPending);
			const pickPending = () => pending.splice(random.int(0, pending.length - 1), 1)[0];
			for (let i = random.int(0, 2); i > 0 && pending.length > 0; i--) {
				sandbox.convoso.changeCallback(pickPending().id, {
					callback_time: local(clock + random.int(-5, 40) * MINUTE),
					stage: 'PENDING',
				});
			}
			const end = (callback: ConvosoCallbackRecord | undefined, change: () => void) => {
				if (!callback) return;
				neverDue.add(pair(callback));
				change();
			};
			if (random.int(0, 2) === 0 && pending.length > 0) {
				const callback = pickPending();
				end(callback, () =>
					sandbox.convoso.changeCallback(callback.id, { stage: 'DISMISSED', status: 'DISMISSED' }),
				);
			}
			if (random.int(0, 3) === 0 && pending.length > 0) {
				const callback = pickPending();
				end(callback, () => sandbox.convoso.changeCallback(callback.id, { stage: 'COMPLETED' }));
			}
			if (random.int(0, 3) === 0 && pending.length > 0) {
				const callback = pickPending();
				end(callback, () => sandbox.convoso.removeCallback(callback.id));
			}
			// Convoso moves callbacks whose time has passed to Past Due: still pending.
			for (const callback of pending) {
				if (instant(callback.callback_time) < clock - 2 * MINUTE && random.int(0, 1) === 0) {
					sandbox.convoso.changeCallback(callback.id, { stage: 'PAST_DUE' });
				}
			}
			// Once: more new callbacks between two polls than one page (5,000) holds.
			if (step === 100) {
				for (let i = 0; i < 5_200; i++) burst.push(add(clock + 3 * 24 * 60 * MINUTE).id);
				for (const id of burst) createdAfterActivation.add(id);
			}
			// Two polls later they are deleted in bulk (keeps the rest of the run light).
			if (step === 102) for (const id of burst) sandbox.convoso.removeCallback(id);
			await pollAll();
		}

		// New: every callback created after activation, once; none from before.
		expect(newSeen.length).toBe(new Set(newSeen).size);
		expect(new Set(newSeen)).toEqual(expectedNew);
		expect(expectedNew.size).toBeGreaterThan(5_400);

		for (const d of due) {
			// Due: exactly the (callback, time) pairs that were pending when their time came, once each.
			expect(d.seen.length).toBe(new Set(d.seen).size);
			expect(new Set(d.seen)).toEqual(d.expected);
			expect(d.expected.size).toBeGreaterThan(100);
		}
		// Rescheduled callbacks fell due again at their new time.
		const dueIds = due[0].seen.map((pair) => pair.split('@')[0]);
		expect(dueIds.length).toBeGreaterThan(new Set(dueIds).size);
		// Callbacks dismissed, completed or deleted before their time never fell due.
		const endedBeforeDue = [...neverDue].filter((pair) => {
			const time = Number(pair.split('@')[1]);
			return time > activatedAt && time <= clock && !due[0].expected.has(pair);
		});
		expect(endedBeforeDue.length).toBeGreaterThan(10);
		for (const pair of endedBeforeDue) expect(due[0].seen).not.toContain(pair);
	}, 120_000);

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
		expect(emitted(await runner.poll()).map((json) => json.id)).toEqual([latest.id]);
	}, 30_000);
});
