/**
 * Many input items at once (Concurrent Requests): outputs in input order and paired
 * with their inputs, at most that many requests in flight, a rate limit slowing every
 * item down without losing or doubling any, and the error policy unchanged.
 * Checked on what the sandbox receives and on the items n8n gets back.
 */
import { ConvosoApi } from '../../credentials/ConvosoApi.credentials';
import { TalkdeskApi } from '../../credentials/TalkdeskApi.credentials';
import { Convoso } from '../../nodes/Convoso/Convoso.node';
import { Talkdesk } from '../../nodes/Talkdesk/Talkdesk.node';
import { runNode } from '../helpers/run-node';
import { VirtualRuntime } from '../helpers/runtime';
import { startSandbox } from '../sandbox/server';
import type { RecordedRequest, Sandbox } from '../sandbox/server';
import { TALKDESK_CLIENT } from '../sandbox/talkdesk';

let sandbox: Sandbox;
let runtime = new VirtualRuntime();

beforeAll(async () => {
	sandbox = await startSandbox({
		convoso: { callbacks: 0, leads: 50 },
		talkdesk: { callbacks: 0, createEnabled: true },
		// Every answer takes a little while, so requests sent together overlap.
		latencyMs: 25,
	});
});

afterAll(async () => await sandbox.close());

beforeEach(() => {
	runtime = new VirtualRuntime();
	sandbox.clearRequests();
	sandbox.faults.clear();
	sandbox.resetTraffic();
});

/** The offsets of just over 15,000 callbacks' four pages of 5,000, sorted as text. */
const FOUR_PAGES = ['0', '10000', '15000', '5000'];
const offsetsOf = (requests: RecordedRequest[]) =>
	requests.map((request) => request.form!.offset).sort();

/** Convoso Get Many, Return All, raw records, `concurrency` pages at a time. */
const convosoReturnAll = (concurrency: number) =>
	convoso({
		resource: 'callback',
		operation: 'getMany',
		returnAll: true,
		filters: {},
		simplify: false,
		concurrency,
	});

/**
 * Runs `check` against a sandbox holding `callbacks` Convoso callbacks behind a rate
 * limit of 2 requests at once (Retry-After 2 s), then checks that every wait after a
 * 429 honoured its Retry-After.
 */
async function behindRateLimit(callbacks: number, check: () => Promise<void>) {
	const unlimited = sandbox;
	sandbox = await startSandbox({
		convoso: { callbacks, leads: 50 },
		latencyMs: 25,
		rateLimits: { convoso: { maxInFlight: 2, retryAfterSeconds: 2 } },
	});
	try {
		// Waiting is virtual and instant here, so retries come back sooner than on a real
		// clock: more attempts than the default keep the test about order, not timing.
		runtime.retryPolicy = { ...runtime.retryPolicy, maxAttempts: 30, maxTotalMs: 3_600_000 };
		await check();
		expect(runtime.sleeps.length).toBeGreaterThan(0);
		for (const ms of runtime.sleeps) expect(ms).toBeGreaterThanOrEqual(2_000);
	} finally {
		await sandbox.close();
		sandbox = unlimited;
	}
}

const inserts = () =>
	sandbox.requests.filter((request) => request.route === '/v1/callbacks/insert');

/** The Convoso node on `items`, with its credential for the current sandbox. */
function convoso(
	parameters: Record<string, unknown>,
	items: Array<Record<string, unknown>> = [{}],
	continueOnFail = false,
) {
	return runNode({
		nodeType: new Convoso(runtime),
		credentialType: new ConvosoApi(),
		credentials: {
			apiToken: 'sandbox-convoso-token',
			baseUrl: sandbox.baseUrls.convoso,
			accountTimezone: 'America/New_York',
			countryCallingCode: '1',
		},
		parameters: parameters as never,
		items: items as never,
		continueOnFail,
	});
}

