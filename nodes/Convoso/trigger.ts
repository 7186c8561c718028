import { DateTime } from 'luxon';
import type { IDataObject } from 'n8n-workflow';

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
import { convosoSpec } from './transport';

/** Where a listing goes on: the offset of the next page. */
interface ConvosoResume {
	offset: number;
}

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
			let offset = (query.resume as ConvosoResume | undefined)?.offset ?? 0;
			for await (const page of callbackPages(
				client,
				{ ...filters, ...window },
				Infinity,
				0,
				offset,
			)) {
				offset += page.length;
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
				yield {
					candidates,
					resume: page.length === CALLBACK_PAGE_SIZE ? { ...resume } : undefined,
				};
			}
		};
	},
};
