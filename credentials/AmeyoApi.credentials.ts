import type {
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IHttpRequestHelper,
	IHttpRequestOptions,
	INodeProperties,
} from 'n8n-workflow';

import { ameyoLogin, SESSION_HEADER, sessionFingerprint } from '../nodes/Ameyo/auth';
import { withStoredCredential } from '../nodes/shared/credentialRequest';
import {
	CLAIM_SETTLED,
	claimToStore,
	renewalClaimProperty,
	stopIfClaimOnly,
} from '../nodes/shared/renewal';

/**
 * An Ameyo (Exotel) supervisor or administrator login. The session is fetched by the
 * credential's preAuthentication and kept in a hidden expirable field, so n8n reuses
 * it across executions (Ameyo users usually may hold one session at a time) and logs
 * in again when Ameyo says it expired.
 */
export class AmeyoApi implements ICredentialType {
	name = 'ameyoApi';

	displayName = 'Ameyo API';

	icon = { light: 'file:../icons/ameyo.svg', dark: 'file:../icons/ameyo.dark.svg' } as const;

	documentationUrl = 'https://github.com/n8n-nodes-callbacks/n8n-nodes-callbacks#ameyo';

	properties: INodeProperties[] = [
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'https://ameyo.example.com:8443',
			description: 'Your Ameyo server: protocol, host and port (each tenant has its own)',
		},
		{
			displayName: 'User ID',
			name: 'userId',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'supervisor@example.com',
			description: 'A supervisor or an administrator',
		},
		{
			displayName: 'Password',
			name: 'password',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description: 'The password or access token of the user',
		},
		{
			displayName: 'Force Login',
			name: 'forceLogin',
			type: 'boolean',
			default: false,
			description:
				'Whether to log in even when this user has another session open. Ameyo then ends that session (a supervisor working in Ameyo as this user is logged out).',
		},
		{
			displayName: 'Ignore TLS Certificate Errors',
			name: 'ignoreTlsErrors',
			type: 'boolean',
			default: false,
			description:
				'Whether to accept a server certificate that does not verify, such as a self-signed certificate of an on-premise server',
		},
		{
			displayName: 'Default Country Calling Code',
			name: 'countryCallingCode',
			type: 'string',
			default: '91',
			description:
				'Ameyo stores national numbers: used to write them as E.164 (+91... for India). Leave empty to keep numbers as Ameyo returns them.',
		},
		{
			displayName: 'Session ID',
			name: 'sessionId',
			type: 'hidden',
			typeOptions: { expirable: true },
			default: '',
		},
		{
			displayName: 'Opened For',
			name: 'openedFor',
			type: 'hidden',
			default: '',
		},
		renewalClaimProperty,
	];

	async preAuthentication(this: IHttpRequestHelper, credentials: ICredentialDataDecryptedObject) {
		return (
			claimToStore(credentials, 'sessionId') ?? {
				sessionId: await ameyoLogin(this.helpers.httpRequest, credentials),
				openedFor: sessionFingerprint(credentials),
				...CLAIM_SETTLED,
			}
		);
	}

	// A session opened before the server, user or password changed is not sent: Ameyo
	// answers 401 and n8n logs in with the settings as they are now. So a credential
	// test after such a change tests the new settings, not an old session.
	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		requestOptions: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> {
		stopIfClaimOnly(credentials);
		const current = credentials.openedFor === sessionFingerprint(credentials);
		return withStoredCredential(requestOptions, SESSION_HEADER, credentials.sessionId, current);
	}

	// The test logs in (a wrong user or password fails there, in words that say what to
	// check), then pings the new session.
	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{String($credentials.baseUrl).replace(/\\/+$/, "")}}',
			url: '/ameyorestapi/session/keepAliveWithPingPush',
			method: 'POST',
			body: {
				sessionId: '={{$credentials.sessionId}}',
				listenerName: 'n8n',
				pushesFollowPing: false,
			},
			skipSslCertificateValidation: '={{$credentials.ignoreTlsErrors}}',
		},
	};
}
