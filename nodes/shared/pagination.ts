/**
 * Page iterators. Each yields one page of items at a time, so callers can map and
 * emit items as they arrive, and each stops exactly at the end without an extra
 * request when the API tells where the end is.
 */

import type { Runtime } from './runtime';

export interface OffsetPage<T> {
	items: T[];
	/** Total matching items, when the API reports it. */
	total?: number;
}

/** Offset/limit paging. Stops at `total`, on a short page, or at `maxItems`. */
export async function* offsetPages<T>(
	fetchPage: (offset: number, limit: number) => Promise<OffsetPage<T>>,
	options: { pageSize: number; maxItems?: number; startOffset?: number },
): AsyncGenerator<T[]> {
	const maxItems = options.maxItems ?? Infinity;
	let offset = options.startOffset ?? 0;
	let delivered = 0;
	while (delivered < maxItems) {
		const limit = Math.min(options.pageSize, maxItems - delivered);
		const page = await fetchPage(offset, limit);
		const items = page.items.slice(0, maxItems - delivered);
		if (items.length > 0) yield items;
		delivered += items.length;
		offset += page.items.length;
		const reachedTotal = page.total !== undefined && offset >= page.total;
		if (page.items.length < limit || reachedTotal) return;
	}
}

export interface NumberedPage<T> {
	items: T[];
	/** Number of pages in all, when the API reports it. */
	totalPages?: number;
}

/** Page-number paging (page/per_page). Stops at the last page, on a short page, or at `maxItems`. */
export async function* numberedPages<T>(
	fetchPage: (page: number, perPage: number) => Promise<NumberedPage<T>>,
	options: { perPage: number; firstPage?: number; maxItems?: number },
): AsyncGenerator<T[]> {
	const maxItems = options.maxItems ?? Infinity;
	let delivered = 0;
	for (let page = options.firstPage ?? 1; delivered < maxItems; page++) {
		const result = await fetchPage(page, options.perPage);
		const items = result.items.slice(0, maxItems - delivered);
		if (items.length > 0) yield items;
		delivered += items.length;
		const lastPage =
			result.totalPages !== undefined && page - (options.firstPage ?? 1) + 1 >= result.totalPages;
		if (result.items.length < options.perPage || lastPage) return;
	}
}

export interface LinkedPage<T> {
	items: T[];
	/** Where the next page is; absent on the last page. */
	next?: string;
}

/** Link-following paging (HAL `_links.next`, Link headers). Stops when there is no next link. */
export async function* linkedPages<T>(
	fetchPage: (link: string | undefined) => Promise<LinkedPage<T>>,
	options: { maxItems?: number; maxPages?: number } = {},
): AsyncGenerator<T[]> {
	const maxItems = options.maxItems ?? Infinity;
	const maxPages = options.maxPages ?? 100_000;
	const seen = new Set<string>();
	let link: string | undefined;
	let delivered = 0;
	for (let pages = 0; delivered < maxItems && pages < maxPages; pages++) {
		const page = await fetchPage(link);
		const items = page.items.slice(0, maxItems - delivered);
		if (items.length > 0) yield items;
		delivered += items.length;
		// A next link seen before would loop forever: treat it as the end.
		if (!page.next || seen.has(page.next)) return;
		seen.add(page.next);
		link = page.next;
	}
}

/** What paging needs of the runtime: a turn of the event loop for requests just issued. */
export type IoTurn = Pick<Runtime, 'yieldToIo'>;

/**
 * Fetches `count` independent pages (by index) with at most `concurrency` requests at
 * once, and yields them in index order. The first requests are issued on the call, not
 * on the first read, so a caller can hand out a page it already has while these are on
 * their way (see firstThenRest). The request issued when a page is taken is given a
 * turn of the event loop to be sent before that page is handed over: reading it holds
 * the thread. Memory stays bounded: at most `concurrency` answers are held ahead of the
 * one being consumed.
 */
export function inOrder<T>(
	count: number,
	fetch: (index: number) => Promise<T>,
	concurrency: number,
	io: IoTurn,
): AsyncGenerator<T> {
	const inFlight: Array<Promise<T>> = [];
	let next = 0;
	const startNext = () => {
		const page = fetch(next++);
		// Awaited in order below; one fetched ahead that fails must not go unhandled.
		page.catch(() => undefined);
		inFlight.push(page);
	};
	while (next < count && inFlight.length < Math.max(1, concurrency)) startNext();
	return (async function* () {
		while (inFlight.length > 0) {
			const page = await inFlight.shift()!;
			if (next < count) {
				startNext();
				await io.yieldToIo();
			}
			yield page;
		}
	})();
}

/**
 * A page already in hand, then the pages after it. Reading ahead (a caller that reads
 * to the end), `rest` starts before the first page is handed over, and its requests
 * are given a turn of the event loop to be sent, so the next pages arrive while it is
 * read; otherwise only once the caller asks for more (a trigger that stops at its
 * poll budget asks for nothing it does not read).
 */
export async function* firstThenRest<T>(
	first: T,
	rest: () => AsyncIterable<T>,
	readAhead: boolean,
	io: IoTurn,
): AsyncGenerator<T> {
	const early = readAhead ? rest() : undefined;
	if (early) await io.yieldToIo();
	yield first;
	yield* early ?? rest();
}

/** Collects an iterator's items, mapping each page as it arrives. */
export async function collectPages<T, R>(
	pages: AsyncIterable<T[]>,
	map: (item: T) => R,
): Promise<R[]> {
	const result: R[] = [];
	for await (const page of pages) for (const item of page) result.push(map(item));
	return result;
}
