import { DateTime } from 'luxon';

import { ConvosoApi } from '../../credentials/ConvosoApi.credentials';
import { Convoso } from '../../nodes/Convoso/Convoso.node';
import { resolveCallee } from '../../nodes/shared/callingHours';
import { runNode } from '../helpers/run-node';
import { VirtualRuntime } from '../helpers/runtime';
import type { RunNodeResult } from '../helpers/run-node';
import { startSandbox } from '../sandbox/server';
import type { RecordedRequest, Sandbox } from '../sandbox/server';

const TOKEN = 'sandbox-convoso-token';
const ACCOUNT_ZONE = 'America/New_York';

let sandbox: Sandbox;
/** Retries wait on a virtual clock: no test sleeps. */
let runtime = new VirtualRuntime();

beforeAll(async () => {
	sandbox = await startSandbox({ convoso: { callbacks: 12_000, leads: 300 } });
});

afterAll(async () => {
	await sandbox.close();
});

beforeEach(() => {
	runtime = new VirtualRuntime();
	sandbox.clearRequests();
	sandbox.faults.clear();
});

function credentials(overrides: Record<string, string> = {}) {
	return {
		apiToken: TOKEN,
		baseUrl: sandbox.baseUrls.convoso,
		accountTimezone: ACCOUNT_ZONE,
		countryCallingCode: '1',
		...overrides,
	};
}

async function run(
	parameters: Record<string, unknown>,
	options: {
		items?: Array<Record<string, unknown>>;
		continueOnFail?: boolean;
		credentials?: Record<string, string>;
	} = {},
): Promise<RunNodeResult> {
	return await runNode({
		nodeType: new Convoso(runtime),
		credentialType: new ConvosoApi(),
		credentials: options.credentials ?? credentials(),
		parameters: parameters as never,
		items: options.items as never,
		continueOnFail: options.continueOnFail,
	});
}

function convosoRequests(): RecordedRequest[] {
	return sandbox.requests.filter((request) => request.provider === 'convoso');
}

/** Every request the node makes: POST, form-encoded, token in the body and never in the URL. */
function expectWellFormedRequests(requests: RecordedRequest[]) {
	expect(requests.length).toBeGreaterThan(0);
	for (const request of requests) {
		expect(request.method).toBe('POST');
		expect(request.headers['content-type']).toContain('application/x-www-form-urlencoded');
		expect(request.form?.auth_token).toBe(TOKEN);
		expect(request.path).not.toContain(TOKEN);
		expect(request.query.auth_token).toBeUndefined();
	}
}

/** No output item and no error text may carry the token. */
function expectNoSecret(result: RunNodeResult) {
	const text =
		JSON.stringify(result.items) +
		String(result.error?.message) +
		String(result.error?.description);
	expect(text).not.toContain(TOKEN);
}

