/**
 * The generator of the bundled phone-number data (test/tools/phone-zones/generate.ts),
 * run on a small checked-in sample of libphonenumber's files (with their licence
 * headers): the table it writes, and the bundled table's own header and spot checks.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

import { NANP_AREA_REGIONS, PHONE_ZONES_SOURCE } from '../../nodes/shared/phoneZones.data';
import { readSource, regionOfPlace, renderModule } from '../tools/phone-zones/generate';

const SAMPLE = path.join(__dirname, '..', 'tools', 'phone-zones', 'sample', 'resources');
const read = (file: string) => fs.readFileSync(path.join(SAMPLE, file), 'utf8');

describe('phone-zone generator', () => {
	const source = readSource(read('timezones/map_data.txt'), read('geocoding/en/1.txt'));

	it('reads prefixes and zones, writing old zone names as current ones', () => {
		expect(Object.fromEntries(source.zonesByPrefix)).toEqual({
			'1201': ['America/New_York'],
			'12082': ['America/Boise', 'America/Los_Angeles'],
			'1208201': ['America/Denver'],
			'1305': ['America/New_York'],
			'61': [
				'Australia/Adelaide',
				'Australia/Brisbane',
				'Australia/Eucla',
				'Australia/Lord_Howe',
				'Australia/Perth',
				'Australia/Sydney',
				'Indian/Christmas',
				'Indian/Cocos',
			],
			'612': ['Australia/Sydney'],
			'91': ['Asia/Kolkata'],
			'977': ['Asia/Kathmandu'],
		});
		expect(source.dataDate).toBe('2018-06-12');
	});

	it('gives each area code its state or province: its own entry, else the most common of its exchanges', () => {
		expect(Object.fromEntries(source.regionsByAreaCode)).toEqual({
			'201': 'NJ',
			'208': 'ID',
			'210': 'TX',
			'236': 'BC',
			'305': 'FL',
			'310': 'CA',
		});
		expect(regionOfPlace('Washington State')).toBe('WA');
		expect(regionOfPlace('Washington D.C.')).toBe('DC');
		expect(regionOfPlace('Jersey City, NJ')).toBe('NJ');
		expect(regionOfPlace('Bahamas')).toBeUndefined();
	});

	it('writes a module with the licence notice, the source and the tables', () => {
		const text = renderModule(source, 'sample');
		expect(text).toContain('Licensed under the Apache License, Version 2.0');
		expect(text).toContain(
			'export const PHONE_ZONES_SOURCE = {"label":"sample","dataDate":"2018-06-12"};',
		);
		const names = JSON.parse(
			/PHONE_ZONE_NAMES: readonly string\[\] = (\[.*\]);/.exec(text)![1],
		) as string[];
		expect(names).toEqual([...names].sort());
		const line = (prefix: string) => new RegExp(`\\t'${prefix}': '([\\d,]+)',`).exec(text)![1];
		expect(
			line('12082')
				.split(',')
				.map((i) => names[Number(i)]),
		).toEqual(['America/Boise', 'America/Los_Angeles']);
		expect(text).toContain("\t'310': 'CA',");
	});
});

describe('the bundled table', () => {
	it('says where it comes from and when, and knows the state rules’ area codes', () => {
		expect(PHONE_ZONES_SOURCE.label).toContain('google/libphonenumber');
		expect(PHONE_ZONES_SOURCE.dataDate).toMatch(/^\d{4}-\d{2}-\d{2}$/);
		expect([NANP_AREA_REGIONS['305'], NANP_AREA_REGIONS['405'], NANP_AREA_REGIONS['206']]).toEqual([
			'FL',
			'OK',
			'WA',
		]);
		expect(Object.keys(NANP_AREA_REGIONS).length).toBeGreaterThan(300);
	});
});
