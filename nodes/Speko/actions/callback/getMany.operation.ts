import type { IDataObject, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { optionalText, requireLimit, requireOneOf } from '../../../shared/validate';
import type { ItemOperation } from '../../../shared/actions';
import { normalizeSpekoCallback, SPEKO_STATUSES } from '../../normalize';
import { simplifyField } from '../common';

/** Speko lists at most 100 callbacks per request and has no paging. */
export const SPEKO_PAGE_MAX = 100;

export const properties: INodeProperties[] = [
	{
		displayName:
			'Speko has no paging: one request returns at most 100 callbacks. For more, the node asks once per status (up to 500) and tells you when some could not be listed.',
		name: 'pagingNotice',
		type: 'notice',
		default: '',
	},
	{
		displayName: 'Status',
		name: 'status',
		type: 'options',
		options: [
			{ name: 'Any', value: 'any' },
			{ name: 'Cancelled', value: 'cancelled' },
			{ name: 'Dispatched', value: 'dispatched' },
			{ name: 'Dispatching', value: 'dispatching' },
			{ name: 'Failed', value: 'failed' },
			{ name: 'Scheduled', value: 'scheduled' },
		],
		default: 'scheduled',
		description:
			'Which callbacks to list, by Speko status: scheduled (still to ring), dispatching (being dialled), dispatched (called), cancelled, failed, or any',
	},
	{
		displayName: 'Source Session ID',
		name: 'sourceSessionId',
		type: 'string',
		default: '',
		description: 'Only callbacks created from this call session',
	},
	{
		displayName: 'Return All',
		name: 'returnAll',
		type: 'boolean',
		default: false,
		description: 'Whether to return all results or only up to a given limit',
	},
	{
		displayName: 'Limit',
		name: 'limit',
		type: 'number',
		typeOptions: { minValue: 1, maxValue: 500 },
		default: 50,
		description: 'Max number of results to return',
		displayOptions: { show: { returnAll: [false] } },
	},
	{
		displayName: 'If Not All Callbacks Can Be Listed',
		name: 'onIncomplete',
		type: 'options',
		options: [
			{
				name: 'Return Them With a Warning',
				value: 'warn',
				description:
					'Return what Speko listed, with a warning in the output naming the statuses that may have more',
			},
			{
				name: 'Fail',
				value: 'fail',
				description: 'Stop with an error naming the statuses that may have more',
			},
		],
		default: 'warn',
	},
	simplifyField,
];

export const execute: ItemOperation = async function (itemIndex, client) {
	const status = requireOneOf(
		this.getNodeParameter('status', itemIndex, 'any'),
		['any', ...SPEKO_STATUSES],
		'Status',
	);
	const sourceSessionId = optionalText(this.getNodeParameter('sourceSessionId', itemIndex, ''));
	const returnAll = this.getNodeParameter('returnAll', itemIndex, false) as boolean;
	const limit = returnAll
		? Infinity
		: requireLimit(
				this.getNodeParameter('limit', itemIndex, 50),
				'Limit',
				SPEKO_PAGE_MAX * SPEKO_STATUSES.length,
			);
	const onIncomplete = this.getNodeParameter('onIncomplete', itemIndex, 'warn') as string;
	const simplify = this.getNodeParameter('simplify', itemIndex, true) as boolean;

	// One request when it can hold the answer; otherwise one per status.
	const perStatus = status === 'any' && limit > SPEKO_PAGE_MAX;
	const statuses: Array<string | undefined> = perStatus
		? [...SPEKO_STATUSES]
		: [status === 'any' ? undefined : status];
	const requestLimit = Math.min(limit, SPEKO_PAGE_MAX);

	// The per-status lists are independent: asked for together, read in status order.
	const pages = await Promise.all(
		statuses.map(async (statusFilter) => {
			const body = await client.body(
				{
					method: 'GET',
					url: '/v1/callbacks',
					qs: { status: statusFilter, source_session_id: sourceSessionId, limit: requestLimit },
					idempotent: true,
				},
				itemIndex,
			);
			return Array.isArray(body.callbacks) ? (body.callbacks as IDataObject[]) : [];
		}),
	);
	const records = pages.flat();
	// A full page may hide more; the API offers no way to reach them.
	const mayHaveMore = statuses.flatMap((statusFilter, index) =>
		pages[index].length >= SPEKO_PAGE_MAX && limit > SPEKO_PAGE_MAX ? [statusFilter ?? 'any'] : [],
	);

	if (mayHaveMore.length > 0) {
		const message = `Speko may have more callbacks than it can list (status: ${mayHaveMore.join(', ')}): its API returns at most ${SPEKO_PAGE_MAX} per request and has no paging`;
		const hint =
			'Narrow the list with Source Session ID, or act on these callbacks (cancel or dispatch) so the rest come into view.';
		if (onIncomplete === 'fail')
			throw new NodeOperationError(this.getNode(), message, { itemIndex, description: hint });
		this.addExecutionHints({
			message: `${message}. ${hint}`,
			type: 'warning',
			location: 'outputPane',
		});
	}

	const selected = records.slice(0, limit === Infinity ? undefined : limit);
	return simplify
		? selected.map((record) => ({ ...normalizeSpekoCallback(record, client.runtime.now()) }))
		: selected;
};
