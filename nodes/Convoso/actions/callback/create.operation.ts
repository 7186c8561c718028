import type { IDataObject, INodeProperties } from 'n8n-workflow';

import { blankCallback, idOrNull } from '../../../shared/callback';
import type { NormalizedCallback } from '../../../shared/callback';
import { InputError } from '../../../shared/errors';
import { toIsoUtc } from '../../../shared/time';
import type { ItemOperation } from '../../../shared/actions';
import { locatorValue } from '../../../shared/locators';
import {
	optionalPositiveInteger,
	optionalText,
	requireOneOf,
	requirePositiveInteger,
} from '../../../shared/validate';
import { callingHoursProperties, withCallingHours } from '../../../shared/callingHoursGuard';
import { findLead, readBack } from '../../search';
import { convosoCall } from '../../transport';
import {
	callbackTimeField,
	getAccount,
	guardCallbackTime,
	leadIdField,
	readCallbackTime,
	simplifyField,
	timeZoneField,
	userIdField,
} from '../common';

export const properties: INodeProperties[] = [
	leadIdField,
	{
		displayName: 'Recipient',
		name: 'recipient',
		type: 'options',
		options: [
			{
				name: 'System',
				value: 'system',
				description: 'Convoso dials the lead automatically and routes it to the next free agent',
			},
			{
				name: 'Personal',
				value: 'personal',
				description: 'The chosen agent gets a reminder to call the lead',
			},
		],
		default: 'system',
	},
	{
		...userIdField,
		required: true,
		displayOptions: { show: { recipient: ['personal'] } },
		description: 'The agent who gets the reminder to call the lead',
	},
	{ ...callbackTimeField, required: true },
	timeZoneField,
	{
		displayName: 'Comments',
		name: 'comments',
		type: 'string',
		default: '',
		typeOptions: { rows: 2 },
	},
	...callingHoursProperties('schedule'),
	simplifyField,
];

export const execute: ItemOperation = async function (itemIndex, client) {
	const account = await getAccount(client);
	const leadId = requirePositiveInteger(locatorValue(this, 'leadId', itemIndex), 'Lead');
	const recipient = requireOneOf(
		this.getNodeParameter('recipient', itemIndex),
		['system', 'personal'],
		'Recipient',
	);
	const userIdValue =
		recipient === 'personal' ? locatorValue(this, 'userId', itemIndex) : undefined;
	const userId = optionalPositiveInteger(userIdValue, 'User');
	if (recipient === 'personal' && userId === undefined) {
		throw new InputError(
			'User',
			userIdValue,
			'the ID of the agent who gets the callback: a Personal callback needs one',
		);
	}
	const asked = readCallbackTime(
		this.getNodeParameter('callbackTime', itemIndex),
		this.getNodeParameter('timeZone', itemIndex, ''),
		account.timezone,
	);
	const comments = optionalText(this.getNodeParameter('comments', itemIndex, ''));
	const { when, moved } = await guardCallbackTime(this, itemIndex, asked, account, () =>
		findLead(client, leadId, itemIndex),
	);

	// A create is never retried when its outcome is unknown: a duplicate callback
	// would ring the customer twice.
	const { body } = await convosoCall(
		client,
		'/callbacks/insert',
		{
			lead_id: leadId,
			recipient,
			user_id: userId,
			callback_time: when.callbackTime,
			callback_time_zone: when.timeZone,
			comments,
		},
		{ idempotent: false, itemIndex },
	);
	if (!(this.getNodeParameter('simplify', itemIndex, true) as boolean))
		return withCallingHours(body, moved);

	const data = (body.data ?? body) as IDataObject;
	const created: NormalizedCallback = {
		...blankCallback(idOrNull(data.callback_id) ?? '', 'convoso'),
		status: 'scheduled',
		scheduledAt: toIsoUtc(when.time),
		timezone: account.timezone,
		agentId: userId ?? null,
		leadId,
		notes: comments ?? null,
		details: { recipient, localCallbackTime: when.callbackTime, utcOffset: when.timeZone },
	};
	// One more request: the whole callback, as Convoso now has it.
	return withCallingHours(await readBack(client, created, account, itemIndex), moved);
};
