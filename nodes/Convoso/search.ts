import { DateTime } from 'luxon';
import { NodeOperationError } from 'n8n-workflow';
import type { IDataObject } from 'n8n-workflow';

import type { NormalizedCallback } from '../shared/callback';
import { DEFAULT_CONCURRENCY } from '../shared/actions';
import { firstThenRest, inOrder, offsetPages } from '../shared/pagination';
import type { ProviderClient } from '../shared/transport';
import { normalizeConvosoCallback } from './normalize';
import type { ConvosoAccount } from './normalize';
import { convosoCall, unwrapPage } from './transport';

/** Convoso's paging limits: at most 5,000 per page, offsets up to 50,000. */
export const CALLBACK_PAGE_SIZE = 5_000;
export const MAX_OFFSET = 50_000;
/** The most callbacks one filter set can reach by paging. */
export const REACHABLE = MAX_OFFSET + CALLBACK_PAGE_SIZE;

/** Dates searched when the user gave none and the account is too large to page in one go. */
const WIDEST_WINDOW = { start: '2000-01-01', end: '2099-12-31' };

interface DateWindow {
	start: string;
	end: string;
}

interface CountedWindow extends DateWindow {
	total: number;
}

interface Page {
	items: IDataObject[];
	total: number;
}

/**
 * Every callback matching `filters`, page by page, up to `maxItems`.
 *
 * Convoso caps the offset at 50,000. When more callbacks match than paging can
 * reach, the search is split into date windows (halving until each fits) and each
 * window is paged on its own; the windows are independent, so the halves of each
 * split are asked together, and so are the pages of every window. If one day alone
 * holds too many, or the windows do not add up to the total, it fails with a clear
 * message before any window's page is read: never a silent truncation.
 */
