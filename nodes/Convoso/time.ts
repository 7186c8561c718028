import { DateTime, IANAZone } from 'luxon';
import {
	digitsAt,
	isWallTimeInRange,
	msToIsoUtc,
	startsAsDateTime,
	utcDayMs,
} from '../shared/time';

/**
 * Convoso's time formats: callback times are local wall-clock text without a zone
 * ("2026-03-05 14:30:00", "2026-03-05 02:30 PM"), read in the account's zone; a
 * callback is written as local "YYYY-MM-DD hh:mm AM/PM" plus an offset "±H.MM"
 * whose digits after the dot are minutes.
 */

/** Every local format Convoso uses: date, then optionally a 24 h or 12 h time. */
const LOCAL_TIME =
	/^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?(?:\s*([AaPp])[Mm])?)?$/;

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;
/**
 * How far apart offsets are taken to see that a zone keeps one offset for a few days:
 * no zone changes its offset and back again within six hours.
 */
const SAMPLE_MS = 6 * HOUR_MS;

/**
 * A zone's UTC offsets, remembered: asking Intl for an offset is the cost of reading
 * a time, and a listing's times share few days. An hour is remembered only when the
 * offset is the same at its start and its end (no DST change inside).
 */
class ZoneOffsets {
	private readonly zone: IANAZone;
	private readonly byHour = new Map<number, number | null>();
	private readonly byDay = new Map<number, number | null>();
	private readonly samples = new Map<number, number>();

	constructor(name: string) {
		this.zone = IANAZone.create(name);
	}

	/** The offset in minutes at an instant. */
	at(ms: number): number {
		const hour = Math.floor(ms / HOUR_MS);
		let offset = this.byHour.get(hour);
		if (offset === undefined) {
			if (this.byHour.size > 50_000) this.byHour.clear();
			const start = this.zone.offset(hour * HOUR_MS);
			offset = start === this.zone.offset((hour + 1) * HOUR_MS - 1) ? start : null;
			this.byHour.set(hour, offset);
		}
		return offset ?? this.zone.offset(ms);
	}

	/**
	 * The offset in force from the start of the day before `day` (days since the epoch)
	 * to the end of the day after it, or null when it changes in that time. Every
	 * instant the reading of a wall time on `day` looks at lies in those three days.
	 */
	steadyAround(day: number): number | null {
		let offset = this.byDay.get(day);
		if (offset === undefined) {
			if (this.byDay.size > 50_000) this.byDay.clear();
			const start = (day - 1) * DAY_MS;
			offset = this.sample(start);
			for (let ms = start + SAMPLE_MS; ms <= (day + 2) * DAY_MS && offset !== null; ms += SAMPLE_MS)
				if (this.sample(ms) !== offset) offset = null;
			this.byDay.set(day, offset);
		}
		return offset;
	}

	private sample(ms: number): number {
		let offset = this.samples.get(ms);
		if (offset === undefined) {
			if (this.samples.size > 50_000) this.samples.clear();
			offset = this.zone.offset(ms);
			this.samples.set(ms, offset);
		}
		return offset;
	}
}

const zones = new Map<string, ZoneOffsets>();

function offsetsOf(name: string): ZoneOffsets {
	let zone = zones.get(name);
	if (!zone) {
		zone = new ZoneOffsets(name);
		zones.set(name, zone);
	}
	return zone;
}

/**
 * Reads a Convoso local time in `zone` and returns it as ISO UTC; null when empty,
 * zeroed ("0000-00-00 ...") or unreadable. Called for every record of a listing, so
 * it parses with one regular expression and the zone's offset rule, not a formatter.
 * A time inside a DST gap (bad data) is read with the offset before the gap.
 */
export function convosoLocalTimeToIso(text: unknown, zone: string): string | null {
	const ms = convosoLocalTimeToMs(text, zone);
	return ms === null ? null : msToIsoUtc(ms);
}

