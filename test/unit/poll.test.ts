/**
 * The poll engine (nodes/shared/poll.ts) against a tiny in-memory provider whose list
 * the tests mutate between polls. Expected emissions come from the tests' own model
 * of the guarantees (explicit lists, or the model in the property at the end), never
 * from the engine's code.
 */
import fc from 'fast-check';
import { DateTime } from 'luxon';
import { returnJsonArray } from 'n8n-core';
import { NodeOperationError } from 'n8n-workflow';
import type { IDataObject, INode, IPollFunctions } from 'n8n-workflow';

import {
	decide,
	LATE_TOLERANCE_MS,
	MAX_SEEN,
	MAX_SEEN_JSON,
	pollCallbacks,
	STALE_STATE_REFUSED_MS,
} from '../../nodes/shared/poll';
import { callableAtFrom } from '../../nodes/shared/callingHoursGuard';
import type {
	PollCandidate,
	PollClock,
	PollEvent,
	PollOptions,
	PollPage,
	PollQuery,
	PollSource,
	PollState,
} from '../../nodes/shared/poll';

const SECOND = 1000;
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const TOL = LATE_TOLERANCE_MS;
/** A Monday 09:00:00 UTC: minute-aligned, so "the same minute" is easy to reason about. */
const T0 = Date.UTC(2026, 5, 1, 9, 0, 0);
/** A budget no test listing comes near, with the budget clock frozen. */
const AMPLE = DAY;
const STATE_LIMIT = 65_536;

// ---------------------------------------------------------------------------
// A fake provider: rows in a Map, listed page by page.
// ---------------------------------------------------------------------------

interface Row {
	id: string;
	createdAt: number | null;
	scheduledAt: number | null;
	pending: boolean;
	/** The callee's number, for "Only Emit When Callable". */
	phone?: string;
}

class Provider {
	readonly rows = new Map<string, Row>();
	pageSize = 25;
	/** Reorders or repeats a listing; by default the rows in insertion order. */
	arrange: (rows: Row[]) => Row[] = (rows) => rows;
	/** Which rows a listing holds (a real adapter may narrow by the query); default: all. */
	select: (rows: Row[], query: PollQuery) => Row[] = (rows) => rows;
	/** Runs before each page is handed over, e.g. to advance the budget clock. */
	beforePage: () => void = () => {};
	/** Lists nothing and marks the page uncertain, as an "empty" answer that may be an outage. */
	outage = false;
	/** Throws when this many pages have been handed over; null: never. */
	failAfterPages: number | null = null;
	readonly queries: PollQuery[] = [];
	pagesHandedOver = 0;

	add(id: string, fields: Partial<Omit<Row, 'id'>> = {}): Row {
		const row: Row = { id, createdAt: null, scheduledAt: null, pending: true, ...fields };
		this.rows.set(id, row);
		return row;
	}

	get(id: string): Row {
		const row = this.rows.get(id);
		if (!row) throw new Error(`no row ${id}`);
		return row;
	}

	readonly source: PollSource = (query) => this.list(query);

	private async *list(query: PollQuery): AsyncGenerator<PollPage> {
		this.queries.push(query);
		if (this.outage) {
			yield { candidates: [], uncertain: true };
			return;
		}
		const listing = this.arrange(this.select([...this.rows.values()], query));
		// A resumed listing goes on at the offset it stopped at, like an offset-paged provider.
		const first = (query.resume as { offset: number } | undefined)?.offset ?? 0;
		for (let start = first, page = 0; start < listing.length; start += this.pageSize, page++) {
			if (this.failAfterPages !== null && page >= this.failAfterPages)
				throw new Error('provider down');
			this.beforePage();
			this.pagesHandedOver++;
			const next = start + this.pageSize;
			yield {
				candidates: listing.slice(start, next).map(candidateOf),
				resume: next < listing.length ? { offset: next } : undefined,
			};
		}
		if (this.failAfterPages !== null && listing.length === 0) throw new Error('provider down');
	}
}

/** A candidate as an adapter builds it: a snapshot of the row at listing time. */
function candidateOf(row: Row): PollCandidate {
	const { id, createdAt, scheduledAt, pending, phone } = row;
	return {
		key: id,
		createdAtMs: createdAt,
		scheduledAtMs: scheduledAt,
		status: pending ? 'scheduled' : 'cancelled',
		toItem: () => ({ id, createdAt, scheduledAt }),
		callee: () => ({ phone }),
	};
}

const options = (event: PollEvent, overrides: Partial<PollOptions> = {}): PollOptions => ({
	event,
	minutesBefore: 0,
	includeExisting: false,
	filterKey: 'filters',
	...overrides,
});

/** What an emitted item stands for: the id ('new') or the (id, scheduled time) pair ('due'). */
const pairOf = (item: IDataObject) => `${String(item.id)}@${String(item.scheduledAt)}`;
const idOf = (item: IDataObject) => String(item.id);

/** One trigger: decide() with its state kept between polls, as the node keeps it. */
class Trigger {
	state: PollState | undefined;
	constructor(
		readonly provider: Provider,
		readonly opts: PollOptions,
	) {}

	async poll(now: number, budgetMs = AMPLE): Promise<string[]> {
		const { items, state } = await decide(
			this.provider.source,
			this.state,
			this.opts,
			now,
			budgetMs,
			budgetClock,
		);
		this.state = state;
		return items.map(this.opts.event === 'new' ? idOf : pairOf);
	}
}

const due = (id: string, scheduledAt: number) => `${id}@${scheduledAt}`;
const sorted = (values: string[]) => [...values].sort();
const stateSize = (state: PollState | undefined) => JSON.stringify(state).length;
const seenCount = (state: PollState) =>
	Object.values(state.seen).reduce(
		(sum, packed) => sum + Buffer.from(packed, 'base64').length / 5,
		0,
	);

/** A small seeded generator, for reorderings the tests can replay. */
function random(seed: number) {
	let a = seed >>> 0;
	const next = () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
	const int = (n: number) => Math.floor(next() * n);
	return {
		int,
		shuffle<T>(values: T[]): T[] {
			const copy = [...values];
			for (let i = copy.length - 1; i > 0; i--) {
				const j = int(i + 1);
				[copy[i], copy[j]] = [copy[j], copy[i]];
			}
			return copy;
		},
	};
}

// ---------------------------------------------------------------------------
// Clocks
// ---------------------------------------------------------------------------

/** The budget clock: frozen unless a test advances it. */
let elapsedClock = 0;
/** decide() takes the poll's time as an argument: it must not read the clock's `now`. */
const budgetClock: PollClock = {
	now: () => {
		throw new Error('this test must not read clock.now');
	},
	elapsed: () => elapsedClock,
};

beforeEach(() => {
	elapsedClock = 0;
});

// ---------------------------------------------------------------------------
// 1. Event 'new'
// ---------------------------------------------------------------------------

