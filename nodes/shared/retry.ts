/**
 * Retry policy for provider requests: exponential backoff with jitter that
 * honours Retry-After, bounded in attempts and in total time.
 */
export interface RetryPolicy {
	/** Attempts in all, the first one included. */
	maxAttempts: number;
	baseDelayMs: number;
	maxDelayMs: number;
	/** No retry starts once this much time has passed since the first attempt. */
	maxTotalMs: number;
}

export const defaultRetryPolicy: RetryPolicy = {
	maxAttempts: 5,
	baseDelayMs: 500,
	maxDelayMs: 15_000,
	maxTotalMs: 60_000,
};

/** HTTP statuses worth retrying: rate limits and gateway faults. */
export const RETRYABLE_STATUSES: readonly number[] = [429, 502, 503, 504];

/** Network failures worth retrying. */
const RETRYABLE_NETWORK_CODES = [
	'ECONNRESET',
	'ECONNREFUSED',
	'ETIMEDOUT',
	'ECONNABORTED',
	'EPIPE',
	'EAI_AGAIN',
	'ENETUNREACH',
	'EHOSTUNREACH',
	'ERR_SOCKET_CONNECTION_TIMEOUT',
];

/**
 * Failures where the request cannot have reached the provider's application:
 * safe to retry even for a create. A 429 is an answer that the request was refused.
 */
const NOT_SENT_NETWORK_CODES = ['ECONNREFUSED', 'EAI_AGAIN', 'ENETUNREACH', 'EHOSTUNREACH'];

export type Failure = { kind: 'status'; status: number } | { kind: 'network'; code: string };

/**
 * Whether a failed attempt may be repeated. Requests that change state and are not
 * idempotent (a create) are repeated only when the provider surely did nothing.
 */
export function isRetryable(failure: Failure, idempotent: boolean): boolean {
	if (failure.kind === 'status') {
		if (failure.status === 429) return true;
		return idempotent && RETRYABLE_STATUSES.includes(failure.status);
	}
	if (NOT_SENT_NETWORK_CODES.includes(failure.code)) return true;
	return idempotent && RETRYABLE_NETWORK_CODES.includes(failure.code);
}

/**
 * Parses a Retry-After header (delay in seconds, or an HTTP date) into milliseconds.
 * Returns undefined when absent or unreadable.
 */
export function parseRetryAfter(value: unknown, nowMs: number): number | undefined {
	const text = Array.isArray(value) ? value[0] : value;
	if (typeof text !== 'string' && typeof text !== 'number') return undefined;
	const trimmed = String(text).trim();
	if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
	// Every HTTP-date form starts with the day name; Date.parse alone reads "soon 5" as 2001.
	if (!/^(mon|tue|wed|thu|fri|sat|sun)[a-z]*,?\s/i.test(trimmed)) return undefined;
	const date = Date.parse(trimmed);
	if (Number.isNaN(date)) return undefined;
	return Math.max(0, date - nowMs);
}

/**
 * Delay before the next attempt (attempt numbers start at 1 for the first retry).
 * "Equal jitter": half the exponential step is fixed, half random, so retries from
 * many workflows spread out while each still waits a sensible minimum.
 * A Retry-After from the provider is obeyed: wait that long, plus a little jitter
 * (at most 10 % of it, capped at one base step) so callers do not return in lockstep.
 */
export function backoffDelay(
	retryNumber: number,
	policy: RetryPolicy,
	retryAfterMs: number | undefined,
	random: () => number = Math.random,
): number {
	if (retryAfterMs !== undefined) {
		return Math.round(retryAfterMs + random() * Math.min(policy.baseDelayMs, retryAfterMs * 0.1));
	}
	const exponential = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (retryNumber - 1));
	return Math.round(exponential / 2 + (random() * exponential) / 2);
}
