import { DateTime, IANAZone } from 'luxon';

import { InputError } from './errors';

/**
 * Time rules shared by every provider:
 * - user input is an ISO date-time, an n8n DateTime, a JS Date or epoch milliseconds;
 * - input with an offset (or Z) is an exact instant; input without one is a wall-clock
 *   time in the IANA zone the user chose;
 * - a wall-clock time that does not exist (the spring-forward gap) is an error;
 *   one that happens twice (the fall-back overlap) means its first occurrence;
 * - every time the nodes output is ISO 8601 in UTC.
 */

export function assertZone(zone: unknown, field: string): string {
	const name = typeof zone === 'string' ? zone.trim() : '';
	if (validZones.has(name)) return name;
	if (name === '' || !IANAZone.isValidZone(name)) {
		throw new InputError(
			field,
			zone,
			'an IANA time zone such as "America/New_York" or "Asia/Kolkata"',
		);
	}
	if (validZones.size >= 1_000) validZones.clear();
	validZones.add(name);
	return name;
}

/**
 * Zones already found valid: luxon asks Intl (a new formatter) every time, and the
 * zone is checked for every item.
 */
const validZones = new Set<string>();

const WALL_TIME = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?$/;
// The offset must follow a time: in a bare date "2026-03-05" the "-05" is the day.
const HAS_OFFSET = /[T ]\d.*(?:Z|[+-]\d{2}(?::?\d{2})?)$/i;
/** Epoch milliseconds below this (March 1973) are almost surely seconds. */
const MIN_EPOCH_MS = 1e11;

const EXPECTED_DATETIME =
	'an ISO 8601 date-time (e.g. "2026-03-05T14:30" in the chosen zone, or "2026-03-05T14:30:00Z"), an n8n DateTime, or epoch milliseconds';

/**
 * Reads a date-time given by a user. The result is set to `zone`, so its wall
 * clock is what a person in that zone sees.
 */
export function parseDateTimeInput(value: unknown, zone: string, field: string): DateTime {
	const fail = () => new InputError(field, value, EXPECTED_DATETIME);

	if (isDateTimeLike(value)) {
		// n8n hands over luxon DateTime objects, possibly from another copy of luxon.
		const iso = value.toISO();
		if (!value.isValid || iso === null) throw fail();
		return DateTime.fromISO(iso, { setZone: true }).setZone(zone);
	}
	if (value instanceof Date) {
		if (Number.isNaN(value.getTime())) throw fail();
		return DateTime.fromJSDate(value).setZone(zone);
	}
	if (typeof value === 'number' || (typeof value === 'string' && /^\d{10,}$/.test(value.trim()))) {
		const ms = Number(value);
		if (!Number.isFinite(ms)) throw fail();
		if (ms < MIN_EPOCH_MS) {
			throw new InputError(
				field,
				value,
				'epoch milliseconds (this looks like seconds: multiply by 1000)',
			);
		}
		return DateTime.fromMillis(ms, { zone });
	}
	if (typeof value !== 'string' || value.trim() === '') throw fail();

	const text = value.trim();
	if (HAS_OFFSET.test(text)) {
		// The usual form read without luxon's parser (it runs for every item).
		const ms = plainIsoToMs(text);
		if (ms !== undefined) return DateTime.fromMillis(ms, { zone });
		const instant = DateTime.fromISO(text.replace(' ', 'T'), { setZone: true });
		if (!instant.isValid) throw fail();
		return instant.setZone(zone);
	}
	const match = WALL_TIME.exec(text);
	if (!match) throw fail();
	const [, year, month, day, hour, minute, second, fraction] = match;
	return wallTimeInZone(
		{
			year: +year,
			month: +month,
			day: +day,
			hour: +hour,
			minute: +minute,
			second: second === undefined ? 0 : +second,
			millisecond: fraction === undefined ? 0 : Math.floor(Number(`0.${fraction}`) * 1000),
		},
		zone,
		field,
		value,
	);
}

export interface WallTime {
	year: number;
	month: number;
	day: number;
	hour: number;
	minute: number;
	second?: number;
	millisecond?: number;
}

/**
 * The instant at which clocks in `zone` show `wall`. Rejects times skipped by a
 * DST change; for times shown twice, picks the first occurrence.
 */
export function wallTimeInZone(
	wall: WallTime,
	zone: string,
	field: string,
	original: unknown = wall,
): DateTime {
	const asUtc = DateTime.fromObject(wall, { zone: 'utc' });
	if (!asUtc.isValid || asUtc.month !== wall.month || asUtc.day !== wall.day) {
		throw new InputError(field, original, EXPECTED_DATETIME);
	}
	const iana = IANAZone.create(zone);
	const wallMs = asUtc.toMillis();
	// The zone's offsets on either side of this wall time; a DST change in between
	// gives two candidates. Keep those whose offset is really in force at that instant.
	const dayMs = 86_400_000;
	const candidates = [iana.offset(wallMs - dayMs), iana.offset(wallMs + dayMs)]
		.map((offsetMinutes) => wallMs - offsetMinutes * 60_000)
		.filter((instant) => wallMs - iana.offset(instant) * 60_000 === instant)
		.sort((a, b) => a - b);
	if (candidates.length === 0) {
		throw new InputError(
			field,
			original,
			`a time that exists in ${zone}: on that date the clocks skip it (daylight saving time starts)`,
		);
	}
	return DateTime.fromMillis(candidates[0], { zone });
}

