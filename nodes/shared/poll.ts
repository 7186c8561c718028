import { createHash, randomBytes } from 'crypto';
import { NodeOperationError } from 'n8n-workflow';
import type { IDataObject, INodeExecutionData, IPollFunctions, JsonValue } from 'n8n-workflow';

import { isPending } from './callback';
import { withCallingHours } from './callingHoursGuard';
import type { CallbackStatus } from './callback';
import type { Runtime } from './runtime';

/**
 * The poll engine behind every trigger. It knows nothing about providers: an
 * adapter lists candidate callbacks, the engine decides which to emit, exactly once.
 *
 * Two events:
 * - 'new': a callback was created. Its time is the provider's `createdAt`.
 * - 'due': a callback's scheduled time, minus "minutes before", has come. Its time
 *   is that fire time, compared with n8n's clock.
 *
 * State (JSON in the node's static data) is a window floor and the recent emissions:
 * - `floor`: candidates whose time is below it are done with;
 * - `seen`: short hashes of what was emitted (or taken as baseline) at or above the
 *   floor, so overlapping polls never emit twice. A due emission is keyed by id and
 *   scheduled time, so a rescheduled callback falls due again at its new time.
 * The floor trails the newest time by LATE_TOLERANCE_MS, so items that show up late
 * or come with a skewed clock are still caught. `seen` is capped, which keeps the
 * state under 64 KiB whatever the account size. A listing that runs out of the poll's
 * time budget is continued by the next poll, from where the source says it stopped
 * (`resume`: a page number, an offset, a link; the engine does not look inside).
 */

export type PollEvent = 'new' | 'due';

export interface PollCandidate {
	/** The provider's id. */
	key: string;
	createdAtMs: number | null;
	scheduledAtMs: number | null;
	/** The normalized status: only pending callbacks (see isPending) fall due. */
	status: CallbackStatus;
	/** The output item; built only for what is emitted. */
	toItem(): IDataObject;
	/** The callee's number (E.164) and the zone the provider keeps, for a release time. */
	callee?(): { phone?: string | null; zone?: string | null };
}

/**
 * 'due' only: when a candidate due at `dueMs` may be emitted (at or after `dueMs`;
 * later while its callee is outside calling hours), and a note for its item.
 */
export type ReleaseAt = (
	candidate: PollCandidate,
	dueMs: number,
) => { atMs: number; note?: IDataObject };

export interface PollQuery {
	event: PollEvent;
	/** Only candidates whose time is at or after this matter; null: all. */
	fromMs: number | null;
	/** n8n's clock now: for 'due', later fire times do not matter yet. */
	toMs: number;
	/** 'due' only: the scheduled time minus this is the fire time. */
	leadMs: number;
	/**
	 * Where to go on: the `resume` of the last page read when the previous poll ran out
	 * of time part-way; undefined to list from the start. A source that cannot resume
	 * may start over.
	 */
	resume?: JsonValue;
	/** What the source noted after its last whole listing (see PollPage.memo); undefined at first. */
	memo?: JsonValue;
}

export interface PollPage {
	candidates: PollCandidate[];
	/**
	 * The provider's answer may have left candidates out: an "empty" answer that could
	 * as well be an outage (Ameyo's HTTP 500 for an empty list). The window does not
	 * move after such a listing, so nothing that falls due meanwhile is dropped.
	 */
	uncertain?: boolean;
	/** Where the listing goes on after this page (opaque to the engine); absent on the last page. */
	resume?: JsonValue;
	/**
	 * The source's own note for the next poll (opaque to the engine), e.g. what a cheap
	 * "anything new?" check compares with. Kept until a later page gives another.
	 */
	memo?: JsonValue;
}

/** Lists candidates, page by page. Adapters may list more than the query asks. */
export type PollSource = (query: PollQuery) => AsyncIterable<PollPage>;

export interface PollOptions {
	event: PollEvent;
	minutesBefore: number;
	includeExisting: boolean;
	/** Anything that changes what matches (the filters): a change starts a new baseline. */
	filterKey: string;
	/** Holds due candidates back until this says they may go ("Only Emit When Callable"). */
	releaseAt?: ReleaseAt;
}

