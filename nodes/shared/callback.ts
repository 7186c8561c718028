import type { IDataObject } from 'n8n-workflow';

export type CallbackId = string | number;

/** One status vocabulary for every provider. */
export const CALLBACK_STATUSES = [
	'scheduled',
	'past_due',
	'dispatching',
	'completed',
	'cancelled',
	'failed',
] as const;

/** 'unknown' marks a provider value the package does not know yet (kept in providerStatus). */
export type CallbackStatus = (typeof CALLBACK_STATUSES)[number] | 'unknown';

/** The statuses in which a callback may still ring, and so fall due: one rule for every provider. */
const PENDING: readonly CallbackStatus[] = ['scheduled', 'past_due', 'dispatching'];

export function isPending(status: CallbackStatus): boolean {
	return PENDING.includes(status);
}

/**
 * A callback still waiting to ring after its time is `past_due`, whatever the
 * provider calls it; one being dialled (`dispatching`) keeps that status.
 */
export function withPastDue(
	status: CallbackStatus,
	scheduledAt: string | null,
	nowMs: number,
): CallbackStatus {
	if (status !== 'scheduled' || scheduledAt === null) return status;
	return withPastDueAt(status, Date.parse(scheduledAt), nowMs);
}

/** withPastDue for a time in epoch milliseconds (saves reading back the ISO text). */
export function withPastDueAt(
	status: CallbackStatus,
	scheduledMs: number | null,
	nowMs: number,
): CallbackStatus {
	if (status !== 'scheduled' || scheduledMs === null) return status;
	return scheduledMs < nowMs ? 'past_due' : status;
}

/** A normalized callback of which only the id is known yet; fields are filled by the caller. */
export function blankCallback(id: CallbackId, provider: string): NormalizedCallback {
	return {
		id,
		provider,
		status: 'unknown',
		providerStatus: null,
		scheduledAt: null,
		timezone: null,
		phone: null,
		agentId: null,
		campaignId: null,
		leadId: null,
		contactId: null,
		notes: null,
		createdAt: null,
		updatedAt: null,
		details: {},
	};
}

/**
 * The callback as every node outputs it when "Simplify" is on. Times are ISO 8601
 * UTC; fields a provider does not have are null. A type, not an interface, so that it
 * is an IDataObject as it is (an output item needs no copy).
 */
export type NormalizedCallback = {
	/** Numeric ids stay numbers (Convoso), others strings (Speko, Talkdesk, Ameyo). */
	id: CallbackId;
	/** The provider's name in lower case ('convoso', 'speko'). */
	provider: string;
	status: CallbackStatus;
	/** The provider's own status word(s), exactly as received. */
	providerStatus: string | null;
	scheduledAt: string | null;
	/** IANA zone of the callback (or of the account), when known. */
	timezone: string | null;
	/** E.164 when it can be derived, otherwise the number as the provider gave it. */
	phone: string | null;
	agentId: CallbackId | null;
	campaignId: CallbackId | null;
	leadId: CallbackId | null;
	contactId: CallbackId | null;
	notes: string | null;
	createdAt: string | null;
	updatedAt: string | null;
	/** Provider-specific fields worth having without switching Simplify off. */
	details: IDataObject;
};

/**
 * Maps a provider status word through a table (keys compared case-insensitively,
 * spaces and dashes read as underscores). Unknown words give 'unknown'.
 */
export function mapStatus(table: Record<string, CallbackStatus>, raw: unknown): CallbackStatus {
	if (typeof raw !== 'string') return 'unknown';
	// A provider uses a handful of status words: each is normalized once.
	let key = statusKeys.get(raw);
	if (key === undefined) {
		key = raw
			.trim()
			.toUpperCase()
			.replace(/[\s-]+/g, '_');
		if (statusKeys.size >= 1_000) statusKeys.clear();
		statusKeys.set(raw, key);
	}
	return (key !== '' && table[key]) || 'unknown';
}

