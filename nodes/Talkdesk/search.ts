import { NodeOperationError } from 'n8n-workflow';
import type { IDataObject, INodeProperties } from 'n8n-workflow';

import { DEFAULT_CONCURRENCY } from '../shared/actions';
import { InputError } from '../shared/errors';
import { firstThenRest, inOrder } from '../shared/pagination';
import { parseDateTimeInput, toIsoUtc } from '../shared/time';
import type { ProviderClient } from '../shared/transport';
import { optionalText } from '../shared/validate';
import { TALKDESK_FROM_CALL_TYPES, TALKDESK_STATUSES } from './normalize';
import { talkdeskCall } from './transport';

/** Talkdesk's largest page, and the last page it serves: 250,000 callbacks per query. */
export const TALKDESK_PER_PAGE_MAX = 500;
export const TALKDESK_MAX_PAGES = 500;

export interface TalkdeskPage {
	items: IDataObject[];
	page: number;
	/** Pages in all, as the first answer of the listing said. */
	totalPages?: number;
	total?: number;
}

/** One list answer, in either documented shape (`_embedded.callbacks[]` or an `_embedded` array). */
export function readListAnswer(body: IDataObject, page: number): TalkdeskPage {
	const embedded = body._embedded as IDataObject | IDataObject[] | undefined;
	const items = Array.isArray(embedded)
		? embedded
		: Array.isArray(embedded?.callbacks)
			? (embedded.callbacks as IDataObject[])
			: [];
	const totalPages = body.total_pages ?? body.total_page;
	return {
		items,
		page,
		totalPages: typeof totalPages === 'number' ? totalPages : undefined,
		total: typeof body.total === 'number' ? body.total : undefined,
	};
}

/**
 * The pages of one listing, in order. The first answer tells how many pages there
 * are; the rest are then fetched a few at a time, and the listing stops exactly at
 * the last page. A listing that would need pages past Talkdesk's last servable page
 * fails before reading them, rather than return a silently cut list.
 */
export async function* callbackPages(
	client: ProviderClient,
	query: IDataObject,
	options: {
		maxItems: number;
		firstPage?: number;
		itemIndex?: number;
		concurrency?: number;
		/**
		 * For a caller that reads to the end (not a trigger that may stop at its poll
		 * budget): the other pages are asked for before the first is handed over.
		 */
		readAhead?: boolean;
	},
): AsyncGenerator<TalkdeskPage> {
	const { maxItems, itemIndex } = options;
	const perPage = Math.min(TALKDESK_PER_PAGE_MAX, Math.max(1, maxItems));
	const firstPage = options.firstPage ?? 1;
	const fetchPage = async (page: number) =>
		readListAnswer(
			await talkdeskCall(
				client,
				{
					method: 'GET',
					url: '/schedule-callbacks',
					qs: { ...query, page, per_page: perPage },
					idempotent: true,
				},
				'schedule-callbacks:read',
				itemIndex,
			),
			page,
		);

	const first = await fetchPage(firstPage);
	const { totalPages } = first;
	const pagesWanted = firstPage - 1 + Math.ceil(maxItems / perPage);

	if (totalPages === undefined) {
		// No total: go on while pages come back full.
		yield first;
		let last = first;
		while (last.items.length === perPage && last.page < Math.min(pagesWanted, TALKDESK_MAX_PAGES)) {
			last = await fetchPage(last.page + 1);
			yield last;
		}
		return;
	}

	const lastPage = Math.min(totalPages, pagesWanted);
	if (lastPage > TALKDESK_MAX_PAGES) {
		throw new NodeOperationError(
			client.ctx.getNode(),
			`Talkdesk has ${first.total ?? `${totalPages} pages of`} callbacks matching these filters, more than its API can list (${TALKDESK_MAX_PAGES} pages of ${TALKDESK_PER_PAGE_MAX}, ${(TALKDESK_MAX_PAGES * TALKDESK_PER_PAGE_MAX).toLocaleString('en-US')} callbacks)`,
			{
				itemIndex,
				description:
					'Nothing was returned rather than a cut list. Narrow the listing: a Next Time To Call window (From / To), statuses, agents or a campaign; or set a Limit.',
			},
		);
	}
	const remaining = () =>
		inOrder(
			lastPage - firstPage,
			(index) => fetchPage(firstPage + 1 + index),
			options.concurrency ?? DEFAULT_CONCURRENCY,
			client.runtime,
		);
	yield* firstThenRest(first, remaining, options.readAhead === true, client.runtime);
}

