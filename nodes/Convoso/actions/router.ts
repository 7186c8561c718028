import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { runForEachItem } from '../../shared/execute';
import type { ItemOperation } from '../../shared/execute';
import * as createCallback from './callback/create.operation';
import * as deleteCallback from './callback/delete.operation';
import * as dismissCallback from './callback/dismiss.operation';
import * as getCallback from './callback/get.operation';
import * as searchCallbacks from './callback/search.operation';
import * as updateCallback from './callback/update.operation';
import * as searchLeads from './lead/search.operation';

export const operations: Record<string, Record<string, { execute: ItemOperation }>> = {
	callback: {
		search: searchCallbacks,
		get: getCallback,
		create: createCallback,
		update: updateCallback,
		dismiss: dismissCallback,
		delete: deleteCallback,
	},
	lead: { search: searchLeads },
};

export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const resource = this.getNodeParameter('resource', 0) as string;
	const operation = this.getNodeParameter('operation', 0) as string;
	const handler = operations[resource]?.[operation];
	if (!handler) {
		throw new NodeOperationError(this.getNode(), `The operation "${operation}" is not supported for resource "${resource}"`);
	}
	return await runForEachItem.call(this, handler.execute);
}
