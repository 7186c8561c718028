import fc from 'fast-check';
import { DateTime } from 'luxon';

import { InputError } from '../../nodes/shared/errors';
import {
	convosoLocalTimeToIso,
	formatOffsetHoursDotMinutes,
	parseOffsetHoursDotMinutes,
	toConvosoCallbackTime,
} from '../../nodes/Convoso/time';
import { assertZone, epochMsToIsoUtc, parseDateTimeInput, toIsoUtc } from '../../nodes/shared/time';
import {
	instantsShowing,
	intlOffsetMinutes,
	intlWall,
	isoUtc,
	offsetTransitions,
	pad,
	utcMsAsWall,
	wallAsUtcMs,
} from './intl-oracle';
import type { Wall } from './intl-oracle';
import { expectInputError } from '../helpers/expect-input-error';

const ZONES = [
	'UTC',
	'Asia/Kolkata',
	'Asia/Kathmandu',
	'America/St_Johns',
	'Australia/Lord_Howe',
	'Pacific/Chatham',
	'America/New_York',
	'Europe/London',
	'Europe/Berlin',
	'Australia/Sydney',
	'America/Sao_Paulo',
	'Pacific/Kiritimati',
	'Pacific/Pago_Pago',
	'Asia/Tehran',
	'Africa/Casablanca',
	'America/Santiago',
	'America/Los_Angeles',
	'Pacific/Auckland',
] as const;

const MIN_MS = Date.UTC(2000, 0, 1);
const MAX_MS = Date.UTC(2037, 11, 31);
const RUNS = { numRuns: 300 };

// Offset changes of every zone, found with Intl, for instants and wall times close to them.
const TRANSITIONS: Array<{ zone: string; at: number }> = ZONES.flatMap((zone) =>
	offsetTransitions(zone, Date.UTC(2005, 0, 1), Date.UTC(2031, 0, 1)).map((at) => ({ zone, at })),
);

const zoneArb = fc.constantFrom(...ZONES);
const instantArb = fc.oneof(
	fc.integer({ min: MIN_MS, max: MAX_MS }),
	// Within three hours either side of a DST (or other offset) change.
	fc
		.tuple(fc.constantFrom(...TRANSITIONS), fc.integer({ min: -3 * 3_600_000, max: 3 * 3_600_000 }))
		.map(([transition, delta]) => transition.at + delta),
);
const zonedInstantArb = fc.oneof(
	fc.tuple(zoneArb, instantArb),
	fc
		.tuple(fc.constantFrom(...TRANSITIONS), fc.integer({ min: -3 * 3_600_000, max: 3 * 3_600_000 }))
		.map(([transition, delta]) => [transition.zone, transition.at + delta] as [string, number]),
);

const daysIn = (year: number, month: number): number =>
	month === 2
		? year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0)
			? 29
			: 28
		: [4, 6, 9, 11].includes(month)
			? 30
			: 31;

/** Wall times, anywhere in the years tested or within 3 h of an offset change of their zone. */
const zonedWallArb: fc.Arbitrary<{ zone: string; wall: Wall }> = fc.oneof(
	fc
		.record({
			zone: zoneArb,
			year: fc.integer({ min: 2000, max: 2037 }),
			month: fc.integer({ min: 1, max: 12 }),
			day: fc.integer({ min: 1, max: 31 }),
			hour: fc.integer({ min: 0, max: 23 }),
			minute: fc.integer({ min: 0, max: 59 }),
			second: fc.integer({ min: 0, max: 59 }),
		})
		.map(({ zone, ...wall }) => ({
			zone: zone as string,
			wall: { ...wall, day: Math.min(wall.day, daysIn(wall.year, wall.month)) },
		})),
	fc
		.tuple(
			fc.constantFrom(...TRANSITIONS),
			fc.integer({ min: -180, max: 180 }),
			fc.constantFrom(0, 0, 0, 1, 30, 59),
		)
		.map(([transition, minutes, second]) => {
			const atWall = wallAsUtcMs(intlWall(transition.zone, transition.at));
			const wall = utcMsAsWall(atWall + minutes * 60_000);
			return { zone: transition.zone, wall: { ...wall, second, millisecond: 0 } };
		}),
);

