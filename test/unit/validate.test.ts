import fc from 'fast-check';

import {
	optionalDate,
	optionalPositiveInteger,
	optionalText,
	requireLimit,
	requireMaxLength,
	requireOneOf,
	requirePositiveInteger,
	requireText,
} from '../../nodes/shared/validate';
import { expectInputError } from '../helpers/expect-input-error';

const daysIn = (year: number, month: number): number =>
	month === 2
		? year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0)
			? 29
			: 28
		: [4, 6, 9, 11].includes(month)
			? 30
			: 31;
const pad = (value: number, width = 2) => String(value).padStart(width, '0');

describe('requireText', () => {
	it('accepts text (trimmed) and finite numbers', () => {
		expect(requireText(' Follow up ', 'Comments')).toBe('Follow up');
		expect(requireText(42, 'Comments')).toBe('42');
		expect(requireText(0, 'Comments')).toBe('0');
	});

	it('rejects empty and non-text values', () => {
		for (const [value, shown] of [
			['', 'an empty string'],
			['   ', '"   "'],
			[null, 'null'],
			[undefined, 'nothing'],
			[Number.NaN, 'NaN'],
			[{}, '{}'],
			[true, 'true'],
		] as Array<[unknown, string]>) {
			expectInputError(
				() => requireText(value, 'Lead Phone'),
				'Lead Phone',
				shown,
				'a non-empty text',
			);
		}
		expectInputError(
			() => requireText('', 'Agent', 'an agent id or name'),
			'Agent',
			'an empty string',
			'an agent id or name',
		);
	});
});

describe('optionalText', () => {
	it('gives the trimmed text, a number as text, or undefined', () => {
		expect(optionalText(' a ')).toBe('a');
		expect(optionalText(7)).toBe('7');
		for (const value of [undefined, null, '', '   ', {}, true, Number.NaN])
			expect(optionalText(value)).toBeUndefined();
	});
});

describe('requirePositiveInteger', () => {
	it('accepts positive whole numbers, as numbers or digit strings', () => {
		expect(requirePositiveInteger(1, 'Lead ID')).toBe(1);
		expect(requirePositiveInteger('12345', 'Lead ID')).toBe(12345);
		expect(requirePositiveInteger(' 657 ', 'Lead ID')).toBe(657);
		fc.assert(
			fc.property(fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }), (n) => {
				fc.pre(String(n).length <= 15);
				expect(requirePositiveInteger(n, 'Lead ID')).toBe(n);
				expect(requirePositiveInteger(String(n), 'Lead ID')).toBe(n);
			}),
			{ numRuns: 200 },
		);
	});

	it('rejects zero, negatives, fractions, words and numbers too long to be exact', () => {
		for (const [value, shown] of [
			[0, '0'],
			['0', '"0"'],
			[-1, '-1'],
			['-5', '"-5"'],
			[1.5, '1.5'],
			['1.5', '"1.5"'],
			['abc', '"abc"'],
			['1e3', '"1e3"'],
			['0x10', '"0x10"'],
			['12 34', '"12 34"'],
			['', 'an empty string'],
			[null, 'null'],
			[undefined, 'nothing'],
			[Number.NaN, 'NaN'],
			['1234567890123456', '"1234567890123456"'],
		] as Array<[unknown, string]>) {
			expectInputError(
				() => requirePositiveInteger(value, 'Lead ID'),
				'Lead ID',
				shown,
				'a positive whole number',
			);
		}
	});
});

describe('optionalPositiveInteger', () => {
	it('gives undefined when empty, the number when valid, and rejects the rest', () => {
		for (const value of [undefined, null, ''])
			expect(optionalPositiveInteger(value, 'List ID')).toBeUndefined();
		expect(optionalPositiveInteger('333', 'List ID')).toBe(333);
		expect(optionalPositiveInteger(333, 'List ID')).toBe(333);
		expectInputError(
			() => optionalPositiveInteger('x1', 'List ID'),
			'List ID',
			'"x1"',
			'a positive whole number',
		);
		expectInputError(
			() => optionalPositiveInteger(0, 'List ID'),
			'List ID',
			'0',
			'a positive whole number',
		);
	});
});

describe('requireOneOf', () => {
	const recipients = ['system', 'personal'] as const;

	it('accepts any case and surrounding spaces, returning the canonical option', () => {
		expect(requireOneOf('system', recipients, 'Recipient')).toBe('system');
		expect(requireOneOf(' Personal ', recipients, 'Recipient')).toBe('personal');
		expect(requireOneOf('SYSTEM', recipients, 'Recipient')).toBe('system');
	});

	it('rejects other values, listing the options', () => {
		for (const [value, shown] of [
			['agent', '"agent"'],
			['', 'an empty string'],
			[null, 'null'],
			[1, '1'],
			['system personal', '"system personal"'],
		] as Array<[unknown, string]>) {
			expectInputError(
				() => requireOneOf(value, recipients, 'Recipient'),
				'Recipient',
				shown,
				'one of "system", "personal"',
			);
		}
	});
});

