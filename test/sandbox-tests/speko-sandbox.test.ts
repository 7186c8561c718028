/**
 * Tests of the sandbox's Speko module over real HTTP: auth and organization scoping,
 * list filters and limits, get, cancel, dispatch and its completion, credits, faults,
 * the control API, and Convoso still answering beside it.
 */
import { startSandbox } from '../sandbox/server';
import type { Sandbox } from '../sandbox/server';
import { SPEKO_OTHER_ORGANIZATION_ID, SPEKO_STATUSES } from '../sandbox/speko';
import type { SpekoScheduledCallback } from '../sandbox/speko';
import { readAnswer } from './answer';
import type { Answer } from './answer';

const KEY = 'sk_test_sandbox_speko';
const FIXED_NOW = Date.UTC(2026, 2, 1, 15, 0, 0);
const FIXED_NOW_ISO = '2026-03-01T15:00:00Z';
const FAILING_NUMBER = '+15555550100';
const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;
const DAY = 86_400_000;

/** Calls a Speko route with the sandbox key, as the SDK does; `key: null` sends no Authorization. */
async function speko(
	sandbox: Sandbox,
	path: string,
	options: {
		method?: string;
		key?: string | null;
		json?: unknown;
		body?: string;
		contentType?: string;
	} = {},
): Promise<Answer> {
	const key = options.key === undefined ? KEY : options.key;
	const headers: Record<string, string> = key === null ? {} : { authorization: `Bearer ${key}` };
	const body = options.json === undefined ? options.body : JSON.stringify(options.json);
	if (body !== undefined) headers['content-type'] = options.contentType ?? 'application/json';
	const response = await fetch(`${sandbox.baseUrls.speko}${path}`, {
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

const ids = (callbacks: SpekoScheduledCallback[]) => callbacks.map((cb) => cb.id);

describe('Speko sandbox', () => {
	let sandbox: Sandbox;
	const list = (query = '') => speko(sandbox, `/v1/callbacks${query}`);
	const get = (id: string) => speko(sandbox, `/v1/callbacks/${encodeURIComponent(id)}`);
	const cancel = (id: string, json?: unknown) =>
		speko(sandbox, `/v1/callbacks/${id}/cancel`, { method: 'POST', json });
	const dispatch = (id: string) =>
		speko(sandbox, `/v1/callbacks/${id}/dispatch`, { method: 'POST', json: {} });

	beforeAll(async () => {
		sandbox = await startSandbox({
			seed: 42,
			now: () => FIXED_NOW,
			speko: { failingNumbers: [FAILING_NUMBER] },
		});
	});
	afterAll(async () => {
		await sandbox.close();
	});
	afterEach(() => {
		sandbox.faults.clear();
		sandbox.clearRequests();
		sandbox.setNow(undefined);
		sandbox.speko.credits = Infinity;
	});

	describe('seeded data', () => {
		it('seeds 40 callbacks of the organization, field for field as documented', () => {
			const callbacks = sandbox.speko.callbacks();
			expect(callbacks).toHaveLength(40);
			for (const cb of callbacks) {
				expect(Object.keys(cb)).toEqual([
					'id',
					'organization_id',
					'source_session_id',
					'created_session_id',
					'agent_id',
					'phone_number_id',
					'to_number',
					'from_number',
					'scheduled_at',
					'status',
					'reason',
					'instructions',
					'summary',
					'pipeline_config',
					'metadata',
					'failure_cause',
					'attempted_at',
					'dispatched_at',
					'cancelled_at',
					'created_at',
					'updated_at',
				]);
				expect(cb.id).toMatch(/^cb_[0-9a-z]{12}$/);
				expect(cb.organization_id).toBe('org_sandbox');
				expect(cb.to_number).toMatch(/^\+[1-9]\d{6,14}$/);
				expect(cb.source_session_id).toMatch(/^sess_src_[1-5]$/);
				for (const time of [cb.scheduled_at, cb.created_at, cb.updated_at]) {
					expect(time).toMatch(ISO_UTC);
				}
				expect(Math.abs(Date.parse(cb.scheduled_at) - FIXED_NOW)).toBeLessThanOrEqual(7 * DAY);
				expect(cb.created_at < cb.scheduled_at).toBe(true);
				expect(cb.created_at <= cb.updated_at && cb.updated_at <= FIXED_NOW_ISO).toBe(true);
				expect(cb).toMatchObject({ pipeline_config: {}, metadata: {} });
			}
			const countries = ['+1', '+44', '+91', '+977'];
			for (const country of countries) {
				expect(callbacks.some((cb) => cb.to_number.startsWith(country))).toBe(true);
			}
		});

		it('mixes statuses, mostly scheduled, each with the timestamps of its state', () => {
			const callbacks = sandbox.speko.callbacks();
			const byStatus = (status: string) => callbacks.filter((cb) => cb.status === status);
			for (const status of SPEKO_STATUSES) expect(byStatus(status).length).toBeGreaterThan(0);
			expect(byStatus('scheduled').length).toBeGreaterThan(callbacks.length / 2);

			for (const cb of byStatus('scheduled')) {
				expect(cb.scheduled_at > FIXED_NOW_ISO).toBe(true);
				expect(cb).toMatchObject({ attempted_at: null, dispatched_at: null, cancelled_at: null });
			}
			for (const cb of byStatus('cancelled')) {
				expect(cb.cancelled_at).toMatch(ISO_UTC);
				expect(cb.updated_at).toBe(cb.cancelled_at);
			}
			for (const cb of byStatus('dispatched')) {
				expect(cb.created_session_id).toMatch(/^sess_[0-9a-z]{12}$/);
				expect(cb.attempted_at! < cb.dispatched_at!).toBe(true);
				expect(cb.failure_cause).toBeNull();
			}
			for (const cb of byStatus('failed')) {
				expect(cb.failure_cause).toEqual(expect.any(String));
				expect(cb.attempted_at).toMatch(ISO_UTC);
				expect(cb).toMatchObject({ dispatched_at: null, created_session_id: null });
			}
			for (const cb of byStatus('dispatching')) {
				expect(cb.attempted_at).toMatch(ISO_UTC);
				expect(cb.dispatched_at).toBeNull();
			}
		});
	});

	describe('authentication and organization scoping', () => {
		it('answers 401 without a key, with a wrong key or another scheme', async () => {
			const cases: Array<Record<string, string>> = [
				{},
				{ authorization: 'Bearer sk_live_wrong' },
				{ authorization: `Basic ${KEY}` },
				{ authorization: KEY },
			];
			for (const headers of cases) {
				const answer = await readAnswer(
					await fetch(`${sandbox.baseUrls.speko}/v1/callbacks`, { headers }),
				);
				expect(answer.status).toBe(401);
				expect(answer.body).toEqual({ error: 'Unauthorized', code: 'UNAUTHORIZED' });
			}
			const [first] = sandbox.speko.callbacks();
			expect((await speko(sandbox, `/v1/callbacks/${first.id}`, { key: null })).status).toBe(401);
		});

		it("answers 404 to another organization's callback, and never lists it", async () => {
			const others = sandbox.speko.callbacks(SPEKO_OTHER_ORGANIZATION_ID);
			expect(others.length).toBeGreaterThan(0);
			const other = others.find((cb) => cb.status === 'scheduled') as SpekoScheduledCallback;
			const notFound = { error: 'not found', code: 'NOT_FOUND' };
			expect(await get(other.id)).toMatchObject({ status: 404, body: notFound });
			expect(await cancel(other.id)).toMatchObject({ status: 404, body: notFound });
			expect(await dispatch(other.id)).toMatchObject({ status: 404, body: notFound });
			expect(sandbox.speko.getCallback(other.id)).toEqual(other);

			const { body } = await list('?limit=100');
			expect(ids(body.callbacks)).toEqual(ids(sandbox.speko.callbacks()));
			expect(ids(body.callbacks)).not.toContain(other.id);
		});
	});

	describe('list', () => {
		it('answers {callbacks} with 25 by default, by scheduled_at then id', async () => {
			const answer = await list();
			expect(answer.status).toBe(200);
			expect(answer.headers.get('content-type')).toBe('application/json');
			expect(Object.keys(answer.body)).toEqual(['callbacks']);
			expect(answer.body.callbacks).toEqual(sandbox.speko.callbacks().slice(0, 25));
			const times = answer.body.callbacks.map((cb: SpekoScheduledCallback) =>
				Date.parse(cb.scheduled_at),
			);
			expect(times).toEqual([...times].sort((a, b) => a - b));
		});

		it('breaks scheduled_at ties by id', async () => {
			const scheduled_at = '2026-02-01T00:00:00Z'; // before every seeded callback
			sandbox.speko.addCallback({ id: 'cb_tie_b', scheduled_at });
			sandbox.speko.addCallback({ id: 'cb_tie_a', scheduled_at });
			const { body } = await list('?limit=2');
			expect(ids(body.callbacks)).toEqual(['cb_tie_a', 'cb_tie_b']);
		});

		it('takes limit 1 to 100 and answers 400 outside', async () => {
			expect((await list('?limit=1')).body.callbacks).toHaveLength(1);
			const all = await list('?limit=100');
			expect(all.body.callbacks).toEqual(sandbox.speko.callbacks());
			expect(all.body.callbacks.length).toBeGreaterThan(25);
			expect(all.body.callbacks.length).toBeLessThanOrEqual(100);
			for (const limit of ['0', '101', '-1', '1.5', 'ten', '']) {
				const answer = await list(`?limit=${limit}`);
				expect(answer.status).toBe(400);
				expect(answer.body).toEqual({ error: expect.any(String), code: 'VALIDATION_ERROR' });
			}
		});

		it('filters by each status and answers 400 to an unknown one', async () => {
			for (const status of SPEKO_STATUSES) {
				const { body } = await list(`?status=${status}&limit=100`);
				const expected = sandbox.speko.callbacks().filter((cb) => cb.status === status);
				expect(body.callbacks).toEqual(expected);
			}
			for (const status of ['SCHEDULED', 'pending', '']) {
				expect(await list(`?status=${status}`)).toMatchObject({
					status: 400,
					body: { code: 'VALIDATION_ERROR' },
				});
			}
		});

		it('filters by source_session_id, alone and with status', async () => {
			const { body } = await list('?source_session_id=sess_src_3&limit=100');
			const expected = sandbox.speko
				.callbacks()
				.filter((cb) => cb.source_session_id === 'sess_src_3');
			expect(expected.length).toBeGreaterThan(0);
			expect(body.callbacks).toEqual(expected);

			const both = await list('?source_session_id=sess_src_3&status=scheduled&limit=100');
			expect(ids(both.body.callbacks)).toEqual(
				ids(expected.filter((cb) => cb.status === 'scheduled')),
			);
			expect((await list('?source_session_id=sess_nobody')).body).toEqual({ callbacks: [] });
		});
	});

	describe('get', () => {
		it('answers the callback, or 404 NOT_FOUND for an unknown id', async () => {
			const [first] = sandbox.speko.callbacks();
			expect(await get(first.id)).toMatchObject({ status: 200, body: first });
			expect(await get('cb_doesnotexist')).toMatchObject({
				status: 404,
				body: { error: 'not found', code: 'NOT_FOUND' },
			});
		});

		it('decodes the id in the path', async () => {
			const odd = sandbox.speko.addCallback({ id: 'cb odd/id' });
			expect((await get(odd.id)).body).toEqual(odd);
		});
	});

	describe('cancel', () => {
		it('cancels a scheduled callback without a body and keeps its reason', async () => {
			const cb = sandbox.speko.addCallback({ reason: 'Asked for a callback' });
			sandbox.setNow(FIXED_NOW + 60_000);
			const answer = await speko(sandbox, `/v1/callbacks/${cb.id}/cancel`, { method: 'POST' });
			expect(answer.status).toBe(200);
			expect(answer.body).toEqual({
				...cb,
				status: 'cancelled',
				cancelled_at: '2026-03-01T15:01:00Z',
				updated_at: '2026-03-01T15:01:00Z',
			});
			expect(sandbox.speko.getCallback(cb.id)).toEqual(answer.body);
		});

		it('stores a reason of up to 500 characters', async () => {
			const cb = sandbox.speko.addCallback();
			const reason = 'r'.repeat(500);
			const answer = await cancel(cb.id, { reason });
			expect(answer.status).toBe(200);
			expect(answer.body).toMatchObject({ status: 'cancelled', reason });
		});

		it('answers 400 to a reason of 501 characters or not a string, and changes nothing', async () => {
			const cb = sandbox.speko.addCallback();
			for (const reason of ['r'.repeat(501), 42, null]) {
				const answer = await cancel(cb.id, { reason });
				expect(answer.status).toBe(400);
				expect(answer.body).toEqual({ error: expect.any(String), code: 'VALIDATION_ERROR' });
			}
			expect(sandbox.speko.getCallback(cb.id)).toEqual(cb);
		});

		it('takes an empty or non-JSON body as no reason', async () => {
			for (const [body, contentType] of [
				['', 'application/json'],
				['{"reason": ', 'application/json'],
				['please cancel', 'text/plain'],
			]) {
				const cb = sandbox.speko.addCallback({ reason: 'kept' });
				const answer = await speko(sandbox, `/v1/callbacks/${cb.id}/cancel`, {
					method: 'POST',
					body,
					contentType,
				});
				expect(answer.body).toMatchObject({ status: 'cancelled', reason: 'kept' });
			}
		});

		it('answers 409 CONFLICT to anything but a scheduled callback', async () => {
			const cb = sandbox.speko.addCallback();
			expect((await cancel(cb.id)).status).toBe(200);
			const again = await cancel(cb.id, { reason: 'twice' });
			expect(again.status).toBe(409);
			expect(again.body).toEqual({
				error: 'Callback is cancelled, only scheduled callbacks can be cancelled',
				code: 'CONFLICT',
			});
			expect(sandbox.speko.getCallback(cb.id)?.reason).toBeNull();

			const dispatched = sandbox.speko.callbacks().find((c) => c.status === 'dispatched');
			expect((await cancel(dispatched!.id)).body.error).toBe(
				'Callback is dispatched, only scheduled callbacks can be cancelled',
			);
		});
	});

	describe('dispatch', () => {
		it('answers dispatching, and the next request sees it dispatched', async () => {
			const cb = sandbox.speko.addCallback();
			const answer = await dispatch(cb.id);
			expect(answer.status).toBe(200);
			expect(answer.body).toEqual({
				...cb,
				status: 'dispatching',
				attempted_at: FIXED_NOW_ISO,
				updated_at: FIXED_NOW_ISO,
			});

			const { body } = await get(cb.id);
			expect(body).toMatchObject({
				status: 'dispatched',
				attempted_at: FIXED_NOW_ISO,
				dispatched_at: FIXED_NOW_ISO,
				failure_cause: null,
			});
			expect(body.created_session_id).toMatch(/^sess_[0-9a-z]{12}$/);
		});

		it('ends failed for a failing number', async () => {
			const cb = sandbox.speko.addCallback({ to_number: FAILING_NUMBER });
			expect((await dispatch(cb.id)).body.status).toBe('dispatching');
			expect((await get(cb.id)).body).toMatchObject({
				status: 'failed',
				failure_cause: 'no-answer',
				attempted_at: FIXED_NOW_ISO,
				dispatched_at: null,
				created_session_id: null,
			});
		});

		it('answers 409 CONFLICT to a cancelled, dispatching or dispatched callback', async () => {
			const cancelled = sandbox.speko.addCallback();
			await cancel(cancelled.id);
			const dispatched = sandbox.speko.addCallback();
			await dispatch(dispatched.id);
			const dispatching = sandbox.speko.addCallback();
			sandbox.speko.setStatus(dispatching.id, 'dispatching');
			for (const [cb, status] of [
				[cancelled, 'cancelled'],
				[dispatched, 'dispatched'],
				[dispatching, 'dispatching'],
			] as const) {
				const before = sandbox.speko.getCallback(cb.id);
				const answer = await dispatch(cb.id);
				expect(answer.status).toBe(409);
				expect(answer.body).toEqual({
					error: `Callback is ${status}, only scheduled callbacks can be dispatched`,
					code: 'CONFLICT',
				});
				expect(sandbox.speko.getCallback(cb.id)).toEqual(before);
			}
		});

		it('costs a credit each, and answers 402 with nothing changed when none are left', async () => {
			sandbox.speko.credits = 1;
			const [paid, unpaid] = [sandbox.speko.addCallback(), sandbox.speko.addCallback()];
			expect((await dispatch(paid.id)).status).toBe(200);
			expect(sandbox.speko.credits).toBe(0);

			const answer = await dispatch(unpaid.id);
			expect(answer.status).toBe(402);
			expect(answer.body).toEqual({ error: 'Insufficient credits', code: 'PAYMENT_REQUIRED' });
			expect(sandbox.speko.getCallback(unpaid.id)).toEqual(unpaid);
			expect(sandbox.speko.credits).toBe(0);
			// A callback that cannot be dispatched anyway is a conflict first.
			expect((await dispatch(paid.id)).status).toBe(409);
		});

		it('leaves unlimited credits unlimited', async () => {
			await dispatch(sandbox.speko.addCallback().id);
			expect(sandbox.speko.credits).toBe(Infinity);
		});
	});

	describe('dispatch with a delay', () => {
		let delayed: Sandbox;
		beforeAll(async () => {
			delayed = await startSandbox({ now: () => FIXED_NOW, speko: { dispatchDelayMs: 30_000 } });
		});
		afterAll(async () => {
			await delayed.close();
		});

		it('stays dispatching until the sandbox clock reaches the delay', async () => {
			const cb = delayed.speko.addCallback();
			await speko(delayed, `/v1/callbacks/${cb.id}/dispatch`, { method: 'POST', json: {} });
			const read = async () => (await speko(delayed, `/v1/callbacks/${cb.id}`)).body;

			delayed.setNow(FIXED_NOW + 29_999);
			expect((await read()).status).toBe('dispatching');
			expect((await control(delayed, 'GET', '/state/speko')).body.pendingDispatches).toEqual([
				{ id: cb.id, due_at: '2026-03-01T15:00:30Z' },
			]);

			delayed.setNow(FIXED_NOW + 90_000);
			// Completed at its due time, however late it is looked at.
			expect(await read()).toMatchObject({
				status: 'dispatched',
				dispatched_at: '2026-03-01T15:00:30Z',
				updated_at: '2026-03-01T15:00:30Z',
			});
		});

		it('completes every pending dispatch on settle()', async () => {
			const [a, b] = [delayed.speko.addCallback(), delayed.speko.addCallback()];
			for (const cb of [a, b]) {
				await speko(delayed, `/v1/callbacks/${cb.id}/dispatch`, { method: 'POST' });
			}
			expect(delayed.speko.getCallback(a.id)?.status).toBe('dispatching');
			delayed.setNow(FIXED_NOW + 1_000);
			expect(ids(delayed.speko.settle())).toEqual([a.id, b.id]);
			expect(delayed.speko.getCallback(b.id)).toMatchObject({
				status: 'dispatched',
				dispatched_at: '2026-03-01T15:00:01Z',
			});
			expect(delayed.speko.settle()).toEqual([]);
		});
	});

	describe('in-process API', () => {
		it('adds a scheduled callback due in a day, with deterministic ids', () => {
			const cb = sandbox.speko.addCallback({ to_number: '+447700900123', summary: 'Trigger' });
			expect(cb).toMatchObject({
				organization_id: 'org_sandbox',
				status: 'scheduled',
				to_number: '+447700900123',
				summary: 'Trigger',
				scheduled_at: '2026-03-02T15:00:00Z',
				created_at: FIXED_NOW_ISO,
				updated_at: FIXED_NOW_ISO,
				cancelled_at: null,
			});
			expect(cb.id).toMatch(/^cb_[0-9a-z]{12}$/);
			expect(() => sandbox.speko.addCallback({ id: cb.id })).toThrow(/exists/);
		});

		it("simulates Speko's own transitions with setStatus", () => {
			const cb = sandbox.speko.addCallback();
			expect(sandbox.speko.setStatus(cb.id, 'failed', { failureCause: 'busy' })).toMatchObject({
				status: 'failed',
				failure_cause: 'busy',
				attempted_at: FIXED_NOW_ISO,
			});
			expect(sandbox.speko.setStatus(cb.id, 'scheduled')).toMatchObject({
				status: 'scheduled',
				failure_cause: null,
				attempted_at: null,
			});
			expect(sandbox.speko.setStatus(cb.id, 'dispatched').created_session_id).toMatch(/^sess_/);
			expect(() => sandbox.speko.setStatus('cb_none', 'cancelled')).toThrow(/no callback/);
		});
	});

	it('answers 404 NOT_FOUND to unknown routes and methods', async () => {
		const [first] = sandbox.speko.callbacks();
		const cases: Array<[string, string]> = [
			['GET', '/v1/callback'],
			['GET', '/v2/callbacks'],
			['GET', '/v1/callbacks/'],
			['GET', ''],
			['POST', '/v1/callbacks'],
			['DELETE', `/v1/callbacks/${first.id}`],
			['GET', `/v1/callbacks/${first.id}/cancel`],
			['POST', `/v1/callbacks/${first.id}/retry`],
		];
		for (const [method, path] of cases) {
			expect(await speko(sandbox, path, { method })).toMatchObject({
				status: 404,
				body: { error: 'not found', code: 'NOT_FOUND' },
			});
		}
	});

	describe('faults', () => {
		it('rate-limits with Retry-After and a Speko error body', async () => {
			sandbox.faults.add({ provider: 'speko', type: 'rate-limit', retryAfter: 3 });
			const answer = await list();
			expect(answer.status).toBe(429);
			expect(answer.headers.get('retry-after')).toBe('3');
			expect(answer.body).toEqual({ error: 'Too many requests', code: 'RATE_LIMITED' });
			expect((await list()).status).toBe(200);
		});

		it('answers 503 with a Speko error body, and HTML from a gateway', async () => {
			sandbox.faults.add([
				{ provider: 'speko', type: 'status' },
				{ provider: 'speko', type: 'html' },
			]);
			expect(await list()).toMatchObject({
				status: 503,
				body: { error: expect.any(String), code: 'INTERNAL_ERROR' },
			});
			const html = await list();
			expect(html.status).toBe(502);
			expect(html.headers.get('content-type')).toBe('text/html');
		});

		it('drops the answer of a dispatch that took effect', async () => {
			const cb = sandbox.speko.addCallback();
			sandbox.faults.add({
				provider: 'speko',
				route: `/v1/callbacks/${cb.id}/dispatch`,
				type: 'drop',
				afterProcessing: true,
			});
			await expect(dispatch(cb.id)).rejects.toThrow();
			expect(sandbox.speko.getCallback(cb.id)?.status).toBe('dispatched');
			expect((await dispatch(cb.id)).status).toBe(409);
		});

		it('leaves Convoso alone when faults target Speko', async () => {
			sandbox.faults.add({ provider: 'speko', type: 'status', count: 5 });
			const answer = await readAnswer(
				await fetch(`${sandbox.baseUrls.convoso}/callbacks/search`, {
					method: 'POST',
					headers: { 'content-type': 'application/x-www-form-urlencoded' },
					body: new URLSearchParams({ auth_token: 'sandbox-convoso-token', limit: '1' }),
				}),
			);
			expect(answer.status).toBe(200);
			expect(answer.body.success).toBe(true);
			expect(sandbox.faults.pending()).toEqual([expect.objectContaining({ count: 5 })]);
		});
	});

	describe('control API', () => {
		it('serves the Speko state', async () => {
			sandbox.speko.credits = 7;
			const { status, body } = await control(sandbox, 'GET', '/state/speko');
			expect(status).toBe(200);
			expect(body).toMatchObject({
				provider: 'speko',
				key: KEY,
				organizationId: 'org_sandbox',
				credits: 7,
				dispatchDelayMs: 0,
				failingNumbers: [FAILING_NUMBER],
				pendingDispatches: [],
				callbacksCount: sandbox.speko.callbacks().length,
			});
			expect(body.callbacks).toEqual(sandbox.speko.callbacks());
			expect(body.otherOrganizationCallbacks).toEqual(
				sandbox.speko.callbacks(SPEKO_OTHER_ORGANIZATION_ID),
			);
			sandbox.speko.credits = Infinity;
			expect((await control(sandbox, 'GET', '/state/speko')).body.credits).toBeNull();
		});

		it('lists both providers, records Speko requests and takes Speko faults', async () => {
			expect((await control(sandbox, 'GET', '/health')).body.providers).toEqual([
				'convoso',
				'speko',
				'talkdesk',
				'ameyo',
			]);
			await list('?status=failed');
			const { body } = await control(sandbox, 'GET', '/requests?provider=speko');
			expect(body.requests).toEqual([
				expect.objectContaining({
					provider: 'speko',
					method: 'GET',
					path: '/speko/v1/callbacks?status=failed',
					route: '/v1/callbacks',
					query: { status: 'failed' },
					at: FIXED_NOW,
				}),
			]);
			expect(body.requests[0].headers.authorization).toBe(`Bearer ${KEY}`);

			await control(sandbox, 'POST', '/faults', {
				provider: 'speko',
				route: '/v1/callbacks',
				type: 'rate-limit',
			});
			expect((await list()).status).toBe(429);
		});
	});
});

describe('Speko sandbox setup', () => {
	it('generates the same data for the same seed, other data for another', async () => {
		const [a, b, c] = await Promise.all([
			startSandbox({ seed: 7, now: () => FIXED_NOW }),
			startSandbox({ seed: 7, now: () => FIXED_NOW }),
			startSandbox({ seed: 8, now: () => FIXED_NOW }),
		]);
		try {
			expect(a.speko.callbacks()).toEqual(b.speko.callbacks());
			expect(a.speko.callbacks()).not.toEqual(c.speko.callbacks());
		} finally {
			await Promise.all([a.close(), b.close(), c.close()]);
		}
	});

	it('takes its key, organization and number of callbacks from the options', async () => {
		const sandbox = await startSandbox({
			speko: { key: 'sk_test_other', organizationId: 'org_custom', callbacks: 150 },
		});
		try {
			expect(sandbox.baseUrls.speko).toBe(`${sandbox.url}/speko`);
			const { status, body } = await speko(sandbox, '/v1/callbacks?limit=100', {
				key: 'sk_test_other',
			});
			expect(status).toBe(200);
			// No paging: a list never answers more than 100, whatever there is.
			expect(body.callbacks).toHaveLength(100);
			expect(body.callbacks[0].organization_id).toBe('org_custom');
			expect((await speko(sandbox, '/v1/callbacks')).status).toBe(401);
		} finally {
			await sandbox.close();
		}
	});
});
