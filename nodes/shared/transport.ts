import { sleep } from 'n8n-workflow';
import type {
	ICredentialDataDecryptedObject,
	IDataObject,
	IExecuteFunctions,
	IHttpRequestMethods,
	IHttpRequestOptions,
	ILoadOptionsFunctions,
	IPollFunctions,
} from 'n8n-workflow';

import { redact, toNodeApiError } from './errors';
import type { ProviderErrorInfo } from './errors';
import { backoffDelay, defaultRetryPolicy, isRetryable, parseRetryAfter } from './retry';
import type { Failure, RetryPolicy } from './retry';

export type RequestContext = IExecuteFunctions | IPollFunctions | ILoadOptionsFunctions;

export interface ProviderResponse {
	statusCode: number;
	headers: IDataObject;
	/** Parsed JSON, the text when the answer is not JSON, or undefined when empty. */
	body: unknown;
	text: string;
}

/** What the shared transport needs to know about one provider. */
export interface ProviderSpec {
	credentialType: string;
	/** The provider's name as users know it, used in messages. */
	displayName: string;
	/** Credential fields whose values never appear in a message or a log line. */
	secretFields: readonly string[];
	baseUrl(credentials: ICredentialDataDecryptedObject): string;
	/**
	 * Reads the provider's own error out of an answer, including errors sent with
	 * HTTP 200. Returns undefined when the answer is a success.
	 */
	detectError(response: ProviderResponse): ProviderErrorInfo | undefined;
}

export interface ProviderRequest {
	method: IHttpRequestMethods;
	/** Path below the credential's base URL, starting with '/'. */
	path: string;
	qs?: IDataObject;
	body?: IDataObject;
	/** How the body is encoded; 'form' is application/x-www-form-urlencoded. */
	bodyFormat?: 'json' | 'form';
	headers?: IDataObject;
	/**
	 * Whether repeating the request is harmless. A create is not: when its outcome
	 * is unknown (a 5xx, a dropped connection) it is never sent again.
	 */
	idempotent: boolean;
	/** The expected body of a success; 'text' and 'none' accept non-JSON answers. */
	expect?: 'json' | 'text' | 'none';
}

/** Knobs of the transport. Tests shorten the waits; nodes never change them. */
export const transportSettings = {
	retryPolicy: { ...defaultRetryPolicy } as RetryPolicy,
	timeoutMs: 30_000,
	sleep: sleep as (ms: number) => Promise<void>,
	now: (): number => Date.now(),
	random: (): number => Math.random(),
};

/**
 * Sends one request to a provider through n8n's authenticated HTTP helper, with
 * retries for transient failures, and turns every failure into a NodeApiError with
 * the provider's code and a human message, free of secrets.
 */
export async function providerRequest(
	ctx: RequestContext,
	spec: ProviderSpec,
	request: ProviderRequest,
	options: { itemIndex?: number; acceptError?: (info: ProviderErrorInfo) => boolean } = {},
): Promise<ProviderResponse & { acceptedError?: ProviderErrorInfo }> {
	const credentials = await ctx.getCredentials(spec.credentialType);
	const secrets = spec.secretFields
		.map((field) => credentials[field])
		.filter((value): value is string => typeof value === 'string' && value !== '');
	const fail = (info: ProviderErrorInfo) =>
		toNodeApiError(ctx.getNode(), info, secrets, options.itemIndex);

	const httpOptions: IHttpRequestOptions = {
		method: request.method,
		baseURL: spec.baseUrl(credentials).replace(/\/+$/, ''),
		url: request.path,
		qs: request.qs,
		headers: { Accept: 'application/json', ...request.headers },
		returnFullResponse: true,
		ignoreHttpStatusErrors: true,
		// Read the body as text and parse it here, so that HTML pages and broken JSON
		// become clear errors instead of parser crashes.
		encoding: 'text',
		json: false,
		timeout: transportSettings.timeoutMs,
	};
	if (request.body !== undefined) {
		httpOptions.body = request.body;
		httpOptions.headers!['Content-Type'] =
			request.bodyFormat === 'form' ? 'application/x-www-form-urlencoded' : 'application/json';
	}

	const { retryPolicy: policy, now } = transportSettings;
	const startedAt = now();
	const what = `${request.method} ${request.path}`;
	for (let attempt = 1; ; attempt++) {
		let failure: Failure;
		let retryAfterMs: number | undefined;
		let response: ProviderResponse | undefined;
		try {
			const raw = (await ctx.helpers.httpRequestWithAuthentication.call(ctx, spec.credentialType, {
				...httpOptions,
				// The helper adds credentials to these objects: give it fresh copies.
				headers: { ...httpOptions.headers },
				qs: httpOptions.qs && { ...httpOptions.qs },
				body: request.body && { ...request.body },
			})) as { statusCode: number; headers: IDataObject; body: unknown };
			response = toProviderResponse(raw);
			failure = { kind: 'status', status: response.statusCode };
			retryAfterMs = parseRetryAfter(response.headers['retry-after'], now());
		} catch (error) {
			const code = networkErrorCode(error);
			if (code === undefined || isCancelled(ctx)) {
				throw fail({ message: `${spec.displayName} request failed: ${errorMessage(error)}` });
			}
			failure = { kind: 'network', code };
		}

		if (isRetryable(failure, request.idempotent) && attempt < policy.maxAttempts) {
			const delay = backoffDelay(attempt, policy, retryAfterMs, transportSettings.random);
			if (now() - startedAt + delay <= policy.maxTotalMs) {
				ctx.logger.warn(
					`${spec.displayName}: ${what} failed (${failure.kind === 'status' ? `HTTP ${failure.status}` : failure.code}); retry ${attempt} in ${delay} ms`,
				);
				await transportSettings.sleep(delay);
				continue;
			}
		}

		if (response === undefined) {
			const code = (failure as { code: string }).code;
			throw fail({
				code,
				message: `Could not reach ${spec.displayName} (${code})`,
				description: request.idempotent
					? `The connection failed ${attempt} time(s) for ${what}.`
					: `The connection failed during ${what}. It was not retried because the provider may have received it: check whether it took effect before running it again.`,
			});
		}

		// Secrets are removed before genericError cuts the text: a cut token would escape redaction.
		const info =
			spec.detectError(response) ??
			genericError(
				spec.displayName,
				{ ...response, text: redact(response.text, secrets) },
				request,
			);
		if (info === undefined) return response;
		if (options.acceptError?.(info)) return { ...response, acceptedError: info };
		if (response.statusCode === 429 && retryAfterMs !== undefined) {
			info.description =
				`${info.description ?? ''} The provider asked to wait ${Math.ceil(retryAfterMs / 1000)} s before retrying.`.trim();
		}
		throw fail(info);
	}
}

