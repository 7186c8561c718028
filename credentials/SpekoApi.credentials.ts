import type {
	IAuthenticateGeneric,
	ICredentialTestRequest,
	ICredentialType,
	INodeProperties,
} from 'n8n-workflow';

import { SPEKO_STATUS_HINTS, SPEKO_STATUS_MESSAGES } from '../nodes/Speko/transport';

export class SpekoApi implements ICredentialType {
	name = 'spekoApi';

	displayName = 'Speko API';

	icon = { light: 'file:../icons/speko.svg', dark: 'file:../icons/speko.dark.svg' } as const;

	documentationUrl = 'https://github.com/n8n-nodes-callbacks/n8n-nodes-callbacks#speko';

	properties: INodeProperties[] = [
		{
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			placeholder: 'sk_live_...',
			description: 'An API key from the Speko dashboard (API Keys)',
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: 'https://api.speko.dev',
			description:
				'Older accounts may use https://api.speko.ai; change it also to use a proxy or the provider sandbox',
		},
	];

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: {
			headers: { Authorization: '=Bearer {{$credentials.apiKey}}' },
		},
	};

	// A wrong key gets HTTP 401. Listing one callback also proves the key may read
	// callbacks. The messages are the node's own, so a builder reads the same words.
	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{$credentials.baseUrl.replace(/\\/+$/, "")}}',
			url: '/v1/callbacks',
			qs: { limit: 1 },
		},
		rules: [401, 403].map((status) => ({
			type: 'responseCode' as const,
			properties: {
				value: status,
				message: `${SPEKO_STATUS_MESSAGES[status]} (HTTP ${status}). ${SPEKO_STATUS_HINTS[status]}`,
			},
		})),
	};
}
