import { SpekoApi } from '../../credentials/SpekoApi.credentials';
import { Speko } from '../../nodes/Speko/Speko.node';
import { runNode } from '../helpers/run-node';
import { VirtualRuntime } from '../helpers/runtime';
import type { RunNodeResult } from '../helpers/run-node';
import { startSandbox } from '../sandbox/server';
import type { RecordedRequest, Sandbox } from '../sandbox/server';

const KEY = 'sk_test_sandbox_speko';

let sandbox: Sandbox;
/** Retries wait on a virtual clock: no test sleeps. */
let runtime = new VirtualRuntime();

beforeAll(async () => {
	sandbox = await startSandbox({ speko: { callbacks: 40 } });
});

afterAll(async () => {
	await sandbox.close();
});

beforeEach(() => {
	runtime = new VirtualRuntime();
	sandbox.clearRequests();
	sandbox.faults.clear();
	sandbox.speko.credits = Infinity;
});

async function run(
	parameters: Record<string, unknown>,
	options: {
		items?: Array<Record<string, unknown>>;
		continueOnFail?: boolean;
		apiKey?: string;
	} = {},
): Promise<RunNodeResult> {
	return await runNode({
		nodeType: new Speko(runtime),
		credentialType: new SpekoApi(),
		credentials: { apiKey: options.apiKey ?? KEY, baseUrl: sandbox.baseUrls.speko },
		parameters: { resource: 'callback', ...parameters } as never,
		items: options.items as never,
		continueOnFail: options.continueOnFail,
	});
}

function spekoRequests(): RecordedRequest[] {
	return sandbox.requests.filter((request) => request.provider === 'speko');
}

function expectAuthorized(requests: RecordedRequest[]) {
	expect(requests.length).toBeGreaterThan(0);
	for (const request of requests) {
		expect(request.headers.authorization).toBe(`Bearer ${KEY}`);
		expect(request.path).not.toContain(KEY);
	}
}

function scheduledCallback() {
	return sandbox.speko.addCallback({ status: 'scheduled' });
}

describe('Callback → Get Many', () => {
	it('lists by status and source session in one request, normalized', async () => {
		const mine = sandbox.speko
			.callbacks()
			.find((c) => c.source_session_id && c.status === 'scheduled')!;
		const result = await run({
			operation: 'getMany',
			status: 'scheduled',
			sourceSessionId: mine.source_session_id,
			limit: 10,
		});
		expect(result.error).toBeUndefined();
		const [request] = spekoRequests();
		expectAuthorized(spekoRequests());
		expect(request).toMatchObject({ method: 'GET', route: '/v1/callbacks' });
		expect(request.query).toEqual({
			status: 'scheduled',
			source_session_id: mine.source_session_id,
			limit: '10',
		});
		const expected = sandbox.speko
			.callbacks()
			.filter((c) => c.status === 'scheduled' && c.source_session_id === mine.source_session_id);
		expect(result.items.map((item) => item.json.id).sort()).toEqual(
			expected.map((c) => c.id).sort(),
		);
		const first = result.items.find((item) => item.json.id === mine.id)!.json;
		expect(first).toMatchObject({
			provider: 'speko',
			status: 'scheduled',
			providerStatus: 'scheduled',
			phone: mine.to_number,
			agentId: mine.agent_id,
			scheduledAt: new Date(mine.scheduled_at).toISOString().replace('.000Z', 'Z'),
			details: expect.objectContaining({ sourceSessionId: mine.source_session_id }),
		});
		expect(result.items[0].pairedItem).toEqual({ item: 0 });
	});

	it('asks once per status, all at once, when more than 100 are wanted, and says what it could not list', async () => {
		// Answers slower than the sandbox takes to build one, so requests sent together overlap there.
		const busy = await startSandbox({ speko: { callbacks: 0 }, latencyMs: 1000 });
		try {
			for (let i = 0; i < 120; i++) busy.speko.addCallback({ status: 'scheduled' });
			for (let i = 0; i < 3; i++) busy.speko.addCallback({ status: 'cancelled' });
			const parameters = {
				resource: 'callback',
				operation: 'getMany',
				status: 'any',
				returnAll: true,
			};
			const result = await runNode({
				nodeType: new Speko(runtime),
				credentialType: new SpekoApi(),
				credentials: { apiKey: KEY, baseUrl: busy.baseUrls.speko },
				parameters: parameters as never,
			});
			expect(result.error).toBeUndefined();
			expect(busy.requests.map((r) => r.query.status).sort()).toEqual([
				'cancelled',
				'dispatched',
				'dispatching',
				'failed',
				'scheduled',
			]);
			expect(busy.requests.every((r) => r.query.limit === '100')).toBe(true);
			// The five lists are independent: all five are asked for before any answer comes.
			expect(busy.traffic().speko.maxInFlight).toBe(5);
			expect(result.items).toHaveLength(103);
			// Read in status order, whichever answer came first.
			const statuses = result.items.map((item) => item.json.providerStatus);
			expect(statuses).toEqual([
				...Array<string>(100).fill('scheduled'),
				...Array<string>(3).fill('cancelled'),
			]);
			expect(result.hints).toEqual([
				expect.objectContaining({
					type: 'warning',
					message: expect.stringContaining('status: scheduled'),
				}),
			]);

			busy.setLatency(0);
			const strict = await runNode({
				nodeType: new Speko(runtime),
				credentialType: new SpekoApi(),
				credentials: { apiKey: KEY, baseUrl: busy.baseUrls.speko },
				parameters: { ...parameters, onIncomplete: 'fail' } as never,
			});
			expect(strict.error?.message).toMatch(
				/may have more callbacks than it can list \(status: scheduled\)/,
			);
		} finally {
			await busy.close();
		}
	});

	it('rejects a limit beyond what the API can reach before any request', async () => {
		const result = await run({ operation: 'getMany', status: 'scheduled', limit: 501 });
		expect(result.error?.message).toContain("'Limit'");
		expect(spekoRequests()).toHaveLength(0);
	});
});

