import {
	NodeApiError,
	NodeConnectionTypes,
	NodeOperationError,
	updateDisplayOptions,
} from 'n8n-workflow';
import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
	INodeTypeDescription,
} from 'n8n-workflow';

import { asNodeError } from './errors';
import type { Runtime } from './runtime';
import { ProviderClient } from './transport';
import type { ProviderSpec } from './transport';

/**
 * An action node is a list of resources, each a list of operations. An operation is
 * one file (its fields and its `execute` for one item); the resource file lists
 * them; the node file lists the resources. Everything else (the operation pickers,
 * the item loop, pairing, the error policy, the provider client) is built here.
 */

/** One operation on one input item: returns the item's results (none, one or many). */
export type ItemOperation = (
	this: IExecuteFunctions,
	itemIndex: number,
	client: ProviderClient,
) => Promise<IDataObject | IDataObject[]>;

export interface Operation {
	/** As shown in the picker, e.g. "Get Many". */
	name: string;
	value: string;
	/** The action's title in n8n's node creator and for AI agents, e.g. "Get many callbacks". */
	action: string;
	description: string;
	/** The operation's own fields (shown for this resource and operation only). */
	properties: INodeProperties[];
	execute: ItemOperation;
	/** JSON Schema of one output item with Simplify on, shown by the editor before a run. */
	outputSchema?: IDataObject;
}

export interface Resource {
	name: string;
	value: string;
	defaultOperation: string;
	operations: Operation[];
}

export const OPERATION_SUBTITLE = '={{$parameter["operation"] + ": " + $parameter["resource"]}}';

/** The parts of an action node's description that follow from its provider and resources. */
export function actionDescription(
	spec: ProviderSpec,
	resources: Resource[],
): Omit<INodeTypeDescription, 'displayName' | 'name' | 'icon' | 'subtitle' | 'description'> {
	return {
		group: ['transform'],
		version: 1,
		defaults: { name: spec.displayName },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: spec.credentialType, required: true }],
		properties: resourceProperties(resources),
	};
}

/** The Resource picker, one Operation picker per resource, and every operation's fields. */
export function resourceProperties(resources: Resource[]): INodeProperties[] {
	const firstResource = resources[0].value;
	const pickers: INodeProperties[] = [
		{
			displayName: 'Resource',
			name: 'resource',
			type: 'options',
			noDataExpression: true,
			options: resources.map(({ name, value }) => ({ name, value })),
			default: firstResource,
		},
	];
	const fields: INodeProperties[] = [];
	for (const resource of resources) {
		const defaultOperation = resource.defaultOperation;
		pickers.push({
			displayName: 'Operation',
			name: 'operation',
			type: 'options',
			noDataExpression: true,
			displayOptions: { show: { resource: [resource.value] } },
			options: [...resource.operations]
				.sort((a, b) => a.name.localeCompare(b.name))
				.map(({ name, value, action, description }) => ({ name, value, action, description })),
			default: defaultOperation,
		});
		for (const operation of resource.operations) {
			fields.push(
				...updateDisplayOptions(
					{ show: { resource: [resource.value], operation: [operation.value] } },
					operation.properties,
				),
			);
		}
	}
	return [...pickers, ...fields];
}

/** The `execute` of an action node: finds the chosen operation and runs it for each item. */
export function executeResources(resources: Resource[], spec: ProviderSpec, runtime: Runtime) {
	return async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const resource = this.getNodeParameter('resource', 0) as string;
		const operation = this.getNodeParameter('operation', 0) as string;
		const chosen = resources
			.find((r) => r.value === resource)
			?.operations.find((o) => o.value === operation);
		if (!chosen) {
			throw new NodeOperationError(
				this.getNode(),
				`The operation "${operation}" is not supported for resource "${resource}"`,
			);
		}
		const client = new ProviderClient(this, spec, runtime);
		return await runForEachItem.call(this, (itemIndex) =>
			chosen.execute.call(this, itemIndex, client),
		);
	};
}

/**
 * The one per-item loop of every action node: runs the operation for each input
 * item, pairs every output item with its input, and applies the error policy:
 * with "Continue On Fail" a failing item becomes an error item and the rest go on;
 * without it the first failure stops the node with an error naming the item.
 */
export async function runForEachItem(
	this: IExecuteFunctions,
	operation: (itemIndex: number) => Promise<IDataObject | IDataObject[]>,
): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const output: INodeExecutionData[] = [];
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		try {
			const result = await operation(itemIndex);
			const executionData = this.helpers.constructExecutionMetaData(
				this.helpers.returnJsonArray(result),
				{ itemData: { item: itemIndex } },
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
