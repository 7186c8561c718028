import { NodeConnectionTypes } from 'n8n-workflow';
import type {
	IDataObject,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
	IPollFunctions,
} from 'n8n-workflow';

import { asNodeError } from '../shared/errors';
import { pollCallbacks } from '../shared/poll';
import type { PollCandidate, PollQuery, PollSource } from '../shared/poll';
import { isoToMs } from '../shared/time';
import { readPollOptions, triggerProperties } from '../shared/trigger';
import { optionalText } from '../shared/validate';
import { SPEKO_PAGE_MAX } from './actions/callback/getMany.operation';
import { normalizeSpekoCallback, SPEKO_STATUSES } from './normalize';
import { spekoRequest } from './transport';

/** Statuses in which a callback may still fall due: Speko places the call itself at its time. */
const PENDING_STATUSES = ['scheduled', 'dispatching'];

/** Starts a workflow when a Speko callback is created or falls due. */
export class SpekoTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Speko Trigger',
		name: 'spekoTrigger',
		icon: { light: 'file:../../icons/speko.svg', dark: 'file:../../icons/speko.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{$parameter["event"] === "new" ? "New callback" : "Callback due"}}',
		description: 'Starts the workflow when a Speko callback is created or falls due',
		defaults: { name: 'Speko Trigger' },
		polling: true,
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'spekoApi', required: true }],
		properties: triggerProperties('Speko', [
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
		]),
	};

	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		try {
			const sourceSessionId = optionalText(this.getNodeParameter('sourceSessionId', ''));
			const options = readPollOptions.call(this, { sourceSessionId });
			return await pollCallbacks.call(
				this,
				spekoSource(this, sourceSessionId, options.simplify),
				options,
			);
		} catch (error) {
			throw asNodeError(this.getNode(), error);
		}
	}
}

/**
 * Candidates from Speko's list, one request per status that matters: every status
 * for new callbacks (one may be dispatched or cancelled before the next poll), the
 * pending ones for due callbacks.
 */
function spekoSource(
	ctx: IPollFunctions,
	sourceSessionId: string | undefined,
	simplify: boolean,
): PollSource {
	return async function* (query: PollQuery) {
		const statuses = query.event === 'new' ? SPEKO_STATUSES : PENDING_STATUSES;
		// One status is one page: a resumed listing skips those already read.
		for (const status of statuses.slice(query.startPage)) {
			const body = await spekoRequest(ctx, {
				method: 'GET',
				path: '/v1/callbacks',
				qs: { status, source_session_id: sourceSessionId, limit: SPEKO_PAGE_MAX },
				idempotent: true,
			});
			const records = Array.isArray(body.callbacks) ? (body.callbacks as IDataObject[]) : [];
			if (records.length >= SPEKO_PAGE_MAX) {
				ctx.logger.warn(
					`Speko Trigger: Speko listed the maximum ${SPEKO_PAGE_MAX} "${status}" callbacks; more may exist and stay out of view until these change status`,
				);
			}
			yield records.map(
				(record): PollCandidate => ({
					key: String(record.id),
					createdAtMs: isoToMs(record.created_at),
					scheduledAtMs: isoToMs(record.scheduled_at),
					pending: PENDING_STATUSES.includes(String(record.status)),
					toItem: () => (simplify ? { ...normalizeSpekoCallback(record) } : record),
				}),
			);
		}
	};
}
