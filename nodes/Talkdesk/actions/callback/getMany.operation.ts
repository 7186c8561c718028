import type { IDataObject, INodeProperties } from 'n8n-workflow';

import { concurrencyField, readConcurrency } from '../../../shared/actions';
import type { ItemOperation } from '../../../shared/actions';
import { limitField, returnAllField } from '../../../shared/descriptions';
import { requireLimit } from '../../../shared/validate';
import { normalizeTalkdeskCallback } from '../../normalize';
import {
	callbackPages,
	filterOptions,
	readFilters,
	TALKDESK_MAX_PAGES,
	TALKDESK_PER_PAGE_MAX,
} from '../../search';
import { simplifyField } from '../common';

const MAX_LIMIT = TALKDESK_MAX_PAGES * TALKDESK_PER_PAGE_MAX;

export const properties: INodeProperties[] = [
	returnAllField,
	limitField(MAX_LIMIT),
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		description: 'Applied by Talkdesk, on the server',
		options: filterOptions(true),
	},
	concurrencyField('Talkdesk', 'pages'),
	simplifyField,
];

export const execute: ItemOperation = async function (itemIndex, client) {
	const returnAll = this.getNodeParameter('returnAll', itemIndex, false) as boolean;
	const limit = returnAll
		? Infinity
		: requireLimit(this.getNodeParameter('limit', itemIndex, 50), 'Limit', MAX_LIMIT);
	const query = readFilters(
		this.getNodeParameter('filters', itemIndex, {}) as IDataObject,
		this.getTimezone(),
	);
	const simplify = this.getNodeParameter('simplify', itemIndex, true) as boolean;

	const now = client.runtime.now();
	const results: IDataObject[] = [];
	// A callback created or finished while paging shifts the pages: never return one twice.
	const seen = new Set<string>();
	const concurrency = readConcurrency(this, itemIndex);
	for await (const page of callbackPages(client, query, {
		maxItems: limit,
		itemIndex,
		concurrency,
		readAhead: true,
	})) {
		for (const record of page.items) {
			if (results.length >= limit) break;
			const id = String(record.id ?? record.callback_id);
			if (seen.has(id)) continue;
			seen.add(id);
			results.push(simplify ? normalizeTalkdeskCallback(record, now) : record);
		}
		if (results.length >= limit) break;
	}
	return results;
};
