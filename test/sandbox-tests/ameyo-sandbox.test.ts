/**
 * Tests of the sandbox's Ameyo module over real HTTP: the session login (one login per
 * user, forceLogin, the answer's shapes), sessions (the sessionId header, idle expiry,
 * expireSessions, expireSessionsAfter, logout, the 500 expiry style), getFiltered with its
 * required integers, page cap and the documented 500 on an empty page, delete answering
 * the text `ok`, the legacy addCallback command with its time formats, the seeded data,
 * the in-process API with big stores, faults and the control API.
 */
import { request as httpRequest } from 'node:http';

import {
	AMEYO_AGENT,
	AMEYO_AGENT_IDS,
	AMEYO_CALLBACK_HANDLER_TYPE,
	AMEYO_CAMPAIGNS,
	AMEYO_EMPTY_LIST_ANSWER,
	AMEYO_SUPERVISOR,
} from '../sandbox/ameyo';
import type { AmeyoCallback } from '../sandbox/ameyo';
import { startSandbox } from '../sandbox/server';
import type { Sandbox } from '../sandbox/server';
import { readAnswer } from './answer';
import type { Answer } from './answer';

const FIXED_NOW = Date.UTC(2026, 2, 1, 15, 0, 0);
const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const TTL_MS = 1800 * SECOND;

const LIST = '/ameyorestapi/voice/customerCallbacks/getFiltered';
const SESSION_ID = /^d741-6904fad1-ses-(.+)-[A-Za-z0-9]{40}-\d{5}$/;
const CALLBACK_ID = /^d741-6904fad1-cm-[A-Za-z0-9]{8}-\d{5}$/;
const KEYS: Array<keyof AmeyoCallback> = [
	'customerCallbackId',
	'campaignId',
	'callbackTime',
	'selfCallback',
	'userId',
	'phone',
	'customerId',
	'dateAdded',
	'maskedPhone',
	'lastScheduledBy',
	'actualCallbackTime',
	'campaignName',
	'phoneInfo',
	'groupIds',
	'groupManagerIds',
];

const LOGIN_FAILED = {
	message: 'user.authentication.failed',
	info: 'Invalid user id or password',
	status: 401,
	errorCode: 70100,
};
const alreadyLoggedIn = (max = 1) => ({
	message: '',
	info: `Cannot Generate Token: user already logged in (maxAllowedLogins ${max})`,
	status: 512,
	code: 512,
});
const badToken = (sessionId: string, status = 401) => ({
	message: `invalid.authentication.token:${sessionId}`,
	info: null,
	status,
	errorCode: 70201,
});
const invalidParameter = (info: RegExp) => ({
	message: 'invalid.request.parameter',
	info: expect.stringMatching(info),
	status: 400,
	code: 400,
});

/** POSTs a login; `body` is sent as given when it is a string. */
async function loginRequest(
	sandbox: Sandbox,
	body: unknown,
	contentType = 'application/json',
): Promise<Answer> {
	const response = await fetch(`${sandbox.baseUrls.ameyo}/ameyorestapi/session/userLogin`, {
		method: 'POST',
		headers: { 'content-type': contentType },
		body: typeof body === 'string' ? body : JSON.stringify(body),
	});
	return readAnswer(response);
}

async function logIn(
	sandbox: Sandbox,
	user: { userId: string; password: string } = AMEYO_SUPERVISOR,
	extra: Record<string, unknown> = {},
): Promise<string> {
	const answer = await loginRequest(sandbox, {
		userId: user.userId,
		token: user.password,
		...extra,
	});
	expect(answer.status).toBe(200);
	return answer.body.sessionId as string;
}

/** Calls a route (path after the base URL); `session: null` sends no sessionId header. */
async function ameyo(
	sandbox: Sandbox,
	path: string,
	options: { method?: string; session: string | null; json?: unknown },
): Promise<Answer> {
	const headers: Record<string, string> = {};
	if (options.session !== null) headers.sessionId = options.session;
	if (options.json !== undefined) headers['content-type'] = 'application/json';
	const response = await fetch(`${sandbox.baseUrls.ameyo}${path}`, {
		method: options.method ?? 'GET',
		headers,
		body: options.json === undefined ? undefined : JSON.stringify(options.json),
	});
	return readAnswer(response);
}

/** The legacy command: form-encoded, one field `data` (a string is sent as is). */
async function command(
	sandbox: Sandbox,
	data: unknown,
	options: { path?: string; headers?: Record<string, string>; form?: string } = {},
): Promise<Answer> {
	const form =
		options.form ??
		new URLSearchParams({
			data: typeof data === 'string' ? data : JSON.stringify(data),
		}).toString();
	const path = options.path ?? '/ameyowebaccess/command/?command=addCallback';
	const response = await fetch(`${sandbox.baseUrls.ameyo}${path}`, {
		method: 'POST',
		headers: { 'content-type': 'application/x-www-form-urlencoded', ...options.headers },
		body: form,
	});
	return readAnswer(response);
}

/** A request with header names sent exactly as written (fetch lowercases them). */
function rawGet(
	url: string,
	headers: Record<string, string>,
): Promise<{ status: number; body: string }> {
	return new Promise((resolve, reject) => {
		const req = httpRequest(url, { method: 'GET', headers }, (res) => {
			let body = '';
			res.setEncoding('utf8');
			res.on('data', (chunk: string) => (body += chunk));
			res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
		});
		req.on('error', reject);
		req.end();
	});
}

async function control(sandbox: Sandbox, method: string, path: string, body?: unknown) {
	const response = await fetch(`${sandbox.url}/_sandbox${path}`, {
		method,
		headers: body === undefined ? {} : { 'content-type': 'application/json' },
		body: body === undefined ? undefined : JSON.stringify(body),
	});
	return readAnswer(response);
}

const ids = (callbacks: AmeyoCallback[]) => callbacks.map((cb) => cb.customerCallbackId);
const fullSort = (callbacks: AmeyoCallback[]) =>
	[...callbacks].sort(
		(a, b) =>
			a.dateAdded - b.dateAdded ||
			(a.customerCallbackId < b.customerCallbackId
				? -1
				: a.customerCallbackId > b.customerCallbackId
					? 1
					: 0),
	);
const validData = (session: string, overrides: Record<string, unknown> = {}) => ({
	sessionId: session,
	campaignId: 111,
	callBackTime: '2026-03-02 10:00:00',
	isSelfCallBack: 'true',
	userId: 'Vinod',
	callBackHandlerType: AMEYO_CALLBACK_HANDLER_TYPE,
	callBackProperties: { phone: '7905690272', customerId: 4711 },
	...overrides,
});

