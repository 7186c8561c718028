/**
 * The Talkdesk node against the sandbox, through n8n-core's real request path: the
 * credential's token fetch (preAuthentication) and its renewal on 401, the requests
 * Talkdesk receives for every operation and filter, and the items n8n gets back.
 */
import { TalkdeskApi } from '../../credentials/TalkdeskApi.credentials';
import { RELEASED_CLAIM } from '../../nodes/shared/renewal';
import { CLAIM_SETTLE_MS } from '../../nodes/shared/transport';
import { Talkdesk } from '../../nodes/Talkdesk/Talkdesk.node';
import { runNode } from '../helpers/run-node';
import type { RunNodeResult } from '../helpers/run-node';
import { VirtualRuntime } from '../helpers/runtime';
import { startSandbox } from '../sandbox/server';
import type { RecordedRequest, Sandbox } from '../sandbox/server';
import { TALKDESK_CLIENT, TALKDESK_CLIENT_NO_READ } from '../sandbox/talkdesk';
import type { TalkdeskCallback } from '../sandbox/talkdesk';

const DEFAULT_SCOPES = 'schedule-callbacks:read schedule-callbacks:write callback:write';
const NOW = Date.parse('2026-06-01T12:00:00Z');

let sandbox: Sandbox;
/** Retries wait on a virtual clock: no test sleeps. */
let runtime = new VirtualRuntime(NOW);

beforeAll(async () => {
	sandbox = await startSandbox({ talkdesk: { callbacks: 60 }, now: () => NOW });
});

afterAll(async () => {
	await sandbox.close();
});

beforeEach(() => {
	runtime = new VirtualRuntime(NOW);
	sandbox.clearRequests();
	sandbox.faults.clear();
	sandbox.talkdesk.legacyShape = false;
	sandbox.talkdesk.createEnabled = true;
});

type Credentials = Record<string, unknown>;

function credentialsFor(client = TALKDESK_CLIENT, extra: Credentials = {}): Credentials {
	return {
		region: 'custom',
		apiBaseUrl: sandbox.baseUrls.talkdesk,
		tokenUrl: sandbox.baseUrls.talkdeskToken,
		clientId: client.id,
		clientSecret: client.secret,
		scopes: DEFAULT_SCOPES,
		...extra,
	};
}

async function run(
	parameters: Record<string, unknown>,
	options: {
		items?: Array<Record<string, unknown>>;
		continueOnFail?: boolean;
		credentials?: Credentials;
		on?: Sandbox;
	} = {},
): Promise<RunNodeResult> {
	return await runNode({
		nodeType: new Talkdesk(runtime),
		credentialType: new TalkdeskApi(),
		credentials: (options.credentials ?? credentialsFor()) as never,
		parameters: { resource: 'callback', ...parameters } as never,
		items: options.items as never,
		continueOnFail: options.continueOnFail,
	});
}

function apiRequests(on: Sandbox = sandbox): RecordedRequest[] {
	return on.requests.filter((r) => r.provider === 'talkdesk' && r.route.startsWith('/api/'));
}

function tokenRequests(on: Sandbox = sandbox): RecordedRequest[] {
	return on.requests.filter((r) => r.provider === 'talkdesk' && r.route === '/id/oauth/token');
}

/** No secret in anything n8n keeps: items, error message and description. */
function expectNoSecrets(result: RunNodeResult, ...secrets: string[]) {
	const text = JSON.stringify({
		items: result.items,
		error: result.error && {
			message: result.error.message,
			description: result.error.description,
		},
	});
	for (const secret of secrets) expect(text).not.toContain(secret);
}

const isoSeconds = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

function pending(): TalkdeskCallback[] {
	return sandbox.talkdesk
		.callbacks()
		.filter((c) => c.status === 'UNATTEMPTED' || c.status === 'TO_BE_RETRIED');
}

