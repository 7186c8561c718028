/**
 * Tests of the sandbox's Talkdesk module over real HTTP: the client-credentials token
 * endpoint, Bearer tokens (expiry, revocation) and scopes, the seeded data, the HAL list
 * with its paging, filters and validation, get, create (Preview), update (replace
 * operations), cancel, the direct callback with load shedding, the in-process API with
 * big stores, faults and the control API.
 */
import { request as httpRequest } from 'node:http';

import { startSandbox } from '../sandbox/server';
import type { Sandbox } from '../sandbox/server';
import {
	TALKDESK_ACCOUNT_ID,
	TALKDESK_AGENT_IDS,
	TALKDESK_ASSIGN_TYPES,
	TALKDESK_CAMPAIGN_IDS,
	TALKDESK_CLIENT,
	TALKDESK_CLIENT_NO_READ,
	TALKDESK_FROM_CALL_TYPES,
	TALKDESK_NUMBERS,
	TALKDESK_RING_GROUPS,
	TALKDESK_STATUSES,
	TALKDESK_TEAM_IDS,
} from '../sandbox/talkdesk';
import type { TalkdeskCallback, TalkdeskClient } from '../sandbox/talkdesk';
import { readAnswer } from './answer';
import type { Answer } from './answer';

const FIXED_NOW = Date.UTC(2026, 2, 1, 15, 0, 0);
const FIXED_NOW_ISO = '2026-03-01T15:00:00Z';
const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;
const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const HAL = 'application/hal+json';
const SECOND = 1000;
const HOUR = 3_600_000;
const DAY = 86_400_000;

const UNAUTHORIZED = { code: '0011003', message: 'Unauthorized' };
const FORBIDDEN = { code: '0532003', message: 'Insufficient scopes for the requested operation' };
const NOT_FOUND = { code: '0000404', message: 'Not Found' };
const CALLBACK_NOT_FOUND = { code: '0532002', message: 'Schedule callback not found' };
const invalid = (fields: Array<{ name: string; description?: unknown }>) => ({
	code: '0532006',
	message: 'Errors were found in the submitted data',
	fields: fields.map((field) => ({ description: expect.any(String), ...field })),
});

const KEYS: Array<keyof TalkdeskCallback> = [
	'id',
	'callback_id',
	'account_id',
	'interaction_id',
	'root_interaction_id',
	'campaign_id',
	'record_id',
	'record_list_id',
	'record_list_name',
	'phone_number',
	'record_first_name',
	'record_last_name',
	'record_extra_data',
	'caller_id',
	'time_to_call',
	'next_time_to_call',
	'scheduled_time_to_call',
	'timezone',
	'preferred_start_time',
	'preferred_end_time',
	'exclusive_to_agent',
	'agent_id',
	'agents',
	'teams',
	'ring_groups',
	'contact_id',
	'status',
	'assign_type',
	'from_call_type',
	'dialing_model',
	'processed_time',
	'created_at',
	'created_by',
	'notes',
	'current_retry_attempts',
	'current_rescheduled_attempts',
	'max_rescheduled_attempts',
	'_links',
];

