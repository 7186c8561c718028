/**
 * The hot-path time readers and writers against the luxon-based code they replace:
 * the same result for every input, DST gaps and overlaps included.
 */
import fc from 'fast-check';
import { DateTime, IANAZone } from 'luxon';

import { convosoLocalTimeToIso, convosoLocalTimeToMs } from '../../nodes/Convoso/time';
import { normalizeConvosoCallback } from '../../nodes/Convoso/normalize';
import {
	epochMsToIsoUtc,
	isoTextToIsoUtc,
	msToIsoUtc,
	startsAsDateTime,
	utcDayMs,
} from '../../nodes/shared/time';
import { offsetTransitions, pad } from './intl-oracle';

const ZONES = [
	'UTC',
	'Asia/Kolkata',
	'Asia/Kathmandu',
	'America/St_Johns',
	'Australia/Lord_Howe',
	'Pacific/Chatham',
	'America/New_York',
	'Europe/London',
	'Australia/Sydney',
	'America/Sao_Paulo',
	'Pacific/Apia',
	'Asia/Tehran',
	'Africa/Casablanca',
	'America/Santiago',
];
const DAY_MS = 86_400_000;
const RUNS = { numRuns: 500 };

// --- the code the fast paths replace, on luxon alone ---

/** The ISO UTC text of an instant, as luxon writes it. */
function luxonIso(ms: number): string | null {
	return DateTime.fromMillis(ms, { zone: 'utc' }).toISO({ suppressMilliseconds: true });
}

/** A Convoso wall time read with luxon's offsets and no cache (the rule of convosoLocalTimeToMs). */
function luxonLocalToMs(wall: string, zone: string): number | null {
	const match = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})$/.exec(wall);
	if (!match || match[1] === '0000') return null;
	const [year, month, day, hour, minute, second] = match.slice(1).map(Number);
	const wallMs = Date.UTC(year, month - 1, day, hour, minute, second);
	if (new Date(wallMs).getUTCDate() !== day || hour > 23 || minute > 59) return null;
	const iana = IANAZone.create(zone);
	const before = wallMs - iana.offset(wallMs - DAY_MS) * 60_000;
	const after = wallMs - iana.offset(wallMs + DAY_MS) * 60_000;
	const beforeHolds = wallMs - iana.offset(before) * 60_000 === before;
	const afterHolds = wallMs - iana.offset(after) * 60_000 === after;
	if (beforeHolds && afterHolds) return Math.min(before, after);
	return afterHolds ? after : before;
}

function luxonIsoText(text: string): string | null {
	const parsed = DateTime.fromISO(text.trim(), { zone: 'utc' });
	return parsed.isValid ? parsed.toUTC().toISO({ suppressMilliseconds: true }) : null;
}

const wallText = (wallMs: number, separator = ' '): string => {
	const d = new Date(wallMs);
	return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}${separator}${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
};

// Offset changes of every zone, for wall times around them.
const TRANSITIONS = ZONES.flatMap((zone) =>
	offsetTransitions(zone, Date.UTC(2019, 0, 1), Date.UTC(2029, 0, 1)).map((at) => ({ zone, at })),
);

describe('convosoLocalTimeToMs (listing form) against luxon', () => {
	it('finds offset changes to test around', () => {
		expect(TRANSITIONS.length).toBeGreaterThan(80);
	});

	it('reads every half hour (and odd seconds) from a day and a half before to a day and a half after each offset change', () => {
		const mismatches: string[] = [];
		for (const { zone, at } of TRANSITIONS) {
			const wallAt = Math.floor(at / 60_000) * 60_000;
			for (
				let wallMs = wallAt - 1.5 * DAY_MS;
				wallMs <= wallAt + 1.5 * DAY_MS;
				wallMs += 30 * 60_000
			) {
				for (const ms of [wallMs, wallMs + 7_000 + (wallMs % 53_000)]) {
					const expected = luxonLocalToMs(wallText(ms), zone);
					for (const text of [wallText(ms), wallText(ms, 'T')])
						if (convosoLocalTimeToMs(text, zone) !== expected) mismatches.push(`${zone} ${text}`);
				}
			}
		}
		expect(mismatches).toEqual([]);
	});

	it('reads any wall time from 1900 to 2100 as luxon does, whatever was read before', () => {
		fc.assert(
			fc.property(
				fc.constantFrom(...ZONES),
				fc.integer({ min: Date.UTC(1900, 0, 1) / 1000, max: Date.UTC(2100, 0, 1) / 1000 }),
				(zone, seconds) => {
					const text = wallText(seconds * 1000);
					expect(convosoLocalTimeToMs(text, zone)).toBe(luxonLocalToMs(text, zone));
				},
			),
			RUNS,
		);
	});

	it('keeps the odd readings of out-of-range fields and rejects impossible ones', () => {
		expect(convosoLocalTimeToIso('2026-13-05 10:00:00', 'UTC')).toBe('2027-01-05T10:00:00Z');
		expect(convosoLocalTimeToIso('2026-02-29 10:00:00', 'UTC')).toBeNull();
		expect(convosoLocalTimeToIso('2028-02-29 10:00:00', 'UTC')).toBe('2028-02-29T10:00:00Z');
		expect(convosoLocalTimeToIso('2026-03-05 24:00:00', 'UTC')).toBeNull();
		expect(convosoLocalTimeToIso('2026-03-05 10:60:00', 'UTC')).toBeNull();
		expect(convosoLocalTimeToIso('0000-00-00 00:00:00', 'UTC')).toBeNull();
		expect(convosoLocalTimeToIso('2026-03-05 1a:00:00', 'UTC')).toBeNull();
	});

	it('gives the normalized callback the same scheduled time and status as the ISO text would', () => {
		const account = { timezone: 'America/New_York', countryCallingCode: '1' };
		const record = { id: '7', callback_time: '2026-03-08 02:30:00', stage: 'PENDING' };
		const scheduled = Date.parse(convosoLocalTimeToIso(record.callback_time, 'America/New_York')!);
		const before = normalizeConvosoCallback(record, account, scheduled);
		const after = normalizeConvosoCallback(record, account, scheduled + 1);
		expect([before.scheduledAt, before.status, after.status]).toEqual([
			'2026-03-08T07:30:00Z',
			'scheduled',
			'past_due',
		]);
	});
});