describe("decide(): event 'new'", () => {
	it('emits every new callback exactly once while each poll lists the whole account again', async () => {
		const provider = new Provider();
		for (let i = 1; i <= 5; i++) provider.add(`old${i}`, { createdAt: T0 - i * 7 * MINUTE });
		const trigger = new Trigger(provider, options('new'));

		expect(await trigger.poll(T0)).toEqual([]);
		provider.add('a1', { createdAt: T0 + 10 * SECOND });
		provider.add('a2', { createdAt: T0 + 20 * SECOND });
		expect(await trigger.poll(T0 + MINUTE)).toEqual(['a1', 'a2']);
		provider.add('a3', { createdAt: T0 + 70 * SECOND });
		expect(await trigger.poll(T0 + 2 * MINUTE)).toEqual(['a3']);
		expect(await trigger.poll(T0 + 3 * MINUTE)).toEqual([]);
		provider.add('a4', { createdAt: T0 + 3 * MINUTE + 1 });
		expect(await trigger.poll(T0 + 4 * MINUTE)).toEqual(['a4']);
		expect(await trigger.poll(T0 + 5 * MINUTE)).toEqual([]);
	});

	it('emits an item once when one poll lists it twice (a page boundary moved)', async () => {
		const provider = new Provider();
		provider.pageSize = 3;
		const trigger = new Trigger(provider, options('new'));
		expect(await trigger.poll(T0)).toEqual([]);

		for (let i = 1; i <= 8; i++) provider.add(`n${i}`, { createdAt: T0 + i * SECOND });
		// Offset paging while items are inserted: the last item of each page comes again
		// first on the next page.
		provider.arrange = (rows) => rows.flatMap((row, i) => (i % 2 === 1 ? [row, row] : [row]));
		expect(await trigger.poll(T0 + MINUTE)).toEqual([
			'n1',
			'n2',
			'n3',
			'n4',
			'n5',
			'n6',
			'n7',
			'n8',
		]);
		expect(await trigger.poll(T0 + 2 * MINUTE)).toEqual([]);
	});

	it('emits items listed out of order once each, in createdAt order', async () => {
		const provider = new Provider();
		provider.pageSize = 4;
		const trigger = new Trigger(provider, options('new'));
		expect(await trigger.poll(T0)).toEqual([]);

		const ids: string[] = [];
		for (let i = 1; i <= 30; i++) {
			ids.push(`n${String(i).padStart(2, '0')}`);
			provider.add(ids[i - 1], { createdAt: T0 + i * SECOND });
		}
		const shuffle = random(7).shuffle;
		provider.arrange = (rows) => shuffle(rows);
		expect(await trigger.poll(T0 + MINUTE)).toEqual(ids);
		expect(await trigger.poll(T0 + 2 * MINUTE)).toEqual([]);
	});

	it('catches an item listed late up to LATE_TOLERANCE_MS older than the newest seen; 1 ms more is missed', async () => {
		const provider = new Provider();
		provider.add('old', { createdAt: T0 - MINUTE });
		const trigger = new Trigger(provider, options('new'));
		expect(await trigger.poll(T0)).toEqual([]);

		const newest = T0 + 30 * SECOND;
		provider.add('x', { createdAt: newest });
		expect(await trigger.poll(T0 + MINUTE)).toEqual(['x']);

		// Listed only now, though created long before the previous poll.
		provider.add('edge', { createdAt: newest - TOL });
		provider.add('beyond', { createdAt: newest - TOL - 1 });
		provider.add('mid', { createdAt: newest - TOL / 2 });
		expect(await trigger.poll(T0 + 2 * MINUTE)).toEqual(['edge', 'mid']);
		expect(await trigger.poll(T0 + 3 * MINUTE)).toEqual([]);
	});

	it('ignores candidates without a createdAt', async () => {
		const provider = new Provider();
		const trigger = new Trigger(provider, options('new', { includeExisting: true }));
		provider.add('a', { createdAt: T0 - MINUTE });
		provider.add('undated', { createdAt: null });
		expect(await trigger.poll(T0)).toEqual(['a']);
		expect(await trigger.poll(T0 + MINUTE)).toEqual([]);
	});
});

// ---------------------------------------------------------------------------
// 2. Event 'due'
// ---------------------------------------------------------------------------

describe("decide(): event 'due'", () => {
	it('fires at scheduledAt − minutesBefore, once, and not before', async () => {
		const provider = new Provider();
		const trigger = new Trigger(provider, options('due', { minutesBefore: 5 }));
		expect(await trigger.poll(T0)).toEqual([]);

		const a = provider.add('a', { scheduledAt: T0 + MINUTE + 5 * MINUTE }).scheduledAt!; // fires at T0+60 s
		const b = provider.add('b', { scheduledAt: T0 + MINUTE + 5 * MINUTE + 1 }).scheduledAt!; // 1 ms later
		const c = provider.add('c', { scheduledAt: T0 + 30 * SECOND + 5 * MINUTE }).scheduledAt!; // T0+30 s
		const d = provider.add('d', { scheduledAt: T0 + 20 * MINUTE }).scheduledAt!; // T0+15 min
		expect(await trigger.poll(T0 + MINUTE)).toEqual([due('c', c), due('a', a)]);
		expect(await trigger.poll(T0 + MINUTE + 1)).toEqual([due('b', b)]);
		for (let t = T0 + 2 * MINUTE; t < T0 + 15 * MINUTE; t += MINUTE)
			expect(await trigger.poll(t)).toEqual([]);
		expect(await trigger.poll(T0 + 15 * MINUTE)).toEqual([due('d', d)]);
		expect(await trigger.poll(T0 + 16 * MINUTE)).toEqual([]);
	});

	it('fires a rescheduled callback again at its new time, once', async () => {
		const provider = new Provider();
		const trigger = new Trigger(provider, options('due'));
		expect(await trigger.poll(T0)).toEqual([]);

		provider.add('a', { scheduledAt: T0 + 30 * SECOND });
		expect(await trigger.poll(T0 + MINUTE)).toEqual([due('a', T0 + 30 * SECOND)]);
		provider.get('a').scheduledAt = T0 + 150 * SECOND;
		expect(await trigger.poll(T0 + 2 * MINUTE)).toEqual([]);
		expect(await trigger.poll(T0 + 3 * MINUTE)).toEqual([due('a', T0 + 150 * SECOND)]);
		expect(await trigger.poll(T0 + 4 * MINUTE)).toEqual([]);
		// Rescheduled to a time that has just passed (within the tolerance): due at once.
		provider.get('a').scheduledAt = T0 + 3 * MINUTE + 10 * SECOND;
		expect(await trigger.poll(T0 + 5 * MINUTE)).toEqual([due('a', T0 + 3 * MINUTE + 10 * SECOND)]);
		expect(await trigger.poll(T0 + 6 * MINUTE)).toEqual([]);
	});

	it('never emits a callback that is not pending', async () => {
		const provider = new Provider();
		const trigger = new Trigger(provider, options('due', { includeExisting: true }));
		provider.add('cancelledOverdue', { scheduledAt: T0 - 5 * MINUTE, pending: false });
		provider.add('cancelledLater', { scheduledAt: T0 + 3 * MINUTE, pending: false });
		provider.add('cancelledBeforeDue', { scheduledAt: T0 + 5 * MINUTE });
		const live = provider.add('live', { scheduledAt: T0 + 7 * MINUTE }).scheduledAt!;
		expect(await trigger.poll(T0)).toEqual([]);
		expect(await trigger.poll(T0 + MINUTE)).toEqual([]);
		provider.get('cancelledBeforeDue').pending = false;
		const emitted: string[] = [];
		for (let t = T0 + 2 * MINUTE; t <= T0 + 30 * MINUTE; t += MINUTE)
			emitted.push(...(await trigger.poll(t)));
		expect(emitted).toEqual([due('live', live)]);
	});

	it('emits a callback listed late if its fire time is within LATE_TOLERANCE_MS of the previous poll; 1 ms more is missed', async () => {
		const provider = new Provider();
		const trigger = new Trigger(provider, options('due', { minutesBefore: 2 }));
		expect(await trigger.poll(T0)).toEqual([]);
		const previous = T0 + MINUTE;
		expect(await trigger.poll(previous)).toEqual([]);

		const lead = 2 * MINUTE;
		const edge = provider.add('edge', { scheduledAt: previous - TOL + lead }).scheduledAt!;
		provider.add('beyond', { scheduledAt: previous - TOL - 1 + lead });
		const recent = provider.add('recent', { scheduledAt: previous - MINUTE + lead }).scheduledAt!;
		const fresh = provider.add('fresh', {
			scheduledAt: previous + 30 * SECOND + lead,
		}).scheduledAt!;
		expect(await trigger.poll(previous + MINUTE)).toEqual([
			due('edge', edge),
			due('recent', recent),
			due('fresh', fresh),
		]);
		expect(await trigger.poll(previous + 2 * MINUTE)).toEqual([]);
	});

	it('emits a (callback, time) listed twice in one poll once, and ignores callbacks without a time', async () => {
		const provider = new Provider();
		provider.pageSize = 2;
		const trigger = new Trigger(provider, options('due'));
		expect(await trigger.poll(T0)).toEqual([]);
		provider.add('a', { scheduledAt: T0 + 10 * SECOND });
		provider.add('b', { scheduledAt: T0 + 20 * SECOND });
		provider.add('unscheduled', { scheduledAt: null });
		provider.arrange = (rows) => [...rows, ...rows.slice().reverse(), ...rows];
		expect(await trigger.poll(T0 + MINUTE)).toEqual([
			due('a', T0 + 10 * SECOND),
			due('b', T0 + 20 * SECOND),
		]);
		expect(await trigger.poll(T0 + 2 * MINUTE)).toEqual([]);
	});
});

