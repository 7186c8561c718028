import fc from 'fast-check';

import {
	CALLBACK_STATUSES,
	idOrNull,
	mapStatus,
	numberOrNull,
	stringOrNull,
	toE164,
} from '../../nodes/shared/callback';
import type { CallbackStatus } from '../../nodes/shared/callback';

describe('mapStatus', () => {
	const table: Record<string, CallbackStatus> = {
		PAST_DUE: 'past_due',
		PENDING: 'scheduled',
		IN_PROGRESS: 'dispatching',
	};

	it('ignores case, surrounding spaces, and reads spaces and dashes as underscores', () => {
		for (const word of [
			'PAST_DUE',
			'past_due',
			'Past Due',
			'past-due',
			'PAST  DUE',
			' past due ',
			'Past - Due',
		]) {
			expect(mapStatus(table, word)).toBe('past_due');
		}
		expect(mapStatus(table, 'pending')).toBe('scheduled');
		expect(mapStatus(table, 'In-Progress')).toBe('dispatching');
	});

	it("gives 'unknown' for words not in the table and for non-words", () => {
		for (const raw of ['PASTDUE_X', 'DONE', '', '   ', null, undefined, 3, {}, 'PENDING!']) {
			expect(mapStatus(table, raw)).toBe('unknown');
		}
	});

	it('never maps to something outside the table', () => {
		fc.assert(
			fc.property(fc.string(), (raw) => {
				const status = mapStatus(table, raw);
				expect(['unknown', ...Object.values(table)]).toContain(status);
			}),
			{ numRuns: 200 },
		);
		expect(CALLBACK_STATUSES).toEqual(
			expect.arrayContaining(['scheduled', 'past_due', 'completed', 'cancelled']),
		);
	});
});

describe('stringOrNull', () => {
	it('trims text, writes numbers, and gives null for empty or other values', () => {
		expect(stringOrNull('  abc ')).toBe('abc');
		expect(stringOrNull(12)).toBe('12');
		expect(stringOrNull(0)).toBe('0');
		expect(stringOrNull(1.5)).toBe('1.5');
		for (const value of [
			'',
			'   ',
			null,
			undefined,
			Number.NaN,
			Number.POSITIVE_INFINITY,
			true,
			{},
			[],
		]) {
			expect(stringOrNull(value)).toBeNull();
		}
	});
});

describe('idOrNull', () => {
	it('turns integer-looking ids into numbers, keeps other ids as text', () => {
		expect(idOrNull('9999')).toBe(9999);
		expect(idOrNull(' 657 ')).toBe(657);
		expect(idOrNull(657)).toBe(657);
		expect(idOrNull('0')).toBe(0);
		expect(idOrNull('cb_01HZX')).toBe('cb_01HZX');
		expect(idOrNull('5f0c-11ee')).toBe('5f0c-11ee');
		expect(idOrNull('Jane Smith')).toBe('Jane Smith');
		// Too large for an exact number: kept as text.
		expect(idOrNull('1234567890123456789')).toBe('1234567890123456789');
		for (const value of ['', '  ', null, undefined, {}]) expect(idOrNull(value)).toBeNull();
	});

	it('never changes an id: written back as text it is what the provider sent', () => {
		fc.assert(
			fc.property(
				fc.oneof(
					fc.string({ minLength: 1 }),
					fc.stringMatching(/^\d{1,20}$/),
					fc.nat().map(String),
				),
				(raw) => {
					fc.pre(raw.trim() !== '');
					const id = idOrNull(raw);
					expect(String(id)).toBe(raw.trim());
					if (typeof id === 'number') expect(Number.isSafeInteger(id)).toBe(true);
				},
			),
			{ numRuns: 300 },
		);
	});

	it('makes a number of exactly the ids /^(0|[1-9]\\d{0,14})$/ matches (no leading zero, at most 15 digits)', () => {
		const charArb = fc.constantFrom('0', '1', '5', '9', '/', ':', 'a', '-', '.', '٣', '０');
		const idArb = fc.oneof(
			fc.array(charArb, { minLength: 1, maxLength: 17 }).map((chars) => chars.join('')),
			fc.stringMatching(/^\d{1,17}$/),
			// Around the 15-digit limit.
			fc
				.array(fc.constantFrom('0', '1', '9'), { minLength: 13, maxLength: 17 })
				.map((digits) => digits.join('')),
		);
		fc.assert(
			fc.property(idArb, (raw) => {
				const plain = /^(0|[1-9]\d{0,14})$/.test(raw);
				expect([raw, idOrNull(raw)]).toEqual([raw, plain ? Number(raw) : raw]);
			}),
			{ numRuns: 3000 },
		);
	});
});

