import { NodeApiError, NodeOperationError } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { asNodeError } from './errors';

/** One operation on one input item: returns the item's results (none, one or many). */
export type ItemOperation = (
	this: IExecuteFunctions,
	itemIndex: number,
) => Promise<IDataObject | IDataObject[]>;

/** resource → operation → the module that implements it. */
export type OperationMap = Record<string, Record<string, { execute: ItemOperation }>>;

/** Finds the operation chosen in the node (resource and operation) and runs it for each item. */
export async function runSelectedOperation(
	this: IExecuteFunctions,
	operations: OperationMap,
): Promise<INodeExecutionData[][]> {
	const resource = this.getNodeParameter('resource', 0) as string;
	const operation = this.getNodeParameter('operation', 0) as string;
	const handler = operations[resource]?.[operation];
	if (!handler) {
		throw new NodeOperationError(
			this.getNode(),
			`The operation "${operation}" is not supported for resource "${resource}"`,
		);
	}
	return await runForEachItem.call(this, handler.execute);
}

/**
 * The one per-item loop of every action node: runs the operation for each input
 * item, pairs every output item with its input, and applies the error policy:
 * with "Continue On Fail" a failing item becomes an error item and the rest go on;
 * without it the first failure stops the node with an error naming the item.
 */
export async function runForEachItem(
	this: IExecuteFunctions,
	operation: ItemOperation,
): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const output: INodeExecutionData[] = [];
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		try {
			const result = await operation.call(this, itemIndex);
			const executionData = this.helpers.constructExecutionMetaData(
				this.helpers.returnJsonArray(result),
				{
					itemData: { item: itemIndex },
				},
			);
			for (const entry of executionData) output.push(entry);
		} catch (error) {
			const nodeError = asNodeError(this.getNode(), error, itemIndex);
			if (!this.continueOnFail()) throw nodeError;
			const json: IDataObject = { error: nodeError.message };
			if (nodeError.description) json.description = nodeError.description;
			if (nodeError instanceof NodeApiError) {
				if (nodeError.httpCode) json.httpCode = nodeError.httpCode;
				if (nodeError.context.providerCode !== undefined)
					json.code = nodeError.context.providerCode as string;
			}
			output.push({ json, pairedItem: { item: itemIndex } });
		}
	}
	return [output];
}