// ---------------------------------------------------------------------------
// 3. First run
// ---------------------------------------------------------------------------

describe("decide(): 'due', Only Emit When Callable", () => {
	const NEW_YORK = '+12125550100';
	const KOLKATA = '+919812345678';
	/** The tests' own rule: 08:00-21:00 in New York, 09:00-21:00 in Kolkata, every day. */
	function expectedRelease(dueMs: number, phone: string): number {
		const [zone, start] = phone === NEW_YORK ? ['America/New_York', 8] : ['Asia/Kolkata', 9];
		const local = DateTime.fromMillis(dueMs, { zone });
		const minutes = local.hour * 60 + local.minute + local.second / 60;
		if (minutes >= start * 60 && minutes <= 21 * 60) return dueMs;
		const day = minutes > 21 * 60 ? local.plus({ days: 1 }) : local;
		return day.set({ hour: start, minute: 0, second: 0, millisecond: 0 }).toMillis();
	}
	/** A provider that lists, as the real ones do, only what is scheduled in the query's window. */
	function narrowProvider() {
		const provider = new Provider();
		provider.select = (rows, query) =>
			rows.filter(
				(row) =>
					row.scheduledAt !== null &&
					(query.fromMs === null || row.scheduledAt >= query.fromMs + query.leadMs) &&
					row.scheduledAt <= query.toMs + query.leadMs,
			);
		return provider;
	}
	const callable = (minutesBefore = 0) =>
		options('due', {
			minutesBefore,
			releaseAt: (candidate, dueMs) => {
				const callee = candidate.callee?.() ?? {};
				return callableAtFrom({})({ timeMs: dueMs, phone: callee.phone });
			},
		});
	// 2026-06-01 22:30 in New York is 02:30 UTC on June 2.
	const NIGHT = Date.UTC(2026, 5, 2, 2, 30);

	it('holds a callback due at night and emits it once, with why, when the window opens', async () => {
		const provider = narrowProvider();
		const trigger = new Trigger(provider, callable());
		await trigger.poll(NIGHT - HOUR);
		provider.add('night', { scheduledAt: NIGHT, phone: NEW_YORK });
		// 23:00 in New York is 08:30 in Kolkata: held until 09:00 there.
		provider.add('kolkata', { scheduledAt: NIGHT + 30 * MINUTE, phone: KOLKATA });
		const opens = expectedRelease(NIGHT, NEW_YORK);
		expect(new Date(opens).toISOString()).toBe('2026-06-02T12:00:00.000Z');
		const emitted: Array<[string, number]> = [];
		let item: IDataObject | undefined;
		for (let now = NIGHT - HOUR + 5 * MINUTE; now <= opens + 3 * HOUR; now += 5 * MINUTE) {
			const { items, state } = await decide(
				provider.source,
				trigger.state,
				trigger.opts,
				now,
				AMPLE,
				budgetClock,
			);
			trigger.state = state;
			for (const emittedItem of items) {
				emitted.push([String(emittedItem.id), now]);
				if (emittedItem.id === 'night') item = emittedItem;
			}
		}
		expect(emitted).toEqual([
			['kolkata', expectedRelease(NIGHT + 30 * MINUTE, KOLKATA)],
			['night', opens],
		]);
		expect(expectedRelease(NIGHT + 30 * MINUTE, KOLKATA)).toBe(Date.UTC(2026, 5, 2, 3, 30));
		expect(item?.callingHours).toEqual({
			dueAt: '2026-06-02T02:30:00Z',
			heldUntil: '2026-06-02T12:00:00Z',
			reason: expect.stringContaining('America/New_York'),
		});
		// Once released, listings no longer reach back to it.
		expect(trigger.state?.heldFrom).toBeUndefined();
		expect(provider.queries.at(-1)!.fromMs).toBeGreaterThan(opens);
	});

	it('emits a held callback once even when the polls stopped over the opening time', async () => {
		const provider = narrowProvider();
		const trigger = new Trigger(provider, callable());
		await trigger.poll(NIGHT - HOUR);
		provider.add('night', { scheduledAt: NIGHT, phone: NEW_YORK });
		expect(await trigger.poll(NIGHT + MINUTE)).toEqual([]);
		expect(trigger.state?.heldFrom).toBe(NIGHT);
		// n8n was down from 23:00 until 11:00 in New York.
		const back = expectedRelease(NIGHT, NEW_YORK) + 3 * HOUR;
		expect(await trigger.poll(back)).toEqual([due('night', NIGHT)]);
		expect(await trigger.poll(back + 5 * MINUTE)).toEqual([]);
	});

	it('a held callback rescheduled into the window goes at its new time, once', async () => {
		const provider = narrowProvider();
		const trigger = new Trigger(provider, callable());
		await trigger.poll(NIGHT - HOUR);
		provider.add('moved', { scheduledAt: NIGHT, phone: NEW_YORK });
		expect(await trigger.poll(NIGHT + MINUTE)).toEqual([]);
		const daytime = Date.UTC(2026, 5, 2, 14, 0); // 10:00 in New York
		provider.get('moved').scheduledAt = daytime;
		const emitted: string[] = [];
		for (let now = NIGHT + 6 * MINUTE; now <= daytime + HOUR; now += 5 * MINUTE)
			emitted.push(...(await trigger.poll(now)));
		expect(emitted).toEqual([due('moved', daytime)]);
	});

	it('does not hold a callback whose zone cannot be told, and says it was not checked', async () => {
		const provider = narrowProvider();
		const trigger = new Trigger(provider, callable());
		await trigger.poll(NIGHT - HOUR);
		provider.add('unknown', { scheduledAt: NIGHT, phone: '12345' });
		const { items } = await decide(
			provider.source,
			trigger.state,
			trigger.opts,
			NIGHT + MINUTE,
			AMPLE,
			budgetClock,
		);
		expect(items).toEqual([
			expect.objectContaining({
				id: 'unknown',
				callingHours: { checked: false, reason: expect.stringContaining('"12345"') },
			}),
		]);
	});

	it('random callbacks over four days: each once, never before its callee’s window, within one poll of it', async () => {
		const rand = random(7);
		const provider = narrowProvider();
		const lead = 30;
		const trigger = new Trigger(provider, callable(lead));
		const start = Date.UTC(2026, 2, 6, 0, 0); // across the US change to summer time (March 8)
		await trigger.poll(start);
		const expected = new Map<string, number>();
		for (let i = 0; i < 60; i++) {
			const scheduledAt = start + HOUR + rand.int(3 * DAY);
			const phone = rand.int(2) === 0 ? NEW_YORK : KOLKATA;
			provider.add(`c${i}`, { scheduledAt, phone });
			expected.set(due(`c${i}`, scheduledAt), expectedRelease(scheduledAt - lead * MINUTE, phone));
		}
		const interval = 5 * MINUTE;
		const emittedAt = new Map<string, number[]>();
		for (let now = start + interval; now <= start + 4 * DAY; now += interval)
			for (const key of await trigger.poll(now))
				emittedAt.set(key, [...(emittedAt.get(key) ?? []), now]);
		expect(sorted([...emittedAt.keys()])).toEqual(sorted([...expected.keys()]));
		for (const [key, times] of emittedAt) {
			expect([key, times.length]).toEqual([key, 1]);
			const lateness = times[0] - expected.get(key)!;
			expect([key, lateness >= 0 && lateness < interval]).toEqual([key, true]);
		}
	});
});

describe('decide(): an uncertain listing (an empty answer that may be an outage)', () => {
	it("'due': keeps the window, so callbacks that fell due during a long outage are still emitted, once", async () => {
		const provider = new Provider();
		const trigger = new Trigger(provider, options('due'));
		expect(await trigger.poll(T0)).toEqual([]);
		const a = provider.add('a', { scheduledAt: T0 + 2 * MINUTE }).scheduledAt!;
		const b = provider.add('b', { scheduledAt: T0 + 25 * MINUTE }).scheduledAt!;
		// Half an hour of "empty" answers: three times the late tolerance.
		provider.outage = true;
		for (let t = T0 + MINUTE; t <= T0 + 30 * MINUTE; t += MINUTE)
			expect(await trigger.poll(t)).toEqual([]);
		expect(trigger.state!.floor).toBe(T0 - TOL);
		provider.outage = false;
		expect(await trigger.poll(T0 + 31 * MINUTE)).toEqual([due('a', a), due('b', b)]);
		expect(await trigger.poll(T0 + 32 * MINUTE)).toEqual([]);
		expect(trigger.state!.floor).toBe(T0 + 32 * MINUTE - TOL);
	});

	it("'due': the same outage on a certain listing would drop them (why the flag exists)", async () => {
		const provider = new Provider();
		const trigger = new Trigger(provider, options('due'));
		expect(await trigger.poll(T0)).toEqual([]);
		const hidden = provider.add('a', { scheduledAt: T0 + 2 * MINUTE });
		provider.rows.delete('a');
		for (let t = T0 + MINUTE; t <= T0 + 30 * MINUTE; t += MINUTE) await trigger.poll(t);
		provider.rows.set('a', hidden);
		expect(await trigger.poll(T0 + 31 * MINUTE)).toEqual([]);
	});
});

