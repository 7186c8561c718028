import { DateTime } from 'luxon';

import { NANP_AREA_REGIONS, PHONE_ZONE_NAMES, PREFIX_ZONES } from './phoneZones.data';

/**
 * The calling-hours guard's rules: when a call may ring at the callee's location.
 * A safety net, not legal advice. Each window is [start, end] in the callee's local
 * wall time (a call at exactly the end minute is allowed: the rules forbid calls
 * "before" and "after" the hours). When the callee may be in several zones (a number
 * whose area spans zones, or a country-wide prefix), a time is allowed only when it is
 * allowed in every one of them.
 */

export type CallingRuleSet = 'us' | 'canada' | 'india' | 'general' | 'custom';

export interface CallingHoursRules {
	ruleSet: CallingRuleSet;
	/** For 'custom': "HH:mm" start and end, and the weekdays (1 = Monday … 7 = Sunday). */
	custom?: { start: string; end: string; days: readonly number[] };
	/** Local dates (YYYY-MM-DD, in the callee's zone) with no calls at all. */
	blockedDates?: readonly string[];
}

export interface Callee {
	/** Every zone the callee may be in. */
	zones: string[];
	/** The NANP area code's state or province (two letters), when known. */
	region?: string;
	/** Where the zones came from, for messages. */
	from: 'the Callee Time Zone field' | 'the provider' | 'the phone number';
}

interface DayWindow {
	start: number;
	end: number;
	rule: string;
}

const minutes = (text: string) => {
	const [hour, minute] = text.split(':').map(Number);
	return hour * 60 + minute;
};

/** US states whose own rules end calls at 20:00 (the federal rule says 21:00). */
const US_EIGHT_PM_STATES: Record<string, string> = {
	FL: 'Florida (Fla. Stat. 501.616)',
	OK: 'Oklahoma (Okla. Stat. tit. 15, 775C.4)',
	WA: 'Washington (RCW 80.36.390)',
};

/** The window of one local day, or null when no call is allowed that day. */
function windowOf(rules: CallingHoursRules, day: DateTime, region?: string): DayWindow | null {
	const date = day.toISODate();
	if (date && rules.blockedDates?.includes(date)) return null;
	switch (rules.ruleSet) {
		case 'us': {
			const state = region ? US_EIGHT_PM_STATES[region] : undefined;
			return state
				? { start: 8 * 60, end: 20 * 60, rule: `${state}: 08:00-20:00` }
				: { start: 8 * 60, end: 21 * 60, rule: 'US federal (47 CFR 64.1200(c)(1)): 08:00-21:00' };
		}
		case 'canada':
			return day.weekday <= 5
				? {
						start: 9 * 60,
						end: 21 * 60 + 30,
						rule: 'Canada (CRTC telemarketing rules): weekdays 09:00-21:30',
					}
				: {
						start: 10 * 60,
						end: 18 * 60,
						rule: 'Canada (CRTC telemarketing rules): weekends 10:00-18:00',
					};
		case 'india':
			return { start: 9 * 60, end: 21 * 60, rule: 'India (TRAI): 09:00-21:00' };
		case 'general':
			return {
				start: 8 * 60,
				end: 21 * 60,
				rule: 'general window (no country rule bundled): 08:00-21:00',
			};
		case 'custom': {
			const custom = rules.custom!;
			if (!custom.days.includes(day.weekday)) return null;
			return {
				start: minutes(custom.start),
				end: minutes(custom.end),
				rule: `custom window: ${custom.start}-${custom.end}`,
			};
		}
	}
}

/** The zones and region of a phone number in E.164 (+ and digits), from the bundled data. */
export function zonesOfPhone(phone: string): { zones: string[]; region?: string } | undefined {
	const digits = phone.replace(/[^\d]/g, '');
	if (!phone.trim().startsWith('+') || digits.length < 7) return undefined;
	for (let length = Math.min(digits.length, 9); length >= 1; length--) {
		const entry = PREFIX_ZONES[digits.slice(0, length)];
		if (entry === undefined) continue;
		const zones = entry.split(',').map((index) => PHONE_ZONE_NAMES[Number(index)]);
		const region = digits.startsWith('1') ? NANP_AREA_REGIONS[digits.slice(1, 4)] : undefined;
		return { zones, ...(region && { region }) };
	}
	return undefined;
}

/**
 * The callee's zones, in order of preference: the zone the user set, the zone the
 * provider keeps for the callback, the phone number. The region (for state rules)
 * always comes from the number. Undefined when no zone can be determined.
 */
export function resolveCallee(input: {
	zone?: string;
	providerZone?: string | null;
	phone?: string | null;
}): Callee | undefined {
	const fromPhone = input.phone ? zonesOfPhone(input.phone) : undefined;
	const region = fromPhone?.region;
	if (input.zone) return { zones: [input.zone], region, from: 'the Callee Time Zone field' };
	if (input.providerZone) return { zones: [input.providerZone], region, from: 'the provider' };
	if (fromPhone) return { zones: fromPhone.zones, region, from: 'the phone number' };
	return undefined;
}

export interface Refusal {
	zone: string;
	/** The local time refused, e.g. "Tue 2026-03-03 07:30". */
	local: string;
	/** The window and its rule, or why the day has none. */
	rule: string;
}

/** Whether a call may ring at `ms`; when not, in which zone and by which rule. */
export function checkCallingHours(
	ms: number,
	callee: Callee,
	rules: CallingHoursRules,
): Refusal | undefined {
	for (const zone of callee.zones) {
		const local = DateTime.fromMillis(ms, { zone });
		const window = windowOf(rules, local.startOf('day'), callee.region);
		const minute = local.hour * 60 + local.minute + (local.second + local.millisecond / 1000) / 60;
		if (window && minute >= window.start && minute <= window.end) continue;
		return {
			zone,
			local: local.toFormat('ccc yyyy-MM-dd HH:mm'),
			rule: window ? window.rule : blockedRule(rules, local),
		};
	}
	return undefined;
}

function blockedRule(rules: CallingHoursRules, local: DateTime): string {
	const date = local.toISODate();
	if (date && rules.blockedDates?.includes(date)) return `${date} is a blocked date`;
	return `no calls on ${local.toFormat('cccc')}s (custom window)`;
}

/** How far ahead the next allowed time is looked for. */
export const MAX_DAYS_AHEAD = 14;

/**
 * The first instant at or after `ms` at which a call may ring in every zone of the
 * callee, or undefined when there is none within MAX_DAYS_AHEAD. It is `ms` itself or
 * the start of some zone's window (the earliest point of an intersection of windows
 * is one of their starts).
 */
export function nextCallingTime(
	ms: number,
	callee: Callee,
	rules: CallingHoursRules,
): number | undefined {
	if (!checkCallingHours(ms, callee, rules)) return ms;
	const starts: number[] = [];
	for (const zone of callee.zones) {
		const today = DateTime.fromMillis(ms, { zone }).startOf('day');
		for (let day = 0; day <= MAX_DAYS_AHEAD; day++) {
			const date = today.plus({ days: day });
			const window = windowOf(rules, date, callee.region);
			if (!window) continue;
			// A start inside a DST gap is moved past the gap by luxon.
			const start = date
				.set({ hour: Math.floor(window.start / 60), minute: window.start % 60 })
				.toMillis();
			if (start > ms) starts.push(start);
		}
	}
	starts.sort((a, b) => a - b);
	return starts.find((start) => !checkCallingHours(start, callee, rules));
}