describe('Callback → Get', () => {
	it('gets one callback by id', async () => {
		const target = scheduledCallback();
		const result = await run({ operation: 'get', callbackId: target.id, simplify: false });
		expect(result.error).toBeUndefined();
		expect(spekoRequests()[0]).toMatchObject({
			method: 'GET',
			route: `/v1/callbacks/${target.id}`,
		});
		expect(result.items[0].json).toEqual(target);
	});

	it('reports an unknown id (404) in words', async () => {
		const result = await run({ operation: 'get', callbackId: 'cb_does_not_exist' });
		expect(result.error?.constructor.name).toBe('NodeApiError');
		expect(result.error?.message).toMatch(/^Not found in this Speko organization/);
		expect(result.error?.context?.providerCode).toBe('NOT_FOUND');
	});

	it('rejects ids that cannot be one before any request', async () => {
		const result = await run({ operation: 'get', callbackId: '../organization' });
		expect(result.error?.message).toContain("'Callback'");
		expect(spekoRequests()).toHaveLength(0);
	});
});

describe('Callback → Cancel', () => {
	it('cancels with a reason', async () => {
		const target = scheduledCallback();
		const result = await run({
			operation: 'cancel',
			callbackId: target.id,
			reason: 'Customer called in already',
		});
		expect(result.error).toBeUndefined();
		const [request] = spekoRequests();
		expect(request).toMatchObject({
			method: 'POST',
			route: `/v1/callbacks/${target.id}/cancel`,
			json: { reason: 'Customer called in already' },
		});
		expect(request.headers['content-type']).toContain('application/json');
		expect(sandbox.speko.getCallback(target.id)?.status).toBe('cancelled');
		expect(result.items[0].json).toMatchObject({
			id: target.id,
			status: 'cancelled',
			details: expect.objectContaining({ reason: 'Customer called in already' }),
		});
	});

	it('checks the reason length (500 characters) before any request', async () => {
		const target = scheduledCallback();
		const ok = await run({ operation: 'cancel', callbackId: target.id, reason: 'x'.repeat(500) });
		expect(ok.error).toBeUndefined();
		sandbox.clearRequests();
		const tooLong = await run({
			operation: 'cancel',
			callbackId: scheduledCallback().id,
			reason: 'x'.repeat(501),
		});
		expect(tooLong.error?.message).toMatch(/'Reason'.*at most 500 characters/);
		expect(spekoRequests()).toHaveLength(0);
	});

	it('reports a second cancel as a conflict (409)', async () => {
		const target = scheduledCallback();
		await run({ operation: 'cancel', callbackId: target.id });
		const again = await run({ operation: 'cancel', callbackId: target.id });
		expect(again.error?.message).toMatch(/^The callback is not in a state that allows this/);
		expect(again.error?.httpCode).toBe('409');
	});
});