describe('decide(): first run', () => {
	function account() {
		const provider = new Provider();
		for (let i = 0; i < 50; i++) {
			provider.add(`old${i}`, {
				createdAt: T0 - 1 - i * 97 * MINUTE, // from just now back about 3 days
				scheduledAt: T0 - DAY + i * HOUR + 7 * SECOND, // 24 overdue, 26 upcoming
				pending: i % 5 !== 0,
			});
		}
		return provider;
	}

	it("'new' without includeExisting: a baseline, and the existing callbacks are never emitted", async () => {
		const provider = account();
		const shuffle = random(3).shuffle;
		provider.arrange = (rows) => shuffle(rows);
		const trigger = new Trigger(provider, options('new'));
		expect(await trigger.poll(T0)).toEqual([]);
		provider.add('n1', { createdAt: T0 + 5 * SECOND });
		expect(await trigger.poll(T0 + MINUTE)).toEqual(['n1']);
		const later: string[] = [];
		for (let t = T0 + 2 * MINUTE; t <= T0 + 30 * MINUTE; t += MINUTE)
			later.push(...(await trigger.poll(t)));
		expect(later).toEqual([]);
	});

	it("'new' with includeExisting: every listed callback once, oldest first", async () => {
		const provider = account();
		const trigger = new Trigger(provider, options('new', { includeExisting: true }));
		const expected = [...provider.rows.values()]
			.sort((x, y) => x.createdAt! - y.createdAt!)
			.map((row) => row.id);
		expect(await trigger.poll(T0)).toEqual(expected);
		provider.add('n1', { createdAt: T0 + 5 * SECOND });
		expect(await trigger.poll(T0 + MINUTE)).toEqual(['n1']);
		expect(await trigger.poll(T0 + 2 * MINUTE)).toEqual([]);
	});

	it("'due' without includeExisting: what is already due is never emitted; what falls due later is", async () => {
		const provider = account();
		const trigger = new Trigger(provider, options('due'));
		expect(await trigger.poll(T0)).toEqual([]);

		const emitted: string[] = [];
		for (let t = T0 + MINUTE; t <= T0 + 2 * DAY; t += 30 * MINUTE)
			emitted.push(...(await trigger.poll(t)));
		// Independent model: pending, fire time after T0 and by the last poll.
		const expected = [...provider.rows.values()]
			.filter(
				(row) =>
					row.pending && row.scheduledAt! > T0 && row.scheduledAt! <= T0 + 2 * DAY - 29 * MINUTE,
			)
			.sort((x, y) => x.scheduledAt! - y.scheduledAt!)
			.map((row) => due(row.id, row.scheduledAt!));
		expect(expected).toHaveLength(21); // 26 upcoming, 5 of them cancelled
		expect(emitted).toEqual(expected);
	});

	it("'due' with includeExisting: every pending callback already due, once; none upcoming, none cancelled", async () => {
		const provider = account();
		const trigger = new Trigger(
			provider,
			options('due', { includeExisting: true, minutesBefore: 10 }),
		);
		const existing = [...provider.rows.values()]
			.filter((row) => row.pending && row.scheduledAt! - 10 * MINUTE <= T0)
			.sort((x, y) => x.scheduledAt! - y.scheduledAt!)
			.map((row) => due(row.id, row.scheduledAt!));
		expect(existing).toHaveLength(20); // 25 with a fire time come, 5 of them cancelled
		expect(await trigger.poll(T0)).toEqual(existing);
		expect(await trigger.poll(T0 + MINUTE)).toEqual([]);
		expect(await trigger.poll(T0 + 2 * MINUTE)).toEqual([]);
	});
});

// ---------------------------------------------------------------------------
// 5. Time budget
// ---------------------------------------------------------------------------

describe('decide(): time budget', () => {
	/** 100 new callbacks (and an old one) on 11 pages; each page takes a second of the budget clock. */
	async function backlog(event: PollEvent) {
		const provider = new Provider();
		provider.pageSize = 10;
		provider.beforePage = () => {
			elapsedClock += SECOND;
		};
		// Listed first, emitted never: the first page holds it and 9 of the backlog.
		provider.add('old', { createdAt: T0 - HOUR, scheduledAt: T0 - HOUR });
		const trigger = new Trigger(provider, options(event));
		expect(await trigger.poll(T0)).toEqual([]);
		expect(await trigger.poll(T0 + MINUTE)).toEqual([]);
		expect(trigger.state!.floor).not.toBeNull();
		const expected: string[] = [];
		for (let i = 0; i < 100; i++) {
			const row = provider.add(`n${String(i).padStart(3, '0')}`, {
				createdAt: T0 + MINUTE + 1 + i * 500,
				scheduledAt: T0 + MINUTE + 1 + i * 500,
			});
			expected.push(event === 'new' ? row.id : due(row.id, row.scheduledAt!));
		}
		return { provider, trigger, expected };
	}

	it.each<PollEvent>(['new', 'due'])(
		"'%s': stops early, emits what it listed, keeps the floor; the next poll goes on and emits the rest",
		async (event) => {
			const { provider, trigger, expected } = await backlog(event);
			const floorBefore = trigger.state!.floor;

			provider.pagesHandedOver = 0;
			const first = await trigger.poll(T0 + 2 * MINUTE, 2500);
			// Pages at 1 s, 2 s and 3 s: the third one is over the 2.5 s budget, and is the last.
			expect(provider.pagesHandedOver).toBe(3);
			expect(first).toEqual(expected.slice(0, 29));
			expect(trigger.state!.floor).toBe(floorBefore);

			// The next poll goes on from the page where the first stopped.
			const second = await trigger.poll(T0 + 3 * MINUTE);
			expect(second).toEqual(expected.slice(29));
			expect(trigger.state!.floor).toBe(floorBefore);
			// The floor rises once one poll has listed everything, from the first page.
			expect(await trigger.poll(T0 + 4 * MINUTE)).toEqual([]);
			expect(trigger.state!.floor).toBeGreaterThan(floorBefore!);
		},
	);

	it.each<PollEvent>(['new', 'due'])(
		"'%s': the polls after an unfinished one, with the same budget, emit the rest of the backlog",
		async (event) => {
			const { trigger, expected } = await backlog(event);
			const emitted: string[] = [];
			for (let i = 0; i < 10; i++)
				emitted.push(...(await trigger.poll(T0 + (2 + i) * MINUTE, 2500)));
			expect(emitted).toEqual(expected);
		},
	);
});

// ---------------------------------------------------------------------------
// 6. State size and shape
// ---------------------------------------------------------------------------