const wallText = (wall: Wall, separator = 'T', withSeconds = true): string =>
	`${wall.year}-${pad(wall.month)}-${pad(wall.day)}${separator}${pad(wall.hour)}:${pad(wall.minute)}${withSeconds ? `:${pad(wall.second)}` : ''}`;

/** Reads "YYYY-MM-DD hh:mm AM/PM" without luxon. */
function parseAmPm(text: string): Wall {
	const match = /^(\d{4})-(\d{2})-(\d{2}) (0[1-9]|1[0-2]):([0-5]\d) (AM|PM)$/.exec(text);
	if (!match) throw new Error(`Not "YYYY-MM-DD hh:mm AM/PM": ${text}`);
	const hour12 = Number(match[4]);
	const hour = (hour12 % 12) + (match[6] === 'PM' ? 12 : 0);
	return { year: +match[1], month: +match[2], day: +match[3], hour, minute: +match[5], second: 0 };
}

/** Reads Convoso's "+H.MM" offset without the code under test. */
function parseDotOffset(text: string): number {
	if (text === '0.00') return 0;
	const match = /^([+-])(\d{1,2})\.([0-5]\d)$/.exec(text);
	if (!match) throw new Error(`Not "±H.MM": ${text}`);
	return (match[1] === '-' ? -1 : 1) * (Number(match[2]) * 60 + Number(match[3]));
}

describe('the Intl oracle itself', () => {
	it('finds DST changes in the zones tested (so the transition arbitraries are not empty)', () => {
		for (const zone of [
			'America/New_York',
			'Australia/Lord_Howe',
			'Pacific/Chatham',
			'America/St_Johns',
			'Europe/Berlin',
		]) {
			expect(TRANSITIONS.filter((t) => t.zone === zone).length).toBeGreaterThan(40);
		}
		// New York springs forward on 2026-03-08 at 07:00 UTC.
		expect(TRANSITIONS).toContainEqual({
			zone: 'America/New_York',
			at: Date.UTC(2026, 2, 8, 7, 0),
		});
	});
});

