import type {
	IAuthenticateGeneric,
	ICredentialTestRequest,
	ICredentialType,
	INodeProperties,
} from 'n8n-workflow';

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

	// A wrong key gets HTTP 401, which fails the test. Listing one callback also
	// proves the key may read callbacks.
	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{$credentials.baseUrl.replace(/\\/+$/, "")}}',
			url: '/v1/callbacks',
			qs: { limit: 1 },
		},
	};
}