export interface PollState {
	v: 2;
	filterKey: string;
	/** Epoch ms; null while nothing is done with. */
	floor: number | null;
	/** Epoch second → the emissions of that second, as base64 of 5-byte hashes. */
	seen: Record<string, string>;
	/** Where an unfinished listing goes on (the source's own data); absent when the last one finished. */
	resume?: JsonValue;
	/**
	 * The earliest due time of a candidate held back (see ReleaseAt): listings reach
	 * back to it, below the floor, until it is released.
	 */
	heldFrom?: number;
	/** The source's note (PollPage.memo). */
	memo?: JsonValue;
	/** Random, from the poll that made the baseline: tells this trigger's states from others. */
	lineage?: string;
	/** Polls this state has seen: a copy with fewer is older than the last one produced. */
	polls?: number;
}

/**
 * A source that skips its whole listing after a cheap "nothing new" check (PollPage.memo)
 * still lists everything at least this often: what the check can miss is emitted then.
 */
export const WHOLE_LISTING_EVERY_MS = 15 * 60_000;

/** How late (or how skewed) an item may be and still be caught. */
export const LATE_TOLERANCE_MS = 10 * 60_000;
/** At most this many recent emissions are remembered... */
export const MAX_SEEN = 10_000;
/**
 * ...in at most this much JSON, so the whole state stays under 64 KiB: about 8,500
 * emissions in one second (a burst), fewer when spread over the whole window.
 */
export const MAX_SEEN_JSON = 58_000;
const HASH_BYTES = 5;
const DEFAULT_BUDGET_MS = 5 * 60_000;

/** The clocks of the engine: `now` is the time of the poll, `elapsed` measures its budget. */
export type PollClock = Pick<Runtime, 'now' | 'elapsed'>;

export async function pollCallbacks(
	this: IPollFunctions,
	source: PollSource,
	options: PollOptions,
	clock: PollClock,
): Promise<INodeExecutionData[][] | null> {
	const now = clock.now();
	const leadMs = Math.max(0, options.minutesBefore) * 60_000;

	if (this.getMode() === 'manual') {
		const latest = await latestMatch(source, options.event, now, leadMs);
		if (!latest) {
			throw new NodeOperationError(
				this.getNode(),
				options.event === 'new'
					? 'No callback matching the filters was created in the last day'
					: 'No callback matching the filters fell due in the last day',
				{
					description:
						'Fetch Test Event shows the most recent match of the last day. Create or schedule a callback in the provider, then fetch the test event again.',
				},
			);
		}
		return [this.helpers.returnJsonArray([latest.toItem()])];
	}

	const trigger = `${this.getWorkflow().id ?? ''}:${this.getNode().id}`;
	// n8n may start a trigger's next poll while one still runs (a slow poll, the overdue
	// polls after a restart): the running one emits, the other would emit the same.
	if (pollsRunning.has(trigger)) {
		this.logger.info('The previous poll of this trigger is still running; this one is skipped');
		return null;
	}
	pollsRunning.add(trigger);
	try {
		const staticData = this.getWorkflowStaticData('node');
		const previous = readState(staticData.callbacks, options.filterKey);
		if (isOlderThanProduced(trigger, previous, now)) {
			this.logger.info(
				'This poll was given an older state than the last poll produced; it is skipped',
			);
			return null;
		}
		// "Include existing" is for the first activation only: a later change of the filters
		// starts a new baseline instead of a flood.
		const firstActivation = staticData.callbacks === undefined;
		const outcome = await decide(
			source,
			previous,
			{ ...options, includeExisting: options.includeExisting && firstActivation },
			now,
			pollBudgetMs(this),
			clock,
		);
		const state: PollState = {
			...outcome.state,
			lineage: previous?.lineage ?? randomBytes(6).toString('hex'),
			polls: (previous?.polls ?? 0) + 1,
		};
		lastProduced.set(trigger, { lineage: state.lineage!, polls: state.polls!, atMs: now });
		// Reassigned as a whole, so n8n notices the change and saves it.
		staticData.callbacks = state as unknown as IDataObject;
		if (outcome.items.length === 0) return null;
		return [this.helpers.returnJsonArray(outcome.items)];
	} finally {
		pollsRunning.delete(trigger);
	}
}

/** The triggers (workflow and node) with a poll running in this process. */
const pollsRunning = new Set<string>();
/** The last state each trigger's poll produced in this process. */
const lastProduced = new Map<string, { lineage: string; polls: number; atMs: number }>();
/**
 * How long a state older than the last one produced is refused. n8n's durable
 * scheduler commits a poll's state with its execution; a poll that starts before that
 * commit lands gets the state before, and would emit again what the last poll emitted.
 * Past this time the older state is taken as the truth (the newer one was never
 * committed, so its items were not emitted either).
 */
export const STALE_STATE_REFUSED_MS = 60_000;