function toProviderResponse(raw: {
	statusCode: number;
	headers: IDataObject;
	body: unknown;
}): ProviderResponse {
	const text =
		typeof raw.body === 'string'
			? raw.body
			: raw.body === undefined
				? ''
				: JSON.stringify(raw.body);
	const headers: IDataObject = {};
	for (const [key, value] of Object.entries(raw.headers ?? {})) headers[key.toLowerCase()] = value;
	let body: unknown = text === '' ? undefined : text;
	if (text.trim() !== '') {
		try {
			body = JSON.parse(text);
		} catch {
			// Not JSON: left as text for the error reader.
		}
	}
	return { statusCode: raw.statusCode, headers, body, text };
}

/** True when the answer claims JSON or looks like JSON but does not parse. */
function isBrokenJson(response: ProviderResponse): boolean {
	if (typeof response.body !== 'string') return false;
	const contentType = String(response.headers['content-type'] ?? '');
	return contentType.includes('json') || /^\s*[[{]/.test(response.text);
}

function isHtml(response: ProviderResponse): boolean {
	const contentType = String(response.headers['content-type'] ?? '');
	return contentType.includes('html') || /^\s*<(!doctype|html|head|body)/i.test(response.text);
}

/** Errors every provider can produce: HTTP failures, HTML pages, broken JSON. */
function genericError(
	provider: string,
	response: ProviderResponse,
	request: ProviderRequest,
): ProviderErrorInfo | undefined {
	const status = response.statusCode;
	const ok = status >= 200 && status < 300;
	if (isHtml(response)) {
		const title = /<title[^>]*>([^<]*)<\/title>/i.exec(response.text)?.[1]?.trim();
		return {
			httpCode: status,
			message: `${provider} returned an HTML page instead of data (HTTP ${status}${title ? `: ${title}` : ''})`,
			description:
				'This usually means a proxy or gateway in front of the API failed, or the base URL in the credential points to a web page rather than the API.',
		};
	}
	if (!ok) {
		const snippet = response.text.trim().slice(0, 200);
		return {
			httpCode: status,
			message: `${provider} answered HTTP ${status}${snippet ? `: ${snippet}` : ''}`,
		};
	}
	if (
		(request.expect ?? 'json') === 'json' &&
		(response.body === undefined || isBrokenJson(response))
	) {
		return {
			httpCode: status,
			message: `${provider} returned malformed JSON`,
			description: `The answer to ${request.method} ${request.path} could not be read: ${response.text.slice(0, 120)}`,
		};
	}
	return undefined;
}

/** The network error code (ECONNRESET, ...) behind an error from the HTTP helper. */
function networkErrorCode(error: unknown): string | undefined {
	let current = error as { code?: unknown; cause?: unknown; message?: unknown } | undefined;
	for (let depth = 0; current && depth < 5; depth++) {
		if (typeof current.code === 'string' && /^E[A-Z_]+$|^ERR_/.test(current.code)) {
			return current.code === 'ERR_CANCELED' ? undefined : current.code;
		}
		if (typeof current.message === 'string' && /socket hang up/i.test(current.message))
			return 'ECONNRESET';
		current = current.cause as typeof current;
	}
	return undefined;
}

function isCancelled(ctx: RequestContext): boolean {
	const withSignal = ctx as { getExecutionCancelSignal?: () => { aborted?: boolean } | undefined };
	return withSignal.getExecutionCancelSignal?.()?.aborted === true;
}

function errorMessage(error: unknown): string {
	return error instanceof Error ? error.message : String(error);
}
