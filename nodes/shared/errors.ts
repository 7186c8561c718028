import { NodeApiError, NodeOperationError } from 'n8n-workflow';
import type { Failure, INode, JsonObject } from 'n8n-workflow';

/**
 * Bad user input, found before any request is sent. The per-item runner turns it
 * into a NodeOperationError that names the field, the value and what is expected.
 */
export class InputError extends Error {
	constructor(
		readonly field: string,
		readonly value: unknown,
		readonly expected: string,
	) {
		super(`Invalid value for '${field}': ${describeValue(value)}. Expected ${expected}.`);
		this.name = 'InputError';
	}
}

export function describeValue(value: unknown): string {
	if (value === undefined) return 'nothing (the field is empty)';
	if (value === null) return 'null';
	if (typeof value === 'string')
		return value === '' ? 'an empty string' : `"${truncate(value, 80)}"`;
	if (typeof value === 'number' || typeof value === 'boolean') return String(value);
	try {
		return truncate(JSON.stringify(value), 80);
	} catch {
		return Object.prototype.toString.call(value);
	}
}

function truncate(text: string, max: number): string {
	return text.length > max ? `${text.slice(0, max)}…` : text;
}

/** What went wrong at the provider, already in human words and free of secrets. */
export interface ProviderErrorInfo {
	/** HTTP status of the answer, when there was one. */
	httpCode?: number;
	/** The provider's own error code (Convoso 6074, Speko NOT_FOUND, ...). */
	code?: string | number;
	message: string;
	description?: string;
	/** How long the provider asked to wait (Retry-After), for n8n's own backoff. */
	retryAfterMs?: number;
}

export const REDACTED = '[redacted]';

/** A pattern that finds a secret by its shape or label, and its replacement. */
export type SecretPattern = readonly [RegExp, string];

/** What must never appear in a message: the credential's secret values, and provider patterns. */
export interface Secrets {
	values: readonly string[];
	/** A provider's own secret shapes (Convoso's `auth_token=` field, Ameyo's token errors). */
	patterns?: readonly SecretPattern[];
}

/** Patterns that carry secrets in any provider's messages, whatever their value. */
const SECRET_PATTERNS: readonly SecretPattern[] = [
	[
		/("?(?:api_?key|apiToken|token|password|secret|session_?id|sessionToken|access_token|refresh_token|client_secret)"?\s*[:=]\s*"?)[^"&\s,}]+/gi,
		`$1${REDACTED}`,
	],
	[/(Bearer\s+)[A-Za-z0-9._~+/=-]+/gi, `$1${REDACTED}`],
	[/(Basic\s+)[A-Za-z0-9+/=]{8,}/gi, `$1${REDACTED}`],
];

/**
 * Removes secrets from text: every known secret value (from the credential), and
 * anything that looks like a token, password or session id by its label.
 */
export function redact(text: string, secrets: Secrets = { values: [] }): string {
	let result = text;
	for (const secret of secrets.values) {
		// Very short values would wipe out ordinary words.
		if (typeof secret === 'string' && secret.length >= 4)
			result = result.split(secret).join(REDACTED);
	}
	for (const [pattern, replacement] of [...(secrets.patterns ?? []), ...SECRET_PATTERNS])
		result = result.replace(pattern, replacement);
	return result;
}

/**
 * Builds a NodeApiError from clean data only. The raw HTTP error (with its request
 * options, headers and body, where tokens live) is never handed to n8n.
 */
export function toNodeApiError(
	node: INode,
	info: ProviderErrorInfo,
	secrets: Secrets,
	itemIndex?: number,
): NodeApiError {
	const message = redact(info.message, secrets);
	const description =
		info.description === undefined ? undefined : redact(info.description, secrets);
	const errorResponse: JsonObject = { message };
	if (info.code !== undefined) errorResponse.code = info.code;
	if (info.httpCode !== undefined) errorResponse.httpCode = String(info.httpCode);
	const error = new NodeApiError(node, errorResponse, {
		message,
		description,
		httpCode: info.httpCode === undefined ? undefined : String(info.httpCode),
		itemIndex,
		failure: failureOf(info),
	});
	// NodeApiError rewrites some messages from HTTP codes; keep the provider's words.
	error.message = message;
	if (description !== undefined) error.description = description;
	if (info.code !== undefined) error.context.providerCode = info.code;
	return error;
}

/**
 * Why it failed, in the terms n8n's poll scheduler reads to back off: a rate limit or
 * an outage is worth waiting for (as long as the provider asked), other errors are not.
 */
function failureOf(info: ProviderErrorInfo): Failure | undefined {
	const wait =
		info.retryAfterMs !== undefined && info.retryAfterMs > 0 ? info.retryAfterMs : undefined;
	const timed = (cause: 'rate-limited' | 'temporarily-unavailable') => ({
		cause,
		...(wait !== undefined && { retryAfterMs: wait }),
	});
	if (info.httpCode === 429) return timed('rate-limited');
	if (info.httpCode === 502 || info.httpCode === 503 || info.httpCode === 504)
		return timed('temporarily-unavailable');
	return wait === undefined ? undefined : timed('rate-limited');
}

/**
 * Any error as the NodeApiError or NodeOperationError n8n expects, tied to an
 * item when there is one: bad input names its field, provider errors pass through.
 */
export function asNodeError(
	node: INode,
	error: unknown,
	itemIndex?: number,
): NodeApiError | NodeOperationError {
	if (error instanceof InputError) {
		return new NodeOperationError(node, error.message, {
			itemIndex,
			description: `Field '${error.field}' must be ${error.expected}.`,
		});
	}
	if (error instanceof NodeApiError || error instanceof NodeOperationError) {
		if (itemIndex !== undefined) error.context.itemIndex = itemIndex;
		return error;
	}
	return new NodeOperationError(node, error as JsonObject, { itemIndex });
}

/** The provider error code carried by an error built with toNodeApiError. */
export function providerCodeOf(error: unknown): string | number | undefined {
	if (error instanceof NodeApiError)
		return error.context.providerCode as string | number | undefined;
	return undefined;
}