describe('Ameyo sandbox', () => {
	let sandbox: Sandbox;
	let session: string;
	const api = (
		path: string,
		options: { method?: string; session?: string | null; json?: unknown } = {},
	) =>
		ameyo(sandbox, path, {
			...options,
			session: options.session === undefined ? session : options.session,
		});
	const list = (query: string, options: { session?: string | null } = {}) =>
		api(`${LIST}?${query}`, options);
	const page = (campaignId: number, offset: number, limit: number) =>
		list(`offset=${offset}&campaignId=${campaignId}&limit=${limit}`);
	const remove = (id: string, options: { session?: string | null; json?: unknown } = {}) =>
		api(`/ameyorestapi/voice/customerCallbacks/${encodeURIComponent(id)}`, {
			...options,
			method: 'DELETE',
		});
	const logout = (sessionId: string | null = session) =>
		api('/ameyorestapi/session/userLogout', { method: 'POST', session: sessionId });

	beforeAll(async () => {
		sandbox = await startSandbox({ seed: 42, now: () => FIXED_NOW });
	});
	afterAll(async () => {
		await sandbox.close();
	});
	beforeEach(async () => {
		session = await logIn(sandbox);
	});
	afterEach(() => {
		sandbox.faults.clear();
		sandbox.clearRequests();
		sandbox.setNow(undefined);
		sandbox.ameyo.emptyAs500 = true;
		sandbox.ameyo.expiryStyle = '401';
		sandbox.ameyo.loginShape = 'both';
		sandbox.ameyo.expireSessionsAfter(0);
		sandbox.ameyo.expireSessions();
	});

	describe('seeded data', () => {
		it('seeds 60 callbacks over campaigns 110 and 111, field for field as the seed shows', () => {
			const all = sandbox.ameyo.callbacks();
			expect(all).toHaveLength(60);
			const byCampaign = (id: number) => sandbox.ameyo.callbacks(id);
			expect(byCampaign(110)).toHaveLength(30);
			expect(byCampaign(111)).toHaveLength(30);
			expect(byCampaign(112)).toEqual([]);
			expect(ids(all)).toEqual(ids([...byCampaign(110), ...byCampaign(111)]));
			const names = new Map(AMEYO_CAMPAIGNS.map((c) => [c.id, c.name]));
			for (const cb of all) {
				expect(Object.keys(cb)).toEqual(KEYS);
				expect(Object.keys(cb.phoneInfo)).toEqual(['phone', 'displayPhone', 'uniqueIdentifier']);
				expect(cb.customerCallbackId).toMatch(CALLBACK_ID);
				expect([110, 111]).toContain(cb.campaignId);
				expect([names.get(cb.campaignId), null]).toContain(cb.campaignName);
				expect(Math.abs(cb.callbackTime - FIXED_NOW)).toBeLessThanOrEqual(7 * DAY);
				expect(cb.callbackTime % (15 * MINUTE)).toBe(0);
				expect(cb.dateAdded).toBeLessThan(Math.min(cb.callbackTime, FIXED_NOW));
				expect(AMEYO_AGENT_IDS).toContain(cb.userId);
				expect([cb.userId, AMEYO_SUPERVISOR.userId]).toContain(cb.lastScheduledBy);
				expect(cb.phone).toMatch(/^(98\d{8}|\+97798\d{8}|\+1(201|415|646)555\d{4})$/);
				expect(cb.phoneInfo).toEqual({
					phone: cb.phone,
					displayPhone: cb.phone,
					uniqueIdentifier: null,
				});
				expect(cb.customerId === -1 || cb.customerId > 0).toBe(true);
				expect(typeof cb.selfCallback).toBe('boolean');
				expect(cb).toMatchObject({
					maskedPhone: null,
					actualCallbackTime: null,
					groupIds: null,
					groupManagerIds: null,
				});
			}
			const count = (test: (cb: AmeyoCallback) => boolean) => all.filter(test).length;
			expect(count((cb) => /^98\d{8}$/.test(cb.phone))).toBe(48);
			expect(count((cb) => cb.phone.startsWith('+977'))).toBe(6);
			expect(count((cb) => cb.phone.startsWith('+1'))).toBe(6);
			for (const test of [
				(cb: AmeyoCallback) => cb.selfCallback,
				(cb: AmeyoCallback) => cb.customerId === -1,
				(cb: AmeyoCallback) => cb.campaignName === null,
				(cb: AmeyoCallback) => cb.callbackTime < FIXED_NOW,
				(cb: AmeyoCallback) => cb.lastScheduledBy === AMEYO_SUPERVISOR.userId,
			]) {
				expect(count(test)).toBeGreaterThan(0);
				expect(count(test)).toBeLessThan(60);
			}
			expect(new Set(all.map((cb) => cb.userId)).size).toBeGreaterThanOrEqual(4);
		});

		it('lists each campaign by dateAdded, then id', () => {
			for (const id of [110, 111]) {
				const callbacks = sandbox.ameyo.callbacks(id);
				expect(ids(callbacks)).toEqual(ids(fullSort(callbacks)));
			}
		});

		it('exports the documented defaults', () => {
			expect(AMEYO_SUPERVISOR).toEqual({
				userId: 'supervisor@sandbox.ameyo',
				// The sandbox's published test passwords, not real ones.
				// eslint-disable-next-line @n8n/community-nodes/no-hardcoded-secrets
				password: 'sandbox-ameyo-pass-7c21',
			});
			expect(AMEYO_AGENT).toEqual({
				userId: 'agent@sandbox.ameyo',
				// The sandbox's published test passwords, not real ones.
				// eslint-disable-next-line @n8n/community-nodes/no-hardcoded-secrets
				password: 'sandbox-ameyo-agent-3b9d',
			});
			expect(Object.isFrozen(AMEYO_SUPERVISOR) && Object.isFrozen(AMEYO_AGENT)).toBe(true);
			expect(AMEYO_CAMPAIGNS).toEqual([
				{ id: 110, name: 'Collections' },
				{ id: 111, name: 'Renewals' },
				{ id: 112, name: 'Empty campaign' },
			]);
			expect(AMEYO_EMPTY_LIST_ANSWER).toEqual({ status: 500, body: '' });
			expect(sandbox.ameyo.options).toMatchObject({
				users: [
					{ ...AMEYO_SUPERVISOR, maxAllowedLogins: 1 },
					{ ...AMEYO_AGENT, maxAllowedLogins: 1 },
				],
				callbacks: 60,
				sessionTtlSeconds: 1800,
				maxLimit: 1000,
				emptyAs500: true,
				expiryStyle: '401',
				loginShape: 'both',
				serverTimeZone: 'Asia/Kolkata',
			});
			expect(sandbox.baseUrls.ameyo).toBe(`${sandbox.url}/ameyo`);
		});
	});

	describe('login', () => {
		it('issues a session, answered at sessionId and userSessionInfo.sessionId', async () => {
			sandbox.ameyo.expireSessions();
			const before = sandbox.ameyo.loginsIssued;
			const answer = await loginRequest(sandbox, {
				userId: AMEYO_SUPERVISOR.userId,
				token: AMEYO_SUPERVISOR.password,
				terminalInfo: 'n8n',
			});
			expect(answer.status).toBe(200);
			expect(answer.headers.get('content-type')).toBe('application/json');
			const sessionId = answer.body.sessionId as string;
			expect(answer.body).toEqual({
				userId: AMEYO_SUPERVISOR.userId,
				terminalInfo: 'n8n',
				sessionId,
				userSessionInfo: { sessionId, userId: AMEYO_SUPERVISOR.userId, loginTime: FIXED_NOW },
			});
			expect(SESSION_ID.exec(sessionId)?.[1]).toBe(AMEYO_SUPERVISOR.userId);
			expect(sandbox.ameyo.loginsIssued).toBe(before + 1);
			expect(sandbox.ameyo.liveSessions()).toBe(1);
			expect((await list('offset=0&campaignId=110&limit=1', { session: sessionId })).status).toBe(
				200,
			);
			// Without terminalInfo, null.
			const agent = await loginRequest(sandbox, {
				userId: AMEYO_AGENT.userId,
				token: AMEYO_AGENT.password,
			});
			expect(agent.body).toMatchObject({ userId: AMEYO_AGENT.userId, terminalInfo: null });
			expect(SESSION_ID.exec(agent.body.sessionId)?.[1]).toBe(AMEYO_AGENT.userId);
			expect(sandbox.ameyo.liveSessions()).toBe(2);
		});

		it('answers 401 user.authentication.failed to an unknown user or a wrong token', async () => {
			const before = sandbox.ameyo.loginsIssued;
			for (const body of [
				{ userId: 'nobody@sandbox.ameyo', token: AMEYO_SUPERVISOR.password },
				{ userId: AMEYO_SUPERVISOR.userId, token: 'wrong' },
				{ userId: AMEYO_SUPERVISOR.userId, token: AMEYO_AGENT.password },
				{ userId: AMEYO_SUPERVISOR.userId },
				{ userId: AMEYO_SUPERVISOR.userId, password: AMEYO_SUPERVISOR.password },
				{ token: AMEYO_SUPERVISOR.password },
				{ userId: AMEYO_SUPERVISOR.userId, token: 7021 },
				{},
			]) {
				// Wrong credentials are refused before the login slot is looked at.
				expect(await loginRequest(sandbox, { ...body, forceLogin: true })).toMatchObject({
					status: 401,
					body: LOGIN_FAILED,
				});
			}
			expect(sandbox.ameyo.loginsIssued).toBe(before);
			expect((await page(110, 0, 1)).status).toBe(200);
		});

		it('answers 415 to a body that is not JSON, 400 to one that is not an object', async () => {
			const form = new URLSearchParams({
				userId: AMEYO_AGENT.userId,
				token: AMEYO_AGENT.password,
			}).toString();
			expect(await loginRequest(sandbox, form, 'application/x-www-form-urlencoded')).toMatchObject({
				status: 415,
				body: { message: 'unsupported.media.type', status: 415, code: 415 },
			});
			for (const body of ['{"userId": ', '[]', '"text"', 'null']) {
				expect(await loginRequest(sandbox, body)).toMatchObject({
					status: 400,
					body: { message: 'invalid.request.body', status: 400, code: 400 },
				});
			}
			// A charset in the media type is fine.
			expect(
				(
					await loginRequest(
						sandbox,
						{ userId: AMEYO_AGENT.userId, token: AMEYO_AGENT.password },
						'application/json; charset=utf-8',
					)
				).status,
			).toBe(200);
			const get = await fetch(`${sandbox.baseUrls.ameyo}/ameyorestapi/session/userLogin`);
			expect(get.status).toBe(405);
		});

		it('answers 512 Cannot Generate Token while the user has a live session', async () => {
			const before = sandbox.ameyo.loginsIssued;
			const body = { userId: AMEYO_SUPERVISOR.userId, token: AMEYO_SUPERVISOR.password };
			for (const forceLogin of [undefined, false, 'yes']) {
				const answer = await loginRequest(sandbox, { ...body, forceLogin });
				expect(answer).toMatchObject({ status: 512, body: alreadyLoggedIn() });
			}
			expect(sandbox.ameyo.loginsIssued).toBe(before);
			// The first session is untouched, and another user logs in freely.
			expect((await page(110, 0, 1)).status).toBe(200);
			expect(await logIn(sandbox, AMEYO_AGENT)).toMatch(SESSION_ID);
		});

		it('takes the slot over with forceLogin: the old session gets 401, the new one works', async () => {
			const taken = await logIn(sandbox, AMEYO_SUPERVISOR, { forceLogin: true });
			expect(taken).not.toBe(session);
			expect(await page(110, 0, 1)).toMatchObject({ status: 401, body: badToken(session) });
			expect((await list('offset=0&campaignId=110&limit=1', { session: taken })).status).toBe(200);
			// "true" as a string forces too.
			const again = await logIn(sandbox, AMEYO_SUPERVISOR, { forceLogin: 'true' });
			expect((await list('offset=0&campaignId=110&limit=1', { session: taken })).status).toBe(401);
			expect((await list('offset=0&campaignId=110&limit=1', { session: again })).status).toBe(200);
			expect(sandbox.ameyo.liveSessions()).toBe(1);
		});

		it('answers the session id where loginShape says', async () => {
			sandbox.ameyo.expireSessions();
			const body = { userId: AMEYO_SUPERVISOR.userId, token: AMEYO_SUPERVISOR.password };
			sandbox.ameyo.loginShape = 'nested';
			const nested = await loginRequest(sandbox, { ...body, forceLogin: true });
			expect(Object.keys(nested.body)).toEqual(['userId', 'terminalInfo', 'userSessionInfo']);
			expect(nested.body.userSessionInfo.sessionId).toMatch(SESSION_ID);
			sandbox.ameyo.loginShape = 'flat';
			const flat = await loginRequest(sandbox, { ...body, forceLogin: true });
			expect(flat.body).toEqual({
				userId: AMEYO_SUPERVISOR.userId,
				terminalInfo: null,
				sessionId: expect.stringMatching(SESSION_ID),
			});
			const flatSession = flat.body.sessionId as string;
			expect((await list('offset=0&campaignId=110&limit=1', { session: flatSession })).status).toBe(
				200,
			);
		});
	});

	describe('sessions', () => {
		it('read the sessionId header in any case', async () => {
			const url = `${sandbox.baseUrls.ameyo}${LIST}?offset=0&campaignId=110&limit=2`;
			for (const name of ['Sessionid', 'sessionId', 'SESSIONID', 'sessionid']) {
				const answer = await rawGet(url, { [name]: session });
				expect(answer.status).toBe(200);
				expect(JSON.parse(answer.body)).toHaveLength(2);
			}
		});

		it('answer 401 echoing the session id, before looking at the route', async () => {
			const unknown = 'd741-6904fad1-ses-supervisor@sandbox.ameyo-unknown-00000';
			const paths = [
				`${LIST}?offset=0&campaignId=110&limit=1`,
				`${LIST}?offset=x`,
				'/ameyorestapi/voice/customerCallbacks/anything',
				'/ameyorestapi/nowhere',
			];
			for (const path of paths) {
				expect(await api(path, { session: null })).toMatchObject({
					status: 401,
					body: badToken(''),
				});
				const answer = await api(path, { session: unknown });
				expect(answer).toMatchObject({ status: 401, body: badToken(unknown) });
				expect(answer.headers.get('content-type')).toBe('application/json');
			}
			expect(await remove('anything', { session: unknown })).toMatchObject({ status: 401 });
			// With a session, the unknown path is Tomcat's HTML 404.
			const notFound = await api('/ameyorestapi/nowhere');
			expect(notFound.status).toBe(404);
			expect(notFound.headers.get('content-type')).toMatch(/^text\/html/);
			expect(notFound.body).toBeUndefined();
		});

		it('end after sessionTtlSeconds unused on the sandbox clock, each use starting it again', async () => {
			sandbox.setNow(FIXED_NOW + TTL_MS - 1);
			expect((await page(110, 0, 1)).status).toBe(200);
			// Used just now: another almost-TTL later it still works.
			sandbox.setNow(FIXED_NOW + 2 * TTL_MS - 2);
			expect((await page(110, 0, 1)).status).toBe(200);
			expect(sandbox.ameyo.liveSessions()).toBe(1);
			sandbox.setNow(FIXED_NOW + 3 * TTL_MS - 2);
			expect(sandbox.ameyo.liveSessions()).toBe(0);
			expect(await page(110, 0, 1)).toMatchObject({ status: 401, body: badToken(session) });
			// The slot is free again: a plain login works, and going back does not revive it.
			const fresh = await logIn(sandbox);
			sandbox.setNow(FIXED_NOW);
			expect((await page(110, 0, 1)).status).toBe(401);
			expect((await list('offset=0&campaignId=110&limit=1', { session: fresh })).status).toBe(200);
		});

		it('end at expireSessions(), freeing the login slots', async () => {
			const agent = await logIn(sandbox, AMEYO_AGENT);
			const issued = sandbox.ameyo.loginsIssued;
			sandbox.ameyo.expireSessions();
			expect(sandbox.ameyo.liveSessions()).toBe(0);
			expect((await page(110, 0, 1)).status).toBe(401);
			expect((await remove('x', { session: agent })).status).toBe(401);
			expect((await command(sandbox, validData(session))).body).toEqual({
				status: 'error',
				reason: 'Invalid session Id',
			});
			expect(sandbox.ameyo.loginsIssued).toBe(issued);
			session = await logIn(sandbox);
			expect((await page(110, 0, 1)).status).toBe(200);
		});

		it('end after the next N requests with a live session at expireSessionsAfter(N)', async () => {
			const agent = await logIn(sandbox, AMEYO_AGENT);
			sandbox.ameyo.expireSessionsAfter(3);
			// Refused requests and logins do not count.
			expect((await page(110, 0, 1)).status).toBe(200);
			expect((await list('offset=0&campaignId=110&limit=1', { session: 'nope' })).status).toBe(401);
			expect((await list('offset=0&campaignId=110&limit=1', { session: agent })).status).toBe(200);
			// An answer that is an error counts too.
			expect((await page(110, 0, 0)).status).toBe(400);
			// Every session live then has ended, the agent's too.
			expect(await page(110, 0, 1)).toMatchObject({ status: 401, body: badToken(session) });
			expect((await list('offset=0&campaignId=110&limit=1', { session: agent })).status).toBe(401);
			expect(sandbox.ameyo.liveSessions()).toBe(0);
			// Only once: a new session keeps working.
			session = await logIn(sandbox);
			for (let i = 0; i < 4; i++) expect((await page(110, 0, 1)).status).toBe(200);
			sandbox.ameyo.expireSessionsAfter(1);
			expect((await command(sandbox, validData(session, { callBackTime: 'x' }))).body).toEqual({
				status: 'error',
				reason: 'Invalid callBackTime',
			});
			expect((await page(110, 0, 1)).status).toBe(401);
			// 0 cancels.
			session = await logIn(sandbox);
			sandbox.ameyo.expireSessionsAfter(1);
			sandbox.ameyo.expireSessionsAfter(0);
			expect((await page(110, 0, 1)).status).toBe(200);
			expect((await page(110, 0, 1)).status).toBe(200);
			expect(() => sandbox.ameyo.expireSessionsAfter(-1)).toThrow(/invalid count/);
			expect(() => sandbox.ameyo.expireSessionsAfter(1.5)).toThrow(/invalid count/);
		});

		it('end at logout, which answers the text ok', async () => {
			const answer = await logout();
			expect(answer).toMatchObject({ status: 200, text: 'ok' });
			expect(answer.headers.get('content-type')).toMatch(/^text\/plain/);
			expect(await page(110, 0, 1)).toMatchObject({ status: 401, body: badToken(session) });
			expect(await logout()).toMatchObject({ status: 401, body: badToken(session) });
			expect(await logout(null)).toMatchObject({ status: 401, body: badToken('') });
			// The slot is free.
			session = await logIn(sandbox);
			expect((await api('/ameyorestapi/session/userLogout', { method: 'GET' })).status).toBe(405);
			expect((await page(110, 0, 1)).status).toBe(200);
		});

		it('answer HTTP 500 with the same body while expiryStyle is 500', async () => {
			sandbox.ameyo.expiryStyle = '500';
			const stale = session;
			sandbox.ameyo.expireSessions();
			for (const answer of [
				await page(110, 0, 1),
				await remove('x'),
				await logout(stale),
				await api('/ameyorestapi/nowhere'),
			]) {
				expect(answer).toMatchObject({ status: 500, body: badToken(stale, 500) });
				// Unlike the empty-page 500, it has a JSON body.
				expect(answer.headers.get('content-type')).toBe('application/json');
				expect(answer.text).not.toBe('');
			}
			// Wrong login credentials stay a 401.
			expect((await loginRequest(sandbox, { userId: 'x', token: 'y' })).status).toBe(401);
			session = await logIn(sandbox);
			expect((await page(110, 0, 1)).status).toBe(200);
		});
	});

	describe('getFiltered', () => {
		it('answers a bare array of the campaign page, in list order', async () => {
			const answer = await page(110, 0, 10);
			expect(answer.status).toBe(200);
			expect(answer.headers.get('content-type')).toBe('application/json');
			expect(Array.isArray(answer.body)).toBe(true);
			expect(answer.body).toEqual(sandbox.ameyo.callbacks(110).slice(0, 10));
			for (const cb of answer.body as AmeyoCallback[]) expect(Object.keys(cb)).toEqual(KEYS);
			const second = await page(111, 5, 3);
			expect(second.body).toEqual(sandbox.ameyo.callbacks(111).slice(5, 8));
			// The parameters in any order.
			const reordered = await list('limit=3&campaignId=111&offset=5');
			expect(reordered.body).toEqual(second.body);
		});

		it('pages by offset to a short last page, and answers the documented 500 past the end', async () => {
			const expected = sandbox.ameyo.callbacks(110);
			const seen: AmeyoCallback[] = [];
			let offset = 0;
			for (;;) {
				const answer = await page(110, offset, 7);
				expect(answer.status).toBe(200);
				seen.push(...answer.body);
				offset += answer.body.length;
				if (answer.body.length < 7) break;
			}
			expect(seen).toEqual(expected);
			for (const past of [30, 31, 1000]) {
				const answer = await page(110, past, 7);
				expect(answer).toMatchObject({ status: 500, text: '' });
				expect(answer.headers.get('content-length')).toBe('0');
				expect(answer.headers.get('content-type')).toBeNull();
			}
			// A full last page is followed by the 500, not by [].
			expect((await page(110, 20, 10)).body).toHaveLength(10);
			expect((await page(110, 30, 10)).status).toBe(500);
		});

		it('answers the 500 for an empty campaign, and [] while emptyAs500 is off', async () => {
			expect(await page(112, 0, 101)).toMatchObject({ status: 500, text: '' });
			sandbox.ameyo.emptyAs500 = false;
			const empty = await page(112, 0, 101);
			expect(empty).toMatchObject({ status: 200, body: [] });
			expect(empty.headers.get('content-type')).toBe('application/json');
			expect(await page(110, 30, 1)).toMatchObject({ status: 200, body: [] });
		});

		it('needs offset, campaignId and limit as integers, naming the first bad one in a 400', async () => {
			const cases: Array<[string, RegExp]> = [
				['campaignId=110&limit=10', /^offset is required$/],
				['offset=0&limit=10', /^campaignId is required$/],
				['offset=0&campaignId=110', /^limit is required$/],
				['', /^offset is required$/],
				['offset=abc&campaignId=110&limit=10', /^offset must be an integer, got "abc"$/],
				['offset=1.5&campaignId=110&limit=10', /^offset must be an integer/],
				['offset=&campaignId=110&limit=10', /^offset must be an integer, got ""$/],
				['offset=%201&campaignId=110&limit=10', /^offset must be an integer/],
				['offset=-1&campaignId=110&limit=10', /^offset must be 0 or more, got -1$/],
				['offset=0&campaignId=1e2&limit=10', /^campaignId must be an integer/],
				['offset=0&campaignId=Collections&limit=10', /^campaignId must be an integer/],
				['offset=0&campaignId=110&limit=0', /^limit must be from 1 to 1000, got 0$/],
				['offset=0&campaignId=110&limit=1001', /^limit must be from 1 to 1000, got 1001$/],
				['offset=0&campaignId=110&limit=-5', /^limit must be from 1 to 1000/],
				['offset=0&campaignId=110&limit=99999999999999999999', /^limit must be an integer/],
				// The first bad one in the order offset, campaignId, limit; before the campaign.
				['offset=x&campaignId=y&limit=z', /^offset/],
				['offset=0&campaignId=999&limit=0', /^limit/],
			];
			for (const [query, info] of cases) {
				expect(await list(query)).toMatchObject({ status: 400, body: invalidParameter(info) });
			}
			expect((await page(110, 0, 1000)).status).toBe(200);
		});

		it('answers 512 campaign.not.found to an unknown campaign', async () => {
			for (const id of [999, 0, -110]) {
				expect(await page(id, 0, 10)).toMatchObject({
					status: 512,
					body: {
						message: 'campaign.not.found',
						info: `No campaign with id ${id}`,
						status: 512,
						code: 512,
					},
				});
			}
		});

		it('answers Tomcat pages to other methods on the route', async () => {
			const post = await api(`${LIST}?offset=0&campaignId=110&limit=1`, { method: 'POST' });
			expect(post.status).toBe(405);
			expect(post.headers.get('content-type')).toMatch(/^text\/html/);
		});
	});

	describe('delete', () => {
		it('deletes for good and answers the text ok', async () => {
			const cb = sandbox.ameyo.addCallback();
			const answer = await remove(cb.customerCallbackId);
			expect(answer).toMatchObject({ status: 200, text: 'ok', body: undefined });
			expect(answer.headers.get('content-type')).toMatch(/^text\/plain/);
			expect(sandbox.ameyo.getCallback(cb.customerCallbackId)).toBeUndefined();
			expect(ids(sandbox.ameyo.callbacks(110))).not.toContain(cb.customerCallbackId);
			expect(await remove(cb.customerCallbackId)).toMatchObject({
				status: 512,
				body: {
					message: 'callback.not.found',
					info: `No callback with id ${cb.customerCallbackId}`,
					status: 512,
					code: 512,
				},
			});
		});

		it('ignores a JSON body, decodes the id and needs a session', async () => {
			const [a, b] = [sandbox.ameyo.addCallback(), sandbox.ameyo.addCallback()];
			expect(
				(await remove(a.customerCallbackId, { json: { customerCallbackId: b.customerCallbackId } }))
					.text,
			).toBe('ok');
			expect(sandbox.ameyo.getCallback(b.customerCallbackId)).toBeDefined();
			expect((await remove(b.customerCallbackId, { session: null })).status).toBe(401);
			expect(sandbox.ameyo.getCallback(b.customerCallbackId)).toBeDefined();
			const odd = sandbox.ameyo.addCallback({ customerCallbackId: 'id with/slash' });
			expect((await remove(odd.customerCallbackId)).text).toBe('ok');
			const malformed = await api('/ameyorestapi/voice/customerCallbacks/%E0%A4%A', {
				method: 'DELETE',
			});
			expect(malformed).toMatchObject({
				status: 512,
				body: { message: 'callback.not.found', info: 'No callback with id %E0%A4%A' },
			});
			const get = await api(`/ameyorestapi/voice/customerCallbacks/${b.customerCallbackId}`);
			expect(get.status).toBe(405);
			expect((await remove(b.customerCallbackId)).text).toBe('ok');
		});
	});

	describe('addCallback (legacy command)', () => {
		it('creates a callback from a server-local time, scheduled by the session user', async () => {
			const answer = await command(sandbox, validData(session));
			expect(answer.status).toBe(200);
			expect(answer.headers.get('content-type')).toBe('application/json');
			expect(answer.body).toEqual({
				status: 'success',
				customerCallbackId: expect.stringMatching(CALLBACK_ID),
			});
			const id = answer.body.customerCallbackId as string;
			// 10:00 in Asia/Kolkata (UTC+5:30).
			expect(sandbox.ameyo.getCallback(id)).toEqual({
				customerCallbackId: id,
				campaignId: 111,
				callbackTime: Date.UTC(2026, 2, 2, 4, 30),
				selfCallback: true,
				userId: 'Vinod',
				phone: '7905690272',
				customerId: 4711,
				dateAdded: FIXED_NOW,
				maskedPhone: null,
				lastScheduledBy: AMEYO_SUPERVISOR.userId,
				actualCallbackTime: null,
				campaignName: 'Renewals',
				phoneInfo: { phone: '7905690272', displayPhone: '7905690272', uniqueIdentifier: null },
				groupIds: null,
				groupManagerIds: null,
			});
			// Added now, it comes last in its campaign.
			const listed = await page(111, 0, 1000);
			expect(listed.body[listed.body.length - 1].customerCallbackId).toBe(id);
		});

		it('takes epoch milliseconds, booleans, no customerId, the path without a slash and a header session', async () => {
			const due = FIXED_NOW + 3 * HOUR;
			const cases: Array<[Record<string, unknown>, Partial<AmeyoCallback>]> = [
				[
					{ callBackTime: due, isSelfCallBack: false },
					{ callbackTime: due, selfCallback: false },
				],
				[
					{ callBackTime: String(due), isSelfCallBack: true },
					{ callbackTime: due, selfCallback: true },
				],
				[{ isSelfCallBack: 'false' }, { selfCallback: false }],
				[{ isSelfCallBack: undefined }, { selfCallback: false }],
				[
					{ callBackProperties: { phone: '+9779812345678' } },
					{ phone: '+9779812345678', customerId: -1 },
				],
				[{ callBackProperties: { phone: '9800000001', customerId: -1 } }, { customerId: -1 }],
				[{ callBackProperties: { phone: '9800000002', customerId: '512' } }, { customerId: 512 }],
				[{ campaignId: '110' }, { campaignId: 110, campaignName: 'Collections' }],
			];
			for (const [overrides, expected] of cases) {
				const answer = await command(sandbox, validData(session, overrides));
				expect(answer.body.status).toBe('success');
				expect(sandbox.ameyo.getCallback(answer.body.customerCallbackId)).toMatchObject(expected);
			}
			const noSlash = await command(sandbox, validData(session), {
				path: '/ameyowebaccess/command?command=addCallback',
			});
			expect(noSlash.body.status).toBe('success');
			// The session from the header when data has none.
			const withoutSession: Record<string, unknown> = validData(session);
			delete withoutSession.sessionId;
			const header = await command(sandbox, withoutSession, { headers: { sessionId: session } });
			expect(header.body.status).toBe('success');
			const agent = await logIn(sandbox, AMEYO_AGENT);
			const byAgent = await command(sandbox, { ...withoutSession, sessionId: agent });
			expect(sandbox.ameyo.getCallback(byAgent.body.customerCallbackId)?.lastScheduledBy).toBe(
				AMEYO_AGENT.userId,
			);
		});

		it('answers 200 status error Invalid callBackTime to any other time, creating nothing', async () => {
			const before = sandbox.ameyo.callbacks().length;
			for (const callBackTime of [
				undefined,
				null,
				'',
				'2026-03-02T10:00:00Z',
				'2026-03-02T10:00:00',
				'2026-03-02 10:00',
				'2026-03-02 10:00:00.000',
				'02/03/2026 10:00:00',
				'2026-02-30 10:00:00',
				'2026-03-02 24:00:00',
				'tomorrow',
				true,
				-5,
				1.5,
				{ time: FIXED_NOW },
			]) {
				const answer = await command(sandbox, validData(session, { callBackTime }));
				expect(answer).toMatchObject({
					status: 200,
					body: { status: 'error', reason: 'Invalid callBackTime' },
				});
			}
			expect(sandbox.ameyo.callbacks()).toHaveLength(before);
		});

		it('answers 200 status error to a bad session, data, command or field', async () => {
			const before = sandbox.ameyo.callbacks().length;
			const error = (reason: string | RegExp) => ({
				status: 200,
				body: {
					status: 'error',
					reason: typeof reason === 'string' ? reason : expect.stringMatching(reason),
				},
			});
			const cases: Array<[Promise<Answer>, ReturnType<typeof error>]> = [
				[command(sandbox, validData('nope')), error('Invalid session Id')],
				[command(sandbox, validData('')), error('Invalid session Id')],
				[
					command(sandbox, validData('nope'), { headers: { sessionId: session } }),
					error('Invalid session Id'),
				],
				[command(sandbox, 'not json'), error(/^Invalid data/)],
				[command(sandbox, '[1]'), error(/^Invalid data/)],
				[command(sandbox, undefined, { form: 'other=1' }), error('Missing data')],
				[
					command(sandbox, validData(session), {
						path: '/ameyowebaccess/command/?command=deleteCallback',
					}),
					error('Unknown command: deleteCallback'),
				],
				[
					command(sandbox, validData(session), { path: '/ameyowebaccess/command/' }),
					error('Missing command'),
				],
				[
					command(sandbox, validData(session, { campaignId: 999 })),
					error('Campaign not found: 999'),
				],
				[command(sandbox, validData(session, { campaignId: 'x' })), error('Invalid campaignId')],
				[
					command(sandbox, validData(session, { campaignId: undefined })),
					error('Invalid campaignId'),
				],
				[command(sandbox, validData(session, { userId: undefined })), error('Missing userId')],
				[command(sandbox, validData(session, { userId: ' ' })), error('Missing userId')],
				[
					command(sandbox, validData(session, { callBackHandlerType: 'voice.other' })),
					error(/^Invalid callBackHandlerType/),
				],
				[
					command(sandbox, validData(session, { callBackHandlerType: undefined })),
					error(/^Invalid callBackHandlerType/),
				],
				[command(sandbox, validData(session, { callBackProperties: {} })), error('Missing phone')],
				[
					command(sandbox, validData(session, { callBackProperties: undefined })),
					error('Missing phone'),
				],
				[
					command(
						sandbox,
						validData(session, { callBackProperties: { phone: '98', customerId: 'x' } }),
					),
					error('Invalid customerId'),
				],
				[
					command(sandbox, validData(session, { isSelfCallBack: 'yes' })),
					error('Invalid isSelfCallBack'),
				],
			];
			for (const [answer, expected] of cases) expect(await answer).toMatchObject(expected);
			expect(sandbox.ameyo.callbacks()).toHaveLength(before);
			// A body that is not a form has no data.
			const json = await fetch(
				`${sandbox.baseUrls.ameyo}/ameyowebaccess/command/?command=addCallback`,
				{
					method: 'POST',
					headers: { 'content-type': 'application/json' },
					body: JSON.stringify({ data: validData(session) }),
				},
			);
			expect((await readAnswer(json)).body).toEqual({ status: 'error', reason: 'Missing data' });
			const get = await fetch(
				`${sandbox.baseUrls.ameyo}/ameyowebaccess/command/?command=addCallback`,
			);
			expect(get.status).toBe(405);
		});
	});

	describe('in-process API', () => {
		it('adds a callback in the first campaign due in a day, or as the partial says', () => {
			const cb = sandbox.ameyo.addCallback();
			expect(cb).toEqual({
				customerCallbackId: expect.stringMatching(CALLBACK_ID),
				campaignId: 110,
				callbackTime: FIXED_NOW + DAY,
				selfCallback: false,
				userId: AMEYO_AGENT_IDS[0],
				phone: '9876543210',
				customerId: -1,
				dateAdded: FIXED_NOW,
				maskedPhone: null,
				lastScheduledBy: AMEYO_SUPERVISOR.userId,
				actualCallbackTime: null,
				campaignName: 'Collections',
				phoneInfo: { phone: '9876543210', displayPhone: '9876543210', uniqueIdentifier: null },
				groupIds: null,
				groupManagerIds: null,
			});
			const custom = sandbox.ameyo.addCallback({
				campaignId: 112,
				phone: '+12015550123',
				dateAdded: FIXED_NOW - DAY,
				campaignName: null,
				groupIds: [7],
			});
			expect(custom).toMatchObject({
				campaignId: 112,
				campaignName: null,
				phone: '+12015550123',
				phoneInfo: { phone: '+12015550123', displayPhone: '+12015550123' },
				groupIds: [7],
			});
			expect(sandbox.ameyo.callbacks(112)).toEqual([custom]);
			expect(() => sandbox.ameyo.addCallback({ campaignId: 5 })).toThrow(/no campaign 5/);
			expect(() =>
				sandbox.ameyo.addCallback({ customerCallbackId: cb.customerCallbackId }),
			).toThrow(/exists/);
			// Copies: changing one changes nothing stored.
			const copy = sandbox.ameyo.getCallback(custom.customerCallbackId)!;
			copy.phoneInfo.phone = 'changed';
			copy.groupIds!.push(8);
			expect(sandbox.ameyo.getCallback(custom.customerCallbackId)).toEqual(custom);
			expect(sandbox.ameyo.removeCallback(custom.customerCallbackId)).toBe(true);
			expect(sandbox.ameyo.removeCallback(custom.customerCallbackId)).toBe(false);
			expect(sandbox.ameyo.removeCallback(cb.customerCallbackId)).toBe(true);
		});

		it('changes callbacks in place, phoneInfo and campaignName following', async () => {
			const cb = sandbox.ameyo.addCallback({ dateAdded: FIXED_NOW - 30 * DAY });
			expect((await page(110, 0, 1)).body[0].customerCallbackId).toBe(cb.customerCallbackId);
			const changed = sandbox.ameyo.changeCallback(cb.customerCallbackId, {
				phone: '9811111111',
				campaignId: 111,
			});
			expect(changed).toMatchObject({
				phone: '9811111111',
				phoneInfo: { phone: '9811111111', displayPhone: '9811111111' },
				campaignId: 111,
				campaignName: 'Renewals',
			});
			expect((await page(111, 0, 1)).body[0]).toEqual(changed);
			expect(ids(sandbox.ameyo.callbacks(110))).not.toContain(cb.customerCallbackId);
			// A later dateAdded moves it to the end.
			sandbox.ameyo.changeCallback(cb.customerCallbackId, { dateAdded: FIXED_NOW + DAY });
			const all = sandbox.ameyo.callbacks(111);
			expect(all[all.length - 1].customerCallbackId).toBe(cb.customerCallbackId);
			expect(() => sandbox.ameyo.changeCallback('nope', {})).toThrow(/no callback/);
			expect(() =>
				sandbox.ameyo.changeCallback(cb.customerCallbackId, { customerCallbackId: 'other' }),
			).toThrow(/cannot change/);
			expect(() => sandbox.ameyo.changeCallback(cb.customerCallbackId, { campaignId: 5 })).toThrow(
				/no campaign/,
			);
			sandbox.ameyo.removeCallback(cb.customerCallbackId);
		});

		it('keeps the list order right through bulk adds, moves and removals', async () => {
			const big = await startSandbox({ seed: 3, now: () => FIXED_NOW, ameyo: { callbacks: 20 } });
			try {
				// Out of order, with ties.
				const added = big.ameyo.addCallbacks(5_000, (i) => ({
					campaignId: i % 3 === 0 ? 111 : 110,
					dateAdded: FIXED_NOW - ((i * 7919) % 1_000) * MINUTE,
				}));
				expect(added).toHaveLength(5_000);
				expect(new Set(added).size).toBe(5_000);
				for (const id of [110, 111]) {
					const callbacks = big.ameyo.callbacks(id);
					expect(ids(callbacks)).toEqual(ids(fullSort(callbacks)));
				}
				for (let round = 0; round < 5; round++) {
					const current = big.ameyo.callbacks(110);
					big.ameyo.addCallback({ dateAdded: FIXED_NOW - round * HOUR });
					big.ameyo.changeCallback(current[round * 100].customerCallbackId, {
						dateAdded: FIXED_NOW - (30 + round) * DAY,
					});
					big.ameyo.changeCallback(current[round * 100 + 1].customerCallbackId, {
						campaignId: 111,
					});
					big.ameyo.removeCallback(current[round * 100 + 2].customerCallbackId);
					big.ameyo.changeCallback(current[round * 100 + 3].customerCallbackId, {
						userId: 'Vinod',
					});
					const after = big.ameyo.callbacks(110);
					expect(after).toHaveLength(current.length - 1);
					expect(ids(after)).toEqual(ids(fullSort(after)));
					expect(after[0].dateAdded).toBe(FIXED_NOW - (30 + round) * DAY);
					const other = big.ameyo.callbacks(111);
					expect(ids(other)).toEqual(ids(fullSort(other)));
				}
				const token = await logIn(big);
				const answer = await ameyo(big, `${LIST}?offset=500&campaignId=110&limit=500`, {
					session: token,
				});
				expect(ids(answer.body)).toEqual(ids(big.ameyo.callbacks(110).slice(500, 1_000)));
			} finally {
				await big.close();
			}
		});
	});

	describe('faults', () => {
		it('answer with the Ameyo envelope, and HTML pages from the html fault', async () => {
			sandbox.faults.add([
				{ provider: 'ameyo', type: 'status', status: 503 },
				{ provider: 'ameyo', type: 'rate-limit', retryAfter: 2 },
				{ provider: 'ameyo', type: 'html', status: 500 },
			]);
			expect(await page(110, 0, 1)).toMatchObject({
				status: 503,
				body: { message: expect.any(String), info: null, status: 503, code: 503 },
			});
			const limited = await page(110, 0, 1);
			expect(limited).toMatchObject({
				status: 429,
				body: { message: 'Too many requests', info: null, status: 429, code: 429 },
			});
			expect(limited.headers.get('retry-after')).toBe('2');
			const html = await page(110, 0, 1);
			expect(html.status).toBe(500);
			expect(html.headers.get('content-type')).toBe('text/html');
			expect(html.text).toMatch(/^<!DOCTYPE html>/);
			expect((await page(110, 0, 1)).status).toBe(200);
		});

		it('can hit the login alone, and a delete after it took effect', async () => {
			sandbox.faults.add({
				provider: 'ameyo',
				route: '/ameyorestapi/session/userLogin',
				type: 'status',
				status: 500,
			});
			const failed = await loginRequest(sandbox, {
				userId: AMEYO_AGENT.userId,
				token: AMEYO_AGENT.password,
			});
			expect(failed.status).toBe(500);
			expect(await logIn(sandbox, AMEYO_AGENT)).toMatch(SESSION_ID);

			const cb = sandbox.ameyo.addCallback();
			sandbox.faults.add({
				provider: 'ameyo',
				route: `/ameyorestapi/voice/customerCallbacks/${cb.customerCallbackId}`,
				method: 'DELETE',
				type: 'drop',
				afterProcessing: true,
			});
			await expect(remove(cb.customerCallbackId)).rejects.toThrow();
			expect(sandbox.ameyo.getCallback(cb.customerCallbackId)).toBeUndefined();
			expect((await remove(cb.customerCallbackId)).status).toBe(512);
		});
	});

	describe('control API', () => {
		it('serves the Ameyo state without session ids, and records its requests', async () => {
			await logIn(sandbox, AMEYO_AGENT);
			const { status, body } = await control(sandbox, 'GET', '/state/ameyo');
			expect(status).toBe(200);
			expect(body).toMatchObject({
				provider: 'ameyo',
				users: [
					{ ...AMEYO_SUPERVISOR, maxAllowedLogins: 1 },
					{ ...AMEYO_AGENT, maxAllowedLogins: 1 },
				],
				campaigns: AMEYO_CAMPAIGNS,
				serverTimeZone: 'Asia/Kolkata',
				sessionTtlSeconds: 1800,
				maxLimit: 1000,
				emptyAs500: true,
				expiryStyle: '401',
				loginShape: 'both',
				loginsIssued: sandbox.ameyo.loginsIssued,
				liveSessions: 2,
				sessionsByUser: { [AMEYO_SUPERVISOR.userId]: 1, [AMEYO_AGENT.userId]: 1 },
				expireSessionsAfter: 0,
				callbacksCount: sandbox.ameyo.callbacks().length,
			});
			expect(body.callbacks).toEqual(sandbox.ameyo.callbacks());
			expect(JSON.stringify(body)).not.toContain(session);

			expect((await control(sandbox, 'GET', '/health')).body.providers).toContain('ameyo');
			sandbox.clearRequests();
			await page(110, 0, 5);
			const recorded = await control(sandbox, 'GET', '/requests?provider=ameyo');
			expect(recorded.body.requests).toEqual([
				expect.objectContaining({
					provider: 'ameyo',
					method: 'GET',
					path: `/ameyo${LIST}?offset=0&campaignId=110&limit=5`,
					route: LIST,
					query: { offset: '0', campaignId: '110', limit: '5' },
					at: FIXED_NOW,
				}),
			]);
			expect(recorded.body.requests[0].headers.sessionid).toBe(session);
		});

		it('answers Tomcat 404 pages outside the Ameyo applications, without a session', async () => {
			for (const path of ['', '/', '/ameyorestapi', '/other/ameyorestapi/x']) {
				const answer = await readAnswer(await fetch(`${sandbox.baseUrls.ameyo}${path}`));
				expect(answer.status).toBe(404);
				expect(answer.headers.get('content-type')).toMatch(/^text\/html/);
			}
		});
	});
});

