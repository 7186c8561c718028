import type {
	IAdditionalCredentialOptions,
	ICredentialDataDecryptedObject,
	IDataObject,
	IExecuteFunctions,
	IHttpRequestMethods,
	IHttpRequestOptions,
	ILoadOptionsFunctions,
	IOAuth2Options,
	IPollFunctions,
} from 'n8n-workflow';

import { redact, toNodeApiError } from './errors';
import type { ProviderErrorInfo, SecretPattern, Secrets } from './errors';
import { backoffDelay, isRetryable, parseRetryAfter } from './retry';
import type { Failure } from './retry';
import {
	awaitRenewalElsewhere,
	claimOnlyData,
	liveClaim,
	newClaim,
	planRenewal,
	RELEASED_CLAIM,
	RENEWAL_CLAIM,
	renewedSince,
} from './renewal';
import { defaultRuntime } from './runtime';
import type { Runtime } from './runtime';

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
	/** Secrets this provider writes in its own shapes (beyond the labels every provider uses). */
	secretPatterns?: readonly SecretPattern[];
	baseUrl(credentials: ICredentialDataDecryptedObject): string;
	/**
	 * Reads the provider's own error out of an answer, including errors sent with
	 * HTTP 200. Returns undefined when the answer is a success.
	 */
	detectError(response: ProviderResponse): ProviderErrorInfo | undefined;
	/**
	 * The provider's way of saying "nothing matches" with an error (Convoso's code
	 * 6000). Decided on the body the provider sent, never on a status alone: an
	 * outage must not read as an empty list.
	 */
	meansNothingMatched?(
		info: ProviderErrorInfo,
		response: ProviderResponse,
		request: ProviderRequest,
	): boolean;
	/**
	 * Whether to accept a server certificate that does not verify (an on-premise server
	 * with a self-signed certificate), as the credential says. Default: never.
	 */
	skipTlsVerification?(credentials: ICredentialDataDecryptedObject): boolean;
	/** How n8n renews the credential's token or session when it expired. */
	renewal?: CredentialRenewal;
}

export interface CredentialRenewal {
	/** Statuses that mean "expired": n8n renews the token or session once and repeats the request. Default 401. */
	statuses?: readonly number[];
	/**
	 * An answer that says "expired" in its body under another status. The request is
	 * repeated once with the credential's expirable field emptied, so n8n runs the
	 * credential's preAuthentication again (and stores the new session).
	 */
	isExpired?(response: ProviderResponse): boolean;
	/** The credential's hidden `expirable` field that preAuthentication fills. */
	expirableField?: string;
	/**
	 * The credential records renewal claims (renewal.ts: `renewalClaimProperty`,
	 * `claimToStore`, `stopIfClaimOnly`), so that processes agree on which one renews.
	 */
	recordsClaims?: boolean;
	/** n8n's OAuth2 options for an OAuth2 credential. */
	oauth2?: IOAuth2Options;
}

export type ContentType =
	| 'application/json'
	| 'application/json-patch+json'
	| 'application/x-www-form-urlencoded';

export interface ProviderRequest {
	method: IHttpRequestMethods;
	/**
	 * A path below the credential's base URL ('/v1/callbacks'), or an absolute URL on
	 * the same host (a HAL `next` link). A link to another host is refused: the
	 * credential is never sent anywhere else.
	 */
	url: string;
	qs?: IDataObject;
	/** An object or an array (JSON Patch), sent as it is, on every attempt. */
	body?: IDataObject | unknown[];
	/** Default: application/json. A form body must be a flat object. */
	contentType?: ContentType;
	headers?: IDataObject;
	/**
	 * Whether repeating the request is harmless. A create or a dispatch is not: when
	 * its outcome is unknown (a 5xx, a dropped connection) it is never sent again.
	 */
	idempotent: boolean;
	/** The expected body of a success; 'text' and 'none' accept non-JSON answers. */
	expect?: 'json' | 'text' | 'none';
}

