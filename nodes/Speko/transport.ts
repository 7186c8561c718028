import type { IDataObject } from 'n8n-workflow';

import type { ProviderErrorInfo } from '../shared/errors';
import type { ProviderResponse, ProviderSpec } from '../shared/transport';

/** Speko's error codes, in words a workflow builder can act on. */
export const SPEKO_STATUS_MESSAGES: Record<number, string> = {
	400: 'Speko rejected the request as invalid',
	401: 'Speko rejected the API key',
	402: 'The Speko workspace is out of credits: top up the balance to dispatch calls',
	403: 'The API key may not do this',
	404: 'Not found in this Speko organization',
	409: 'The callback is not in a state that allows this',
	429: 'Speko rate limit reached',
};

/** What to check, for the statuses a builder can fix in the credential. */
export const SPEKO_STATUS_HINTS: Record<number, string> = {
	401: 'Check the API key in the Speko credential.',
	403: 'Use a key of the organization that owns the callbacks, with access to them.',
};

export const spekoSpec: ProviderSpec = {
	credentialType: 'spekoApi',
	displayName: 'Speko',
	secretFields: ['apiKey'],
	baseUrl: (credentials) => String(credentials.baseUrl || 'https://api.speko.dev'),
	detectError: detectSpekoError,
};

/** Every Speko error body is `{error, code}`. */
function detectSpekoError(response: ProviderResponse): ProviderErrorInfo | undefined {
	const status = response.statusCode;
	if (status >= 200 && status < 300) return undefined;
	const body =
		typeof response.body === 'object' && response.body !== null
			? (response.body as IDataObject)
			: undefined;
	if (!body || (body.error === undefined && body.code === undefined)) return undefined; // HTML pages and such: generic handling
	const providerText = typeof body.error === 'string' ? body.error : undefined;
	const known = SPEKO_STATUS_MESSAGES[status];
	return {
		httpCode: status,
		code: typeof body.code === 'string' ? body.code : status,
		message: `${known ?? `Speko answered HTTP ${status}`}${providerText && providerText !== known ? `: ${providerText}` : ''}`,
		description: SPEKO_STATUS_HINTS[status],
	};
}

/** A callback id as a path segment. */
export function callbackPath(id: string, action?: 'cancel' | 'dispatch'): string {
	return `/v1/callbacks/${encodeURIComponent(id)}${action ? `/${action}` : ''}`;
}