describe('decide(): state', () => {
	it('stays under 64 KiB for an account of 100,000 callbacks (baseline and includeExisting)', async () => {
		const provider = new Provider();
		provider.pageSize = 5000;
		for (let i = 0; i < 100_000; i++) {
			provider.add(`c${i}`, {
				createdAt: T0 - i * 5 * SECOND,
				scheduledAt: T0 - 3 * DAY + i * 5 * SECOND,
			});
		}
		for (const event of ['new', 'due'] as const) {
			for (const includeExisting of [false, true]) {
				const trigger = new Trigger(provider, options(event, { includeExisting }));
				const first = await trigger.poll(T0);
				const expectedCount = !includeExisting
					? 0
					: event === 'new'
						? 100_000
						: (3 * DAY) / (5 * SECOND) + 1;
				expect(first).toHaveLength(expectedCount);
				expect(stateSize(trigger.state)).toBeLessThan(STATE_LIMIT);
				expect(await trigger.poll(T0 + MINUTE)).toHaveLength(event === 'due' ? 12 : 0);
				expect(stateSize(trigger.state)).toBeLessThan(STATE_LIMIT);
			}
		}
	});

	it('stays under 64 KiB after a burst of 20,000 new callbacks in one minute, and emits none twice', async () => {
		const provider = new Provider();
		provider.pageSize = 5000;
		const trigger = new Trigger(provider, options('new'));
		provider.add('old', { createdAt: T0 - HOUR });
		expect(await trigger.poll(T0)).toEqual([]);
		for (let i = 0; i < 20_000; i++) provider.add(`b${i}`, { createdAt: T0 + MINUTE + i });
		const burst = await trigger.poll(T0 + MINUTE + 40 * SECOND);
		expect(burst).toHaveLength(20_000);
		expect(new Set(burst).size).toBe(20_000);
		expect(stateSize(trigger.state)).toBeLessThan(STATE_LIMIT);
		provider.add('after', { createdAt: T0 + 3 * MINUTE });
		expect(await trigger.poll(T0 + 3 * MINUTE + 40 * SECOND)).toEqual(['after']);
		expect(stateSize(trigger.state)).toBeLessThan(STATE_LIMIT);
	});

	it("'new': a callback created after a burst of more than MAX_SEEN, in the same minute, is still emitted", async () => {
		const provider = new Provider();
		provider.pageSize = 5000;
		const trigger = new Trigger(provider, options('new'));
		provider.add('old', { createdAt: T0 - HOUR });
		expect(await trigger.poll(T0)).toEqual([]);
		for (let i = 0; i < MAX_SEEN + 1000; i++) provider.add(`b${i}`, { createdAt: T0 + MINUTE + i });
		expect(await trigger.poll(T0 + MINUTE + 40 * SECOND)).toHaveLength(MAX_SEEN + 1000);
		provider.add('late', { createdAt: T0 + MINUTE + 50 * SECOND });
		expect(await trigger.poll(T0 + 2 * MINUTE + 40 * SECOND)).toEqual(['late']);
	});

	it("'due': a callback due later in a minute that already had more than MAX_SEEN due is still emitted", async () => {
		const provider = new Provider();
		provider.pageSize = 5000;
		const trigger = new Trigger(provider, options('due'));
		expect(await trigger.poll(T0)).toEqual([]);
		for (let i = 0; i < MAX_SEEN + 1000; i++) provider.add(`b${i}`, { scheduledAt: T0 + MINUTE });
		const x = provider.add('x', { scheduledAt: T0 + MINUTE + 40 * SECOND }).scheduledAt!;
		expect(await trigger.poll(T0 + MINUTE + 20 * SECOND)).toHaveLength(MAX_SEEN + 1000);
		expect(await trigger.poll(T0 + 2 * MINUTE + 20 * SECOND)).toEqual([due('x', x)]);
	});

	it('stays under 64 KiB over 200 polls of churn (with a surge past MAX_SEEN), emitting each new and due callback once', async () => {
		const provider = new Provider();
		provider.pageSize = 2000;
		const lead = 5 * MINUTE;
		// Like a real adapter, lists about what the query asks for (plus a margin).
		provider.select = (rows, query) =>
			query.fromMs === null
				? rows
				: query.event === 'new'
					? rows.filter((row) => row.createdAt! >= query.fromMs! - MINUTE)
					: rows.filter((row) => row.scheduledAt! - query.leadMs >= query.fromMs! - MINUTE);
		const newTrigger = new Trigger(provider, options('new'));
		const dueTrigger = new Trigger(provider, options('due', { minutesBefore: 5 }));
		provider.add('old', { createdAt: T0 - HOUR, scheduledAt: T0 - HOUR });
		expect(await newTrigger.poll(T0)).toEqual([]);
		expect(await dueTrigger.poll(T0)).toEqual([]);
		// 60 a minute, but 700 a minute for 15 minutes: 7,000 in the tolerance window, more than fits.
		const rate = (poll: number) => (poll >= 90 && poll < 105 ? 700 : 60);
		const created: string[][] = [];
		let n = 0;
		let maxSize = 0;
		let maxSeen = 0;
		let maxSeenJson = 0;
		for (let poll = 1; poll <= 200; poll++) {
			const start = T0 + (poll - 1) * MINUTE;
			const ids: string[] = [];
			for (let i = 0; i < rate(poll); i++) {
				// Created during the minute before the poll; scheduled 6 min 1 s later, so due
				// (5 min ahead) at the poll after the one that emits it as new.
				const createdAt = start + 1 + Math.floor((i * 56 * SECOND) / rate(poll));
				ids.push(
					provider.add(`c${n++}`, { createdAt, scheduledAt: createdAt + lead + 61 * SECOND }).id,
				);
			}
			created[poll] = ids;
			// Churn: callbacks are completed (no longer pending) and, later, deleted.
			for (const id of created[poll - 3] ?? []) provider.get(id).pending = false;
			for (const id of created[poll - 20] ?? []) provider.rows.delete(id);

			expect(await newTrigger.poll(T0 + poll * MINUTE)).toEqual(ids);
			const dueNow = (created[poll - 1] ?? []).map((id) => due(id, provider.get(id).scheduledAt!));
			expect(await dueTrigger.poll(T0 + poll * MINUTE)).toEqual(dueNow);
			for (const trigger of [newTrigger, dueTrigger]) {
				maxSize = Math.max(maxSize, stateSize(trigger.state));
				maxSeen = Math.max(maxSeen, seenCount(trigger.state!));
				maxSeenJson = Math.max(maxSeenJson, JSON.stringify(trigger.state!.seen).length);
			}
		}
		expect(maxSize).toBeLessThan(STATE_LIMIT);
		expect(maxSeen).toBeLessThanOrEqual(MAX_SEEN);
		// The cap was really reached: the remembered emissions filled their JSON budget.
		expect(maxSeenJson).toBeLessThanOrEqual(MAX_SEEN_JSON);
		expect(maxSeenJson).toBeGreaterThan(MAX_SEEN_JSON * 0.9);
	});

	it('is plain JSON: it survives JSON.parse(JSON.stringify()) and the next poll decides the same', async () => {
		for (const event of ['new', 'due'] as const) {
			const provider = new Provider();
			const trigger = new Trigger(provider, options(event, { minutesBefore: 3 }));
			provider.add('a', { createdAt: T0 - 5 * MINUTE, scheduledAt: T0 - 1 * MINUTE });
			await trigger.poll(T0);
			for (let i = 0; i < 40; i++)
				provider.add(`b${i}`, {
					createdAt: T0 + i * 3 * SECOND,
					scheduledAt: T0 + i * 20 * SECOND,
				});
			await trigger.poll(T0 + 2 * MINUTE);
			const state = trigger.state!;
			expect(Object.keys(state.seen).length).toBeGreaterThan(0);

			const copy = JSON.parse(JSON.stringify(state)) as PollState;
			expect(copy).toStrictEqual(state);
			for (let i = 40; i < 60; i++)
				provider.add(`b${i}`, {
					createdAt: T0 + i * 3 * SECOND,
					scheduledAt: T0 + i * 20 * SECOND,
				});
			const fromOriginal = await decide(
				provider.source,
				state,
				trigger.opts,
				T0 + 5 * MINUTE,
				AMPLE,
				budgetClock,
			);
			const fromCopy = await decide(
				provider.source,
				copy,
				trigger.opts,
				T0 + 5 * MINUTE,
				AMPLE,
				budgetClock,
			);
			expect(fromOriginal.items.length).toBeGreaterThan(0);
			expect(fromCopy).toStrictEqual(fromOriginal);
		}
	});
});

// ---------------------------------------------------------------------------
// 7. A createdAt far in the future
// ---------------------------------------------------------------------------