describe('requireMaxLength', () => {
	it('accepts text up to the limit', () => {
		expect(requireMaxLength('a'.repeat(255), 255, 'Comments')).toBe('a'.repeat(255));
		expect(requireMaxLength('', 255, 'Comments')).toBe('');
	});

	it('rejects longer text, telling its length and the limit', () => {
		expectInputError(
			() => requireMaxLength('b'.repeat(256), 255, 'Comments'),
			'Comments',
			'256 characters',
			'at most 255 characters',
		);
		const error = expectInputError(
			() => requireMaxLength('b'.repeat(300), 255, 'Comments'),
			'Comments',
			'300 characters',
			'at most 255 characters',
		);
		expect(error.message.length).toBeLessThan(250);
	});
});

describe('optionalDate', () => {
	it('gives undefined when empty', () => {
		for (const value of [undefined, null, ''])
			expect(optionalDate(value, 'Start Date')).toBeUndefined();
	});

	it('accepts every real calendar date, and cuts date-times to their date', () => {
		fc.assert(
			fc.property(
				fc.integer({ min: 1900, max: 2200 }),
				fc.integer({ min: 1, max: 12 }),
				fc.integer({ min: 1, max: 31 }),
				(year, month, rawDay) => {
					const day = Math.min(rawDay, daysIn(year, month));
					const date = `${year}-${pad(month)}-${pad(day)}`;
					expect(optionalDate(date, 'Start Date')).toBe(date);
					expect(optionalDate(` ${date} `, 'Start Date')).toBe(date);
					expect(optionalDate(`${date}T14:30:00Z`, 'Start Date')).toBe(date);
					expect(optionalDate(`${date} 14:30:00`, 'Start Date')).toBe(date);
				},
			),
			{ numRuns: 300 },
		);
		expect(optionalDate('2028-02-29', 'Start Date')).toBe('2028-02-29');
		expect(optionalDate('2000-02-29', 'Start Date')).toBe('2000-02-29');
	});

	it('rejects days that do not exist', () => {
		fc.assert(
			fc.property(
				fc.integer({ min: 1900, max: 2200 }),
				fc.integer({ min: 1, max: 12 }),
				fc.integer({ min: 1, max: 3 }),
				(year, month, beyond) => {
					const day = daysIn(year, month) + beyond;
					fc.pre(day <= 99);
					const date = `${year}-${pad(month)}-${pad(day)}`;
					expectInputError(
						() => optionalDate(date, 'Start Date'),
						'Start Date',
						date,
						'YYYY-MM-DD',
					);
				},
			),
			{ numRuns: 200 },
		);
		for (const date of [
			'2026-02-29',
			'1900-02-29',
			'2026-04-31',
			'2026-00-10',
			'2026-13-01',
			'2026-01-00',
		]) {
			expectInputError(() => optionalDate(date, 'Start Date'), 'Start Date', date, 'YYYY-MM-DD');
		}
	});

	it('rejects other formats and types', () => {
		for (const [value, shown] of [
			['2026-3-5', '"2026-3-5"'],
			['05/03/2026', '"05/03/2026"'],
			['20260305', '"20260305"'],
			['March 5, 2026', '"March 5, 2026"'],
			['2026-03-05x', '"2026-03-05x"'],
			[20260305, '20260305'],
			[{}, '{}'],
		] as Array<[unknown, string]>) {
			expectInputError(
				() => optionalDate(value, 'End Date'),
				'End Date',
				shown,
				'a date as YYYY-MM-DD',
			);
		}
	});
});

describe('requireLimit', () => {
	it('accepts whole numbers from 1 to the maximum', () => {
		fc.assert(
			fc.property(fc.integer({ min: 1, max: 5000 }), (n) => requireLimit(n, 'Limit', 5000) === n),
			{ numRuns: 200 },
		);
	});

	it('rejects anything else, naming the range', () => {
		for (const [value, shown] of [
			[0, '0'],
			[5001, '5001'],
			[-1, '-1'],
			[2.5, '2.5'],
			['50', '"50"'],
			[Number.NaN, 'NaN'],
			[null, 'null'],
		] as Array<[unknown, string]>) {
			expectInputError(
				() => requireLimit(value, 'Limit', 5000),
				'Limit',
				shown,
				'a whole number from 1 to 5000',
			);
		}
	});
});