/** Epoch ms of a Convoso local time, or null (see convosoLocalTimeToIso). */
export function convosoLocalTimeToMs(text: unknown, zone: string): number | null {
	if (typeof text !== 'string') return null;
	const trimmed = text.trim();
	// Luxon reads nothing from an empty text either; asking it costs more than the rest.
	if (trimmed === '') return null;
	let wallMs: number | null;
	// "2026-03-05 14:30:00", the form of every time in a listing.
	if (trimmed.length === 19 && startsAsDateTime(trimmed, ' T')) {
		if (digitsAt(trimmed, 0, 4) === 0) return null;
		wallMs = wallTimeMs(
			digitsAt(trimmed, 0, 4),
			digitsAt(trimmed, 5, 2),
			digitsAt(trimmed, 8, 2),
			digitsAt(trimmed, 11, 2),
			digitsAt(trimmed, 14, 2),
			digitsAt(trimmed, 17, 2),
		);
	} else {
		const match = LOCAL_TIME.exec(trimmed);
		if (!match) {
			// Not one of Convoso's formats: an ISO text, perhaps with its own offset.
			const iso = DateTime.fromISO(trimmed, { zone });
			return iso.isValid ? iso.toMillis() : null;
		}
		if (match[1] === '0000') return null;
		const [, year, month, day, hourText, minute, second, meridiem] = match;
		let hour = hourText === undefined ? 0 : Number(hourText);
		if (meridiem !== undefined) {
			if (hour < 1 || hour > 12) return null;
			hour = (hour % 12) + (meridiem.toUpperCase() === 'P' ? 12 : 0);
		}
		wallMs = wallTimeMs(+year, +month, +day, hour, Number(minute ?? 0), Number(second ?? 0));
	}
	if (wallMs === null) return null;
	const offsets = offsetsOf(zone);
	const steady = offsets.steadyAround(Math.floor(wallMs / DAY_MS));
	return steady === null ? instantOfWallTime(wallMs, offsets) : wallMs - steady * 60_000;
}

/**
 * A wall time's fields as if they were UTC, or null when they are not a time. Fields
 * out of range are read as Date.UTC reads them (a 13th month is January), as they
 * always were; a wrong day of the month, an hour past 23 or a minute past 59 is null.
 */
function wallTimeMs(
	year: number,
	month: number,
	day: number,
	hour: number,
	minute: number,
	second: number,
): number | null {
	if (isWallTimeInRange(year, month, day, hour, minute, second))
		return utcDayMs(year, month, day) + ((hour * 60 + minute) * 60 + second) * 1000;
	const wallMs = Date.UTC(year, month - 1, day, hour, minute, second);
	if (Number.isNaN(wallMs) || new Date(wallMs).getUTCDate() !== day || hour > 23 || minute > 59)
		return null;
	return wallMs;
}

/**
 * The instant at which clocks in `zone` show the wall time `wallMs` (given as if it
 * were UTC). Two candidate offsets, a day apart, cover any DST change; of those in
 * force, the first occurrence wins (the fall-back overlap). Where the offset holds
 * all around the day, this is the wall time minus that offset.
 */
function instantOfWallTime(wallMs: number, zone: ZoneOffsets): number {
	const before = wallMs - zone.at(wallMs - 86_400_000) * 60_000;
	const after = wallMs - zone.at(wallMs + 86_400_000) * 60_000;
	const beforeHolds = wallMs - zone.at(before) * 60_000 === before;
	const afterHolds = wallMs - zone.at(after) * 60_000 === after;
	if (beforeHolds && afterHolds) return Math.min(before, after);
	return afterHolds ? after : before;
}

/**
 * A UTC offset as Convoso writes it: hours, a dot, then minutes (not a fraction):
 * +5.30 is 5 h 30 min, -3.30 is Newfoundland, +5.45 is Nepal, 0.00 is UTC.
 */
export function formatOffsetHoursDotMinutes(offsetMinutes: number): string {
	if (offsetMinutes === 0) return '0.00';
	const sign = offsetMinutes < 0 ? '-' : '+';
	const abs = Math.abs(offsetMinutes);
	return `${sign}${Math.floor(abs / 60)}.${String(abs % 60).padStart(2, '0')}`;
}

/** Parses Convoso's "+5.30" back into minutes (+330). Returns undefined when malformed. */
export function parseOffsetHoursDotMinutes(text: string): number | undefined {
	const match = /^([+-])?(\d{1,2})(?:\.(\d{2}))?$/.exec(text.trim());
	if (!match) return undefined;
	const minutes = Number(match[3] ?? '0');
	if (minutes >= 60 || Number(match[2]) > 14) return undefined;
	return (match[1] === '-' ? -1 : 1) * (Number(match[2]) * 60 + minutes);
}

/**
 * Convoso's callback time for an instant, as seen in the zone the time is set to:
 * local "YYYY-MM-DD hh:mm AM/PM" plus the offset in force at that instant (so DST
 * on that date is accounted for). Convoso counts in whole minutes: seconds are dropped.
 */
export function toConvosoCallbackTime(time: DateTime): { callbackTime: string; timeZone: string } {
	const minute = time.startOf('minute');
	return {
		callbackTime: minute.setLocale('en-US').toFormat('yyyy-MM-dd hh:mm a'),
		timeZone: formatOffsetHoursDotMinutes(minute.offset),
	};
}
