import { NodeConnectionTypes } from 'n8n-workflow';
import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';

import { router } from './actions/router';
import * as createCallback from './actions/callback/create.operation';
import * as deleteCallback from './actions/callback/delete.operation';
import * as dismissCallback from './actions/callback/dismiss.operation';
import * as getCallback from './actions/callback/get.operation';
import * as searchCallbacks from './actions/callback/search.operation';
import * as updateCallback from './actions/callback/update.operation';
import * as searchLeads from './actions/lead/search.operation';

/** Convoso callbacks and leads. Each operation lives in its own file under actions/. */
export class Convoso implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Convoso',
		name: 'convoso',
		icon: { light: 'file:../../icons/convoso.svg', dark: 'file:../../icons/convoso.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description:
			'Search, schedule, reschedule, dismiss and delete Convoso callbacks, and find leads',
		defaults: { name: 'Convoso' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'convosoApi', required: true }],
		properties: [
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: [
					{ name: 'Callback', value: 'callback' },
					{ name: 'Lead', value: 'lead' },
				],
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
						name: 'Create',
						value: 'create',
						action: 'Schedule a callback',
						description: 'Schedule a callback for a lead at a time in a given time zone',
					},
					{
						name: 'Delete',
						value: 'delete',
						action: 'Delete a callback',
						description: 'Delete a callback permanently',
					},
					{
						name: 'Dismiss',
						value: 'dismiss',
						action: 'Dismiss a callback',
						description: 'Mark a callback as dismissed so it is not dialed (it stays on record)',
					},
					{
						name: 'Get',
						value: 'get',
						action: 'Get a callback',
						description: 'Get one callback by its ID',
					},
					{
						name: 'Search',
						value: 'search',
						action: 'Search callbacks',
						description:
							'Get many callbacks, filtered by date, campaign, lead, list, user, stage and more',
					},
					{
						name: 'Update',
						value: 'update',
						action: 'Update or reschedule a callback',
						description: 'Reschedule a callback, reassign it, or change its recipient or comments',
					},
				],
				default: 'search',
			},
			{
				displayName: 'Operation',
				name: 'operation',
				type: 'options',
				noDataExpression: true,
				displayOptions: { show: { resource: ['lead'] } },
				options: [
					{
						name: 'Search',
						value: 'search',
						action: 'Search leads',
						description:
							'Find leads by phone number, name, email, list and more (to get the lead ID a callback needs)',
					},
				],
				default: 'search',
			},
			...searchCallbacks.description,
			...getCallback.description,
			...createCallback.description,
			...updateCallback.description,
			...dismissCallback.description,
			...deleteCallback.description,
			...searchLeads.description,
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