interface DateTimeLike {
	isValid: boolean;
	toISO(): string | null;
}

function isDateTimeLike(value: unknown): value is DateTimeLike {
	return (
		typeof value === 'object' &&
		value !== null &&
		typeof (value as DateTimeLike).toISO === 'function' &&
		typeof (value as DateTimeLike).isValid === 'boolean'
	);
}

/** ISO 8601 in UTC, without milliseconds when they are zero: "2026-03-05T19:30:00Z". */
export function toIsoUtc(time: DateTime): string {
	return time.toUTC().toISO({ suppressMilliseconds: true }) as string;
}

const HOUR_MS = 3_600_000;
const YEAR_1000_MS = Date.UTC(1000, 0, 1);
const YEAR_10000_MS = Date.UTC(10_000, 0, 1);
/** "YYYY-MM-DDTHH:" of the UTC hours seen lately: a listing's times share few hours. */
const hourPrefixes = new Map<number, string>();
/** "mm:ss" for every second of an hour; "mm:ssZ" the same closed. */
const MINUTES_SECONDS_OPEN = Array.from(
	{ length: 3600 },
	(_, second) =>
		`${String(Math.floor(second / 60)).padStart(2, '0')}:${String(second % 60).padStart(2, '0')}`,
);
const MINUTES_SECONDS = MINUTES_SECONDS_OPEN.map((text) => `${text}Z`);
/** ".mmmZ" for every millisecond of a second. */
const MILLIS = Array.from({ length: 1000 }, (_, ms) => `.${String(ms).padStart(3, '0')}Z`);

/** The instant last written by msToIsoUtc, and its text. */
let lastMs = NaN;
let lastIso = '';

/** Epoch milliseconds as ISO 8601 UTC, without milliseconds when they are zero (no luxon: hot paths use it). */
export function msToIsoUtc(ms: number): string {
	// A record's update time is most often its creation time, written right after it:
	// the two share one text instead of each record holding two.
	if (ms !== lastMs) {
		lastIso = formatIsoUtc(ms);
		lastMs = ms;
	}
	return lastIso;
}

function formatIsoUtc(ms: number): string {
	if (!(ms >= YEAR_1000_MS && ms < YEAR_10000_MS) || !Number.isInteger(ms))
		return new Date(ms).toISOString().replace('.000Z', 'Z');
	const hour = Math.floor(ms / HOUR_MS);
	const inHour = ms - hour * HOUR_MS;
	// A four-digit year: shared pieces instead of a Date and two strings.
	let prefix = hourPrefixes.get(hour);
	if (prefix === undefined) {
		if (hourPrefixes.size >= 50_000) hourPrefixes.clear();
		prefix = new Date(hour * HOUR_MS).toISOString().slice(0, 14);
		hourPrefixes.set(hour, prefix);
	}
	const millis = inHour % 1000;
	if (millis === 0) return prefix + MINUTES_SECONDS[inHour / 1000];
	return prefix + MINUTES_SECONDS_OPEN[(inHour - millis) / 1000] + MILLIS[millis];
}

/** The ISO form providers send ("2026-03-05T14:30:00Z", "...14:30:00.250+05:30"), read without luxon. */
const ISO_DATE_TIME =
	/^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,30}))?(?:(Z)|([+-])(\d{2}):(\d{2}))?$/;