describe('toConvosoCallbackTime', () => {
	it('gives the local wall clock and the offset in force, so that local − offset = the instant (to the minute)', () => {
		fc.assert(
			fc.property(zonedInstantArb, ([zone, ms]) => {
				const { callbackTime, timeZone } = toConvosoCallbackTime(
					DateTime.fromMillis(ms).setZone(zone),
				);
				const wall = parseAmPm(callbackTime);
				const offset = parseDotOffset(timeZone);
				expect(offset).toBe(intlOffsetMinutes(zone, ms));
				expect(wallAsUtcMs(wall) - offset * 60_000).toBe(Math.floor(ms / 60_000) * 60_000);
				const intl = intlWall(zone, ms);
				expect({ ...wall, second: intl.second }).toEqual(intl);
			}),
			{ numRuns: 500 },
		);
	});

	it('writes 12-hour times with AM/PM at midnight, noon and afternoon', () => {
		const at = (iso: string) =>
			toConvosoCallbackTime(DateTime.fromISO(iso, { setZone: true })).callbackTime;
		expect(at('2026-03-05T00:05:00Z')).toBe('2026-03-05 12:05 AM');
		expect(at('2026-03-05T12:00:00Z')).toBe('2026-03-05 12:00 PM');
		expect(at('2026-03-05T14:30:59.999Z')).toBe('2026-03-05 02:30 PM');
		expect(at('2026-03-05T09:07:00Z')).toBe('2026-03-05 09:07 AM');
	});

	it('uses the offset of the date itself in zones with DST', () => {
		const convoso = (iso: string, zone: string) =>
			toConvosoCallbackTime(DateTime.fromISO(iso).setZone(zone));
		expect(convoso('2026-01-15T12:00:00Z', 'America/St_Johns')).toEqual({
			callbackTime: '2026-01-15 08:30 AM',
			timeZone: '-3.30',
		});
		expect(convoso('2026-07-15T12:00:00Z', 'America/St_Johns')).toEqual({
			callbackTime: '2026-07-15 09:30 AM',
			timeZone: '-2.30',
		});
		expect(convoso('2026-01-15T12:00:00Z', 'America/New_York').timeZone).toBe('-5.00');
		expect(convoso('2026-07-15T12:00:00Z', 'America/New_York').timeZone).toBe('-4.00');
		expect(convoso('2026-03-05T09:00:00Z', 'Asia/Kolkata')).toEqual({
			callbackTime: '2026-03-05 02:30 PM',
			timeZone: '+5.30',
		});
		expect(convoso('2026-03-05T09:00:00Z', 'Asia/Kathmandu').timeZone).toBe('+5.45');
		expect(convoso('2026-01-15T00:00:00Z', 'Pacific/Chatham').timeZone).toBe('+13.45');
		expect(convoso('2026-07-15T00:00:00Z', 'Pacific/Chatham').timeZone).toBe('+12.45');
		expect(convoso('2026-01-15T00:00:00Z', 'Australia/Lord_Howe').timeZone).toBe('+11.00');
		expect(convoso('2026-07-15T00:00:00Z', 'Australia/Lord_Howe').timeZone).toBe('+10.30');
		expect(convoso('2026-07-15T00:00:00Z', 'Pacific/Kiritimati').timeZone).toBe('+14.00');
		expect(convoso('2026-07-15T00:00:00Z', 'Pacific/Pago_Pago').timeZone).toBe('-11.00');
		expect(convoso('2026-07-15T00:00:00Z', 'UTC').timeZone).toBe('0.00');
		expect(convoso('2026-07-15T00:00:00Z', 'Europe/London').timeZone).toBe('+1.00');
	});
});

describe('formatOffsetHoursDotMinutes / parseOffsetHoursDotMinutes', () => {
	it('round-trips every offset from -14 h to +14 h and writes ±H.MM', () => {
		fc.assert(
			fc.property(fc.integer({ min: -14 * 60, max: 14 * 60 }), (minutes) => {
				const text = formatOffsetHoursDotMinutes(minutes);
				expect(text).toMatch(minutes === 0 ? /^0\.00$/ : /^[+-]\d{1,2}\.[0-5]\d$/);
				expect(parseDotOffset(text)).toBe(minutes);
				expect(parseOffsetHoursDotMinutes(text)).toBe(minutes);
			}),
			RUNS,
		);
	});

	it('reads the part after the dot as minutes, not as a fraction of an hour', () => {
		expect(parseOffsetHoursDotMinutes('+5.30')).toBe(330);
		expect(parseOffsetHoursDotMinutes('+5.45')).toBe(345);
		expect(parseOffsetHoursDotMinutes('-3.30')).toBe(-210);
		expect(parseOffsetHoursDotMinutes('-2.30')).toBe(-150);
		expect(parseOffsetHoursDotMinutes('-7.00')).toBe(-420);
		expect(parseOffsetHoursDotMinutes('0.00')).toBe(0);
		expect(parseOffsetHoursDotMinutes('+12.45')).toBe(765);
		expect(parseOffsetHoursDotMinutes('5')).toBe(300);
		expect(formatOffsetHoursDotMinutes(330)).toBe('+5.30');
		expect(formatOffsetHoursDotMinutes(345)).toBe('+5.45');
		expect(formatOffsetHoursDotMinutes(-210)).toBe('-3.30');
		expect(formatOffsetHoursDotMinutes(-480)).toBe('-8.00');
		expect(formatOffsetHoursDotMinutes(0)).toBe('0.00');
		expect(formatOffsetHoursDotMinutes(840)).toBe('+14.00');
	});

	it('rejects malformed offsets instead of guessing', () => {
		for (const text of ['+5.60', '+15.00', 'abc', '', '+5.3.0', '5:30', '+5.300']) {
			expect(parseOffsetHoursDotMinutes(text)).toBeUndefined();
		}
		// "5.3" is never read as 5.3 hours (318 minutes).
		expect(parseOffsetHoursDotMinutes('+5.3')).not.toBe(318);
	});
});

