import type { IDataObject } from 'n8n-workflow';

import { WHOLE_LISTING_EVERY_MS } from '../shared/poll';
import type { PollCandidate, PollSource } from '../shared/poll';
import { toE164 } from '../shared/callback';
import { isoToMs } from '../shared/time';
import type { TriggerAdapter } from '../shared/trigger';
import {
	normalizeTalkdeskCallback,
	TALKDESK_PENDING_STATUSES,
	talkdeskScheduledAt,
	talkdeskStatus,
} from './normalize';
import { callbackPages, filterOptions, readFilters } from './search';
import { talkdeskSpec } from './transport';

const DAY_MS = 86_400_000;
const startOfUtcDay = (ms: number) => ms - (((ms % DAY_MS) + DAY_MS) % DAY_MS);

/**
 * What the last whole 'new' listing saw. Between whole listings, one one-row request
 * tells whether anything can be new: the listing's total, unchanged, means nothing was
 * created (its window does not move until the next whole listing, so only a deletion
 * takes a callback out). A creation that a deletion hides from the total is caught by
 * the next whole listing, within WHOLE_LISTING_EVERY_MS (the window floor stays put).
 */
interface TalkdeskNewMemo {
	total: number;
	startTime: string;
	at: number;
}

/** Where a listing goes on: the next page number. */
interface TalkdeskResume {
	page: number;
}

/** The trigger picks statuses and times itself; the other Get Many filters apply as they are. */
const triggerFilters = filterOptions(false).filter((option) => option.name !== 'statuses');

/**
 * Talkdesk Trigger: candidates from the schedule-callbacks list, which filters by
 * next time to call (not by creation). New callbacks are those ringing from a day
 * before the window floor on; due ones are still to ring (Unattempted or To Be
 * Retried) with a next time to call inside the window since the last poll.
 */
export const talkdeskTrigger: TriggerAdapter = {
	displayName: 'Talkdesk',
	summary:
		'Find, schedule, reschedule, cancel and dispatch Talkdesk callbacks, and start workflows when one is created or falls due',
	spec: talkdeskSpec,
	filterProperties: [
		{
			displayName: 'Filters',
			name: 'filters',
			type: 'collection',
			placeholder: 'Add Filter',
			default: {},
			description: 'Applied by Talkdesk, on the server',
			options: triggerFilters,
		},
	],

	readFilters(ctx) {
		return readFilters(ctx.getNodeParameter('filters', {}) as IDataObject, ctx.getTimezone());
	},

	async source(client, filters, simplify): Promise<PollSource> {
		return async function* (query) {
			const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
			const window: IDataObject =
				query.event === 'new'
					? // A new callback rings at or after its creation: from the UTC day before the
						// floor's on (a whole day, so the window, and its total, stay put for a day).
						{ start_time: iso(startOfUtcDay((query.fromMs ?? query.toMs) - DAY_MS)) }
					: {
							status: TALKDESK_PENDING_STATUSES.join(','),
							...(query.fromMs !== null && { start_time: iso(query.fromMs + query.leadMs) }),
							end_time: iso(query.toMs + query.leadMs),
						};
			const memo = query.memo as TalkdeskNewMemo | undefined;
			const listing = { ...filters, ...window };
			if (
				query.event === 'new' &&
				query.resume === undefined &&
				memo !== undefined &&
				memo.startTime === window.start_time &&
				query.toMs - memo.at < WHOLE_LISTING_EVERY_MS
			) {
				const { value: probe } = await callbackPages(client, listing, { maxItems: 1 }).next();
				if (probe && probe.total === memo.total) {
					yield { candidates: [] };
					return;
				}
			}
			const firstPage = (query.resume as TalkdeskResume | undefined)?.page ?? 1;
			for await (const page of callbackPages(client, listing, { maxItems: Infinity, firstPage })) {
				// Only times and status are read for every candidate; the full item only for emissions.
				const candidates = page.items.map(
					(record): PollCandidate => ({
						key: String(record.id ?? record.callback_id),
						createdAtMs: isoToMs(record.created_at),
						// A retried callback has a new next time to call: it falls due again then, once.
						scheduledAtMs: isoToMs(talkdeskScheduledAt(record)),
						status: talkdeskStatus(record.status),
						callee: () => ({
							phone: toE164(record.phone_number),
							zone: typeof record.timezone === 'string' ? record.timezone : null,
						}),
						toItem: () =>
							simplify ? { ...normalizeTalkdeskCallback(record, client.runtime.now()) } : record,
					}),
				);
				const more = page.totalPages === undefined ? false : page.page < page.totalPages;
				const resume: TalkdeskResume = { page: page.page + 1 };
				const whole = !more && query.event === 'new' && query.resume === undefined;
				yield {
					candidates,
					resume: more ? { ...resume } : undefined,
					...(whole &&
						page.total !== undefined && {
							memo: {
								total: page.total,
								startTime: String(window.start_time),
								at: query.toMs,
							} satisfies TalkdeskNewMemo,
						}),
				};
			}
		};
	},
};
