/**
 * The model behind the churn tests: from the provider's state right before each
 * poll, what each trigger must emit (independently of the engine), and what it did
 * emit. Providers plug in by describing their callbacks as `WorldCallback`s.
 */
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { LATE_TOLERANCE_MS } from '../../nodes/shared/poll';
import type { PollRunner } from '../helpers/run-node';

export interface WorldCallback {
	id: string;
	scheduledAtMs: number;
	/** Not cancelled, dismissed, completed or deleted. */
	pending: boolean;
}

export interface DueTrigger {
	runner: PollRunner;
	leadMs: number;
}

const STATE_LIMIT = 64 * 1024;

export class ChurnChecker {
	/** New: ids that existed at some poll after being created after activation. */
	readonly expectedNew = new Set<string>();
	readonly emittedNew: string[] = [];
	readonly due: Array<
		DueTrigger & { baseline: Set<string>; expected: Set<string>; emitted: string[] }
	>;
	/** Largest JSON state any trigger kept, in characters. */
	largestState = 0;
	private previousPoll: number;

	constructor(
		private readonly world: () => WorldCallback[],
		private readonly newTrigger: PollRunner,
		dueTriggers: DueTrigger[],
		activatedAt: number,
	) {
		this.previousPoll = activatedAt;
		// What is due at activation is the baseline: never emitted.
		const atActivation = world();
		this.due = dueTriggers.map((trigger) => ({
			...trigger,
			baseline: new Set(
				atActivation.filter((c) => c.scheduledAtMs - trigger.leadMs <= activatedAt).map(pairOf),
			),
			expected: new Set<string>(),
			emitted: [],
		}));
	}

	/** The first poll of every trigger: a baseline, nothing emitted. */
	async activate(): Promise<void> {
		for (const runner of this.runners()) expect(await runner.poll()).toBeNull();
	}

	/** Polls every trigger at `clock`, after noting what each must emit. */
	async pollAll(clock: number, createdAfterActivation: Iterable<string>): Promise<void> {
		const callbacks = this.world();
		const existing = new Set(callbacks.map((c) => c.id));
		// A callback created and removed between two polls never existed for anyone.
		for (const id of createdAfterActivation) if (existing.has(id)) this.expectedNew.add(id);
		// Due: pending, its time has come, and it did not show up later than the documented tolerance.
		for (const trigger of this.due) {
			for (const callback of callbacks) {
				const fire = callback.scheduledAtMs - trigger.leadMs;
				const inTime = fire >= this.previousPoll - LATE_TOLERANCE_MS;
				if (
					callback.pending &&
					fire <= clock &&
					inTime &&
					!trigger.baseline.has(pairOf(callback))
				) {
					trigger.expected.add(pairOf(callback));
				}
			}
		}
		for (const json of emitted(await this.newTrigger.poll())) this.emittedNew.push(String(json.id));
		for (const trigger of this.due) {
			for (const json of emitted(await trigger.runner.poll())) {
				trigger.emitted.push(`${json.id}@${Date.parse(json.scheduledAt as string)}`);
			}
		}
		for (const runner of this.runners()) {
			const size = JSON.stringify(runner.staticData()).length;
			this.largestState = Math.max(this.largestState, size);
			expect(size).toBeLessThan(STATE_LIMIT);
		}
		this.previousPoll = clock;
	}

	/** Zero missed and zero duplicate emissions, for both events. */
	expectExactlyOnce(): void {
		expect(this.emittedNew.length).toBe(new Set(this.emittedNew).size);
		expect(new Set(this.emittedNew)).toEqual(this.expectedNew);
		for (const trigger of this.due) {
			expect(trigger.emitted.length).toBe(new Set(trigger.emitted).size);
			expect(new Set(trigger.emitted)).toEqual(trigger.expected);
		}
	}

	private runners(): PollRunner[] {
		return [this.newTrigger, ...this.due.map((trigger) => trigger.runner)];
	}
}

export function pairOf(callback: { id: string; scheduledAtMs: number }): string {
	return `${callback.id}@${callback.scheduledAtMs}`;
}

function emitted(result: INodeExecutionData[][] | null): IDataObject[] {
	return result === null ? [] : result[0].map((item) => item.json);
}
