/**
 * The calling-hours rules (nodes/shared/callingHours.ts), against an oracle that
 * reads local wall time with Intl (not luxon, which the rules use): for random phone
 * numbers (single- and multi-zone NANP area codes, other countries), random instants
 * across DST changes and random custom windows, a moved time is inside the window in
 * every zone the callee may be in and never earlier than asked, and a time is refused
 * exactly when it is outside.
 */
import fc from 'fast-check';

import {
	checkCallingHours,
	MAX_DAYS_AHEAD,
	nextCallingTime,
	resolveCallee,
	zonesOfPhone,
} from '../../nodes/shared/callingHours';
import type { CallingHoursRules, Callee } from '../../nodes/shared/callingHours';

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

/** Local wall time by Intl: weekday (1 = Monday), date, and minute of the day (with seconds). */
function wall(ms: number, zone: string) {
	const parts = Object.fromEntries(
		new Intl.DateTimeFormat('en-US', {
			timeZone: zone,
			hourCycle: 'h23',
			weekday: 'short',
			year: 'numeric',
			month: '2-digit',
			day: '2-digit',
			hour: '2-digit',
			minute: '2-digit',
			second: '2-digit',
		})
			.formatToParts(new Date(ms))
			.map((part) => [part.type, part.value]),
	);
	const weekday = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'].indexOf(parts.weekday) + 1;
	return {
		weekday,
		date: `${parts.year}-${parts.month}-${parts.day}`,
		minute: Number(parts.hour) * 60 + Number(parts.minute) + Number(parts.second) / 60,
	};
}

/** The oracle's window for one zone's local day: [start, end] minutes, or null. */
function oracleWindow(rules: CallingHoursRules, ms: number, zone: string, region?: string) {
	const local = wall(ms, zone);
	if (rules.blockedDates?.includes(local.date)) return { local, window: null };
	const hm = (text: string) => Number(text.slice(0, 2)) * 60 + Number(text.slice(3, 5));
	switch (rules.ruleSet) {
		case 'us':
			return {
				local,
				window: ['FL', 'OK', 'WA'].includes(region ?? '') ? [480, 1200] : [480, 1260],
			};
		case 'canada':
			return { local, window: local.weekday <= 5 ? [540, 1290] : [600, 1080] };
		case 'india':
			return { local, window: [540, 1260] };
		case 'general':
			return { local, window: [480, 1260] };
		case 'custom':
			return {
				local,
				window: rules.custom!.days.includes(local.weekday)
					? [hm(rules.custom!.start), hm(rules.custom!.end)]
					: null,
			};
	}
}

function oracleAllows(rules: CallingHoursRules, ms: number, callee: Callee): boolean {
	return callee.zones.every((zone) => {
		const { local, window } = oracleWindow(rules, ms, zone, callee.region);
		return window !== null && local.minute >= window[0] && local.minute <= window[1];
	});
}

const PHONES = [
	'+12015550123', // New Jersey: one zone
	'+13055550123', // Florida: 08:00-20:00
	'+14055550123', // Oklahoma
	'+12065550123', // Washington
	'+12082015555', // Idaho, an exchange in Denver's zone
	'+12082155555', // Idaho, an exchange in Los Angeles's zone
	'+12085550123', // Idaho, the area code spans two zones
	'+17095550123', // Newfoundland (St. John's, -3:30/-2:30)
	'+14165550123', // Toronto
	'+919812345678', // India
	'+9779812345678', // Nepal (+5:45)
	'+61512345678', // a prefix the data only knows as Australia: eight zones, Lord Howe's among them
	'+61891234567', // Western and South Australia: two zones
	'+61255053123', // Lord Howe Island (+10:30, +11 in summer: a 30-minute DST change)
	'+447700900123', // United Kingdom
];

