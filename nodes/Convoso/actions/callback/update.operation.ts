import type { IDataObject, INodeProperties } from 'n8n-workflow';

import { blankCallback } from '../../../shared/callback';
import type { NormalizedCallback } from '../../../shared/callback';
import { InputError } from '../../../shared/errors';
import { toIsoUtc } from '../../../shared/time';
import { optionalPositiveInteger, optionalText, requireOneOf } from '../../../shared/validate';
import type { ItemOperation } from '../../../shared/actions';
import { idOf, locatorValue } from '../../../shared/locators';
import { callingHoursProperties, withCallingHours } from '../../../shared/callingHoursGuard';
import { findCallback, readBack } from '../../search';
import { convosoCall } from '../../transport';
import {
	callbackIdField,
	callbackTimeField,
	getAccount,
	guardCallbackTime,
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
	...callingHoursProperties('schedule'),
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
	const asked =
		fields.callbackTime !== undefined && fields.callbackTime !== null && fields.callbackTime !== ''
			? readCallbackTime(fields.callbackTime, fields.timeZone, account.timezone)
			: undefined;
	if (asked === undefined && optionalText(fields.timeZone) !== undefined) {
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
	if (asked === undefined && Object.keys(form).length === 1) {
		throw new InputError(
			'Update Fields',
			fields,
			'at least one field to change (Callback Time, User ID, Recipient or Comments)',
		);
	}
	let moved: IDataObject | undefined;
	if (asked !== undefined) {
		// The callee's number is the callback's: one search by id, when Calling Hours is on.
		const guarded = await guardCallbackTime(this, itemIndex, asked, account, () =>
			findCallback(client, callbackId, itemIndex),
		);
		moved = guarded.moved;
		form.callback_time = guarded.when.callbackTime;
		form.callback_time_zone = guarded.when.timeZone;
		result.scheduledAt = toIsoUtc(guarded.when.time);
	}

	const { body } = await convosoCall(client, '/callbacks/update', form, {
		idempotent: true,
		itemIndex,
	});
	if (!(this.getNodeParameter('simplify', itemIndex, true) as boolean))
		return withCallingHours(body, moved);
	// One more request: the whole callback, as Convoso now has it.
	return withCallingHours(await readBack(client, result, account, itemIndex), moved);
};