export interface ProviderAnswer extends ProviderResponse {
	/** The provider said, in its own way, that nothing matches (see `meansNothingMatched`). */
	nothingMatched: boolean;
}

/**
 * One provider's HTTP client for one execution: n8n's authenticated helper with
 * retries for transient failures, one renewal per expiry of a token or session, and every failure
 * turned into a NodeApiError with the provider's code and words, free of secrets.
 */
export class ProviderClient {
	private credentialsRead?: Promise<ICredentialDataDecryptedObject>;
	/**
	 * After a 429, no request of this client starts before this time (epoch ms): the
	 * requests running at the same time wait together instead of each hitting the limit.
	 */
	private pausedUntil = 0;
	/**
	 * No retry wait of this client ends after this time (epoch ms): a trigger sets its
	 * poll budget, so a long Retry-After becomes n8n's backoff instead of a poll that
	 * runs out of time.
	 */
	retryUntil?: number;

	constructor(
		readonly ctx: RequestContext,
		readonly spec: ProviderSpec,
		readonly runtime: Runtime = defaultRuntime,
	) {}

	/** The decrypted credential, read once per client. */
	async credentials(): Promise<ICredentialDataDecryptedObject> {
		this.credentialsRead ??= this.ctx.getCredentials(this.spec.credentialType);
		return await this.credentialsRead;
	}

	/** The answer's JSON object ({} for an empty answer). */
	async body(request: ProviderRequest, itemIndex?: number): Promise<IDataObject> {
		return ((await this.request(request, itemIndex)).body ?? {}) as IDataObject;
	}

