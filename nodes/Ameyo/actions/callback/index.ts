import type { Resource } from '../../../shared/actions';
import { callbackSchema, deletedSchema } from '../../../shared/outputSchemas';
import * as create from './create.operation';
import * as deleteOperation from './delete.operation';
import * as get from './get.operation';
import * as getMany from './getMany.operation';
import * as reschedule from './reschedule.operation';

export const callbackResource: Resource = {
	name: 'Callback',
	value: 'callback',
	defaultOperation: 'getMany',
	operations: [
		{
			name: 'Create (Experimental)',
			value: 'create',
			action: 'Create a callback',
			description:
				"Schedule a callback in a campaign with Ameyo's older addCallback command (experimental: its time format is undocumented)",
			outputSchema: callbackSchema,
			...create,
		},
		{
			name: 'Delete',
			value: 'delete',
			action: 'Delete a callback',
			description: 'Delete a callback permanently, so it does not ring',
			outputSchema: deletedSchema,
			...deleteOperation,
		},
		{
			name: 'Get',
			value: 'get',
			action: 'Get a callback',
			description:
				"Find one callback by its ID in a campaign (reads the campaign's callbacks until found)",
			outputSchema: callbackSchema,
			...get,
		},
		{
			name: 'Get Many',
			value: 'getMany',
			action: 'Get many callbacks',
			description:
				"List a campaign's callbacks, filtered by time, agent, phone number or self callbacks (1,000 per request)",
			outputSchema: callbackSchema,
			...getMany,
		},
		{
			name: 'Reschedule',
			value: 'update',
			action: 'Reschedule a callback',
			description:
				'Move a callback to a new time (Ameyo has no reschedule: it is deleted and created again, with a new ID)',
			outputSchema: callbackSchema,
			...reschedule,
		},
	],
};
