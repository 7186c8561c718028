import type { Resource } from '../../../shared/actions';
import { callbackSchema, deletedSchema } from '../../../shared/outputSchemas';
import * as create from './create.operation';
import * as deleteCallback from './delete.operation';
import * as dismiss from './dismiss.operation';
import * as get from './get.operation';
import * as getMany from './getMany.operation';
import * as update from './update.operation';

export const callbackResource: Resource = {
	name: 'Callback',
	value: 'callback',
	defaultOperation: 'getMany',
	operations: [
		{
			name: 'Create',
			value: 'create',
			concurrent: true,
			action: 'Schedule a callback',
			description: 'Schedule a callback for a lead at a time in a given time zone',
			outputSchema: callbackSchema,
			...create,
		},
		{
			name: 'Delete',
			value: 'delete',
			concurrent: true,
			action: 'Delete a callback',
			description: 'Delete a callback permanently',
			outputSchema: deletedSchema,
			...deleteCallback,
		},
		{
			name: 'Dismiss',
			value: 'dismiss',
			concurrent: true,
			action: 'Dismiss a callback',
			description: 'Mark a callback as dismissed so it is not dialed (it stays on record)',
			outputSchema: callbackSchema,
			...dismiss,
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
			description: 'List callbacks, filtered by date, campaign, lead, list, user, stage and more',
			outputSchema: callbackSchema,
			...getMany,
		},
		{
			name: 'Update',
			value: 'update',
			concurrent: true,
			action: 'Update or reschedule a callback',
			description: 'Reschedule a callback, reassign it, or change its recipient or comments',
			outputSchema: callbackSchema,
			...update,
		},
	],
};