// ---------------------------------------------------------------------------
// Filters, applied by Talkdesk (Get Many and the trigger)

const statusOptions = TALKDESK_STATUSES.map((status) => ({
	name: status
		.toLowerCase()
		.split('_')
		.map((word) => word[0].toUpperCase() + word.slice(1))
		.join(' '),
	value: status,
}));

const fromCallTypeOptions = TALKDESK_FROM_CALL_TYPES.map((type) => ({
	name: type
		.toLowerCase()
		.split('_')
		.map((word) => word[0].toUpperCase() + word.slice(1))
		.join(' '),
	value: type,
}));

const listHint = 'Several separated by commas match any of them';

/** The filters every listing shares; the trigger omits the time filters (it sets its own window). */
export function filterOptions(withTimes: boolean): INodeProperties[] {
	const options: INodeProperties[] = [
		{
			displayName: 'Agent IDs',
			name: 'agentIds',
			type: 'string',
			default: '',
			description: `Callbacks assigned to these agents. ${listHint}.`,
		},
		{
			displayName: 'Campaign ID',
			name: 'campaignId',
			type: 'string',
			default: '',
		},
		{
			displayName: 'Contact ID',
			name: 'contactId',
			type: 'string',
			default: '',
		},
		{
			displayName: 'From Call Types',
			name: 'fromCallTypes',
			type: 'multiOptions',
			options: fromCallTypeOptions,
			default: [],
			description: 'The kind of call the callback came from',
		},
		{
			displayName: 'Phone Number',
			name: 'phoneNumber',
			type: 'string',
			default: '',
			placeholder: '+14155550123',
			description: 'The number to be called, in E.164 form',
		},
		{
			displayName: 'Record ID',
			name: 'recordId',
			type: 'string',
			default: '',
			description: 'The record (of a record list) the callback calls',
		},
		{
			displayName: 'Ring Groups',
			name: 'ringGroups',
			type: 'string',
			default: '',
			placeholder: 'Sales, Support',
			description: `Ring group names. ${listHint}.`,
		},
		{
			displayName: 'Statuses',
			name: 'statuses',
			type: 'multiOptions',
			options: statusOptions,
			default: [],
			description: 'Unattempted and To Be Retried are the callbacks still to ring',
		},
		{
			displayName: 'Team IDs',
			name: 'teamIds',
			type: 'string',
			default: '',
			description: ',',
		},
	];
	if (!withTimes) return options;
	return [
		...options,
		{
			displayName: 'Next Time To Call From',
			name: 'nextTimeToCallFrom',
			type: 'dateTime',
			default: '',
			description:
				"Callbacks that ring next at or after this time. A time without an offset is read in the workflow's time zone.",
		},
		{
			displayName: 'Next Time To Call To',
			name: 'nextTimeToCallTo',
			type: 'dateTime',
			default: '',
			description: 'Callbacks that ring next at or before this time',
		},
		{
			displayName: 'Due By',
			name: 'dueBy',
			type: 'dateTime',
			default: '',
			description:
				'Callbacks still to ring (Unattempted or To Be Retried) whose next time to call is at or before this time',
		},
		{
			displayName: 'Original Time To Call',
			name: 'originalTimeToCall',
			type: 'dateTime',
			default: '',
			description: 'Callbacks first set for exactly this time (Talkdesk’s time_to_call)',
		},
	].sort((a, b) => a.displayName.localeCompare(b.displayName)) as INodeProperties[];
}

