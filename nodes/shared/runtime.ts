import { sleep } from 'n8n-workflow';

import { defaultRetryPolicy } from './retry';
import type { RetryPolicy } from './retry';

/**
 * Everything the nodes take from the world besides n8n's context: clocks, waiting,
 * randomness, and the retry and timeout limits. Node classes get one in their
 * constructor (n8n passes none, so the default); tests pass their own, so no test
 * ever needs to overwrite shared state.
 */
export interface Runtime {
	readonly retryPolicy: Readonly<RetryPolicy>;
	/** Per-request timeout. */
	readonly timeoutMs: number;
	sleep(ms: number): Promise<void>;
	/**
	 * Returns once the event loop has polled for I/O, so that a request just issued is on
	 * its way before a long synchronous task (reading a page) holds the thread.
	 */
	yieldToIo(): Promise<void>;
	/** Epoch ms: the time of a poll, Retry-After dates. */
	now(): number;
	/** Measures a poll's time budget. */
	elapsed(): number;
	random(): number;
}

export const defaultRuntime: Runtime = Object.freeze({
	retryPolicy: Object.freeze({ ...defaultRetryPolicy }),
	timeoutMs: 30_000,
	sleep,
	// Two timers: the first may fire before the loop next polls for I/O, the second cannot.
	yieldToIo: async () => {
		await sleep(0);
		await sleep(0);
	},
	now: () => Date.now(),
	elapsed: () => Date.now(),
	random: () => Math.random(),
});
