/**
 * Return All where the first answer gives the total (Convoso, Talkdesk): the remaining
 * pages are asked for, and given a turn of the event loop to be sent, before the first
 * page is handed over, so they arrive while it is read; so is each page asked for when
 * one is taken; a listing that fits one page asks for nothing more; and a trigger,
 * which does not read ahead, asks for nothing it may not read.
 */
import { CALLBACK_PAGE_SIZE, callbackPages as convosoPages } from '../../nodes/Convoso/search';
import { TALKDESK_PER_PAGE_MAX, callbackPages as talkdeskPages } from '../../nodes/Talkdesk/search';
import type { ProviderAnswer, ProviderClient, ProviderRequest } from '../../nodes/shared/transport';

/** A client that answers at once (as the API would), logging each request it is sent. */
function clientFor(answer: (request: ProviderRequest) => unknown) {
	const log: string[] = [];
	const respond = async (request: ProviderRequest) => {
		const form = (request.body ?? request.qs) as Record<string, string | number>;
		log.push(`request ${form.offset ?? form.page}`);
		return answer(request);
	};
	const client = {
		ctx: { getNode: () => ({ name: 'Node' }) },
		runtime: {
			yieldToIo: async () => {
				log.push('yield to I/O');
			},
		},
		request: async (request: ProviderRequest): Promise<ProviderAnswer> => ({
			statusCode: 200,
			headers: {},
			body: await respond(request),
			text: '',
			nothingMatched: false,
		}),
		body: respond,
	} as unknown as ProviderClient;
	return { client, log };
}

const convosoAnswer = (total: number) => (request: ProviderRequest) => {
	const { offset, limit } = request.body as { offset: string; limit: string };
	const count = Math.max(0, Math.min(Number(limit), total - Number(offset)));
	const results = Array.from({ length: count }, (_, i) => ({ id: String(Number(offset) + i) }));
	return { success: true, data: { total: String(total), results } };
};

const talkdeskAnswer = (total: number) => (request: ProviderRequest) => {
	const { page, per_page: perPage } = request.qs as { page: number; per_page: number };
	const from = (page - 1) * perPage;
	const count = Math.max(0, Math.min(perPage, total - from));
	return {
		total,
		total_pages: Math.ceil(total / perPage),
		_embedded: { callbacks: Array.from({ length: count }, (_, i) => ({ id: `${from + i}` })) },
	};
};

describe('Return All with a total', () => {
	it('Convoso: the other pages are requested and sent before page 1 is handed over, and come in order', async () => {
		const total = CALLBACK_PAGE_SIZE * 3 + 10;
		const { client, log } = clientFor(convosoAnswer(total));
		const pages = convosoPages(client, {}, { maxItems: Infinity, concurrency: 4, readAhead: true });
		const first = await pages.next();
		expect(first.value).toHaveLength(CALLBACK_PAGE_SIZE);
		expect(log).toEqual([
			'request 0',
			'request 5000',
			'request 10000',
			'request 15000',
			'yield to I/O',
		]);
		const ids: string[] = (first.value as Array<{ id: string }>).map((r) => r.id);
		for await (const page of pages) ids.push(...page.map((r) => r.id as string));
		expect(ids).toEqual(Array.from({ length: total }, (_, i) => String(i)));
		expect(log.filter((line) => line.startsWith('request'))).toHaveLength(4);
	});

	it('Convoso: the page asked for when one is taken is sent before that page is handed over', async () => {
		const total = CALLBACK_PAGE_SIZE * 4;
		const { client, log } = clientFor(convosoAnswer(total));
		const pages = convosoPages(client, {}, { maxItems: Infinity, concurrency: 2, readAhead: true });
		for await (const page of pages) log.push(`read ${page.length}`);
		expect(log).toEqual([
			'request 0',
			'request 5000',
			'request 10000',
			'yield to I/O',
			'read 5000',
			'request 15000',
			'yield to I/O',
			'read 5000',
			'read 5000',
			'read 5000',
		]);
	});

	it('Convoso: a listing that fits the first page asks for nothing more', async () => {
		const { client, log } = clientFor(convosoAnswer(30));
		const pages: unknown[][] = [];
		for await (const page of convosoPages(
			client,
			{},
			{ maxItems: Infinity, concurrency: 4, readAhead: true },
		))
			pages.push(page);
		expect(pages.map((page) => page.length)).toEqual([30]);
		expect(log).toEqual(['request 0']);
	});

	it('Convoso: a limit within the listing asks only for the pages it needs', async () => {
		const { client, log } = clientFor(convosoAnswer(CALLBACK_PAGE_SIZE * 4));
		let count = 0;
		for await (const page of convosoPages(
			client,
			{},
			{
				maxItems: CALLBACK_PAGE_SIZE + 7,
				concurrency: 4,
				readAhead: true,
			},
		))
			count += page.length;
		expect(count).toBe(CALLBACK_PAGE_SIZE + 7);
		expect(log).toEqual(['request 0', 'request 5000', 'yield to I/O']);
	});

	it('Talkdesk: the other pages are requested and sent before page 1 is handed over', async () => {
		const total = TALKDESK_PER_PAGE_MAX * 3;
		const { client, log } = clientFor(talkdeskAnswer(total));
		const pages = talkdeskPages(
			client,
			{},
			{ maxItems: Infinity, concurrency: 4, readAhead: true },
		);
		const first = await pages.next();
		expect(first.value?.page).toBe(1);
		expect(log).toEqual(['request 1', 'request 2', 'request 3', 'yield to I/O']);
		const order = [first.value!.page];
		for await (const page of pages) order.push(page.page);
		expect(order).toEqual([1, 2, 3]);
		expect(log.filter((line) => line.startsWith('request'))).toHaveLength(3);
	});

	it('without read-ahead (a trigger, which may stop at its poll budget): stopping after page 1 asked for nothing more', async () => {
		const convoso = clientFor(convosoAnswer(CALLBACK_PAGE_SIZE * 3));
		for await (const page of convosoPages(convoso.client, {}, { maxItems: Infinity })) {
			expect(page).toHaveLength(CALLBACK_PAGE_SIZE);
			break;
		}
		expect(convoso.log).toEqual(['request 0']);
		const talkdesk = clientFor(talkdeskAnswer(TALKDESK_PER_PAGE_MAX * 3));
		for await (const page of talkdeskPages(talkdesk.client, {}, { maxItems: Infinity })) {
			expect(page.page).toBe(1);
			break;
		}
		expect(talkdesk.log).toEqual(['request 1']);
	});
});