function isOlderThanProduced(trigger: string, state: PollState | undefined, now: number): boolean {
	const last = lastProduced.get(trigger);
	return (
		last !== undefined &&
		state?.lineage === last.lineage &&
		(state.polls ?? 0) < last.polls &&
		now - last.atMs < STALE_STATE_REFUSED_MS
	);
}

/** How long a poll may take: n8n's poll budget (recent in n8n: older versions get a default). */
export function pollBudgetMs(ctx: IPollFunctions): number {
	return typeof ctx.getPollBudgetMs === 'function' ? ctx.getPollBudgetMs() : DEFAULT_BUDGET_MS;
}

/**
 * The engine's core, free of n8n: from the previous state and what the source
 * lists now, the items to emit and the state to keep.
 */
export async function decide(
	source: PollSource,
	previous: PollState | undefined,
	options: PollOptions,
	now: number,
	budgetMs: number,
	clock: Pick<PollClock, 'elapsed'>,
): Promise<{ items: IDataObject[]; state: PollState }> {
	const leadMs = Math.max(0, options.minutesBefore) * 60_000;
	const firstRun = previous === undefined;
	const baselineOnly = firstRun && !options.includeExisting;
	const floor = firstRun ? firstFloor(options, now) : previous.floor;
	const seen = firstRun ? new Map<string, number>() : readSeen(previous.seen);
	const resume = firstRun ? undefined : previous.resume;
	const heldBefore = firstRun ? undefined : previous.heldFrom;
	let memo = firstRun ? undefined : previous.memo;
	let heldFrom: number | undefined;
	const timeOf = (candidate: PollCandidate) => eventTime(candidate, options.event, leadMs);

	const chosen: Array<{ candidate: PollCandidate; time: number; note?: IDataObject }> = [];
	let newest = -Infinity;
	let goOnFrom: JsonValue | undefined;
	let complete = true;
	let certain = true;
	const deadline = clock.elapsed() + budgetMs;
	const fromMs = floor !== null && heldBefore !== undefined ? Math.min(floor, heldBefore) : floor;
	const query: PollQuery = { event: options.event, fromMs, toMs: now, leadMs, resume, memo };
	for await (const page of source(query)) {
		goOnFrom = page.resume;
		if (page.uncertain) certain = false;
		if (page.memo !== undefined) memo = page.memo;
		for (const candidate of page.candidates) {
			let time = timeOf(candidate);
			if (time === null) continue;
			if (options.event === 'new') newest = Math.max(newest, time);
			if (options.event === 'due' && (!isPending(candidate.status) || time > now)) continue;
			let note: IDataObject | undefined;
			if (options.event === 'due' && options.releaseAt) {
				const release = options.releaseAt(candidate, time);
				if (release.atMs > now) {
					heldFrom = Math.min(heldFrom ?? Infinity, time);
					continue;
				}
				// Released: it counts as an event at its release time.
				time = release.atMs;
				note = release.note;
			}
			const key = emissionKey(candidate, options.event);
			if ((floor !== null && time < floor) || seen.has(key)) continue;
			chosen.push({ candidate, time, note });
			// Listed twice in one poll (a page boundary moved): emitted once.
			seen.set(key, toSecond(time));
		}
		// Out of time: what was listed is emitted; the next poll goes on from here.
		if (clock.elapsed() > deadline) {
			complete = goOnFrom === undefined;
			break;
		}
	}

	// 'due' runs on n8n's clock. 'new' runs on the provider's, but a createdAt in the
	// future (a wrong clock, bad data) must not lift the floor above real new callbacks.
	newest = options.event === 'due' ? now : Math.min(newest, now);
	let nextFloor = floor;
	// The floor rises only after one poll surely listed everything: an unfinished or
	// resumed listing may have missed older candidates that moved between pages, and
	// an uncertain answer may have hidden some.
	const wholeListing = complete && resume === undefined && certain;
	if (
		wholeListing &&
		Number.isFinite(newest) &&
		(floor === null || newest - LATE_TOLERANCE_MS > floor)
	) {
		nextFloor = newest - LATE_TOLERANCE_MS;
	}
	// A listing that may have missed some keeps reaching back to what was held before.
	if (!wholeListing && heldBefore !== undefined)
		heldFrom = Math.min(heldFrom ?? Infinity, heldBefore);
	const state = boundState({
		v: 2,
		filterKey: options.filterKey,
		floor: nextFloor,
		seen: writeSeen(seen, nextFloor),
		...(complete ? {} : { resume: goOnFrom }),
		...(heldFrom === undefined ? {} : { heldFrom }),
		...(memo === undefined ? {} : { memo }),
	});
	if (baselineOnly) return { items: [], state };
	chosen.sort((a, b) => a.time - b.time);
	return {
		items: chosen.map(({ candidate, note }) => withCallingHours(candidate.toItem(), note)),
		state,
	};
}