describe("decide(): a createdAt from a wrong clock ('new')", () => {
	it('is emitted once and does not lift the floor above callbacks created later', async () => {
		const provider = new Provider();
		provider.add('old', { createdAt: T0 - MINUTE });
		const trigger = new Trigger(provider, options('new'));
		expect(await trigger.poll(T0)).toEqual([]);

		provider.add('skewed', { createdAt: T0 + 365 * DAY });
		provider.add('r0', { createdAt: T0 + 30 * SECOND });
		expect(await trigger.poll(T0 + MINUTE)).toEqual(['r0', 'skewed']);
		expect(trigger.state!.floor).toBeLessThanOrEqual(T0 + MINUTE);
		provider.add('r1', { createdAt: T0 + 90 * SECOND });
		expect(await trigger.poll(T0 + 2 * MINUTE)).toEqual(['r1']);
		provider.add('r2', { createdAt: T0 + 2 * MINUTE + 1 });
		expect(await trigger.poll(T0 + 3 * MINUTE)).toEqual(['r2']);
		expect(await trigger.poll(T0 + 4 * MINUTE)).toEqual([]);
	});

	it('does not shrink the late tolerance for real callbacks', async () => {
		const provider = new Provider();
		provider.add('old', { createdAt: T0 - MINUTE });
		const trigger = new Trigger(provider, options('new'));
		expect(await trigger.poll(T0)).toEqual([]);
		provider.add('skewed', { createdAt: T0 + 365 * DAY });
		provider.add('r0', { createdAt: T0 + 50 * SECOND });
		expect(await trigger.poll(T0 + MINUTE)).toEqual(['r0', 'skewed']);
		provider.add('late', { createdAt: T0 + 40 * SECOND });
		expect(await trigger.poll(T0 + 2 * MINUTE)).toEqual(['late']);
	});
});

// ---------------------------------------------------------------------------
// 4 and 8. pollCallbacks() in a fake IPollFunctions
// ---------------------------------------------------------------------------

const node: INode = {
	id: 'node-1',
	name: 'Callbacks Trigger',
	type: 'n8n-nodes-callbacks.convosoTrigger',
	typeVersion: 1,
	position: [0, 0],
	parameters: {},
};

const workflowIds = new WeakMap<IDataObject, string>();
function workflowIdOf(staticData: IDataObject): string {
	if (!workflowIds.has(staticData)) workflowIds.set(staticData, `workflow-${Math.random()}`);
	return workflowIds.get(staticData)!;
}
/** What the engine logged (skipped polls). */
const pollLog: string[] = [];

/** The parts of IPollFunctions pollCallbacks uses. Static data persists in `staticData`. */
function pollFunctions(
	staticData: IDataObject,
	{
		mode = 'trigger',
		budgetMs,
		workflowId,
	}: { mode?: 'trigger' | 'manual'; budgetMs?: number; workflowId?: string } = {},
): IPollFunctions {
	const context = {
		getMode: () => mode,
		getNode: () => node,
		// One static data, one trigger: the engine keeps per-trigger state in the process.
		getWorkflow: () => ({ id: workflowId ?? workflowIdOf(staticData), active: true }),
		logger: { info: (message: string) => pollLog.push(message), debug: () => {} },
		getWorkflowStaticData(type: string) {
			if (type !== 'node') throw new Error(`unexpected static data type ${type}`);
			return staticData;
		},
		helpers: { returnJsonArray },
		...(budgetMs === undefined ? {} : { getPollBudgetMs: () => budgetMs }),
	};
	return context as unknown as IPollFunctions;
}