describe('parseDateTimeInput', () => {
	it('reads a wall time without offset as that wall time in the zone: first occurrence in an overlap, an InputError in a gap', () => {
		let gaps = 0;
		let overlaps = 0;
		fc.assert(
			fc.property(
				zonedWallArb,
				fc.constantFrom('T', ' '),
				fc.boolean(),
				({ zone, wall }, separator, withSeconds) => {
					const input = { ...wall, second: withSeconds ? wall.second : 0 };
					const text = wallText(input, separator, withSeconds);
					const showing = instantsShowing(zone, input);
					let result: DateTime;
					try {
						result = parseDateTimeInput(text, zone, 'When');
					} catch (error) {
						expect(error).toBeInstanceOf(InputError);
						expect((error as Error).message).toContain(`'When'`);
						expect((error as Error).message).toContain(text);
						// Thrown only when no instant at all shows this wall time.
						expect(showing).toEqual([]);
						gaps++;
						return;
					}
					expect(showing.length).toBeGreaterThan(0);
					if (showing.length > 1) overlaps++;
					// The earliest instant that shows it; the clock in the zone shows it.
					expect(result.toMillis()).toBe(showing[0]);
					const { year, month, day, hour, minute, second } = input;
					expect(intlWall(zone, result.toMillis())).toEqual({
						year,
						month,
						day,
						hour,
						minute,
						second,
					});
					expect(result.zoneName).toBe(zone);
					expect(result.offset).toBe(intlOffsetMinutes(zone, result.toMillis()));
				},
			),
			{ numRuns: 400 },
		);
		// The runs did reach both kinds of DST edge cases.
		expect(gaps).toBeGreaterThan(0);
		expect(overlaps).toBeGreaterThan(0);
	});

	it('keeps the instant of inputs with Z or an offset, and shows it in the chosen zone', () => {
		fc.assert(
			fc.property(
				zoneArb,
				instantArb,
				fc.integer({ min: -12 * 4, max: 14 * 4 }).map((quarters) => quarters * 15),
				fc.constantFrom('T', ' '),
				(zone, ms, offset, separator) => {
					const shifted = utcMsAsWall(ms + offset * 60_000);
					const sign = offset < 0 ? '-' : '+';
					const text = `${wallText(shifted, separator)}.${pad(shifted.millisecond ?? 0, 3)}${sign}${pad(Math.floor(Math.abs(offset) / 60))}:${pad(Math.abs(offset) % 60)}`;
					const result = parseDateTimeInput(text, zone, 'When');
					expect(result.toMillis()).toBe(ms);
					expect(result.zoneName).toBe(zone);
					expect(result.offset).toBe(intlOffsetMinutes(zone, ms));

					const zulu = parseDateTimeInput(new Date(ms).toISOString(), zone, 'When');
					expect(zulu.toMillis()).toBe(ms);
					expect(zulu.zoneName).toBe(zone);
				},
			),
			RUNS,
		);
	});

	it('accepts the usual offset spellings', () => {
		const instant = Date.UTC(2026, 2, 5, 9, 0);
		for (const text of [
			'2026-03-05T14:30+05:30',
			'2026-03-05T14:30:00+0530',
			'2026-03-05 14:30:00+05:30',
			'2026-03-05T09:00:00Z',
			'2026-03-05T09:00:00z',
			'2026-03-05T04:00:00-05',
			'  2026-03-05T09:00:00.000Z  ',
		]) {
			expect(parseDateTimeInput(text, 'America/New_York', 'When').toMillis()).toBe(instant);
		}
	});

	it('reads epoch milliseconds, as a number or a numeric string', () => {
		fc.assert(
			fc.property(zoneArb, instantArb, (zone, ms) => {
				for (const value of [ms, String(ms), ` ${ms} `]) {
					const result = parseDateTimeInput(value, zone, 'When');
					expect(result.toMillis()).toBe(ms);
					expect(result.zoneName).toBe(zone);
				}
			}),
			RUNS,
		);
	});

	it('reads JS Dates and DateTime objects (luxon, or one from another copy of luxon, as n8n hands over)', () => {
		fc.assert(
			fc.property(zoneArb, zoneArb, instantArb, (zone, sourceZone, ms) => {
				expect(parseDateTimeInput(new Date(ms), zone, 'When').toMillis()).toBe(ms);
				const luxon = DateTime.fromMillis(ms, { zone: sourceZone });
				const fromLuxon = parseDateTimeInput(luxon, zone, 'When');
				expect(fromLuxon.toMillis()).toBe(ms);
				expect(fromLuxon.zoneName).toBe(zone);
				// A structural look-alike: only isValid and toISO, as with a foreign luxon copy.
				const offset = intlOffsetMinutes(sourceZone, ms);
				const local = utcMsAsWall(ms + offset * 60_000);
				const offsetText = `${offset < 0 ? '-' : '+'}${pad(Math.floor(Math.abs(offset) / 60))}:${pad(Math.abs(offset) % 60)}`;
				const foreign = {
					isValid: true,
					toISO: () => `${wallText(local)}.${pad(local.millisecond ?? 0, 3)}${offsetText}`,
				};
				const fromForeign = parseDateTimeInput(foreign, zone, 'When');
				expect(fromForeign.toMillis()).toBe(ms);
				expect(fromForeign.zoneName).toBe(zone);
			}),
			RUNS,
		);
	});

	it('does not depend on the zone of the machine (a date without a time is not read in server time)', () => {
		// Either rejected, or midnight in the chosen zone; never midnight somewhere else.
		for (const zone of ['Asia/Kolkata', 'America/New_York', 'Pacific/Kiritimati']) {
			let result: DateTime | undefined;
			try {
				result = parseDateTimeInput('2026-03-05', zone, 'When');
			} catch (error) {
				expect(error).toBeInstanceOf(InputError);
			}
			if (result)
				expect(intlWall(zone, result.toMillis())).toEqual({
					year: 2026,
					month: 3,
					day: 5,
					hour: 0,
					minute: 0,
					second: 0,
				});
		}
	});

	it('rejects unreadable values with an InputError naming the field and the value', () => {
		const cases: Array<[unknown, string | undefined]> = [
			['garbage', '"garbage"'],
			['', 'empty'],
			['   ', undefined],
			['2026-02-30T10:00', '2026-02-30T10:00'],
			['2026-02-29T10:00', '2026-02-29T10:00'],
			['2026-13-01T10:00', '2026-13-01T10:00'],
			['2026-03-05T25:00', '2026-03-05T25:00'],
			['2026-03-05T10:60', '2026-03-05T10:60'],
			['2026-02-30T10:00:00Z', '2026-02-30T10:00:00Z'],
			['2026-02-30T10:00:00+05:30', '2026-02-30T10:00:00+05:30'],
			['tomorrow at 5', 'tomorrow at 5'],
			['05/03/2026 14:30', '05/03/2026 14:30'],
			[null, 'null'],
			[undefined, 'nothing'],
			[true, 'true'],
			[{}, '{}'],
			[Number.NaN, 'NaN'],
			[Number.POSITIVE_INFINITY, 'Infinity'],
			[new Date(Number.NaN), undefined],
			[{ isValid: false, toISO: () => null }, undefined],
		];
		for (const [value, shown] of cases)
			expectInputError(
				() => parseDateTimeInput(value, 'UTC', 'Callback Time'),
				'Callback Time',
				shown,
			);
	});

	it('rejects epoch values that look like seconds, saying so', () => {
		for (const value of [1772700000, '1772700000', 1_000_000]) {
			const error = expectInputError(
				() => parseDateTimeInput(value, 'UTC', 'When'),
				'When',
				String(value),
			);
			expect(error.message).toMatch(/seconds/i);
		}
	});

	it('rejects wall times skipped by DST, accepts the first occurrence of repeated ones', () => {
		const gaps: Array<[string, string]> = [
			['2026-03-08T02:30', 'America/New_York'],
			['2026-03-29T02:30', 'Europe/Berlin'],
			['2026-10-04T02:15', 'Australia/Lord_Howe'],
			['2026-03-08T02:00', 'America/New_York'],
			['2026-03-08T02:59:59', 'America/New_York'],
			['2026-03-29T01:30', 'Europe/London'],
		];
		for (const [text, zone] of gaps) {
			// The oracle agrees that the time does not exist...
			const [date, time] = text.split('T');
			const [y, mo, d] = date.split('-').map(Number);
			const [h, mi, s = 0] = time.split(':').map(Number);
			expect(
				instantsShowing(zone, { year: y, month: mo, day: d, hour: h, minute: mi, second: s }),
			).toEqual([]);
			// ...and the parser says so, naming the zone.
			const error = expectInputError(() => parseDateTimeInput(text, zone, 'When'), 'When', text);
			expect(error.message).toContain(zone);
		}
		// Just outside the gaps.
		expect(parseDateTimeInput('2026-03-08T01:59', 'America/New_York', 'When').toMillis()).toBe(
			Date.UTC(2026, 2, 8, 6, 59),
		);
		expect(parseDateTimeInput('2026-03-08T03:00', 'America/New_York', 'When').toMillis()).toBe(
			Date.UTC(2026, 2, 8, 7, 0),
		);
		expect(parseDateTimeInput('2026-10-04T02:30', 'Australia/Lord_Howe', 'When').toMillis()).toBe(
			Date.UTC(2026, 9, 3, 15, 30),
		);

		const overlap = parseDateTimeInput('2026-11-01T01:30', 'America/New_York', 'When');
		expect(overlap.toISO()).toBe('2026-11-01T01:30:00.000-04:00');
		expect(overlap.toMillis()).toBe(Date.UTC(2026, 10, 1, 5, 30));
		const lordHowe = parseDateTimeInput('2026-04-05T01:45', 'Australia/Lord_Howe', 'When');
		expect(lordHowe.toISO()).toBe('2026-04-05T01:45:00.000+11:00');
		expect(lordHowe.toMillis()).toBe(Date.UTC(2026, 3, 4, 14, 45));
		const london = parseDateTimeInput('2026-10-25T01:30', 'Europe/London', 'When');
		expect(london.toMillis()).toBe(Date.UTC(2026, 9, 25, 0, 30));
	});
});

