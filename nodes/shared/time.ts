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
	if (typeof zone !== 'string' || zone.trim() === '' || !IANAZone.isValidZone(zone.trim())) {
		throw new InputError(
			field,
			zone,
			'an IANA time zone such as "America/New_York" or "Asia/Kolkata"',
		);
	}
	return zone.trim();
}

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

/** Epoch milliseconds as ISO 8601 UTC, without milliseconds when they are zero (no luxon: hot paths use it). */
export function msToIsoUtc(ms: number): string {
	return new Date(ms).toISOString().replace('.000Z', 'Z');
}

/** An ISO 8601 date-time from a provider, rewritten as ISO UTC; null when empty or unreadable. */
export function isoTextToIsoUtc(text: unknown): string | null {
	if (typeof text !== 'string' || text.trim() === '') return null;
	const parsed = DateTime.fromISO(text.trim(), { zone: 'utc' });
	return parsed.isValid ? toIsoUtc(parsed) : null;
}

/** Epoch milliseconds of an ISO date-time text; null when empty or unreadable. */
export function isoToMs(value: unknown): number | null {
	const ms = typeof value === 'string' ? Date.parse(value) : NaN;
	return Number.isNaN(ms) ? null : ms;
}

/** Epoch milliseconds (a number or numeric string) as ISO UTC, or null. */
export function epochMsToIsoUtc(value: unknown): string | null {
	const ms = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
	if (typeof ms !== 'number' || !Number.isFinite(ms) || ms <= 0) return null;
	return toIsoUtc(DateTime.fromMillis(ms, { zone: 'utc' }));
}
