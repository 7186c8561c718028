import type {
	ICredentialDataDecryptedObject,
	IDataObject,
	IHttpRequestHelper,
	IHttpRequestOptions,
} from 'n8n-workflow';

import { credentialRequest } from '../shared/credentialRequest';
import { settingsFingerprint } from '../shared/fingerprint';

/** Ameyo's session login, shared by the credential (preAuthentication) and the node. */

export const LOGIN_PATH = '/ameyorestapi/session/userLogin';
/** What the session is sent as, on every request. */
export const SESSION_HEADER = 'sessionId';

/** The tenant's own server: protocol, host and port, without a trailing slash. */
export function ameyoBaseUrl(credentials: ICredentialDataDecryptedObject): string {
	const url = String(credentials.baseUrl ?? '').trim();
	if (!/^https?:\/\/[^/\s]+/i.test(url))
		throw new Error(
			'The Ameyo credential needs the Base URL of your Ameyo server, with protocol, host and port (e.g. https://ameyo.example.com:8443)',
		);
	return url.replace(/\/+$/, '');
}

/** What a session was opened with (server, user, password), hashed: see settingsFingerprint. */
export function sessionFingerprint(credentials: ICredentialDataDecryptedObject): string {
	return settingsFingerprint([credentials.baseUrl, credentials.userId, credentials.password]);
}

/** The session id in the documented login answers: `userSessionInfo.sessionId` or `sessionId`. */
export function sessionIdOf(body: IDataObject): string | undefined {
	const nested = (body.userSessionInfo as IDataObject | undefined)?.sessionId;
	for (const value of [nested, body.sessionId])
		if (typeof value === 'string' && value.trim() !== '') return value.trim();
	return undefined;
}

/**
 * Logs in and returns the session id. Failures name what to check: the user and
 * password (401), or Ameyo's own reason (status 512 with an `info`, such as another
 * open session of the same user); never the password.
 */
export async function ameyoLogin(
	httpRequest: IHttpRequestHelper['helpers']['httpRequest'],
	credentials: ICredentialDataDecryptedObject,
): Promise<string> {
	const url = `${ameyoBaseUrl(credentials)}${LOGIN_PATH}`;
	const userId = String(credentials.userId ?? '').trim();
	const password = String(credentials.password ?? '');
	if (userId === '' || password === '')
		throw new Error('The Ameyo credential needs a User ID and a Password (or access token)');
	const options: IHttpRequestOptions = {
		method: 'POST',
		url,
		headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
		body: {
			userId,
			token: password,
			forceLogin: credentials.forceLogin === true,
			terminalInfo: 'n8n',
		},
		...(credentials.ignoreTlsErrors === true && { skipSslCertificateValidation: true }),
	};
	const answer = await credentialRequest(httpRequest, options);
	if ('unreachable' in answer) {
		const code = answer.unreachable;
		throw new Error(
			`Could not reach the Ameyo server (${new URL(url).host})${code ? `: ${code}` : ''}. Check the Base URL${code === 'DEPTH_ZERO_SELF_SIGNED_CERT' || code === 'SELF_SIGNED_CERT_IN_CHAIN' ? ', or turn on Ignore TLS Certificate Errors for a self-signed certificate' : ''}.`,
		);
	}
	const { body } = answer;
	const sessionId = sessionIdOf(body);
	if (answer.statusCode >= 200 && answer.statusCode < 300 && sessionId) return sessionId;
	throw new Error(loginErrorMessage(answer.statusCode, body, userId));
}

function loginErrorMessage(status: number, body: IDataObject, userId: string): string {
	const reason = [body.info, body.message]
		.filter((part) => typeof part === 'string' && part.trim() !== '')
		.join(': ');
	const bodyStatus = typeof body.status === 'number' ? body.status : status;
	if (status === 401 || bodyStatus === 401)
		return `Ameyo refused the login of "${userId}" (HTTP 401${reason ? `: ${reason}` : ''}). Check the User ID and Password in the Ameyo credential; the user must be a supervisor or an administrator.`;
	if (status === 512 || bodyStatus === 512)
		return `Ameyo could not log "${userId}" in (status 512${reason ? `: ${reason}` : ''}). If another session of this user is open (Ameyo allows one per user by default), end it, or turn on Force Login in the credential (it ends that session).`;
	if (status >= 200 && status < 300)
		return 'The Ameyo login answered without a session id. Check the Base URL: it must be the Ameyo server itself.';
	return `The Ameyo login answered HTTP ${status}${reason ? `: ${reason}` : ''}. Check the Base URL and that the server is up.`;
}