const E164 = /^\+[1-9]\d{6,14}$/;

/** A phone number in E.164 form ("+14155550123"); spaces, dashes and brackets are dropped. */
export function readE164(value: unknown, field: string): string {
	const text = typeof value === 'string' ? value.replace(/[\s().-]/g, '') : '';
	if (!E164.test(text))
		throw new InputError(
			field,
			value,
			'a phone number in E.164 form: + then the country code and number, e.g. "+14155550123"',
		);
	return text;
}

/** A comma-separated list, cleaned; ids (not names) may not hold spaces or URL characters. */
export function readIdList(
	value: unknown,
	field: string,
	kind: 'ids' | 'names' = 'ids',
): string[] | undefined {
	const text = optionalText(value);
	if (text === undefined) return undefined;
	const entries = text
		.split(',')
		.map((entry) => entry.trim())
		.filter(Boolean);
	for (const entry of entries)
		if (kind === 'ids' && /[\s/?#&]/.test(entry))
			throw new InputError(field, value, 'IDs separated by commas');
	return entries.length > 0 ? entries : undefined;
}

function readChoices(
	value: unknown,
	allowed: readonly string[],
	field: string,
): string | undefined {
	if (value === undefined || value === '' || (Array.isArray(value) && value.length === 0))
		return undefined;
	const list = Array.isArray(value) ? value : String(value).split(',');
	const chosen = list.map((entry) => {
		const match = allowed.find((option) => option === String(entry).trim().toUpperCase());
		if (!match)
			throw new InputError(field, value, `some of ${allowed.map((a) => `"${a}"`).join(', ')}`);
		return match;
	});
	return [...new Set(chosen)].join(',');
}

function readTime(value: unknown, zone: string, field: string): string | undefined {
	if (value === undefined || value === null || value === '') return undefined;
	return toIsoUtc(parseDateTimeInput(value, zone, field));
}

/**
 * The query parameters of the chosen filters, checked. Times without an offset are
 * wall-clock times in `zone` (the workflow's).
 */
export function readFilters(filters: IDataObject, zone: string): IDataObject {
	const query: IDataObject = {
		agent_id: readIdList(filters.agentIds, 'Agent IDs')?.join(','),
		team_id: readIdList(filters.teamIds, 'Team IDs')?.join(','),
		ring_group: readIdList(filters.ringGroups, 'Ring Groups', 'names')?.join(','),
		campaign_id: optionalText(filters.campaignId),
		contact_id: optionalText(filters.contactId),
		record_id: optionalText(filters.recordId),
		phone_number:
			optionalText(filters.phoneNumber) === undefined
				? undefined
				: readE164(filters.phoneNumber, 'Phone Number'),
		status: readChoices(filters.statuses, TALKDESK_STATUSES, 'Statuses'),
		from_call_type: readChoices(filters.fromCallTypes, TALKDESK_FROM_CALL_TYPES, 'From Call Types'),
		start_time: readTime(filters.nextTimeToCallFrom, zone, 'Next Time To Call From'),
		end_time: readTime(filters.nextTimeToCallTo, zone, 'Next Time To Call To'),
		next_time_to_call_end: readTime(filters.dueBy, zone, 'Due By'),
		time_to_call: readTime(filters.originalTimeToCall, zone, 'Original Time To Call'),
	};
	if (
		typeof query.start_time === 'string' &&
		typeof query.end_time === 'string' &&
		Date.parse(query.start_time) > Date.parse(query.end_time)
	)
		throw new InputError(
			'Next Time To Call To',
			filters.nextTimeToCallTo,
			`a time at or after Next Time To Call From (${query.start_time})`,
		);
	for (const key of Object.keys(query)) if (query[key] === undefined) delete query[key];
	return query;
}