describe('numberOrNull', () => {
	it('reads numbers and numeric strings, nothing else', () => {
		expect(numberOrNull(5)).toBe(5);
		expect(numberOrNull(-2.5)).toBe(-2.5);
		expect(numberOrNull('12250')).toBe(12250);
		expect(numberOrNull(' 7 ')).toBe(7);
		expect(numberOrNull('-3')).toBe(-3);
		expect(numberOrNull('12.5')).toBe(12.5);
		for (const value of [
			'',
			' ',
			'abc',
			'1e3',
			'0x10',
			'12abc',
			'1.',
			null,
			undefined,
			Number.NaN,
			Number.POSITIVE_INFINITY,
			true,
			{},
		]) {
			expect(numberOrNull(value)).toBeNull();
		}
	});

	it('reads back any finite number written as text', () => {
		fc.assert(
			fc.property(
				fc.integer({ min: -1e9, max: 1e9 }),
				fc.integer({ min: 0, max: 99 }),
				(whole, cents) => {
					const text = `${whole}.${String(cents).padStart(2, '0')}`;
					expect(numberOrNull(text)).toBe(Number(text));
					expect(numberOrNull(String(whole))).toBe(whole);
				},
			),
			{ numRuns: 200 },
		);
	});
});

describe('toE164', () => {
	it.each([
		// [phone, country calling code, expected]
		['+44 20 7946 0958', undefined, '+442079460958'],
		['+1 (555) 123-4567', '44', '+15551234567'],
		['0044 20 7946 0958', undefined, '+442079460958'],
		['00 91 98765 43210', '1', '+919876543210'],
		['(555) 123-4567', '1', '+15551234567'],
		['555.123.4567', '+1', '+15551234567'],
		['5551234567', '1', '+15551234567'],
		[5551234567, '1', '+15551234567'],
		// NANP numbers stored with the leading 1 already.
		['15551234567', '1', '+15551234567'],
		['1-555-123-4567', '1', '+15551234567'],
		// National numbers with a trunk 0.
		['020 7946 0958', '44', '+442079460958'],
		['098765 43210', '91', '+919876543210'],
	])('%j with code %j → %s', (phone, code, expected) => {
		expect(toE164(phone, code)).toBe(expected);
	});

	it('keeps the number as given when E.164 cannot be derived', () => {
		expect(toE164('(555) 123-4567')).toBe('(555) 123-4567');
		expect(toE164('(555) 123-4567', '')).toBe('(555) 123-4567');
		expect(toE164('12', '1')).toBe('12');
		expect(toE164('+0123456789')).toBe('+0123456789');
		expect(toE164('+1234567890123456789')).toBe('+1234567890123456789');
		expect(toE164('ext. only', '1')).toBe('ext. only');
	});

	it('gives null for empty values', () => {
		for (const value of ['', '   ', null, undefined]) expect(toE164(value, '1')).toBeNull();
	});

	it('keeps valid E.164 numbers and is idempotent', () => {
		fc.assert(
			fc.property(
				fc.stringMatching(/^[1-9]\d{6,14}$/),
				fc.constantFrom('1', '44', '91', '', undefined),
				(digits, code) => {
					const e164 = `+${digits}`;
					expect(toE164(e164, code)).toBe(e164);
					expect(toE164(`00${digits}`, code)).toBe(e164);
					const once = toE164(digits, code);
					expect(toE164(once, code)).toBe(once);
					if (once !== null && once.startsWith('+')) expect(once).toMatch(/^\+[1-9]\d{6,14}$/);
				},
			),
			{ numRuns: 300 },
		);
	});

	it('reads any phone-like text as the plain regular-expression reading does', () => {
		// The reading before the fast paths for digit-only numbers: the reference.
		const reference = (phone: string, code: string): string | null => {
			const raw = phone.trim();
			if (raw === '') return null;
			const digits = raw.replace(/[^\d]/g, '');
			const valid = (value: string) => /^\+[1-9]\d{6,14}$/.test(value);
			if (digits === '') return raw;
			if (raw.startsWith('+')) return valid(`+${digits}`) ? `+${digits}` : raw;
			if (raw.startsWith('00')) return valid(`+${digits.slice(2)}`) ? `+${digits.slice(2)}` : raw;
			const country = code.replace(/[^\d]/g, '');
			if (country === '') return raw;
			if (country === '1' && digits.length === 11 && digits.startsWith('1')) return `+${digits}`;
			const national = digits.replace(/^0+/, '');
			return valid(`+${country}${national}`) ? `+${country}${national}` : raw;
		};
		fc.assert(
			fc.property(
				fc.stringMatching(/^[ +0-9().-]{0,20}$/),
				fc.constantFrom('1', '+1', '44', '91', '0', '07', '', ' 9 7 7 '),
				(phone, code) => {
					expect(toE164(phone, code)).toBe(reference(phone, code));
				},
			),
			{ numRuns: 2000 },
		);
	});
});