describe('credential: the token', () => {
	it('is fetched once with HTTP Basic client auth and a form body, and sent as a Bearer token', async () => {
		const credentials = credentialsFor();
		const result = await run({ operation: 'getMany', limit: 5 }, { credentials });
		expect(result.error).toBeUndefined();
		const [token] = tokenRequests();
		expect(tokenRequests()).toHaveLength(1);
		expect(token.method).toBe('POST');
		expect(token.headers.authorization).toBe(
			`Basic ${Buffer.from(`${TALKDESK_CLIENT.id}:${TALKDESK_CLIENT.secret}`).toString('base64')}`,
		);
		expect(token.headers['content-type']).toContain('application/x-www-form-urlencoded');
		expect(token.form).toEqual({ grant_type: 'client_credentials', scope: DEFAULT_SCOPES });
		const [list] = apiRequests();
		expect(list.headers.authorization).toBe(`Bearer ${credentials.accessToken as string}`);
		expect(credentials.accessToken).toMatch(/^td_at_/);
		expectNoSecrets(result, TALKDESK_CLIENT.secret, credentials.accessToken as string);
	});

	it('is fetched again once when Talkdesk says it expired, and the listing completes', async () => {
		const credentials = credentialsFor();
		expect((await run({ operation: 'getMany', limit: 1 }, { credentials })).error).toBeUndefined();
		const stale = credentials.accessToken as string;
		sandbox.talkdesk.expireTokens();
		sandbox.clearRequests();

		const result = await run({ operation: 'getMany', returnAll: true }, { credentials });
		expect(result.error).toBeUndefined();
		expect(result.items).toHaveLength(sandbox.talkdesk.callbacks().length);
		expect(tokenRequests()).toHaveLength(1);
		const auths = apiRequests().map((r) => r.headers.authorization);
		expect(auths[0]).toBe(`Bearer ${stale}`);
		expect(auths.slice(1)).toEqual(
			auths.slice(1).map(() => `Bearer ${credentials.accessToken as string}`),
		);
		expect(credentials.accessToken).not.toBe(stale);
	});

	it('the first token is claimed in the credential before it is fetched (queue mode: one process fetches), without a request', async () => {
		const credentials = credentialsFor();
		const result = await run({ operation: 'getMany', limit: 5 }, { credentials });
		expect(result.error).toBeUndefined();
		// Recording the claim sent nothing: one token request, one listing.
		expect(sandbox.requests.filter((r) => r.provider === 'talkdesk')).toHaveLength(2);
		expect(runtime.sleeps).toEqual([CLAIM_SETTLE_MS]);
		// The token stored with it settled the claim.
		expect(credentials.accessToken).toMatch(/^td_at_/);
		expect(credentials.renewalClaim).toBe('');
	});

	it('a token fetch that fails releases its claim, so the next attempt anywhere does not wait', async () => {
		const wrong = 'not-the-secret-XYZ-123';
		const credentials = credentialsFor({ ...TALKDESK_CLIENT, secret: wrong });
		const result = await run({ operation: 'getMany', limit: 5 }, { credentials });
		expect(result.error?.message).toContain('invalid_client');
		expect(credentials.renewalClaim).toBe(RELEASED_CLAIM);
		expect(credentials.accessToken).toBe('');
	});

	it('a wrong client secret fails with a clear message before any API request, without the secret', async () => {
		const wrong = 'not-the-secret-XYZ-123';
		const result = await run(
			{ operation: 'getMany', limit: 5 },
			{ credentials: credentialsFor({ ...TALKDESK_CLIENT, secret: wrong }) },
		);
		expect(result.error?.message).toContain('invalid_client');
		expect(apiRequests()).toHaveLength(0);
		expectNoSecrets(result, wrong);
	});

	it('a client without the read scope gets a 403 that names the scope', async () => {
		const result = await run(
			{ operation: 'getMany', limit: 5 },
			{ credentials: credentialsFor(TALKDESK_CLIENT_NO_READ) },
		);
		expect(result.error).toMatchObject({ httpCode: '403' });
		expect(result.error?.message).toContain('schedule-callbacks:read');
		expect(result.error?.context?.providerCode).toBe('0532003');
	});
});

