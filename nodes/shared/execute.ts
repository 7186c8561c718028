import { NodeApiError, NodeOperationError } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions, INodeExecutionData, JsonObject } from 'n8n-workflow';

import { InputError, inputErrorToNodeError } from './errors';

/** One operation on one input item: returns the item's results (none, one or many). */
export type ItemOperation = (this: IExecuteFunctions, itemIndex: number) => Promise<IDataObject | IDataObject[]>;

/**
 * The one per-item loop of every action node: runs the operation for each input
 * item, pairs every output item with its input, and applies the error policy:
 * with "Continue On Fail" a failing item becomes an error item and the rest go on;
 * without it the first failure stops the node with an error naming the item.
 */
export async function runForEachItem(this: IExecuteFunctions, operation: ItemOperation): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const output: INodeExecutionData[] = [];
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		try {
			const result = await operation.call(this, itemIndex);
			const executionData = this.helpers.constructExecutionMetaData(this.helpers.returnJsonArray(result), {
				itemData: { item: itemIndex },
			});
			for (const entry of executionData) output.push(entry);
		} catch (error) {
			const nodeError = asNodeError(this, error, itemIndex);
			if (!this.continueOnFail()) throw nodeError;
			const json: IDataObject = { error: nodeError.message };
			if (nodeError.description) json.description = nodeError.description;
			if (nodeError instanceof NodeApiError) {
				if (nodeError.httpCode) json.httpCode = nodeError.httpCode;
				if (nodeError.context.providerCode !== undefined) json.code = nodeError.context.providerCode as string;
			}
			output.push({ json, pairedItem: { item: itemIndex } });
		}
	}
	return [output];
}

function asNodeError(ctx: IExecuteFunctions, error: unknown, itemIndex: number): NodeApiError | NodeOperationError {
	if (error instanceof InputError) return inputErrorToNodeError(ctx.getNode(), error, itemIndex);
	if (error instanceof NodeApiError || error instanceof NodeOperationError) {
		error.context.itemIndex = itemIndex;
		return error;
	}
	return new NodeOperationError(ctx.getNode(), error as JsonObject, { itemIndex });
}
