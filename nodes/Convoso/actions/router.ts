import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { runSelectedOperation } from '../../shared/execute';
import type { OperationMap } from '../../shared/execute';
import * as createCallback from './callback/create.operation';
import * as deleteCallback from './callback/delete.operation';
import * as dismissCallback from './callback/dismiss.operation';
import * as getCallback from './callback/get.operation';
import * as searchCallbacks from './callback/search.operation';
import * as updateCallback from './callback/update.operation';
import * as searchLeads from './lead/search.operation';

const operations: OperationMap = {
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
	return await runSelectedOperation.call(this, operations);
}
