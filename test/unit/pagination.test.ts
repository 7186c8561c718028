import fc from 'fast-check';

import {
	collectPages,
	inOrder,
	linkedPages,
	numberedPages,
	offsetPages,
} from '../../nodes/shared/pagination';
import type { LinkedPage } from '../../nodes/shared/pagination';

const range = (from: number, count: number) =>
	Array.from({ length: Math.max(0, count) }, (_, i) => from + i);

/** A server of `total` items numbered 0..total-1, paged by offset/limit, that counts its requests. */
function offsetServer(total: number, options: { reportTotal?: boolean; maxPage?: number } = {}) {
	const requests: Array<[number, number]> = [];
	const fetchPage = async (offset: number, limit: number) => {
		requests.push([offset, limit]);
		const size = Math.min(limit, options.maxPage ?? Infinity);
		return {
			items: range(offset, Math.min(size, total - offset)),
			total: options.reportTotal === false ? undefined : total,
		};
	};
	return { requests, fetchPage };
}

async function all<T>(pages: AsyncIterable<T[]>): Promise<T[]> {
	return collectPages(pages, (item) => item);
}

describe('offsetPages', () => {
	it('stops exactly at the total: 12,000 items by 5,000 take exactly 3 requests', async () => {
		const server = offsetServer(12_000);
		const items = await all(offsetPages(server.fetchPage, { pageSize: 5000 }));
		expect(server.requests).toEqual([
			[0, 5000],
			[5000, 5000],
			[10_000, 5000],
		]);
		expect(items).toEqual(range(0, 12_000));
	});

	it('makes no extra request when the total is a multiple of the page size', async () => {
		const server = offsetServer(10_000);
		const items = await all(offsetPages(server.fetchPage, { pageSize: 5000 }));
		expect(server.requests).toEqual([
			[0, 5000],
			[5000, 5000],
		]);
		expect(items).toHaveLength(10_000);
	});

	it('stops on a short page when the total is not reported', async () => {
		const server = offsetServer(12, { reportTotal: false });
		expect(await all(offsetPages(server.fetchPage, { pageSize: 5 }))).toEqual(range(0, 12));
		expect(server.requests).toEqual([
			[0, 5],
			[5, 5],
			[10, 5],
		]);
		// Without a total, an exact multiple needs one empty page to know it is the end.
		const exact = offsetServer(10, { reportTotal: false });
		expect(await all(offsetPages(exact.fetchPage, { pageSize: 5 }))).toEqual(range(0, 10));
		expect(exact.requests).toEqual([
			[0, 5],
			[5, 5],
			[10, 5],
		]);
	});

	it('stops at maxItems, asking only for what is missing on the last page', async () => {
		const server = offsetServer(12_000);
		const items = await all(offsetPages(server.fetchPage, { pageSize: 5000, maxItems: 7000 }));
		expect(server.requests).toEqual([
			[0, 5000],
			[5000, 2000],
		]);
		expect(items).toEqual(range(0, 7000));
	});

	it('starts at startOffset', async () => {
		const server = offsetServer(30);
		expect(await all(offsetPages(server.fetchPage, { pageSize: 10, startOffset: 15 }))).toEqual(
			range(15, 15),
		);
		expect(server.requests).toEqual([
			[15, 10],
			[25, 10],
		]);
	});

	it('makes one request for an empty result, and yields no empty page', async () => {
		const server = offsetServer(0);
		const pages: number[][] = [];
		for await (const page of offsetPages(server.fetchPage, { pageSize: 50 })) pages.push(page);
		expect(pages).toEqual([]);
		expect(server.requests).toEqual([[0, 50]]);
	});

	it('never cuts a page that the server answers larger than asked beyond maxItems', async () => {
		const fetchPage = async (offset: number) => ({ items: range(offset, 10), total: 100 });
		expect(await all(offsetPages(fetchPage, { pageSize: 10, maxItems: 15 }))).toEqual(range(0, 15));
	});

	it('for any total, page size and limit: every item once, in order, and the fewest requests', async () => {
		await fc.assert(
			fc.asyncProperty(
				fc.integer({ min: 0, max: 500 }),
				fc.integer({ min: 1, max: 60 }),
				fc.option(fc.integer({ min: 1, max: 600 }), { nil: undefined }),
				fc.boolean(),
				async (total, pageSize, maxItems, reportTotal) => {
					const server = offsetServer(total, { reportTotal });
					const items = await all(offsetPages(server.fetchPage, { pageSize, maxItems }));
					const wanted = Math.min(total, maxItems ?? Infinity);
					expect(items).toEqual(range(0, wanted));
					for (const [offset, limit] of server.requests) {
						expect(limit).toBeGreaterThan(0);
						expect(limit).toBeLessThanOrEqual(pageSize);
						if (reportTotal && total > 0) expect(offset).toBeLessThan(total);
					}
					const fullPagesNeeded = Math.ceil(wanted / pageSize);
					const reachesEnd = maxItems === undefined || maxItems > total;
					// Without a total, reaching the end costs one short (maybe empty) page more.
					const expected =
						reportTotal || !reachesEnd
							? Math.max(1, fullPagesNeeded)
							: Math.floor(total / pageSize) + 1;
					expect(server.requests).toHaveLength(expected);
				},
			),
			{ numRuns: 300 },
		);
	});
});