describe('Callback → Get Many', () => {
	it('sends every filter as Talkdesk names it, with per_page set to the limit', async () => {
		const target = pending()[0];
		const result = await run({
			operation: 'getMany',
			limit: 20,
			filters: {
				agentIds: ` ${target.agents[0].agent_id} , other-agent `,
				teamIds: 'team-a,team-b',
				ringGroups: 'Sales, Support',
				campaignId: 'camp-1',
				contactId: 'contact-1',
				recordId: 'record-1',
				phoneNumber: '+1 (415) 555-0123',
				statuses: ['UNATTEMPTED', 'TO_BE_RETRIED'],
				fromCallTypes: ['INBOUND'],
				nextTimeToCallFrom: '2026-06-01T09:00:00',
				nextTimeToCallTo: '2026-06-02T09:00:00Z',
				dueBy: '2026-06-03T00:00:00+05:30',
				originalTimeToCall: '2026-06-01T10:00:00Z',
			},
		});
		expect(result.error).toBeUndefined();
		const [request] = apiRequests();
		expect(request).toMatchObject({ method: 'GET', route: '/api/schedule-callbacks' });
		// The workflow's zone (n8n's default, America/New_York) reads a time without an offset.
		expect(request.query).toEqual({
			agent_id: `${target.agents[0].agent_id},other-agent`,
			team_id: 'team-a,team-b',
			ring_group: 'Sales,Support',
			campaign_id: 'camp-1',
			contact_id: 'contact-1',
			record_id: 'record-1',
			phone_number: '+14155550123',
			status: 'UNATTEMPTED,TO_BE_RETRIED',
			from_call_type: 'INBOUND',
			start_time: '2026-06-01T13:00:00Z',
			end_time: '2026-06-02T09:00:00Z',
			next_time_to_call_end: '2026-06-02T18:30:00Z',
			time_to_call: '2026-06-01T10:00:00Z',
			page: '1',
			per_page: '20',
		});
	});

	it('returns normalized callbacks with the status vocabulary mapped', async () => {
		const result = await run({ operation: 'getMany', returnAll: true });
		expect(result.error).toBeUndefined();
		const all = sandbox.talkdesk.callbacks();
		expect(result.items.map((item) => item.json.id)).toEqual(all.map((c) => c.id));
		const byStatus = new Map(
			result.items.map((item) => [item.json.providerStatus, item.json.status]),
		);
		expect(Object.fromEntries(byStatus)).toMatchObject({
			SUCCESS: 'completed',
			CANCELED: 'cancelled',
			EXHAUSTED: 'failed',
			INVALID_NUMBER: 'failed',
		});
		const retried = all.find((c) => c.status === 'TO_BE_RETRIED')!;
		const item = result.items.find((i) => i.json.id === retried.id)!.json;
		expect(item).toMatchObject({
			provider: 'talkdesk',
			status: Date.parse(retried.next_time_to_call!) < NOW ? 'past_due' : 'scheduled',
			scheduledAt: retried.next_time_to_call,
			timezone: retried.timezone,
			phone: retried.phone_number,
			agentId: retried.agent_id,
			campaignId: retried.campaign_id,
			leadId: retried.record_id,
			contactId: retried.contact_id,
			details: expect.objectContaining({
				retryAttempts: retried.current_retry_attempts,
				assignType: retried.assign_type,
			}),
		});
		expect(
			result.items.every((i) => i.pairedItem && (i.pairedItem as { item: number }).item === 0),
		).toBe(true);
	});

	it('Return All reads pages of 500, a few at a time, and stops exactly at the last page', async () => {
		const big = await startSandbox({ talkdesk: { callbacks: 0 }, now: () => NOW });
		try {
			big.talkdesk.addCallbacks(1_203, (index) => ({
				next_time_to_call: isoSeconds(NOW + (index + 1) * 60_000),
			}));
			const result = await runNode({
				nodeType: new Talkdesk(runtime),
				credentialType: new TalkdeskApi(),
				credentials: {
					...credentialsFor(),
					apiBaseUrl: big.baseUrls.talkdesk,
					tokenUrl: big.baseUrls.talkdeskToken,
				} as never,
				parameters: { resource: 'callback', operation: 'getMany', returnAll: true } as never,
			});
			expect(result.error).toBeUndefined();
			const lists = apiRequests(big);
			expect(lists.map((r) => [r.query.page, r.query.per_page]).sort()).toEqual([
				['1', '500'],
				['2', '500'],
				['3', '500'],
			]);
			const ids = result.items.map((item) => item.json.id);
			expect(ids).toEqual(big.talkdesk.callbacks().map((c) => c.id));
			expect(new Set(ids).size).toBe(1_203);
		} finally {
			await big.close();
		}
	});

	it('reads the older answer shape (total_page, an _embedded array) the same way', async () => {
		sandbox.talkdesk.legacyShape = true;
		const result = await run({ operation: 'getMany', returnAll: true });
		expect(result.error).toBeUndefined();
		expect(result.items.map((item) => item.json.id)).toEqual(
			sandbox.talkdesk.callbacks().map((c) => c.id),
		);
	});

	it('fails clearly, without returning a cut list, when more match than Talkdesk can page through', async () => {
		sandbox.faults.add({
			provider: 'talkdesk',
			route: '/api/schedule-callbacks',
			type: 'status',
			status: 200,
			body: {
				total: 250_001,
				total_pages: 501,
				page: 1,
				per_page: 500,
				count: 0,
				_embedded: { callbacks: [] },
			},
		});
		const result = await run({ operation: 'getMany', returnAll: true });
		expect(result.error?.message).toContain('250001');
		expect(result.error?.message).toContain('more than its API can list');
		expect(result.error?.description).toContain('Narrow');
		expect(apiRequests()).toHaveLength(1);
	});

	it('rejects bad filters before any request, naming the field', async () => {
		const cases: Array<[Record<string, unknown>, string]> = [
			[{ phoneNumber: '4155550123' }, 'Phone Number'],
			[{ statuses: ['SCHEDULED'] }, 'Statuses'],
			[{ nextTimeToCallFrom: 'tomorrow' }, 'Next Time To Call From'],
			[
				{ nextTimeToCallFrom: '2026-06-02T00:00:00Z', nextTimeToCallTo: '2026-06-01T00:00:00Z' },
				'Next Time To Call To',
			],
			[{ agentIds: 'agent one' }, 'Agent IDs'],
		];
		for (const [filters, field] of cases) {
			const result = await run({ operation: 'getMany', filters });
			expect(result.error?.name).toBe('NodeOperationError');
			expect(result.error?.description).toContain(`'${field}'`);
		}
		expect(apiRequests()).toHaveLength(0);
	});

	it('retries a 503 on a read, and turns an HTML error page into a clear error', async () => {
		sandbox.faults.add({
			provider: 'talkdesk',
			route: '/api/schedule-callbacks',
			type: 'status',
			status: 503,
		});
		const retried = await run({ operation: 'getMany', limit: 5 });
		expect(retried.error).toBeUndefined();
		expect(apiRequests()).toHaveLength(2);
		// The first token's claim settling (see renewal.ts), then one retry.
		expect(runtime.sleeps).toEqual([CLAIM_SETTLE_MS, expect.any(Number)]);

		sandbox.faults.add({
			provider: 'talkdesk',
			route: '/api/schedule-callbacks',
			type: 'html',
			status: 404,
		});
		const html = await run({ operation: 'getMany', limit: 5 });
		expect(html.error?.message).toContain('HTML page');
	});
});

