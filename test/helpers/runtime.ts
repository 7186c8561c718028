import { defaultRetryPolicy } from '../../nodes/shared/retry';
import type { RetryPolicy } from '../../nodes/shared/retry';
import type { Runtime } from '../../nodes/shared/runtime';

/**
 * A runtime for tests: waiting between retries takes no real time, it only moves a
 * virtual clock forward and is recorded, so a test can check how long the node
 * would have waited without sleeping.
 */
export class VirtualRuntime implements Runtime {
	readonly sleeps: number[] = [];
	readonly timeoutMs = 30_000;
	retryPolicy: RetryPolicy = { ...defaultRetryPolicy };
	private clock: number;

	constructor(start = Date.parse('2026-06-01T12:00:00Z')) {
		this.clock = start;
	}

	readonly sleep = async (ms: number): Promise<void> => {
		this.sleeps.push(ms);
		this.clock += ms;
	};

	/** Nothing to wait for: no real I/O runs under a virtual clock. */
	readonly yieldToIo = async (): Promise<void> => {};

	readonly now = (): number => this.clock;

	readonly elapsed = (): number => this.clock;

	readonly random = (): number => 0.5;

	/** Moves the clock (a poll interval passing). */
	advance(ms: number): void {
		this.clock += ms;
	}

	set(ms: number): void {
		this.clock = ms;
	}
}
