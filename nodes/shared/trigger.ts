import { NodeConnectionTypes } from 'n8n-workflow';
import type {
	IDataObject,
	INodeExecutionData,
	INodeProperties,
	INodeTypeDescription,
	IPollFunctions,
} from 'n8n-workflow';

import { callableAtFrom, callingHoursOptionsProperty } from './callingHoursGuard';
import { simplifyField } from './descriptions';
import { asNodeError } from './errors';
import { pollBudgetMs, pollCallbacks } from './poll';
import type { PollOptions, PollSource, ReleaseAt } from './poll';
import type { Runtime } from './runtime';
import { ProviderClient } from './transport';
import type { ProviderSpec } from './transport';

/**
 * What a provider tells the shared trigger: its filters and how to list candidates.
 * The trigger node (parameters, poll, error policy) is built from it.
 */
export interface TriggerAdapter {
	/** The provider's name as users know it. */
	displayName: string;
	/**
	 * What the package does with this provider, actions and trigger together: n8n shows
	 * the trigger's description on the provider's one entry in the node creator.
	 */
	summary: string;
	spec: ProviderSpec;
	/** Filters applied by the provider, shown between the event and Simplify. */
	filterProperties: INodeProperties[];
	/** Reads and checks the filters; their values also key the baseline. */
	readFilters(ctx: IPollFunctions): IDataObject;
	/** The candidates of one poll, as the poll engine reads them. */
	source(client: ProviderClient, filters: IDataObject, simplify: boolean): Promise<PollSource>;
}

/** The parts of a trigger's description that come from its adapter. */
export function triggerDescription(
	adapter: TriggerAdapter,
): Omit<INodeTypeDescription, 'displayName' | 'name' | 'icon' | 'subtitle' | 'inputs'> {
	return {
		group: ['trigger'],
		version: 1,
		description: adapter.summary,
		defaults: { name: `${adapter.displayName} Trigger` },
		polling: true,
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: adapter.spec.credentialType, required: true }],
		properties: triggerProperties(adapter.displayName, adapter.filterProperties),
	};
}

export const TRIGGER_SUBTITLE =
	'={{$parameter["event"] === "new" ? "New callback" : "Callback due"}}';

/** The `poll` of a trigger node. */
export function pollTrigger(adapter: TriggerAdapter, runtime: Runtime) {
	return async function poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		try {
			const filters = adapter.readFilters(this);
			const options = readPollOptions.call(this, filters);
			const client = new ProviderClient(this, adapter.spec, runtime);
			client.retryUntil = runtime.now() + pollBudgetMs(this);
			const source = await adapter.source(client, filters, options.simplify);
			return await pollCallbacks.call(this, source, options, runtime);
		} catch (error) {
			throw asNodeError(this.getNode(), error);
		}
	};
}

/** The parameters every callback trigger has, around its provider's filters. */
function triggerProperties(provider: string, filters: INodeProperties[]): INodeProperties[] {
	return [
		{
			displayName: 'Event',
			name: 'event',
			type: 'options',
			options: [
				{
					name: 'New Callback',
					value: 'new',
					description: `A callback was created in ${provider}`,
				},
				{
					name: 'Callback Due',
					value: 'due',
					description: "A callback's scheduled time has arrived",
				},
			],
			default: 'due',
		},
		{
			displayName: 'Minutes Before Due',
			name: 'minutesBefore',
			type: 'number',
			typeOptions: { minValue: 0, maxValue: 10_080 },
			default: 0,
			description:
				'Fire this many minutes ahead of the scheduled time, e.g. to remind the agent or text the customer',
			displayOptions: { show: { event: ['due'] } },
		},
		{
			displayName: 'Only Emit When Callable',
			name: 'onlyWhenCallable',
			type: 'boolean',
			default: false,
			description:
				"Whether to hold back a due callback while its callee is outside calling hours, and emit it once, when the callee's window opens",
			displayOptions: { show: { event: ['due'] } },
		},
		{
			...callingHoursOptionsProperty({ show: { event: ['due'], onlyWhenCallable: [true] } }),
			description:
				'The rules and the callee’s zone; see the README for the rules and their sources',
		},
		...filters,
		simplifyField(provider),
		{
			displayName:
				'Fetch Test Event shows the most recent matching callback of the last day, not a live event: once published, the trigger emits each new or due callback once.',
			name: 'testEventNotice',
			type: 'notice',
			default: '',
		},
		{
			displayName: 'Options',
			name: 'options',
			type: 'collection',
			placeholder: 'Add Option',
			default: {},
			options: [
				{
					displayName: 'Include Existing Callbacks on First Run',
					name: 'includeExisting',
					type: 'boolean',
					default: false,
					description:
						'Whether the first poll after activation emits the callbacks that already exist (New: the upcoming ones; Due: those already due). Off: activation only sets a baseline.',
				},
			],
		},
	];
}

/** Reads the common trigger parameters. `filters` are the provider's, already checked. */
function readPollOptions(
	this: IPollFunctions,
	filters: IDataObject,
): PollOptions & { simplify: boolean } {
	const event = this.getNodeParameter('event', 'due') as 'new' | 'due';
	const minutesBefore = event === 'due' ? Number(this.getNodeParameter('minutesBefore', 0)) : 0;
	const options = this.getNodeParameter('options', {}) as IDataObject;
	const callingHours =
		event === 'due' && this.getNodeParameter('onlyWhenCallable', false) === true
			? (this.getNodeParameter('callingHoursOptions', {}) as IDataObject)
			: undefined;
	return {
		event,
		minutesBefore: Number.isFinite(minutesBefore) ? minutesBefore : 0,
		includeExisting: options.includeExisting === true,
		simplify: this.getNodeParameter('simplify', true) as boolean,
		// A change of what matches starts a new baseline instead of a flood or a gap.
		filterKey: JSON.stringify({ event, minutesBefore, filters, callingHours }),
		releaseAt: callingHours && releaseWhenCallable(callingHours),
	};
}

/** "Only Emit When Callable": a due callback goes when its callee may be called. */
function releaseWhenCallable(callingHours: IDataObject): ReleaseAt {
	const callableAt = callableAtFrom(callingHours);
	return (candidate, dueMs) => {
		const callee = candidate.callee?.() ?? {};
		return callableAt({ timeMs: dueMs, phone: callee.phone, providerZone: callee.zone });
	};
}