/** Status words as mapStatus looks them up ("Past Due" → "PAST_DUE"). */
const statusKeys = new Map<string, string>();

/** A string, or null for empty values; numbers become strings (ids arrive as both). */
export function stringOrNull(value: unknown): string | null {
	if (value === undefined || value === null) return null;
	if (typeof value === 'number') return Number.isFinite(value) ? String(value) : null;
	if (typeof value !== 'string') return null;
	const trimmed = value.trim();
	return trimmed === '' ? null : trimmed;
}

/** Ids as the provider means them: integer-looking strings become numbers, others stay strings. */
export function idOrNull(value: unknown): CallbackId | null {
	const text = stringOrNull(value);
	if (text === null) return null;
	return isPlainInteger(text) ? Number(text) : text;
}

/**
 * Whether an id reads as /^(0|[1-9]\d{0,14})$/: at most 15 digits (exact as a number),
 * no leading zero ("007" is not 7). Character codes, not the expression: a listing
 * reads several ids per record.
 */
function isPlainInteger(text: string): boolean {
	const { length } = text;
	if (length === 0 || length > 15 || (length > 1 && text.charCodeAt(0) === 48)) return false;
	for (let i = 0; i < length; i++) {
		const code = text.charCodeAt(i);
		if (code < 48 || code > 57) return false;
	}
	return true;
}

/** A number from a number or a numeric string (providers send both); otherwise null. */
export function numberOrNull(value: unknown): number | null {
	if (typeof value === 'number') return Number.isFinite(value) ? value : null;
	if (typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value.trim())) return Number(value);
	return null;
}

/**
 * E.164 from a phone number when it can be derived: numbers already in
 * international form ("+44...", "0044..."), or national numbers when the
 * country calling code is known. Otherwise the number as given.
 */
export function toE164(phone: unknown, countryCallingCode?: string | null): string | null {
	const raw = stringOrNull(phone);
	if (raw === null) return null;
	const digits = digitsOf(raw);
	if (digits === '') return raw;
	if (raw.startsWith('+')) return asE164('', digits) ?? raw;
	if (raw.startsWith('00')) return asE164('', digits.slice(2)) ?? raw;
	const code = digitsOf(countryCallingCode ?? '');
	if (code === '') return raw;
	// North American numbers are often stored with the leading 1 already.
	if (code === '1' && digits.length === 11 && digits.startsWith('1')) return `+${digits}`;
	const national = digits.startsWith('0') ? digits.replace(/^0+/, '') : digits;
	return asE164(code, national) ?? raw;
}

const ONLY_DIGITS = /^\d*$/;

/** The digits of a text; the text itself when it has nothing else (most stored numbers). */
function digitsOf(text: string): string {
	return ONLY_DIGITS.test(text) ? text : text.replace(/[^\d]/g, '');
}

/**
 * "+" and the digits when they make an E.164 number (7 to 15 digits, not starting
 * with 0), else null. Checked on the parts: every record of a listing has a phone.
 */
function asE164(code: string, rest: string): string | null {
	const length = code.length + rest.length;
	const first = code === '' ? rest : code;
	if (length < 7 || length > 15 || first.startsWith('0')) return null;
	return `+${code}${rest}`;
}

/**
 * The object without its null and undefined fields (for `details`). Ameyo's normalizer
 * stores its details one by one by name instead: its records leave a different set of
 * fields empty from one to the next, and this copy by key then costs enough to show
 * in a listing's time (20,000 Ameyo callbacks in a fresh process: about 35 ms of CPU).
 */
export function withoutEmpty(object: IDataObject): IDataObject {
	const result: IDataObject = {};
	// for...in, not Object.entries: no pair arrays per field (it runs for every record).
	for (const key in object) {
		const value = object[key];
		if (value !== null && value !== undefined) result[key] = value;
	}
	return result;
}
