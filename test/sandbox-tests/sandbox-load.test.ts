/**
 * The sandbox's options for load and benchmarks, over real HTTP: traffic counters,
 * the latency added to every answer, per-provider rate limits, and bulk seeding of
 * Convoso and Speko callbacks. No duration is asserted: concurrency shows in the
 * counters (requests in flight at once), not in timings.
 */
import { Agent, request as httpRequest } from 'node:http';

import { startSandbox } from '../sandbox/server';
import type { Sandbox } from '../sandbox/server';
import { readAnswer } from './answer';

const TOKEN = 'sandbox-convoso-token';
const SPEKO_KEY = 'sk_test_sandbox_speko';
const FIXED_NOW = Date.UTC(2026, 2, 1, 15, 0, 0);

function search(sandbox: Sandbox, params: Record<string, string> = {}) {
	return fetch(`${sandbox.baseUrls.convoso}/callbacks/search`, {
		method: 'POST',
		headers: { 'content-type': 'application/x-www-form-urlencoded' },
		body: new URLSearchParams({ auth_token: TOKEN, limit: '5', ...params }).toString(),
	}).then(readAnswer);
}

function spekoList(sandbox: Sandbox, query = '') {
	return fetch(`${sandbox.baseUrls.speko}/v1/callbacks${query}`, {
		headers: { authorization: `Bearer ${SPEKO_KEY}` },
	}).then(readAnswer);
}

describe('Sandbox traffic counters', () => {
	let sandbox: Sandbox;
	beforeAll(async () => {
		sandbox = await startSandbox({ now: () => FIXED_NOW, convoso: { callbacks: 20 } });
	});
	afterAll(async () => {
		await sandbox.close();
	});

	it('counts requests, answers by status and body bytes per provider, and resets', async () => {
		sandbox.resetTraffic();
		const first = await search(sandbox);
		const second = await search(sandbox, { id: '999999' });
		const traffic = sandbox.traffic().convoso;
		expect(traffic.requests).toBe(2);
		expect(traffic.statuses).toEqual({ 200: 2 });
		expect(traffic.responseBytes).toBe(
			Buffer.byteLength(first.text) + Buffer.byteLength(second.text),
		);
		expect(traffic.rateLimited).toBe(0);
		// Recorded requests carry their answer's status and size.
		const last = sandbox.requests[sandbox.requests.length - 1];
		expect(last).toMatchObject({ status: 200, responseBytes: Buffer.byteLength(second.text) });

		const served = await fetch(`${sandbox.url}/_sandbox/traffic`).then(readAnswer);
		expect(served.body.traffic.convoso.requests).toBe(2);
		await fetch(`${sandbox.url}/_sandbox/traffic`, { method: 'DELETE' });
		expect(sandbox.traffic()).toEqual({});
	});

	it('counts the requests that came on a connection of their own', async () => {
		sandbox.resetTraffic();
		// Without an agent each request opens and closes its own connection; with a
		// keep-alive agent of one socket, the second comes on the first's.
		const keptAlive = new Agent({ keepAlive: true, maxSockets: 1 });
		const send = (agent: Agent | false) =>
			new Promise<number>((resolve, reject) => {
				const request = httpRequest(
					`${sandbox.baseUrls.convoso}/callbacks/search`,
					{
						method: 'POST',
						agent,
						headers: { 'content-type': 'application/x-www-form-urlencoded' },
					},
					(response) => {
						response.resume();
						response.on('end', () => resolve(response.statusCode ?? 0));
					},
				);
				request.on('error', reject);
				request.end(new URLSearchParams({ auth_token: TOKEN, limit: '1' }).toString());
			});
		expect([await send(false), await send(false)]).toEqual([200, 200]);
		expect(sandbox.traffic().convoso).toMatchObject({ requests: 2, newConnections: 2 });
		expect([await send(keptAlive), await send(keptAlive)]).toEqual([200, 200]);
		keptAlive.destroy();
		expect(sandbox.traffic().convoso).toMatchObject({ requests: 4, newConnections: 3 });
	});
});

