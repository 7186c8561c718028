/**
 * "Only Emit When Callable" on Callback Due, through the real trigger nodes and the
 * sandbox: a callback due while its callee is outside calling hours is held back and
 * emitted once when the callee's window opens, with the zone from the provider
 * (Talkdesk keeps one) or from the number (Convoso). Checked on what the triggers emit
 * and on the requests the sandbox receives.
 */
import { DateTime } from 'luxon';
import type { IDataObject } from 'n8n-workflow';

import { ConvosoApi } from '../../credentials/ConvosoApi.credentials';
import { TalkdeskApi } from '../../credentials/TalkdeskApi.credentials';
import { ConvosoTrigger } from '../../nodes/Convoso/ConvosoTrigger.node';
import { defaultRuntime } from '../../nodes/shared/runtime';
import { TalkdeskTrigger } from '../../nodes/Talkdesk/TalkdeskTrigger.node';
import { pollRunner } from '../helpers/run-node';
import type { PollRunner } from '../helpers/run-node';
import { startSandbox } from '../sandbox/server';
import type { Sandbox } from '../sandbox/server';
import { TALKDESK_CLIENT } from '../sandbox/talkdesk';

const MINUTE = 60_000;
const ACCOUNT_ZONE = 'America/New_York';

let sandbox: Sandbox;
let clock = 0;
const runtime = { ...defaultRuntime, now: () => clock };

beforeAll(async () => {
	sandbox = await startSandbox({
		talkdesk: { callbacks: 0 },
		convoso: { callbacks: 0, leads: 20 },
		now: () => clock,
	});
});

afterAll(async () => await sandbox.close());

beforeEach(() => sandbox.clearRequests());

const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
const emitted = (output: Awaited<ReturnType<PollRunner['poll']>>) =>
	(output?.[0] ?? []).map((item) => item.json as IDataObject);

/** Polls every five minutes from `from` to `to`; returns what each emission was and when. */
async function pollEvery5Minutes(runner: PollRunner, from: number, to: number) {
	const emissions: Array<{ at: number; item: IDataObject }> = [];
	for (clock = from; clock <= to; clock += 5 * MINUTE)
		for (const item of emitted(await runner.poll())) emissions.push({ at: clock, item });
	return emissions;
}

it('Talkdesk: a callback due at 06:30 in its own zone (Los Angeles) is emitted once, at 08:00 there', async () => {
	clock = Date.parse('2026-09-02T11:00:00Z'); // 04:00 in Los Angeles
	const runner = pollRunner({
		nodeType: new TalkdeskTrigger(runtime),
		credentialType: new TalkdeskApi(),
		credentials: {
			region: 'custom',
			apiBaseUrl: sandbox.baseUrls.talkdesk,
			tokenUrl: sandbox.baseUrls.talkdeskToken,
			clientId: TALKDESK_CLIENT.id,
			clientSecret: TALKDESK_CLIENT.secret,
		},
		parameters: { event: 'due', onlyWhenCallable: true },
	});
	await runner.poll();
	const night = DateTime.fromISO('2026-09-02T06:30', { zone: 'America/Los_Angeles' }).toMillis();
	const day = DateTime.fromISO('2026-09-02T10:00', { zone: 'America/Los_Angeles' }).toMillis();
	const opens = DateTime.fromISO('2026-09-02T08:00', { zone: 'America/Los_Angeles' }).toMillis();
	// A New York number (09:30 there), but Talkdesk says the customer is in Los Angeles:
	// the provider's zone counts; the number's country chooses the rules (US).
	const make = (at: number) =>
		sandbox.talkdesk.addCallback({
			phone_number: '+12125550100',
			timezone: 'America/Los_Angeles',
			time_to_call: iso(at),
			next_time_to_call: iso(at),
			scheduled_time_to_call: iso(at),
		});
	const held = make(night);
	const inWindow = make(day);

	const emissions = await pollEvery5Minutes(runner, clock + 5 * MINUTE, day + 30 * MINUTE);
	expect(emissions.map(({ at, item }) => [item.id, iso(at)])).toEqual([
		[held.id, iso(opens)],
		[inWindow.id, iso(day)],
	]);
	expect((emissions[0].item.details as IDataObject).callingHours).toEqual({
		dueAt: iso(night),
		heldUntil: iso(opens),
		reason: expect.stringContaining("America/Los_Angeles, the callee's zone from the provider"),
	});
	expect((emissions[1].item.details as IDataObject).callingHours).toBeUndefined();
	// While it was held, listings reached back to its time; afterwards, no longer.
	const starts = sandbox.requests
		.filter((request) => request.route === '/api/schedule-callbacks')
		.map((request) => ({ at: request.at, start: Date.parse(String(request.query.start_time)) }));
	const whileHeld = starts.filter(({ at }) => at > night + 15 * MINUTE && at < opens);
	expect(whileHeld.length).toBeGreaterThan(0);
	for (const { start } of whileHeld) expect(start).toBeLessThanOrEqual(night);
	expect(starts.at(-1)!.start).toBeGreaterThan(opens);
});

it('Convoso: the zone comes from the lead’s number; bad rules fail the poll before any request', async () => {
	clock = Date.parse('2026-09-01T12:00:00Z');
	const lead = sandbox.convoso.leads()[0];
	const parameters = { event: 'due', onlyWhenCallable: true };
	const runner = pollRunner({
		nodeType: new ConvosoTrigger(runtime),
		credentialType: new ConvosoApi(),
		credentials: {
			apiToken: 'sandbox-convoso-token',
			baseUrl: sandbox.baseUrls.convoso,
			accountTimezone: ACCOUNT_ZONE,
			countryCallingCode: '1',
		},
		parameters,
	});
	await runner.poll();
	const local = (zone: string, wall: string) => DateTime.fromISO(wall, { zone });
	const night = local(ACCOUNT_ZONE, '2026-09-01T22:00');
	sandbox.convoso.addCallback({
		lead_id: lead.id,
		// A 212 (New York) number: the area code places the callee.
		phone_number: '2125550100',
		callback_time: night.toFormat('yyyy-MM-dd HH:mm:ss'),
	});
	const opens = local(ACCOUNT_ZONE, '2026-09-02T08:00').toMillis();
	const emissions = await pollEvery5Minutes(runner, clock + 5 * MINUTE, opens + 10 * MINUTE);
	expect(emissions.map(({ at, item }) => [item.phone, iso(at)])).toEqual([
		['+12125550100', iso(opens)],
	]);

	sandbox.clearRequests();
	const badRules = pollRunner({
		nodeType: new ConvosoTrigger(runtime),
		credentialType: new ConvosoApi(),
		credentials: {
			apiToken: 'sandbox-convoso-token',
			baseUrl: sandbox.baseUrls.convoso,
			accountTimezone: ACCOUNT_ZONE,
			countryCallingCode: '1',
		},
		parameters: {
			...parameters,
			callingHoursOptions: { ruleSet: 'custom', windowStart: '9am', windowEnd: '17:00' },
		},
	});
	await expect(badRules.poll()).rejects.toThrow('Custom Window Start');
	expect(sandbox.requests).toHaveLength(0);
});
