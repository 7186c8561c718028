import type { IDataObject } from 'n8n-workflow';

import type { PollCandidate, PollSource } from '../shared/poll';
import { toE164 } from '../shared/callback';
import { isoToMs } from '../shared/time';
import type { TriggerAdapter } from '../shared/trigger';
import { optionalText } from '../shared/validate';
import { SPEKO_PAGE_MAX } from './actions/callback/getMany.operation';
import {
	normalizeSpekoCallback,
	SPEKO_PENDING_STATUSES,
	SPEKO_STATUSES,
	spekoStatus,
} from './normalize';
import { spekoSpec } from './transport';

/** Where a listing goes on: the index of the next status to list. */
interface SpekoResume {
	status: number;
}

/**
 * Speko Trigger: candidates from Speko's list, one request per status that matters:
 * every status for new callbacks (one may be dispatched or cancelled before the next
 * poll), the pending ones for due callbacks.
 */
export const spekoTrigger: TriggerAdapter = {
	displayName: 'Speko',
	summary:
		'List, inspect, cancel and dispatch Speko callbacks, and start workflows when one is created or falls due',
	spec: spekoSpec,
	filterProperties: [
		{
			displayName:
				'Speko lists at most 100 callbacks per status and has no paging: on very busy accounts, filter by Source Session ID.',
			name: 'limitNotice',
			type: 'notice',
			default: '',
		},
		{
			displayName: 'Source Session ID',
			name: 'sourceSessionId',
			type: 'string',
			default: '',
			description:
				'Only callbacks created from this call session (applied by Speko, on the server)',
		},
	],

	readFilters(ctx) {
		return { sourceSessionId: optionalText(ctx.getNodeParameter('sourceSessionId', '')) };
	},

	async source(client, filters, simplify): Promise<PollSource> {
		return async function* (query) {
			const statuses = query.event === 'new' ? SPEKO_STATUSES : SPEKO_PENDING_STATUSES;
			const first = (query.resume as SpekoResume | undefined)?.status ?? 0;
			for (let index = first; index < statuses.length; index++) {
				const status = statuses[index];
				const body = await client.body({
					method: 'GET',
					url: '/v1/callbacks',
					qs: { status, source_session_id: filters.sourceSessionId, limit: SPEKO_PAGE_MAX },
					idempotent: true,
				});
				const records = Array.isArray(body.callbacks) ? (body.callbacks as IDataObject[]) : [];
				if (records.length >= SPEKO_PAGE_MAX) {
					client.ctx.logger.warn(
						`Speko Trigger: Speko listed the maximum ${SPEKO_PAGE_MAX} "${status}" callbacks; more may exist and stay out of view until these change status`,
					);
				}
				const candidates = records.map(
					(record): PollCandidate => ({
						key: String(record.id),
						createdAtMs: isoToMs(record.created_at),
						scheduledAtMs: isoToMs(record.scheduled_at),
						status: spekoStatus(record.status),
						callee: () => ({ phone: toE164(record.to_number) }),
						toItem: () =>
							simplify ? { ...normalizeSpekoCallback(record, client.runtime.now()) } : record,
					}),
				);
				const next: SpekoResume = { status: index + 1 };
				yield { candidates, resume: index + 1 < statuses.length ? { ...next } : undefined };
			}
		};
	},
};
