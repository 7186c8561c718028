import type {
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IHttpRequestHelper,
	IHttpRequestOptions,
	INodeProperties,
} from 'n8n-workflow';

import {
	fetchTalkdeskToken,
	TALKDESK_DEFAULT_SCOPES,
	TALKDESK_REGIONS,
	TALKDESK_STATUS_HINTS,
	TALKDESK_STATUS_MESSAGES,
	tokenFingerprint,
} from '../nodes/Talkdesk/auth';
import { withStoredCredential } from '../nodes/shared/credentialRequest';
import {
	CLAIM_SETTLED,
	claimToStore,
	renewalClaimProperty,
	stopIfClaimOnly,
} from '../nodes/shared/renewal';

/**
 * A Talkdesk client-credentials app. The token is fetched by the credential's
 * preAuthentication (HTTP Basic client authentication, form body) and kept in a
 * hidden expirable field: n8n fetches a new one whenever Talkdesk answers 401, and
 * the credential test runs the same fetch, so a wrong client fails the test.
 */
export class TalkdeskApi implements ICredentialType {
	name = 'talkdeskApi';

	displayName = 'Talkdesk API';

	icon = { light: 'file:../icons/talkdesk.svg', dark: 'file:../icons/talkdesk.dark.svg' } as const;

	documentationUrl = 'https://github.com/n8n-nodes-callbacks/n8n-nodes-callbacks#talkdesk';

	properties: INodeProperties[] = [
		{
			displayName: 'Region',
			name: 'region',
			type: 'options',
			options: [
				...TALKDESK_REGIONS.map((region) => ({
					name: region.name,
					value: region.value,
					description: `API ${region.api}, token from {account}.${region.idDomain}`,
				})),
				{
					name: 'Custom',
					value: 'custom',
					description: 'Give the API and token URLs yourself (another region, a proxy, a sandbox)',
				},
			],
			default: 'us',
		},
		{
			displayName: 'Account Name',
			name: 'accountName',
			type: 'string',
			default: '',
			placeholder: 'mycompany',
			description: 'The name in your Talkdesk address: mycompany for mycompany.mytalkdesk.com',
			displayOptions: { hide: { region: ['custom'] } },
		},
		{
			displayName: 'API Base URL',
			name: 'apiBaseUrl',
			type: 'string',
			default: '',
			placeholder: 'https://api.talkdeskapp.com',
			displayOptions: { show: { region: ['custom'] } },
		},
		{
			displayName: 'Token URL',
			name: 'tokenUrl',
			type: 'string',
			default: '',
			placeholder: 'https://mycompany.talkdeskid.com/oauth/token',
			displayOptions: { show: { region: ['custom'] } },
		},
		{
			displayName: 'Client ID',
			name: 'clientId',
			type: 'string',
			default: '',
			required: true,
			description: 'Of a Talkdesk OAuth client with the Client Credentials grant (Admin → API)',
		},
		{
			displayName: 'Client Secret',
			name: 'clientSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
		},
		{
			displayName: 'Scopes',
			name: 'scopes',
			type: 'string',
			default: TALKDESK_DEFAULT_SCOPES,
			description:
				'Space-separated. Listing needs schedule-callbacks:read; create, update and cancel schedule-callbacks:write; Dispatch Now callback:write.',
		},
		{
			displayName: 'Access Token',
			name: 'accessToken',
			type: 'hidden',
			typeOptions: { expirable: true, password: true },
			default: '',
		},
		{
			displayName: 'Issued For',
			name: 'issuedFor',
			type: 'hidden',
			default: '',
		},
		renewalClaimProperty,
	];

	async preAuthentication(this: IHttpRequestHelper, credentials: ICredentialDataDecryptedObject) {
		return (
			claimToStore(credentials, 'accessToken') ?? {
				accessToken: await fetchTalkdeskToken(this.helpers.httpRequest, credentials),
				issuedFor: tokenFingerprint(credentials),
				...CLAIM_SETTLED,
			}
		);
	}

	// A token fetched before the client, secret, region or scopes changed is not sent:
	// Talkdesk answers 401 and n8n fetches one for the settings as they are now. So a
	// credential test after such a change tests the new settings, not an old token.
	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		requestOptions: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> {
		stopIfClaimOnly(credentials);
		const current = credentials.issuedFor === tokenFingerprint(credentials);
		return withStoredCredential(
			requestOptions,
			'Authorization',
			credentials.accessToken,
			current,
			'Bearer ',
		);
	}

	// The token fetch runs first (a wrong client fails there, with its own message);
	// listing one callback then proves the client has the read scope.
	test: ICredentialTestRequest = {
		request: {
			baseURL: `={{${baseUrlExpression()}}}`,
			url: '/schedule-callbacks',
			qs: { page: 1, per_page: 1 },
			headers: { Accept: 'application/hal+json' },
		},
		rules: [401, 403].map((status) => ({
			type: 'responseCode' as const,
			properties: {
				value: status,
				message: `${TALKDESK_STATUS_MESSAGES[status]} (HTTP ${status}). ${TALKDESK_STATUS_HINTS[status]}`,
			},
		})),
	};
}

/** The API base URL as an n8n expression over the credential (the node computes the same in code). */
function baseUrlExpression(): string {
	const byRegion = TALKDESK_REGIONS.map(
		(region) => `$credentials.region === "${region.value}" ? "${region.api}" : `,
	).join('');
	return `${byRegion}String($credentials.apiBaseUrl || "").replace(/\\/+$/, "")`;
}
