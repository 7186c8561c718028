import type { IDataObject } from 'n8n-workflow';

import { REDACTED } from '../shared/errors';
import type { ProviderErrorInfo } from '../shared/errors';
import type { ProviderClient, ProviderResponse, ProviderSpec } from '../shared/transport';
import { CONVOSO_ERROR_MESSAGES, NO_CALLBACKS_FOUND, TOKEN_REFUSED } from './errorCodes';

export const convosoSpec: ProviderSpec = {
	credentialType: 'convosoApi',
	displayName: 'Convoso',
	secretFields: ['apiToken'],
	// The token travels as a form field, and Convoso echoes requests in some errors.
	secretPatterns: [[/(auth_token=)[^&\s"']+/gi, `$1${REDACTED}`]],
	baseUrl: (credentials) => String(credentials.baseUrl || 'https://api.convoso.com/v1'),
	detectError: detectConvosoError,
	// "Missing callbacks" is how Convoso answers a search that matches nothing.
	meansNothingMatched: (info, response) =>
		info.code === NO_CALLBACKS_FOUND && (response.body as IDataObject).success === false,
};

/**
 * Convoso reports most errors as HTTP 200 with `success: false`; the message sits
 * in `error`, `text` or `message` depending on the endpoint, with a numeric `code`.
 */
function detectConvosoError(response: ProviderResponse): ProviderErrorInfo | undefined {
	const body = response.body;
	const record =
		typeof body === 'object' && body !== null && !Array.isArray(body)
			? (body as IDataObject)
			: undefined;
	if (record?.success === false) {
		const rawCode = record.code;
		const code =
			typeof rawCode === 'string' && /^\d+$/.test(rawCode)
				? Number(rawCode)
				: (rawCode as number | string | undefined);
		const providerText = [record.error, record.text, record.message].find(
			(v) => typeof v === 'string' && v !== '',
		) as string | undefined;
		const known = typeof code === 'number' ? CONVOSO_ERROR_MESSAGES[code] : undefined;
		const tokenProblem = /auth(entication)?[ _]token/i.test(providerText ?? '');
		if (tokenProblem) {
			return {
				httpCode: response.statusCode,
				code: code ?? 'INVALID_TOKEN',
				message: TOKEN_REFUSED.message(providerText!),
				description: TOKEN_REFUSED.description,
			};
		}
		return {
			httpCode: response.statusCode,
			code,
			message: `Convoso error${code === undefined ? '' : ` ${code}`}: ${known ?? providerText ?? 'the request failed'}`,
			description:
				providerText && known && providerText !== known
					? `Convoso said: ${providerText}`
					: undefined,
		};
	}
	if (response.statusCode === 401) {
		return {
			httpCode: 401,
			code: 401,
			message: TOKEN_REFUSED.http401,
			description: TOKEN_REFUSED.description,
		};
	}
	if (response.statusCode === 403) {
		return {
			httpCode: 403,
			code: 403,
			message: TOKEN_REFUSED.http403,
			description: TOKEN_REFUSED.http403Description,
		};
	}
	return undefined;
}

/**
 * Calls a Convoso endpoint: always POST, form-encoded, with the token added to the
 * body by the credential (never to the URL).
 */
export async function convosoCall(
	client: ProviderClient,
	endpoint: string,
	fields: IDataObject,
	options: { idempotent: boolean; itemIndex?: number },
): Promise<{ body: IDataObject; nothingMatched: boolean }> {
	const form: IDataObject = {};
	for (const [key, value] of Object.entries(fields)) {
		if (value !== undefined && value !== null && value !== '') form[key] = String(value);
	}
	const response = await client.request(
		{
			method: 'POST',
			url: endpoint,
			body: form,
			contentType: 'application/x-www-form-urlencoded',
			idempotent: options.idempotent,
		},
		options.itemIndex,
	);
	return { body: (response.body ?? {}) as IDataObject, nothingMatched: response.nothingMatched };
}

/** Search answers come wrapped as `{success, data: {...}}` or bare; both carry numbers as strings. */
export function unwrapPage(body: IDataObject): { results: IDataObject[]; total?: number } {
	const data =
		typeof body.data === 'object' && body.data !== null && !Array.isArray(body.data)
			? (body.data as IDataObject)
			: body;
	const results = Array.isArray(data.results) ? (data.results as IDataObject[]) : [];
	// A missing or empty total ("" or null) is unknown, not zero: paging then runs to a short page.
	const total =
		typeof data.total === 'number' || (typeof data.total === 'string' && data.total.trim() !== '')
			? Number(data.total)
			: NaN;
	return { results, total: Number.isFinite(total) ? total : undefined };
}
