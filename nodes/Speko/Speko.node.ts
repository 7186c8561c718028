import { NodeConnectionTypes } from 'n8n-workflow';
import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';

import * as cancelCallback from './actions/callback/cancel.operation';
import * as dispatchCallback from './actions/callback/dispatch.operation';
import * as getCallback from './actions/callback/get.operation';
import * as getManyCallbacks from './actions/callback/getMany.operation';
import { router } from './actions/router';

/** Speko scheduled callbacks (created by Speko's post-call analysis). */
export class Speko implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Speko',
		name: 'speko',
		icon: { light: 'file:../../icons/speko.svg', dark: 'file:../../icons/speko.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description: 'List, inspect, cancel and dispatch Speko scheduled callbacks',
		defaults: { name: 'Speko' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'spekoApi', required: true }],
		properties: [
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: [{ name: 'Callback', value: 'callback' }],
				default: 'callback',
			},
			{
				displayName: 'Operation',
				name: 'operation',
				type: 'options',
				noDataExpression: true,
				displayOptions: { show: { resource: ['callback'] } },
				options: [
					{
						name: 'Cancel',
						value: 'cancel',
						action: 'Cancel a callback',
						description: 'Cancel a scheduled callback, with an optional reason',
					},
					{
						name: 'Dispatch Now',
						value: 'dispatch',
						action: 'Dispatch a callback now',
						description:
							"Place the callback's phone call right away. This calls a real customer; only scheduled callbacks can be dispatched.",
					},
					{
						name: 'Get',
						value: 'get',
						action: 'Get a callback',
						description: 'Get one callback by its ID',
					},
					{
						name: 'Get Many',
						value: 'getMany',
						action: 'Get many callbacks',
						description:
							'List callbacks by status or source session (Speko lists at most 100 per request)',
					},
				],
				default: 'getMany',
			},
			...getManyCallbacks.description,
			...getCallback.description,
			...cancelCallback.description,
			...dispatchCallback.description,
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