describe('pollCallbacks()', () => {
	let clock = T0;
	const pollClock: PollClock = { now: () => clock, elapsed: () => elapsedClock };
	beforeEach(() => {
		clock = T0;
	});

	const poll = (
		provider: Provider,
		staticData: IDataObject,
		opts: PollOptions,
		budgetMs?: number,
	) =>
		pollCallbacks.call(pollFunctions(staticData, { budgetMs }), provider.source, opts, pollClock);

	it('returns null when nothing is new and [[{ json }]] otherwise, keeping its state in static data', async () => {
		const provider = new Provider();
		provider.add('old', { createdAt: T0 - MINUTE });
		const staticData: IDataObject = {};
		const opts = options('new');
		expect(await poll(provider, staticData, opts)).toBeNull();
		expect(staticData.callbacks).toMatchObject({ v: 2, filterKey: opts.filterKey });

		clock += MINUTE;
		expect(await poll(provider, staticData, opts)).toBeNull();
		provider.add('n1', { createdAt: T0 + 70 * SECOND });
		provider.add('n2', { createdAt: T0 + 80 * SECOND });
		clock += MINUTE;
		expect(await poll(provider, staticData, opts)).toEqual([
			[
				{ json: { id: 'n1', createdAt: T0 + 70 * SECOND, scheduledAt: null } },
				{ json: { id: 'n2', createdAt: T0 + 80 * SECOND, scheduledAt: null } },
			],
		]);
		clock += MINUTE;
		expect(await poll(provider, staticData, opts)).toBeNull();
		// The clock the engine uses is the clock it is given: a 'due' poll sees it.
		const dueData: IDataObject = {};
		const dueOpts = options('due');
		expect(await poll(provider, dueData, dueOpts)).toBeNull();
		provider.add('d', { scheduledAt: clock + 30 * SECOND });
		clock += 20 * SECOND;
		expect(await poll(provider, dueData, dueOpts)).toBeNull();
		clock += 20 * SECOND;
		expect(await poll(provider, dueData, dueOpts)).toEqual([
			[{ json: { id: 'd', createdAt: null, scheduledAt: T0 + 3 * MINUTE + 30 * SECOND } }],
		]);
	});

	it('starts a new baseline when the filters change: no flood, nothing from before the change', async () => {
		const provider = new Provider();
		const staticData: IDataObject = {};
		const campaign1 = options('new', { filterKey: '{"campaign":1}' });
		const campaign2 = options('new', { filterKey: '{"campaign":2}' });
		provider.add('c1-old', { createdAt: T0 - MINUTE });
		expect(await poll(provider, staticData, campaign1)).toBeNull();
		provider.add('c1-new', { createdAt: T0 + 10 * SECOND });
		clock += MINUTE;
		expect(await poll(provider, staticData, campaign1)).toEqual([
			[{ json: expect.objectContaining({ id: 'c1-new' }) }],
		]);

		// The filters change: campaign 2 lists its own callbacks, some created since the last poll.
		const campaign2Provider = new Provider();
		for (let i = 0; i < 30; i++)
			campaign2Provider.add(`c2-${i}`, { createdAt: T0 - HOUR + i * 2 * MINUTE + 5 * SECOND });
		campaign2Provider.add('c2-recent', { createdAt: T0 + MINUTE - 1 });
		clock += MINUTE;
		expect(await poll(campaign2Provider, staticData, campaign2)).toBeNull();
		expect(staticData.callbacks).toMatchObject({ filterKey: campaign2.filterKey });
		campaign2Provider.add('c2-new', { createdAt: clock + 10 * SECOND });
		clock += MINUTE;
		expect(await poll(campaign2Provider, staticData, campaign2)).toEqual([
			[{ json: expect.objectContaining({ id: 'c2-new' }) }],
		]);
	});

	it("starts a new baseline when minutesBefore changes ('due'): what the new lead makes due at once is not flooded", async () => {
		const provider = new Provider();
		const staticData: IDataObject = {};
		for (let i = 1; i <= 20; i++) provider.add(`d${i}`, { scheduledAt: T0 + i * MINUTE });
		expect(await poll(provider, staticData, options('due', { filterKey: 'lead0' }))).toBeNull();
		clock += MINUTE;
		// d1 falls due under the old lead.
		expect(await poll(provider, staticData, options('due', { filterKey: 'lead0' }))).toHaveLength(
			1,
		);
		clock += 10 * SECOND;
		const lead30 = options('due', { filterKey: 'lead30', minutesBefore: 30 });
		expect(await poll(provider, staticData, lead30)).toBeNull(); // d2..d20 fire now: baseline
		provider.add('later', { scheduledAt: clock + 30 * MINUTE + 20 * SECOND });
		clock += MINUTE;
		expect(await poll(provider, staticData, lead30)).toEqual([
			[{ json: expect.objectContaining({ id: 'later' }) }],
		]);
	});

	it('starts a new baseline on a filter change even with includeExisting', async () => {
		const staticData: IDataObject = {};
		const campaign1 = options('new', { filterKey: '{"campaign":1}', includeExisting: true });
		const campaign2 = options('new', { filterKey: '{"campaign":2}', includeExisting: true });
		const provider1 = new Provider();
		provider1.add('c1', { createdAt: T0 - MINUTE });
		expect(await poll(provider1, staticData, campaign1)).toHaveLength(1); // the first run
		clock += MINUTE;
		const provider2 = new Provider();
		for (let i = 0; i < 31; i++) provider2.add(`c2-${i}`, { createdAt: T0 - DAY + i * HOUR });
		expect(await poll(provider2, staticData, campaign2)).toBeNull();
	});

	it("manual mode returns the latest match and leaves static data untouched ('new')", async () => {
		const provider = new Provider();
		const shuffle = random(11).shuffle;
		provider.arrange = (rows) => shuffle(rows);
		for (let i = 0; i < 25; i++)
			provider.add(`c${i}`, { createdAt: T0 - (i + 1) * 3 * MINUTE, pending: i % 2 === 0 });
		provider.add('newest', { createdAt: T0 - MINUTE, pending: false });
		for (const staticData of [
			{},
			{ callbacks: { v: 2, filterKey: 'filters', floor: T0 - HOUR, seen: {} } },
		]) {
			const before = JSON.parse(JSON.stringify(staticData)) as IDataObject;
			const context = pollFunctions(staticData, { mode: 'manual' });
			expect(await pollCallbacks.call(context, provider.source, options('new'), pollClock)).toEqual(
				[[{ json: { id: 'newest', createdAt: T0 - MINUTE, scheduledAt: null } }]],
			);
			expect(staticData).toStrictEqual(before);
		}
	});

	it("manual mode returns the latest pending callback already due ('due'), leaving static data untouched", async () => {
		const provider = new Provider();
		provider.add('overdue', { scheduledAt: T0 - HOUR });
		provider.add('latestDue', { scheduledAt: T0 + 4 * MINUTE }); // fires T0-1 min with a 5 min lead
		provider.add('cancelled', { scheduledAt: T0 + 4 * MINUTE + 30 * SECOND, pending: false });
		provider.add('upcoming', { scheduledAt: T0 + 6 * MINUTE });
		const staticData: IDataObject = {};
		const context = pollFunctions(staticData, { mode: 'manual' });
		expect(
			await pollCallbacks.call(
				context,
				provider.source,
				options('due', { minutesBefore: 5 }),
				pollClock,
			),
		).toEqual([[{ json: { id: 'latestDue', createdAt: null, scheduledAt: T0 + 4 * MINUTE } }]]);
		expect(staticData).toStrictEqual({});
	});

	it('manual mode asks the source for the last day only, and ignores older matches', async () => {
		const provider = new Provider();
		provider.add('old', { createdAt: T0 - DAY - MINUTE, scheduledAt: T0 - DAY - MINUTE });
		for (const event of ['new', 'due'] as const) {
			provider.queries.length = 0;
			const context = pollFunctions({}, { mode: 'manual' });
			await expect(
				pollCallbacks.call(context, provider.source, options(event), pollClock),
			).rejects.toThrow(/in the last day/);
			expect(provider.queries).toEqual([
				expect.objectContaining({ event, fromMs: T0 - DAY, toMs: T0 }),
			]);
		}
	});

	it.each<[PollEvent, RegExp]>([
		['new', /no callback matching the filters was created in the last day/i],
		['due', /no callback matching the filters fell due in the last day/i],
	])(
		"manual mode with nothing matching ('%s') throws a NodeOperationError",
		async (event, message) => {
			const provider = new Provider();
			provider.add('cancelled', { createdAt: null, scheduledAt: T0 - MINUTE, pending: false });
			provider.add('upcoming', { createdAt: null, scheduledAt: T0 + HOUR });
			const staticData: IDataObject = {};
			const run = pollCallbacks.call(
				pollFunctions(staticData, { mode: 'manual' }),
				provider.source,
				options(event),
				pollClock,
			);
			await expect(run).rejects.toThrow(NodeOperationError);
			await expect(
				pollCallbacks.call(
					pollFunctions(staticData, { mode: 'manual' }),
					provider.source,
					options(event),
					pollClock,
				),
			).rejects.toThrow(message);
			expect(staticData).toStrictEqual({});
		},
	);

	it("propagates the source's error and leaves the stored state unchanged", async () => {
		const provider = new Provider();
		provider.pageSize = 2;
		provider.add('old', { createdAt: T0 - MINUTE });
		const staticData: IDataObject = {};
		const opts = options('new');

		// On the first run: nothing stored.
		provider.failAfterPages = 0;
		await expect(poll(provider, staticData, opts)).rejects.toThrow('provider down');
		expect(staticData).toStrictEqual({});
		provider.failAfterPages = null;
		expect(await poll(provider, staticData, opts)).toBeNull();

		// Later, after a page that would have emitted: the state stays as it was.
		for (let i = 1; i <= 5; i++) provider.add(`n${i}`, { createdAt: T0 + i * SECOND });
		const before = JSON.parse(JSON.stringify(staticData)) as IDataObject;
		provider.failAfterPages = 2;
		clock += MINUTE;
		await expect(poll(provider, staticData, opts)).rejects.toThrow('provider down');
		expect(staticData).toStrictEqual(before);

		// Nothing lost: the next poll emits them all.
		provider.failAfterPages = null;
		clock += MINUTE;
		const result = await poll(provider, staticData, opts);
		expect(result?.[0].map((item) => item.json.id)).toEqual(['n1', 'n2', 'n3', 'n4', 'n5']);
	});

	it('uses getPollBudgetMs() when n8n has it, and a default budget when it does not', async () => {
		const make = () => {
			const provider = new Provider();
			provider.pageSize = 10;
			provider.beforePage = () => {
				elapsedClock += SECOND;
			};
			provider.add('old', { createdAt: T0 - MINUTE });
			return provider;
		};
		const results: Record<string, unknown[]> = {};
		for (const budgetMs of [2500, undefined]) {
			clock = T0;
			const provider = make();
			const staticData: IDataObject = {};
			expect(await poll(provider, staticData, options('new'), budgetMs)).toBeNull();
			for (let i = 0; i < 100; i++) provider.add(`n${i}`, { createdAt: T0 + 1 + i * 100 });
			clock += MINUTE;
			const result = await poll(provider, staticData, options('new'), budgetMs);
			results[String(budgetMs)] = result?.[0] ?? [];
		}
		// 101 rows on 11 pages of a second each: 2.5 s gets 3 pages; the default gets them all.
		expect(results['2500']).toHaveLength(29);
		expect(results.undefined).toHaveLength(100);
	});
});

// ---------------------------------------------------------------------------
// Property: random churn, both events, against an independent model
// ---------------------------------------------------------------------------

type Op =
	| { kind: 'create'; at: number; sched: number; lateBy: number | null }
	| { kind: 'reschedule'; at: number; pick: number; sched: number }
	| { kind: 'cancel'; pick: number }
	| { kind: 'delete'; pick: number };

interface Step {
	advance: number;
	ops: Op[];
}

const at = fc.integer({ min: 1, max: 1000 }); // where in the step, in thousandths
const sched = fc.integer({ min: -TOL, max: 40 * MINUTE }); // fire time, from the operation's time
const pick = fc.nat();
const opArb: fc.Arbitrary<Op> = fc.oneof(
	{
		weight: 4,
		arbitrary: fc.record({
			kind: fc.constant('create' as const),
			at,
			sched,
			lateBy: fc.constant(null),
		}),
	},
	{
		weight: 2,
		arbitrary: fc.record({
			kind: fc.constant('create' as const),
			at,
			sched,
			lateBy: fc.integer({ min: 0, max: TOL }), // listed late: created up to TOL before the last poll
		}),
	},
	{
		weight: 2,
		arbitrary: fc.record({ kind: fc.constant('reschedule' as const), at, pick, sched }),
	},
	{ weight: 1, arbitrary: fc.record({ kind: fc.constant('cancel' as const), pick }) },
	{ weight: 1, arbitrary: fc.record({ kind: fc.constant('delete' as const), pick }) },
);
const stepArb: fc.Arbitrary<Step> = fc.record({
	advance: fc.integer({ min: 30 * SECOND, max: 120 * SECOND }),
	ops: fc.array(opArb, { maxLength: 4 }),
});
const initialArb = fc.array(
	fc.record({
		createdAgo: fc.integer({ min: 0, max: 2 * DAY }),
		sched: fc.integer({ min: -2 * DAY, max: DAY }),
		pending: fc.boolean(),
	}),
	{ maxLength: 20 },
);

