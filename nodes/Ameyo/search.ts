import { NodeOperationError } from 'n8n-workflow';
import type { IDataObject } from 'n8n-workflow';

import { InputError } from '../shared/errors';
import type { ProviderClient } from '../shared/transport';
import { LIST_PATH } from './transport';

/**
 * Ameyo's server accepts large pages without documenting a maximum (its own example
 * asks for 101); the node asks for 1,000 per request.
 */
export const AMEYO_PAGE_SIZE = 1000;

export interface AmeyoPage {
	items: IDataObject[];
	offset: number;
	/** The answer was Ameyo's "500 when nothing matches": empty, unless it was an outage. */
	emptyBy500: boolean;
}

/**
 * A campaign's callbacks, page by page: a bare array with no total, so paging stops
 * at a short page (or the "nothing matches" 500). With `readAhead` (for a caller that
 * reads to the end), the next page is requested as soon as a full page has arrived,
 * and sent before it is handed over: the same requests as one after another, one at
 * a time, with the reading of each page overlapping the wait for the next.
 */
export async function* campaignPages(
	client: ProviderClient,
	campaignId: number,
	options: {
		startOffset?: number;
		itemIndex?: number;
		pageSize?: number;
		readAhead?: boolean;
	} = {},
): AsyncGenerator<AmeyoPage> {
	const pageSize = options.pageSize ?? AMEYO_PAGE_SIZE;
	const request = (offset: number) => {
		const answer = client.request(
			{
				method: 'GET',
				url: LIST_PATH,
				qs: { offset, campaignId, limit: pageSize },
				idempotent: true,
			},
			options.itemIndex,
		);
		// Awaited below; one read ahead for a caller that stopped must not go unhandled.
		answer.catch(() => undefined);
		return answer;
	};
	let offset = options.startOffset ?? 0;
	let pending = request(offset);
	for (;;) {
		const answer = await pending;
		const items =
			!answer.nothingMatched && Array.isArray(answer.body) ? (answer.body as IDataObject[]) : [];
		if (!answer.nothingMatched && !Array.isArray(answer.body))
			throw new NodeOperationError(
				client.ctx.getNode(),
				`Ameyo answered the callbacks of campaign ${campaignId} with something that is not a list`,
				{ itemIndex: options.itemIndex, description: answer.text.slice(0, 200) },
			);
		const full = items.length >= pageSize;
		if (full && options.readAhead) {
			pending = request(offset + pageSize);
			// Sent now, so the server works on it while this page is read (which holds the thread).
			await client.runtime.yieldToIo();
		}
		yield { items, offset, emptyBy500: answer.nothingMatched };
		if (!full) return;
		offset += pageSize;
		if (!options.readAhead) pending = request(offset);
	}
}

/** A campaign id: Ameyo's ids are positive integers. */
export function readCampaignId(value: unknown, field = 'Campaign ID'): number {
	const text =
		typeof value === 'number' ? String(value) : typeof value === 'string' ? value.trim() : '';
	if (!/^\d{1,12}$/.test(text) || Number(text) <= 0)
		throw new InputError(field, value, 'the numeric ID of an Ameyo campaign, e.g. 110');
	return Number(text);
}

/** Several campaign ids, separated by commas. */
export function readCampaignIds(value: unknown): number[] {
	const text = typeof value === 'number' ? String(value) : typeof value === 'string' ? value : '';
	const ids = text
		.split(',')
		.map((part) => part.trim())
		.filter(Boolean)
		.map((part) => readCampaignId(part, 'Campaign IDs'));
	if (ids.length === 0)
		throw new InputError('Campaign IDs', value, 'one or more campaign IDs separated by commas');
	return [...new Set(ids)];
}

/** Finds one callback by id in a campaign: Ameyo has no get, so its pages are read until it shows up. */
export async function findCallback(
	client: ProviderClient,
	campaignId: number,
	id: string,
	itemIndex?: number,
): Promise<{ record?: IDataObject; requests: number; read: number }> {
	let requests = 0;
	let read = 0;
	for await (const page of campaignPages(client, campaignId, { itemIndex })) {
		requests++;
		read += page.items.length;
		const record = page.items.find((item) => String(item.customerCallbackId) === id);
		if (record) return { record, requests, read };
	}
	return { requests, read };
}
