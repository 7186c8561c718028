import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { simplifyField as sharedSimplifyField } from '../../shared/descriptions';
import { InputError } from '../../shared/errors';
import { idLocator } from '../../shared/locators';
import { assertZone } from '../../shared/time';
import { requireText } from '../../shared/validate';
import { timeZoneOptions } from '../../shared/zones';
import { readIdList } from '../search';

export { readIdList };

export const callbackIdField = idLocator({
	displayName: 'Callback',
	name: 'callbackId',
	description:
		'The callback, by its Talkdesk callback ID (a UUID such as 3f1c6a9e-52b7-4d0e-9a8f-0c2d5e7b4a13): pick one still to ring from the list (search by phone number or name) or give the ID',
	searchListMethod: 'searchCallbacks',
	placeholder: '3f1c6a9e-52b7-4d0e-9a8f-0c2d5e7b4a13',
	idPattern: {
		regex: '^[^\\s/?#]+$',
		message: 'A Talkdesk callback ID has no spaces, slashes, ? or #',
	},
});

export const simplifyField = sharedSimplifyField('Talkdesk');

/**
 * Talkdesk ids are opaque strings (UUIDs in practice). Their length is not checked:
 * Talkdesk's own description gives different maximums for different routes.
 */
export function readCallbackId(value: unknown): string {
	const id = requireText(value, 'Callback', 'the ID of a Talkdesk callback');
	if (/[\s/?#]/.test(id))
		throw new InputError('Callback', value, 'an ID without spaces, slashes, ? or #');
	return id;
}

export const callbackTimeField: INodeProperties = {
	displayName: 'Callback Time',
	name: 'callbackTime',
	type: 'dateTime',
	default: '',
	description:
		"When to call back, as an ISO 8601 date-time. With an offset or Z (2026-03-05T14:30:00+05:30, 2026-03-05T09:00:00Z) it is that exact instant; without one (2026-03-05T14:30:00) it is a wall-clock time in the Time Zone (the customer's). Talkdesk gets it in UTC, with the zone.",
};

export const timeZoneField: INodeProperties = {
	displayName: 'Time Zone',
	name: 'timeZone',
	type: 'options',
	options: timeZoneOptions({
		name: "The Workflow's Time Zone",
		description: 'The time zone set in the workflow settings (or the n8n instance default)',
	}),
	default: '',
	description:
		"The customer's IANA time zone name (e.g. America/Los_Angeles, Asia/Kolkata): Talkdesk keeps it with the callback, and a Callback Time without an offset is read in it (14:30 in Asia/Kolkata is 09:00 UTC). Empty: the workflow's zone.",
};

/** The chosen zone, or the workflow's when none is chosen. */
export function readZone(ctx: IExecuteFunctions, itemIndex: number): string {
	const chosen = ctx.getNodeParameter('timeZone', itemIndex, '') as string;
	return chosen === ''
		? assertZone(ctx.getTimezone(), "Workflow's time zone")
		: assertZone(chosen, 'Time Zone');
}

export const assignTypeOptions = [
	{
		name: 'Any Eligible Agent',
		value: 'ANY_ELIGIBLE_AGENT',
		description: 'The next free agent who may take it',
	},
	{
		name: 'Myself If Available',
		value: 'MYSELF_IF_AVAILABLE',
		description: 'The agent given, else anyone eligible',
	},
	{ name: 'Myself Only', value: 'MYSELF_ONLY', description: 'Only the agent given' },
	{ name: 'Specific Agents', value: 'SPECIFIC_AGENT', description: 'One of the agents given' },
	{
		name: 'Specific Ring Groups',
		value: 'SPECIFIC_RING_GROUP',
		description: 'An agent of the ring groups given',
	},
];

/** The assign types that name agents, and the one that names ring groups. */
const AGENT_TYPES = ['SPECIFIC_AGENT', 'MYSELF_ONLY', 'MYSELF_IF_AVAILABLE'];
const RING_GROUP_TYPE = 'SPECIFIC_RING_GROUP';

export const assigneeFields: INodeProperties[] = [
	{
		displayName: 'Assign To',
		name: 'assignType',
		type: 'options',
		options: assignTypeOptions,
		default: 'ANY_ELIGIBLE_AGENT',
	},
	{
		displayName: 'Agent IDs',
		name: 'agentIds',
		type: 'string',
		default: '',
		required: true,
		description: 'The agents the callback is for, separated by commas',
		displayOptions: { show: { assignType: AGENT_TYPES } },
	},
	{
		displayName: 'Ring Groups',
		name: 'ringGroups',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'Sales',
		description: 'Ring group names, separated by commas',
		displayOptions: { show: { assignType: [RING_GROUP_TYPE] } },
	},
];

/** The agents or ring groups the assign type needs, checked. */
export function readAssignees(
	ctx: IExecuteFunctions,
	itemIndex: number,
	assignType: string,
): { agents?: string[]; ringGroups?: string[] } {
	if (AGENT_TYPES.includes(assignType)) {
		const value = ctx.getNodeParameter('agentIds', itemIndex, '');
		const agents = readIdList(value, 'Agent IDs', 'ids');
		if (!agents)
			throw new InputError(
				'Agent IDs',
				value,
				`at least one agent ID: "${assignType}" names agents`,
			);
		return { agents };
	}
	if (assignType === RING_GROUP_TYPE) {
		const value = ctx.getNodeParameter('ringGroups', itemIndex, '');
		const ringGroups = readIdList(value, 'Ring Groups', 'names');
		if (!ringGroups) throw new InputError('Ring Groups', value, 'at least one ring group name');
		return { ringGroups };
	}
	return {};
}