describe('property: exactly once under random churn', () => {
	it('emits every new callback and every due (callback, time) exactly once, as the model says, over ≥100 polls', async () => {
		await fc.assert(
			fc.asyncProperty(
				initialArb,
				fc.array(stepArb, { minLength: 100, maxLength: 120 }),
				fc.integer({ min: 0, max: 15 }),
				fc.boolean(),
				fc.boolean(),
				fc.integer(),
				async (initial, steps, minutesBefore, includeNew, includeDue, seed) => {
					const rng = random(seed);
					const lead = minutesBefore * MINUTE;
					const provider = new Provider();
					provider.pageSize = 1 + rng.int(7);
					// Out of order, and some rows listed twice (page boundaries moving).
					provider.arrange = (rows) =>
						rng.shuffle(rows.flatMap((row) => (rng.int(5) === 0 ? [row, row] : [row])));
					let n = 0;
					for (const row of initial)
						provider.add(`i${n++}`, {
							createdAt: T0 - row.createdAgo,
							scheduledAt: T0 + row.sched,
							pending: row.pending,
						});

					const newOpts = options('new', { includeExisting: includeNew });
					const dueOpts = options('due', { includeExisting: includeDue, minutesBefore });
					let newState: PollState | undefined;
					let dueState: PollState | undefined;
					// The model.
					const listedBefore = new Set<string>(); // 'new': ids listed by an earlier poll
					const done = new Set<string>(); // 'due': pairs emitted, or taken as baseline

					let previous: number | null = null;
					let now = T0;
					for (let p = 0; p <= steps.length; p++) {
						if (p > 0) {
							const { advance, ops } = steps[p - 1];
							const last = now;
							now += advance;
							const timeOf = (thousandths: number) =>
								last + Math.ceil((advance * thousandths) / 1000);
							const fireFrom = (time: number, offset: number) =>
								Math.max(last - TOL, time + offset);
							for (const op of ops) {
								const pendingRows = [...provider.rows.values()].filter((row) => row.pending);
								const all = [...provider.rows.values()];
								if (op.kind === 'create') {
									const time = timeOf(op.at);
									provider.add(`c${n++}`, {
										createdAt: op.lateBy === null ? time : last - op.lateBy,
										scheduledAt: fireFrom(time, op.sched) + lead,
									});
								} else if (op.kind === 'reschedule' && pendingRows.length > 0) {
									pendingRows[op.pick % pendingRows.length].scheduledAt =
										fireFrom(timeOf(op.at), op.sched) + lead;
								} else if (op.kind === 'cancel' && pendingRows.length > 0) {
									pendingRows[op.pick % pendingRows.length].pending = false;
								} else if (op.kind === 'delete' && all.length > 0) {
									provider.rows.delete(all[op.pick % all.length].id);
								}
							}
						}
						const rows = [...provider.rows.values()];

						// 'new': at the first run all listed if includeExisting, else none; later,
						// whatever no earlier poll listed.
						const expectedNew =
							p === 0
								? includeNew
									? rows.map((row) => row.id)
									: []
								: rows.filter((row) => !listedBefore.has(row.id)).map((row) => row.id);
						for (const row of rows) listedBefore.add(row.id);

						// 'due': pending, fire time come, not done, and (after the first run) within
						// the tolerance of the previous poll.
						const eligible = rows
							.filter((row) => row.pending && row.scheduledAt !== null)
							.filter((row) => row.scheduledAt! - lead <= now)
							.filter((row) => previous === null || row.scheduledAt! - lead >= previous - TOL)
							.map((row) => due(row.id, row.scheduledAt!))
							.filter((pair) => !done.has(pair));
						const expectedDue = p === 0 && !includeDue ? [] : eligible;
						for (const pair of eligible) done.add(pair);

						// The engine, its state stored as JSON between polls like n8n stores it.
						const newOutcome = await decide(
							provider.source,
							newState,
							newOpts,
							now,
							AMPLE,
							budgetClock,
						);
						const dueOutcome = await decide(
							provider.source,
							dueState,
							dueOpts,
							now,
							AMPLE,
							budgetClock,
						);
						expect(sorted(newOutcome.items.map(idOf))).toEqual(sorted(expectedNew));
						expect(sorted(dueOutcome.items.map(pairOf))).toEqual(sorted(expectedDue));
						newState = JSON.parse(JSON.stringify(newOutcome.state)) as PollState;
						dueState = JSON.parse(JSON.stringify(dueOutcome.state)) as PollState;
						expect(stateSize(newState)).toBeLessThan(STATE_LIMIT);
						expect(stateSize(dueState)).toBeLessThan(STATE_LIMIT);
						previous = now;
					}
				},
			),
			{ numRuns: 20 },
		);
	});
});

describe('pollCallbacks(): one poll per trigger at a time, never from an older state', () => {
	let now = T0;
	const clock: PollClock = { now: () => now, elapsed: () => 0 };
	const ids = (result: Awaited<ReturnType<typeof pollCallbacks>>) =>
		result?.[0].map((item) => item.json.id) ?? [];
	beforeEach(() => {
		now = T0;
		pollLog.length = 0;
	});

	it('a poll that starts while the previous one runs is skipped: a new callback is emitted once', async () => {
		const provider = new Provider();
		const staticData: IDataObject = {};
		const opts = options('new');
		const poll = async (source: PollSource) =>
			await pollCallbacks.call(pollFunctions(staticData), source, opts, clock);
		expect(await poll(provider.source)).toBeNull();
		provider.add('n1', { createdAt: T0 + SECOND });
		let answer!: () => void;
		const slowAnswer = new Promise<void>((resolve) => (answer = resolve));
		const slow: PollSource = async function* (query) {
			await slowAnswer;
			yield* provider.source(query);
		};
		now += MINUTE;
		const running = poll(slow);
		expect(await poll(provider.source)).toBeNull();
		expect(pollLog).toEqual([
			'The previous poll of this trigger is still running; this one is skipped',
		]);
		answer();
		expect(ids(await running)).toEqual(['n1']);
		// Once it is over, the next poll runs (and has nothing new).
		now += MINUTE;
		expect(await poll(provider.source)).toBeNull();
		expect(provider.queries).toHaveLength(3);
	});

	it('another trigger polls meanwhile: only the same trigger waits', async () => {
		const provider = new Provider();
		provider.add('n1', { createdAt: T0 + SECOND });
		let answer!: () => void;
		const slowAnswer = new Promise<void>((resolve) => (answer = resolve));
		const slow: PollSource = async function* (query) {
			await slowAnswer;
			yield* provider.source(query);
		};
		const opts = options('new', { includeExisting: true });
		const running = pollCallbacks.call(pollFunctions({}), slow, opts, clock);
		expect(ids(await pollCallbacks.call(pollFunctions({}), provider.source, opts, clock))).toEqual([
			'n1',
		]);
		answer();
		expect(ids(await running)).toEqual(['n1']);
	});

	it(`a poll handed a state older than the last one produced is skipped, and after ${STALE_STATE_REFUSED_MS / 1000} s that state is taken as it is`, async () => {
		const provider = new Provider();
		const committed: IDataObject = {};
		const opts = options('new');
		const trigger = 'workflow-restarted';
		const poll = async (staticData: IDataObject) =>
			await pollCallbacks.call(
				pollFunctions(staticData, { workflowId: trigger }),
				provider.source,
				opts,
				clock,
			);
		expect(await poll(committed)).toBeNull();
		const before = structuredClone(committed);
		provider.add('n1', { createdAt: T0 + SECOND });
		now += 10 * SECOND;
		expect(ids(await poll(committed))).toEqual(['n1']);
		// The next poll is handed the state from before that one (its commit has not landed).
		now += 10 * SECOND;
		const older = structuredClone(before);
		expect(await poll(older)).toBeNull();
		expect(older).toStrictEqual(before);
		expect(pollLog).toEqual([
			'This poll was given an older state than the last poll produced; it is skipped',
		]);
		// The state that poll produced: it goes on from there.
		provider.add('n2', { createdAt: T0 + 20 * SECOND });
		expect(ids(await poll(committed))).toEqual(['n2']);
		// Much later the older state is all there is (the newer one was never committed,
		// so what it emitted was not either): it is used, not refused for ever.
		now += STALE_STATE_REFUSED_MS;
		expect(ids(await poll(structuredClone(before)))).toEqual(['n1', 'n2']);
	});
});
