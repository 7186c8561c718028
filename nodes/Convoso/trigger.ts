import { DateTime } from 'luxon';
import type { IDataObject } from 'n8n-workflow';

import { WHOLE_LISTING_EVERY_MS } from '../shared/poll';
import type { PollCandidate, PollSource } from '../shared/poll';
import type { TriggerAdapter } from '../shared/trigger';
import { searchFilters } from './actions/callback/getMany.operation';
import {
	campaignIdField,
	getAccount,
	listIdField,
	recipientFilterField,
	stageFilterField,
	userIdField,
} from './actions/common';
import { convosoPhone, convosoStatus, normalizeConvosoCallback } from './normalize';
import { CALLBACK_PAGE_SIZE, callbackPages } from './search';
import { convosoLocalTimeToMs } from './time';
import { convosoCall, convosoSpec, unwrapPage } from './transport';
import type { ProviderClient } from '../shared/transport';

/** Where a listing goes on: the offset of the next page. */
interface ConvosoResume {
	offset: number;
}

/** What the last whole 'new' listing saw: what the next poll's cheap check compares with. */
interface ConvosoNewMemo {
	/** How many callbacks the listing held. */
	total: number;
	/** The highest callback id in it. */
	maxId: number;
	/** The listing's start date (the window moves at the account's midnight). */
	startDate: string;
	/** When it ran (n8n's clock). */
	at: number;
}

/**
 * 'new' reads everything scheduled from yesterday on, which grows with the account.
 * Between whole listings, two one-row searches tell whether anything can be new:
 * the listing's total, and the callback with the next id (Convoso numbers callbacks
 * in order). Both unchanged: nothing new, nothing read. A creation that a removal
 * hides from the total, behind a skipped id, is caught by the next whole listing,
 * within WHOLE_LISTING_EVERY_MS (the window floor stays put until then).
 */

/**
 * Convoso Trigger: candidates from Convoso's search, whose dates select by callback
 * time. New callbacks are scheduled from now on (from yesterday, to be safe); due
 * ones between the window floor and now plus the lead time.
 */
export const convosoTrigger: TriggerAdapter = {
	displayName: 'Convoso',
	summary:
		'Find, schedule, reschedule, dismiss and delete Convoso callbacks, and start workflows when one is created or falls due',
	spec: convosoSpec,
	filterProperties: [
		{
			displayName: 'Filters',
			name: 'filters',
			type: 'collection',
			placeholder: 'Add Filter',
			default: {},
			description: 'Applied by Convoso, on the server',
			options: [campaignIdField, listIdField, recipientFilterField, stageFilterField, userIdField],
		},
	],

	readFilters(ctx) {
		// The trigger's filters are a subset of Get Many's, read the same way.
		return searchFilters(ctx.getNodeParameter('filters', {}) as IDataObject);
	},

	async source(client, filters, simplify): Promise<PollSource> {
		const account = await getAccount(client);
		const accountDate = (ms: number) =>
			DateTime.fromMillis(ms, { zone: account.timezone }).toISODate()!;
		return async function* (query) {
			const window: IDataObject =
				query.event === 'new'
					? { start_date: accountDate(query.toMs - 86_400_000) }
					: {
							start_date:
								query.fromMs === null
									? undefined
									: accountDate(query.fromMs + query.leadMs - 86_400_000),
							end_date: accountDate(query.toMs + query.leadMs + 86_400_000),
						};
			const memo = query.memo as ConvosoNewMemo | undefined;
			const startDate = window.start_date as string;
			if (
				query.event === 'new' &&
				query.resume === undefined &&
				memo?.startDate === startDate &&
				query.toMs - memo.at < WHOLE_LISTING_EVERY_MS &&
				(await nothingNew(client, { ...filters, ...window }, memo))
			) {
				yield { candidates: [] };
				return;
			}
			let offset = (query.resume as ConvosoResume | undefined)?.offset ?? 0;
			const seen = { total: 0, maxId: 0 };
			for await (const page of callbackPages(
				client,
				{ ...filters, ...window },
				{ maxItems: Infinity, itemIndex: 0, startOffset: offset },
			)) {
				offset += page.length;
				seen.total += page.length;
				for (const record of page) seen.maxId = Math.max(seen.maxId, Number(record.id) || 0);
				// Only times and status are read for every candidate; the full item only for emissions.
				const candidates = page.map(
					(record): PollCandidate => ({
						key: String(record.id),
						createdAtMs: convosoLocalTimeToMs(record.created_at, account.timezone),
						scheduledAtMs: convosoLocalTimeToMs(record.callback_time, account.timezone),
						status: convosoStatus(record),
						callee: () => ({ phone: convosoPhone(record, account) }),
						toItem: () =>
							simplify
								? { ...normalizeConvosoCallback(record, account, client.runtime.now()) }
								: record,
					}),
				);
				const resume: ConvosoResume = { offset };
				const last = page.length < CALLBACK_PAGE_SIZE;
				yield {
					candidates,
					resume: last ? undefined : { ...resume },
					// A whole 'new' listing (not a resumed one) is what the cheap check compares with.
					...(last &&
						query.event === 'new' &&
						query.resume === undefined && {
							memo: { ...seen, startDate, at: query.toMs } satisfies ConvosoNewMemo,
						}),
				};
			}
		};
	},
};

/** The cheap check of 'new': two one-row searches, both as the last whole listing saw them. */
async function nothingNew(
	client: ProviderClient,
	listing: IDataObject,
	memo: ConvosoNewMemo,
): Promise<boolean> {
	const count = await convosoCall(
		client,
		'/callbacks/search',
		{ ...listing, offset: 0, limit: 1 },
		{ idempotent: true },
	);
	const total = count.nothingMatched ? 0 : unwrapPage(count.body).total;
	if (total !== memo.total) return false;
	const next = await convosoCall(
		client,
		'/callbacks/search',
		{ ...listing, id: memo.maxId + 1, offset: 0, limit: 1 },
		{ idempotent: true },
	);
	return next.nothingMatched || unwrapPage(next.body).results.length === 0;
}
