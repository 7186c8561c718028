import type { IDataObject, INodeProperties, IPollFunctions } from 'n8n-workflow';

import { simplifyField } from './descriptions';
import type { PollOptions } from './poll';

/** The parameters every callback trigger has, around its provider's filters. */
export function triggerProperties(provider: string, filters: INodeProperties[]): INodeProperties[] {
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
		...filters,
		simplifyField(provider),
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
export function readPollOptions(
	this: IPollFunctions,
	filters: IDataObject,
): PollOptions & { simplify: boolean } {
	const event = this.getNodeParameter('event', 'due') as 'new' | 'due';
	const minutesBefore = event === 'due' ? Number(this.getNodeParameter('minutesBefore', 0)) : 0;
	const options = this.getNodeParameter('options', {}) as IDataObject;
	return {
		event,
		minutesBefore: Number.isFinite(minutesBefore) ? minutesBefore : 0,
		includeExisting: options.includeExisting === true,
		simplify: this.getNodeParameter('simplify', true) as boolean,
		// A change of what matches starts a new baseline instead of a flood or a gap.
		filterKey: JSON.stringify({ event, minutesBefore, filters }),
	};
}