/** The floor of a first run. Without "include existing", nothing older is emitted. */
function firstFloor(options: PollOptions, now: number): number | null {
	if (options.includeExisting) return null;
	// 'new' learns the newest createdAt from the provider, on its own clock.
	return options.event === 'due' ? now - LATE_TOLERANCE_MS : null;
}

function eventTime(candidate: PollCandidate, event: PollEvent, leadMs: number): number | null {
	if (event === 'new') return candidate.createdAtMs;
	return candidate.scheduledAtMs === null ? null : candidate.scheduledAtMs - leadMs;
}

/** A short hash per emission; 40 bits make a false match negligible at this size. */
function emissionKey(candidate: PollCandidate, event: PollEvent): string {
	const identity = event === 'new' ? candidate.key : `${candidate.key}@${candidate.scheduledAtMs}`;
	return createHash('sha1')
		.update(identity)
		.digest('hex')
		.slice(0, HASH_BYTES * 2);
}

function toSecond(ms: number): number {
	return Math.floor(ms / 1000);
}

function readSeen(stored: Record<string, string>): Map<string, number> {
	const seen = new Map<string, number>();
	for (const [second, packed] of Object.entries(stored)) {
		const hex = Buffer.from(packed, 'base64').toString('hex');
		for (let i = 0; i + HASH_BYTES * 2 <= hex.length; i += HASH_BYTES * 2) {
			seen.set(hex.slice(i, i + HASH_BYTES * 2), Number(second));
		}
	}
	return seen;
}

/** Groups the hashes by second, dropping those below the floor (they can no longer match). */
function writeSeen(seen: Map<string, number>, floor: number | null): Record<string, string> {
	const bySecond = new Map<number, string[]>();
	for (const [hash, second] of seen) {
		if (floor !== null && second < toSecond(floor)) continue;
		const hashes = bySecond.get(second);
		if (hashes) hashes.push(hash);
		else bySecond.set(second, [hash]);
	}
	const stored: Record<string, string> = {};
	for (const [second, hashes] of bySecond) {
		stored[second] = Buffer.from(hashes.join(''), 'hex').toString('base64');
	}
	return stored;
}

/**
 * Past the cap, forgets the oldest seconds and lifts the floor just above them, so
 * nothing forgotten is emitted again (late items below the new floor are then no
 * longer caught: the tolerance shrinks for that burst only).
 */
function boundState(state: PollState): PollState {
	const seconds = Object.keys(state.seen)
		.map(Number)
		.sort((a, b) => b - a);
	const seen: Record<string, string> = {};
	let floor = state.floor;
	let entries = 0;
	let json = 0;
	for (const second of seconds) {
		const packed = state.seen[second];
		const count = Math.floor((packed.length * 3) / 4 / HASH_BYTES);
		const size = String(second).length + packed.length + 6;
		if (entries + count > MAX_SEEN || json + size > MAX_SEEN_JSON) {
			floor = Math.max(floor ?? -Infinity, (second + 1) * 1000);
			break;
		}
		seen[second] = packed;
		entries += count;
		json += size;
	}
	return { ...state, floor, seen };
}

function readState(value: unknown, filterKey: string): PollState | undefined {
	const state = value as PollState | undefined;
	if (!state || state.v !== 2 || state.filterKey !== filterKey || typeof state.seen !== 'object') {
		return undefined;
	}
	return state;
}

/** How far back "Fetch Test Event" looks: a test never reads the account's whole history. */
export const TEST_EVENT_WINDOW_MS = 24 * 3_600_000;

/** For "Fetch Test Event": the most recent match of the last day, without touching any state. */
async function latestMatch(source: PollSource, event: PollEvent, now: number, leadMs: number) {
	let latest: { time: number; candidate: PollCandidate } | undefined;
	const fromMs = now - TEST_EVENT_WINDOW_MS;
	for await (const page of source({ event, fromMs, toMs: now, leadMs })) {
		for (const candidate of page.candidates) {
			const time = eventTime(candidate, event, leadMs);
			if (time === null || time < fromMs) continue;
			if (event === 'due' && (!isPending(candidate.status) || time > now)) continue;
			if (!latest || time > latest.time) latest = { time, candidate };
		}
	}
	return latest?.candidate;
}
