import { InputError } from './errors';

/**
 * Checks on user input, run before any request. Each returns the clean value or
 * throws an InputError naming the field, the value and what is expected.
 */

export function requireText(value: unknown, field: string, expected = 'a non-empty text'): string {
	if (typeof value === 'number' && Number.isFinite(value)) return String(value);
	if (typeof value !== 'string' || value.trim() === '')
		throw new InputError(field, value, expected);
	return value.trim();
}

export function optionalText(value: unknown): string | undefined {
	if (value === undefined || value === null) return undefined;
	if (typeof value === 'number' && Number.isFinite(value)) return String(value);
	if (typeof value !== 'string' || value.trim() === '') return undefined;
	return value.trim();
}

/** A positive whole number (an id), from a number or a numeric string. */
export function requirePositiveInteger(value: unknown, field: string): number {
	const text =
		typeof value === 'number' ? String(value) : typeof value === 'string' ? value.trim() : '';
	if (!/^\d{1,15}$/.test(text) || Number(text) <= 0) {
		throw new InputError(field, value, 'a positive whole number (digits only)');
	}
	return Number(text);
}

export function optionalPositiveInteger(value: unknown, field: string): number | undefined {
	if (value === undefined || value === null || value === '') return undefined;
	return requirePositiveInteger(value, field);
}

export function requireOneOf<T extends string>(
	value: unknown,
	allowed: readonly T[],
	field: string,
): T {
	const match = allowed.find(
		(option) => typeof value === 'string' && option.toLowerCase() === value.trim().toLowerCase(),
	);
	if (match === undefined)
		throw new InputError(field, value, `one of ${allowed.map((a) => `"${a}"`).join(', ')}`);
	return match;
}

export function requireMaxLength(value: string, max: number, field: string): string {
	if (value.length > max)
		throw new InputError(
			field,
			`${value.slice(0, 40)}… (${value.length} characters)`,
			`at most ${max} characters`,
		);
	return value;
}

/** A calendar date "YYYY-MM-DD" (an ISO date-time is cut to its date). */
export function optionalDate(value: unknown, field: string): string | undefined {
	if (value === undefined || value === null || value === '') return undefined;
	const text = typeof value === 'string' ? value.trim() : '';
	const match = /^(\d{4})-(\d{2})-(\d{2})(?:[T ].*)?$/.exec(text);
	const valid =
		match !== null &&
		(() => {
			const date = new Date(Date.UTC(+match[1], +match[2] - 1, +match[3]));
			return (
				date.getUTCFullYear() === +match[1] &&
				date.getUTCMonth() === +match[2] - 1 &&
				date.getUTCDate() === +match[3]
			);
		})();
	if (!valid) throw new InputError(field, value, 'a date as YYYY-MM-DD, e.g. "2026-03-05"');
	return text.slice(0, 10);
}

export function requireLimit(value: unknown, field: string, max: number): number {
	if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > max) {
		throw new InputError(field, value, `a whole number from 1 to ${max}`);
	}
	return value;
}
