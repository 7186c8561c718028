import type {
	ICredentialDataDecryptedObject,
	IDataObject,
	IHttpRequestHelper,
	IHttpRequestOptions,
} from 'n8n-workflow';

import { credentialRequest } from '../shared/credentialRequest';
import { settingsFingerprint } from '../shared/fingerprint';

/**
 * Talkdesk's regions and its client-credentials token fetch, shared by the
 * credential (preAuthentication, test) and the node (API base URL).
 */

export const TALKDESK_REGIONS = [
	{ name: 'US', value: 'us', api: 'https://api.talkdeskapp.com', idDomain: 'talkdeskid.com' },
	{ name: 'EU', value: 'eu', api: 'https://api.talkdeskapp.eu', idDomain: 'talkdeskid.eu' },
	{
		name: 'Canada',
		value: 'ca',
		api: 'https://api.talkdeskappca.com',
		idDomain: 'talkdeskidca.com',
	},
] as const;

export const TALKDESK_DEFAULT_SCOPES =
	'schedule-callbacks:read schedule-callbacks:write callback:write';

/** Talkdesk's answers, in words a builder can act on (node and credential test alike). */
export const TALKDESK_STATUS_MESSAGES: Record<number, string> = {
	400: 'Talkdesk rejected the request',
	401: 'Talkdesk refused the access token',
	403: 'The Talkdesk client lacks a scope this needs',
	404: 'Not found in this Talkdesk account',
	415: 'Talkdesk did not accept the content type',
	422: 'Talkdesk could not process the request',
	429: 'Talkdesk is shedding load (rate limit)',
};

export const TALKDESK_STATUS_HINTS: Record<number, string> = {
	401: 'Check the client ID, secret and region in the Talkdesk credential.',
	403: 'Give the OAuth client the scopes in the credential (schedule-callbacks:read to list) in Talkdesk Admin → API, and keep them in the Scopes field.',
};

/** The account name as it appears in Talkdesk's host names: letters, digits and dashes. */
const ACCOUNT_NAME = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/i;

function regionOf(credentials: ICredentialDataDecryptedObject) {
	return TALKDESK_REGIONS.find((region) => region.value === credentials.region);
}

/** The API base URL of the credential's region (or its custom URL). */
export function talkdeskApiBaseUrl(credentials: ICredentialDataDecryptedObject): string {
	const region = regionOf(credentials);
	if (region) return region.api;
	const custom = String(credentials.apiBaseUrl ?? '').trim();
	if (!/^https?:\/\//i.test(custom))
		throw new Error(
			'The Talkdesk credential has region Custom but no API Base URL (e.g. https://api.talkdeskapp.com)',
		);
	return custom.replace(/\/+$/, '');
}

/** The token URL: https://{account}.talkdeskid.com/oauth/token and its regional forms. */
export function talkdeskTokenUrl(credentials: ICredentialDataDecryptedObject): string {
	const region = regionOf(credentials);
	if (!region) {
		const custom = String(credentials.tokenUrl ?? '').trim();
		if (!/^https?:\/\//i.test(custom))
			throw new Error(
				'The Talkdesk credential has region Custom but no Token URL (e.g. https://mycompany.talkdeskid.com/oauth/token)',
			);
		return custom;
	}
	const account = String(credentials.accountName ?? '').trim();
	// Checked before it becomes part of a host name, so it cannot point the secret elsewhere.
	if (!ACCOUNT_NAME.test(account))
		throw new Error(
			`The Talkdesk credential's Account Name "${account.slice(0, 64)}" is not a Talkdesk account name: letters, digits and dashes, as in mycompany.mytalkdesk.com`,
		);
	return `https://${account.toLowerCase()}.${region.idDomain}/oauth/token`;
}

/**
 * What a token was fetched for: token URL, client, secret and scopes, hashed (the
 * secret never leaves the credential). A stored token whose fingerprint differs was
 * fetched for other settings and is not sent.
 */
export function tokenFingerprint(credentials: ICredentialDataDecryptedObject): string {
	let url: string;
	try {
		url = talkdeskTokenUrl(credentials);
	} catch {
		url = '';
	}
	return settingsFingerprint([
		url,
		credentials.clientId,
		credentials.clientSecret,
		credentials.scopes,
	]);
}

/**
 * Fetches an access token with the client-credentials grant: HTTP Basic client
 * authentication and a form body, as Talkdesk documents. Errors name what to fix
 * and never carry the secret.
 */
export async function fetchTalkdeskToken(
	httpRequest: IHttpRequestHelper['helpers']['httpRequest'],
	credentials: ICredentialDataDecryptedObject,
): Promise<string> {
	const url = talkdeskTokenUrl(credentials);
	const clientId = String(credentials.clientId ?? '').trim();
	const clientSecret = String(credentials.clientSecret ?? '');
	if (clientId === '' || clientSecret === '')
		throw new Error('The Talkdesk credential needs a Client ID and a Client Secret');
	const scope = String(credentials.scopes ?? TALKDESK_DEFAULT_SCOPES)
		.split(/[\s,]+/)
		.filter(Boolean)
		.join(' ');
	const options: IHttpRequestOptions = {
		method: 'POST',
		url,
		headers: {
			Authorization: `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}`,
			'Content-Type': 'application/x-www-form-urlencoded',
			Accept: 'application/json',
		},
		body: { grant_type: 'client_credentials', ...(scope && { scope }) },
	};
	const answer = await credentialRequest(httpRequest, options);
	if ('unreachable' in answer)
		throw new Error(
			`Could not reach Talkdesk's token URL (${new URL(url).host})${answer.unreachable ? `: ${answer.unreachable}` : ''}`,
		);
	const { body } = answer;
	const accessToken = typeof body.access_token === 'string' ? body.access_token : '';
	if (answer.statusCode >= 200 && answer.statusCode < 300 && accessToken !== '') return accessToken;
	throw new Error(tokenErrorMessage(answer.statusCode, body, scope));
}

function tokenErrorMessage(status: number, body: IDataObject, scope: string): string {
	const error = typeof body.error === 'string' ? body.error : undefined;
	if (status === 401 || error === 'invalid_client')
		return 'Talkdesk refused the client ID and secret (invalid_client). Check them, and that the region and account name are those of the client.';
	if (error === 'invalid_scope')
		return `Talkdesk granted none of the scopes asked for (invalid_scope): "${scope}". Give the OAuth client these scopes in Talkdesk, or change the Scopes field.`;
	if (error === 'unauthorized_client')
		return 'The Talkdesk OAuth client may not use the Client Credentials grant (unauthorized_client). Enable the grant for it in Talkdesk Admin → API.';
	if (status >= 200 && status < 300)
		return "Talkdesk's token URL answered without an access token. Check the Token URL.";
	return `Talkdesk's token URL answered HTTP ${status}${error ? ` (${error})` : ''}. Check the region, account name and Token URL.`;
}
