import type { IDataObject, INodeProperties } from 'n8n-workflow';

import type { ItemOperation } from '../../../shared/actions';
import { callingHoursProperties, guardCall } from '../../../shared/callingHoursGuard';
import { InputError } from '../../../shared/errors';
import { readE164 } from '../../search';
import { talkdeskCall } from '../../transport';

export const properties: INodeProperties[] = [
	{
		displayName:
			'Dispatch Now places a real call right away: Talkdesk puts a callback to the contact in the queue of the Talkdesk number, now. It is never repeated when its outcome is unknown.',
		name: 'dispatchNotice',
		type: 'notice',
		default: '',
	},
	{
		displayName: 'Talkdesk Phone Number',
		name: 'talkdeskPhoneNumber',
		type: 'string',
		default: '',
		required: true,
		placeholder: '+18005550100',
		description:
			'The Talkdesk number whose queue places the call, in E.164 form (e.g. +18005550100)',
	},
	{
		displayName: 'Contact Phone Number',
		name: 'contactPhoneNumber',
		type: 'string',
		default: '',
		required: true,
		placeholder: '+14155550123',
		description:
			'The customer to call right away, in E.164 form: + then the country code and number, e.g. +14155550123',
	},
	{
		displayName: 'Context Fields',
		name: 'context',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		placeholder: 'Add Context Field',
		default: {},
		description: 'Name and value pairs the agent sees with the call',
		options: [
			{
				displayName: 'Field',
				name: 'fields',
				values: [
					{ displayName: 'Name', name: 'name', type: 'string', default: '' },
					{ displayName: 'Value', name: 'value', type: 'string', default: '' },
				],
			},
		],
	},
	...callingHoursProperties('dispatch'),
];

export const execute: ItemOperation = async function (itemIndex, client) {
	const talkdeskNumber = readE164(
		this.getNodeParameter('talkdeskPhoneNumber', itemIndex),
		'Talkdesk Phone Number',
	);
	const contactNumber = readE164(
		this.getNodeParameter('contactPhoneNumber', itemIndex),
		'Contact Phone Number',
	);
	const context = this.getNodeParameter('context', itemIndex, {}) as {
		fields?: Array<{ name?: unknown; value?: unknown }>;
	};
	const fields = (context.fields ?? []).map((field, index) => {
		const name = typeof field.name === 'string' ? field.name.trim() : '';
		if (name === '')
			throw new InputError(`Context Fields (field ${index + 1})`, field.name, 'a name');
		return {
			name,
			value: field.value === undefined || field.value === null ? '' : String(field.value),
		};
	});

	guardCall(this, itemIndex, { timeMs: client.runtime.now(), phone: contactNumber }, 'dispatch');

	// This places a phone call: never repeated when the outcome is unknown (a 429 is
	// a refusal, so the transport waits it out and sends it again).
	const answer = await talkdeskCall(
		client,
		{
			method: 'POST',
			url: '/calls/callback',
			body: {
				talkdesk_phone_number: talkdeskNumber,
				contact_phone_number: contactNumber,
				...(fields.length > 0 && { context: { fields } }),
			},
			idempotent: false,
			expect: 'none',
		},
		'callback:write',
		itemIndex,
	);
	const result: IDataObject = {
		provider: 'talkdesk',
		dispatched: true,
		talkdeskPhoneNumber: talkdeskNumber,
		contactPhoneNumber: contactNumber,
	};
	if (Object.keys(answer).length > 0) result.response = answer;
	return result;
};
