import fc from 'fast-check';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';
import type { INode } from 'n8n-workflow';

import {
	InputError,
	asNodeError,
	describeValue,
	providerCodeOf,
	redact,
	toNodeApiError,
} from '../../nodes/shared/errors';

const node: INode = {
	id: 'node-1',
	name: 'Convoso',
	type: 'n8n-nodes-callbacks.convoso',
	typeVersion: 1,
	position: [0, 0],
	parameters: {},
};

const SECRET = 'tok-SECRET-123';

/** Every string reachable from a value (own properties, nested, cause chains). */
function allStrings(value: unknown, seen = new Set<unknown>()): string[] {
	if (typeof value === 'string') return [value];
	if (typeof value !== 'object' || value === null || seen.has(value)) return [];
	seen.add(value);
	const keys = new Set([
		...Object.getOwnPropertyNames(value),
		'message',
		'description',
		'cause',
		'stack',
	]);
	return [...keys].flatMap((key) => allStrings((value as Record<string, unknown>)[key], seen));
}

describe('redact', () => {
	it('removes every occurrence of each known secret', () => {
		expect(redact(`token ${SECRET} and again ${SECRET}.`, { values: [SECRET] })).toBe(
			'token [redacted] and again [redacted].',
		);
		expect(redact('a+b(c)*d? here', { values: ['a+b(c)*d?'] })).toBe('[redacted] here');
	});

	it('ignores very short and non-text secret values, which would wipe out ordinary words', () => {
		expect(redact('the cat sat', { values: ['cat', 'a', ''] })).toBe('the cat sat');
		expect(
			redact('abcd efgh', {
				values: [undefined as unknown as string, 5 as unknown as string, 'efgh'],
			}),
		).toBe('abcd [redacted]');
	});

	it('removes any secret value from any text around it', () => {
		fc.assert(
			fc.property(
				fc.string({
					unit: fc.constantFrom(...'abcdefXYZ0123456789-_.~+/=!$%^*()'.split('')),
					minLength: 4,
					maxLength: 40,
				}),
				fc.string({ maxLength: 60 }),
				fc.string({ maxLength: 60 }),
				(secret, before, after) => {
					fc.pre(!'[redacted]'.includes(secret));
					const result = redact(`${before}${secret}${after}`, { values: [secret] });
					expect(result).not.toContain(secret);
					expect(result).toContain('[redacted]');
				},
			),
			{ numRuns: 300 },
		);
	});

	it.each([
		['auth_token=abc123XYZ&limit=20', 'abc123XYZ', 'auth_token=[redacted]&limit=20'],
		['GET /v1/callbacks/search?AUTH_TOKEN=abc123XYZ', 'abc123XYZ', undefined],
		[
			'{"success":false,"token":"abc123XYZ"}',
			'abc123XYZ',
			'{"success":false,"token":"[redacted]"}',
		],
		['{"apiToken": "abc123XYZ", "ok": 1}', 'abc123XYZ', undefined],
		['{"api_key":"abc123XYZ"}', 'abc123XYZ', undefined],
		['password=hunter2hunter', 'hunter2hunter', undefined],
		['{"access_token":"eyJhbGciOi.abc","refresh_token":"r-987654"}', 'eyJhbGciOi', undefined],
		['{"access_token":"eyJhbGciOi.abc","refresh_token":"r-987654"}', 'r-987654', undefined],
		['client_secret=s3cr3tvalue', 's3cr3tvalue', undefined],
		[
			'Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.sig_-+/=',
			'eyJhbGciOiJIUzI1NiJ9',
			undefined,
		],
		[
			'Error: invalid.authentication.token:0a1b2c3d-4e5f',
			'0a1b2c3d-4e5f',
			'Error: invalid.authentication.token:[redacted]',
		],
		['{"sessionId":"9F8E7D6C5B4A"}', '9F8E7D6C5B4A', undefined],
		['session_id=9F8E7D6C5B4A; path=/', '9F8E7D6C5B4A', undefined],
		['sessionToken: 9F8E7D6C5B4A', '9F8E7D6C5B4A', undefined],
	])('removes labelled secrets: %s', (text, secretPart, expected) => {
		const result = redact(text);
		expect(result).not.toContain(secretPart);
		expect(result).toContain('[redacted]');
		if (expected !== undefined) expect(result).toBe(expected);
	});

	it('leaves ordinary provider messages alone', () => {
		for (const text of [
			'Convoso error 6074: Callback not found',
			'Invalid (or expired) authentication token',
			'The token is not valid for this office',
			'Missing callbacks',
			'Session expired, log in again',
		]) {
			expect(redact(text, { values: [SECRET] })).toBe(text);
		}
	});
});