describe('Callback → Get', () => {
	it('reads /schedule-callbacks/{id}, not the self link', async () => {
		const target = sandbox.talkdesk.callbacks()[3];
		const result = await run({
			operation: 'get',
			callbackId: { __rl: true, mode: 'id', value: target.id },
		});
		expect(result.error).toBeUndefined();
		expect(apiRequests().map((r) => `${r.method} ${r.route}`)).toEqual([
			`GET /api/schedule-callbacks/${target.id}`,
		]);
		expect(result.items[0].json).toMatchObject({ id: target.id, provider: 'talkdesk' });
	});

	it('an unknown id is a NodeApiError with Talkdesk’s code; with Continue On Fail the other items go on', async () => {
		const known = sandbox.talkdesk.callbacks()[0];
		const result = await run(
			{ operation: 'get', callbackId: '={{ $json.id }}' },
			{
				items: [{ id: known.id }, { id: 'no-such-callback' }, { id: known.id }],
				continueOnFail: true,
			},
		);
		expect(result.items.map((i) => [i.json.id ?? i.json.error, i.pairedItem])).toEqual([
			[known.id, { item: 0 }],
			[expect.stringContaining('Not found'), { item: 1 }],
			[known.id, { item: 2 }],
		]);
		expect(result.items[1].json).toMatchObject({ httpCode: '404', code: '0532002' });
	});
});