describe('Sandbox latency and rate limits', () => {
	let sandbox: Sandbox | undefined;
	afterEach(async () => {
		await sandbox?.close();
		sandbox = undefined;
	});

	it('delays every answer, concurrent requests in parallel', async () => {
		sandbox = await startSandbox({ now: () => FIXED_NOW, latencyMs: 50 });
		const answers = await Promise.all([search(sandbox), search(sandbox), search(sandbox)]);
		expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200]);
		// All three were being answered at the same time: the waits overlap.
		expect(sandbox.traffic().convoso.maxInFlight).toBe(3);
		sandbox.setLatency(0);
		expect((await search(sandbox)).status).toBe(200);
		expect(() => sandbox!.setLatency(-1)).toThrow('Invalid latency');
	});

	it('answers 429 with Retry-After beyond the requests in flight, without reaching the provider', async () => {
		sandbox = await startSandbox({
			now: () => FIXED_NOW,
			latencyMs: 50,
			rateLimits: { speko: { maxInFlight: 1, retryAfterSeconds: 3 } },
		});
		const before = sandbox.speko.callbacks().length;
		const answers = await Promise.all([spekoList(sandbox), spekoList(sandbox)]);
		const limited = answers.find((answer) => answer.status === 429);
		expect(answers.filter((answer) => answer.status === 200)).toHaveLength(1);
		expect(limited?.headers.get('retry-after')).toBe('3');
		// In Speko's own error body.
		expect(limited?.body).toEqual({ error: 'Too many requests', code: 'RATE_LIMITED' });
		expect(sandbox.traffic().speko).toMatchObject({
			requests: 2,
			rateLimited: 1,
			statuses: { 200: 1, 429: 1 },
		});
		expect(sandbox.speko.callbacks()).toHaveLength(before);
		// Other providers are not limited.
		expect((await search(sandbox)).status).toBe(200);
	});

	it('answers 429 beyond the requests per second', async () => {
		sandbox = await startSandbox({
			now: () => FIXED_NOW,
			rateLimits: { convoso: { perSecond: 1 } },
		});
		const answers = await Promise.all([search(sandbox), search(sandbox)]);
		expect(answers.map((answer) => answer.status).sort()).toEqual([200, 429]);
		expect(sandbox.traffic().convoso.rateLimited).toBe(1);
	});

	it('refuses an invalid rate limit', async () => {
		await expect(startSandbox({ rateLimits: { convoso: { maxInFlight: -1 } } })).rejects.toThrow(
			'Invalid rate limit',
		);
	});
});

describe('Bulk seeding', () => {
	let sandbox: Sandbox;
	beforeAll(async () => {
		sandbox = await startSandbox({
			now: () => FIXED_NOW,
			convoso: { callbacks: 3 },
			speko: { callbacks: 0 },
		});
	});
	afterAll(async () => {
		await sandbox.close();
	});

	it('adds Convoso callbacks as addCallback would, ids in order', async () => {
		const ids = sandbox.convoso.addCallbacks(3, (index) => ({
			comments: `bulk ${index}`,
			callback_time: `2026-03-0${index + 2} 10:00:00`,
			stage: index === 2 ? 'DISMISSED' : undefined,
		}));
		expect(ids).toEqual([4, 5, 6]);
		const single = sandbox.convoso.addCallback({ comments: 'one' });
		const bulk = sandbox.convoso.getCallback(4)!;
		// The same defaults as addCallback.
		const defaults: Partial<typeof single> = { ...single };
		for (const field of ['id', 'comments', 'callback_time'] as const) delete defaults[field];
		expect(bulk).toMatchObject({ ...defaults, comments: 'bulk 0' });
		expect(sandbox.convoso.getCallback(6)).toMatchObject({
			stage: 'DISMISSED',
			status: 'DISMISSED',
			class: 'dismissed',
		});
		const found = await search(sandbox, { comments: 'bulk' });
		expect(found.body.data.results.map((row: { id: string }) => row.id)).toEqual(['4', '5', '6']);
		expect(() => sandbox.convoso.addCallbacks(1, () => ({ id: 4 }))).toThrow('exists');
	});

	it('adds Speko callbacks as addCallback would, ids in order', async () => {
		const ids = sandbox.speko.addCallbacks(2, (index) => ({
			status: index === 0 ? 'scheduled' : 'cancelled',
			reason: `bulk ${index}`,
		}));
		expect(ids).toHaveLength(2);
		expect(sandbox.speko.getCallback(ids[1])).toMatchObject({
			status: 'cancelled',
			reason: 'bulk 1',
		});
		const listed = await spekoList(sandbox, '?status=scheduled');
		expect(listed.body.callbacks.map((row: { id: string }) => row.id)).toEqual([ids[0]]);
		expect(() => sandbox.speko.addCallbacks(-1)).toThrow('invalid count');
	});
});