describe('Callback → Dispatch Now', () => {
	it('dispatches a scheduled callback once', async () => {
		const target = scheduledCallback();
		const result = await run({ operation: 'dispatch', callbackId: target.id, callingHours: 'off' });
		expect(result.error).toBeUndefined();
		expect(spekoRequests()).toHaveLength(1);
		expect(spekoRequests()[0]).toMatchObject({
			method: 'POST',
			route: `/v1/callbacks/${target.id}/dispatch`,
		});
		expect(result.items[0].json).toMatchObject({ id: target.id, status: 'dispatching' });
		sandbox.speko.settle();
		expect(sandbox.speko.getCallback(target.id)?.status).toBe('dispatched');
	});

	it('explains why a callback that is not scheduled cannot be dispatched', async () => {
		const target = scheduledCallback();
		await run({ operation: 'cancel', callbackId: target.id });
		const result = await run({ operation: 'dispatch', callbackId: target.id, callingHours: 'off' });
		expect(result.error?.message).toContain(
			`Callback ${target.id} cannot be dispatched: it is not in status "scheduled"`,
		);
	});

	it('says when the workspace is out of credits (402) and changes nothing', async () => {
		const target = scheduledCallback();
		sandbox.speko.credits = 0;
		const result = await run({ operation: 'dispatch', callbackId: target.id, callingHours: 'off' });
		expect(result.error?.message).toMatch(/out of credits/);
		expect(result.error?.httpCode).toBe('402');
		expect(sandbox.speko.getCallback(target.id)?.status).toBe('scheduled');
	});

	it('is never repeated when the outcome is unknown, but is after a 429', async () => {
		const target = scheduledCallback();
		sandbox.faults.add({ provider: 'speko', type: 'status', status: 503 });
		const unavailable = await run({
			operation: 'dispatch',
			callbackId: target.id,
			callingHours: 'off',
		});
		expect(unavailable.error?.message).toContain('503');
		expect(spekoRequests()).toHaveLength(1);

		sandbox.clearRequests();
		sandbox.faults.add({ provider: 'speko', type: 'rate-limit', retryAfter: 0 });
		const limited = await run({
			operation: 'dispatch',
			callbackId: target.id,
			callingHours: 'off',
		});
		expect(limited.error).toBeUndefined();
		expect(spekoRequests()).toHaveLength(2);
	});

	it('checks the callee’s calling hours first: reads the callback, then dispatches or refuses', async () => {
		// 12:00 UTC is 08:00 in New Jersey: allowed (US federal 08:00-21:00).
		const day = sandbox.speko.addCallback({ status: 'scheduled', to_number: '+12015550123' });
		const allowed = await run({ operation: 'dispatch', callbackId: day.id });
		expect(allowed.error).toBeUndefined();
		expect(spekoRequests().map((r) => `${r.method} ${r.route}`)).toEqual([
			`GET /v1/callbacks/${day.id}`,
			`POST /v1/callbacks/${day.id}/dispatch`,
		]);

		sandbox.clearRequests();
		// ...and 05:00 in San Francisco: refused, and nothing is dispatched.
		const night = sandbox.speko.addCallback({ status: 'scheduled', to_number: '+14155550123' });
		const refused = await run({ operation: 'dispatch', callbackId: night.id });
		expect(refused.error?.message).toBe(
			"Outside calling hours: it would ring at Mon 2026-06-01 05:00 in America/Los_Angeles (CA), the callee's zone from the phone number; allowed: US federal (47 CFR 64.1200(c)(1)): 08:00-21:00",
		);
		expect(refused.error?.description).toContain('Nothing was sent');
		expect(spekoRequests().map((r) => r.method)).toEqual(['GET']);
		expect(sandbox.speko.getCallback(night.id)?.status).toBe('scheduled');
	});
});

describe('errors', () => {
	it('reads survive 503 bursts and dropped connections', async () => {
		sandbox.faults.add([
			{ provider: 'speko', type: 'status', status: 503, count: 2 },
			{ provider: 'speko', type: 'drop' },
		]);
		const result = await run({ operation: 'getMany', status: 'scheduled', limit: 5 });
		expect(result.error).toBeUndefined();
		expect(result.items.length).toBeGreaterThan(0);
		expect(spekoRequests()).toHaveLength(4);
	});

	it("keeps Speko's own code and words for a validation error (400) and a rate limit that outlasts the retries (429)", async () => {
		sandbox.faults.add({ provider: 'speko', type: 'status', status: 400 });
		const invalid = await run({ operation: 'getMany', status: 'scheduled', limit: 5 });
		expect(invalid.error?.message).toMatch(/^Speko rejected the request as invalid/);
		expect(invalid.error?.context?.providerCode).toBe('VALIDATION_ERROR');
		expect(spekoRequests()).toHaveLength(1);

		sandbox.clearRequests();
		sandbox.faults.add({ provider: 'speko', type: 'rate-limit', retryAfter: 0, count: 10 });
		const limited = await run({ operation: 'getMany', status: 'scheduled', limit: 5 });
		expect(limited.error?.message).toMatch(/^Speko rate limit reached/);
		expect(limited.error?.context?.providerCode).toBe('RATE_LIMITED');
		expect(spekoRequests()).toHaveLength(runtime.retryPolicy.maxAttempts);
	});

	it('reports a wrong key without revealing it', async () => {
		const wrong = 'sk_live_wrong_key_123';
		const result = await run(
			{ operation: 'getMany', status: 'scheduled', limit: 5 },
			{ apiKey: wrong },
		);
		expect(result.error?.message).toMatch(/^Speko rejected the API key/);
		expect(JSON.stringify([result.error?.message, result.error?.description])).not.toContain(wrong);
	});

	it('keeps going with Continue On Fail, one output per input', async () => {
		const good = scheduledCallback();
		const result = await run(
			{ operation: 'get', callbackId: '={{ $json.id }}' },
			{ items: [{ id: good.id }, { id: 'cb_missing' }, { id: '' }], continueOnFail: true },
		);
		expect(result.items.map((item) => item.pairedItem)).toEqual([
			{ item: 0 },
			{ item: 1 },
			{ item: 2 },
		]);
		expect(result.items[0].json.id).toBe(good.id);
		expect(result.items[1].json).toMatchObject({
			error: expect.stringMatching(/^Not found/),
			httpCode: '404',
			code: 'NOT_FOUND',
		});
		expect(result.items[2].json.error).toContain("'Callback'");
	});
});
