import type { Resource } from '../../../shared/actions';
import { leadSchema } from '../../normalize';
import * as search from './search.operation';

export const leadResource: Resource = {
	name: 'Lead',
	value: 'lead',
	defaultOperation: 'search',
	operations: [
		{
			name: 'Search',
			value: 'search',
			action: 'Search leads',
			description:
				'Find leads by phone number, name, email, list and more (to get the lead ID a callback needs)',
			outputSchema: leadSchema,
			...search,
		},
	],
};