describe('isoTextToIsoUtc against luxon', () => {
	const fieldsArb = fc.record({
		year: fc.integer({ min: 990, max: 9999 }),
		month: fc.integer({ min: 0, max: 13 }),
		day: fc.integer({ min: 0, max: 32 }),
		hour: fc.integer({ min: 0, max: 24 }),
		minute: fc.integer({ min: 0, max: 60 }),
		second: fc.integer({ min: 0, max: 60 }),
		fraction: fc.option(fc.stringMatching(/^\d{1,12}$/), { nil: undefined }),
		offset: fc.constantFrom(
			'',
			'Z',
			'z',
			'+00:00',
			'-00:30',
			'+05:30',
			'-03:30',
			'+05:45',
			'+14:00',
			'-12:00',
			'+23:59',
			'+24:00',
			'+05',
			'+0530',
		),
	});

	it('reads every text as luxon does', () => {
		fc.assert(
			fc.property(fieldsArb, (f) => {
				const text = `${pad(f.year, 4)}-${pad(f.month)}-${pad(f.day)}T${pad(f.hour)}:${pad(f.minute)}:${pad(f.second)}${f.fraction === undefined ? '' : `.${f.fraction}`}${f.offset}`;
				expect([text, isoTextToIsoUtc(text)]).toEqual([text, luxonIsoText(text)]);
			}),
			{ numRuns: 3000 },
		);
	});

	it('reads the forms providers send, with and without milliseconds', () => {
		for (const text of [
			'2026-03-05T14:30:00Z',
			' 2026-03-05T14:30:00Z ',
			'2026-03-05T14:30:00.250Z',
			'2026-03-05T14:30:00.000Z',
			'2026-03-05T14:30:00+05:30',
			'2026-03-05T14:30:00',
			'2026-03-05',
			'2026-03-05T14:30Z',
			'2026-02-29T10:00:00Z',
			'2024-02-29T10:00:00Z',
			'garbage',
		])
			expect([text, isoTextToIsoUtc(text)]).toEqual([text, luxonIsoText(text)]);
	});
});

describe('startsAsDateTime', () => {
	it('tells the start "YYYY-MM-DD?HH:mm:ss" as the regular expression does', () => {
		const charArb = fc.constantFrom('0', '5', '9', '-', ':', ' ', 'T', 't', '/', 'a', '.', '٣');
		const textArb = fc.oneof(
			// A well-formed text with up to three characters changed.
			fc.array(fc.tuple(fc.nat(19), charArb), { maxLength: 3 }).map((changes) => {
				const chars = [...'2026-03-05 14:30:00Z'];
				for (const [index, char] of changes) chars[index] = char;
				return chars.join('');
			}),
			fc.array(charArb, { minLength: 15, maxLength: 22 }).map((chars) => chars.join('')),
		);
		fc.assert(
			fc.property(textArb, fc.constantFrom(' T', 'T'), (text, between) => {
				const shape = new RegExp(`^\\d{4}-\\d{2}-\\d{2}[${between}]\\d{2}:\\d{2}:\\d{2}`);
				expect([text, between, startsAsDateTime(text, between)]).toEqual([
					text,
					between,
					shape.test(text),
				]);
			}),
			{ numRuns: 3000 },
		);
	});
});

describe('msToIsoUtc, epochMsToIsoUtc and utcDayMs', () => {
	it('write what Date and luxon write', () => {
		fc.assert(
			fc.property(
				fc.oneof(
					fc.integer({ min: -8.64e15, max: 8.64e15 }),
					fc.integer({ min: Date.UTC(1000, 0, 1) - DAY_MS, max: Date.UTC(10_000, 0, 1) + DAY_MS }),
					fc.integer({ min: 0, max: Date.UTC(2100, 0, 1) / 1000 }).map((s) => s * 1000),
					fc.double({ min: 1, max: 4e12, noNaN: true }),
				),
				(ms) => {
					expect(msToIsoUtc(ms)).toBe(new Date(ms).toISOString().replace('.000Z', 'Z'));
					if (ms > 0 && ms <= 8.64e15) expect(epochMsToIsoUtc(ms)).toBe(luxonIso(ms));
				},
			),
			{ numRuns: 3000 },
		);
		expect(() => msToIsoUtc(Number.NaN)).toThrow(RangeError);
	});

	it('counts days as Date.UTC does', () => {
		fc.assert(
			fc.property(
				fc.integer({ min: 0, max: 10_000 }),
				fc.integer({ min: 1, max: 12 }),
				fc.integer({ min: 1, max: 31 }),
				(year, month, day) => {
					const date = new Date(0);
					date.setUTCFullYear(year, month - 1, day);
					fc.pre(date.getUTCDate() === day);
					expect(utcDayMs(year, month, day)).toBe(date.getTime());
				},
			),
			{ numRuns: 3000 },
		);
	});
});