	async request(request: ProviderRequest, itemIndex?: number): Promise<ProviderAnswer> {
		const { ctx, spec, runtime } = this;
		const first = await this.credentials();
		// Every token or session this request sent or may have been answered with.
		const known = new Set(secretValues(spec, first));
		const secrets = (): Secrets => ({ values: [...known], patterns: spec.secretPatterns });
		const fail = async (info: ProviderErrorInfo) => {
			// A renewal during this request stored a new token or session: hide it too.
			for (const value of secretValues(spec, (await this.readStored()) ?? first)) known.add(value);
			return toNodeApiError(ctx.getNode(), info, secrets(), itemIndex);
		};
		const what = `${request.method} ${describeTarget(request.url)}`;
		const target = resolveTarget(spec, first, request.url);
		if (typeof target !== 'string') throw await fail(target.refused);

		const renewal = spec.renewal;
		const field = renewal?.expirableField;
		// Without a renewable credential n8n has nothing to renew: it must not repeat a
		// 401. A credential with an expirable field is renewed here (see renewal.ts), so
		// n8n hands back every status; only an OAuth2 token is left to n8n to refresh.
		const renewStatuses = renewal ? [...(renewal.statuses ?? [401])] : [];
		const statusesForN8n = field === undefined ? renewStatuses : [];
		const authOptions: IAdditionalCredentialOptions = {
			preAuthenticationRetryStatusCode: statusesForN8n,
			oauth2: { tokenExpiredStatusCode: statusesForN8n, ...renewal?.oauth2 },
		};
		/** Set while this request carries out the renewal its process waits for. */
		let renewing: Renewal | undefined;
		let firstUse = false;
		let renewed = false;
		/** Values stored by other executions this request has taken after an expiry. */
		let adopted = 0;
		let lookedElsewhere = false;
		const { retryPolicy: policy, now } = runtime;
		const startedAt = now();
		try {
			for (let attempt = 1; ; attempt++) {
				const pause = this.pausedUntil - now();
				if (pause > 0) await runtime.sleep(pause);
				const credentials = await this.credentials();
				for (const value of secretValues(spec, credentials)) known.add(value);
				const sentValue = field === undefined ? '' : String(credentials[field] ?? '');
				// Before the first use too: one login for the executions that start together.
				if (field !== undefined && sentValue === '' && !renewing && !firstUse) {
					firstUse = true;
					const plan = await this.planRenewal(field, sentValue);
					renewing = typeof plan === 'object' ? await this.claimRenewal(plan, field) : undefined;
					if (!renewing) continue;
				}
				const loggingIn = renewing !== undefined;
				let failure: Failure;
				let retryAfterMs: number | undefined;
				let response: ProviderResponse | undefined;
				try {
					const raw = (await ctx.helpers.httpRequestWithAuthentication.call(
						ctx,
						spec.credentialType,
						httpOptions(
							request,
							target,
							statusesForN8n,
							runtime.timeoutMs,
							spec.skipTlsVerification?.(credentials) === true,
						),
						field === undefined
							? authOptions
							: this.withCredential(credentials, authOptions, renewing ? '' : undefined),
					)) as RawResponse;
					response = toProviderResponse(raw);
				} catch (error) {
					// A status n8n had to see (to renew the credential) arrives as an error.
					const answered = responseOf(error);
					if (answered) {
						response = answered;
					} else {
						const code = networkErrorCode(error);
						if (code === undefined || isCancelled(ctx)) {
							// A renewal refused because another process opened the session meanwhile.
							if (renewing && !lookedElsewhere && field !== undefined) {
								lookedElsewhere = true;
								const { stale } = renewing;
								await this.endRenewal(renewing, field);
								renewing = undefined;
								if (await this.renewedElsewhere(field, stale)) continue;
							}
							throw await fail({
								message: `${spec.displayName} request failed: ${errorMessage(error)}`,
							});
						}
						failure = { kind: 'network', code };
					}
				} finally {
					// The new session is stored before the request is sent: the others may go on.
					if (renewing) {
						const ended = renewing;
						renewing = undefined;
						await this.endRenewal(ended, field!);
					}
				}
				if (response) {
					failure = { kind: 'status', status: response.statusCode };
					retryAfterMs = parseRetryAfter(response.headers['retry-after'], now());
					const expired =
						renewStatuses.includes(response.statusCode) || renewal?.isExpired?.(response) === true;
					// One renewal of its own per request. A stored value taken from another
					// execution may have expired too (this request read the credential earlier):
					// then it may still renew, up to twice taking another's.
					if (field !== undefined && expired && !renewed && adopted < 2) {
						if (loggingIn) renewed = true;
						ctx.logger.info(`${spec.displayName}: the token or session expired; renewing it once`);
						// What was refused: the value sent, or the one n8n just obtained for it.
						const refused = loggingIn
							? String((await this.readStored())?.[field] ?? '')
							: sentValue;
						const plan = await this.planRenewal(field, refused);
						renewing = typeof plan === 'object' ? await this.claimRenewal(plan, field) : undefined;
						if (renewing || plan === 'waited') renewed = true;
						else adopted++;
						continue;
					}
				}

				if (isRetryable(failure!, request.idempotent) && attempt < policy.maxAttempts) {
					const delay = backoffDelay(attempt, policy, retryAfterMs, runtime.random);
					// A trigger's poll stops within its budget: a longer wait is left to n8n's backoff.
					const inBudget = this.retryUntil === undefined || now() + delay <= this.retryUntil;
					if (now() - startedAt + delay <= policy.maxTotalMs && inBudget) {
						if (response?.statusCode === 429)
							this.pausedUntil = Math.max(this.pausedUntil, now() + delay);
						ctx.logger.warn(
							`${spec.displayName}: ${what} failed (${failure!.kind === 'status' ? `HTTP ${failure!.status}` : failure!.code}); retry ${attempt} in ${delay} ms`,
						);
						await runtime.sleep(delay);
						continue;
					}
				}

				if (response === undefined) {
					const code = (failure! as { code: string }).code;
					throw await fail({
						code,
						message: `Could not reach ${spec.displayName} (${code})`,
						description: request.idempotent
							? `The connection failed ${attempt} time(s) for ${what}.`
							: `The connection failed during ${what}. ${MAY_HAVE_TAKEN_EFFECT}`,
					});
				}

				const info =
					spec.detectError(response) ??
					genericError(spec.displayName, response, secrets(), request, what);
				if (info === undefined) return { ...response, nothingMatched: false };
				if (spec.meansNothingMatched?.(info, response, request))
					return { ...response, nothingMatched: true };
				if (retryAfterMs !== undefined) {
					info.retryAfterMs = retryAfterMs;
					if (response.statusCode === 429)
						info.description =
							`${info.description ?? ''} The provider asked to wait ${Math.ceil(retryAfterMs / 1000)} s before retrying.`.trim();
				}
				if (!request.idempotent && response.statusCode >= 500) {
					info.description = `${info.description ?? ''} ${MAY_HAVE_TAKEN_EFFECT}`.trim();
				}
				throw await fail(info);
			}
		} finally {
			if (renewing) this.finishRenewal(renewing);
		}
	}