/** An ISO 8601 date-time from a provider, rewritten as ISO UTC; null when empty or unreadable. */
export function isoTextToIsoUtc(text: unknown): string | null {
	if (typeof text !== 'string' || text.trim() === '') return null;
	const ms = plainIsoToMs(text.trim());
	if (ms !== undefined) return msToIsoUtc(ms);
	const parsed = DateTime.fromISO(text.trim(), { zone: 'utc' });
	return parsed.isValid ? toIsoUtc(parsed) : null;
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Days in a month (1-12) of the proleptic Gregorian calendar. */
export function daysInMonth(year: number, month: number): number {
	const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
	return month === 2 && leap ? 29 : DAYS_IN_MONTH[month - 1];
}

/** Whether date and time fields name a real wall time, from the year 1000 (the fast paths read four-digit years). */
export function isWallTimeInRange(
	year: number,
	month: number,
	day: number,
	hour: number,
	minute: number,
	second: number,
): boolean {
	return (
		year >= 1000 &&
		month >= 1 &&
		month <= 12 &&
		day >= 1 &&
		day <= daysInMonth(year, month) &&
		hour <= 23 &&
		minute <= 59 &&
		second <= 59
	);
}

/**
 * Date.UTC(year, month - 1, day) for a real date of a year from 0, by arithmetic: the
 * Date built-ins are most of the cost of reading a time (Hinnant's days_from_civil).
 */
export function utcDayMs(year: number, month: number, day: number): number {
	const y = month <= 2 ? year - 1 : year;
	const era = Math.floor(y / 400);
	const yearOfEra = y - era * 400;
	const dayOfYear = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + day - 1;
	const dayOfEra =
		yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
	return (era * 146_097 + dayOfEra - 719_468) * 86_400_000;
}

/**
 * "YYYY-MM-DD?HH:mm:ss" as character codes, 0 for a digit and 1 for the separator
 * between date and time.
 */
const DATE_TIME_SHAPE = Array.from('0000-00-00?00:00:00', (char) =>
	char === '0' ? 0 : char === '?' ? 1 : char.charCodeAt(0),
);

/**
 * Whether a text starts "YYYY-MM-DD?HH:mm:ss", where ? is one of `between`: checked
 * by character code, since a regular expression's captures (or a string per
 * character) cost more than the rest of reading a time.
 */
export function startsAsDateTime(text: string, between: string): boolean {
	if (text.length < 19) return false;
	for (let index = 0; index < 19; index++) {
		const code = text.charCodeAt(index);
		const shape = DATE_TIME_SHAPE[index];
		if (
			shape === 0
				? code < 48 || code > 57
				: shape === 1
					? !between.includes(text[index])
					: code !== shape
		)
			return false;
	}
	return true;
}

/** The number written by `count` digits from `start` (checked to be digits). */
export function digitsAt(text: string, start: number, count: number): number {
	let value = 0;
	for (let index = start; index < start + count; index++)
		value = value * 10 + text.charCodeAt(index) - 48;
	return value;
}

/**
 * Epoch ms of an ISO text in the common forms with every field in range, read as
 * luxon reads it (no offset: UTC; a fraction floored to milliseconds); undefined for
 * anything else, which luxon then reads.
 */
function plainIsoToMs(text: string): number | undefined {
	// "2026-03-05T14:30:00Z", what most providers send.
	if (text.length === 20 && text[19] === 'Z' && startsAsDateTime(text, 'T')) {
		return isoFieldsToMs(
			digitsAt(text, 0, 4),
			digitsAt(text, 5, 2),
			digitsAt(text, 8, 2),
			digitsAt(text, 11, 2),
			digitsAt(text, 14, 2),
			digitsAt(text, 17, 2),
			undefined,
			0,
		);
	}
	const match = ISO_DATE_TIME.exec(text);
	if (!match) return undefined;
	const [, year, month, day, hour, minute, second, fraction, , sign, offsetHours, offsetMinutes] =
		match;
	if (sign !== undefined && (+offsetHours > 23 || +offsetMinutes > 59)) return undefined;
	const offset =
		sign === undefined ? 0 : (sign === '-' ? -1 : 1) * (+offsetHours * 60 + +offsetMinutes);
	return isoFieldsToMs(+year, +month, +day, +hour, +minute, +second, fraction, offset);
}

function isoFieldsToMs(
	year: number,
	month: number,
	day: number,
	hour: number,
	minute: number,
	second: number,
	fraction: string | undefined,
	offsetMinutes: number,
): number | undefined {
	if (!isWallTimeInRange(year, month, day, hour, minute, second)) return undefined;
	const millisecond = fraction === undefined ? 0 : Math.floor(parseFloat(`0.${fraction}`) * 1000);
	const wallMs = utcDayMs(year, month, day) + ((hour * 60 + minute) * 60 + second) * 1000;
	return wallMs + millisecond - offsetMinutes * 60_000;
}

/** Epoch milliseconds of an ISO date-time text; null when empty or unreadable. */
export function isoToMs(value: unknown): number | null {
	const ms = typeof value === 'string' ? Date.parse(value) : NaN;
	return Number.isNaN(ms) ? null : ms;
}

/** Epoch milliseconds (a number or numeric string) as ISO UTC, or null. */
export function epochMsToIsoUtc(value: unknown): string | null {
	const ms = epochMs(value);
	if (ms === null) return null;
	if (ms < YEAR_10000_MS) return msToIsoUtc(ms);
	return toIsoUtc(DateTime.fromMillis(ms, { zone: 'utc' }));
}

/** Epoch milliseconds given as a number or its text; null when empty, not a number, or not after 1970. */
export function epochMs(value: unknown): number | null {
	const ms = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
	return typeof ms === 'number' && Number.isFinite(ms) && ms > 0 ? ms : null;
}
