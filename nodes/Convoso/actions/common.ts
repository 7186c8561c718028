import { DateTime } from 'luxon';
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import {
	limitField,
	returnAllField,
	simplifyField as sharedSimplifyField,
} from '../../shared/descriptions';

import { callingHoursOn, guardCall } from '../../shared/callingHoursGuard';
import { idLocator } from '../../shared/locators';
import { assertZone, parseDateTimeInput } from '../../shared/time';
import type { ProviderClient } from '../../shared/transport';
import { optionalText, requirePositiveInteger } from '../../shared/validate';
import { timeZoneOptions } from '../../shared/zones';
import { toConvosoCallbackTime } from '../time';
import { convosoPhone } from '../normalize';
import type { ConvosoAccount } from '../normalize';

export const callbackIdField = idLocator({
	displayName: 'Callback',
	name: 'callbackId',
	description:
		'The callback, by its Convoso callback ID (a number, e.g. 657): pick a pending one from the list (type a number to find it by ID) or give the ID',
	searchListMethod: 'searchCallbacks',
	placeholder: '657',
	idPattern: { regex: '^\\s*\\d+\\s*$', message: 'A Convoso callback ID is a number' },
});

const numericId = (what: string) => ({
	regex: '^\\s*\\d+\\s*$',
	message: `A Convoso ${what} ID is a number`,
});

/**
 * Pickers for the campaign, list and user fields. Convoso's documents give no
 * search for these, so the lists show those seen on the account's callbacks
 * (campaign and agent names as Convoso gives them); any ID can still be typed.
 */
export const campaignIdField = idLocator({
	displayName: 'Campaign',
	name: 'campaignId',
	description: "A campaign seen on the account's callbacks, or its ID",
	searchListMethod: 'searchCampaigns',
	placeholder: '111',
	idPattern: numericId('campaign'),
	required: false,
});

export const listIdField = idLocator({
	displayName: 'List',
	name: 'listId',
	description: "A lead list seen on the account's callbacks, or its ID",
	searchListMethod: 'searchLists',
	placeholder: '333',
	idPattern: numericId('list'),
	required: false,
});

export const userIdField = idLocator({
	displayName: 'User',
	name: 'userId',
	description: "An agent seen on the account's callbacks, or the agent's user ID",
	searchListMethod: 'searchUsers',
	placeholder: '12345',
	idPattern: numericId('user'),
	required: false,
});

/** Filters Convoso applies on the server, in Get Many and in the trigger. */
export const recipientFilterField: INodeProperties = {
	displayName: 'Recipient',
	name: 'recipient',
	type: 'options',
	options: [
		{ name: 'System', value: 'System', description: 'Dialed automatically' },
		{ name: 'Personal', value: 'Personal', description: 'Reminder for one agent' },
	],
	default: 'System',
};

export const stageFilterField: INodeProperties = {
	displayName: 'Stage',
	name: 'stage',
	type: 'options',
	options: [
		{ name: 'Completed', value: 'COMPLETED' },
		{ name: 'Dismissed', value: 'DISMISSED' },
		{ name: 'Missed', value: 'MISSED' },
		{ name: 'Past Due', value: 'PAST_DUE' },
		{ name: 'Pending', value: 'PENDING' },
	],
	default: 'PENDING',
};

export const leadIdField = idLocator({
	displayName: 'Lead',
	name: 'leadId',
	description:
		'The lead to call back, by its Convoso lead ID (a number, e.g. 1001): pick it from the list (search by phone number or name) or give the ID. Lead → Search finds leads too.',
	searchListMethod: 'searchLeads',
	placeholder: '12345',
	idPattern: { regex: '^\\s*\\d+\\s*$', message: 'A Convoso lead ID is a number' },
});

/** Convoso callback ids are positive integers. */
export function readCallbackId(value: unknown): number {
	return requirePositiveInteger(value, 'Callback');
}

export const simplifyField = sharedSimplifyField('Convoso');
export { limitField, returnAllField };

export const callbackTimeField: INodeProperties = {
	displayName: 'Callback Time',
	name: 'callbackTime',
	type: 'dateTime',
	default: '',
	description:
		"When to call back, as an ISO 8601 date-time. With an offset or Z (2026-03-05T14:30:00+05:30, 2026-03-05T09:00:00Z) it is that exact instant; without one (2026-03-05T14:30:00) it is a wall-clock time in the Time Zone (the account's zone when none is chosen). Convoso counts whole minutes.",
};

export const timeZoneField: INodeProperties = {
	displayName: 'Time Zone',
	name: 'timeZone',
	type: 'options',
	options: timeZoneOptions({
		name: "Account's Time Zone (From the Credential)",
		description: 'The Account Time Zone set in the Convoso credential',
	}),
	default: '',
	description:
		"The IANA time zone name (e.g. Asia/Kolkata, America/New_York) in which a Callback Time without an offset is read: 14:30 in Asia/Kolkata is 09:00 UTC. Empty: the account's zone. The node sends Convoso the UTC offset in force on that date, so daylight saving time is handled.",
};

/** The credential's account settings, checked. */
export async function getAccount(client: ProviderClient): Promise<ConvosoAccount> {
	const credentials = await client.credentials();
	return {
		timezone: assertZone(
			credentials.accountTimezone || 'America/New_York',
			'Account Time Zone (credential)',
		),
		countryCallingCode: String(credentials.countryCallingCode ?? ''),
	};
}

/**
 * Reads and checks a callback time and its zone (empty zone: the account's), and
 * gives Convoso's local "hh:mm AM/PM" time with the offset in force on that date.
 */
export function readCallbackTime(value: unknown, zoneValue: unknown, accountZone: string) {
	const zone =
		optionalText(zoneValue) === undefined ? accountZone : assertZone(zoneValue, 'Time Zone');
	const time = parseDateTimeInput(value, zone, 'Callback Time').startOf('minute');
	return { zone, time, ...toConvosoCallbackTime(time) };
}

export type CallbackTime = ReturnType<typeof readCallbackTime>;

/**
 * The Calling Hours check of a Convoso callback time, before any write. The callee's
 * number comes from `readCallee` (one search: the lead, or the callback), read only
 * when the check is on. A moved time is sent in the same zone the user gave.
 */
export async function guardCallbackTime(
	ctx: IExecuteFunctions,
	itemIndex: number,
	when: CallbackTime,
	account: ConvosoAccount,
	readCallee: () => Promise<IDataObject | undefined>,
): Promise<{ when: CallbackTime; moved?: IDataObject }> {
	if (!callingHoursOn(ctx, itemIndex)) return { when };
	const callee = await readCallee();
	const guarded = guardCall(
		ctx,
		itemIndex,
		{ timeMs: when.time.toMillis(), phone: callee ? convosoPhone(callee, account) : undefined },
		'schedule',
	);
	if (!guarded.moved) return { when };
	const time = DateTime.fromMillis(guarded.timeMs, { zone: when.zone });
	return { when: { zone: when.zone, time, ...toConvosoCallbackTime(time) }, moved: guarded.moved };
}