/** Creates for the given leads (item n's comment is "item n"), at a fixed instant, Calling Hours off. */
function create(leads: number[], extra: Record<string, unknown> = {}, continueOnFail = false) {
	return convoso(
		{
			resource: 'callback',
			operation: 'create',
			leadId: '={{ $json.lead }}',
			recipient: 'system',
			callbackTime: '2026-09-02T14:00:00Z',
			comments: '={{ "item " + $json.n }}',
			callingHours: 'off',
			...extra,
		},
		leads.map((lead, n) => ({ n, lead })),
		continueOnFail,
	);
}

function createMany(count: number, extra: Record<string, unknown> = {}) {
	return create(
		Array.from({ length: count }, (_, n) => 1001 + (n % 40)),
		{ simplify: false, ...extra },
	);
}

it('creates 24 items 4 at a time: every output in input order and paired, each created once', async () => {
	const result = await createMany(24, { concurrency: 4 });
	expect(result.error).toBeUndefined();
	expect(sandbox.traffic().convoso.maxInFlight).toBe(4);
	expect(inserts()).toHaveLength(24);
	// Each input's comment was created exactly once.
	expect(
		inserts()
			.map((request) => request.form!.comments)
			.sort(),
	).toEqual(Array.from({ length: 24 }, (_, n) => `item ${n}`).sort());
	expect(result.items.map((item) => item.pairedItem)).toEqual(
		Array.from({ length: 24 }, (_, n) => ({ item: n })),
	);
	// The answer of item n is the callback created for item n.
	for (const [n, item] of result.items.entries()) {
		const id = (item.json.data as { callback_id: string }).callback_id;
		expect(sandbox.convoso.getCallback(id)?.comments).toBe(`item ${n}`);
	}
});

it('sends one at a time with Concurrent Requests 1, and refuses 0 before any request', async () => {
	expect((await createMany(6, { concurrency: 1 })).error).toBeUndefined();
	expect(sandbox.traffic().convoso.maxInFlight).toBe(1);
	sandbox.clearRequests();
	const refused = await createMany(3, { concurrency: 0 });
	expect(refused.error?.message).toContain("'Concurrent Requests'");
	expect(sandbox.requests).toHaveLength(0);
});

it('behind a rate limit of 2 at once, 4 at a time: every item retried after Retry-After, none lost or doubled', async () => {
	await behindRateLimit(0, async () => {
		const result = await createMany(16, { concurrency: 4 });
		expect(result.error).toBeUndefined();
		const traffic = sandbox.traffic().convoso;
		expect(traffic.rateLimited).toBeGreaterThan(0);
		expect(traffic.statuses['200']).toBe(16);
		expect(inserts().filter((request) => request.status === 200)).toHaveLength(16);
		expect(sandbox.convoso.callbacks()).toHaveLength(16);
		expect(result.items.map((item) => item.pairedItem)).toEqual(
			Array.from({ length: 16 }, (_, n) => ({ item: n })),
		);
	});
});

it('Continue On Fail: a failing item becomes its error item, in its place, and the others go on', async () => {
	// Lead 99999 does not exist: Convoso answers 6001 for that item only.
	const result = await create([1001, 99999, 1002, 1003, 1004], { concurrency: 4 }, true);
	expect(result.error).toBeUndefined();
	expect(result.items.map((item) => [item.pairedItem, 'error' in item.json])).toEqual([
		[{ item: 0 }, false],
		[{ item: 1 }, true],
		[{ item: 2 }, false],
		[{ item: 3 }, false],
		[{ item: 4 }, false],
	]);
	expect(result.items[1].json).toMatchObject({ code: 6001 });
	expect(result.items.map((item) => item.json.leadId ?? null)).toEqual([
		1001,
		null,
		1002,
		1003,
		1004,
	]);
});

it('without Continue On Fail: no item starts after a failure, and the error names those carried out after it', async () => {
	const result = await create([1001, 99999, 1002, 1003, 1004, 1005, 1006, 1007, 1008, 1009], {
		simplify: false,
		concurrency: 3,
	});
	expect(result.error?.message).toContain('6001');
	// Item 0 ran alone; then items 1, 2 and 3 together; 1 failed, so nothing after 3 started.
	const sent = inserts().map((request) => Number(request.form!.lead_id));
	expect(sent).toEqual(expect.arrayContaining([1001, 99999, 1002, 1003]));
	expect(sent).toHaveLength(4);
	expect(result.error?.description).toContain(
		'Items 2, 3 (0-based), sent at the same time, were carried out',
	);
});