	/** The credential as stored now (another execution may have renewed it), if readable. */
	private async readStored(): Promise<ICredentialDataDecryptedObject | undefined> {
		return await this.ctx.getCredentials(this.spec.credentialType).catch(() => undefined);
	}

	/**
	 * Whether this request renews `stale` (then returned with `done`), or uses the
	 * stored credential, renewed by another request meanwhile.
	 */
	private async planRenewal(field: string, stale: string): Promise<Renewal | 'waited' | undefined> {
		const plan = await planRenewal(this.renewalKey(), field, stale, async () => {
			const stored = await this.readStored();
			if (stored) this.credentialsRead = Promise.resolve(stored);
			return stored;
		});
		if (!plan.renew) {
			this.credentialsRead = undefined;
			return plan.waited ? 'waited' : undefined;
		}
		return { stale, done: plan.done };
	}

	/**
	 * The renewal this process is to carry out, agreed on with the other processes
	 * through the claim recorded in the credential (see renewal.ts): `renewing` when
	 * this request renews, undefined when another process stored a new value meanwhile
	 * (this process's waiters then read it).
	 */
	private async claimRenewal(renewing: Renewal, field: string): Promise<Renewal | undefined> {
		const { runtime } = this;
		const { stale } = renewing;
		const adopt = () => {
			this.finishRenewal(renewing);
			return undefined;
		};
		if (this.spec.renewal?.recordsClaims !== true) return renewing;
		const before = await this.readStored();
		// Renewed since this process looked: recording a claim would store the old value again.
		if (renewedSince(before, field, stale)) return adopt();
		if (liveClaim(before, runtime.now()) === undefined) {
			const mine = newClaim(runtime.now(), runtime.random);
			await this.recordClaim(field, stale, mine);
			renewing.claim = mine;
			// Every process that claimed at about the same time has written by now: the
			// claim stored is the last one written, the same for all of them.
			await runtime.sleep(CLAIM_SETTLE_MS);
			const stored = await this.readStored();
			if (renewedSince(stored, field, stale)) return adopt();
			if (stored?.[RENEWAL_CLAIM] === mine) return renewing;
		}
		// Another process renews: use what it stores, or renew after all if nothing comes.
		if (await this.renewedElsewhere(field, stale, CLAIM_WAIT)) return adopt();
		return renewing;
	}

	/** Stores `claim` in the credential without sending anything (see renewal.ts). */
	private async recordClaim(field: string, stale: string, claim: string): Promise<void> {
		const { ctx, spec } = this;
		const credentials = await this.credentials();
		const options = this.withCredential(credentials, {}, undefined);
		options.credentialsDecrypted!.data = claimOnlyData(credentials, field, claim, stale);
		// The credential's authenticate stops this request: it never reaches the provider.
		await ctx.helpers.httpRequestWithAuthentication
			.call(ctx, spec.credentialType, { method: 'GET', url: spec.baseUrl(credentials) }, options)
			.catch(() => undefined);
	}