describe('toNodeApiError', () => {
	it('keeps message, description, HTTP code and provider code, without secrets', () => {
		const error = toNodeApiError(
			node,
			{
				httpCode: 404,
				code: 6074,
				message: `Callback not found for token ${SECRET}`,
				description: `Request auth_token=${SECRET} failed`,
			},
			{ values: [SECRET] },
			3,
		);
		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.message).toBe('Callback not found for token [redacted]');
		expect(error.description).toBe('Request auth_token=[redacted] failed');
		expect(error.httpCode).toBe('404');
		expect(error.context.providerCode).toBe(6074);
		expect(error.context.itemIndex).toBe(3);
		expect(providerCodeOf(error)).toBe(6074);
		for (const text of allStrings(error)) expect(text).not.toContain(SECRET);
		expect(JSON.stringify(error)).not.toContain(SECRET);
	});

	it("keeps the provider's words where n8n would put a generic HTTP message", () => {
		for (const httpCode of [400, 401, 403, 404, 429, 500, 502, 503]) {
			const error = toNodeApiError(
				node,
				{ httpCode, message: `Provider said no (${httpCode})` },
				{ values: [] },
			);
			expect(error.message).toBe(`Provider said no (${httpCode})`);
			expect(error.httpCode).toBe(String(httpCode));
		}
	});

	it("keeps the transport's words for network failures, which n8n would replace by its own", () => {
		for (const code of ['ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT']) {
			const error = toNodeApiError(
				node,
				{ code, message: `Could not reach Convoso (${code})` },
				{ values: [] },
			);
			expect(error.message).toBe(`Could not reach Convoso (${code})`);
			expect(error.context.providerCode).toBe(code);
		}
	});

	it('works without HTTP code, provider code or description', () => {
		const error = toNodeApiError(
			node,
			{ code: 'NOT_FOUND', message: 'No such callback' },
			{ values: [] },
		);
		expect(error.message).toBe('No such callback');
		expect(error.context.providerCode).toBe('NOT_FOUND');
		expect(providerCodeOf(error)).toBe('NOT_FOUND');

		const plain = toNodeApiError(node, { message: 'Something failed' }, { values: [] });
		expect(plain.context.providerCode).toBeUndefined();
		expect(providerCodeOf(plain)).toBeUndefined();
		expect(providerCodeOf(new Error('x'))).toBeUndefined();
	});
});

describe('InputError', () => {
	it('names the field, the value and what is expected', () => {
		const error = new InputError('Callback Time', '2026-13-01', 'a date-time');
		expect(error).toBeInstanceOf(Error);
		expect(error.name).toBe('InputError');
		expect(error.message).toBe(
			`Invalid value for 'Callback Time': "2026-13-01". Expected a date-time.`,
		);
		expect(error.field).toBe('Callback Time');
		expect(error.value).toBe('2026-13-01');
		expect(error.expected).toBe('a date-time');
	});

	it('describes every kind of value readably', () => {
		expect(new InputError('F', '', 'x').message).toContain('an empty string');
		expect(new InputError('F', undefined, 'x').message).toContain('nothing');
		expect(new InputError('F', null, 'x').message).toContain('null');
		expect(new InputError('F', 42, 'x').message).toContain('42');
		expect(new InputError('F', false, 'x').message).toContain('false');
		expect(new InputError('F', { a: 1 }, 'x').message).toContain('{"a":1}');
		const long = 'y'.repeat(500);
		const described = describeValue(long);
		expect(described.length).toBeLessThan(100);
		expect(described).toContain('…');
		const circular: Record<string, unknown> = {};
		circular.self = circular;
		expect(() => describeValue(circular)).not.toThrow();
	});

	it('becomes a NodeOperationError that keeps the message and says what the field must be', () => {
		const error = asNodeError(node, new InputError('Lead ID', 'abc', 'a positive whole number'), 2);
		expect(error).toBeInstanceOf(NodeOperationError);
		expect(error.message).toBe(
			`Invalid value for 'Lead ID': "abc". Expected a positive whole number.`,
		);
		expect(error.description).toContain('Lead ID');
		expect(error.description).toContain('a positive whole number');
		expect(error.context.itemIndex).toBe(2);
	});
});

describe('asNodeError', () => {
	it('passes provider errors through, tied to the item', () => {
		const apiError = toNodeApiError(
			node,
			{ httpCode: 404, code: 6074, message: 'Callback not found' },
			{ values: [] },
		);
		const result = asNodeError(node, apiError, 5);
		expect(result).toBe(apiError);
		expect(result.context.itemIndex).toBe(5);
		expect(result.message).toBe('Callback not found');
		expect(providerCodeOf(result)).toBe(6074);

		const operationError = new NodeOperationError(node, 'Bad operation');
		expect(asNodeError(node, operationError, 1)).toBe(operationError);
		expect(operationError.context.itemIndex).toBe(1);
	});

	it('wraps anything else in a NodeOperationError', () => {
		const result = asNodeError(node, new TypeError('x is undefined'), 0);
		expect(result).toBeInstanceOf(NodeOperationError);
		expect(result.message).toContain('x is undefined');
		expect(result.context.itemIndex).toBe(0);
	});
});