it('Talkdesk: the first item fetches the token alone; the others share it', async () => {
	const ids = sandbox.talkdesk.addCallbacks(8);
	const result = await runNode({
		nodeType: new Talkdesk(runtime),
		credentialType: new TalkdeskApi(),
		credentials: {
			region: 'custom',
			apiBaseUrl: sandbox.baseUrls.talkdesk,
			tokenUrl: sandbox.baseUrls.talkdeskToken,
			clientId: TALKDESK_CLIENT.id,
			clientSecret: TALKDESK_CLIENT.secret,
		},
		parameters: {
			resource: 'callback',
			operation: 'cancel',
			callbackId: '={{ $json.id }}',
			concurrency: 4,
		} as never,
		items: ids.map((id) => ({ id })) as never,
	});
	expect(result.error).toBeUndefined();
	expect(sandbox.requests.filter((request) => request.route === '/id/oauth/token')).toHaveLength(1);
	expect(sandbox.traffic().talkdesk.maxInFlight).toBeGreaterThan(1);
	expect(result.items.map((item) => [item.json.id, item.pairedItem])).toEqual(
		ids.map((id, n) => [id, { item: n }]),
	);
	const deleted = sandbox.requests.filter((request) => request.method === 'DELETE');
	expect(deleted.map((request) => request.route.split('/').at(-1)).sort()).toEqual([...ids].sort());
});

it('Convoso Return All: after page 1 the other pages come together, in the order of one-by-one paging', async () => {
	// With those created above: just over 16,000, four pages of 5,000.
	for (let i = 0; i < 16_000; i++) sandbox.convoso.addCallback({ lead_id: 1001 + (i % 40) });
	const oneByOne = await convosoReturnAll(1);
	expect(sandbox.traffic().convoso.maxInFlight).toBe(1);
	sandbox.resetTraffic();
	sandbox.clearRequests();
	// Answers slower than the sandbox takes to build a page, so requests sent together overlap there.
	sandbox.setLatency(1500);
	const together = await convosoReturnAll(3).finally(() => sandbox.setLatency(25));
	expect(together.error).toBeUndefined();
	// Four pages of 5,000: the first alone, then the other three at once.
	expect(sandbox.traffic().convoso).toMatchObject({ requests: 4, maxInFlight: 3 });
	expect(offsetsOf(sandbox.requests)).toEqual(FOUR_PAGES);
	expect(together.items.map((item) => item.json.id)).toEqual(
		oneByOne.items.map((item) => item.json.id),
	);
	expect(together.items).toHaveLength(sandbox.convoso.callbacks().length);
});

it('Convoso Return All behind a rate limit of 2 at once, 3 pages at a time: each page is read once, in order, after Retry-After', async () => {
	await behindRateLimit(16_000, async () => {
		const oneByOne = await convosoReturnAll(1);
		expect(sandbox.traffic().convoso.rateLimited).toBe(0);
		sandbox.resetTraffic();
		sandbox.clearRequests();
		// Answers slower than the sandbox takes to build a page, so the pages sent together meet the limit.
		sandbox.setLatency(1500);
		const together = await convosoReturnAll(3);
		expect(together.error).toBeUndefined();
		const traffic = sandbox.traffic().convoso;
		expect(traffic.rateLimited).toBeGreaterThan(0);
		// Four pages of 5,000, each answered once: the 429s were retried, not multiplied into pages read twice.
		expect(traffic.statuses['200']).toBe(4);
		const answered = sandbox.requests.filter((request) => request.status === 200);
		expect(offsetsOf(answered)).toEqual(FOUR_PAGES);
		expect(together.items.map((item) => item.json.id)).toEqual(
			oneByOne.items.map((item) => item.json.id),
		);
	});
});