const basic = (id: string, secret: string) =>
	`Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;

/** POSTs to the token URL; `authorization: null` sends none. */
async function tokenRequest(
	sandbox: Sandbox,
	options: {
		authorization?: string | null;
		form?: Record<string, string>;
		body?: string;
		contentType?: string;
	} = {},
): Promise<Answer> {
	const authorization =
		options.authorization === undefined
			? basic(TALKDESK_CLIENT.id, TALKDESK_CLIENT.secret)
			: options.authorization;
	const headers: Record<string, string> = {
		'content-type': options.contentType ?? 'application/x-www-form-urlencoded',
	};
	if (authorization !== null) headers.authorization = authorization;
	const body =
		options.body ??
		new URLSearchParams(options.form ?? { grant_type: 'client_credentials' }).toString();
	return readAnswer(await fetch(sandbox.baseUrls.talkdeskToken, { method: 'POST', headers, body }));
}

async function issueToken(
	sandbox: Sandbox,
	client: Pick<TalkdeskClient, 'id' | 'secret'> = TALKDESK_CLIENT,
	scope?: string,
): Promise<string> {
	const answer = await tokenRequest(sandbox, {
		authorization: basic(client.id, client.secret),
		form: { grant_type: 'client_credentials', ...(scope !== undefined && { scope }) },
	});
	expect(answer.status).toBe(200);
	return answer.body.access_token as string;
}

/** Calls an API route (path after the API base URL); `token: null` sends no Authorization. */
async function talkdesk(
	sandbox: Sandbox,
	path: string,
	options: {
		method?: string;
		token: string | null;
		json?: unknown;
		body?: string;
		contentType?: string;
		authorization?: string;
	},
): Promise<Answer> {
	const headers: Record<string, string> = {};
	if (options.authorization !== undefined) headers.authorization = options.authorization;
	else if (options.token !== null) headers.authorization = `Bearer ${options.token}`;
	const body = options.json === undefined ? options.body : JSON.stringify(options.json);
	if (body !== undefined || options.contentType !== undefined) {
		headers['content-type'] = options.contentType ?? 'application/json';
	}
	const response = await fetch(`${sandbox.baseUrls.talkdesk}${path}`, {
		method: options.method ?? 'GET',
		headers,
		body,
	});
	return readAnswer(response);
}

async function control(sandbox: Sandbox, method: string, path: string, body?: unknown) {
	const response = await fetch(`${sandbox.url}/_sandbox${path}`, {
		method,
		headers: body === undefined ? {} : { 'content-type': 'application/json' },
		body: body === undefined ? undefined : JSON.stringify(body),
	});
	return readAnswer(response);
}

const ids = (callbacks: TalkdeskCallback[]) => callbacks.map((cb) => cb.id);
const iso = (ms: number) => `${new Date(ms).toISOString().slice(0, 19)}Z`;
const validCreate = (overrides: Record<string, unknown> = {}) => ({
	phone_number: '+14155550199',
	scheduled_time_to_call: '2026-03-02T10:00:00Z',
	timezone: 'America/Los_Angeles',
	assign_type: 'SPECIFIC_AGENT',
	agents: [{ agent_id: TALKDESK_AGENT_IDS[1] }],
	caller_id: '+18005550100',
	dialing_model: 'PREVIEW',
	...overrides,
});

type CallOptions = Omit<Parameters<typeof talkdesk>[2], 'token'> & { token?: string | null };

describe('Talkdesk sandbox', () => {
	let sandbox: Sandbox;
	let token: string;
	/** An API call, with the test's token unless `token` says otherwise. */
	const api = (path: string, options: CallOptions = {}) =>
		talkdesk(sandbox, path, {
			...options,
			token: options.token === undefined ? token : options.token,
		});
	const list = (query = '') => api(`/schedule-callbacks${query}`, { token });
	/** Every page of a filtered list in one request. */
	const listAll = async (query: string) => {
		const answer = await list(`?per_page=500&${query}`);
		expect(answer.status).toBe(200);
		return answer.body._embedded.callbacks as TalkdeskCallback[];
	};
	const get = (id: string) => api(`/schedule-callbacks/${encodeURIComponent(id)}`, { token });
	const create = (json: unknown) => api('/schedule-callbacks', { method: 'POST', json, token });
	const patch = (id: string, json: unknown, contentType = 'application/json') =>
		api(`/schedule-callbacks/${id}`, { method: 'PATCH', json, contentType, token });
	const cancel = (id: string) => api(`/schedule-callbacks/${id}`, { method: 'DELETE', token });
	const dispatch = (json: unknown) => api('/calls/callback', { method: 'POST', json, token });
	const seeded = () => sandbox.talkdesk.callbacks();

	beforeAll(async () => {
		sandbox = await startSandbox({ seed: 42, now: () => FIXED_NOW });
	});
	afterAll(async () => {
		await sandbox.close();
	});
	beforeEach(async () => {
		token = await issueToken(sandbox);
	});
	afterEach(() => {
		sandbox.faults.clear();
		sandbox.clearRequests();
		sandbox.setNow(undefined);
		sandbox.talkdesk.legacyShape = false;
		sandbox.talkdesk.createEnabled = true;
		sandbox.talkdesk.shedLoad(0);
		sandbox.talkdesk.expireTokensAfter(0);
	});

	describe('seeded data', () => {
		it('seeds 60 callbacks, field for field as documented', () => {
			const callbacks = seeded();
			expect(callbacks).toHaveLength(60);
			for (const cb of callbacks) {
				expect(Object.keys(cb)).toEqual(KEYS);
				expect(cb.id).toMatch(UUID_V4);
				expect(cb.callback_id).toBe(cb.id);
				expect(cb.account_id).toBe(TALKDESK_ACCOUNT_ID);
				expect(cb._links).toEqual({ self: { href: `/callbacks/${cb.id}` } });
				expect(cb.phone_number).toMatch(/^\+[1-9]\d{6,14}$/);
				expect(TALKDESK_NUMBERS).toContain(cb.caller_id);
				for (const time of [cb.time_to_call, cb.next_time_to_call, cb.created_at]) {
					expect(time).toMatch(ISO_UTC);
				}
				expect(cb.scheduled_time_to_call).toBe(cb.time_to_call);
				expect(Math.abs(Date.parse(cb.next_time_to_call) - FIXED_NOW)).toBeLessThanOrEqual(7 * DAY);
				expect(cb.created_at < cb.time_to_call && cb.created_at < FIXED_NOW_ISO).toBe(true);
				expect(cb.preferred_start_time).toMatch(/^2000-01-01T\d{2}:00:00Z$/);
				expect(cb.preferred_end_time! > cb.preferred_start_time!).toBe(true);
				expect(cb.record_extra_data).toEqual({});
				expect(cb.contact_id).toMatch(/^[0-9a-f]{32}$/);
				expect(cb.max_rescheduled_attempts).toBe(3);

				expect(cb.agent_id).toBe(cb.agents[0]?.agent_id ?? null);
				for (const { agent_id } of cb.agents) expect(TALKDESK_AGENT_IDS).toContain(agent_id);
				for (const { team_id } of cb.teams) expect(TALKDESK_TEAM_IDS).toContain(team_id);
				for (const { ring_group } of cb.ring_groups)
					expect(TALKDESK_RING_GROUPS).toContain(ring_group);
				expect(cb.teams.length).toBeGreaterThan(0);
				if (['SPECIFIC_AGENT', 'MYSELF_ONLY', 'MYSELF_IF_AVAILABLE'].includes(cb.assign_type)) {
					expect(cb.agents.length).toBeGreaterThan(0);
				}
				if (cb.assign_type === 'SPECIFIC_RING_GROUP')
					expect(cb.ring_groups.length).toBeGreaterThan(0);
				expect(cb.exclusive_to_agent).toBe(cb.assign_type === 'MYSELF_ONLY');

				if (cb.from_call_type === 'PROACTIVE_OUTBOUND') {
					expect(cb).toMatchObject({
						dialing_model: 'PREDICTIVE',
						record_list_name: expect.any(String),
					});
					expect(cb.record_id).toMatch(UUID_V4);
				} else {
					expect(cb).toMatchObject({
						dialing_model: 'PREVIEW',
						record_id: null,
						record_list_id: null,
					});
				}
				if (cb.campaign_id !== null) expect(TALKDESK_CAMPAIGN_IDS).toContain(cb.campaign_id);
				expect(cb.campaign_id === null).toBe(cb.from_call_type === 'INBOUND');
			}
			for (const agent of TALKDESK_AGENT_IDS) expect(agent).toMatch(/^[0-9a-f]{32}$/);
			expect(TALKDESK_RING_GROUPS).toEqual(['Sales', 'Support', 'Renewals']);
		});

		it('mixes statuses, mostly UNATTEMPTED, each with the fields of its state', () => {
			const callbacks = seeded();
			const byStatus = (status: string) => callbacks.filter((cb) => cb.status === status);
			expect(byStatus('UNATTEMPTED').length).toBeGreaterThan(callbacks.length / 2);
			for (const status of ['UNATTEMPTED', 'TO_BE_RETRIED']) {
				for (const cb of byStatus(status)) expect(cb.processed_time).toBeNull();
			}
			expect(byStatus('TO_BE_RETRIED').length).toBeGreaterThanOrEqual(3);
			for (const cb of byStatus('TO_BE_RETRIED')) {
				expect(cb.current_retry_attempts).toBeGreaterThan(0);
				expect(cb.time_to_call < FIXED_NOW_ISO && cb.next_time_to_call > FIXED_NOW_ISO).toBe(true);
			}
			for (const status of ['SUCCESS', 'EXHAUSTED', 'INVALID_NUMBER', 'CANCELED']) {
				for (const cb of byStatus(status)) {
					expect(cb.processed_time).toMatch(ISO_UTC);
					expect(cb.processed_time! > cb.created_at && cb.processed_time! <= FIXED_NOW_ISO).toBe(
						true,
					);
				}
			}
			for (const cb of byStatus('EXHAUSTED')) expect(cb.current_retry_attempts).toBe(3);
		});

		it('has every status and contacts in edge zones within the first 12 seeded', async () => {
			// The first 12 of any seeding are what a sandbox of 12 seeds.
			const small = await startSandbox({
				seed: 42,
				now: () => FIXED_NOW,
				talkdesk: { callbacks: 12 },
			});
			try {
				const first12 = small.talkdesk.callbacks();
				expect(first12.every((cb) => seeded().some((other) => other.id === cb.id))).toBe(true);
				expect(new Set(first12.map((cb) => cb.status))).toEqual(new Set(TALKDESK_STATUSES));
				const zones = new Map(first12.map((cb) => [cb.timezone, cb.phone_number]));
				expect(zones.get('Asia/Kolkata')).toMatch(/^\+91\d{10}$/);
				expect(zones.get('Asia/Kathmandu')).toMatch(/^\+97798\d{8}$/);
				expect(zones.get('America/St_Johns')).toMatch(/^\+1709555\d{4}$/);
				expect(zones.get('Australia/Lord_Howe')).toMatch(/^\+6126563\d{4}$/);
				expect(zones.get('Europe/London')).toMatch(/^\+447700900\d{3}$/);
				for (const zone of ['America/New_York', 'America/Los_Angeles', 'America/Chicago']) {
					expect(zones.get(zone)).toMatch(/^\+1\d{3}555\d{4}$/);
				}
			} finally {
				await small.close();
			}
		});

		it('keeps each contact with one number, zone and name', () => {
			const byContact = new Map<string, string>();
			for (const cb of seeded()) {
				const key = `${cb.phone_number} ${cb.timezone} ${cb.record_first_name} ${cb.record_last_name}`;
				expect(byContact.get(cb.contact_id!) ?? key).toBe(key);
				byContact.set(cb.contact_id!, key);
			}
			expect(byContact.size).toBeGreaterThanOrEqual(8);
		});
	});

	describe('token endpoint', () => {
		it('issues a Bearer token with every scope of the client when none is asked', async () => {
			const before = sandbox.talkdesk.tokensIssued;
			const answer = await tokenRequest(sandbox);
			expect(answer.status).toBe(200);
			expect(answer.headers.get('content-type')).toBe('application/json');
			expect(answer.headers.get('cache-control')).toBe('no-store');
			expect(answer.body).toEqual({
				access_token: expect.stringMatching(/^td_at_[A-Za-z0-9]{32}$/),
				token_type: 'Bearer',
				expires_in: 3600,
				scope: 'schedule-callbacks:read schedule-callbacks:write callback:write',
			});
			expect(sandbox.talkdesk.tokensIssued).toBe(before + 1);
			expect((await list()).status).toBe(200);
			// An empty scope is none asked.
			const empty = await tokenRequest(sandbox, {
				form: { grant_type: 'client_credentials', scope: ' ' },
			});
			expect(empty.body.scope).toBe(TALKDESK_CLIENT.scopes.join(' '));
			expect(empty.body.access_token).not.toBe(answer.body.access_token);
		});

		it('grants the requested scopes the client has, and 400 invalid_scope when it has none', async () => {
			const narrowed = await tokenRequest(sandbox, {
				form: { grant_type: 'client_credentials', scope: 'contacts:read schedule-callbacks:read' },
			});
			expect(narrowed.body.scope).toBe('schedule-callbacks:read');

			const noRead = basic(TALKDESK_CLIENT_NO_READ.id, TALKDESK_CLIENT_NO_READ.secret);
			const all = await tokenRequest(sandbox, { authorization: noRead });
			expect(all.body.scope).toBe('schedule-callbacks:write callback:write');
			const before = sandbox.talkdesk.tokensIssued;
			const refused = await tokenRequest(sandbox, {
				authorization: noRead,
				form: { grant_type: 'client_credentials', scope: 'schedule-callbacks:read' },
			});
			expect(refused.status).toBe(400);
			expect(refused.body).toEqual({
				error: 'invalid_scope',
				error_description: expect.any(String),
			});
			expect(sandbox.talkdesk.tokensIssued).toBe(before);
		});

		it('answers 401 invalid_client to anything but HTTP Basic with a known client', async () => {
			const cases: Array<{ authorization: string | null; form?: Record<string, string> }> = [
				{ authorization: null },
				{
					authorization: null,
					form: {
						grant_type: 'client_credentials',
						client_id: TALKDESK_CLIENT.id,
						client_secret: TALKDESK_CLIENT.secret,
					},
				},
				{ authorization: basic(TALKDESK_CLIENT.id, 'wrong') },
				{ authorization: basic('nobody', TALKDESK_CLIENT.secret) },
				{ authorization: basic(TALKDESK_CLIENT.id, TALKDESK_CLIENT_NO_READ.secret) },
				{ authorization: `Bearer ${TALKDESK_CLIENT.secret}` },
				{ authorization: 'Basic not base64!' },
				{ authorization: `Basic ${Buffer.from(TALKDESK_CLIENT.id).toString('base64')}` },
			];
			for (const { authorization, form } of cases) {
				const answer = await tokenRequest(sandbox, { authorization, form });
				expect(answer.status).toBe(401);
				expect(answer.body).toEqual({
					error: 'invalid_client',
					error_description: 'Client authentication failed',
				});
				expect(answer.headers.get('www-authenticate')).toMatch(/^Basic/);
			}
		});

		it('answers 400 unsupported_grant_type to another or no grant type', async () => {
			const forms: Array<Record<string, string>> = [
				{},
				{ grant_type: 'password', username: 'a', password: 'b' },
				{ grant_type: 'authorization_code', code: 'abc' },
				{ grant_type: 'refresh_token', refresh_token: 'abc' },
			];
			for (const form of forms) {
				const answer = await tokenRequest(sandbox, { form });
				expect(answer.status).toBe(400);
				expect(answer.body).toEqual({
					error: 'unsupported_grant_type',
					error_description: expect.any(String),
				});
			}
			// A JSON body is not a form: no grant type.
			const json = await tokenRequest(sandbox, {
				body: JSON.stringify({ grant_type: 'client_credentials' }),
				contentType: 'application/json',
			});
			expect(json.body.error).toBe('unsupported_grant_type');
		});

		it('answers 404 to another method or path', async () => {
			const answer = await readAnswer(await fetch(sandbox.baseUrls.talkdeskToken));
			expect(answer).toMatchObject({ status: 404, body: NOT_FOUND });
			const other = await fetch(`${sandbox.url}/talkdesk/id/oauth/authorize`, { method: 'POST' });
			expect((await readAnswer(other)).status).toBe(404);
		});
	});

	describe('Bearer tokens', () => {
		it('answers 401 without a valid Bearer token, before looking at the route', async () => {
			const cases: Array<{ authorization?: string; token: string | null }> = [
				{ token: null },
				{ token: 'td_at_unknown' },
				{ token, authorization: token },
				{ token, authorization: `Basic ${token}` },
				{ token, authorization: basic(TALKDESK_CLIENT.id, TALKDESK_CLIENT.secret) },
			];
			for (const options of cases) {
				for (const path of [
					'/schedule-callbacks',
					'/schedule-callbacks/x',
					'/calls/callback',
					'/nowhere',
				]) {
					const method = path === '/calls/callback' ? 'POST' : 'GET';
					const answer = await talkdesk(sandbox, path, { ...options, method });
					expect(answer.status).toBe(401);
					expect(answer.body).toEqual(UNAUTHORIZED);
					expect(answer.headers.get('content-type')).toBe(
						path.startsWith('/schedule-callbacks') ? HAL : 'application/json',
					);
				}
			}
			// The scheme is case-insensitive.
			expect(
				(await api('/schedule-callbacks', { token, authorization: `bearer ${token}` })).status,
			).toBe(200);
		});

		it('expire on the sandbox clock after expires_in seconds', async () => {
			sandbox.setNow(FIXED_NOW);
			const fresh = await issueToken(sandbox);
			sandbox.setNow(FIXED_NOW + 3600 * SECOND - 1);
			expect((await api('/schedule-callbacks', { token: fresh })).status).toBe(200);
			sandbox.setNow(FIXED_NOW + 3600 * SECOND);
			expect(await api('/schedule-callbacks', { token: fresh })).toMatchObject({
				status: 401,
				body: UNAUTHORIZED,
			});
			// Going back in time does not bring it back.
			sandbox.setNow(FIXED_NOW);
			expect((await api('/schedule-callbacks', { token: fresh })).status).toBe(401);
		});

		it('stop working at expireTokens(), and new ones work', async () => {
			const other = await issueToken(sandbox, TALKDESK_CLIENT_NO_READ);
			const issued = sandbox.talkdesk.tokensIssued;
			sandbox.talkdesk.expireTokens();
			expect((await list()).status).toBe(401);
			expect((await cancel('x')).status).toBe(401);
			expect((await api('/schedule-callbacks/x', { method: 'DELETE', token: other })).status).toBe(
				401,
			);
			expect(sandbox.talkdesk.tokensIssued).toBe(issued);
			token = await issueToken(sandbox);
			expect((await list()).status).toBe(200);
		});

		it('stop working after the next N API requests at expireTokensAfter(N)', async () => {
			sandbox.talkdesk.expireTokensAfter(2);
			expect((await list()).status).toBe(200);
			expect((await list('?page=2')).status).toBe(200);
			expect(await list('?page=3')).toMatchObject({ status: 401, body: UNAUTHORIZED });
			// Only once: a new token keeps working.
			token = await issueToken(sandbox);
			for (let i = 0; i < 3; i++) expect((await list()).status).toBe(200);
			// Refused requests do not count; 0 cancels.
			sandbox.talkdesk.expireTokensAfter(1);
			expect((await api('/schedule-callbacks', { token: 'td_at_nope' })).status).toBe(401);
			sandbox.talkdesk.expireTokensAfter(0);
			expect((await list()).status).toBe(200);
			expect((await list()).status).toBe(200);
			expect(() => sandbox.talkdesk.expireTokensAfter(-1)).toThrow(/invalid count/);
		});

		it('stop working one by one at revokeToken()', async () => {
			const other = await issueToken(sandbox);
			expect(sandbox.talkdesk.revokeToken(other)).toBe(true);
			expect(sandbox.talkdesk.revokeToken(other)).toBe(false);
			expect((await api('/schedule-callbacks', { token: other })).status).toBe(401);
			expect((await list()).status).toBe(200);
		});
	});

	describe('scopes', () => {
		it('answers 403 to a GET without schedule-callbacks:read, not naming the scope', async () => {
			const noRead = await issueToken(sandbox, TALKDESK_CLIENT_NO_READ);
			const [first] = seeded();
			for (const path of [
				'/schedule-callbacks',
				`/schedule-callbacks/${first.id}`,
				'/schedule-callbacks/nope',
			]) {
				const answer = await api(path, { token: noRead });
				expect(answer.status).toBe(403);
				expect(answer.body).toEqual(FORBIDDEN);
				expect(answer.headers.get('content-type')).toBe(HAL);
			}
			// Writing is fine.
			const cb = sandbox.talkdesk.addCallback();
			const write = await api(`/schedule-callbacks/${cb.id}`, { method: 'DELETE', token: noRead });
			expect(write.status).toBe(204);
		});

		it('answers 403 to writes without schedule-callbacks:write, and to a dispatch without callback:write', async () => {
			const readOnly = await issueToken(sandbox, TALKDESK_CLIENT, 'schedule-callbacks:read');
			const cb = sandbox.talkdesk.addCallback();
			const requests: Array<[string, string, unknown]> = [
				['POST', '/schedule-callbacks', validCreate()],
				[
					'PATCH',
					`/schedule-callbacks/${cb.id}`,
					[{ op: 'replace', path: '/timezone', value: 'UTC' }],
				],
				['DELETE', `/schedule-callbacks/${cb.id}`, undefined],
				[
					'POST',
					'/calls/callback',
					{ talkdesk_phone_number: '+18005550100', contact_phone_number: '+14155550100' },
				],
			];
			for (const [method, path, json] of requests) {
				expect(await api(path, { method, json, token: readOnly })).toMatchObject({
					status: 403,
					body: FORBIDDEN,
				});
			}
			expect(sandbox.talkdesk.getCallback(cb.id)).toEqual(cb);
			expect((await api(`/schedule-callbacks/${cb.id}`, { token: readOnly })).status).toBe(200);

			const noDispatch = await issueToken(sandbox, TALKDESK_CLIENT, 'schedule-callbacks:write');
			const [, , , [method, path, json]] = requests;
			expect((await api(path, { method, json, token: noDispatch })).status).toBe(403);
			expect(sandbox.talkdesk.dispatches()).toEqual([]);
		});
	});

	it('answers 404 Not Found to unknown routes and methods, after auth', async () => {
		const [first] = seeded();
		const cases: Array<[string, string]> = [
			['GET', ''],
			['GET', '/'],
			['GET', '/schedule-callback'],
			['GET', '/schedule-callbacks/a/b'],
			['PUT', `/schedule-callbacks/${first.id}`],
			['POST', `/schedule-callbacks/${first.id}`],
			['DELETE', '/schedule-callbacks'],
			['PATCH', '/schedule-callbacks'],
			['GET', '/calls/callback'],
			// The callback's own self link is not a route of this API.
			['GET', first._links.self.href],
		];
		for (const [method, path] of cases) {
			const answer = await api(path, { method, token });
			expect(answer.status).toBe(404);
			expect(answer.body).toEqual(NOT_FOUND);
		}
		const outside = await fetch(`${sandbox.url}/talkdesk/v2/schedule-callbacks`);
		expect((await readAnswer(outside)).body).toEqual(NOT_FOUND);
	});

	describe('list', () => {
		it('answers one callback by default, in the HAL page shape', async () => {
			const answer = await list();
			expect(answer.status).toBe(200);
			expect(answer.headers.get('content-type')).toBe(HAL);
			expect(Object.keys(answer.body)).toEqual([
				'total',
				'page',
				'per_page',
				'count',
				'total_pages',
				'_links',
				'_embedded',
			]);
			const total = seeded().length;
			expect(answer.body).toMatchObject({
				total,
				page: 1,
				per_page: 1,
				count: 1,
				total_pages: total,
			});
			expect(answer.body._embedded).toEqual({ callbacks: [seeded()[0]] });
			const base = `${sandbox.baseUrls.talkdesk}/schedule-callbacks`;
			expect(answer.body._links).toEqual({
				self: { href: `${base}?page=1` },
				first: { href: `${base}?page=1` },
				last: { href: `${base}?page=${total}` },
				next: { href: `${base}?page=2` },
			});
		});

		it('pages by next_time_to_call then id, following the next links to the end', async () => {
			const expected = seeded();
			const times = expected.map((cb) => Date.parse(cb.next_time_to_call));
			expect(times).toEqual([...times].sort((a, b) => a - b));

			const pages: Answer[] = [];
			let url: string | undefined = `${sandbox.baseUrls.talkdesk}/schedule-callbacks?per_page=7`;
			while (url) {
				const answer = await readAnswer(
					await fetch(url, { headers: { authorization: `Bearer ${token}` } }),
				);
				expect(answer.status).toBe(200);
				pages.push(answer);
				url = answer.body._links.next?.href;
			}
			const totalPages = Math.ceil(expected.length / 7);
			expect(pages).toHaveLength(totalPages);
			expect(pages.flatMap((p) => p.body._embedded.callbacks)).toEqual(expected);
			pages.forEach(({ body }, index) => {
				expect(body).toMatchObject({ page: index + 1, per_page: 7, total_pages: totalPages });
				expect(body.count).toBe(body._embedded.callbacks.length);
				expect(body._links.prev === undefined).toBe(index === 0);
				if (index > 0) expect(body._links.prev.href).toMatch(new RegExp(`[?&]page=${index}$`));
				expect(body._links.last.href).toMatch(new RegExp(`page=${totalPages}$`));
			});
			expect(pages[totalPages - 1].body.count).toBe(expected.length - 7 * (totalPages - 1));
		});

		it('breaks next_time_to_call ties by id', async () => {
			const next_time_to_call = '2026-02-01T00:00:00Z'; // before every seeded callback
			const b = sandbox.talkdesk.addCallback({
				id: 'ffffffff-0000-4000-8000-00000000000b',
				next_time_to_call,
			});
			const a = sandbox.talkdesk.addCallback({
				id: 'ffffffff-0000-4000-8000-00000000000a',
				next_time_to_call,
			});
			const { body } = await list('?per_page=2');
			expect(ids(body._embedded.callbacks)).toEqual([a.id, b.id]);
			sandbox.talkdesk.removeCallback(a.id);
			sandbox.talkdesk.removeCallback(b.id);
		});

		it('builds absolute links from the Host header, keeping the query with page replaced', async () => {
			const query = 'status=UNATTEMPTED%2CTO_BE_RETRIED&per_page=2&page=3&foo=bar';
			const answer = await new Promise<Answer>((resolve, reject) => {
				const req = httpRequest(
					`${sandbox.baseUrls.talkdesk}/schedule-callbacks?${query}`,
					{ headers: { host: 'api.talkdeskapp.test', authorization: `Bearer ${token}` } },
					(res) => {
						let text = '';
						res.on('data', (chunk: Buffer) => (text += chunk.toString()));
						res.on('end', () =>
							resolve({
								status: res.statusCode!,
								headers: new Headers(),
								text,
								body: JSON.parse(text),
							}),
						);
					},
				);
				req.on('error', reject);
				req.end();
			});
			expect(answer.status).toBe(200);
			const href = (page: number) =>
				`http://api.talkdeskapp.test/talkdesk/api/schedule-callbacks?status=UNATTEMPTED%2CTO_BE_RETRIED&per_page=2&page=${page}&foo=bar`;
			const { total_pages: last } = answer.body;
			expect(answer.body._links).toEqual({
				self: { href: href(3) },
				first: { href: href(1) },
				last: { href: href(last) },
				prev: { href: href(2) },
				next: { href: href(4) },
			});
		});

		it('answers an empty page past the end, and total_pages 0 when nothing matches', async () => {
			const total = seeded().length;
			const past = await list(`?page=${total + 5}`);
			expect(past.body).toMatchObject({ total, page: total + 5, count: 0, total_pages: total });
			expect(past.body._embedded.callbacks).toEqual([]);
			expect(past.body._links.prev.href).toMatch(new RegExp(`page=${total + 4}$`));
			expect(past.body._links.next).toBeUndefined();

			const none = await list('?phone_number=%2B10000000000&per_page=10');
			expect(none.body).toMatchObject({
				total: 0,
				page: 1,
				per_page: 10,
				count: 0,
				total_pages: 0,
			});
			expect(Object.keys(none.body._links)).toEqual(['self', 'first', 'last']);
			expect(none.body._links.last.href).toMatch(/page=1$/);
		});

		it('takes page 1 to 500 and per_page 1 to 500, and names each bad one in a 400', async () => {
			expect((await list('?page=500&per_page=500')).status).toBe(200);
			const cases: Array<[string, Array<{ name: string; description?: unknown }>]> = [
				['?page=0', [{ name: 'page', description: 'must be greater than or equal to 1' }]],
				['?page=-1', [{ name: 'page', description: 'must be greater than or equal to 1' }]],
				['?page=501', [{ name: 'page', description: 'must be less than or equal to 500' }]],
				['?page=1.5', [{ name: 'page', description: 'must be an integer' }]],
				['?page=two', [{ name: 'page', description: 'must be an integer' }]],
				['?page=', [{ name: 'page', description: 'must be an integer' }]],
				['?per_page=0', [{ name: 'per_page', description: 'must be greater than or equal to 1' }]],
				['?per_page=501', [{ name: 'per_page', description: 'must be less than or equal to 500' }]],
				['?per_page=1e2', [{ name: 'per_page', description: 'must be an integer' }]],
				['?page=0&per_page=1000', [{ name: 'page' }, { name: 'per_page' }]],
			];
			for (const [query, fields] of cases) {
				const answer = await list(query);
				expect(answer.status).toBe(400);
				expect(answer.headers.get('content-type')).toBe(HAL);
				expect(answer.body).toEqual(invalid(fields));
			}
		});

		describe('filters', () => {
			const expectFilter = async (query: string, predicate: (cb: TalkdeskCallback) => boolean) => {
				const expected = seeded().filter(predicate);
				expect(expected.length).toBeGreaterThan(0);
				expect(expected.length).toBeLessThan(seeded().length);
				expect(await listAll(query)).toEqual(expected);
				return expected;
			};

			it('agent_id, team_id and ring_group take comma lists and match any item', async () => {
				const [a1, a2] = TALKDESK_AGENT_IDS;
				const hasAgent = (cb: TalkdeskCallback, ...agents: string[]) =>
					cb.agents.some((a) => agents.includes(a.agent_id));
				const one = await expectFilter(`agent_id=${a1}`, (cb) => hasAgent(cb, a1));
				const both = await expectFilter(`agent_id=${a1},${a2}`, (cb) => hasAgent(cb, a1, a2));
				expect(both.length).toBeGreaterThan(one.length);
				await expectFilter(`agent_id=${a2}%2C%20${a1}`, (cb) => hasAgent(cb, a1, a2));

				const [t1, , t3] = TALKDESK_TEAM_IDS;
				await expectFilter(`team_id=${t1}`, (cb) => cb.teams.some((t) => t.team_id === t1));
				await expectFilter(`team_id=${t1},${t3}`, (cb) =>
					cb.teams.some((t) => [t1, t3].includes(t.team_id)),
				);
				await expectFilter('ring_group=Sales', (cb) =>
					cb.ring_groups.some((g) => g.ring_group === 'Sales'),
				);
				await expectFilter('ring_group=Sales,Renewals', (cb) =>
					cb.ring_groups.some((g) => ['Sales', 'Renewals'].includes(g.ring_group)),
				);
				expect(await listAll('ring_group=sales')).toEqual([]);
			});

			it('campaign_id, contact_id, record_id and phone_number match exactly', async () => {
				const sample = seeded().find((cb) => cb.record_id !== null)!;
				await expectFilter(
					`campaign_id=${TALKDESK_CAMPAIGN_IDS[0]}`,
					(cb) => cb.campaign_id === TALKDESK_CAMPAIGN_IDS[0],
				);
				await expectFilter(
					`contact_id=${sample.contact_id}`,
					(cb) => cb.contact_id === sample.contact_id,
				);
				expect(await listAll(`record_id=${sample.record_id}`)).toEqual([sample]);
				await expectFilter(
					`phone_number=${encodeURIComponent(sample.phone_number)}`,
					(cb) => cb.phone_number === sample.phone_number,
				);
				// An unencoded + is a space in a query: nothing has that number.
				expect(await listAll(`phone_number=${sample.phone_number}`)).toEqual([]);
				expect(await listAll(`campaign_id=${TALKDESK_CAMPAIGN_IDS[0].toUpperCase()}`)).toEqual([]);
			});

			it('status and from_call_type take comma lists of known values, else 400', async () => {
				for (const status of TALKDESK_STATUSES) {
					await expectFilter(`status=${status}`, (cb) => cb.status === status);
				}
				await expectFilter('status=UNATTEMPTED,TO_BE_RETRIED', (cb) =>
					['UNATTEMPTED', 'TO_BE_RETRIED'].includes(cb.status),
				);
				for (const type of TALKDESK_FROM_CALL_TYPES) {
					await expectFilter(`from_call_type=${type}`, (cb) => cb.from_call_type === type);
				}
				await expectFilter(
					'from_call_type=INBOUND,PROACTIVE_OUTBOUND',
					(cb) => cb.from_call_type !== 'MANUAL_OUTBOUND',
				);

				for (const query of [
					'status=unattempted',
					'status=UNATTEMPTED,SCHEDULED',
					'status=',
					'status=SUCCESS,',
				]) {
					expect(await list(`?${query}`)).toMatchObject({
						status: 400,
						body: invalid([{ name: 'status' }]),
					});
				}
				for (const query of ['from_call_type=OUTBOUND', 'from_call_type=INBOUND,inbound']) {
					expect(await list(`?${query}`)).toMatchObject({
						status: 400,
						body: invalid([{ name: 'from_call_type' }]),
					});
				}
			});

			it('start_time and end_time bound next_time_to_call, both inclusive', async () => {
				const callbacks = seeded();
				const [from, to] = [callbacks[10].next_time_to_call, callbacks[20].next_time_to_call];
				const inRange = (cb: TalkdeskCallback) =>
					cb.next_time_to_call >= from && cb.next_time_to_call <= to;
				const expected = await expectFilter(`start_time=${from}&end_time=${to}`, inRange);
				expect(expected[0].next_time_to_call).toBe(from);
				expect(expected[expected.length - 1].next_time_to_call).toBe(to);
				await expectFilter(`start_time=${from}`, (cb) => cb.next_time_to_call >= from);
				await expectFilter(`end_time=${to}`, (cb) => cb.next_time_to_call <= to);

				// The same instants with an offset (a + sent as %2B) and with milliseconds.
				const shifted = (time: string) =>
					encodeURIComponent(`${iso(Date.parse(time) + 5.5 * HOUR).slice(0, 19)}+05:30`);
				expect(await listAll(`start_time=${shifted(from)}&end_time=${shifted(to)}`)).toEqual(
					expected,
				);
				expect(await listAll(`start_time=${from.replace('Z', '.000Z')}&end_time=${to}`)).toEqual(
					expected,
				);
				// One second later, the first one is out.
				const later = iso(Date.parse(from) + SECOND);
				expect(ids(await listAll(`start_time=${later}&end_time=${to}`))).toEqual(
					ids(expected.slice(1)),
				);
				expect(await listAll(`start_time=${to}&end_time=${from}`)).toEqual([]);
			});

			it('next_time_to_call_end finds the open callbacks due by then', async () => {
				const due = iso(FIXED_NOW + DAY);
				const expected = await expectFilter(
					`next_time_to_call_end=${due}`,
					(cb) =>
						['UNATTEMPTED', 'TO_BE_RETRIED'].includes(cb.status) && cb.next_time_to_call <= due,
				);
				expect(expected.some((cb) => cb.status === 'TO_BE_RETRIED')).toBe(true);
				expect(expected.some((cb) => cb.next_time_to_call < FIXED_NOW_ISO)).toBe(true);
			});

			it('time_to_call matches the original time_to_call to the second', async () => {
				const retried = seeded().find((cb) => cb.status === 'TO_BE_RETRIED')!;
				const matches = (cb: TalkdeskCallback) => cb.time_to_call === retried.time_to_call;
				const expected = seeded().filter(matches);
				expect(await listAll(`time_to_call=${retried.time_to_call}`)).toEqual(expected);
				expect(expected).toContainEqual(retried);
				// Its next_time_to_call is another time: not a match for time_to_call.
				expect(await listAll(`time_to_call=${retried.next_time_to_call}`)).not.toContainEqual(
					retried,
				);
				const at = Date.parse(retried.time_to_call);
				const sameSecond = `${iso(at).slice(0, 19)}.999Z`;
				expect(await listAll(`time_to_call=${sameSecond}`)).toEqual(expected);
				const offset = encodeURIComponent(`${iso(at - 3.5 * HOUR).slice(0, 19)}-03:30`);
				expect(await listAll(`time_to_call=${offset}`)).toEqual(expected);
				expect(await listAll(`time_to_call=${iso(at + SECOND)}`)).not.toContainEqual(retried);
			});

			it('answers 400 naming every unparseable date-time, and every other bad filter', async () => {
				const bad = [
					'yesterday',
					'2026-03-01',
					'2026-02-30T10:00:00Z',
					'2026-03-01T10:00:00',
					'2026-03-01T25:00:00Z',
					'2026-03-01T10:00:00 05:30',
				];
				for (const name of ['start_time', 'end_time', 'next_time_to_call_end', 'time_to_call']) {
					for (const value of bad) {
						const answer = await list(`?${name}=${encodeURIComponent(value)}`);
						expect(answer.status).toBe(400);
						expect(answer.body).toEqual(invalid([{ name }]));
					}
				}
				const all = await list(
					'?page=0&status=NOPE&from_call_type=X&start_time=x&end_time=y&time_to_call=z&next_time_to_call_end=w&agent_id=&team_id=a,,b&ring_group=&campaign_id=&contact_id=&record_id=&phone_number=',
				);
				expect(all.status).toBe(400);
				expect(all.body.fields.map((f: { name: string }) => f.name).sort()).toEqual(
					[
						'page',
						'status',
						'from_call_type',
						'start_time',
						'end_time',
						'time_to_call',
						'next_time_to_call_end',
						'agent_id',
						'team_id',
						'ring_group',
						'campaign_id',
						'contact_id',
						'record_id',
						'phone_number',
					].sort(),
				);
			});

			it('ANDs filters together and ignores unknown parameters', async () => {
				const agent = TALKDESK_AGENT_IDS[0];
				await expectFilter(
					`status=UNATTEMPTED&agent_id=${agent}&from_call_type=MANUAL_OUTBOUND,INBOUND`,
					(cb) =>
						cb.status === 'UNATTEMPTED' &&
						cb.agents.some((a) => a.agent_id === agent) &&
						cb.from_call_type !== 'PROACTIVE_OUTBOUND',
				);
				expect(await listAll('sort=-id&limit=2&offset=5&agent=none')).toEqual(seeded());
			});
		});

		it('answers the older shape while legacyShape is on', async () => {
			sandbox.talkdesk.legacyShape = true;
			const answer = await list('?per_page=3&page=2');
			expect(Object.keys(answer.body)).toEqual([
				'total',
				'page',
				'per_page',
				'count',
				'total_page',
				'_links',
				'_embedded',
			]);
			expect(answer.body).toMatchObject({
				page: 2,
				per_page: 3,
				count: 3,
				total_page: Math.ceil(seeded().length / 3),
			});
			expect(answer.body._embedded).toEqual(seeded().slice(3, 6));
			sandbox.talkdesk.legacyShape = false;
			expect((await list()).body._embedded.callbacks).toHaveLength(1);
		});
	});

	describe('get', () => {
		it('answers the callback, or 404 for an unknown id of any length', async () => {
			const cb = seeded()[5];
			const answer = await get(cb.id);
			expect(answer).toMatchObject({ status: 200, body: cb });
			expect(answer.headers.get('content-type')).toBe(HAL);
			for (const id of ['nope', 'a'.repeat(40), '00000000-0000-4000-8000-000000000000']) {
				const missing = await get(id);
				expect(missing).toMatchObject({ status: 404, body: CALLBACK_NOT_FOUND });
				expect(missing.headers.get('content-type')).toBe(HAL);
			}
		});

		it('decodes the id in the path', async () => {
			const odd = sandbox.talkdesk.addCallback({ id: 'odd id/é' });
			expect((await get(odd.id)).body).toEqual(odd);
			sandbox.talkdesk.removeCallback(odd.id);
		});
	});

	describe('create (Preview)', () => {
		it('creates an UNATTEMPTED MANUAL_OUTBOUND PREVIEW callback at the given time', async () => {
			sandbox.setNow(FIXED_NOW + 60_000);
			const answer = await create(
				validCreate({
					scheduled_time_to_call: '2026-03-02T11:30:00+01:00',
					notes: 'Call about the quote',
					interaction_id: 'f3c2a1b0-1111-4222-8333-444455556666',
					campaign_id: TALKDESK_CAMPAIGN_IDS[2],
					contact_id: 'c0ffee',
					record_id: 'r-1',
					ignored_field: true,
				}),
			);
			expect(answer.status).toBe(201);
			expect(answer.headers.get('content-type')).toBe(HAL);
			const cb = answer.body as TalkdeskCallback;
			expect(Object.keys(cb)).toEqual(KEYS);
			expect(cb.id).toMatch(UUID_V4);
			expect(cb).toEqual({
				id: cb.id,
				callback_id: cb.id,
				account_id: TALKDESK_ACCOUNT_ID,
				interaction_id: 'f3c2a1b0-1111-4222-8333-444455556666',
				root_interaction_id: 'f3c2a1b0-1111-4222-8333-444455556666',
				campaign_id: TALKDESK_CAMPAIGN_IDS[2],
				record_id: 'r-1',
				record_list_id: null,
				record_list_name: null,
				phone_number: '+14155550199',
				record_first_name: null,
				record_last_name: null,
				record_extra_data: {},
				caller_id: '+18005550100',
				time_to_call: '2026-03-02T10:30:00Z',
				next_time_to_call: '2026-03-02T10:30:00Z',
				scheduled_time_to_call: '2026-03-02T10:30:00Z',
				timezone: 'America/Los_Angeles',
				preferred_start_time: null,
				preferred_end_time: null,
				exclusive_to_agent: false,
				agent_id: TALKDESK_AGENT_IDS[1],
				agents: [{ agent_id: TALKDESK_AGENT_IDS[1] }],
				teams: [],
				ring_groups: [],
				contact_id: 'c0ffee',
				status: 'UNATTEMPTED',
				assign_type: 'SPECIFIC_AGENT',
				from_call_type: 'MANUAL_OUTBOUND',
				dialing_model: 'PREVIEW',
				processed_time: null,
				created_at: '2026-03-01T15:01:00Z',
				created_by: TALKDESK_CLIENT.id,
				notes: 'Call about the quote',
				current_retry_attempts: 0,
				current_rescheduled_attempts: 0,
				max_rescheduled_attempts: 3,
				_links: { self: { href: `/callbacks/${cb.id}` } },
			});
			expect(sandbox.talkdesk.getCallback(cb.id)).toEqual(cb);
			expect((await get(cb.id)).body).toEqual(cb);
			expect(await listAll('contact_id=c0ffee')).toEqual([cb]);
		});

		it('takes ring groups for SPECIFIC_RING_GROUP and nobody for ANY_ELIGIBLE_AGENT', async () => {
			const ringGroup = await create(
				validCreate({
					assign_type: 'SPECIFIC_RING_GROUP',
					agents: undefined,
					ring_groups: [{ ring_group: 'Support' }],
				}),
			);
			expect(ringGroup.status).toBe(201);
			expect(ringGroup.body).toMatchObject({
				assign_type: 'SPECIFIC_RING_GROUP',
				agents: [],
				agent_id: null,
				ring_groups: [{ ring_group: 'Support' }],
			});
			const anyone = await create(
				validCreate({ assign_type: 'ANY_ELIGIBLE_AGENT', agents: undefined }),
			);
			expect(anyone.status).toBe(201);
			expect(anyone.body).toMatchObject({
				agents: [],
				ring_groups: [],
				agent_id: null,
				notes: null,
			});
			const myself = await create(validCreate({ assign_type: 'MYSELF_ONLY' }));
			expect(myself.body).toMatchObject({
				exclusive_to_agent: true,
				agent_id: TALKDESK_AGENT_IDS[1],
			});
		});

		it('lists every missing field in one 400', async () => {
			const count = sandbox.talkdesk.callbacks().length;
			const answer = await create({});
			expect(answer.status).toBe(400);
			expect(answer.headers.get('content-type')).toBe(HAL);
			expect(answer.body).toEqual(
				invalid(
					[
						'phone_number',
						'scheduled_time_to_call',
						'timezone',
						'assign_type',
						'caller_id',
						'dialing_model',
					].map((name) => ({ name, description: 'is required' })),
				),
			);
			expect(sandbox.talkdesk.callbacks()).toHaveLength(count);
		});

		it('lists every invalid field in one 400, and creates nothing', async () => {
			const count = sandbox.talkdesk.callbacks().length;
			const answer = await create({
				phone_number: '4155550199',
				scheduled_time_to_call: 'tomorrow',
				timezone: 'Mars/Olympus_Mons',
				assign_type: 'EVERYONE',
				caller_id: '+0800',
				dialing_model: 'PREDICTIVE',
				agents: [{ agent_id: '' }, { id: 'x' }],
				ring_groups: 'Sales',
				notes: 'n'.repeat(1001),
				interaction_id: 42,
				campaign_id: ['c'],
				contact_id: {},
				record_id: false,
			});
			expect(answer.status).toBe(400);
			expect(answer.body.fields.map((f: { name: string }) => f.name)).toEqual([
				'phone_number',
				'scheduled_time_to_call',
				'timezone',
				'assign_type',
				'caller_id',
				'dialing_model',
				'agents[0].agent_id',
				'agents[1].agent_id',
				'ring_groups',
				'notes',
				'interaction_id',
				'campaign_id',
				'contact_id',
				'record_id',
			]);
			expect(answer.body.fields).toContainEqual({
				name: 'dialing_model',
				description: 'must be PREVIEW',
			});
			expect(sandbox.talkdesk.callbacks()).toHaveLength(count);
		});

		it('needs the time in the future on the sandbox clock, and takes notes of up to 1000', async () => {
			sandbox.setNow(FIXED_NOW);
			for (const time of [FIXED_NOW_ISO, '2026-03-01T14:59:59Z', '2026-03-01T15:00:00.999Z']) {
				expect(await create(validCreate({ scheduled_time_to_call: time }))).toMatchObject({
					status: 400,
					body: invalid([{ name: 'scheduled_time_to_call', description: 'must be in the future' }]),
				});
			}
			const soon = await create(
				validCreate({ scheduled_time_to_call: '2026-03-01T15:00:01Z', notes: 'n'.repeat(1000) }),
			);
			expect(soon.status).toBe(201);
			for (const timezone of ['+05:30', 'Asia/Nowhere', '', 5]) {
				expect((await create(validCreate({ timezone }))).body.fields[0].name).toBe('timezone');
			}
			for (const timezone of ['Asia/Kathmandu', 'America/St_Johns', 'Australia/Lord_Howe', 'UTC']) {
				expect((await create(validCreate({ timezone }))).status).toBe(201);
			}
		});

		it('needs agents for agent assign types and ring groups for SPECIFIC_RING_GROUP', async () => {
			for (const assign_type of ['SPECIFIC_AGENT', 'MYSELF_ONLY', 'MYSELF_IF_AVAILABLE']) {
				for (const agents of [undefined, []]) {
					expect(await create(validCreate({ assign_type, agents }))).toMatchObject({
						status: 400,
						body: invalid([{ name: 'agents' }]),
					});
				}
			}
			expect(
				await create(validCreate({ assign_type: 'SPECIFIC_RING_GROUP', ring_groups: [] })),
			).toMatchObject({
				status: 400,
				body: invalid([{ name: 'ring_groups' }]),
			});
		});

		it('answers 415 to a body that is not JSON and 400 to malformed JSON', async () => {
			const form = await api('/schedule-callbacks', {
				method: 'POST',
				token,
				body: 'phone_number=%2B14155550199',
				contentType: 'application/x-www-form-urlencoded',
			});
			expect(form).toMatchObject({
				status: 415,
				body: { code: '0000415', message: 'Unsupported Media Type' },
			});
			const broken = await api('/schedule-callbacks', {
				method: 'POST',
				token,
				body: '{"phone_number": ',
			});
			expect(broken).toMatchObject({ status: 400, body: invalid([{ name: 'body' }]) });
			expect((await create([validCreate()])).body).toEqual(invalid([{ name: 'body' }]));
		});

		it('answers 404 Not Found while the account is not in the Preview', async () => {
			sandbox.talkdesk.createEnabled = false;
			const count = sandbox.talkdesk.callbacks().length;
			expect(await create(validCreate())).toMatchObject({ status: 404, body: NOT_FOUND });
			// Before the scope check: the route does not exist for the account.
			const readOnly = await issueToken(sandbox, TALKDESK_CLIENT, 'schedule-callbacks:read');
			expect(
				await api('/schedule-callbacks', { method: 'POST', json: validCreate(), token: readOnly }),
			).toMatchObject({ status: 404 });
			expect(sandbox.talkdesk.callbacks()).toHaveLength(count);
			expect((await list()).status).toBe(200);
			sandbox.talkdesk.createEnabled = true;
			expect((await create(validCreate())).status).toBe(201);
		});
	});

	describe('update', () => {
		it('reschedules with /timeToCall: the three times move, one more reschedule', async () => {
			const cb = sandbox.talkdesk.addCallback();
			const answer = await patch(cb.id, [
				{ op: 'replace', path: '/timeToCall', value: '2026-03-05T09:30:00-05:00' },
			]);
			expect(answer.status).toBe(200);
			expect(answer.headers.get('content-type')).toBe(HAL);
			expect(answer.body).toEqual({
				...cb,
				time_to_call: '2026-03-05T14:30:00Z',
				next_time_to_call: '2026-03-05T14:30:00Z',
				scheduled_time_to_call: '2026-03-05T14:30:00Z',
				current_rescheduled_attempts: 1,
			});
			expect(sandbox.talkdesk.getCallback(cb.id)).toEqual(answer.body);
			// The list order follows the new time.
			expect(
				await listAll('start_time=2026-03-05T14:30:00Z&end_time=2026-03-05T14:30:00Z'),
			).toContainEqual(answer.body);
		});

		it('replaces every documented path at once, with either JSON media type', async () => {
			for (const contentType of [
				'application/json',
				'application/json-patch+json; charset=utf-8',
			]) {
				const cb = sandbox.talkdesk.addCallback({ assign_type: 'ANY_ELIGIBLE_AGENT', agents: [] });
				const answer = await patch(
					cb.id,
					[
						{ op: 'replace', path: '/timeToCall', value: '2026-03-02T09:39:19Z' },
						{ op: 'replace', path: '/phoneNumber', value: '+8613036130259' },
						{ op: 'replace', path: '/timezone', value: 'Asia/Shanghai' },
						{ op: 'replace', path: '/assignType', value: 'SPECIFIC_AGENT' },
						{
							op: 'replace',
							path: '/agents',
							value: [TALKDESK_AGENT_IDS[3], TALKDESK_AGENT_IDS[4]],
						},
					],
					contentType,
				);
				expect(answer.status).toBe(200);
				expect(answer.body).toEqual({
					...cb,
					time_to_call: '2026-03-02T09:39:19Z',
					next_time_to_call: '2026-03-02T09:39:19Z',
					scheduled_time_to_call: '2026-03-02T09:39:19Z',
					current_rescheduled_attempts: 1,
					phone_number: '+8613036130259',
					timezone: 'Asia/Shanghai',
					assign_type: 'SPECIFIC_AGENT',
					exclusive_to_agent: false,
					agents: [{ agent_id: TALKDESK_AGENT_IDS[3] }, { agent_id: TALKDESK_AGENT_IDS[4] }],
					agent_id: TALKDESK_AGENT_IDS[3],
				});
			}
		});

		it('moves to a ring group with /assignType and /ringGroups, and to myself only', async () => {
			const cb = sandbox.talkdesk.addCallback();
			const answer = await patch(cb.id, [
				{ op: 'replace', path: '/assignType', value: 'SPECIFIC_RING_GROUP' },
				{ op: 'replace', path: '/ringGroups', value: ['Sales', 'Renewals'] },
			]);
			expect(answer.status).toBe(200);
			expect(answer.body).toMatchObject({
				assign_type: 'SPECIFIC_RING_GROUP',
				ring_groups: [{ ring_group: 'Sales' }, { ring_group: 'Renewals' }],
				current_rescheduled_attempts: 0,
				next_time_to_call: cb.next_time_to_call,
			});
			const myself = await patch(cb.id, [
				{ op: 'replace', path: '/assignType', value: 'MYSELF_ONLY' },
				{ op: 'replace', path: '/agents', value: [TALKDESK_AGENT_IDS[2]] },
			]);
			expect(myself.body).toMatchObject({
				exclusive_to_agent: true,
				agent_id: TALKDESK_AGENT_IDS[2],
			});
		});

		it('lists every invalid operation by its path, and applies none', async () => {
			sandbox.setNow(FIXED_NOW);
			const cb = sandbox.talkdesk.addCallback();
			const answer = await patch(cb.id, [
				{ op: 'replace', path: '/timezone', value: 'Europe/Lisbon' },
				{ op: 'add', path: '/phoneNumber', value: '+14155550100' },
				{ op: 'replace', path: '/notes', value: 'x' },
				{ op: 'replace', path: '/timeToCall', value: '2026-03-01T14:00:00Z' },
				{ op: 'replace', path: '/assignType', value: 'ANYONE' },
				{ op: 'replace', path: '/agents', value: 'abc' },
				{ op: 'replace', path: '/ringGroups', value: [''] },
				{ op: 'replace', path: '/phoneNumber' },
				'junk',
				{ op: 'replace', value: 'no path' },
			]);
			expect(answer.status).toBe(400);
			expect(answer.body).toEqual(
				invalid([
					{ name: '/phoneNumber', description: 'op must be "replace"' },
					{ name: '/notes' },
					{ name: '/timeToCall', description: 'must be in the future' },
					{ name: '/assignType' },
					{ name: '/agents' },
					{ name: '/ringGroups' },
					{ name: '/phoneNumber', description: 'must be an E.164 phone number' },
					{ name: 'operations[8]' },
					{ name: 'operations[9]' },
				]),
			);
			expect(sandbox.talkdesk.getCallback(cb.id)).toEqual(cb);
		});

		it('answers 400 to a body that is not a non-empty array, 415 to another media type', async () => {
			const cb = sandbox.talkdesk.addCallback();
			for (const json of [[], { op: 'replace', path: '/timezone', value: 'UTC' }, 'x', null]) {
				expect(await patch(cb.id, json)).toMatchObject({
					status: 400,
					body: invalid([{ name: 'body' }]),
				});
			}
			for (const contentType of ['text/plain', 'application/merge-patch+json', undefined]) {
				const answer = await api(`/schedule-callbacks/${cb.id}`, {
					method: 'PATCH',
					token,
					...(contentType === undefined
						? {}
						: { body: '[{"op":"replace","path":"/timezone","value":"UTC"}]', contentType }),
				});
				expect(answer).toMatchObject({
					status: 415,
					body: { code: '0000415', message: 'Unsupported Media Type' },
				});
			}
			expect(sandbox.talkdesk.getCallback(cb.id)).toEqual(cb);
			expect(
				await patch('nope', [{ op: 'replace', path: '/timezone', value: 'UTC' }]),
			).toMatchObject({
				status: 404,
				body: CALLBACK_NOT_FOUND,
			});
		});

		it('keeps the assign-type rule on the result, and applies nothing when it breaks', async () => {
			const cb = sandbox.talkdesk.addCallback();
			const cases: Array<[unknown[], string]> = [
				[[{ op: 'replace', path: '/assignType', value: 'SPECIFIC_RING_GROUP' }], '/ringGroups'],
				[[{ op: 'replace', path: '/agents', value: [] }], '/agents'],
				[
					[
						{ op: 'replace', path: '/timezone', value: 'UTC' },
						{ op: 'replace', path: '/assignType', value: 'MYSELF_IF_AVAILABLE' },
						{ op: 'replace', path: '/agents', value: [] },
					],
					'/agents',
				],
			];
			for (const [operations, name] of cases) {
				expect(await patch(cb.id, operations)).toMatchObject({
					status: 400,
					body: invalid([{ name }]),
				});
			}
			expect(sandbox.talkdesk.getCallback(cb.id)).toEqual(cb);
			// Without agents is fine for anyone eligible.
			const anyone = await patch(cb.id, [
				{ op: 'replace', path: '/assignType', value: 'ANY_ELIGIBLE_AGENT' },
				{ op: 'replace', path: '/agents', value: [] },
			]);
			expect(anyone.body).toMatchObject({
				agents: [],
				agent_id: null,
				assign_type: 'ANY_ELIGIBLE_AGENT',
			});
		});

		it('changes only UNATTEMPTED and TO_BE_RETRIED callbacks', async () => {
			const operations = [{ op: 'replace', path: '/timezone', value: 'UTC' }];
			for (const status of ['SUCCESS', 'EXHAUSTED', 'CANCELED', 'INVALID_NUMBER'] as const) {
				const cb = sandbox.talkdesk.addCallback({ status });
				expect(await patch(cb.id, operations)).toMatchObject({
					status: 400,
					body: invalid([{ name: 'status', description: expect.stringContaining(status) }]),
				});
				expect(sandbox.talkdesk.getCallback(cb.id)).toEqual(cb);
			}
			const retried = sandbox.talkdesk.addCallback();
			sandbox.talkdesk.retry(retried.id, '2026-03-03T10:00:00Z');
			expect((await patch(retried.id, operations)).body).toMatchObject({
				status: 'TO_BE_RETRIED',
				timezone: 'UTC',
			});
		});
	});

	describe('cancel', () => {
		it('answers 204 without a body; the callback stays, CANCELED, processed now', async () => {
			const cb = sandbox.talkdesk.addCallback();
			sandbox.setNow(FIXED_NOW + 90_000);
			const answer = await cancel(cb.id);
			expect(answer.status).toBe(204);
			expect(answer.text).toBe('');
			expect(answer.headers.get('content-type')).toBeNull();
			const canceled = { ...cb, status: 'CANCELED', processed_time: '2026-03-01T15:01:30Z' };
			expect(sandbox.talkdesk.getCallback(cb.id)).toEqual(canceled);
			expect((await get(cb.id)).body).toEqual(canceled);
			expect(await listAll('status=CANCELED')).toContainEqual(canceled);

			// Again: 204, nothing changes.
			sandbox.setNow(FIXED_NOW + HOUR / 2);
			expect((await cancel(cb.id)).status).toBe(204);
			expect(sandbox.talkdesk.getCallback(cb.id)).toEqual(canceled);
		});

		it('cancels a TO_BE_RETRIED callback, and answers 400 to one that ended otherwise', async () => {
			const retried = seeded().find((cb) => cb.status === 'TO_BE_RETRIED')!;
			expect((await cancel(retried.id)).status).toBe(204);
			expect(sandbox.talkdesk.getCallback(retried.id)?.status).toBe('CANCELED');
			for (const status of ['SUCCESS', 'EXHAUSTED', 'INVALID_NUMBER'] as const) {
				const cb = seeded().find((c) => c.status === status)!;
				const answer = await cancel(cb.id);
				expect(answer).toMatchObject({ status: 400, body: invalid([{ name: 'status' }]) });
				expect(answer.headers.get('content-type')).toBe(HAL);
				expect(sandbox.talkdesk.getCallback(cb.id)).toEqual(cb);
			}
			expect(await cancel('nope')).toMatchObject({ status: 404, body: CALLBACK_NOT_FOUND });
		});
	});

	describe('direct callback', () => {
		it('answers 200 {} and records the dispatch with its context', async () => {
			sandbox.setNow(FIXED_NOW + 5_000);
			const before = sandbox.talkdesk.dispatches().length;
			const context = {
				fields: [
					{ name: 'reason', value: 'Billing question' },
					{
						name: 'order',
						value: 'A-1',
						display_name: 'Order',
						tooltip_text: 'Order id',
						data_type: 'text',
					},
				],
			};
			const answer = await dispatch({
				talkdesk_phone_number: '+442080000100',
				contact_phone_number: '+9779812345678',
				context,
			});
			expect(answer.status).toBe(200);
			expect(answer.body).toEqual({});
			expect(answer.headers.get('content-type')).toBe('application/json');
			const plain = await dispatch({
				talkdesk_phone_number: '+18005550100',
				contact_phone_number: '+14155550100',
			});
			expect(plain.status).toBe(200);
			const dispatches = sandbox.talkdesk.dispatches().slice(before);
			expect(dispatches).toEqual([
				{
					talkdesk_phone_number: '+442080000100',
					contact_phone_number: '+9779812345678',
					context,
					at: FIXED_NOW + 5_000,
				},
				{
					talkdesk_phone_number: '+18005550100',
					contact_phone_number: '+14155550100',
					context: null,
					at: FIXED_NOW + 5_000,
				},
			]);
			// Copies.
			dispatches[0].context!.fields.length = 0;
			expect(sandbox.talkdesk.dispatches()[before].context).toEqual(context);
		});

		it("answers 422 to a number that is not the account's, and to invalid values", async () => {
			const before = sandbox.talkdesk.dispatches().length;
			const notOurs = await dispatch({
				talkdesk_phone_number: '+18005550199',
				contact_phone_number: '+14155550100',
			});
			expect(notOurs.status).toBe(422);
			expect(notOurs.body).toEqual({
				code: '0020005',
				message: "talkdesk_phone_number doesn't belongs to account",
				fields: [{ name: 'talkdesk_phone_number', description: expect.any(String) }],
			});
			const bad = await dispatch({
				talkdesk_phone_number: '18005550100',
				contact_phone_number: 4155550100,
				context: {
					fields: [{ name: 'a', value: 1 }, 'x', { name: '', value: 'v', data_type: 'date' }],
				},
			});
			expect(bad.status).toBe(422);
			expect(bad.body).toEqual({
				code: '0020008',
				message: 'Invalid fields',
				fields: [
					'talkdesk_phone_number',
					'contact_phone_number',
					'context.fields[0].value',
					'context.fields[1]',
					'context.fields[2].name',
					'context.fields[2].data_type',
				].map((name) => ({ name, description: expect.any(String) })),
			});
			const badContext = await dispatch({
				talkdesk_phone_number: '+18005550100',
				contact_phone_number: '+14155550100',
				context: { values: [] },
			});
			expect(badContext.body.fields).toEqual([
				{ name: 'context', description: expect.any(String) },
			]);
			expect(sandbox.talkdesk.dispatches()).toHaveLength(before);
		});

		it('answers 400 to missing numbers and malformed JSON, 415 to another media type', async () => {
			expect(await dispatch({ context: { fields: [] } })).toMatchObject({
				status: 400,
				body: {
					code: '0020006',
					message: 'Missing parameter(s)',
					fields: [
						{ name: 'talkdesk_phone_number', description: 'is required' },
						{ name: 'contact_phone_number', description: 'is required' },
					],
				},
			});
			const broken = await api('/calls/callback', {
				method: 'POST',
				token,
				body: '{"talkdesk_phone_number":',
			});
			expect(broken).toMatchObject({
				status: 400,
				body: { code: '0020007', message: 'Invalid JSON in request body' },
			});
			expect((await dispatch(['+18005550100'])).body.code).toBe('0020007');
			const form = await api('/calls/callback', {
				method: 'POST',
				token,
				body: 'talkdesk_phone_number=%2B18005550100',
				contentType: 'application/x-www-form-urlencoded',
			});
			expect(form).toMatchObject({
				status: 415,
				body: { code: '0020001', message: 'Unsupported Media Type' },
			});
		});

		it('sheds load: the next requests answer 429 with Retry-After, dispatching nothing', async () => {
			const json = { talkdesk_phone_number: '+18005550100', contact_phone_number: '+14155550100' };
			const before = sandbox.talkdesk.dispatches().length;
			sandbox.talkdesk.shedLoad(2, 7);
			for (let i = 0; i < 2; i++) {
				const answer = await dispatch(json);
				expect(answer.status).toBe(429);
				expect(answer.headers.get('retry-after')).toBe('7');
				expect(answer.body).toEqual({
					code: '0020017',
					message: 'Load Shedding is enabled',
					fields: [{ name: 'retry-after', description: '7' }],
				});
			}
			expect(sandbox.talkdesk.dispatches()).toHaveLength(before);
			expect((await dispatch(json)).status).toBe(200);
			sandbox.talkdesk.shedLoad(1);
			const shed = await dispatch(json);
			expect(shed.headers.get('retry-after')).toBe('1');
			// Only dispatches are shed.
			sandbox.talkdesk.shedLoad(1);
			expect((await list()).status).toBe(200);
			expect((await dispatch(json)).status).toBe(429);
			expect(sandbox.talkdesk.dispatches()).toHaveLength(before + 1);
		});
	});

	describe('in-process API', () => {
		it('adds an UNATTEMPTED callback due in a day, or as the partial says', () => {
			const cb = sandbox.talkdesk.addCallback({ phone_number: '+447700900123', notes: 'Trigger' });
			expect(Object.keys(cb)).toEqual(KEYS);
			expect(cb).toMatchObject({
				callback_id: cb.id,
				status: 'UNATTEMPTED',
				phone_number: '+447700900123',
				notes: 'Trigger',
				time_to_call: '2026-03-02T15:00:00Z',
				next_time_to_call: '2026-03-02T15:00:00Z',
				scheduled_time_to_call: '2026-03-02T15:00:00Z',
				created_at: FIXED_NOW_ISO,
				processed_time: null,
				agent_id: TALKDESK_AGENT_IDS[0],
				_links: { self: { href: `/callbacks/${cb.id}` } },
			});
			expect(cb.id).toMatch(UUID_V4);
			expect(() => sandbox.talkdesk.addCallback({ id: cb.id })).toThrow(/exists/);

			const timed = sandbox.talkdesk.addCallback({
				next_time_to_call: '2026-03-01T16:00:00Z',
				agents: [{ agent_id: TALKDESK_AGENT_IDS[4] }],
				status: 'SUCCESS',
			});
			expect(timed).toMatchObject({
				time_to_call: '2026-03-01T16:00:00Z',
				scheduled_time_to_call: '2026-03-01T16:00:00Z',
				agent_id: TALKDESK_AGENT_IDS[4],
				processed_time: FIXED_NOW_ISO,
			});
			// Copies.
			timed.agents.push({ agent_id: 'x' });
			expect(sandbox.talkdesk.getCallback(timed.id)?.agents).toHaveLength(1);
		});

		it('changes, retries, sets statuses and removes callbacks as Talkdesk would', async () => {
			const cb = sandbox.talkdesk.addCallback();
			sandbox.setNow(FIXED_NOW + HOUR / 2);
			const retried = sandbox.talkdesk.retry(cb.id, '2026-03-04T08:00:00+00:00');
			expect(retried).toMatchObject({
				status: 'TO_BE_RETRIED',
				next_time_to_call: '2026-03-04T08:00:00Z',
				time_to_call: cb.time_to_call,
				current_retry_attempts: 1,
			});
			expect(sandbox.talkdesk.retry(cb.id, '2026-03-05T08:00:00Z').current_retry_attempts).toBe(2);
			expect(
				await listAll('start_time=2026-03-05T08:00:00Z&end_time=2026-03-05T08:00:00Z'),
			).toEqual([sandbox.talkdesk.getCallback(cb.id)]);

			expect(sandbox.talkdesk.setStatus(cb.id, 'EXHAUSTED').processed_time).toBe(
				'2026-03-01T15:30:00Z',
			);
			expect(sandbox.talkdesk.setStatus(cb.id, 'UNATTEMPTED').processed_time).toBeNull();

			const changed = sandbox.talkdesk.changeCallback(cb.id, {
				next_time_to_call: '2026-01-01T00:00:00Z',
				notes: 'moved',
			});
			expect(changed).toMatchObject({ notes: 'moved', next_time_to_call: '2026-01-01T00:00:00Z' });
			expect(sandbox.talkdesk.callbacks()[0]).toEqual(changed);
			expect((await list()).body._embedded.callbacks).toEqual([changed]);

			expect(sandbox.talkdesk.removeCallback(cb.id)).toBe(true);
			expect(sandbox.talkdesk.removeCallback(cb.id)).toBe(false);
			expect((await get(cb.id)).status).toBe(404);
			for (const call of [
				() => sandbox.talkdesk.changeCallback('nope', {}),
				() => sandbox.talkdesk.setStatus('nope', 'SUCCESS'),
				() => sandbox.talkdesk.retry('nope', FIXED_NOW_ISO),
			]) {
				expect(call).toThrow(/no callback/);
			}
			const other = sandbox.talkdesk.addCallback();
			expect(() => sandbox.talkdesk.retry(other.id, 'soon')).toThrow(/ISO 8601/);
			sandbox.talkdesk.removeCallback(other.id);
		});
	});

	describe('list order of a big store', () => {
		const fullSort = (callbacks: TalkdeskCallback[]) =>
			[...callbacks].sort(
				(a, b) =>
					Date.parse(a.next_time_to_call) - Date.parse(b.next_time_to_call) ||
					(a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
			);

		it('stays right through adds, moves and removals between reads', async () => {
			const big = await startSandbox({
				seed: 3,
				now: () => FIXED_NOW,
				talkdesk: { callbacks: 50 },
			});
			try {
				// Out of order, with ties.
				big.talkdesk.addCallbacks(5_000, (i) => ({
					next_time_to_call: iso(FIXED_NOW + ((i * 7919) % 1_000) * 60_000),
				}));
				const first = big.talkdesk.callbacks();
				expect(ids(first)).toEqual(ids(fullSort(first)));
				for (let round = 0; round < 5; round++) {
					const current = big.talkdesk.callbacks();
					big.talkdesk.addCallback({ next_time_to_call: iso(FIXED_NOW + round * 3_600_000) });
					big.talkdesk.changeCallback(current[round * 100].id, {
						next_time_to_call: iso(FIXED_NOW - (8 + round) * DAY),
					});
					big.talkdesk.retry(current[round * 100 + 1].id, iso(FIXED_NOW + 30 * DAY));
					big.talkdesk.removeCallback(current[round * 100 + 2].id);
					big.talkdesk.changeCallback(current[round * 100 + 3].id, {
						notes: 'same time, same place',
					});
					const after = big.talkdesk.callbacks();
					expect(after).toHaveLength(current.length);
					expect(ids(after)).toEqual(ids(fullSort(after)));
					expect(after[0].next_time_to_call).toBe(iso(FIXED_NOW - (8 + round) * DAY));
				}
				const token = await issueToken(big);
				const { body } = await talkdesk(big, '/schedule-callbacks?per_page=500&page=2', { token });
				expect(ids(body._embedded.callbacks)).toEqual(
					ids(big.talkdesk.callbacks().slice(500, 1_000)),
				);
			} finally {
				await big.close();
			}
		});
	});

	describe('faults', () => {
		it('answer with a Talkdesk error body', async () => {
			sandbox.faults.add([
				{ provider: 'talkdesk', type: 'status', status: 500 },
				{ provider: 'talkdesk', type: 'rate-limit', retryAfter: 3 },
			]);
			expect(await list()).toMatchObject({
				status: 500,
				body: { code: '0000500', message: expect.any(String) },
			});
			const limited = await list();
			expect(limited).toMatchObject({
				status: 429,
				body: { code: '0000429', message: 'Too many requests' },
			});
			expect(limited.headers.get('retry-after')).toBe('3');
			expect((await list()).status).toBe(200);
		});

		it('can hit the token endpoint alone, and a cancel after it took effect', async () => {
			sandbox.faults.add({
				provider: 'talkdesk',
				route: '/id/oauth/token',
				type: 'status',
				status: 503,
			});
			expect((await tokenRequest(sandbox)).status).toBe(503);
			expect((await tokenRequest(sandbox)).status).toBe(200);

			const cb = sandbox.talkdesk.addCallback();
			sandbox.faults.add({
				provider: 'talkdesk',
				route: `/api/schedule-callbacks/${cb.id}`,
				method: 'DELETE',
				type: 'drop',
				afterProcessing: true,
			});
			await expect(cancel(cb.id)).rejects.toThrow();
			expect(sandbox.talkdesk.getCallback(cb.id)?.status).toBe('CANCELED');
			expect((await cancel(cb.id)).status).toBe(204);
		});
	});

	describe('control API', () => {
		it('serves the Talkdesk state and records its requests', async () => {
			const { status, body } = await control(sandbox, 'GET', '/state/talkdesk');
			expect(status).toBe(200);
			expect(body).toMatchObject({
				provider: 'talkdesk',
				accountId: TALKDESK_ACCOUNT_ID,
				clients: [TALKDESK_CLIENT, TALKDESK_CLIENT_NO_READ],
				tokenTtlSeconds: 3600,
				tokensIssued: sandbox.talkdesk.tokensIssued,
				tokensActive: expect.any(Number),
				expireTokensAfter: 0,
				maxPage: 500,
				legacyShape: false,
				createEnabled: true,
				talkdeskNumbers: TALKDESK_NUMBERS,
				loadShedding: { remaining: 0, retryAfterSeconds: 1 },
				dispatches: sandbox.talkdesk.dispatches(),
				callbacksCount: sandbox.talkdesk.callbacks().length,
			});
			expect(body.callbacks).toEqual(sandbox.talkdesk.callbacks());
			expect(JSON.stringify(body)).not.toContain(token);

			expect((await control(sandbox, 'GET', '/health')).body.providers).toEqual([
				'convoso',
				'speko',
				'talkdesk',
				'ameyo',
			]);
			sandbox.clearRequests();
			await list('?status=SUCCESS');
			const recorded = await control(sandbox, 'GET', '/requests?provider=talkdesk');
			expect(recorded.body.requests).toEqual([
				expect.objectContaining({
					provider: 'talkdesk',
					method: 'GET',
					path: '/talkdesk/api/schedule-callbacks?status=SUCCESS',
					route: '/api/schedule-callbacks',
					query: { status: 'SUCCESS' },
					at: FIXED_NOW,
				}),
			]);
			expect(recorded.body.requests[0].headers.authorization).toBe(`Bearer ${token}`);
		});
	});
});