describe('assertZone', () => {
	it('accepts IANA zones (trimmed) and rejects anything else, naming the field', () => {
		for (const zone of ZONES) expect(assertZone(zone, 'Time Zone')).toBe(zone);
		expect(assertZone('  Asia/Kolkata ', 'Time Zone')).toBe('Asia/Kolkata');
		for (const bad of [
			'Mars/Olympus_Mons',
			'Asia/Calcutta_',
			'New York',
			'',
			'   ',
			'+05:30',
			null,
			undefined,
			5,
			{},
		]) {
			expectInputError(() => assertZone(bad, 'Time Zone'), 'Time Zone');
		}
		const error = expectInputError(
			() => assertZone('Mars/Olympus_Mons', 'Time Zone'),
			'Time Zone',
			'Mars/Olympus_Mons',
		);
		expect(error.message).toMatch(/IANA/);
	});
});

describe('convosoLocalTimeToIso', () => {
	it('reads both Convoso formats as wall times in the account zone (first occurrence when repeated)', () => {
		fc.assert(
			fc.property(zonedWallArb, ({ zone, wall }) => {
				const input = { ...wall, millisecond: 0 };
				const showing = instantsShowing(zone, input);
				const hour12 = input.hour % 12 === 0 ? 12 : input.hour % 12;
				const ampm = `${input.year}-${pad(input.month)}-${pad(input.day)} ${pad(hour12)}:${pad(input.minute)} ${input.hour < 12 ? 'AM' : 'PM'}`;
				const minuteWall = { ...input, second: 0 };
				const showingMinute = instantsShowing(zone, minuteWall);

				const fromSeconds = convosoLocalTimeToIso(wallText(input, ' '), zone);
				const fromAmPm = convosoLocalTimeToIso(ampm, zone);
				for (const [result, expected] of [
					[fromSeconds, showing],
					[fromAmPm, showingMinute],
				] as Array<[string | null, number[]]>) {
					expect(result).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
					if (expected.length > 0) {
						expect(result).toBe(isoUtc(expected[0]));
					} else {
						// A provider time in a DST gap is still read (never an error), next to the gap.
						const shown = wallAsUtcMs(intlWall(zone, Date.parse(result as string)));
						expect(Math.abs(shown - wallAsUtcMs(input))).toBeLessThanOrEqual(3_600_000 + 60_000);
					}
				}
			}),
			RUNS,
		);
	});

	it('reads the documented examples', () => {
		expect(convosoLocalTimeToIso('2026-03-05 14:30:00', 'America/New_York')).toBe(
			'2026-03-05T19:30:00Z',
		);
		expect(convosoLocalTimeToIso('2026-03-05 02:30 PM', 'America/New_York')).toBe(
			'2026-03-05T19:30:00Z',
		);
		expect(convosoLocalTimeToIso('2026-03-05 02:30 PM', 'Asia/Kolkata')).toBe(
			'2026-03-05T09:00:00Z',
		);
		expect(convosoLocalTimeToIso('2025-06-03 15:00:00', 'America/New_York')).toBe(
			'2025-06-03T19:00:00Z',
		);
		expect(convosoLocalTimeToIso('2026-03-05 12:15 AM', 'UTC')).toBe('2026-03-05T00:15:00Z');
		expect(convosoLocalTimeToIso('2026-03-05 12:15 PM', 'UTC')).toBe('2026-03-05T12:15:00Z');
		expect(convosoLocalTimeToIso(' 2026-03-05 14:30:00 ', 'UTC')).toBe('2026-03-05T14:30:00Z');
	});

	it('gives null for empty, zero and unreadable values', () => {
		for (const value of [
			'',
			'   ',
			'0000-00-00 00:00:00',
			'0000-00-00',
			'garbage',
			'2026-02-30 10:00:00',
			'2026-03-05 14:30 XM',
			null,
			undefined,
			5,
			{},
		]) {
			expect(convosoLocalTimeToIso(value, 'America/New_York')).toBeNull();
		}
	});
});