describe('Ameyo sandbox with big stores and options', () => {
	it('pages through 2,000 added callbacks, 101 at a time, to the 500 past the end', async () => {
		const sandbox = await startSandbox({ now: () => FIXED_NOW, ameyo: { callbacks: 0 } });
		try {
			const added = sandbox.ameyo.addCallbacks(2_000, (i) => ({
				dateAdded: FIXED_NOW - (i % 97) * MINUTE,
				campaignId: 110,
			}));
			const session = await logIn(sandbox);
			const seen: AmeyoCallback[] = [];
			let pages = 0;
			for (let offset = 0; ; offset += 101) {
				const answer = await ameyo(sandbox, `${LIST}?offset=${offset}&campaignId=110&limit=101`, {
					session,
				});
				pages += 1;
				if (answer.status === 500) {
					expect(answer.text).toBe('');
					break;
				}
				seen.push(...answer.body);
				if (answer.body.length < 101) break;
			}
			expect(pages).toBe(20);
			expect(ids(seen)).toEqual(ids(sandbox.ameyo.callbacks(110)));
			expect(new Set(ids(seen))).toEqual(new Set(added));
		} finally {
			await sandbox.close();
		}
	});

	it('holds 100,000 callbacks and lists a page deep in them', async () => {
		const sandbox = await startSandbox({ now: () => FIXED_NOW, ameyo: { callbacks: 0 } });
		try {
			sandbox.ameyo.addCallbacks(100_000, (i) => ({
				campaignId: i % 2 === 0 ? 110 : 111,
				dateAdded: FIXED_NOW - (100_000 - i) * SECOND,
			}));
			const session = await logIn(sandbox);
			const answer = await ameyo(sandbox, `${LIST}?offset=49900&campaignId=111&limit=1000`, {
				session,
			});
			expect(answer.status).toBe(200);
			expect(answer.body).toHaveLength(100);
			const times = (answer.body as AmeyoCallback[]).map((cb) => cb.dateAdded);
			expect(times).toEqual([...times].sort((a, b) => a - b));
			expect(times[times.length - 1]).toBe(FIXED_NOW - SECOND);
			const past = await ameyo(sandbox, `${LIST}?offset=50000&campaignId=111&limit=1000`, {
				session,
			});
			expect(past.status).toBe(500);
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
			expect(a.ameyo.callbacks()).toEqual(b.ameyo.callbacks());
			expect(a.ameyo.callbacks()).not.toEqual(c.ameyo.callbacks());
			// Logging in does not change the ids that come next, and sessions are seeded too.
			const [sa, sb] = [await logIn(a), await logIn(b)];
			expect(sa).toBe(sb);
			expect(a.ameyo.addCallback().customerCallbackId).toBe(
				b.ameyo.addCallback().customerCallbackId,
			);
		} finally {
			await Promise.all([a.close(), b.close(), c.close()]);
		}
	});

	it('takes users, campaigns, limits, lifetimes and the server zone from the options', async () => {
		const user = { userId: 'admin', password: 'p', maxAllowedLogins: 2 };
		const sandbox = await startSandbox({
			now: () => FIXED_NOW,
			ameyo: {
				users: [user],
				campaigns: [
					{ id: 7, name: 'Seven' },
					{ id: 8, name: 'Eight' },
					{ id: 9, name: 'Nine' },
				],
				callbacks: 10,
				sessionTtlSeconds: 60,
				maxLimit: 5,
				emptyAs500: false,
				expiryStyle: '500',
				loginShape: 'nested',
				serverTimeZone: 'America/New_York',
			},
		});
		try {
			expect(sandbox.ameyo).toMatchObject({
				emptyAs500: false,
				expiryStyle: '500',
				loginShape: 'nested',
			});
			expect(sandbox.ameyo.callbacks(7)).toHaveLength(5);
			expect(sandbox.ameyo.callbacks(8)).toHaveLength(5);
			expect(sandbox.ameyo.callbacks(9)).toEqual([]);
			expect((await loginRequest(sandbox, AMEYO_SUPERVISOR)).status).toBe(401);
			const login = () => loginRequest(sandbox, { userId: 'admin', token: 'p' });
			const first = (await login()).body.userSessionInfo.sessionId as string;
			expect((await login()).status).toBe(200);
			expect(await login()).toMatchObject({ status: 512, body: alreadyLoggedIn(2) });
			// Force ends both, then issues one.
			const forced = await loginRequest(sandbox, { userId: 'admin', token: 'p', forceLogin: true });
			expect(sandbox.ameyo.liveSessions()).toBe(1);
			const session = forced.body.userSessionInfo.sessionId as string;
			expect(
				(await ameyo(sandbox, `${LIST}?offset=0&campaignId=7&limit=5`, { session })).body,
			).toHaveLength(5);
			expect(
				(await ameyo(sandbox, `${LIST}?offset=0&campaignId=7&limit=6`, { session })).body.info,
			).toBe('limit must be from 1 to 5, got 6');
			expect(
				await ameyo(sandbox, `${LIST}?offset=0&campaignId=9&limit=5`, { session }),
			).toMatchObject({
				status: 200,
				body: [],
			});
			expect(
				await ameyo(sandbox, `${LIST}?offset=0&campaignId=7&limit=5`, { session: first }),
			).toMatchObject({ status: 500, body: badToken(first, 500) });
			// 10:00 in New York is EST (UTC-5) on 2 March 2026; 02:30 on 8 March does not exist.
			const data = validData(session, { campaignId: 8 });
			const created = await command(sandbox, data);
			expect(sandbox.ameyo.getCallback(created.body.customerCallbackId)?.callbackTime).toBe(
				Date.UTC(2026, 2, 2, 15, 0),
			);
			const summer = await command(sandbox, { ...data, callBackTime: '2026-03-09 10:00:00' });
			expect(sandbox.ameyo.getCallback(summer.body.customerCallbackId)?.callbackTime).toBe(
				Date.UTC(2026, 2, 9, 14, 0),
			);
			expect(
				(await command(sandbox, { ...data, callBackTime: '2026-03-08 02:30:00' })).body,
			).toEqual({
				status: 'error',
				reason: 'Invalid callBackTime',
			});
			// A session lives 60 seconds unused.
			sandbox.setNow(FIXED_NOW + 60 * SECOND);
			expect(
				(await ameyo(sandbox, `${LIST}?offset=0&campaignId=7&limit=5`, { session })).status,
			).toBe(500);
		} finally {
			await sandbox.close();
		}
	});

	it('refuses options that make no sense', async () => {
		for (const ameyo of [
			{ users: [] },
			{ users: [{ userId: 'a', password: 'b', maxAllowedLogins: 0 }] },
			{ users: [{ userId: '', password: 'b' }] },
			{ users: [AMEYO_SUPERVISOR, AMEYO_SUPERVISOR] },
			{ campaigns: [] },
			{ campaigns: [{ id: 1.5, name: 'x' }] },
			{
				campaigns: [
					{ id: 1, name: 'x' },
					{ id: 1, name: 'y' },
				],
			},
			{ callbacks: -1 },
			{ sessionTtlSeconds: 0 },
			{ maxLimit: 0 },
			{ serverTimeZone: 'Mars/Olympus_Mons' },
			{ expiryStyle: '403' as never },
			{ loginShape: 'deep' as never },
		]) {
			await expect(startSandbox({ ameyo })).rejects.toThrow(/Invalid/);
		}
	});

	it('puts every seeded callback in the only campaign when there is one', async () => {
		const sandbox = await startSandbox({
			now: () => FIXED_NOW,
			ameyo: { campaigns: [{ id: 1, name: 'Only' }], callbacks: 12 },
		});
		try {
			expect(sandbox.ameyo.callbacks(1)).toHaveLength(12);
			expect(sandbox.ameyo.addCallback().campaignId).toBe(1);
		} finally {
			await sandbox.close();
		}
	});
});
