import fc from 'fast-check';

import {
	backoffDelay,
	defaultRetryPolicy,
	isRetryable,
	parseRetryAfter,
} from '../../nodes/shared/retry';
import type { RetryPolicy } from '../../nodes/shared/retry';

const status = (code: number) => ({ kind: 'status', status: code }) as const;
const network = (code: string) => ({ kind: 'network', code }) as const;

describe('isRetryable', () => {
	it.each([
		// [failure, idempotent, expected]
		[status(429), true, true],
		[status(429), false, true],
		[status(502), true, true],
		[status(503), true, true],
		[status(504), true, true],
		[status(502), false, false],
		[status(503), false, false],
		[status(504), false, false],
		[status(500), true, false],
		[status(500), false, false],
		[status(400), true, false],
		[status(401), true, false],
		[status(403), true, false],
		[status(404), true, false],
		[status(200), true, false],
		[network('ECONNRESET'), true, true],
		[network('ETIMEDOUT'), true, true],
		[network('ECONNABORTED'), true, true],
		[network('EPIPE'), true, true],
		[network('ECONNRESET'), false, false],
		[network('ETIMEDOUT'), false, false],
		[network('EPIPE'), false, false],
		// Never reached the provider: safe even for a create.
		[network('ECONNREFUSED'), true, true],
		[network('ECONNREFUSED'), false, true],
		[network('EAI_AGAIN'), false, true],
		[network('ENETUNREACH'), false, true],
		[network('EHOSTUNREACH'), false, true],
		// Not transient.
		[network('ENOTFOUND'), true, false],
		[network('CERT_HAS_EXPIRED'), true, false],
		[network('ERR_TLS_CERT_ALTNAME_INVALID'), false, false],
	])('%j idempotent=%s → %s', (failure, idempotent, expected) => {
		expect(isRetryable(failure, idempotent)).toBe(expected);
	});

	it('never retries other 4xx/5xx statuses, whatever the idempotency', () => {
		fc.assert(
			fc.property(
				fc.integer({ min: 100, max: 599 }).filter((code) => ![429, 502, 503, 504].includes(code)),
				fc.boolean(),
				(code, idempotent) => !isRetryable(status(code), idempotent),
			),
			{ numRuns: 300 },
		);
	});
});

describe('parseRetryAfter', () => {
	const now = Date.parse('Wed, 21 Oct 2026 07:28:00 GMT');

	it('reads delay-seconds, including decimals and padding', () => {
		expect(parseRetryAfter('120', now)).toBe(120_000);
		expect(parseRetryAfter('0', now)).toBe(0);
		expect(parseRetryAfter('1.5', now)).toBe(1500);
		expect(parseRetryAfter(' 3 ', now)).toBe(3000);
		expect(parseRetryAfter(2, now)).toBe(2000);
		fc.assert(
			fc.property(
				fc.integer({ min: 0, max: 100_000 }),
				(seconds) => parseRetryAfter(String(seconds), now) === seconds * 1000,
			),
			{ numRuns: 200 },
		);
	});

	it('reads an HTTP-date as the time left until then, never negative', () => {
		expect(parseRetryAfter('Wed, 21 Oct 2026 07:28:30 GMT', now)).toBe(30_000);
		expect(parseRetryAfter('Wed, 21 Oct 2026 08:28:00 GMT', now)).toBe(3_600_000);
		expect(parseRetryAfter('Wed, 21 Oct 2026 07:27:00 GMT', now)).toBe(0);
		fc.assert(
			fc.property(fc.integer({ min: 0, max: 86_400 }), (seconds) => {
				const header = new Date(now + seconds * 1000).toUTCString();
				return parseRetryAfter(header, now) === seconds * 1000;
			}),
			{ numRuns: 200 },
		);
	});

	it('takes the first value of a repeated header', () => {
		expect(parseRetryAfter(['5', '10'], now)).toBe(5000);
		expect(parseRetryAfter(['Wed, 21 Oct 2026 07:28:10 GMT'], now)).toBe(10_000);
		expect(parseRetryAfter([], now)).toBeUndefined();
	});

	it('gives undefined for absent or unreadable values (never a zero wait from garbage)', () => {
		for (const value of [
			undefined,
			null,
			'',
			'   ',
			'garbage',
			'soon',
			'soon 5',
			'abc 1',
			'-5',
			'1 2',
			'5s',
			'12 apples',
			'NaN',
			{},
			true,
			[{}],
		]) {
			expect(parseRetryAfter(value, now)).toBeUndefined();
		}
	});
});

