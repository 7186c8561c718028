/**
 * Generates nodes/shared/phoneZones.data.ts, the phone-number data of the calling-hours
 * guard, from Google's libphonenumber (Apache-2.0):
 * - resources/timezones/map_data.txt: number prefix → IANA time zones;
 * - resources/geocoding/en/1.txt: NANP prefix → place, read for each area code's state
 *   or province (the state rules of the United States key on it).
 *
 *   npx tsx test/tools/phone-zones/generate.ts <libphonenumber checkout> [output file] [source label]
 *
 * The package bundles the output (no runtime dependency); the data keeps its licence
 * notice and its date. The test (test/unit/phone-zones-generator.test.ts) runs this
 * on a small checked-in sample.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

/** Old names in the source, written as today's IANA names (both are valid). */
const CURRENT_NAMES: Record<string, string> = {
	'Asia/Calcutta': 'Asia/Kolkata',
	'Asia/Katmandu': 'Asia/Kathmandu',
	'Asia/Saigon': 'Asia/Ho_Chi_Minh',
	'Asia/Rangoon': 'Asia/Yangon',
};

const US_STATES: Record<string, string> = {
	Alabama: 'AL',
	Alaska: 'AK',
	Arizona: 'AZ',
	Arkansas: 'AR',
	California: 'CA',
	Colorado: 'CO',
	Connecticut: 'CT',
	Delaware: 'DE',
	Florida: 'FL',
	Georgia: 'GA',
	Hawaii: 'HI',
	Idaho: 'ID',
	Illinois: 'IL',
	Indiana: 'IN',
	Iowa: 'IA',
	Kansas: 'KS',
	Kentucky: 'KY',
	Louisiana: 'LA',
	Maine: 'ME',
	Maryland: 'MD',
	Massachusetts: 'MA',
	Michigan: 'MI',
	Minnesota: 'MN',
	Mississippi: 'MS',
	Missouri: 'MO',
	Montana: 'MT',
	Nebraska: 'NE',
	Nevada: 'NV',
	'New Hampshire': 'NH',
	'New Jersey': 'NJ',
	'New Mexico': 'NM',
	'New York': 'NY',
	'North Carolina': 'NC',
	'North Dakota': 'ND',
	Ohio: 'OH',
	Oklahoma: 'OK',
	Oregon: 'OR',
	Pennsylvania: 'PA',
	'Rhode Island': 'RI',
	'South Carolina': 'SC',
	'South Dakota': 'SD',
	Tennessee: 'TN',
	Texas: 'TX',
	Utah: 'UT',
	Vermont: 'VT',
	Virginia: 'VA',
	'Washington State': 'WA',
	Washington: 'WA',
	'West Virginia': 'WV',
	Wisconsin: 'WI',
	Wyoming: 'WY',
	'Washington D.C.': 'DC',
	'Washington, D.C.': 'DC',
	// Canada's provinces and territories.
	Alberta: 'AB',
	'British Columbia': 'BC',
	Manitoba: 'MB',
	'New Brunswick': 'NB',
	'Newfoundland and Labrador': 'NL',
	Newfoundland: 'NL',
	'Nova Scotia': 'NS',
	Ontario: 'ON',
	'Prince Edward Island': 'PE',
	Quebec: 'QC',
	Saskatchewan: 'SK',
	Yukon: 'YT',
	'Northwest Territories': 'NT',
	Nunavut: 'NU',
};
const REGION_CODES = new Set(Object.values(US_STATES));

interface Source {
	zonesByPrefix: Map<string, string[]>;
	regionsByAreaCode: Map<string, string>;
	dataDate: string;
}

function dataLines(text: string): Array<[string, string]> {
	return text
		.split(/\r?\n/)
		.filter((line) => line.trim() !== '' && !line.startsWith('#'))
		.map((line) => {
			const bar = line.indexOf('|');
			return [line.slice(0, bar).trim(), line.slice(bar + 1).trim()] as [string, string];
		})
		.filter(([prefix]) => /^\d+$/.test(prefix));
}

/** "San Antonio, TX" → TX; "New Jersey" → NJ; anything else → undefined. */
export function regionOfPlace(place: string): string | undefined {
	const suffix = /,\s*([A-Z]{2})$/.exec(place)?.[1];
	if (suffix && REGION_CODES.has(suffix)) return suffix;
	return US_STATES[place.trim()];
}