	/**
	 * After the request that renewed: its process's waiters go on, and a claim its
	 * renewal did not settle (the login or token fetch failed) is released, so that
	 * the next attempt anywhere does not wait for it.
	 */
	private async endRenewal(renewing: Renewal, field: string): Promise<void> {
		this.finishRenewal(renewing);
		if (renewing.claim === undefined) return;
		const stored = await this.readStored();
		if (stored?.[RENEWAL_CLAIM] === renewing.claim && !renewedSince(stored, field, renewing.stale))
			await this.recordClaim(field, renewing.stale, RELEASED_CLAIM);
	}

	private finishRenewal(renewing: { done: () => void }): void {
		renewing.done();
		// The next request of this client reads what the renewal stored.
		this.credentialsRead = undefined;
	}

	private async renewedElsewhere(
		field: string,
		stale: string,
		wait = RENEWAL_ELSEWHERE,
	): Promise<boolean> {
		const found = await awaitRenewalElsewhere(
			field,
			stale,
			async () => await this.readStored(),
			async (ms) => await this.runtime.sleep(ms),
			wait,
		);
		if (found) this.credentialsRead = undefined;
		return found;
	}

	/** The credential this node uses, the same for every execution of this process. */
	private renewalKey(): string {
		const reference = this.ctx.getNode().credentials?.[this.spec.credentialType];
		return `${this.spec.credentialType}:${reference?.id ?? reference?.name ?? ''}`;
	}

	/**
	 * n8n's options sending exactly `credentials` (so the value refused is known), with
	 * the expirable field replaced when given: emptied, n8n's preAuthentication obtains
	 * a new token or session and stores it.
	 */
	private withCredential(
		credentials: ICredentialDataDecryptedObject,
		options: IAdditionalCredentialOptions,
		expirableValue: string | undefined,
	): IAdditionalCredentialOptions {
		const field = this.spec.renewal!.expirableField!;
		const reference = this.ctx.getNode().credentials?.[this.spec.credentialType];
		const data = { ...credentials };
		if (expirableValue !== undefined) data[field] = expirableValue;
		return {
			...options,
			credentialsDecrypted: {
				id: reference?.id ?? '',
				name: reference?.name ?? '',
				type: this.spec.credentialType,
				data,
			},
		};
	}
}

/** A renewal this request carries out for its process: `claim` when recorded for the others. */
type Renewal = { stale: string; done: () => void; claim?: string };

/** How long a failed renewal looks for the session another process stored. */
const RENEWAL_ELSEWHERE = { waitMs: 5_000, everyMs: 250 };
/** How long a process that lost the claim waits for the winner's token or session. */
const CLAIM_WAIT = { waitMs: 15_000, everyMs: 250 };
/**
 * From writing a claim to reading which one won: longer than any process takes from
 * reading "no claim" to writing its own, on a busy machine too.
 */
export const CLAIM_SETTLE_MS = 1_000;

/** The credential's secrets: its secret fields, and any OAuth2 token n8n keeps with it. */
function secretValues(spec: ProviderSpec, credentials: ICredentialDataDecryptedObject): string[] {
	const token = (credentials.oauthTokenData ?? {}) as IDataObject;
	return [
		...spec.secretFields.map((field) => credentials[field]),
		token.access_token,
		token.refresh_token,
	].filter((value): value is string => typeof value === 'string' && value !== '');
}

const MAY_HAVE_TAKEN_EFFECT =
	'It was not retried because the provider may have carried it out: check whether it took effect before running it again.';

type RawResponse = { statusCode: number; headers: IDataObject; body: unknown };

/** The absolute URL of a request, or why it is refused. */
function resolveTarget(
	spec: ProviderSpec,
	credentials: ICredentialDataDecryptedObject,
	url: string,
): string | { refused: ProviderErrorInfo } {
	const base = spec.baseUrl(credentials).replace(/\/+$/, '');
	if (!/^[a-z][a-z0-9+.-]*:/i.test(url)) return `${base}${url.startsWith('/') ? '' : '/'}${url}`;
	let link: URL;
	let api: URL;
	try {
		link = new URL(url);
		api = new URL(base);
	} catch {
		return { refused: { message: `${spec.displayName} sent a link that is not a URL` } };
	}
	if (link.origin !== api.origin) {
		return {
			refused: {
				message: `${spec.displayName} sent a link to another host (${link.host}); it was not followed`,
				description: `Only links on the API host of the credential (${api.host}) are requested, so the credential is never sent elsewhere.`,
			},
		};
	}
	return link.href;
}

