import type { IDataObject, ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';

import { toE164 } from '../shared/callback';
import type { Runtime } from '../shared/runtime';
import { epochMsToIsoUtc } from '../shared/time';
import { ProviderClient } from '../shared/transport';
import { campaignPages, readCampaignId } from './search';
import { ameyoSpec } from './transport';

/** The Ameyo node's pickers. */
export function ameyoListSearch(runtime: Runtime) {
	return {
		/**
		 * The chosen campaign's callbacks, first page (1,000); the search text matches
		 * the phone number's digits or the agent.
		 */
		async searchCallbacks(
			this: ILoadOptionsFunctions,
			filter?: string,
		): Promise<INodeListSearchResult> {
			const campaignId = readCampaignId(this.getCurrentNodeParameter('campaignId'));
			const client = new ProviderClient(this, ameyoSpec, runtime);
			const code = String((await client.credentials()).countryCallingCode ?? '');
			const first = await campaignPages(client, campaignId).next();
			const records = first.done ? [] : first.value.items;
			const text = filter?.trim().toLowerCase() ?? '';
			const digits = text.replace(/[^\d]/g, '');
			const matches = (record: IDataObject) =>
				text === '' ||
				(digits.length >= 3 &&
					String(record.phone ?? '')
						.replace(/[^\d]/g, '')
						.includes(digits)) ||
				String(record.userId ?? '')
					.toLowerCase()
					.includes(text);
			return {
				results: records.filter(matches).map((record) => ({
					name: [toE164(record.phone, code), epochMsToIsoUtc(record.callbackTime), record.userId]
						.filter((part) => typeof part === 'string' && part !== '')
						.join(' · '),
					value: String(record.customerCallbackId),
				})),
			};
		},
	};
}
