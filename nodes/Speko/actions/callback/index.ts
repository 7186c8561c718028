import type { Resource } from '../../../shared/actions';
import { callbackSchema } from '../../../shared/outputSchemas';
import * as cancel from './cancel.operation';
import * as dispatch from './dispatch.operation';
import * as get from './get.operation';
import * as getMany from './getMany.operation';

export const callbackResource: Resource = {
	name: 'Callback',
	value: 'callback',
	defaultOperation: 'getMany',
	operations: [
		{
			name: 'Cancel',
			value: 'cancel',
			concurrent: true,
			action: 'Cancel a callback',
			description: 'Cancel a scheduled callback, with an optional reason',
			outputSchema: callbackSchema,
			...cancel,
		},
		{
			name: 'Dispatch Now',
			value: 'dispatch',
			action: 'Dispatch a callback now (places a real phone call)',
			description:
				"Place the callback's phone call right away. This calls a real customer; only scheduled callbacks can be dispatched.",
			outputSchema: callbackSchema,
			...dispatch,
		},
		{
			name: 'Get',
			value: 'get',
			concurrent: true,
			action: 'Get a callback',
			description: 'Get one callback by its ID',
			outputSchema: callbackSchema,
			...get,
		},
		{
			name: 'Get Many',
			value: 'getMany',
			action: 'Get many callbacks',
			description:
				'List callbacks by status or source session (Speko lists at most 100 per request)',
			outputSchema: callbackSchema,
			...getMany,
		},
	],
};
