import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { runSelectedOperation } from '../../shared/execute';
import type { OperationMap } from '../../shared/execute';
import * as cancelCallback from './callback/cancel.operation';
import * as dispatchCallback from './callback/dispatch.operation';
import * as getCallback from './callback/get.operation';
import * as getManyCallbacks from './callback/getMany.operation';

const operations: OperationMap = {
	callback: {
		getMany: getManyCallbacks,
		get: getCallback,
		cancel: cancelCallback,
		dispatch: dispatchCallback,
	},
};

export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	return await runSelectedOperation.call(this, operations);
}