describe('Callback → Create (Preview)', () => {
	it('sends the time in UTC with the customer’s zone, and the assignees the type needs', async () => {
		const result = await run({
			operation: 'create',
			phoneNumber: '+977 9812345678',
			callbackTime: '2026-06-02T09:15:00',
			timeZone: 'Asia/Kathmandu',
			assignType: 'SPECIFIC_AGENT',
			agentIds: 'agent-1, agent-2',
			callerId: '+18005550100',
			additionalFields: { notes: 'Wants the renewal price', interactionId: 'int-9' },
		});
		expect(result.error).toBeUndefined();
		const [request] = apiRequests();
		expect(request).toMatchObject({ method: 'POST', route: '/api/schedule-callbacks' });
		expect(request.headers['content-type']).toContain('application/json');
		// 09:15 in Kathmandu (+5:45) is 03:30 UTC.
		expect(request.json).toEqual({
			phone_number: '+9779812345678',
			scheduled_time_to_call: '2026-06-02T03:30:00Z',
			timezone: 'Asia/Kathmandu',
			assign_type: 'SPECIFIC_AGENT',
			agents: [{ agent_id: 'agent-1' }, { agent_id: 'agent-2' }],
			caller_id: '+18005550100',
			dialing_model: 'PREVIEW',
			notes: 'Wants the renewal price',
			interaction_id: 'int-9',
		});
		expect(result.items[0].json).toMatchObject({
			provider: 'talkdesk',
			status: 'scheduled',
			scheduledAt: '2026-06-02T03:30:00Z',
			timezone: 'Asia/Kathmandu',
			phone: '+9779812345678',
		});
	});

	it.each([
		['America/St_Johns', '2026-11-01T01:30:00', '2026-11-01T04:00:00Z'], // fall back: the first 01:30 (NDT, -2:30)
		['Australia/Lord_Howe', '2026-10-04T03:00:00', '2026-10-03T16:00:00Z'], // after the 30-minute spring forward (+11)
		['Asia/Kolkata', '2026-06-02T14:30:00', '2026-06-02T09:00:00Z'],
	])('reads a wall-clock time in %s', async (zone, wall, utc) => {
		const result = await run({
			operation: 'create',
			phoneNumber: '+14155550123',
			callbackTime: wall,
			timeZone: zone,
			assignType: 'ANY_ELIGIBLE_AGENT',
			callerId: '+18005550100',
			// Night-time instants on purpose: the time conversion is under test here.
			callingHours: 'off',
		});
		expect(result.error).toBeUndefined();
		expect(apiRequests()[0].json).toMatchObject({ scheduled_time_to_call: utc, timezone: zone });
	});

	it('rejects bad input before any request, naming the field', async () => {
		const base = {
			operation: 'create',
			phoneNumber: '+14155550123',
			callbackTime: '2026-06-02T10:00:00Z',
			timeZone: 'UTC',
			assignType: 'ANY_ELIGIBLE_AGENT',
			callerId: '+18005550100',
		};
		const cases: Array<[Record<string, unknown>, string]> = [
			[{ phoneNumber: '555-0123' }, 'Phone Number'],
			[{ callbackTime: '2026-05-31T10:00:00Z' }, 'Callback Time'], // in the past
			[{ callbackTime: '2026-10-04T02:15:00', timeZone: 'Australia/Lord_Howe' }, 'Callback Time'], // DST gap
			[{ timeZone: 'Mars/Olympus' }, 'Time Zone'],
			[{ assignType: 'SPECIFIC_AGENT', agentIds: ' ' }, 'Agent IDs'],
			[{ assignType: 'SPECIFIC_RING_GROUP', ringGroups: '' }, 'Ring Groups'],
			[{ callerId: '' }, 'Caller ID'],
		];
		for (const [change, field] of cases) {
			const result = await run({ ...base, ...change });
			expect(result.error?.name).toBe('NodeOperationError');
			expect(result.error?.description).toContain(`'${field}'`);
		}
		expect(apiRequests()).toHaveLength(0);
	});

	it('says when the account does not have the Preview', async () => {
		sandbox.talkdesk.createEnabled = false;
		const result = await run({
			operation: 'create',
			phoneNumber: '+14155550123',
			callbackTime: '2026-06-02T10:00:00Z',
			timeZone: 'UTC',
			assignType: 'ANY_ELIGIBLE_AGENT',
			callerId: '+18005550100',
		});
		expect(result.error?.message).toContain('no callback creation by API');
		expect(result.error?.description).toContain('Preview');
	});

	it('is not repeated after a 502 and says to check before running it again', async () => {
		sandbox.faults.add({
			provider: 'talkdesk',
			route: '/api/schedule-callbacks',
			method: 'POST',
			type: 'status',
			status: 502,
			afterProcessing: true,
		});
		const before = sandbox.talkdesk.callbacks().length;
		const result = await run({
			operation: 'create',
			phoneNumber: '+14155550123',
			callbackTime: '2026-06-02T10:00:00Z',
			timeZone: 'UTC',
			assignType: 'ANY_ELIGIBLE_AGENT',
			callerId: '+18005550100',
		});
		expect(result.error?.description).toContain('may have carried it out');
		expect(apiRequests()).toHaveLength(1);
		expect(sandbox.talkdesk.callbacks()).toHaveLength(before + 1);
	});
});

