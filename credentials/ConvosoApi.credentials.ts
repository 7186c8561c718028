import type {
	IAuthenticateGeneric,
	ICredentialTestRequest,
	ICredentialType,
	INodeProperties,
} from 'n8n-workflow';

import { TOKEN_ERRORS, TOKEN_REFUSED } from '../nodes/Convoso/errorCodes';
import { timeZoneOptions } from '../nodes/shared/zones';

export class ConvosoApi implements ICredentialType {
	name = 'convosoApi';

	displayName = 'Convoso API';

	icon = { light: 'file:../icons/convoso.svg', dark: 'file:../icons/convoso.dark.svg' } as const;

	documentationUrl = 'https://github.com/n8n-nodes-callbacks/n8n-nodes-callbacks#convoso';

	properties: INodeProperties[] = [
		{
			displayName: 'API Token',
			name: 'apiToken',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description:
				'An authorization token from Convoso (API menu → Authorization Tokens) with Callbacks access enabled',
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: 'https://api.convoso.com/v1',
			description: 'Change only to use a proxy or the provider sandbox',
		},
		{
			displayName: 'Account Time Zone',
			name: 'accountTimezone',
			type: 'options',
			options: timeZoneOptions(),
			default: 'America/New_York',
			description:
				'The time zone of the Convoso account. Convoso returns callback times without a zone; they are read in this zone.',
		},
		{
			displayName: 'Default Country Calling Code',
			name: 'countryCallingCode',
			type: 'string',
			default: '1',
			description:
				'Used to write national phone numbers as E.164 (+1... for North America). Leave empty to keep numbers as Convoso returns them.',
		},
	];

	// Convoso reads the token from the form body of every POST, never from the URL.
	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: {
			body: { auth_token: '={{$credentials.apiToken}}' },
		},
	};

	// Convoso answers a wrong token with HTTP 200 and success:false, so the test
	// reads the body. A valid token on an account without callbacks gets code 6000
	// ("Missing callbacks"), which must pass: the rules match the token errors only.
	// The messages are the node's own, so a builder reads the same words in both.
	// HTTP 401 and 403 answers fail the test on their own.
	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{$credentials.baseUrl.replace(/\\/+$/, "")}}',
			url: '/callbacks/search',
			method: 'POST',
			headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
			body: { limit: 1 },
		},
		rules: [
			...TOKEN_ERRORS.map((error) => ({
				type: 'responseSuccessBody' as const,
				properties: {
					key: 'error',
					value: error,
					message: `${TOKEN_REFUSED.message(error)}. ${TOKEN_REFUSED.description}`,
				},
			})),
		],
	};
}
