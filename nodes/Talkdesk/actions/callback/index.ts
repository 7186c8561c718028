import type { Resource } from '../../../shared/actions';
import { callbackSchema } from '../../../shared/outputSchemas';
import * as cancel from './cancel.operation';
import * as create from './create.operation';
import * as dispatch from './dispatch.operation';
import * as get from './get.operation';
import * as getMany from './getMany.operation';
import * as update from './update.operation';

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
			description: 'Cancel a scheduled callback so it does not ring',
			outputSchema: {
				type: 'object',
				properties: {
					id: { type: 'string' },
					provider: { type: 'string' },
					cancelled: { type: 'boolean' },
				},
				required: ['id', 'provider', 'cancelled'],
			},
			...cancel,
		},
		{
			name: 'Create (Preview)',
			value: 'create',
			concurrent: true,
			action: 'Create a callback',
			description:
				'Schedule a callback at a time in the customer’s time zone. A Talkdesk Preview, for select accounts only.',
			outputSchema: callbackSchema,
			...create,
		},
		{
			name: 'Dispatch Now',
			value: 'dispatch',
			action: 'Dispatch a callback now (places a real phone call)',
			description:
				'Place a callback call to a customer right away, from a Talkdesk number. This calls a real customer; it is never repeated when its outcome is unknown.',
			outputSchema: {
				type: 'object',
				properties: {
					provider: { type: 'string' },
					dispatched: { type: 'boolean' },
					talkdeskPhoneNumber: { type: 'string' },
					contactPhoneNumber: { type: 'string' },
					response: { type: 'object' },
				},
				required: ['provider', 'dispatched', 'talkdeskPhoneNumber', 'contactPhoneNumber'],
			},
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
				'List callbacks by agent, team, ring group, campaign, status or next time to call (500 per request)',
			outputSchema: callbackSchema,
			...getMany,
		},
		{
			name: 'Update',
			value: 'update',
			concurrent: true,
			action: 'Update a callback',
			description:
				'Reschedule a callback or change its number, time zone or assignment; only the fields set change',
			outputSchema: callbackSchema,
			...update,
		},
	],
};