describe('numberedPages', () => {
	function pageServer(total: number, perPageServed: number, reportTotalPages = true) {
		const requests: Array<[number, number]> = [];
		const fetchPage = async (page: number, perPage: number) => {
			requests.push([page, perPage]);
			const start = (page - 1) * perPageServed;
			return {
				items: range(start, Math.min(perPageServed, total - start)),
				totalPages: reportTotalPages ? Math.ceil(total / perPageServed) : undefined,
			};
		};
		return { requests, fetchPage };
	}

	it('stops at the last page, even when it is full', async () => {
		const server = pageServer(40, 20);
		expect(await all(numberedPages(server.fetchPage, { perPage: 20 }))).toEqual(range(0, 40));
		expect(server.requests).toEqual([
			[1, 20],
			[2, 20],
		]);
	});

	it('stops on a short page', async () => {
		const server = pageServer(45, 20, false);
		expect(await all(numberedPages(server.fetchPage, { perPage: 20 }))).toEqual(range(0, 45));
		expect(server.requests.map(([page]) => page)).toEqual([1, 2, 3]);
	});

	it('counts totalPages from a first page of 0', async () => {
		const requests: number[] = [];
		const fetchPage = async (page: number) => {
			requests.push(page);
			return { items: range(page * 10, 10), totalPages: 3 };
		};
		expect(await all(numberedPages(fetchPage, { perPage: 10, firstPage: 0 }))).toEqual(
			range(0, 30),
		);
		expect(requests).toEqual([0, 1, 2]);
	});

	it('stops at maxItems', async () => {
		const server = pageServer(100, 20);
		expect(await all(numberedPages(server.fetchPage, { perPage: 20, maxItems: 30 }))).toEqual(
			range(0, 30),
		);
		expect(server.requests).toHaveLength(2);
	});

	it('makes one request for an empty result', async () => {
		const server = pageServer(0, 20);
		expect(await all(numberedPages(server.fetchPage, { perPage: 20 }))).toEqual([]);
		expect(server.requests).toHaveLength(1);
	});
});