export function readSource(timezonesText: string, geocodingText: string): Source {
	const zonesByPrefix = new Map<string, string[]>();
	for (const [prefix, zones] of dataLines(timezonesText)) {
		zonesByPrefix.set(
			prefix,
			zones.split('&').map((zone) => CURRENT_NAMES[zone] ?? zone),
		);
	}
	// An area code's region: its own entry, else the most common region of its exchanges.
	const own = new Map<string, string>();
	const votes = new Map<string, Map<string, number>>();
	for (const [prefix, place] of dataLines(geocodingText)) {
		if (!prefix.startsWith('1') || prefix.length < 4) continue;
		const areaCode = prefix.slice(1, 4);
		const region = regionOfPlace(place);
		if (!region) continue;
		if (prefix.length === 4) own.set(areaCode, region);
		const tally = votes.get(areaCode) ?? new Map<string, number>();
		tally.set(region, (tally.get(region) ?? 0) + 1);
		votes.set(areaCode, tally);
	}
	const regionsByAreaCode = new Map<string, string>();
	for (const [areaCode, tally] of votes) {
		const top = [...tally].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0][0];
		regionsByAreaCode.set(areaCode, own.get(areaCode) ?? top);
	}
	for (const [areaCode, region] of own) regionsByAreaCode.set(areaCode, region);
	const dataDate =
		/Internal statistics data \((\d{4}-\d{2}-\d{2})\)/.exec(timezonesText)?.[1] ?? 'unknown';
	return { zonesByPrefix, regionsByAreaCode, dataDate };
}

/** The TypeScript module: a zone list, prefixes as indices into it, area codes' regions. */
export function renderModule(source: Source, label: string): string {
	const zones = [...new Set([...source.zonesByPrefix.values()].flat())].sort();
	const index = new Map(zones.map((zone, i) => [zone, i]));
	const prefixes = [...source.zonesByPrefix].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
	const regions = [...source.regionsByAreaCode].sort(([a], [b]) => a.localeCompare(b));
	const lines = [
		'/**',
		' * Phone-number prefixes → IANA time zones, and NANP area codes → US state or Canadian',
		' * province, for the calling-hours guard. Generated by test/tools/phone-zones/generate.ts;',
		' * do not edit by hand.',
		' *',
		` * Source: Google libphonenumber (${label}), resources/timezones/map_data.txt (data of`,
		` * ${source.dataDate}) and resources/geocoding/en/1.txt.`,
		' *',
		' * Copyright (C) 2011-2012 The Libphonenumber Authors.',
		' * Licensed under the Apache License, Version 2.0 (the "License"); you may not use this',
		' * data except in compliance with the License. You may obtain a copy of the License at',
		' * http://www.apache.org/licenses/LICENSE-2.0. Unless required by applicable law or',
		' * agreed to in writing, it is distributed on an "AS IS" BASIS, WITHOUT WARRANTIES OR',
		' * CONDITIONS OF ANY KIND, either express or implied. Changed from the source: old zone',
		' * names written as their current IANA names; the place names of area codes reduced to',
		' * their state or province.',
		' */',
		'',
		`export const PHONE_ZONES_SOURCE = ${JSON.stringify({ label, dataDate: source.dataDate })};`,
		'',
		'/** Every zone the prefixes use; PREFIX_ZONES holds indices into it. */',
		`export const PHONE_ZONE_NAMES: readonly string[] = ${JSON.stringify(zones)};`,
		'',
		'/** Number prefix (country code and more, digits only) → zone indices, comma-separated. */',
		'export const PREFIX_ZONES: Readonly<Record<string, string>> = {',
		...prefixes.map(
			([prefix, names]) => `\t'${prefix}': '${names.map((name) => index.get(name)).join(',')}',`,
		),
		'};',
		'',
		'/** NANP area code → its US state (or DC) or Canadian province, two letters. */',
		'export const NANP_AREA_REGIONS: Readonly<Record<string, string>> = {',
		...regions.map(([areaCode, region]) => `\t'${areaCode}': '${region}',`),
		'};',
		'',
	];
	return lines.join('\n');
}

function main(): void {
	const [checkout, output, label] = process.argv.slice(2);
	if (!checkout) {
		console.error('Usage: generate.ts <libphonenumber checkout> [output file] [source label]');
		process.exitCode = 2;
		return;
	}
	const source = readSource(
		fs.readFileSync(path.join(checkout, 'resources/timezones/map_data.txt'), 'utf8'),
		fs.readFileSync(path.join(checkout, 'resources/geocoding/en/1.txt'), 'utf8'),
	);
	const target =
		output ?? path.join(__dirname, '..', '..', '..', 'nodes', 'shared', 'phoneZones.data.ts');
	fs.writeFileSync(target, renderModule(source, label ?? 'google/libphonenumber'));
	console.log(
		`${target}: ${source.zonesByPrefix.size} prefixes, ${source.regionsByAreaCode.size} NANP area codes (data of ${source.dataDate})`,
	);
}

if (require.main === module) main();
