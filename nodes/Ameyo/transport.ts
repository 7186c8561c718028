import type { IDataObject } from 'n8n-workflow';

import type { ProviderErrorInfo, SecretPattern } from '../shared/errors';
import { REDACTED } from '../shared/errors';
import type { ProviderRequest, ProviderResponse, ProviderSpec } from '../shared/transport';
import { ameyoBaseUrl } from './auth';

export const LIST_PATH = '/ameyorestapi/voice/customerCallbacks/getFiltered';
export const CALLBACK_PATH = '/ameyorestapi/voice/customerCallbacks';
export const ADD_CALLBACK_PATH = '/ameyowebaccess/command/';

/** Ameyo's codes for an invalid or expired session. */
const SESSION_ERROR_CODES = [70201, 909090];
const SESSION_ERROR_TEXT = /invalid\.authentication\.token|invalid session id/i;

/** Ameyo echoes the session in its 401 message; its ids also have a recognizable shape. */
const AMEYO_SECRET_PATTERNS: readonly SecretPattern[] = [
	[/(invalid\.authentication\.token:)[^\s"',}]+/gi, `$1${REDACTED}`],
	[/\b[0-9a-f]{4}-[0-9a-f]{8}-ses-[^\s"',}]+/gi, REDACTED],
];

export const ameyoSpec: ProviderSpec = {
	credentialType: 'ameyoApi',
	displayName: 'Ameyo',
	secretFields: ['password', 'sessionId'],
	secretPatterns: AMEYO_SECRET_PATTERNS,
	baseUrl: ameyoBaseUrl,
	detectError: detectAmeyoError,
	meansNothingMatched: isEmptyListBug,
	skipTlsVerification: (credentials) => credentials.ignoreTlsErrors === true,
	renewal: {
		statuses: [401],
		// Expiry may also come as a 500 (or a legacy command's 200) naming the session.
		isExpired: (response) => response.statusCode !== 401 && isSessionError(bodyOf(response)),
		expirableField: 'sessionId',
		recordsClaims: true,
	},
};

function bodyOf(response: ProviderResponse): IDataObject | undefined {
	return typeof response.body === 'object' &&
		response.body !== null &&
		!Array.isArray(response.body)
		? (response.body as IDataObject)
		: undefined;
}

function codeOf(body: IDataObject): number | string | undefined {
	const code = body.code ?? body.errorCode;
	return typeof code === 'number' || typeof code === 'string' ? code : undefined;
}

function isSessionError(body: IDataObject | undefined): boolean {
	if (!body) return false;
	const code = codeOf(body);
	if (code !== undefined && SESSION_ERROR_CODES.includes(Number(code))) return true;
	return [body.message, body.info, body.reason].some(
		(text) => typeof text === 'string' && SESSION_ERROR_TEXT.test(text),
	);
}

/**
 * Ameyo's documented bug: `getFiltered` answers HTTP 500 when nothing matches. Its
 * body is not documented; the answer read as "nothing matched" is a 500 to that
 * route with no body at all. A 500 with an error in it (an HTML page, a message, a
 * code, a session error) is an error: an outage never reads as "no callbacks".
 */
function isEmptyListBug(
	_info: ProviderErrorInfo,
	response: ProviderResponse,
	request: ProviderRequest,
): boolean {
	return (
		response.statusCode === 500 &&
		request.method === 'GET' &&
		request.url.startsWith(LIST_PATH) &&
		response.text.trim() === ''
	);
}

/**
 * Ameyo's errors: JSON `{message, code | errorCode, info, status}` under any status,
 * 512 (non-standard) for command errors, and the legacy commands' HTTP 200
 * `{status: "error", reason}`.
 */
function detectAmeyoError(response: ProviderResponse): ProviderErrorInfo | undefined {
	const status = response.statusCode;
	const body = bodyOf(response);
	if (status >= 200 && status < 300) {
		if (body && body.status === 'error') {
			const reason = typeof body.reason === 'string' ? body.reason : 'no reason given';
			return { httpCode: status, code: 'error', message: `Ameyo refused the command: ${reason}` };
		}
		return undefined;
	}
	if (status === 500 && response.text.trim() === '')
		return { httpCode: 500, message: 'Ameyo answered HTTP 500 without a body' };
	if (!body) return undefined; // HTML pages and such: generic handling
	const texts = [body.message, body.info].filter(
		(text): text is string => typeof text === 'string' && text.trim() !== '',
	);
	if (texts.length === 0 && codeOf(body) === undefined) return undefined;
	const session = isSessionError(body);
	return {
		httpCode: status,
		code: codeOf(body) ?? status,
		message: session
			? `Ameyo refused the session (HTTP ${status}${texts.length > 0 ? `: ${texts.join(': ')}` : ''})`
			: `Ameyo answered ${status === 512 ? 'status 512' : `HTTP ${status}`}${texts.length > 0 ? `: ${texts.join(': ')}` : ''}`,
		description: session
			? 'The session expired or was ended (another login of this user with Force Login ends it). n8n logged in again once; check the User ID, Password and Force Login in the credential.'
			: STATUS_HINTS[status],
	};
}

const STATUS_HINTS: Record<number, string> = {
	400: 'Check the campaign id and the other fields.',
	512: 'Ameyo could not carry out the command: check the ids in it (campaign, callback, user).',
};
