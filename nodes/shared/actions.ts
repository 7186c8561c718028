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

import { asNodeError, InputError } from './errors';
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
	/**
	 * Items may run at the same time (a Concurrent Requests field is added): for
	 * operations whose items are independent of each other. Never for one that places
	 * a call now, so a failure stops the calls that have not started.
	 */
	concurrent?: boolean;
}

/** How many items at once by default: a few, well inside every provider's rate limit. */
export const DEFAULT_CONCURRENCY = 4;
const MAX_CONCURRENCY = 16;

/** The Concurrent Requests field: input items at once, or (for a listing) pages at once. */
export function concurrencyField(provider: string, unit: 'items' | 'pages'): INodeProperties {
	return {
		displayName: 'Concurrent Requests',
		name: 'concurrency',
		type: 'number',
		typeOptions: { minValue: 1, maxValue: MAX_CONCURRENCY, numberPrecision: 0 },
		default: DEFAULT_CONCURRENCY,
		description:
			unit === 'items'
				? `How many input items are sent to ${provider} at the same time (1: one after another). The output keeps the input's order; a rate limit slows all of them down.`
				: `How many pages are asked of ${provider} at the same time once the first page has told the total (1: one after another). The output keeps ${provider}'s order; a rate limit slows all of them down.`,
	};
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
		properties: resourceProperties(resources, spec.displayName),
	};
}

/** The Resource picker, one Operation picker per resource, and every operation's fields. */
export function resourceProperties(resources: Resource[], provider: string): INodeProperties[] {
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
					operation.concurrent
						? [...operation.properties, concurrencyField(provider, 'items')]
						: operation.properties,
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
		const concurrency = chosen.concurrent ? readConcurrency(this) : 1;
		return await runForEachItem.call(
			this,
			(itemIndex) => chosen.execute.call(this, itemIndex, client),
			concurrency,
		);
	};
}

/** The Concurrent Requests field, checked. */
export function readConcurrency(ctx: IExecuteFunctions, itemIndex = 0): number {
	const value = ctx.getNodeParameter('concurrency', itemIndex, DEFAULT_CONCURRENCY);
	if (!Number.isInteger(value) || (value as number) < 1 || (value as number) > MAX_CONCURRENCY)
		throw new InputError(
			'Concurrent Requests',
			value,
			`a whole number from 1 to ${MAX_CONCURRENCY}`,
		);
	return value as number;
}

/**
 * The one per-item loop of every action node: runs the operation for each input
 * item (up to `concurrency` at once), pairs every output item with its input, in the
 * input's order, and applies the error policy: with "Continue On Fail" a failing item
 * becomes an error item and the rest go on; without it the first failure stops the
 * node with an error naming the item. No item starts after a failure; items already
 * running finish, and the error lists those after the failed one that were carried
 * out, so nobody runs them twice.
 */
export async function runForEachItem(
	this: IExecuteFunctions,
	operation: (itemIndex: number) => Promise<IDataObject | IDataObject[]>,
	concurrency = 1,
): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const results: INodeExecutionData[][] = new Array(items.length);
	const done: boolean[] = new Array(items.length).fill(false);
	// Without Continue On Fail: the items that failed (the lowest index is reported).
	const failures: Array<{ itemIndex: number; error: NodeApiError | NodeOperationError }> = [];
	let next = 0;
	const runItems = async (atMost = Infinity) => {
		for (let run = 0; run < atMost && failures.length === 0 && next < items.length; run++) {
			const itemIndex = next++;
			try {
				const result = await operation(itemIndex);
				// What returnJsonArray and constructExecutionMetaData make, in one pass
				// without their copies (a listing returns tens of thousands of records).
				// The items of one input share its pairing: n8n reads it and never changes it.
				const pairedItem = { item: itemIndex };
				results[itemIndex] = Array.isArray(result)
					? result.map((json) => ({ json, pairedItem }))
					: [{ json: result, pairedItem }];
				done[itemIndex] = true;
			} catch (error) {
				const nodeError = asNodeError(this.getNode(), error, itemIndex);
				if (this.continueOnFail()) {
					results[itemIndex] = [{ json: errorItem(nodeError), pairedItem: { item: itemIndex } }];
				} else {
					failures.push({ itemIndex, error: nodeError });
				}
			}
		}
	};
	// The first item runs alone: the token it fetches (or the session it opens) is
	// then shared by the others instead of each of them fetching one.
	if (concurrency > 1) await runItems(1);
	await Promise.all(
		Array.from({ length: Math.max(1, Math.min(concurrency, items.length)) }, () => runItems()),
	);
	const [failure] = failures.sort((a, b) => a.itemIndex - b.itemIndex);
	if (failure) {
		const after = done.flatMap((ok, index) => (ok && index > failure.itemIndex ? [index] : []));
		const error = after.length ? withCarriedOut(failure.error, after) : failure.error;
		throw runsAsTool(this) ? forAgent(error) : error;
	}
	// One input item (a listing): its items as they are, not copied into a new array.
	return [results.length === 1 ? results[0] : results.flat()];
}

function errorItem(nodeError: NodeApiError | NodeOperationError): IDataObject {
	const json: IDataObject = { error: nodeError.message };
	if (nodeError.description) json.description = nodeError.description;
	if (nodeError instanceof NodeApiError) {
		if (nodeError.httpCode) json.httpCode = nodeError.httpCode;
		if (nodeError.context.providerCode !== undefined)
			json.code = nodeError.context.providerCode as string;
	}
	return json;
}

/** Items after the failed one ran at the same time and succeeded: the user must know. */
function withCarriedOut<T extends NodeApiError | NodeOperationError>(error: T, items: number[]): T {
	const list =
		items.length > 10
			? `${items.slice(0, 10).join(', ')} and ${items.length - 10} more`
			: items.join(', ');
	error.description =
		`${error.description ?? ''} Items ${list} (0-based), sent at the same time, were carried out: leave them out before running again.`.trim();
	return error;
}

/** Whether the node runs as an AI agent's tool (n8n gives tool variants the type `<node>Tool`). */
function runsAsTool(ctx: IExecuteFunctions): boolean {
	return /Tool$/.test(ctx.getNode().type);
}

/**
 * An AI agent is told only the message of a tool's error, not its description. For
 * a tool run, the description (what was or was not sent, what to change) is added to
 * the message, as n8n's own tool wrapper words it, so that the agent can act on it.
 */
function forAgent<T extends NodeApiError | NodeOperationError>(error: T): T {
	const { description } = error;
	if (!description || error.message.includes(description)) return error;
	// Bad input: the message already names the field, the value and what is expected.
	const expected = /^Field '.+' must be (.+)\.$/s.exec(description)?.[1];
	if (expected !== undefined && error.message.includes(expected)) return error;
	error.message = `${error.message}\n\nDetails: ${description}`;
	return error;
}