export async function* callbackPages(
	client: ProviderClient,
	filters: IDataObject,
	options: {
		maxItems: number;
		itemIndex?: number;
		/** Where to start (a trigger resuming a listing); ignored when date windows are needed. */
		startOffset?: number;
		/** Pages fetched at once once the first page has told the total. */
		concurrency?: number;
		/**
		 * For a caller that reads to the end (not a trigger that may stop at its poll
		 * budget): the other pages are asked for before the first is handed over.
		 * Date windows are always read ahead, `concurrency` pages at a time.
		 */
		readAhead?: boolean;
	},
): AsyncGenerator<IDataObject[]> {
	const { maxItems, itemIndex, startOffset = 0, concurrency = DEFAULT_CONCURRENCY } = options;
	const fetchPage = async (
		window: Partial<DateWindow>,
		offset: number,
		limit: number,
	): Promise<Page> => {
		const { body, nothingMatched } = await convosoCall(
			client,
			'/callbacks/search',
			{ ...filters, start_date: window.start, end_date: window.end, offset, limit },
			{ idempotent: true, itemIndex },
		);
		if (nothingMatched) return { items: [], total: 0 };
		const { results, total } = unwrapPage(body);
		return {
			items: results,
			total: total ?? (results.length < limit ? offset + results.length : Infinity),
		};
	};

	/**
	 * Pages one filter set whose first page is already in hand: with a total, the
	 * remaining pages are fetched together (in order); without one, one after another.
	 */
	async function* pagesAfter(
		window: Partial<DateWindow>,
		first: Page,
		budget: number,
		from = 0,
	): AsyncGenerator<IDataObject[]> {
		const firstLength = first.items.length;
		// Handed over (spliced out): the page is not held while the rest of the listing is read.
		const firstItems = firstLength > 0 && budget > 0 ? first.items.splice(0, budget) : [];
		const next = from + firstLength;
		const more = firstLength >= Math.min(CALLBACK_PAGE_SIZE, budget) && next < first.total;
		if (more && Number.isFinite(first.total)) {
			const rest = () =>
				pagesUpTo(window, next, Math.min(first.total, from + budget), from + budget);
			for await (const items of firstThenRest(
				firstItems,
				rest,
				options.readAhead === true,
				client.runtime,
			))
				if (items.length > 0) yield items;
			return;
		}
		if (firstItems.length > 0) yield firstItems;
		if (!more) return;
		yield* offsetPages((at, limit) => fetchPage(window, at, limit), {
			pageSize: CALLBACK_PAGE_SIZE,
			maxItems: budget - Math.min(firstLength, budget),
			startOffset: next,
		});
	}

	/** The pages from offset `next` to `end`, fetched together, in order; none reaching past `budgetEnd`. */
	function pagesUpTo(window: Partial<DateWindow>, next: number, end: number, budgetEnd: number) {
		const offsets: number[] = [];
		for (let offset = next; offset < end; offset += CALLBACK_PAGE_SIZE) offsets.push(offset);
		return inOrder(
			offsets.length,
			async (index) => {
				const offset = offsets[index];
				// A full page even for the last one, as in a plain loop: a callback added meanwhile still comes.
				return (await fetchPage(window, offset, Math.min(CALLBACK_PAGE_SIZE, budgetEnd - offset)))
					.items;
			},
			concurrency,
			client.runtime,
		);
	}

	const userWindow = {
		start: filters.start_date as string | undefined,
		end: filters.end_date as string | undefined,
	};
	const from = startOffset <= MAX_OFFSET ? startOffset : 0;
	const first = await fetchPage(userWindow, from, Math.min(CALLBACK_PAGE_SIZE, maxItems));
	if (first.total <= REACHABLE || maxItems <= REACHABLE) {
		yield* pagesAfter(userWindow, first, maxItems, from);
		return;
	}

	// Too many to page through: split by date, then page every window.
	const windows = await reachableWindows(
		{ start: userWindow.start ?? WIDEST_WINDOW.start, end: userWindow.end ?? WIDEST_WINDOW.end },
		first.total,
	);
	yield* windowPages(windows);

	/**
	 * Splits `root`, which holds `total`, into date windows, in date order, that each
	 * hold few enough to page. Each round halves every window that holds too many and
	 * asks all the halves for their totals together, one row each. Windows after
	 * those that already hold `maxItems` are dropped: neither split nor paged.
	 */
	async function reachableWindows(root: DateWindow, total: number): Promise<CountedWindow[]> {
		let windows: Array<DateWindow & { total?: number }> = [{ ...root, total }];
		let dropped = false;
		for (;;) {
			const unasked = windows.filter((window) => window.total === undefined);
			let asked = 0;
			for await (const unaskedTotal of inOrder(
				unasked.length,
				async (index) => (await fetchPage(unasked[index], 0, 1)).total,
				concurrency,
				client.runtime,
			))
				unasked[asked++].total = unaskedTotal;

			const next: typeof windows = [];
			let before = 0;
			for (const window of windows) {
				if (before >= maxItems) {
					dropped = true;
					break;
				}
				const windowTotal = window.total!;
				before += windowTotal;
				if (windowTotal === 0) continue;
				if (windowTotal <= REACHABLE) next.push(window);
				else if (window.start === window.end) throw tooManyOnOneDay(window.start, windowTotal);
				else next.push(...splitWindow(window));
			}
			windows = next;
			if (windows.every((window) => window.total !== undefined)) break;
		}
		const covered = windows.reduce((sum, window) => sum + window.total!, 0);
		if (!dropped && covered !== total && covered < maxItems) {
			throw new NodeOperationError(
				client.ctx.getNode(),
				`Could only reach ${covered} of the ${total} matching callbacks`,
				{
					itemIndex,
					description: `More than ${REACHABLE} callbacks match, so the search was split by date, but the date windows did not add up to the total (callbacks may be dated outside ${WIDEST_WINDOW.start}..${WIDEST_WINDOW.end}, or changed during the search). Narrow the search with filters or a date range.`,
				},
			);
		}
		return windows as CountedWindow[];
	}

	/** Every page of `windows`, in date order, fetched together; none past `maxItems`. */
	async function* windowPages(windows: CountedWindow[]): AsyncGenerator<IDataObject[]> {
		const pages: Array<{ window: DateWindow; offset: number; limit: number }> = [];
		let planned = 0;
		for (const window of windows) {
			for (
				let offset = 0;
				offset < window.total && planned < maxItems;
				offset += CALLBACK_PAGE_SIZE
			) {
				pages.push({ window, offset, limit: Math.min(CALLBACK_PAGE_SIZE, maxItems - planned) });
				planned += Math.min(CALLBACK_PAGE_SIZE, window.total - offset);
			}
		}
		let delivered = 0;
		const fetched = inOrder(
			pages.length,
			async (index) => {
				const { window, offset, limit } = pages[index];
				return (await fetchPage(window, offset, limit)).items;
			},
			concurrency,
			client.runtime,
		);
		for await (const items of fetched) {
			const kept =
				items.length > maxItems - delivered ? items.slice(0, maxItems - delivered) : items;
			delivered += kept.length;
			if (kept.length > 0) yield kept;
			if (delivered >= maxItems) return;
		}
	}

	function tooManyOnOneDay(day: string, dayTotal: number) {
		return new NodeOperationError(
			client.ctx.getNode(),
			`Too many callbacks on ${day}: ${dayTotal} match, and Convoso can page through at most ${REACHABLE} per search`,
			{
				itemIndex,
				description:
					'Add a filter (campaign, list, user, stage or recipient) so that fewer callbacks match each day.',
			},
		);
	}
}