describe('linkedPages', () => {
	function linkServer(pages: Record<string, LinkedPage<string>>) {
		const requests: Array<string | undefined> = [];
		const fetchPage = async (link: string | undefined) => {
			requests.push(link);
			return pages[link ?? 'first'];
		};
		return { requests, fetchPage };
	}

	it('follows next links until there is none', async () => {
		const server = linkServer({
			first: { items: ['a', 'b'], next: '/p2' },
			'/p2': { items: ['c'], next: '/p3' },
			'/p3': { items: ['d'] },
		});
		expect(await all(linkedPages(server.fetchPage))).toEqual(['a', 'b', 'c', 'd']);
		expect(server.requests).toEqual([undefined, '/p2', '/p3']);
	});

	it('treats an empty next link as the end', async () => {
		const server = linkServer({ first: { items: ['a'], next: '' } });
		expect(await all(linkedPages(server.fetchPage))).toEqual(['a']);
		expect(server.requests).toHaveLength(1);
	});

	it('stops on a next link it has already followed', async () => {
		const loop = linkServer({
			first: { items: ['a'], next: '/p2' },
			'/p2': { items: ['b'], next: '/p3' },
			'/p3': { items: ['c'], next: '/p2' },
		});
		expect(await all(linkedPages(loop.fetchPage))).toEqual(['a', 'b', 'c']);
		expect(loop.requests).toEqual([undefined, '/p2', '/p3']);

		const self = linkServer({
			first: { items: ['a'], next: '/p2' },
			'/p2': { items: ['b'], next: '/p2' },
		});
		expect(await all(linkedPages(self.fetchPage))).toEqual(['a', 'b']);
		expect(self.requests).toEqual([undefined, '/p2']);
	});

	it('stops at maxItems and at maxPages', async () => {
		const endless = async (link: string | undefined) => {
			const n = link === undefined ? 0 : Number(link);
			return { items: [`${n}a`, `${n}b`], next: String(n + 1) };
		};
		expect(await all(linkedPages(endless, { maxItems: 5 }))).toEqual([
			'0a',
			'0b',
			'1a',
			'1b',
			'2a',
		]);
		expect(await all(linkedPages(endless, { maxPages: 2 }))).toEqual(['0a', '0b', '1a', '1b']);
	});
});

describe('streaming', () => {
	it.each([
		[
			'offsetPages',
			(log: string[]) =>
				offsetPages(
					async (offset, limit) => {
						log.push(`fetch ${offset}`);
						return { items: range(offset, Math.min(limit, 6 - offset)), total: 6 };
					},
					{ pageSize: 2 },
				),
		],
		[
			'numberedPages',
			(log: string[]) =>
				numberedPages(
					async (page) => {
						log.push(`fetch ${(page - 1) * 2}`);
						return { items: range((page - 1) * 2, 2), totalPages: 3 };
					},
					{ perPage: 2 },
				),
		],
		[
			'linkedPages',
			(log: string[]) =>
				linkedPages<number>(async (link) => {
					const offset = link === undefined ? 0 : Number(link);
					log.push(`fetch ${offset}`);
					return { items: range(offset, 2), next: offset < 4 ? String(offset + 2) : undefined };
				}),
		],
	])('%s yields each page before fetching the next', async (_, make) => {
		const log: string[] = [];
		for await (const page of make(log)) log.push(`got ${page[0]}`);
		expect(log).toEqual(['fetch 0', 'got 0', 'fetch 2', 'got 2', 'fetch 4', 'got 4']);
	});

	it('collectPages maps items as pages arrive, before the next fetch', async () => {
		const log: string[] = [];
		const pages = offsetPages(
			async (offset) => {
				log.push(`fetch ${offset}`);
				return { items: range(offset, 2), total: 4 };
			},
			{ pageSize: 2 },
		);
		const mapped = await collectPages(pages, (item) => {
			log.push(`map ${item}`);
			return item * 10;
		});
		expect(mapped).toEqual([0, 10, 20, 30]);
		expect(log).toEqual(['fetch 0', 'map 0', 'map 1', 'fetch 2', 'map 2', 'map 3']);
	});

	it('does not fetch further pages once the consumer stops', async () => {
		const log: string[] = [];
		const pages = offsetPages(
			async (offset, limit) => {
				log.push(`fetch ${offset}`);
				return { items: range(offset, limit) };
			},
			{ pageSize: 2 },
		);
		for await (const page of pages) {
			if (page[0] >= 2) break;
		}
		expect(log).toEqual(['fetch 0', 'fetch 2']);
	});
});

