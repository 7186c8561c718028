import type { IDataObject, IHttpRequestHelper, IHttpRequestOptions } from 'n8n-workflow';

/**
 * A credential's own request (a token fetch, a login) and what it sends afterwards:
 * shared by the credentials that obtain a token or session themselves.
 */

export type CredentialAnswer =
	| { statusCode: number; body: IDataObject }
	/** No answer at all; the network error code when there is one. */
	| { unreachable: string | undefined };

/** The answer whatever its status, its body read as a JSON object ({} when it is not one). */
export async function credentialRequest(
	httpRequest: IHttpRequestHelper['helpers']['httpRequest'],
	options: IHttpRequestOptions,
): Promise<CredentialAnswer> {
	try {
		const answer = (await httpRequest({
			...options,
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
			json: true,
		})) as { statusCode: number; body: unknown };
		return { statusCode: answer.statusCode, body: jsonObject(answer.body) };
	} catch (error) {
		const code = (error as { code?: unknown }).code;
		return { unreachable: typeof code === 'string' ? code : undefined };
	}
}

function jsonObject(body: unknown): IDataObject {
	if (typeof body === 'object' && body !== null) return body as IDataObject;
	if (typeof body === 'string') {
		try {
			const parsed: unknown = JSON.parse(body);
			if (typeof parsed === 'object' && parsed !== null) return parsed as IDataObject;
		} catch {
			// not JSON: the caller describes the answer by its status
		}
	}
	return {};
}

/**
 * The request with the stored token or session in `header`, when it was obtained
 * with the settings as they are now (`current`); otherwise with a placeholder the
 * provider refuses, so n8n obtains a new one (see settingsFingerprint).
 */
export function withStoredCredential(
	requestOptions: IHttpRequestOptions,
	header: string,
	stored: unknown,
	current: boolean,
	prefix = '',
): IHttpRequestOptions {
	const value = current ? String(stored ?? '') : '';
	return {
		...requestOptions,
		headers: { ...requestOptions.headers, [header]: `${prefix}${value || 'none'}` },
	};
}