describe('Callback → Update', () => {
	it('sends JSON Patch replace operations for the fields set only', async () => {
		const target = sandbox.talkdesk.addCallback({ timezone: 'Asia/Kolkata' });
		const result = await run({
			operation: 'update',
			callbackId: target.id,
			updateFields: {
				callbackTime: '2026-06-03T14:30:00',
				timeZone: 'Asia/Kolkata',
				phoneNumber: '+91 98765 43210',
				assignType: 'SPECIFIC_RING_GROUP',
				ringGroups: 'Renewals',
			},
		});
		expect(result.error).toBeUndefined();
		const [request] = apiRequests();
		expect(request).toMatchObject({
			method: 'PATCH',
			route: `/api/schedule-callbacks/${target.id}`,
		});
		expect(request.headers['content-type']).toContain('application/json');
		expect(request.json).toEqual([
			{ op: 'replace', path: '/timeToCall', value: '2026-06-03T09:00:00Z' },
			{ op: 'replace', path: '/timezone', value: 'Asia/Kolkata' },
			{ op: 'replace', path: '/phoneNumber', value: '+919876543210' },
			{ op: 'replace', path: '/assignType', value: 'SPECIFIC_RING_GROUP' },
			{ op: 'replace', path: '/ringGroups', value: ['Renewals'] },
		]);
		expect(result.items[0].json).toMatchObject({
			id: target.id,
			scheduledAt: '2026-06-03T09:00:00Z',
			phone: '+919876543210',
			details: expect.objectContaining({ ringGroups: ['Renewals'] }),
		});
	});

	it('reschedules a wall-clock time in the callback’s own zone, read from Talkdesk first', async () => {
		const target = sandbox.talkdesk.addCallback({ timezone: 'America/St_Johns' });
		const result = await run({
			operation: 'update',
			callbackId: target.id,
			updateFields: { callbackTime: '2026-06-02T09:00:00' },
		});
		expect(result.error).toBeUndefined();
		expect(apiRequests().map((r) => r.method)).toEqual(['GET', 'PATCH']);
		// 09:00 NDT (-2:30) is 11:30 UTC.
		expect(apiRequests()[1].json).toEqual([
			{ op: 'replace', path: '/timeToCall', value: '2026-06-02T11:30:00Z' },
		]);
		expect(sandbox.talkdesk.getCallback(target.id)?.next_time_to_call).toBe('2026-06-02T11:30:00Z');
	});

	it('needs at least one field, and lists Talkdesk’s field errors', async () => {
		const target = sandbox.talkdesk.addCallback();
		const none = await run({ operation: 'update', callbackId: target.id, updateFields: {} });
		expect(none.error?.description).toContain("'Update Fields'");
		expect(apiRequests()).toHaveLength(0);

		const finished = sandbox.talkdesk.callbacks().find((c) => c.status === 'SUCCESS')!;
		const refused = await run({
			operation: 'update',
			callbackId: finished.id,
			updateFields: { assignType: 'ANY_ELIGIBLE_AGENT' },
		});
		expect(refused.error).toMatchObject({ httpCode: '400' });
		expect(refused.error?.context?.providerCode).toBe('0532006');
		expect(refused.error?.description).toContain('status');
	});
});

