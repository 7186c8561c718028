/**
 * An independent time-zone oracle for the unit tests, built on the platform's
 * Intl API only (never on luxon, which the code under test uses).
 */

const offsetFormatters = new Map<string, Intl.DateTimeFormat>();
const wallFormatters = new Map<string, Intl.DateTimeFormat>();

function offsetFormatter(zone: string): Intl.DateTimeFormat {
	let formatter = offsetFormatters.get(zone);
	if (!formatter) {
		formatter = new Intl.DateTimeFormat('en-US', { timeZone: zone, timeZoneName: 'longOffset' });
		offsetFormatters.set(zone, formatter);
	}
	return formatter;
}

function wallFormatter(zone: string): Intl.DateTimeFormat {
	let formatter = wallFormatters.get(zone);
	if (!formatter) {
		formatter = new Intl.DateTimeFormat('en-US', {
			timeZone: zone,
			hourCycle: 'h23',
			year: 'numeric',
			month: '2-digit',
			day: '2-digit',
			hour: '2-digit',
			minute: '2-digit',
			second: '2-digit',
		});
		wallFormatters.set(zone, formatter);
	}
	return formatter;
}

/** The UTC offset in force in `zone` at `ms`, in minutes, as Intl reports it ("GMT+05:45"). */
export function intlOffsetMinutes(zone: string, ms: number): number {
	const name = offsetFormatter(zone)
		.formatToParts(new Date(ms))
		.find((part) => part.type === 'timeZoneName')?.value;
	if (name === 'GMT') return 0;
	const match = /^GMT([+-])(\d{2}):(\d{2})$/.exec(name ?? '');
	if (!match) throw new Error(`Unexpected Intl offset "${name}" for ${zone}`);
	return (match[1] === '-' ? -1 : 1) * (Number(match[2]) * 60 + Number(match[3]));
}

export interface Wall {
	year: number;
	month: number;
	day: number;
	hour: number;
	minute: number;
	second: number;
	millisecond?: number;
}

/** What a clock in `zone` shows at `ms`, to the second, as Intl reports it. */
export function intlWall(zone: string, ms: number): Wall {
	const parts = wallFormatter(zone).formatToParts(new Date(ms));
	const get = (type: Intl.DateTimeFormatPartTypes) =>
		Number(parts.find((part) => part.type === type)?.value);
	return {
		year: get('year'),
		month: get('month'),
		day: get('day'),
		hour: get('hour'),
		minute: get('minute'),
		second: get('second'),
	};
}

/** The wall time read as if it were UTC: a plain number to compare and shift wall times. */
export function wallAsUtcMs(wall: Wall): number {
	return Date.UTC(
		wall.year,
		wall.month - 1,
		wall.day,
		wall.hour,
		wall.minute,
		wall.second,
		wall.millisecond ?? 0,
	);
}

export function utcMsAsWall(ms: number): Wall {
	const date = new Date(ms);
	return {
		year: date.getUTCFullYear(),
		month: date.getUTCMonth() + 1,
		day: date.getUTCDate(),
		hour: date.getUTCHours(),
		minute: date.getUTCMinutes(),
		second: date.getUTCSeconds(),
		millisecond: date.getUTCMilliseconds(),
	};
}

/**
 * Every instant at which clocks in `zone` show `wall`, ascending. An instant t shows
 * W exactly when t + offset(t) = W; in the years tested every offset of the zones
 * tested is a multiple of 15 minutes between -12 h and +14 h, so trying each such
 * offset finds them all. Empty for a wall time skipped by a DST change.
 */
export function instantsShowing(zone: string, wall: Wall): number[] {
	const wallMs = wallAsUtcMs(wall);
	const found: number[] = [];
	for (let quarters = -12 * 4; quarters <= 14 * 4; quarters++) {
		const instant = wallMs - quarters * 15 * 60_000;
		if (intlOffsetMinutes(zone, instant) === quarters * 15) found.push(instant);
	}
	return found.sort((a, b) => a - b);
}

/** Instants (to the minute) at which `zone` changes its offset between two dates. */
export function offsetTransitions(zone: string, fromMs: number, toMs: number): number[] {
	const step = 7 * 86_400_000;
	const result: number[] = [];
	let previous = intlOffsetMinutes(zone, fromMs);
	for (let start = fromMs; start < toMs; start += step) {
		const end = start + step;
		const next = intlOffsetMinutes(zone, end);
		if (next !== previous) {
			// Binary search for the first minute with the new offset.
			let low = start;
			let high = end;
			while (high - low > 60_000) {
				const mid = low + Math.floor((high - low) / 120_000) * 60_000;
				if (intlOffsetMinutes(zone, mid) === previous) low = mid;
				else high = mid;
			}
			result.push(high);
		}
		previous = next;
	}
	return result;
}

export const pad = (value: number, width = 2): string => String(value).padStart(width, '0');

/** ISO 8601 UTC as the package writes it: no milliseconds when they are zero. */
export function isoUtc(ms: number): string {
	return new Date(ms).toISOString().replace(/\.000Z$/, 'Z');
}