describe('Callback → Search', () => {
	it('sends every filter in Convoso field names and returns simplified callbacks', async () => {
		const result = await run({
			resource: 'callback',
			operation: 'getMany',
			returnAll: false,
			limit: 7,
			filters: {
				campaignId: '111',
				stage: 'PENDING',
				recipient: 'System',
				startDate: '2026-03-01',
				endDate: '2026-09-30',
			},
		});
		expect(result.error).toBeUndefined();
		const [request] = convosoRequests();
		expectWellFormedRequests(convosoRequests());
		expect(request.route).toBe('/v1/callbacks/search');
		expect(request.form).toMatchObject({
			campaign_id: '111',
			stage: 'PENDING',
			recipient: 'System',
			start_date: '2026-03-01',
			end_date: '2026-09-30',
			offset: '0',
			limit: '7',
		});
		expect(result.items).toHaveLength(7);
		for (const item of result.items) {
			const callback = item.json;
			expect(item.pairedItem).toEqual({ item: 0 });
			expect(callback.provider).toBe('convoso');
			// Pending: scheduled, or past due once its time has passed on the node's clock.
			expect(callback.status).toBe(
				Date.parse(callback.scheduledAt as string) < runtime.now() ? 'past_due' : 'scheduled',
			);
			expect(typeof callback.id).toBe('number');
			expect(callback.campaignId).toBe(111);
			expect(typeof callback.leadId).toBe('number');
			expect(callback.scheduledAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
			expect(callback.phone).toMatch(/^\+1\d{10}$/);
			expect(callback.timezone).toBe(ACCOUNT_ZONE);
			// The UTC time is the account-local time the sandbox stores, read in the account zone.
			const stored = sandbox.convoso.getCallback(callback.id as number)!;
			const expected = DateTime.fromFormat(stored.callback_time, 'yyyy-MM-dd HH:mm:ss', {
				zone: ACCOUNT_ZONE,
			}).toUTC();
			expect(callback.scheduledAt).toBe(expected.toISO({ suppressMilliseconds: true }));
		}
	});

	it('Return All fetches 5,000 per page and stops exactly at the total', async () => {
		const result = await run({
			resource: 'callback',
			operation: 'getMany',
			returnAll: true,
			filters: {},
		});
		expect(result.error).toBeUndefined();
		const requests = convosoRequests();
		expect(requests.map((r) => [r.form?.offset, r.form?.limit])).toEqual([
			['0', '5000'],
			['5000', '5000'],
			['10000', '5000'],
		]);
		expect(result.items).toHaveLength(sandbox.convoso.callbacks().length);
		expect(new Set(result.items.map((item) => item.json.id)).size).toBe(result.items.length);
	});

	it('returns raw records when Simplify is off', async () => {
		const result = await run({
			resource: 'callback',
			operation: 'getMany',
			limit: 2,
			filters: {},
			simplify: false,
		});
		expect(result.items).toHaveLength(2);
		expect(result.items[0].json).toHaveProperty('callback_time');
		expect(typeof result.items[0].json.id).toBe('string');
	});

	it('treats "no callbacks" (code 6000) as an empty result', async () => {
		const result = await run({
			resource: 'callback',
			operation: 'getMany',
			returnAll: true,
			filters: { comments: 'no callback has this text zzz' },
		});
		expect(result.error).toBeUndefined();
		expect(result.items).toHaveLength(0);
		expect(convosoRequests()).toHaveLength(1);
	});

	it('rejects bad filters before any request', async () => {
		for (const filters of [
			{ startDate: '03/05/2026' },
			{ campaignId: 'abc' },
			{ campaignId: { __rl: true, mode: 'id', value: 'x7' } },
			{ startDate: '2026-05-01', endDate: '2026-04-01' },
			{ stage: 'LATE' },
		]) {
			const result = await run({ resource: 'callback', operation: 'getMany', filters });
			expect(result.error?.constructor.name).toBe('NodeOperationError');
			expect(result.error?.message).toMatch(/Start Date|'Campaign'|End Date|Stage/);
		}
		expect(convosoRequests()).toHaveLength(0);
	});
});

describe('Callback → Search beyond the 50,000 offset cap', () => {
	let big: Sandbox;
	beforeAll(async () => {
		big = await startSandbox({ convoso: { callbacks: 60_000, leads: 50 } });
	});
	afterAll(async () => {
		await big.close();
	});
	beforeEach(() => {
		big.clearRequests();
		big.resetTraffic();
	});

	const search = (parameters: Record<string, unknown>, sandboxUrl = big.baseUrls.convoso) =>
		runNode({
			nodeType: new Convoso(runtime),
			credentialType: new ConvosoApi(),
			credentials: { ...credentials(), baseUrl: sandboxUrl },
			parameters: {
				resource: 'callback',
				operation: 'getMany',
				returnAll: true,
				filters: {},
				simplify: false,
				...parameters,
			} as never,
		});
	/** `count` callbacks on the 10th of each month of 2026 in turn. */
	const addOverMonthsOf2026 = (target: Sandbox, count: number) =>
		target.convoso.addCallbacks(count, (index) => ({
			callback_time: `2026-${String(1 + (index % 12)).padStart(2, '0')}-10 10:00:00`,
		}));
	/** The searches that asked a date window for its total alone (one row). */
	const probesOf = (requests: RecordedRequest[]) =>
		requests.filter((r) => r.form?.start_date !== undefined && r.form?.limit === '1');

	it('splits the search into date windows and returns every callback once, in the order of one-at-a-time', async () => {
		const oneAtATime = await search({ concurrency: 1 });
		expect(oneAtATime.error).toBeUndefined();
		expect(big.traffic().convoso.maxInFlight).toBe(1);
		const ids = oneAtATime.items.map((item) => item.json.id);
		expect(ids).toHaveLength(60_000);
		expect(new Set(ids).size).toBe(60_000);
		const sequential = big.requests.map((r) => r.form!);
		expect(Math.max(...sequential.map((form) => Number(form.offset ?? 0)))).toBeLessThanOrEqual(
			50_000,
		);
		// The first search told the total: the widest window is never asked again.
		expect(sequential.filter((form) => form.start_date === undefined)).toHaveLength(1);
		expect(
			sequential.some((form) => form.start_date === '2000-01-01' && form.end_date === '2099-12-31'),
		).toBe(false);
		// Windows are asked for their totals alone; every other search is a full page.
		expect(new Set(sequential.map((form) => form.limit))).toEqual(new Set(['1', '5000']));

		// Answers slower than the sandbox takes to build a page, so requests sent together overlap there.
		big.clearRequests();
		big.resetTraffic();
		big.setLatency(1000);
		const together = await search({ concurrency: 4 }).finally(() => big.setLatency(0));
		expect(together.error).toBeUndefined();
		expect(together.items.map((item) => item.json.id)).toEqual(ids);
		// The same searches, only sent together.
		const key = (form: Record<string, string>) =>
			[form.start_date, form.end_date, form.offset, form.limit].join(' ');
		expect(big.requests.map((r) => key(r.form!)).sort()).toEqual(sequential.map(key).sort());
		expect(big.traffic().convoso.maxInFlight).toBe(4);
		// The two halves of each split are asked together: the later is sent before the earlier is answered.
		const probes = probesOf(big.requests);
		expect(probes.length).toBeGreaterThanOrEqual(2);
		expect(probes.length % 2).toBe(0);
		for (let i = 0; i < probes.length; i += 2) {
			const [earlier, later] = [probes[i].form!, probes[i + 1].form!];
			const dayAfter = DateTime.fromISO(earlier.end_date).plus({ days: 1 }).toISODate();
			expect(later.start_date).toBe(dayAfter);
			expect(probes[i + 1].at).toBeLessThan(probes[i].answeredAt!);
		}
	});

	it('with a Limit, reads no window after those that hold enough', async () => {
		const early = await startSandbox({ convoso: { callbacks: 0, leads: 5 } });
		try {
			addOverMonthsOf2026(early, 58_000);
			early.convoso.addCallbacks(2_000, () => ({ callback_time: '2030-06-10 10:00:00' }));
			const result = await search(
				{ returnAll: false, limit: 56_001, concurrency: 4 },
				early.baseUrls.convoso,
			);
			expect(result.error).toBeUndefined();
			expect(result.items).toHaveLength(56_001);
			expect(new Set(result.items.map((item) => item.json.id)).size).toBe(56_001);
			expect(result.items.every((item) => String(item.json.callback_time) < '2027')).toBe(true);
			const pages = early.requests.filter(
				(r) => r.form?.start_date !== undefined && r.form?.limit !== '1',
			);
			// The window holding 2030 was counted, then dropped: none of its pages was asked for.
			expect(pages.every((r) => r.form!.end_date < '2030-06-10')).toBe(true);
			// The last page asks only for what the Limit leaves.
			expect(Number(pages.at(-1)!.form!.limit)).toBeLessThan(5_000);
		} finally {
			await early.close();
		}
	});

	it('fails naming the day when one day alone holds more than Convoso can page', async () => {
		const crowded = await startSandbox({ convoso: { callbacks: 0, leads: 5 } });
		try {
			crowded.convoso.addCallbacks(55_001, () => ({ callback_time: '2026-12-24 10:00:00' }));
			const result = await search({}, crowded.baseUrls.convoso);
			expect(result.error?.constructor.name).toBe('NodeOperationError');
			expect(result.error?.message).toBe(
				'Too many callbacks on 2026-12-24: 55001 match, and Convoso can page through at most 55000 per search',
			);
			expect(result.error?.description).toMatch(/Add a filter/);
			// Split down to the day, asking totals only: not one page of that day was read.
			const probes = probesOf(crowded.requests);
			expect(probes.at(-1)!.form).toMatchObject({
				start_date: '2026-12-24',
				end_date: '2026-12-24',
			});
			expect(crowded.requests.filter((r) => r.form?.limit === '5000')).toHaveLength(1);
		} finally {
			await crowded.close();
		}
	});

	it('fails when the date windows do not add up to the total, before reading a page of them', async () => {
		const odd = await startSandbox({ convoso: { callbacks: 0, leads: 5 } });
		try {
			addOverMonthsOf2026(odd, 55_001);
			odd.convoso.addCallbacks(3, () => ({ callback_time: '1999-12-31 10:00:00' }));
			const result = await search({}, odd.baseUrls.convoso);
			expect(result.error?.constructor.name).toBe('NodeOperationError');
			expect(result.error?.message).toBe('Could only reach 55001 of the 55004 matching callbacks');
			expect(result.error?.description).toMatch(/2000-01-01\.\.2099-12-31/);
			expect(odd.requests.filter((r) => r.form?.limit === '5000')).toHaveLength(1);
		} finally {
			await odd.close();
		}
	});
});

describe('Callback → Get', () => {
	it('finds one callback by id', async () => {
		const result = await run({ resource: 'callback', operation: 'get', callbackId: '42' });
		expect(result.error).toBeUndefined();
		expect(result.items).toHaveLength(1);
		expect(result.items[0].json.id).toBe(42);
		expect(convosoRequests()[0].form).toMatchObject({ id: '42', limit: '1' });
	});

	it('fails clearly for an unknown id, or returns an error item with Continue On Fail', async () => {
		const failed = await run({ resource: 'callback', operation: 'get', callbackId: '99999999' });
		expect(failed.error?.message).toContain('no callback with ID 99999999');
		const continued = await run(
			{ resource: 'callback', operation: 'get', callbackId: '99999999' },
			{ continueOnFail: true },
		);
		expect(continued.items).toEqual([
			{
				json: expect.objectContaining({ error: expect.stringContaining('99999999') }),
				pairedItem: { item: 0 },
			},
		]);
	});
});

describe('Callback → Create', () => {
	const cases = [
		// [wall time, zone, Convoso time, Convoso offset]
		['2026-03-05T14:30', 'America/New_York', '2026-03-05 02:30 PM', '-5.00'],
		['2026-07-01T09:15', 'America/New_York', '2026-07-01 09:15 AM', '-4.00'],
		['2026-03-05T00:05', 'Asia/Kolkata', '2026-03-05 12:05 AM', '+5.30'],
		['2026-03-05T12:00', 'Asia/Kathmandu', '2026-03-05 12:00 PM', '+5.45'],
		['2026-01-10T18:45', 'America/St_Johns', '2026-01-10 06:45 PM', '-3.30'],
		['2026-07-10T18:45', 'America/St_Johns', '2026-07-10 06:45 PM', '-2.30'],
		['2026-07-10T18:45', 'Australia/Lord_Howe', '2026-07-10 06:45 PM', '+10.30'],
		['2026-01-10T18:45', 'Australia/Lord_Howe', '2026-01-10 06:45 PM', '+11.00'],
		['2026-06-01T12:00', 'UTC', '2026-06-01 12:00 PM', '0.00'],
	] as const;

	it.each(cases)(
		'%s in %s is sent as "%s" with offset %s and rings at that instant',
		async (wall, zone, time, offset) => {
			const before = sandbox.convoso.callbacks().length;
			const result = await run({
				resource: 'callback',
				operation: 'create',
				callingHours: 'off',
				leadId: '1001',
				recipient: 'system',
				callbackTime: wall,
				timeZone: zone,
				comments: 'Customer asked for a call',
			});
			expect(result.error).toBeUndefined();
			const [request, readBack] = convosoRequests();
			expectWellFormedRequests([request, readBack]);
			expect(request.route).toBe('/v1/callbacks/insert');
			expect(request.form).toMatchObject({
				lead_id: '1001',
				recipient: 'system',
				callback_time: time,
				callback_time_zone: offset,
				comments: 'Customer asked for a call',
			});
			const instant = DateTime.fromISO(wall, { zone }).toUTC();
			const created = result.items[0].json;
			// The output is the whole callback, read back by id in one more request.
			expect(readBack.route).toBe('/v1/callbacks/search');
			expect(readBack.form).toMatchObject({ id: String(created.id), limit: '1' });
			expect(convosoRequests()).toHaveLength(2);
			expect(created.scheduledAt).toBe(instant.toISO({ suppressMilliseconds: true }));
			// Convoso keeps the time in the account's zone: that is the callback's zone.
			expect(created).toMatchObject({
				provider: 'convoso',
				timezone: ACCOUNT_ZONE,
				leadId: 1001,
				notes: 'Customer asked for a call',
				details: { recipient: 'SYSTEM' },
			});
			expect(created.phone).toMatch(/^\+1\d{10}$/);
			expect(['scheduled', 'past_due']).toContain(created.status);
			expect(sandbox.convoso.callbacks()).toHaveLength(before + 1);
			// The sandbox computed the same instant from what was sent.
			const stored = sandbox.convoso.getCallback(created.id as number)!;
			expect(
				DateTime.fromFormat(stored.callback_time, 'yyyy-MM-dd HH:mm:ss', {
					zone: ACCOUNT_ZONE,
				}).toMillis(),
			).toBe(instant.toMillis());
		},
	);

	it('takes an exact instant (with Z) and the account zone when Time Zone is empty', async () => {
		const result = await run({
			resource: 'callback',
			operation: 'create',
			callingHours: 'off',
			leadId: 1002,
			recipient: 'personal',
			userId: '22222',
			callbackTime: '2026-03-08T07:30:00Z',
		});
		expect(result.error).toBeUndefined();
		// 07:30 UTC on the US DST day is 03:30 EDT (-4): after the jump.
		expect(convosoRequests()[0].form).toMatchObject({
			recipient: 'personal',
			user_id: '22222',
			callback_time: '2026-03-08 03:30 AM',
			callback_time_zone: '-4.00',
		});
	});

	it.each([
		[{ recipient: 'personal', userId: '' }, "'User'"],
		[{ leadId: 'abc' }, "'Lead'"],
		[{ leadId: '' }, "'Lead'"],
		[{ leadId: { __rl: true, mode: 'id', value: 'x1' } }, "'Lead'"],
		[{ callbackTime: 'next tuesday' }, 'Callback Time'],
		[{ callbackTime: '2026-02-30T10:00' }, 'Callback Time'],
		[{ callbackTime: '' }, 'Callback Time'],
		[{ timeZone: 'Mars/Olympus' }, 'Time Zone'],
		[{ callbackTime: '2026-03-08T02:30', timeZone: 'America/New_York' }, 'Callback Time'],
		[{ recipient: 'personal', userId: '12x' }, "'User'"],
		[{ recipient: 'personal', userId: { __rl: true, mode: 'list', value: '' } }, "'User'"],
	])('rejects %j before any request, naming %s', async (overrides, field) => {
		const before = sandbox.convoso.callbacks().length;
		const result = await run({
			resource: 'callback',
			operation: 'create',
			callingHours: 'off',
			leadId: '1001',
			recipient: 'system',
			callbackTime: '2026-03-05T14:30',
			timeZone: 'America/New_York',
			...overrides,
		});
		expect(result.error?.constructor.name).toBe('NodeOperationError');
		expect(result.error?.message).toContain(field);
		expect(convosoRequests()).toHaveLength(0);
		expect(sandbox.convoso.callbacks()).toHaveLength(before);
	});

	it('is never retried when the outcome is unknown (503, dropped answer)', async () => {
		const parameters = {
			resource: 'callback',
			operation: 'create',
			callingHours: 'off',
			leadId: '1001',
			recipient: 'system',
			callbackTime: '2026-04-01T10:00',
			timeZone: 'UTC',
		};

		sandbox.faults.add({
			provider: 'convoso',
			route: '/v1/callbacks/insert',
			type: 'status',
			status: 503,
		});
		const unavailable = await run(parameters);
		expect(unavailable.error?.message).toContain('503');
		expect(convosoRequests()).toHaveLength(1);

		sandbox.clearRequests();
		const before = sandbox.convoso.callbacks().length;
		sandbox.faults.add({
			provider: 'convoso',
			route: '/v1/callbacks/insert',
			type: 'drop',
			afterProcessing: true,
		});
		const dropped = await run(parameters);
		expect(dropped.error?.message).toMatch(/Could not reach Convoso/);
		expect(dropped.error?.description).toMatch(/not retried/);
		expect(convosoRequests()).toHaveLength(1);
		// The callback was created once, not twice.
		expect(sandbox.convoso.callbacks()).toHaveLength(before + 1);
	});

	it('is retried after a 429, waiting as long as Retry-After says', async () => {
		sandbox.faults.add({
			provider: 'convoso',
			route: '/v1/callbacks/insert',
			type: 'rate-limit',
			retryAfter: 1,
		});
		const result = await run({
			resource: 'callback',
			operation: 'create',
			callingHours: 'off',
			leadId: '1001',
			recipient: 'system',
			callbackTime: '2026-04-01T10:00',
			timeZone: 'UTC',
		});
		expect(result.error).toBeUndefined();
		expect(runtime.sleeps).toHaveLength(1);
		expect(runtime.sleeps[0]).toBeGreaterThanOrEqual(1000);
		expect(convosoRequests().filter((r) => r.route === '/v1/callbacks/insert')).toHaveLength(2);
	});

	it('reports Convoso error codes in words (unknown lead: 6001)', async () => {
		const result = await run({
			resource: 'callback',
			operation: 'create',
			callingHours: 'off',
			leadId: '999999',
			recipient: 'system',
			callbackTime: '2026-04-01T10:00',
			timeZone: 'UTC',
		});
		expect(result.error?.constructor.name).toBe('NodeApiError');
		expect(result.error?.message).toBe('Convoso error 6001: No such lead');
		expect(result.error?.context?.providerCode).toBe(6001);
	});
});

describe('Callback → Update, Dismiss, Delete', () => {
	it('returns what it knows when reading back fails after the update succeeded', async () => {
		const target = sandbox.convoso.addCallback({ recipient: 'system' });
		sandbox.faults.add({
			provider: 'convoso',
			route: '/v1/callbacks/search',
			type: 'status',
			status: 500,
		});
		const result = await run({
			resource: 'callback',
			operation: 'update',
			callingHours: 'off',
			callbackId: String(target.id),
			updateFields: { comments: 'kept', callbackTime: '2026-05-01T10:00:00Z' },
		});
		expect(result.error).toBeUndefined();
		expect(sandbox.convoso.getCallback(target.id)!.comments).toBe('kept');
		expect(result.items[0].json).toMatchObject({
			id: target.id,
			provider: 'convoso',
			notes: 'kept',
			scheduledAt: '2026-05-01T10:00:00Z',
			timezone: ACCOUNT_ZONE,
			details: { readBack: false },
		});
	});

	it('reschedules, reassigns and comments in one request', async () => {
		const target = sandbox.convoso.addCallback({ recipient: 'system' });
		const result = await run({
			resource: 'callback',
			operation: 'update',
			callingHours: 'off',
			callbackId: String(target.id),
			updateFields: {
				callbackTime: '2026-11-01T01:30',
				timeZone: 'America/New_York',
				userId: '33333',
				comments: 'moved',
				recipient: 'personal',
			},
		});
		expect(result.error).toBeUndefined();
		// 01:30 happens twice that night in New York: the first one (EDT, -4) is meant.
		expect(convosoRequests()[0].form).toMatchObject({
			callback_id: String(target.id),
			callback_time: '2026-11-01 01:30 AM',
			callback_time_zone: '-4.00',
			user_id: '33333',
			comments: 'moved',
			recipient: 'personal',
		});
		// The whole callback, read back by id after the update.
		expect(convosoRequests().map((r) => r.route)).toEqual([
			'/v1/callbacks/update',
			'/v1/callbacks/search',
		]);
		expect(result.items[0].json).toMatchObject({
			id: target.id,
			provider: 'convoso',
			scheduledAt: '2026-11-01T05:30:00Z',
			timezone: ACCOUNT_ZONE,
			agentId: 33333,
			notes: 'moved',
			leadId: target.lead_id,
			details: { recipient: 'USERONLY' },
		});
		const stored = sandbox.convoso.getCallback(target.id)!;
		expect(stored.user_id).toBe(33333);
		expect(stored.comments).toBe('moved');
		// Stored as account-local wall time (which is itself ambiguous that night).
		expect(stored.callback_time).toBe('2026-11-01 01:30:00');
	});

	it('needs at least one field, and a time with a zone change', async () => {
		const none = await run({
			resource: 'callback',
			operation: 'update',
			callingHours: 'off',
			callbackId: '5',
			updateFields: {},
		});
		expect(none.error?.message).toContain('Update Fields');
		const zoneOnly = await run({
			resource: 'callback',
			operation: 'update',
			callingHours: 'off',
			callbackId: '5',
			updateFields: { timeZone: 'Asia/Kolkata' },
		});
		expect(zoneOnly.error?.message).toContain('Time Zone');
		expect(convosoRequests()).toHaveLength(0);
	});

	it('dismisses with both documented field names', async () => {
		const target = sandbox.convoso.addCallback({ stage: 'PENDING' });
		const result = await run({
			resource: 'callback',
			operation: 'dismiss',
			callbackId: String(target.id),
		});
		expect(result.error).toBeUndefined();
		expect(convosoRequests()[0].form).toMatchObject({
			callback_id: String(target.id),
			callback_status: 'dismissed',
			status: 'dismissed',
		});
		expect(sandbox.convoso.getCallback(target.id)?.stage).toBe('DISMISSED');
		expect(result.items[0].json).toMatchObject({
			id: target.id,
			provider: 'convoso',
			status: 'cancelled',
			providerStatus: expect.stringMatching(/^dismissed$/i),
			timezone: ACCOUNT_ZONE,
			leadId: target.lead_id,
		});
	});

	it('deletes, and reports a missing callback as Convoso error 6074', async () => {
		const target = sandbox.convoso.addCallback();
		const deleted = await run({
			resource: 'callback',
			operation: 'delete',
			callbackId: String(target.id),
		});
		expect(deleted.items[0].json).toEqual({ id: target.id, provider: 'convoso', deleted: true });
		expect(sandbox.convoso.getCallback(target.id)).toBeUndefined();
		const again = await run({
			resource: 'callback',
			operation: 'delete',
			callbackId: String(target.id),
		});
		expect(again.error?.message).toBe('Convoso error 6074: Callback not found');
	});
});

describe('calling hours', () => {
	const storedInstant = (id: number) =>
		DateTime.fromFormat(sandbox.convoso.getCallback(id)!.callback_time, 'yyyy-MM-dd HH:mm:ss', {
			zone: ACCOUNT_ZONE,
		}).toMillis();
	/** Lead 1001 and its zone, as the bundled data places its number. */
	const lead = () => {
		const record = sandbox.convoso.leads().find((candidate) => candidate.id === 1001)!;
		const callee = resolveCallee({ phone: `+1${record.phone_number}` })!;
		expect(callee.zones).toHaveLength(1);
		return { phone: record.phone_number, zone: callee.zones[0] };
	};
	const create = (extra: Record<string, unknown>) =>
		run({
			resource: 'callback',
			operation: 'create',
			leadId: '1001',
			recipient: 'system',
			timeZone: 'Asia/Kolkata',
			...extra,
		});

	it("refuses a create at 06:00 at the lead's, after reading only the lead", async () => {
		const { phone, zone } = lead();
		const at = DateTime.fromISO('2026-09-02T06:00', { zone });
		const before = sandbox.convoso.callbacks().length;
		const result = await create({ callbackTime: at.setZone('Asia/Kolkata').toISO() });
		expect(result.error?.message).toContain(`it would ring at Wed 2026-09-02 06:00 in ${zone}`);
		expect(result.error?.message).toContain('US federal');
		const requests = convosoRequests();
		expect(requests.map((request) => request.route)).toEqual(['/v1/leads/search']);
		expect(requests[0].form).toMatchObject({ lead_id: '1001', limit: '1' });
		expect(sandbox.convoso.callbacks()).toHaveLength(before);
		expect(phone).toMatch(/^\d{10}$/);
	});

	it('moves it to 08:00 at the lead’s, sent in the Time Zone given, and says so', async () => {
		const { zone } = lead();
		const asked = DateTime.fromISO('2026-09-02T06:00', { zone });
		const allowed = DateTime.fromISO('2026-09-02T08:00', { zone });
		const result = await create({
			callbackTime: asked.setZone('Asia/Kolkata').toFormat("yyyy-MM-dd'T'HH:mm"),
			callingHours: 'move',
		});
		expect(result.error).toBeUndefined();
		const insert = convosoRequests().find((request) => request.route === '/v1/callbacks/insert')!;
		const kolkata = allowed.setZone('Asia/Kolkata');
		expect(insert.form).toMatchObject({
			callback_time: kolkata.setLocale('en-US').toFormat('yyyy-MM-dd hh:mm a'),
			callback_time_zone: '+5.30',
		});
		const created = result.items[0].json as { id: number; scheduledAt: string; details: object };
		expect(storedInstant(created.id)).toBe(allowed.toMillis());
		expect(created.scheduledAt).toBe(allowed.toUTC().toISO({ suppressMilliseconds: true }));
		expect(created.details).toMatchObject({
			callingHours: {
				from: asked.toUTC().toISO({ suppressMilliseconds: true }),
				to: allowed.toUTC().toISO({ suppressMilliseconds: true }),
				reason: expect.stringContaining(zone),
			},
		});
	});

	it('sends no lead search when Calling Hours is Off', async () => {
		const result = await create({ callbackTime: '2026-09-02T03:00', callingHours: 'off' });
		expect(result.error).toBeUndefined();
		expect(convosoRequests().map((request) => request.route)).toEqual([
			'/v1/callbacks/insert',
			'/v1/callbacks/search',
		]);
	});

	it("refuses a reschedule to 22:30 at the callback's number (New York) and changes nothing", async () => {
		const callback = sandbox.convoso.addCallback({ phone_number: '2125550142' });
		const result = await run({
			resource: 'callback',
			operation: 'update',
			callbackId: String(callback.id),
			updateFields: { callbackTime: '2026-09-02T22:30', timeZone: 'America/New_York' },
		});
		expect(result.error?.message).toContain(
			"it would ring at Wed 2026-09-02 22:30 in America/New_York (NY), the callee's zone from the phone number",
		);
		expect(convosoRequests().map((request) => request.route)).toEqual(['/v1/callbacks/search']);
		expect(sandbox.convoso.getCallback(callback.id)!.callback_time).toBe(callback.callback_time);
	});

	it('moves a reschedule past a blocked date, in the Callee Time Zone given', async () => {
		const callback = sandbox.convoso.addCallback({ phone_number: '2125550143' });
		const result = await run({
			resource: 'callback',
			operation: 'update',
			callbackId: String(callback.id),
			updateFields: { callbackTime: '2026-12-24T20:30', timeZone: 'America/Los_Angeles' },
			callingHours: 'move',
			callingHoursOptions: { calleeTimeZone: 'America/Los_Angeles', blockedDates: '2026-12-25' },
		});
		expect(result.error).toBeUndefined();
		const update = convosoRequests().find((request) => request.route === '/v1/callbacks/update')!;
		// 20:30 is inside 08:00-21:00 in Los Angeles: not moved.
		expect(update.form).toMatchObject({ callback_time: '2026-12-24 08:30 PM' });
		const late = await run({
			resource: 'callback',
			operation: 'update',
			callbackId: String(callback.id),
			updateFields: { callbackTime: '2026-12-24T21:30', timeZone: 'America/Los_Angeles' },
			callingHours: 'move',
			callingHoursOptions: { calleeTimeZone: 'America/Los_Angeles', blockedDates: '2026-12-25' },
		});
		expect(late.error).toBeUndefined();
		const moved = DateTime.fromISO('2026-12-26T08:00', { zone: 'America/Los_Angeles' });
		expect(storedInstant(callback.id)).toBe(moved.toMillis());
		expect(late.items[0].json).toMatchObject({
			details: { callingHours: { to: moved.toUTC().toISO({ suppressMilliseconds: true }) } },
		});
	});

	it('reads no callback for an update that does not change the time', async () => {
		const callback = sandbox.convoso.addCallback({});
		const result = await run({
			resource: 'callback',
			operation: 'update',
			callbackId: String(callback.id),
			updateFields: { comments: 'no time change' },
		});
		expect(result.error).toBeUndefined();
		expect(convosoRequests().map((request) => request.route)).toEqual([
			'/v1/callbacks/update',
			'/v1/callbacks/search',
		]);
	});
});

describe('Lead → Search', () => {
	it('finds a lead by phone number (any punctuation, with or without +1)', async () => {
		const lead = sandbox.convoso.leads()[7];
		const formatted = `+1 (${lead.phone_number.slice(0, 3)}) ${lead.phone_number.slice(3, 6)}-${lead.phone_number.slice(6)}`;
		const result = await run({
			resource: 'lead',
			operation: 'search',
			limit: 5,
			leadFilters: { phoneNumber: formatted },
		});
		expect(result.error).toBeUndefined();
		expect(convosoRequests()[0]).toMatchObject({
			route: '/v1/leads/search',
			form: expect.objectContaining({ phone_number: lead.phone_number }),
		});
		expect(result.items.map((item) => item.json.id)).toContain(lead.id);
		expect(result.items[0].json.phone).toBe(`+1${lead.phone_number}`);
	});

	it('pages leads 2,000 at a time', async () => {
		const result = await run({
			resource: 'lead',
			operation: 'search',
			returnAll: true,
			leadFilters: {},
		});
		expect(result.items).toHaveLength(sandbox.convoso.leads().length);
		expect(convosoRequests().every((r) => Number(r.form?.limit) <= 2000)).toBe(true);
	});
});

describe('faults and errors', () => {
	const search = { resource: 'callback', operation: 'getMany', limit: 3, filters: {} };

	it.each([
		['a burst of 503s', { type: 'status', status: 503, count: 2 }, 3],
		['a 502 HTML page', { type: 'html', status: 502 }, 2],
		['a 429 with Retry-After 0', { type: 'rate-limit', retryAfter: 0 }, 2],
		['a dropped connection', { type: 'drop' }, 2],
		['a slow answer', { type: 'delay', delayMs: 300 }, 1],
	])('a search survives %s', async (_name, fault, expectedRequests) => {
		sandbox.faults.add({
			provider: 'convoso',
			route: '/v1/callbacks/search',
			...(fault as object),
		} as never);
		const result = await run(search);
		expect(result.error).toBeUndefined();
		expect(result.items).toHaveLength(3);
		expect(convosoRequests()).toHaveLength(expectedRequests);
	});

	it('gives up after the attempt limit with the provider status', async () => {
		sandbox.faults.add({
			provider: 'convoso',
			route: '/v1/callbacks/search',
			type: 'status',
			status: 503,
			count: 10,
		});
		const result = await run(search);
		expect(result.error?.message).toContain('HTTP 503');
		expect(convosoRequests()).toHaveLength(runtime.retryPolicy.maxAttempts);
	});

	it('turns an HTML error page into a short message, not the page', async () => {
		sandbox.faults.add({
			provider: 'convoso',
			route: '/v1/callbacks/search',
			type: 'html',
			status: 500,
		});
		const result = await run(search);
		expect(result.error?.constructor.name).toBe('NodeApiError');
		expect(result.error?.message).toMatch(/HTML page instead of data \(HTTP 500/);
		expect(result.error?.message).not.toMatch(/<html|<body/i);
		expect(convosoRequests()).toHaveLength(1);
	});

	it('reports malformed JSON clearly', async () => {
		sandbox.faults.add({ provider: 'convoso', route: '/v1/callbacks/search', type: 'malformed' });
		const result = await run(search);
		expect(result.error?.message).toBe('Convoso returned malformed JSON');
	});

	it('reports a wrong token without revealing any token', async () => {
		const wrong = 'wrong-token-value-123';
		const result = await run(search, { credentials: credentials({ apiToken: wrong }) });
		expect(result.error?.message).toBe(
			'Convoso rejected the API token ("Invalid (or expired) authentication token")',
		);
		expect(result.error?.description).toMatch(/API token/);
		expect(
			JSON.stringify({ m: result.error?.message, d: result.error?.description }),
		).not.toContain(wrong);
		expectNoSecret(result);
	});

	it('pairs every output with its input and isolates a failing item with Continue On Fail', async () => {
		const target = sandbox.convoso.addCallback();
		const items = [{ id: target.id }, { id: 'not-a-number' }, { id: 1 }];
		const parameters = { resource: 'callback', operation: 'get', callbackId: '={{ $json.id }}' };

		const continued = await run(parameters, { items, continueOnFail: true });
		expect(continued.items.map((item) => item.pairedItem)).toEqual([
			{ item: 0 },
			{ item: 1 },
			{ item: 2 },
		]);
		expect(continued.items[0].json.id).toBe(target.id);
		expect(continued.items[1].json.error).toContain("'Callback'");
		expect(continued.items[1].json.error).toContain('not-a-number');
		expect(continued.items[2].json.id).toBe(1);
		expectNoSecret(continued);
		// The bad item never reached Convoso.
		expect(convosoRequests().map((r) => r.form?.id)).toEqual([String(target.id), '1']);

		const stopped = await run(parameters, { items });
		expect(stopped.error?.message).toContain("'Callback'");
		expect(stopped.error?.context?.itemIndex).toBe(1);
	});
});
