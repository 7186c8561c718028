import type { IDataObject, INodeProperties, JsonObject } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import type { ItemOperation } from '../../../shared/actions';
import {
	callingHoursProperties,
	guardCall,
	withCallingHours,
} from '../../../shared/callingHoursGuard';
import { InputError } from '../../../shared/errors';
import { msToIsoUtc, parseDateTimeInput, toIsoUtc } from '../../../shared/time';
import { optionalText, requireMaxLength, requireOneOf } from '../../../shared/validate';
import { normalizeTalkdeskCallback, TALKDESK_ASSIGN_TYPES } from '../../normalize';
import { readE164 } from '../../search';
import { talkdeskCall } from '../../transport';
import {
	assigneeFields,
	callbackTimeField,
	readAssignees,
	readZone,
	simplifyField,
	timeZoneField,
} from '../common';

const MAX_NOTES_LENGTH = 1000;

export const properties: INodeProperties[] = [
	{
		displayName:
			'Preview: Talkdesk offers creating callbacks by API to select accounts only, and documents no request format. The node sends POST /schedule-callbacks with the fields of a Talkdesk callback (see the README). Accounts without the Preview get "not found".',
		name: 'previewNotice',
		type: 'notice',
		default: '',
	},
	{
		displayName: 'Phone Number',
		name: 'phoneNumber',
		type: 'string',
		default: '',
		required: true,
		placeholder: '+14155550123',
		description:
			'The number to call back, in E.164 form: + then the country code and number, e.g. +14155550123',
	},
	{ ...callbackTimeField, required: true },
	timeZoneField,
	...assigneeFields,
	{
		displayName: 'Caller ID',
		name: 'callerId',
		type: 'string',
		default: '',
		required: true,
		placeholder: '+18005550100',
		description: 'The Talkdesk number the customer sees, in E.164 form (e.g. +18005550100)',
	},
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		options: [
			{ displayName: 'Campaign ID', name: 'campaignId', type: 'string', default: '' },
			{ displayName: 'Contact ID', name: 'contactId', type: 'string', default: '' },
			{
				displayName: 'Interaction ID',
				name: 'interactionId',
				type: 'string',
				default: '',
				description: 'An existing interaction to link the callback to',
			},
			{
				displayName: 'Notes',
				name: 'notes',
				type: 'string',
				default: '',
				typeOptions: { rows: 2 },
				description: `For the agent (at most ${MAX_NOTES_LENGTH} characters)`,
			},
			{ displayName: 'Record ID', name: 'recordId', type: 'string', default: '' },
		],
	},
	...callingHoursProperties('schedule'),
	simplifyField,
];

export const execute: ItemOperation = async function (itemIndex, client) {
	const phone = readE164(this.getNodeParameter('phoneNumber', itemIndex), 'Phone Number');
	const zone = readZone(this, itemIndex);
	const time = parseDateTimeInput(
		this.getNodeParameter('callbackTime', itemIndex),
		zone,
		'Callback Time',
	).startOf('second');
	if (time.toMillis() <= client.runtime.now())
		throw new InputError('Callback Time', toIsoUtc(time), 'a time in the future');
	// The customer's zone when one was chosen; otherwise the number tells it.
	const chosenZone = (this.getNodeParameter('timeZone', itemIndex, '') as string) || undefined;
	const guarded = guardCall(
		this,
		itemIndex,
		{ timeMs: time.toMillis(), phone, providerZone: chosenZone },
		'schedule',
	);
	const assignType = requireOneOf(
		this.getNodeParameter('assignType', itemIndex),
		TALKDESK_ASSIGN_TYPES,
		'Assign To',
	);
	const assignees = readAssignees(this, itemIndex, assignType);
	const callerId = readE164(this.getNodeParameter('callerId', itemIndex), 'Caller ID');
	const extra = this.getNodeParameter('additionalFields', itemIndex, {}) as IDataObject;
	const notesText = optionalText(extra.notes);

	const body: IDataObject = {
		phone_number: phone,
		scheduled_time_to_call: msToIsoUtc(guarded.timeMs),
		timezone: zone,
		assign_type: assignType,
		...(assignees.agents && { agents: assignees.agents.map((agent_id) => ({ agent_id })) }),
		...(assignees.ringGroups && {
			ring_groups: assignees.ringGroups.map((ring_group) => ({ ring_group })),
		}),
		caller_id: callerId,
		dialing_model: 'PREVIEW',
		notes:
			notesText === undefined ? undefined : requireMaxLength(notesText, MAX_NOTES_LENGTH, 'Notes'),
		interaction_id: optionalText(extra.interactionId),
		campaign_id: optionalText(extra.campaignId),
		contact_id: optionalText(extra.contactId),
		record_id: optionalText(extra.recordId),
	};
	for (const key of Object.keys(body)) if (body[key] === undefined) delete body[key];

	let record: IDataObject;
	try {
		// Never repeated when the outcome is unknown: a second callback would ring the customer twice.
		record = await talkdeskCall(
			client,
			{ method: 'POST', url: '/schedule-callbacks', body, idempotent: false },
			'schedule-callbacks:write',
			itemIndex,
		);
	} catch (error) {
		if (error instanceof NodeApiError && error.httpCode === '404') {
			error.message = `Talkdesk has no callback creation by API for this account (HTTP 404: ${error.message})`;
			error.description =
				'Creating callbacks by API is a Talkdesk Preview for select accounts: ask Talkdesk to enable it, or schedule the callback in Talkdesk.';
		}
		throw new NodeApiError(this.getNode(), error as JsonObject);
	}
	const simplify = this.getNodeParameter('simplify', itemIndex, true) as boolean;
	return withCallingHours(
		simplify ? { ...normalizeTalkdeskCallback(record, client.runtime.now()) } : record,
		guarded.moved,
	);
};