describe('Callback → Cancel', () => {
	it('sends DELETE, accepts 204 without a body, and says which callback it cancelled', async () => {
		const target = sandbox.talkdesk.addCallback();
		const result = await run({ operation: 'cancel', callbackId: target.id });
		expect(result.error).toBeUndefined();
		expect(apiRequests().map((r) => `${r.method} ${r.route}`)).toEqual([
			`DELETE /api/schedule-callbacks/${target.id}`,
		]);
		expect(result.items.map((i) => i.json)).toEqual([
			{ id: target.id, provider: 'talkdesk', cancelled: true },
		]);
		expect(sandbox.talkdesk.getCallback(target.id)?.status).toBe('CANCELED');
	});
});

describe('Callback → Dispatch Now', () => {
	it('posts the numbers and context to /calls/callback', async () => {
		const before = sandbox.talkdesk.dispatches().length;
		const result = await run({
			operation: 'dispatch',
			callingHours: 'off',
			talkdeskPhoneNumber: '+18005550100',
			contactPhoneNumber: '+44 20 7946 0123',
			context: { fields: [{ name: 'reason', value: 'renewal' }] },
		});
		expect(result.error).toBeUndefined();
		const [request] = apiRequests();
		expect(request).toMatchObject({ method: 'POST', route: '/api/calls/callback' });
		expect(request.json).toEqual({
			talkdesk_phone_number: '+18005550100',
			contact_phone_number: '+442079460123',
			context: { fields: [{ name: 'reason', value: 'renewal' }] },
		});
		expect(result.items[0].json).toMatchObject({
			provider: 'talkdesk',
			dispatched: true,
			contactPhoneNumber: '+442079460123',
		});
		expect(sandbox.talkdesk.dispatches()).toHaveLength(before + 1);
	});

	it('waits out load shedding as Talkdesk asks, then dispatches once', async () => {
		sandbox.talkdesk.shedLoad(1, 7);
		const before = sandbox.talkdesk.dispatches().length;
		const result = await run({
			operation: 'dispatch',
			callingHours: 'off',
			talkdeskPhoneNumber: '+18005550100',
			contactPhoneNumber: '+14155550123',
		});
		expect(result.error).toBeUndefined();
		expect(apiRequests()).toHaveLength(2);
		// The first token's claim settling, then at least the 7 s Talkdesk asked for
		// (plus the transport's jitter).
		expect(runtime.sleeps).toEqual([CLAIM_SETTLE_MS, expect.any(Number)]);
		expect(runtime.sleeps[1]).toBeGreaterThanOrEqual(7000);
		expect(sandbox.talkdesk.dispatches()).toHaveLength(before + 1);
	});

	it('is never repeated when the connection drops, and says to check first', async () => {
		sandbox.faults.add({
			provider: 'talkdesk',
			route: '/api/calls/callback',
			type: 'drop',
			afterProcessing: true,
		});
		const result = await run({
			operation: 'dispatch',
			callingHours: 'off',
			talkdeskPhoneNumber: '+18005550100',
			contactPhoneNumber: '+14155550123',
		});
		expect(result.error?.description).toContain('may have carried it out');
		expect(apiRequests()).toHaveLength(1);
	});

	it('names callback:write when the client lacks it', async () => {
		const result = await run(
			{
				operation: 'dispatch',
				callingHours: 'off',
				talkdeskPhoneNumber: '+18005550100',
				contactPhoneNumber: '+14155550123',
			},
			{ credentials: credentialsFor(TALKDESK_CLIENT, { scopes: 'schedule-callbacks:read' }) },
		);
		expect(result.error?.message).toContain('"callback:write"');
	});
});

