import { DateTime } from 'luxon';
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
import { isoToMs, localTextToIsoUtc } from '../shared/time';
import { readPollOptions, triggerProperties } from '../shared/trigger';
import { optionalPositiveInteger, requireOneOf } from '../shared/validate';
import { STAGES } from './actions/callback/search.operation';
import { getAccount } from './actions/common';
import { convosoStatus, normalizeConvosoCallback } from './normalize';
import type { ConvosoAccount } from './normalize';
import { CALLBACK_PAGE_SIZE, callbackPages } from './search';

const PENDING = ['scheduled', 'past_due'];

/** Starts a workflow when a Convoso callback is created or falls due. */
export class ConvosoTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Convoso Trigger',
		name: 'convosoTrigger',
		icon: { light: 'file:../../icons/convoso.svg', dark: 'file:../../icons/convoso.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{$parameter["event"] === "new" ? "New callback" : "Callback due"}}',
		description: 'Starts the workflow when a Convoso callback is created or falls due',
		defaults: { name: 'Convoso Trigger' },
		polling: true,
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'convosoApi', required: true }],
		properties: triggerProperties('Convoso', [
			{
				displayName: 'Filters',
				name: 'filters',
				type: 'collection',
				placeholder: 'Add Filter',
				default: {},
				description: 'Applied by Convoso, on the server',
				options: [
					{ displayName: 'Campaign ID', name: 'campaignId', type: 'string', default: '' },
					{ displayName: 'List ID', name: 'listId', type: 'string', default: '' },
					{
						displayName: 'Recipient',
						name: 'recipient',
						type: 'options',
						options: [
							{ name: 'System', value: 'System' },
							{ name: 'Personal', value: 'Personal' },
						],
						default: 'System',
					},
					{
						displayName: 'Stage',
						name: 'stage',
						type: 'options',
						options: STAGES.map((stage) => ({
							name: stage.charAt(0) + stage.slice(1).toLowerCase().replace('_', ' '),
							value: stage,
						})),
						default: 'PENDING',
					},
					{ displayName: 'User ID', name: 'userId', type: 'string', default: '' },
				],
			},
		]),
	};

	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		try {
			return await pollConvoso.call(this);
		} catch (error) {
			throw asNodeError(this.getNode(), error);
		}
	}
}

async function pollConvoso(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
	const raw = this.getNodeParameter('filters', {}) as IDataObject;
	const filters: IDataObject = {
		campaign_id: optionalPositiveInteger(raw.campaignId, 'Campaign ID'),
		list_id: optionalPositiveInteger(raw.listId, 'List ID'),
		user_id: optionalPositiveInteger(raw.userId, 'User ID'),
		recipient: raw.recipient
			? requireOneOf(raw.recipient, ['System', 'Personal'], 'Recipient')
			: undefined,
		stage: raw.stage ? requireOneOf(raw.stage, STAGES, 'Stage') : undefined,
	};
	const options = readPollOptions.call(this, filters);
	const account = await getAccount.call(this);
	return await pollCallbacks.call(
		this,
		convosoSource(this, filters, account, options.simplify),
		options,
	);
}

/**
 * Candidates from Convoso's search, whose dates select by callback time: new
 * callbacks are scheduled from now on (from yesterday, to be safe); due ones
 * between the window floor and now plus the lead time.
 */
function convosoSource(
	ctx: IPollFunctions,
	filters: IDataObject,
	account: ConvosoAccount,
	simplify: boolean,
): PollSource {
	const accountDate = (ms: number) =>
		DateTime.fromMillis(ms, { zone: account.timezone }).toISODate()!;
	return async function* (query: PollQuery) {
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
		for await (const page of callbackPages(
			ctx,
			{ ...filters, ...window },
			Infinity,
			0,
			query.startPage * CALLBACK_PAGE_SIZE,
		)) {
			// Only times and status are read for every candidate; the full item only for emissions.
			yield page.map(
				(record): PollCandidate => ({
					key: String(record.id),
					createdAtMs: isoToMs(localTextToIsoUtc(record.created_at, account.timezone)),
					scheduledAtMs: isoToMs(localTextToIsoUtc(record.callback_time, account.timezone)),
					pending: PENDING.includes(convosoStatus(record)),
					toItem: () => (simplify ? { ...normalizeConvosoCallback(record, account) } : record),
				}),
			);
		}
	};
}