describe('epochMsToIsoUtc and toIsoUtc', () => {
	it('writes epoch milliseconds as ISO UTC', () => {
		fc.assert(
			fc.property(fc.integer({ min: 1, max: MAX_MS }), (ms) => {
				expect(epochMsToIsoUtc(ms)).toBe(isoUtc(ms));
				expect(epochMsToIsoUtc(String(ms))).toBe(isoUtc(ms));
			}),
			RUNS,
		);
		expect(epochMsToIsoUtc(Date.UTC(2026, 2, 5, 19, 30))).toBe('2026-03-05T19:30:00Z');
		expect(epochMsToIsoUtc(Date.UTC(2026, 2, 5, 19, 30, 0, 250))).toBe('2026-03-05T19:30:00.250Z');
		for (const value of [
			0,
			-1,
			'',
			'  ',
			'abc',
			null,
			undefined,
			Number.NaN,
			Number.POSITIVE_INFINITY,
			{},
		]) {
			expect(epochMsToIsoUtc(value)).toBeNull();
		}
	});

	it('writes any DateTime, whatever its zone, as "...Z" of the same instant', () => {
		fc.assert(
			fc.property(zoneArb, instantArb, (zone, ms) => {
				const text = toIsoUtc(DateTime.fromMillis(ms, { zone }));
				expect(text).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{3})?Z$/);
				expect(text).toBe(isoUtc(ms));
			}),
			RUNS,
		);
	});
});