describe('Talkdesk sandbox with big stores and options', () => {
	it('pages through 2,000 added callbacks by the next links, 500 at a time', async () => {
		const sandbox = await startSandbox({ now: () => FIXED_NOW, talkdesk: { callbacks: 0 } });
		try {
			const added = sandbox.talkdesk.addCallbacks(2_000, (i) => ({
				next_time_to_call: iso(FIXED_NOW + (i % 97) * 60_000),
				agents: [{ agent_id: TALKDESK_AGENT_IDS[i % 5] }],
			}));
			expect(added).toHaveLength(2_000);
			expect(new Set(added).size).toBe(2_000);
			const token = await issueToken(sandbox);
			const seen: TalkdeskCallback[] = [];
			let url: string | undefined = `${sandbox.baseUrls.talkdesk}/schedule-callbacks?per_page=500`;
			let pages = 0;
			while (url) {
				const { body } = await readAnswer(
					await fetch(url, { headers: { authorization: `Bearer ${token}` } }),
				);
				expect(body).toMatchObject({ total: 2_000, total_pages: 4 });
				seen.push(...body._embedded.callbacks);
				url = body._links.next?.href;
				pages += 1;
			}
			expect(pages).toBe(4);
			expect(ids(seen)).toEqual(ids(sandbox.talkdesk.callbacks()));
			expect(new Set(ids(seen))).toEqual(new Set(added));
			const { body } = await talkdesk(
				sandbox,
				`/schedule-callbacks?per_page=500&agent_id=${TALKDESK_AGENT_IDS[2]}`,
				{
					token,
				},
			);
			expect(body.total).toBe(400);
		} finally {
			await sandbox.close();
		}
	});

	it('holds 100,000 callbacks and lists a filtered page of them', async () => {
		const sandbox = await startSandbox({ now: () => FIXED_NOW, talkdesk: { callbacks: 0 } });
		try {
			const statuses = TALKDESK_STATUSES;
			sandbox.talkdesk.addCallbacks(100_000, (i) => ({
				next_time_to_call: iso(FIXED_NOW + (i % 10_000) * SECOND),
				status: statuses[i % statuses.length],
			}));
			const token = await issueToken(sandbox);
			const answer = await talkdesk(
				sandbox,
				`/schedule-callbacks?per_page=500&page=3&status=SUCCESS&end_time=${iso(FIXED_NOW + 5_000 * SECOND)}`,
				{ token },
			);
			expect(answer.status).toBe(200);
			let total = 0;
			for (let i = 0; i < 100_000; i++) if (i % 6 === 3 && i % 10_000 <= 5_000) total += 1;
			expect(answer.body).toMatchObject({
				total,
				count: 500,
				page: 3,
				total_pages: Math.ceil(total / 500),
			});
			const page = answer.body._embedded.callbacks as TalkdeskCallback[];
			expect(page.every((cb) => cb.status === 'SUCCESS')).toBe(true);
			const times = page.map((cb) => cb.next_time_to_call);
			expect(times).toEqual([...times].sort());
			// A change re-sorts: the changed one comes first.
			const [last] = page.slice(-1);
			sandbox.talkdesk.changeCallback(last.id, { next_time_to_call: '2026-01-01T00:00:00Z' });
			expect(sandbox.talkdesk.callbacks()[0].id).toBe(last.id);
		} finally {
			await sandbox.close();
		}
	});

	it('reports the true totals past maxPage, and answers 400 beyond it', async () => {
		const sandbox = await startSandbox({
			now: () => FIXED_NOW,
			talkdesk: { callbacks: 10, maxPage: 3 },
		});
		try {
			const token = await issueToken(sandbox);
			const page3 = await talkdesk(sandbox, '/schedule-callbacks?per_page=2&page=3', { token });
			expect(page3.body).toMatchObject({ total: 10, page: 3, count: 2, total_pages: 5 });
			expect(page3.body._links.next.href).toMatch(/page=4$/);
			expect(page3.body._links.last.href).toMatch(/page=5$/);
			const page4 = await talkdesk(sandbox, '/schedule-callbacks?per_page=2&page=4', { token });
			expect(page4).toMatchObject({
				status: 400,
				body: invalid([{ name: 'page', description: 'must be less than or equal to 3' }]),
			});
		} finally {
			await sandbox.close();
		}
	});

	it('generates the same data for the same seed, other data for another', async () => {
		const [a, b, c] = await Promise.all([
			startSandbox({ seed: 7, now: () => FIXED_NOW }),
			startSandbox({ seed: 7, now: () => FIXED_NOW }),
			startSandbox({ seed: 8, now: () => FIXED_NOW }),
		]);
		try {
			expect(a.talkdesk.callbacks()).toEqual(b.talkdesk.callbacks());
			expect(a.talkdesk.callbacks()).not.toEqual(c.talkdesk.callbacks());
			// Issuing tokens does not change the ids that come next.
			await issueToken(a);
			expect(a.talkdesk.addCallback().id).toBe(b.talkdesk.addCallback().id);
		} finally {
			await Promise.all([a.close(), b.close(), c.close()]);
		}
	});

	it('takes its clients, token lifetime, numbers, shape and Preview flag from the options', async () => {
		const client = { id: 'client with space', secret: 'a+b:c/d', scopes: ['callback:write'] };
		const sandbox = await startSandbox({
			now: () => FIXED_NOW,
			talkdesk: {
				clients: [client],
				tokenTtlSeconds: 60,
				callbacks: 5,
				talkdeskNumbers: ['+351210000100'],
				legacyShape: true,
				createEnabled: false,
			},
		});
		try {
			expect(sandbox.baseUrls.talkdesk).toBe(`${sandbox.url}/talkdesk/api`);
			expect(sandbox.baseUrls.talkdeskToken).toBe(`${sandbox.url}/talkdesk/id/oauth/token`);
			expect(sandbox.talkdesk.callbacks()).toHaveLength(5);
			expect(sandbox.talkdesk).toMatchObject({ legacyShape: true, createEnabled: false });
			expect((await tokenRequest(sandbox)).status).toBe(401);
			// Raw and form-encoded (RFC 6749) credentials both authenticate.
			const raw = await tokenRequest(sandbox, { authorization: basic(client.id, client.secret) });
			expect(raw.body).toMatchObject({ expires_in: 60, scope: 'callback:write' });
			const encoded = basic(
				new URLSearchParams({ x: client.id }).toString().slice(2),
				new URLSearchParams({ x: client.secret }).toString().slice(2),
			);
			expect((await tokenRequest(sandbox, { authorization: encoded })).status).toBe(200);

			const token = raw.body.access_token as string;
			const json = {
				talkdesk_phone_number: '+351210000100',
				contact_phone_number: '+351910000000',
			};
			expect(
				(await talkdesk(sandbox, '/calls/callback', { method: 'POST', json, token })).status,
			).toBe(200);
			const us = { ...json, talkdesk_phone_number: TALKDESK_NUMBERS[0] };
			expect(
				(await talkdesk(sandbox, '/calls/callback', { method: 'POST', json: us, token })).status,
			).toBe(422);
			expect((await talkdesk(sandbox, '/schedule-callbacks', { token })).status).toBe(403);
			sandbox.setNow(FIXED_NOW + 60 * SECOND);
			expect(
				(await talkdesk(sandbox, '/calls/callback', { method: 'POST', json, token })).status,
			).toBe(401);
		} finally {
			await sandbox.close();
		}
	});

	it('refuses options that make no sense', async () => {
		for (const talkdesk of [
			{ maxPage: 0 },
			{ tokenTtlSeconds: 0 },
			{ callbacks: -1 },
			{ talkdeskNumbers: ['0800'] },
			{ talkdeskNumbers: [] },
		]) {
			await expect(startSandbox({ talkdesk })).rejects.toThrow(/Invalid|E\.164/);
		}
	});

	it('seeds every status, assign type and call type in a bigger store', async () => {
		const sandbox = await startSandbox({ now: () => FIXED_NOW, talkdesk: { callbacks: 600 } });
		try {
			const callbacks = sandbox.talkdesk.callbacks();
			for (const [field, values] of [
				['status', TALKDESK_STATUSES],
				['assign_type', TALKDESK_ASSIGN_TYPES],
				['from_call_type', TALKDESK_FROM_CALL_TYPES],
			] as const) {
				expect(new Set(callbacks.map((cb) => cb[field]))).toEqual(new Set(values));
			}
			expect(new Set(callbacks.flatMap((cb) => cb.ring_groups.map((g) => g.ring_group)))).toEqual(
				new Set(TALKDESK_RING_GROUPS),
			);
			expect(new Set(callbacks.map((cb) => cb.campaign_id))).toEqual(
				new Set([null, ...TALKDESK_CAMPAIGN_IDS]),
			);
		} finally {
			await sandbox.close();
		}
	});
});
