import type { INodeProperties } from 'n8n-workflow';

import {
	limitField,
	returnAllField,
	simplifyField as sharedSimplifyField,
} from '../../shared/descriptions';

import { assertZone, parseDateTimeInput } from '../../shared/time';
import type { ProviderClient } from '../../shared/transport';
import { optionalText, requirePositiveInteger } from '../../shared/validate';
import { toConvosoCallbackTime } from '../time';
import type { ConvosoAccount } from '../normalize';

export const callbackIdField: INodeProperties = {
	displayName: 'Callback ID',
	name: 'callbackId',
	type: 'string',
	default: '',
	required: true,
	placeholder: '657',
	description: 'The ID of the callback (a number), as returned by Search or Create',
};

/** Convoso callback ids are positive integers. */
export function readCallbackId(value: unknown): number {
	return requirePositiveInteger(value, 'Callback ID');
}

export const simplifyField = sharedSimplifyField('Convoso');
export { limitField, returnAllField };

export const callbackTimeField: INodeProperties = {
	displayName: 'Callback Time',
	name: 'callbackTime',
	type: 'dateTime',
	default: '',
	description:
		'When to call back. A time without offset (e.g. 2026-03-05T14:30) is read in the Time Zone below; one with an offset or Z is that exact instant. Convoso counts whole minutes.',
};

export const timeZoneField: INodeProperties = {
	displayName: 'Time Zone',
	name: 'timeZone',
	type: 'string',
	default: '',
	placeholder: 'America/New_York',
	description:
		'IANA time zone of the callback time. Empty means the account time zone from the credential. The node sends Convoso the UTC offset in force on that date, so daylight saving time is handled.',
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
