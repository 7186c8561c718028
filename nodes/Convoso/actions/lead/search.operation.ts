import type { IDataObject, INodeProperties } from 'n8n-workflow';

import { collectPages, offsetPages } from '../../../shared/pagination';
import {
	optionalDate,
	optionalPositiveInteger,
	optionalText,
	requireLimit,
} from '../../../shared/validate';
import type { ItemOperation } from '../../../shared/actions';
import { normalizeConvosoLead } from '../../normalize';
import { convosoCall, unwrapPage } from '../../transport';
import { getAccount, limitField, returnAllField } from '../common';

/** Convoso returns at most 2,000 leads per page. */
const LEAD_PAGE_SIZE = 2_000;

interface LeadFilter {
	/** Name in the node's "Filters" collection. */
	name: string;
	displayName: string;
	/** Convoso's field. */
	field: string;
	kind: 'text' | 'id' | 'date';
	placeholder?: string;
	description?: string;
}

const FILTERS: LeadFilter[] = [
	{ name: 'city', displayName: 'City', field: 'city', kind: 'text' },
	{ name: 'country', displayName: 'Country', field: 'country', kind: 'text' },
	{
		name: 'createdAfter',
		displayName: 'Created After',
		field: 'created_at_start_date',
		kind: 'date',
	},
	{
		name: 'createdBefore',
		displayName: 'Created Before',
		field: 'created_at_end_date',
		kind: 'date',
	},
	{ name: 'dateOfBirth', displayName: 'Date of Birth', field: 'date_of_birth', kind: 'date' },
	{
		name: 'email',
		displayName: 'Email',
		field: 'email',
		kind: 'text',
		placeholder: 'name@email.com',
	},
	{ name: 'firstName', displayName: 'First Name', field: 'first_name', kind: 'text' },
	{ name: 'lastName', displayName: 'Last Name', field: 'last_name', kind: 'text' },
	{ name: 'leadId', displayName: 'Lead ID', field: 'lead_id', kind: 'id' },
	{ name: 'listId', displayName: 'List ID', field: 'list_id', kind: 'id' },
	{ name: 'ownerId', displayName: 'Owner ID', field: 'owner_id', kind: 'id' },
	{
		name: 'phoneNumber',
		displayName: 'Phone Number',
		field: 'phone_number',
		kind: 'text',
		placeholder: '5551234567',
		description:
			"The lead's phone number; punctuation and a leading +1 are removed, as Convoso stores national numbers",
	},
	{ name: 'postalCode', displayName: 'Postal Code', field: 'postal_code', kind: 'text' },
	{ name: 'state', displayName: 'State', field: 'state', kind: 'text' },
	{ name: 'status', displayName: 'Status', field: 'status', kind: 'text' },
	{
		name: 'updatedAfter',
		displayName: 'Updated After',
		field: 'updated_at_start_date',
		kind: 'date',
	},
	{
		name: 'updatedBefore',
		displayName: 'Updated Before',
		field: 'updated_at_end_date',
		kind: 'date',
	},
	{ name: 'userId', displayName: 'User ID', field: 'user_id', kind: 'id' },
];

export const properties: INodeProperties[] = [
	returnAllField,
	limitField(),
	{
		displayName: 'Filters',
		name: 'leadFilters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		options: FILTERS.map(({ name, displayName, kind, placeholder, description }) => ({
			displayName,
			name,
			type: 'string' as const,
			default: '',
			placeholder: placeholder ?? (kind === 'date' ? 'YYYY-MM-DD' : undefined),
			description,
		})),
	},
	{
		displayName: 'Simplify',
		name: 'simplify',
		type: 'boolean',
		default: true,
		description:
			'Whether to return a short lead (ID, name, E.164 phone, email, status, list) instead of the raw Convoso record',
	},
];

export const execute: ItemOperation = async function (itemIndex, client) {
	const filters = this.getNodeParameter('leadFilters', itemIndex, {}) as IDataObject;
	const form: IDataObject = {};
	for (const { name, displayName, field, kind } of FILTERS) {
		const value = filters[name];
		form[field] =
			kind === 'id'
				? optionalPositiveInteger(value, displayName)
				: kind === 'date'
					? optionalDate(value, displayName)
					: optionalText(value);
	}
	if (typeof form.phone_number === 'string')
		form.phone_number = form.phone_number.replace(/[^\d]/g, '').replace(/^1(\d{10})$/, '$1');
	const returnAll = this.getNodeParameter('returnAll', itemIndex, false) as boolean;
	const maxItems = returnAll
		? Infinity
		: requireLimit(this.getNodeParameter('limit', itemIndex, 50), 'Limit', Number.MAX_SAFE_INTEGER);
	const simplify = this.getNodeParameter('simplify', itemIndex, true) as boolean;
	const account = await getAccount(client);

	const pages = offsetPages(
		async (offset, limit) => {
			const { body } = await convosoCall(
				client,
				'/leads/search',
				{ ...form, offset, limit },
				{ idempotent: true, itemIndex },
			);
			const { results, total } = unwrapPage(body);
			return { items: results, total };
		},
		{ pageSize: LEAD_PAGE_SIZE, maxItems },
	);
	return await collectPages(pages, (lead) =>
		simplify ? normalizeConvosoLead(lead, account) : lead,
	);
};