function splitWindow(window: DateWindow): [DateWindow, DateWindow] {
	const start = DateTime.fromISO(window.start, { zone: 'utc' });
	const end = DateTime.fromISO(window.end, { zone: 'utc' });
	const days = Math.round(end.diff(start, 'days').days);
	const middle = start.plus({ days: Math.floor(days / 2) });
	return [
		{ start: window.start, end: middle.toISODate()! },
		{ start: middle.plus({ days: 1 }).toISODate()!, end: window.end },
	];
}

/** One callback by id (Convoso has no "get": a search by id is the documented way). */
export async function findCallback(
	client: ProviderClient,
	callbackId: number,
	itemIndex: number,
): Promise<IDataObject | undefined> {
	const { body, nothingMatched } = await convosoCall(
		client,
		'/callbacks/search',
		{ id: callbackId, offset: 0, limit: 1 },
		{ idempotent: true, itemIndex },
	);
	if (nothingMatched) return undefined;
	return unwrapPage(body).results.find((record) => String(record.id) === String(callbackId));
}

/** One lead by id, for its phone number; undefined when Convoso has none with that id. */
export async function findLead(
	client: ProviderClient,
	leadId: number,
	itemIndex: number,
): Promise<IDataObject | undefined> {
	const { body, nothingMatched } = await convosoCall(
		client,
		'/leads/search',
		{ lead_id: leadId, offset: 0, limit: 1 },
		{ idempotent: true, itemIndex },
	);
	if (nothingMatched) return undefined;
	return unwrapPage(body).results.find(
		(record) => String(record.id ?? record.lead_id) === String(leadId),
	);
}

/**
 * The whole callback after a change, read back from Convoso. The change itself has
 * succeeded by then: if reading it back fails, the node returns what it knows
 * (`known`) rather than an error that would invite running the change again.
 */
export async function readBack(
	client: ProviderClient,
	known: NormalizedCallback,
	account: ConvosoAccount,
	itemIndex: number,
): Promise<IDataObject> {
	try {
		const record = await findCallback(client, Number(known.id), itemIndex);
		if (record) return { ...normalizeConvosoCallback(record, account, client.runtime.now()) };
		client.ctx.logger.warn(`Convoso: callback ${known.id} was changed but could not be read back`);
	} catch (error) {
		client.ctx.logger.warn(
			`Convoso: callback ${known.id} was changed but reading it back failed: ${(error as Error).message}`,
		);
	}
	return { ...known, details: { ...known.details, readBack: false } };
}
