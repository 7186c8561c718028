import type { IDataObject, INodeProperties } from 'n8n-workflow';

import { concurrencyField, readConcurrency } from '../../../shared/actions';
import { InputError } from '../../../shared/errors';
import { collectPages } from '../../../shared/pagination';
import {
	optionalDate,
	optionalPositiveInteger,
	optionalText,
	requireLimit,
	requireOneOf,
} from '../../../shared/validate';
import type { ItemOperation } from '../../../shared/actions';
import { idOf } from '../../../shared/locators';
import { normalizeConvosoCallback } from '../../normalize';
import { callbackPages } from '../../search';
import {
	campaignIdField,
	getAccount,
	limitField,
	listIdField,
	recipientFilterField,
	returnAllField,
	simplifyField,
	stageFilterField,
	userIdField,
} from '../common';

export const STAGES = ['PENDING', 'PAST_DUE', 'COMPLETED', 'DISMISSED', 'MISSED'] as const;

export const properties: INodeProperties[] = [
	returnAllField,
	limitField(),
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		options: [
			{ displayName: 'Account ID', name: 'accountId', type: 'string', default: '' },
			{ displayName: 'Callback ID', name: 'callbackId', type: 'string', default: '' },
			campaignIdField,
			{
				displayName: 'Comments Contain',
				name: 'comments',
				type: 'string',
				default: '',
				description: 'Matches callbacks whose comments contain this text',
			},
			{
				displayName: 'End Date',
				name: 'endDate',
				type: 'string',
				default: '',
				placeholder: 'YYYY-MM-DD',
				description: 'Last callback date to include (inclusive), in the account time zone',
			},
			{ displayName: 'Lead ID', name: 'leadId', type: 'string', default: '' },
			listIdField,
			recipientFilterField,
			stageFilterField,
			{
				displayName: 'Start Date',
				name: 'startDate',
				type: 'string',
				default: '',
				placeholder: 'YYYY-MM-DD',
				description: 'First callback date to include, in the account time zone',
			},
			{ ...userIdField, description: 'The agent the callbacks are assigned to' },
		],
	},
	concurrencyField('Convoso', 'pages'),
	simplifyField,
];

/** Reads and checks the filters, in Convoso's field names. */
export function searchFilters(filters: IDataObject): IDataObject {
	const form: IDataObject = {
		start_date: optionalDate(filters.startDate, 'Start Date'),
		end_date: optionalDate(filters.endDate, 'End Date'),
		campaign_id: optionalPositiveInteger(idOf(filters.campaignId), 'Campaign'),
		comments: optionalText(filters.comments),
		account_id: optionalPositiveInteger(filters.accountId, 'Account ID'),
		id: optionalPositiveInteger(filters.callbackId, 'Callback ID'),
		lead_id: optionalPositiveInteger(filters.leadId, 'Lead ID'),
		list_id: optionalPositiveInteger(idOf(filters.listId), 'List'),
		user_id: optionalPositiveInteger(idOf(filters.userId), 'User'),
		recipient: filters.recipient
			? requireOneOf(filters.recipient, ['System', 'Personal'], 'Recipient')
			: undefined,
		stage: filters.stage ? requireOneOf(filters.stage, STAGES, 'Stage') : undefined,
	};
	if (form.start_date && form.end_date && (form.start_date as string) > (form.end_date as string)) {
		throw new InputError(
			'End Date',
			filters.endDate,
			`a date on or after the Start Date (${form.start_date})`,
		);
	}
	return form;
}

export const execute: ItemOperation = async function (itemIndex, client) {
	const filters = searchFilters(this.getNodeParameter('filters', itemIndex, {}) as IDataObject);
	const returnAll = this.getNodeParameter('returnAll', itemIndex, false) as boolean;
	const maxItems = returnAll
		? Infinity
		: requireLimit(this.getNodeParameter('limit', itemIndex, 50), 'Limit', Number.MAX_SAFE_INTEGER);
	const simplify = this.getNodeParameter('simplify', itemIndex, true) as boolean;
	const account = await getAccount(client);

	const pages = callbackPages(client, filters, {
		maxItems,
		itemIndex,
		concurrency: readConcurrency(this, itemIndex),
		readAhead: true,
	});
	const now = client.runtime.now();
	return await collectPages(pages, (record) =>
		simplify ? normalizeConvosoCallback(record, account, now) : record,
	);
};