describe('inOrder', () => {
	/** Pages answered when the test says so, with a log of what was asked and when. */
	function controlledPages() {
		const log: string[] = [];
		const waiting = new Map<number, { resolve: (v: string) => void; reject: (e: Error) => void }>();
		const fetch = (index: number) =>
			new Promise<string>((resolve, reject) => {
				log.push(`fetch ${index}`);
				waiting.set(index, { resolve, reject });
			});
		const answer = (index: number) => waiting.get(index)!.resolve(`page ${index}`);
		const fail = (index: number) => waiting.get(index)!.reject(new Error(`page ${index} failed`));
		const io = {
			yieldToIo: async () => {
				log.push('yield to I/O');
			},
		};
		return { log, fetch, answer, fail, io, inFlight: () => waiting.size };
	}

	it('sends the first requests on the call, before anything is read', () => {
		const pages = controlledPages();
		inOrder(5, pages.fetch, 2, pages.io);
		expect(pages.log).toEqual(['fetch 0', 'fetch 1']);
	});

	it('yields in index order whatever order the answers come in, never more than the bound at once', async () => {
		const pages = controlledPages();
		const iterator = inOrder(4, pages.fetch, 2, pages.io);
		const first = iterator.next();
		pages.answer(1);
		pages.answer(0);
		expect(await first).toEqual({ value: 'page 0', done: false });
		// Page 0 taken: one more is asked for, and sent before page 0 is handed over;
		// still two outstanding (1 answered, 2 asked).
		expect(pages.log).toEqual(['fetch 0', 'fetch 1', 'fetch 2', 'yield to I/O']);
		expect(await iterator.next()).toEqual({ value: 'page 1', done: false });
		expect(pages.log).toEqual([
			'fetch 0',
			'fetch 1',
			'fetch 2',
			'yield to I/O',
			'fetch 3',
			'yield to I/O',
		]);
		pages.answer(3);
		pages.answer(2);
		expect(await iterator.next()).toEqual({ value: 'page 2', done: false });
		expect(await iterator.next()).toEqual({ value: 'page 3', done: false });
		expect(await iterator.next()).toEqual({ value: undefined, done: true });
		// No page left to ask for after page 3 is asked: no more turns either.
		expect(pages.log.filter((line) => line.startsWith('fetch'))).toHaveLength(4);
		expect(pages.log.filter((line) => line === 'yield to I/O')).toHaveLength(2);
	});

	it('a page that fails fails the listing at its turn; one failing ahead is not an unhandled rejection', async () => {
		const pages = controlledPages();
		const unhandled: unknown[] = [];
		const onUnhandled = (reason: unknown) => unhandled.push(reason);
		process.on('unhandledRejection', onUnhandled);
		try {
			const iterator = inOrder(3, pages.fetch, 3, pages.io);
			// Page 2 fails before page 0 is even read.
			pages.fail(2);
			pages.answer(0);
			pages.answer(1);
			await new Promise((resolve) => setImmediate(resolve));
			expect(await iterator.next()).toEqual({ value: 'page 0', done: false });
			expect(await iterator.next()).toEqual({ value: 'page 1', done: false });
			await expect(iterator.next()).rejects.toThrow('page 2 failed');
			expect(unhandled).toEqual([]);
		} finally {
			process.off('unhandledRejection', onUnhandled);
		}
	});

	it('asks for nothing when there is nothing to fetch', async () => {
		const pages = controlledPages();
		const all: string[] = [];
		for await (const page of inOrder(0, pages.fetch, 4, pages.io)) all.push(page);
		expect(all).toEqual([]);
		expect(pages.log).toEqual([]);
	});
});
