/**
 * Ameyo's paging with and without read-ahead: the same requests either way; with it,
 * the next page is asked for, and given a turn of the event loop to be sent, before a
 * full page is handed over.
 */
import { campaignPages } from '../../nodes/Ameyo/search';
import type { ProviderAnswer, ProviderClient, ProviderRequest } from '../../nodes/shared/transport';

/** A campaign of `total` callbacks behind a client that logs each request's offset. */
function campaignOf(total: number, failAt?: number) {
	const log: string[] = [];
	const client = {
		ctx: { getNode: () => ({ name: 'Ameyo' }) },
		runtime: {
			yieldToIo: async () => {
				log.push('yield to I/O');
			},
		},
		request: async (request: ProviderRequest): Promise<ProviderAnswer> => {
			const { offset, limit } = request.qs as { offset: number; limit: number };
			log.push(`request ${offset}`);
			if (offset === failAt) throw new Error(`offset ${offset} failed`);
			const count = Math.max(0, Math.min(limit, total - offset));
			const body = Array.from({ length: count }, (_, i) => ({
				customerCallbackId: `${offset + i}`,
			}));
			return { statusCode: 200, headers: {}, body, text: '', nothingMatched: false };
		},
	} as unknown as ProviderClient;
	return { client, log };
}

async function readAll(pages: AsyncGenerator<{ offset: number; items: unknown[] }>, log: string[]) {
	for await (const page of pages) log.push(`read ${page.offset} (${page.items.length})`);
}

describe('Ameyo campaign pages', () => {
	it('without read-ahead: each request after the page before it was read', async () => {
		const { client, log } = campaignOf(25);
		await readAll(campaignPages(client, 110, { pageSize: 10 }), log);
		expect(log).toEqual([
			'request 0',
			'read 0 (10)',
			'request 10',
			'read 10 (10)',
			'request 20',
			'read 20 (5)',
		]);
	});

	it('with read-ahead: the next page is asked for and sent before a full page is read, and no request more', async () => {
		const { client, log } = campaignOf(25);
		await readAll(campaignPages(client, 110, { pageSize: 10, readAhead: true }), log);
		expect(log).toEqual([
			'request 0',
			'request 10',
			'yield to I/O',
			'read 0 (10)',
			'request 20',
			'yield to I/O',
			'read 10 (10)',
			'read 20 (5)',
		]);
	});

	it('with read-ahead, an exact multiple of the page size ends on the empty page, as without', async () => {
		const { client, log } = campaignOf(20);
		await readAll(campaignPages(client, 110, { pageSize: 10, readAhead: true }), log);
		expect(log.filter((line) => line.startsWith('request'))).toEqual([
			'request 0',
			'request 10',
			'request 20',
		]);
		expect(log.at(-1)).toBe('read 20 (0)');
	});

	it('a read-ahead that fails fails the listing at its turn, after the page before it', async () => {
		const { client, log } = campaignOf(25, 10);
		const read = readAll(campaignPages(client, 110, { pageSize: 10, readAhead: true }), log);
		await expect(read).rejects.toThrow('offset 10 failed');
		expect(log).toEqual(['request 0', 'request 10', 'yield to I/O', 'read 0 (10)']);
	});
});