describe('calling hours', () => {
	const base = {
		operation: 'create',
		phoneNumber: '+13055550123', // Florida: 08:00-20:00
		timeZone: 'America/New_York',
		assignType: 'ANY_ELIGIBLE_AGENT',
		callerId: '+18005550100',
	};

	it('refuse a create at 07:30 in the callee’s zone, before any request, saying why', async () => {
		const result = await run({ ...base, callbackTime: '2026-06-02T07:30:00' });
		expect(result.error?.message).toBe(
			"Outside calling hours: it would ring at Tue 2026-06-02 07:30 in America/New_York, the callee's zone from the provider; allowed: Florida (Fla. Stat. 501.616): 08:00-20:00",
		);
		expect(apiRequests()).toHaveLength(0);
	});

	it('move it to the next allowed time when asked, and say so in the output', async () => {
		const result = await run({
			...base,
			callbackTime: '2026-06-02T20:30:00',
			callingHours: 'move',
		});
		expect(result.error).toBeUndefined();
		// 08:00 EDT the next morning is 12:00 UTC.
		expect(apiRequests()[0].json).toMatchObject({ scheduled_time_to_call: '2026-06-03T12:00:00Z' });
		expect(result.items[0].json.details).toMatchObject({
			callingHours: {
				from: '2026-06-03T00:30:00Z',
				to: '2026-06-03T12:00:00Z',
				reason: expect.stringContaining('Florida'),
			},
		});
	});

	it('read the callee’s zone from Talkdesk for a reschedule, and take custom rules and blocked dates', async () => {
		const target = sandbox.talkdesk.addCallback({
			timezone: 'Asia/Kolkata',
			phone_number: '+919812345678',
		});
		const custom = {
			callingHours: 'move',
			callingHoursOptions: {
				ruleSet: 'custom',
				windowStart: '10:00',
				windowEnd: '17:00',
				days: [1, 2, 3, 4, 5],
				blockedDates: '2026-06-03',
			},
		};
		const result = await run({
			operation: 'update',
			callbackId: target.id,
			updateFields: { callbackTime: '2026-06-02T18:00:00' },
			...custom,
		});
		expect(result.error).toBeUndefined();
		expect(apiRequests().map((r) => r.method)).toEqual(['GET', 'PATCH']);
		// 18:00 Tuesday is after 17:00; Wednesday is blocked; Thursday 10:00 IST is 04:30 UTC.
		expect(apiRequests()[1].json).toEqual([
			{ op: 'replace', path: '/timeToCall', value: '2026-06-04T04:30:00Z' },
		]);
	});

	it('refuse a dispatch at night; Dispatch Now cannot move', async () => {
		const result = await run({
			operation: 'dispatch',
			talkdeskPhoneNumber: '+18005550100',
			contactPhoneNumber: '+14155550123', // 05:00 in San Francisco
		});
		expect(result.error?.message).toContain('Outside calling hours');
		expect(result.error?.message).toContain('America/Los_Angeles');
		expect(apiRequests()).toHaveLength(0);
		const options = new Talkdesk().description.properties.find(
			(p) => p.name === 'callingHours' && p.displayOptions?.show?.operation?.includes('dispatch'),
		)!.options as Array<{ value: string }>;
		expect(options.map((o) => o.value)).toEqual(['refuse', 'off']);
	});

	it('refuse a number whose zone cannot be told, naming what to set', async () => {
		const result = await run({
			operation: 'dispatch',
			talkdeskPhoneNumber: '+18005550100',
			contactPhoneNumber: '+8881234567', // no zone in the data
		});
		expect(result.error?.message).toContain("the callee's time zone cannot be told");
		expect(result.error?.description).toContain('Callee Time Zone');
		expect(apiRequests()).toHaveLength(0);
	});
});

describe('description', () => {
	it('is usable as a tool and offers the same operation names as the other providers', () => {
		const node = new Talkdesk();
		expect(node.description.usableAsTool).toBe(true);
		const operations = node.description.properties.find((p) => p.name === 'operation')!;
		expect((operations.options as Array<{ value: string }>).map((o) => o.value)).toEqual([
			'cancel',
			'create',
			'dispatch',
			'get',
			'getMany',
			'update',
		]);
	});
});
