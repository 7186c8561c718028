import type { IDataObject, ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';

import { stringOrNull } from '../shared/callback';
import type { Runtime } from '../shared/runtime';
import { ProviderClient } from '../shared/transport';
import { TALKDESK_PENDING_STATUSES, talkdeskScheduledAt } from './normalize';
import { callbackPages, TALKDESK_PER_PAGE_MAX } from './search';
import { talkdeskSpec } from './transport';

/** The Talkdesk node's pickers. */
export function talkdeskListSearch(runtime: Runtime) {
	return {
		/**
		 * Callbacks still to ring, soonest first: one page of 500. A search text of three
		 * or more digits is sent to Talkdesk as the phone number (E.164) when it is one;
		 * otherwise it matches the number or the name on that page.
		 */
		async searchCallbacks(
			this: ILoadOptionsFunctions,
			filter?: string,
		): Promise<INodeListSearchResult> {
			const client = new ProviderClient(this, talkdeskSpec, runtime);
			const text = filter?.trim().toLowerCase() ?? '';
			const digits = text.replace(/[^\d]/g, '');
			const asPhone =
				/^\+?[\d\s().-]+$/.test(text) && digits.length >= 8 ? `+${digits}` : undefined;
			const query: IDataObject = {
				status: TALKDESK_PENDING_STATUSES.join(','),
				...(asPhone && { phone_number: asPhone }),
			};
			const pages = callbackPages(client, query, { maxItems: TALKDESK_PER_PAGE_MAX });
			const first = await pages.next();
			const records = first.done ? [] : first.value.items;
			const matches = (record: IDataObject) =>
				text === '' ||
				asPhone !== undefined ||
				(digits.length >= 3 && String(record.phone_number ?? '').includes(digits)) ||
				`${String(record.record_first_name ?? '')} ${String(record.record_last_name ?? '')}`
					.toLowerCase()
					.includes(text);
			return {
				results: records.filter(matches).map((record) => ({
					name: [
						record.phone_number,
						[record.record_first_name, record.record_last_name]
							.map(stringOrNull)
							.filter(Boolean)
							.join(' '),
						talkdeskScheduledAt(record),
						record.status,
					]
						.map(stringOrNull)
						.filter(Boolean)
						.join(' · '),
					value: String(record.id),
				})),
			};
		},
	};
}
