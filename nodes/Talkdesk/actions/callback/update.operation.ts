import type { IDataObject, INodeProperties } from 'n8n-workflow';

import type { ItemOperation } from '../../../shared/actions';
import {
	callingHoursOn,
	callingHoursProperties,
	guardCall,
	withCallingHours,
} from '../../../shared/callingHoursGuard';
import type { GuardedCall } from '../../../shared/callingHoursGuard';
import { InputError } from '../../../shared/errors';
import { locatorValue } from '../../../shared/locators';
import { assertZone, msToIsoUtc, parseDateTimeInput, toIsoUtc } from '../../../shared/time';
import { optionalText, requireOneOf } from '../../../shared/validate';
import { normalizeTalkdeskCallback, TALKDESK_ASSIGN_TYPES } from '../../normalize';
import { readE164 } from '../../search';
import { callbackPath, talkdeskCall } from '../../transport';
import {
	assignTypeOptions,
	callbackIdField,
	callbackTimeField,
	readCallbackId,
	readIdList,
	simplifyField,
	timeZoneField,
} from '../common';

export const properties: INodeProperties[] = [
	callbackIdField,
	{
		displayName: 'Update Fields',
		name: 'updateFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		description: 'Only the fields set here change. To reschedule, set Callback Time.',
		options: [
			{
				displayName: 'Agent IDs',
				name: 'agentIds',
				type: 'string',
				default: '',
				description: 'The agents the callback is for, separated by commas (replaces the list)',
			},
			{
				displayName: 'Assign To',
				name: 'assignType',
				type: 'options',
				options: assignTypeOptions,
				default: 'ANY_ELIGIBLE_AGENT',
			},
			{
				...callbackTimeField,
				description:
					"The new time. A time without an offset is a wall-clock time in the Time Zone set here, else in the callback's own zone (read from Talkdesk first).",
			},
			{
				displayName: 'Phone Number',
				name: 'phoneNumber',
				type: 'string',
				default: '',
				placeholder: '+14155550123',
				description: 'The number to call, in E.164 form',
			},
			{
				displayName: 'Ring Groups',
				name: 'ringGroups',
				type: 'string',
				default: '',
				description: 'Ring group names separated by commas (replaces the list)',
			},
			{
				...timeZoneField,
				options: timeZoneField.options!.filter(
					(option) => 'value' in option && option.value !== '',
				),
				default: 'UTC',
				description: "The customer's IANA zone, kept with the callback",
			},
		],
	},
	...callingHoursProperties('schedule'),
	simplifyField,
];

interface PatchOperation {
	op: 'replace';
	path: string;
	value: unknown;
}

export const execute: ItemOperation = async function (itemIndex, client) {
	const id = readCallbackId(locatorValue(this, 'callbackId', itemIndex));
	const fields = this.getNodeParameter('updateFields', itemIndex, {}) as IDataObject;
	const patch: PatchOperation[] = [];
	const replace = (path: string, value: unknown) => patch.push({ op: 'replace', path, value });

	const zone = fields.timeZone === undefined ? undefined : assertZone(fields.timeZone, 'Time Zone');
	const newPhone =
		optionalText(fields.phoneNumber) === undefined
			? undefined
			: readE164(fields.phoneNumber, 'Phone Number');
	let guarded: GuardedCall | undefined;
	if (fields.callbackTime !== undefined && fields.callbackTime !== '') {
		// A wall-clock time means the customer's: their zone, as set here or as Talkdesk
		// has it; the calling-hours check needs their number too.
		const current =
			zone === undefined || (newPhone === undefined && callingHoursOn(this, itemIndex))
				? await talkdeskCall(
						client,
						{ method: 'GET', url: callbackPath(id), idempotent: true },
						'schedule-callbacks:read',
						itemIndex,
					)
				: undefined;
		const readIn =
			zone ?? assertZone(current?.timezone ?? 'UTC', "The callback's time zone (from Talkdesk)");
		const time = parseDateTimeInput(fields.callbackTime, readIn, 'Callback Time').startOf('second');
		if (time.toMillis() <= client.runtime.now())
			throw new InputError('Callback Time', toIsoUtc(time), 'a time in the future');
		guarded = guardCall(
			this,
			itemIndex,
			{
				timeMs: time.toMillis(),
				phone: newPhone ?? (current?.phone_number as string | undefined),
				providerZone: readIn,
			},
			'schedule',
		);
		replace('/timeToCall', msToIsoUtc(guarded.timeMs));
	}
	if (zone !== undefined) replace('/timezone', zone);
	if (newPhone !== undefined) replace('/phoneNumber', newPhone);
	if (fields.assignType !== undefined)
		replace('/assignType', requireOneOf(fields.assignType, TALKDESK_ASSIGN_TYPES, 'Assign To'));
	const agents = readIdList(fields.agentIds, 'Agent IDs', 'ids');
	if (agents) replace('/agents', agents);
	const ringGroups = readIdList(fields.ringGroups, 'Ring Groups', 'names');
	if (ringGroups) replace('/ringGroups', ringGroups);
	if (patch.length === 0)
		throw new InputError(
			'Update Fields',
			fields,
			'at least one field to change (Callback Time, Time Zone, Phone Number, Assign To, Agent IDs or Ring Groups)',
		);

	// JSON Patch `replace`s: repeating them leaves the same callback, so a lost answer may be retried.
	const record = await talkdeskCall(
		client,
		{
			method: 'PATCH',
			url: callbackPath(id),
			body: patch,
			contentType: 'application/json',
			idempotent: true,
		},
		'schedule-callbacks:write',
		itemIndex,
	);
	const simplify = this.getNodeParameter('simplify', itemIndex, true) as boolean;
	return withCallingHours(
		simplify ? { ...normalizeTalkdeskCallback(record, client.runtime.now()) } : record,
		guarded?.moved,
	);
};
