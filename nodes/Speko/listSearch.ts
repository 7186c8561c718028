import type { IDataObject, ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';

import { stringOrNull } from '../shared/callback';
import type { Runtime } from '../shared/runtime';
import { ProviderClient } from '../shared/transport';
import { SPEKO_PAGE_MAX } from './actions/callback/getMany.operation';
import { spekoSpec } from './transport';

/** The Speko node's pickers. */
export function spekoListSearch(runtime: Runtime) {
	return {
		/**
		 * Scheduled callbacks (Speko lists at most 100, without paging); the search text
		 * matches the phone number or the reason.
		 */
		async searchCallbacks(
			this: ILoadOptionsFunctions,
			filter?: string,
		): Promise<INodeListSearchResult> {
			const client = new ProviderClient(this, spekoSpec, runtime);
			const body = await client.body({
				method: 'GET',
				url: '/v1/callbacks',
				qs: { status: 'scheduled', limit: SPEKO_PAGE_MAX },
				idempotent: true,
			});
			const records = Array.isArray(body.callbacks) ? (body.callbacks as IDataObject[]) : [];
			const text = filter?.trim().toLowerCase() ?? '';
			const digits = text.replace(/[^\d]/g, '');
			const matches = (record: IDataObject) =>
				text === '' ||
				(digits.length >= 3 && String(record.to_number ?? '').includes(digits)) ||
				String(record.reason ?? '')
					.toLowerCase()
					.includes(text);
			return {
				results: records.filter(matches).map((record) => ({
					name: [record.to_number, record.scheduled_at, record.reason]
						.map(stringOrNull)
						.filter(Boolean)
						.join(' · '),
					value: String(record.id),
				})),
			};
		},
	};
}
