import type { IDataObject, INodeProperties } from 'n8n-workflow';

import { blankCallback } from '../../../shared/callback';
import type { NormalizedCallback } from '../../../shared/callback';
import { InputError } from '../../../shared/errors';
import { toIsoUtc } from '../../../shared/time';
import { optionalPositiveInteger, optionalText, requireOneOf } from '../../../shared/validate';
import type { ItemOperation } from '../../../shared/actions';
import { idOf, locatorValue } from '../../../shared/locators';
import { readBack } from '../../search';
import { convosoCall } from '../../transport';
import {
	callbackIdField,
	callbackTimeField,
	getAccount,
	readCallbackId,
	readCallbackTime,
	simplifyField,
	timeZoneField,
	userIdField,
} from '../common';

export const properties: INodeProperties[] = [
	callbackIdField,
	{
		displayName: 'Update Fields',
		name: 'updateFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		options: [
			{
				...callbackTimeField,
				description: `Reschedule to this time. ${callbackTimeField.description}`,
			},
			{
				displayName: 'Comments',
				name: 'comments',
				type: 'string',
				default: '',
				typeOptions: { rows: 2 },
			},
			{
				displayName: 'Recipient',
				name: 'recipient',
				type: 'options',
				options: [
					{ name: 'System', value: 'system' },
					{ name: 'Personal', value: 'personal' },
				],
				default: 'system',
			},
			{
				...timeZoneField,
				description: `Zone of the new Callback Time. ${timeZoneField.description}`,
			},
			{ ...userIdField, description: 'Reassign the callback to this agent' },
		],
	},
	simplifyField,
];

export const execute: ItemOperation = async function (itemIndex, client) {
	const callbackId = readCallbackId(locatorValue(this, 'callbackId', itemIndex));
	const fields = this.getNodeParameter('updateFields', itemIndex, {}) as IDataObject;
	const account = await getAccount(client);

	const form: IDataObject = { callback_id: callbackId };
	const result: NormalizedCallback = {
		...blankCallback(callbackId, 'convoso'),
		timezone: account.timezone,
	};
	if (
		fields.callbackTime !== undefined &&
		fields.callbackTime !== null &&
		fields.callbackTime !== ''
	) {
		const when = readCallbackTime(fields.callbackTime, fields.timeZone, account.timezone);
		form.callback_time = when.callbackTime;
		form.callback_time_zone = when.timeZone;
		result.scheduledAt = toIsoUtc(when.time);
	} else if (optionalText(fields.timeZone) !== undefined) {
		throw new InputError(
			'Time Zone',
			fields.timeZone,
			'to come with a Callback Time: Convoso changes both together',
		);
	}
	const userId = optionalPositiveInteger(idOf(fields.userId), 'User');
	if (userId !== undefined) form.user_id = result.agentId = userId;
	if (fields.recipient !== undefined) {
		form.recipient = requireOneOf(fields.recipient, ['system', 'personal'], 'Recipient');
		result.details.recipient = form.recipient;
	}
	if (fields.comments !== undefined) form.comments = result.notes = String(fields.comments);
	if (Object.keys(form).length === 1) {
		throw new InputError(
			'Update Fields',
			fields,
			'at least one field to change (Callback Time, User ID, Recipient or Comments)',
		);
	}

	const { body } = await convosoCall(client, '/callbacks/update', form, {
		idempotent: true,
		itemIndex,
	});
	if (!(this.getNodeParameter('simplify', itemIndex, true) as boolean)) return body;
	// One more request: the whole callback, as Convoso now has it.
	return await readBack(client, result, account, itemIndex);
};
