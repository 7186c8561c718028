import type { IDataObject, INodeProperties } from 'n8n-workflow';

import type { ItemOperation } from '../../../shared/actions';
import { toE164 } from '../../../shared/callback';
import { limitField, returnAllField } from '../../../shared/descriptions';
import { InputError } from '../../../shared/errors';
import { parseDateTimeInput } from '../../../shared/time';
import { optionalText, requireLimit } from '../../../shared/validate';
import { normalizeAmeyoCallback } from '../../normalize';
import { campaignPages, readCampaignId } from '../../search';
import { campaignIdField, countryCode, simplifyField, simplifyOn } from '../common';

export const properties: INodeProperties[] = [
	campaignIdField,
	returnAllField,
	limitField(),
	{
		displayName:
			"Ameyo lists a campaign's callbacks without any filter: the filters below are applied by n8n while the pages arrive (1,000 callbacks per request)",
		name: 'filtersNotice',
		type: 'notice',
		default: '',
	},
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		options: [
			{
				displayName: 'Agent (User ID)',
				name: 'agentId',
				type: 'string',
				default: '',
				description: 'Callbacks of this agent',
			},
			{
				displayName: 'Callback Time From',
				name: 'callbackTimeFrom',
				type: 'dateTime',
				default: '',
				description:
					"At or after this time. A time without an offset is read in the workflow's time zone.",
			},
			{
				displayName: 'Callback Time To',
				name: 'callbackTimeTo',
				type: 'dateTime',
				default: '',
				description: 'At or before this time',
			},
			{
				displayName: 'Phone Number',
				name: 'phoneNumber',
				type: 'string',
				default: '',
				description:
					'The number to call back, in any format (national numbers are read with the credential’s country calling code)',
			},
			{
				displayName: 'Self Callbacks Only',
				name: 'selfCallbacksOnly',
				type: 'boolean',
				default: false,
				description: 'Whether to return only callbacks marked as self callbacks',
			},
		],
	},
	simplifyField,
];

/** The client-side filters, checked, as one predicate on a raw Ameyo record. */
export function ameyoFilter(
	filters: IDataObject,
	zone: string,
	code: string,
): (record: IDataObject) => boolean {
	const time = (value: unknown, field: string) =>
		value === undefined || value === ''
			? undefined
			: parseDateTimeInput(value, zone, field).toMillis();
	const from = time(filters.callbackTimeFrom, 'Callback Time From');
	const to = time(filters.callbackTimeTo, 'Callback Time To');
	if (from !== undefined && to !== undefined && from > to)
		throw new InputError(
			'Callback Time To',
			filters.callbackTimeTo,
			'a time at or after Callback Time From',
		);
	const agent = optionalText(filters.agentId);
	const phoneText = optionalText(filters.phoneNumber);
	const phone = phoneText === undefined ? undefined : toE164(phoneText, code);
	if (phoneText !== undefined && !/^\+?\d{5,}$/.test(String(phone).replace(/[\s().-]/g, '')))
		throw new InputError(
			'Phone Number',
			phoneText,
			'a phone number (digits, optionally with + and the country code)',
		);
	const selfOnly = filters.selfCallbacksOnly === true;
	// No filter: nothing to read from each record.
	if (
		from === undefined &&
		to === undefined &&
		agent === undefined &&
		!selfOnly &&
		phone === undefined
	)
		return () => true;
	return (record) => {
		const at = Number(record.callbackTime);
		if (from !== undefined && !(at >= from)) return false;
		if (to !== undefined && !(at <= to)) return false;
		if (agent !== undefined && String(record.userId ?? '') !== agent) return false;
		if (selfOnly && record.selfCallback !== true) return false;
		if (phone !== undefined && toE164(record.phone, code) !== phone) return false;
		return true;
	};
}

export const execute: ItemOperation = async function (itemIndex, client) {
	const campaignId = readCampaignId(this.getNodeParameter('campaignId', itemIndex));
	const returnAll = this.getNodeParameter('returnAll', itemIndex, false) as boolean;
	const limit = returnAll
		? Infinity
		: requireLimit(this.getNodeParameter('limit', itemIndex, 50), 'Limit', 1_000_000);
	const code = await countryCode(client);
	const matches = ameyoFilter(
		this.getNodeParameter('filters', itemIndex, {}) as IDataObject,
		this.getTimezone(),
		code,
	);
	const simplify = simplifyOn(this, itemIndex);
	const now = client.runtime.now();
	const results: IDataObject[] = [];
	const seen = new Set<string>();
	// Return All reads every page: the next is asked for while one is read.
	for await (const page of campaignPages(client, campaignId, { itemIndex, readAhead: returnAll })) {
		for (const record of page.items) {
			const id = String(record.customerCallbackId);
			// A callback added or removed while paging shifts the offsets: never return one twice.
			if (seen.has(id) || !matches(record)) continue;
			seen.add(id);
			results.push(simplify ? normalizeAmeyoCallback(record, code, now) : record);
			if (results.length >= limit) return results;
		}
	}
	return results;
};