describe('backoffDelay', () => {
	const policy: RetryPolicy = {
		maxAttempts: 10,
		baseDelayMs: 500,
		maxDelayMs: 15_000,
		maxTotalMs: 60_000,
	};

	it('doubles with each retry (random at its extremes) until the cap', () => {
		const low = (n: number) => backoffDelay(n, policy, undefined, () => 0);
		const high = (n: number) => backoffDelay(n, policy, undefined, () => 1);
		expect([1, 2, 3, 4, 5, 6].map(high)).toEqual([500, 1000, 2000, 4000, 8000, 15_000]);
		expect([1, 2, 3, 4, 5, 6].map(low)).toEqual([250, 500, 1000, 2000, 4000, 7500]);
		for (const n of [7, 10, 30, 100]) {
			expect(high(n)).toBe(policy.maxDelayMs);
			expect(low(n)).toBe(policy.maxDelayMs / 2);
		}
	});

	it('stays within [step/2, step] where step = min(max, base·2^(n-1))', () => {
		fc.assert(
			fc.property(
				fc.integer({ min: 1, max: 40 }),
				fc.integer({ min: 1, max: 5000 }),
				fc.integer({ min: 1, max: 120_000 }),
				fc.double({ min: 0, max: 1, noNaN: true }),
				(n, base, max, random) => {
					const step = Math.min(max, base * 2 ** (n - 1));
					const delay = backoffDelay(
						n,
						{ ...policy, baseDelayMs: base, maxDelayMs: max },
						undefined,
						() => random,
					);
					expect(delay).toBeGreaterThanOrEqual(Math.floor(step / 2));
					expect(delay).toBeLessThanOrEqual(Math.ceil(step));
					expect(delay).toBeLessThanOrEqual(max);
				},
			),
			{ numRuns: 300 },
		);
	});

	it('obeys Retry-After as a floor, even beyond the cap, with at most 10 % jitter', () => {
		expect(backoffDelay(1, policy, 60_000, () => 0)).toBe(60_000);
		expect(backoffDelay(1, policy, 2000, () => 1)).toBe(2200);
		expect(backoffDelay(1, policy, 0, () => 1)).toBe(0);
		fc.assert(
			fc.property(
				fc.integer({ min: 1, max: 10 }),
				fc.integer({ min: 0, max: 600_000 }),
				fc.double({ min: 0, max: 1, noNaN: true }),
				(n, retryAfter, random) => {
					const delay = backoffDelay(n, policy, retryAfter, () => random);
					expect(delay).toBeGreaterThanOrEqual(retryAfter);
					expect(delay).toBeLessThanOrEqual(retryAfter + Math.ceil(retryAfter * 0.1));
					expect(delay).toBeLessThanOrEqual(retryAfter + policy.baseDelayMs);
				},
			),
			{ numRuns: 300 },
		);
	});

	it('has a sane default policy', () => {
		expect(defaultRetryPolicy.maxAttempts).toBeGreaterThan(1);
		expect(defaultRetryPolicy.baseDelayMs).toBeLessThan(defaultRetryPolicy.maxDelayMs);
		expect(defaultRetryPolicy.maxDelayMs).toBeLessThanOrEqual(defaultRetryPolicy.maxTotalMs);
	});
});
