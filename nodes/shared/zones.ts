import type { INodePropertyOptions } from 'n8n-workflow';

import { IANA_TIME_ZONES } from './zones.data';

/**
 * The Time Zone pickers: a searchable list of IANA zones (the value is the zone's
 * name, so an expression can give any other IANA name). Labels show the name with
 * spaces ("America/St Johns") so the editor's search finds "st johns" too.
 */
export function timeZoneOptions(accountEntry?: { name: string; description: string }) {
	const zones: INodePropertyOptions[] = IANA_TIME_ZONES.map((zone) => ({
		name: zone.replace(/_/g, ' '),
		value: zone,
	}));
	return accountEntry ? [{ ...accountEntry, value: '' }, ...zones] : zones;
}