/** A request target for messages: paths as they are, links without their query. */
function describeTarget(url: string): string {
	return url.replace(/\?.*$/, '');
}

function httpOptions(
	request: ProviderRequest,
	url: string,
	renewStatuses: number[],
	timeoutMs: number,
	skipTlsVerification: boolean,
): IHttpRequestOptions {
	const options: IHttpRequestOptions = {
		method: request.method,
		url,
		// Fresh objects on every attempt: the helper adds the credential to them.
		qs: request.qs && { ...request.qs },
		headers: { Accept: 'application/json', ...request.headers },
		returnFullResponse: true,
		// Statuses are read here, except those n8n must see to renew the credential.
		ignoreHttpStatusErrors: { ignore: true, except: renewStatuses },
		// The body as bytes, decoded and parsed here: HTML pages and broken JSON become
		// clear errors instead of parser crashes, and a large page's text is made only
		// when it is parsed (as text from n8n's helper it outlived more young-generation
		// collections: a Return All of 20,000 Talkdesk callbacks peaked about 30% higher).
		encoding: 'arraybuffer',
		json: false,
		timeout: timeoutMs,
		...(skipTlsVerification && { skipSslCertificateValidation: true }),
	};
	if (request.body !== undefined) {
		const contentType = request.contentType ?? 'application/json';
		options.headers!['Content-Type'] = contentType;
		// JSON is written here, so an array (JSON Patch) goes out exactly as given; a
		// form stays an object, for credentials that add their token to it.
		options.body =
			contentType === 'application/x-www-form-urlencoded'
				? { ...(request.body as IDataObject) }
				: JSON.stringify(request.body);
	}
	return options;
}

/** An answer's text: n8n's helper hands the body over as bytes; text or JSON are read too. */
function answerText(body: unknown): string {
	if (typeof body === 'string') return body;
	if (Buffer.isBuffer(body)) return body.toString('utf8');
	return body === undefined || body === null ? '' : JSON.stringify(body);
}

function toProviderResponse(raw: RawResponse): ProviderResponse {
	const text = answerText(raw.body);
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

/** The HTTP answer carried by an error of n8n's helper (an axios error, maybe wrapped), if any. */
function responseOf(error: unknown): ProviderResponse | undefined {
	let current = error as { response?: unknown; cause?: unknown } | undefined;
	for (let depth = 0; current && depth < 5; depth++) {
		const response = current.response as
			| { status?: unknown; headers?: IDataObject; data?: unknown }
			| undefined;
		if (response && typeof response.status === 'number') {
			return toProviderResponse({
				statusCode: response.status,
				headers: response.headers ?? {},
				body: response.data,
			});
		}
		current = current.cause as typeof current;
	}
	return undefined;
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
	answer: ProviderResponse,
	secrets: Secrets,
	request: ProviderRequest,
	what: string,
): ProviderErrorInfo | undefined {
	const status = answer.statusCode;
	const ok = status >= 200 && status < 300;
	// A success that parsed as JSON is the usual answer and is never quoted, so its text
	// is not redacted (a pass over every page). Redaction only writes "[redacted]" after
	// what it keeps, so it cannot make a text start like an HTML page: the check on the
	// text as received decides as the one after redaction would.
	const parsed = answer.body !== undefined && typeof answer.body !== 'string';
	if (ok && parsed && !isHtml(answer)) return undefined;
	// Secrets are removed before the text is cut: a cut token would escape redaction.
	const response = { ...answer, text: redact(answer.text, secrets) };
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
			description: `The answer to ${what} could not be read: ${response.text.slice(0, 120)}`,
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