const rulesArbitrary: fc.Arbitrary<CallingHoursRules> = fc.oneof(
	fc.constantFrom<CallingHoursRules>(
		{ ruleSet: 'us' },
		{ ruleSet: 'canada' },
		{ ruleSet: 'india' },
	),
	fc
		.record({
			start: fc.integer({ min: 0, max: 23 * 60 }),
			length: fc.integer({ min: 30, max: 14 * 60 }),
			days: fc.uniqueArray(fc.integer({ min: 1, max: 7 }), { minLength: 1, maxLength: 7 }),
		})
		.map(({ start, length, days }): CallingHoursRules => {
			const end = Math.min(start + length, 23 * 60 + 59);
			const hm = (m: number) =>
				`${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
			return { ruleSet: 'custom', custom: { start: hm(start), end: hm(end), days } };
		}),
);

// Instants over two years, DST changes of both hemispheres included, to the second.
const instantArbitrary = fc
	.integer({ min: Date.UTC(2026, 0, 1) / 1000, max: Date.UTC(2027, 11, 31) / 1000 })
	.map((seconds) => seconds * 1000);

describe('the callee’s zones', () => {
	it('come from the phone number, longest prefix first, with the NANP region', () => {
		expect(zonesOfPhone('+13055550123')).toEqual({ zones: ['America/New_York'], region: 'FL' });
		expect(zonesOfPhone('+12082015555')).toEqual({ zones: ['America/Denver'], region: 'ID' });
		expect(zonesOfPhone('+12085550123')?.zones.sort()).toEqual([
			'America/Boise',
			'America/Los_Angeles',
		]);
		expect(zonesOfPhone('+919812345678')).toEqual({ zones: ['Asia/Kolkata'] });
		expect(zonesOfPhone('+9779812345678')).toEqual({ zones: ['Asia/Kathmandu'] });
		expect(zonesOfPhone('+61512345678')?.zones).toHaveLength(8);
		expect(zonesOfPhone('+61512345678')?.zones).toContain('Australia/Lord_Howe');
		expect(zonesOfPhone('+61891234567')?.zones).toEqual(['Australia/Adelaide', 'Australia/Perth']);
		expect(zonesOfPhone('+61255053123')).toEqual({ zones: ['Australia/Lord_Howe'] });
		expect(zonesOfPhone('4155550123')).toBeUndefined();
	});

	it('prefer the field, then the provider, then the number; the region always from the number', () => {
		expect(
			resolveCallee({ zone: 'Asia/Kolkata', providerZone: 'UTC', phone: '+13055550123' }),
		).toEqual({
			zones: ['Asia/Kolkata'],
			region: 'FL',
			from: 'the Callee Time Zone field',
		});
		expect(resolveCallee({ providerZone: 'Europe/Lisbon', phone: '+447700900123' })).toMatchObject({
			zones: ['Europe/Lisbon'],
			from: 'the provider',
		});
		expect(resolveCallee({ phone: '+13055550123' })).toMatchObject({ from: 'the phone number' });
		expect(resolveCallee({ phone: 'not a number' })).toBeUndefined();
	});
});

describe('the rules, by example', () => {
	const florida = resolveCallee({ phone: '+13055550123' })!;
	const newJersey = resolveCallee({ phone: '+12015550123' })!;

	it('refuse 07:30 and 20:30 in Florida, allow 20:30 in New Jersey, and say why', () => {
		const morning = Date.parse('2026-03-03T12:30:00Z'); // 07:30 EST
		expect(checkCallingHours(morning, florida, { ruleSet: 'us' })).toEqual({
			zone: 'America/New_York',
			local: 'Tue 2026-03-03 07:30',
			rule: 'Florida (Fla. Stat. 501.616): 08:00-20:00',
		});
		const evening = Date.parse('2026-03-04T01:30:00Z'); // 20:30 EST
		expect(checkCallingHours(evening, florida, { ruleSet: 'us' })?.rule).toContain('Florida');
		expect(checkCallingHours(evening, newJersey, { ruleSet: 'us' })).toBeUndefined();
	});

	it('move a Florida call at 20:30 to 08:00 the next morning, across the spring DST change', () => {
		// Saturday 2026-03-07 20:30 EST; Sunday 08:00 is EDT (-4).
		const moved = nextCallingTime(Date.parse('2026-03-08T01:30:00Z'), florida, { ruleSet: 'us' });
		expect(new Date(moved!).toISOString()).toBe('2026-03-08T12:00:00.000Z');
	});

	it('keep Canadian weekends to 10:00-18:00', () => {
		const toronto = resolveCallee({ phone: '+14165550123' })!;
		const saturdayNine = Date.parse('2026-06-06T13:00:00Z'); // 09:00 EDT
		expect(checkCallingHours(saturdayNine, toronto, { ruleSet: 'canada' })?.rule).toContain(
			'weekends',
		);
		expect(
			new Date(nextCallingTime(saturdayNine, toronto, { ruleSet: 'canada' })!).toISOString(),
		).toBe('2026-06-06T14:00:00.000Z');
	});

	it('skip blocked dates, and find nothing when no day of the next two weeks is allowed', () => {
		const rules: CallingHoursRules = { ruleSet: 'india', blockedDates: ['2026-08-15'] };
		const india = resolveCallee({ phone: '+919812345678' })!;
		const independenceDayNoon = Date.parse('2026-08-15T06:30:00Z'); // 12:00 IST
		expect(checkCallingHours(independenceDayNoon, india, rules)?.rule).toBe(
			'2026-08-15 is a blocked date',
		);
		expect(new Date(nextCallingTime(independenceDayNoon, india, rules)!).toISOString()).toBe(
			'2026-08-16T03:30:00.000Z',
		);
		// Australia-wide, 09:00-10:00 local everywhere at once cannot happen (Perth is 2 h behind Sydney).
		const australia = resolveCallee({ phone: '+61512345678' })!;
		const narrow: CallingHoursRules = {
			ruleSet: 'custom',
			custom: { start: '09:00', end: '10:00', days: [1, 2, 3, 4, 5, 6, 7] },
		};
		expect(nextCallingTime(Date.parse('2026-06-01T00:00:00Z'), australia, narrow)).toBeUndefined();
	});
});

describe('the rules, by property', () => {
	it('refuse exactly the instants the oracle finds outside the window', () => {
		fc.assert(
			fc.property(
				fc.constantFrom(...PHONES),
				instantArbitrary,
				rulesArbitrary,
				(phone, ms, rules) => {
					const callee = resolveCallee({ phone })!;
					expect(checkCallingHours(ms, callee, rules) === undefined).toBe(
						oracleAllows(rules, ms, callee),
					);
				},
			),
			{ numRuns: 3000 },
		);
	});

	it('move to a time inside the window in every zone, never earlier, and not later than needed', () => {
		fc.assert(
			fc.property(
				fc.constantFrom(...PHONES),
				instantArbitrary,
				rulesArbitrary,
				(phone, ms, rules) => {
					const callee = resolveCallee({ phone })!;
					const moved = nextCallingTime(ms, callee, rules);
					if (moved === undefined) {
						// Nothing allowed: the oracle finds nothing either (every 5 minutes of the
						// first two days, every 30 of the rest of the horizon).
						for (
							let t = ms;
							t < ms + MAX_DAYS_AHEAD * DAY;
							t += t < ms + 2 * DAY ? 5 * MINUTE : 30 * MINUTE
						)
							expect(oracleAllows(rules, t, callee)).toBe(false);
						return;
					}
					expect(moved).toBeGreaterThanOrEqual(ms);
					expect(oracleAllows(rules, moved, callee)).toBe(true);
					// Not later than needed: just before it (and after the asked time) is refused.
					if (moved > ms)
						expect(oracleAllows(rules, Math.max(ms, moved - MINUTE), callee)).toBe(false);
				},
			),
			{ numRuns: 1500 },
		);
	});
});
