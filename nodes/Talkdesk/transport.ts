import type { IDataObject, JsonObject } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import type { ProviderErrorInfo } from '../shared/errors';
import type {
	ProviderClient,
	ProviderRequest,
	ProviderResponse,
	ProviderSpec,
} from '../shared/transport';
import { talkdeskApiBaseUrl, TALKDESK_STATUS_HINTS, TALKDESK_STATUS_MESSAGES } from './auth';

export const talkdeskSpec: ProviderSpec = {
	credentialType: 'talkdeskApi',
	displayName: 'Talkdesk',
	secretFields: ['clientSecret', 'accessToken'],
	baseUrl: talkdeskApiBaseUrl,
	detectError: detectTalkdeskError,
	// A 401 reaches n8n, which runs the credential's token fetch again, once.
	renewal: { statuses: [401], expirableField: 'accessToken', recordsClaims: true },
};

/** Talkdesk's scopes, and what each one allows (for a 403's message). */
export type TalkdeskScope =
	| 'schedule-callbacks:read'
	| 'schedule-callbacks:write'
	| 'callback:write';

/** Every Talkdesk error body is `{code, message, description?, fields?[{name, description}]}`. */
function detectTalkdeskError(response: ProviderResponse): ProviderErrorInfo | undefined {
	const status = response.statusCode;
	if (status >= 200 && status < 300) return undefined;
	const body =
		typeof response.body === 'object' && response.body !== null && !Array.isArray(response.body)
			? (response.body as IDataObject)
			: undefined;
	if (!body || (body.code === undefined && body.message === undefined)) return undefined;
	const providerText = typeof body.message === 'string' ? body.message : undefined;
	const known = TALKDESK_STATUS_MESSAGES[status];
	const fieldErrors = (Array.isArray(body.fields) ? (body.fields as IDataObject[]) : [])
		.map((field) =>
			[field.name, field.description].filter((part) => typeof part === 'string').join(': '),
		)
		.filter(Boolean);
	const description = [
		typeof body.description === 'string' ? body.description : undefined,
		fieldErrors.length > 0 ? `Fields: ${fieldErrors.join('; ')}.` : undefined,
		TALKDESK_STATUS_HINTS[status],
	]
		.filter(Boolean)
		.join(' ');
	return {
		httpCode: status,
		code: typeof body.code === 'string' || typeof body.code === 'number' ? body.code : status,
		message: `${known ?? `Talkdesk answered HTTP ${status}`}${providerText && providerText !== known ? `: ${providerText}` : ''}`,
		description: description || undefined,
	};
}

/**
 * One Talkdesk request. A 403 names the scope the request needs (Talkdesk's body
 * does not), so the builder knows what to grant.
 */
export async function talkdeskCall(
	client: ProviderClient,
	request: ProviderRequest,
	scope: TalkdeskScope,
	itemIndex?: number,
): Promise<IDataObject> {
	try {
		return await client.body(
			{
				...request,
				headers: { Accept: 'application/hal+json, application/json', ...request.headers },
			},
			itemIndex,
		);
	} catch (error) {
		if (error instanceof NodeApiError && error.httpCode === '403') {
			error.message = `The Talkdesk client lacks the scope "${scope}" (HTTP 403: ${error.message})`;
			error.description = `Add "${scope}" to the OAuth client's scopes in Talkdesk Admin → API, and to the Scopes field of the credential.`;
		}
		throw new NodeApiError(client.ctx.getNode(), error as JsonObject);
	}
}

/** A callback id as a path segment (ids are not length-checked: Talkdesk's own spec disagrees with itself). */
export function callbackPath(id: string): string {
	return `/schedule-callbacks/${encodeURIComponent(id)}`;
}
