import { NodeApiError } from 'n8n-workflow';
import type {
	IAdditionalCredentialOptions,
	ICredentialDataDecryptedObject,
	IExecuteFunctions,
	IHttpRequestOptions,
	INode,
	JsonObject,
} from 'n8n-workflow';

import { convosoCall, convosoSpec } from '../../nodes/Convoso/transport';
import { defaultRetryPolicy } from '../../nodes/shared/retry';
import type { RetryPolicy } from '../../nodes/shared/retry';
import type { Runtime } from '../../nodes/shared/runtime';
import { ProviderClient } from '../../nodes/shared/transport';
import type { ProviderRequest, ProviderSpec, RequestContext } from '../../nodes/shared/transport';

const node: INode = {
	id: 'node-1',
	name: 'Callbacks',
	type: 'n8n-nodes-callbacks.test',
	typeVersion: 1,
	position: [0, 0],
	parameters: {},
};

const SECRET = 'tok-SECRET-123';
const PASSWORD = 'pw-Hunter2-XYZ';

/** A provider whose errors are `{error, code}` bodies, like several real ones. */
const spec: ProviderSpec = {
	credentialType: 'testApi',
	displayName: 'TestProvider',
	secretFields: ['apiToken', 'password'],
	baseUrl: (credentials) => String(credentials.baseUrl),
	detectError: (response) => {
		const body = response.body as { error?: string; code?: string | number } | undefined;
		if (body && typeof body === 'object' && typeof body.error === 'string') {
			return {
				httpCode: response.statusCode,
				code: body.code,
				message: `TestProvider error: ${body.error}`,
			};
		}
		return undefined;
	},
};

type Answer = { statusCode: number; headers?: Record<string, unknown>; body?: string } | Error;

interface Call {
	credentialType: string;
	/** The options as the transport handed them over, before the helper touched them. */
	options: IHttpRequestOptions;
	credentialOptions?: IAdditionalCredentialOptions;
	thisArg: unknown;
}

function fakeContext(
	answers: Answer[],
	credentials: ICredentialDataDecryptedObject = {
		baseUrl: 'https://api.example.test/v1/',
		apiToken: SECRET,
		password: PASSWORD,
	},
) {
	const calls: Call[] = [];
	const logs: string[] = [];
	const log = (message: string) => logs.push(message);
	const ctx = {
		getCredentials: async () => credentials,
		getNode: () => node,
		logger: { warn: log, info: log, debug: log, error: log },
		helpers: {
			async httpRequestWithAuthentication(
				this: unknown,
				credentialType: string,
				options: IHttpRequestOptions,
				credentialOptions?: IAdditionalCredentialOptions,
			) {
				calls.push({
					credentialType,
					options: structuredClone(options),
					credentialOptions: structuredClone(credentialOptions),
					thisArg: this,
				});
				// Like n8n's helper, add the credential to the objects handed over.
				if (options.body && typeof options.body === 'object')
					(options.body as Record<string, unknown>).auth_token = SECRET;
				if (options.qs) options.qs.auth_token = SECRET;
				(options.headers as Record<string, unknown>).Authorization = `Bearer ${SECRET}`;
				const answer = answers[Math.min(calls.length - 1, answers.length - 1)];
				if (answer instanceof Error) throw answer;
				const response = {
					statusCode: answer.statusCode,
					headers: answer.headers ?? {},
					// Like n8n: the body as bytes when asked for an array buffer.
					body:
						options.encoding === 'arraybuffer' && typeof answer.body === 'string'
							? Buffer.from(answer.body, 'utf8')
							: (answer.body ?? ''),
				};
				// Like n8n: statuses kept for credential renewal arrive as a NodeApiError
				// around the axios error (whose response holds the answer).
				const ignore = options.ignoreHttpStatusErrors;
				if (typeof ignore === 'object' && ignore.except.includes(answer.statusCode)) {
					const axiosError = Object.assign(
						new Error(`Request failed with status code ${answer.statusCode}`),
						{
							response: {
								status: answer.statusCode,
								headers: response.headers,
								data: response.body,
							},
							config: { headers: options.headers },
						},
					);
					throw new NodeApiError(node, axiosError as unknown as JsonObject);
				}
				return response;
			},
		},
	};
	return { ctx: ctx as unknown as IExecuteFunctions, calls, logs };
}

const json = (
	statusCode: number,
	body: unknown,
	headers: Record<string, unknown> = {},
): Answer => ({
	statusCode,
	headers: { 'content-type': 'application/json', ...headers },
	body: JSON.stringify(body),
});
const ok = json(200, { items: [1, 2, 3] });

/** An error as n8n's HTTP helper throws it: a NodeApiError around the axios error. */
function n8nNetworkError(code: string): Error {
	const axiosLike = Object.assign(new Error(`read ${code}`), {
		code,
		config: { url: 'https://api.example.test/v1/x', data: `auth_token=${SECRET}` },
	});
	return new NodeApiError(node, axiosLike as unknown as JsonObject);
}
/** A plain wrapper whose cause carries the code, as other helper versions throw. */
function wrappedNetworkError(code: string): Error {
	return Object.assign(new Error('Request failed'), {
		name: 'NodeApiError',
		cause: Object.assign(new Error(`connect ${code}`), { code }),
	});
}

const get: ProviderRequest = {
	method: 'GET',
	url: '/callbacks',
	qs: { limit: 5 },
	idempotent: true,
};
const create: ProviderRequest = {
	method: 'POST',
	url: '/callbacks',
	body: { lead_id: '1' },
	idempotent: false,
};

/** Every string reachable from a value (own properties, nested objects, causes). */
function allStrings(value: unknown, seen = new Set<unknown>()): string[] {
	if (typeof value === 'string') return [value];
	if (typeof value !== 'object' || value === null || seen.has(value)) return [];
	seen.add(value);
	const keys = new Set([...Object.getOwnPropertyNames(value), 'message', 'description', 'cause']);
	return [...keys].flatMap((key) => allStrings((value as Record<string, unknown>)[key], seen));
}

async function failureOf(promise: Promise<unknown>): Promise<NodeApiError> {
	try {
		await promise;
	} catch (error) {
		expect(error).toBeInstanceOf(NodeApiError);
		return error as NodeApiError;
	}
	throw new Error('Expected the request to fail');
}

let clock: number;
let sleeps: number[];
let retryPolicy: RetryPolicy;

/** A controlled clock: waiting only moves it forward. */
const runtime: Runtime = {
	get retryPolicy() {
		return retryPolicy;
	},
	timeoutMs: 12_345,
	sleep: async (ms: number) => {
		sleeps.push(ms);
		clock += ms;
	},
	yieldToIo: async () => {},
	now: () => clock,
	elapsed: () => clock,
	random: () => 0.5,
};

beforeEach(() => {
	clock = 1_700_000_000_000;
	sleeps = [];
	retryPolicy = { ...defaultRetryPolicy };
});

function providerRequest(
	ctx: RequestContext,
	providerSpec: ProviderSpec,
	request: ProviderRequest,
	itemIndex?: number,
) {
	return new ProviderClient(ctx, providerSpec, runtime).request(request, itemIndex);
}

describe('request options', () => {
	it('hands the helper a full-response request for bytes below the base URL, without a trailing slash', async () => {
		const { ctx, calls } = fakeContext([ok], {
			baseUrl: 'https://api.example.test/v1//',
			apiToken: SECRET,
		});
		const result = await providerRequest(ctx, spec, {
			method: 'POST',
			url: '/callbacks/search',
			qs: { page: 2 },
			body: { lead_id: '12345', comments: 'hi' },
			contentType: 'application/x-www-form-urlencoded',
			headers: { 'X-Extra': 'yes' },
			idempotent: true,
		});
		expect(calls).toHaveLength(1);
		const [{ credentialType, options, thisArg }] = calls;
		expect(credentialType).toBe('testApi');
		expect(thisArg).toBe(ctx);
		expect(options).toMatchObject({
			method: 'POST',
			url: 'https://api.example.test/v1/callbacks/search',
			qs: { page: 2 },
			body: { lead_id: '12345', comments: 'hi' },
			returnFullResponse: true,
			// No renewable credential: every status is read by the transport.
			ignoreHttpStatusErrors: { ignore: true, except: [] },
			encoding: 'arraybuffer',
			json: false,
		});
		expect(options.headers).toEqual({
			Accept: 'application/json',
			'X-Extra': 'yes',
			'Content-Type': 'application/x-www-form-urlencoded',
		});
		expect(options.timeout).toBe(runtime.timeoutMs);
		expect(result.body).toEqual({ items: [1, 2, 3] });
		expect(result.statusCode).toBe(200);
	});

	it('skips TLS verification only when the spec says the credential asks for it', async () => {
		const tlsSpec: ProviderSpec = {
			...spec,
			skipTlsVerification: (credentials) => credentials.ignoreTlsErrors === true,
		};
		for (const ignoreTlsErrors of [true, false]) {
			const { ctx, calls } = fakeContext([ok], {
				baseUrl: 'https://ameyo.example.test:8443',
				apiToken: SECRET,
				ignoreTlsErrors,
			});
			await providerRequest(ctx, tlsSpec, { method: 'GET', url: '/x', idempotent: true });
			expect(calls[0].options.skipSslCertificateValidation).toBe(
				ignoreTlsErrors ? true : undefined,
			);
		}
		const { ctx, calls } = fakeContext([ok]);
		await providerRequest(ctx, spec, { method: 'GET', url: '/x', idempotent: true });
		expect(calls[0].options.skipSslCertificateValidation).toBeUndefined();
	});

	it('sends JSON bodies as JSON, and no Content-Type without a body', async () => {
		const { ctx, calls } = fakeContext([ok, ok]);
		await providerRequest(ctx, spec, {
			method: 'PATCH',
			url: '/x',
			body: { a: 1 },
			idempotent: true,
		});
		await providerRequest(ctx, spec, { method: 'GET', url: '/y', idempotent: true });
		expect(calls[0].options.headers?.['Content-Type']).toBe('application/json');
		expect(calls[0].options.body).toBe('{"a":1}');
		expect(calls[1].options.headers).not.toHaveProperty('Content-Type');
		expect(calls[1].options.body).toBeUndefined();
	});

	it('gives the helper fresh objects on every attempt, and leaves the caller’s objects alone', async () => {
		const { ctx, calls } = fakeContext([json(503, {}), json(503, {}), ok]);
		const request: ProviderRequest = {
			method: 'POST',
			url: '/x',
			qs: { q: '1' },
			body: { a: '1' },
			idempotent: true,
		};
		await providerRequest(ctx, spec, request);
		expect(calls).toHaveLength(3);
		for (const call of calls) {
			expect(call.options.body).toBe('{"a":"1"}');
			expect(call.options.qs).toEqual({ q: '1' });
			expect(call.options.headers).not.toHaveProperty('Authorization');
		}
		expect(request).toEqual({
			method: 'POST',
			url: '/x',
			qs: { q: '1' },
			body: { a: '1' },
			idempotent: true,
		});
	});

	it('decodes the bytes of the answer as UTF-8', async () => {
		const { ctx } = fakeContext([
			{ statusCode: 200, body: '{"comments":"Rappeler à São Paulo — 東京 ☎"}' },
		]);
		const result = await providerRequest(ctx, spec, get);
		expect(result.body).toEqual({ comments: 'Rappeler à São Paulo — 東京 ☎' });
		expect(result.text).toBe('{"comments":"Rappeler à São Paulo — 東京 ☎"}');
	});

	it('reads the answer: JSON parsed, headers in lower case, text kept', async () => {
		const { ctx } = fakeContext([
			{
				statusCode: 200,
				headers: { 'Content-Type': 'application/json', 'X-RateLimit-Remaining': '9' },
				body: '{"a":[1]}',
			},
		]);
		const result = await providerRequest(ctx, spec, get);
		expect(result.body).toEqual({ a: [1] });
		expect(result.text).toBe('{"a":[1]}');
		expect(result.headers['x-ratelimit-remaining']).toBe('9');
		expect(result.headers['content-type']).toBe('application/json');
	});
});

describe('retries', () => {
	it('retries a 429, waiting at least Retry-After (seconds)', async () => {
		const { ctx, calls } = fakeContext([json(429, {}, { 'Retry-After': '7' }), ok]);
		const result = await providerRequest(ctx, spec, get);
		expect(result.statusCode).toBe(200);
		expect(calls).toHaveLength(2);
		expect(sleeps).toHaveLength(1);
		expect(sleeps[0]).toBeGreaterThanOrEqual(7000);
		expect(sleeps[0]).toBeLessThanOrEqual(7700);
	});

	it('retries a 429, waiting at least until a Retry-After date', async () => {
		const until = new Date(clock + 12_000).toUTCString();
		const { ctx, calls } = fakeContext([json(429, {}, { 'retry-after': until }), ok]);
		await providerRequest(ctx, spec, get);
		expect(calls).toHaveLength(2);
		expect(sleeps[0]).toBeGreaterThanOrEqual(12_000);
	});

	it('retries a 429 even for a request that is not idempotent (the provider refused it)', async () => {
		const { ctx, calls } = fakeContext([json(429, {}), json(429, {}), json(201, { id: 7 })]);
		const result = await providerRequest(ctx, spec, create);
		expect(result.body).toEqual({ id: 7 });
		expect(calls).toHaveLength(3);
	});

	it('after a 429, a request of the same client started meanwhile waits out the Retry-After before it is sent', async () => {
		const { ctx, calls } = fakeContext([json(429, {}, { 'Retry-After': '5' }), ok, ok]);
		// Waits that end only when released, so the client's requests can overlap.
		const waits: Array<{ ms: number; end: () => void }> = [];
		const held: Runtime = {
			...runtime,
			sleep: (ms) => new Promise<void>((end) => waits.push({ ms, end })),
		};
		const settle = () => new Promise((resolve) => setImmediate(resolve));
		const client = new ProviderClient(ctx, spec, held);
		const first = client.request(get);
		while (waits.length === 0) await settle();
		const second = client.request(get);
		for (let turn = 0; turn < 5; turn++) await settle();
		// The second request is not sent into the same limit: it waits as long as the first.
		expect(calls).toHaveLength(1);
		expect(waits.map((wait) => wait.ms)).toEqual([expect.any(Number), waits[0].ms]);
		expect(waits[0].ms).toBeGreaterThanOrEqual(5_000);
		clock += waits[0].ms;
		for (const wait of waits.splice(0)) wait.end();
		expect((await first).statusCode).toBe(200);
		expect((await second).statusCode).toBe(200);
		expect(waits).toHaveLength(0);
		expect(calls).toHaveLength(3);
	});

	it.each([502, 503, 504])('retries HTTP %i for an idempotent request', async (status) => {
		const { ctx, calls } = fakeContext([json(status, {}), ok]);
		const result = await providerRequest(ctx, spec, get);
		expect(result.statusCode).toBe(200);
		expect(calls).toHaveLength(2);
		expect(sleeps).toHaveLength(1);
	});

	it.each([502, 503, 504])(
		'does not repeat a create after HTTP %i (its outcome is unknown)',
		async (status) => {
			const { ctx, calls } = fakeContext([{ statusCode: status, body: 'Service Unavailable' }, ok]);
			const error = await failureOf(providerRequest(ctx, spec, create));
			expect(calls).toHaveLength(1);
			expect(sleeps).toHaveLength(0);
			expect(error.httpCode).toBe(String(status));
			expect(error.message).toContain(String(status));
			expect(error.message).toContain('Service Unavailable');
		},
	);

	it.each([500, 400, 401, 404])('never retries HTTP %i', async (status) => {
		const { ctx, calls } = fakeContext([{ statusCode: status, body: 'nope' }, ok]);
		const error = await failureOf(providerRequest(ctx, spec, get));
		expect(calls).toHaveLength(1);
		expect(error.httpCode).toBe(String(status));
		expect(error.message).toBe(`TestProvider answered HTTP ${status}: nope`);
	});

	it.each([
		['n8n NodeApiError', n8nNetworkError],
		['wrapper with a cause', wrappedNetworkError],
	])('retries network errors for idempotent requests (%s)', async (_, makeError) => {
		for (const code of ['ECONNRESET', 'ETIMEDOUT', 'ECONNREFUSED']) {
			const { ctx, calls } = fakeContext([makeError(code), makeError(code), ok]);
			const result = await providerRequest(ctx, spec, get);
			expect(result.statusCode).toBe(200);
			expect(calls).toHaveLength(3);
		}
	});

	it('reads "socket hang up" as a dropped connection', async () => {
		const { ctx, calls } = fakeContext([
			new NodeApiError(node, new Error('socket hang up') as unknown as JsonObject),
			ok,
		]);
		await providerRequest(ctx, spec, get);
		expect(calls).toHaveLength(2);
	});

	it('does not repeat a create after ECONNRESET, and says why', async () => {
		const { ctx, calls } = fakeContext([n8nNetworkError('ECONNRESET'), ok]);
		const error = await failureOf(providerRequest(ctx, spec, create));
		expect(calls).toHaveLength(1);
		expect(error.message).toBe('Could not reach TestProvider (ECONNRESET)');
		expect(error.description).toMatch(/not retried/);
		expect(error.context.providerCode).toBe('ECONNRESET');
	});

	it('repeats a create after ECONNREFUSED (it never reached the provider)', async () => {
		const { ctx, calls } = fakeContext([wrappedNetworkError('ECONNREFUSED'), json(201, { id: 1 })]);
		const result = await providerRequest(ctx, spec, create);
		expect(result.body).toEqual({ id: 1 });
		expect(calls).toHaveLength(2);
	});

	it('does not retry other failures of the helper, nor after the execution was cancelled', async () => {
		const other = fakeContext([new Error('Invalid URL'), ok]);
		const error = await failureOf(providerRequest(other.ctx, spec, get));
		expect(other.calls).toHaveLength(1);
		expect(error.message).toBe('TestProvider request failed: Invalid URL');

		const cancelled = fakeContext([n8nNetworkError('ECONNRESET'), ok]);
		(
			cancelled.ctx as unknown as { getExecutionCancelSignal: () => AbortSignal }
		).getExecutionCancelSignal = () => AbortSignal.abort();
		await failureOf(providerRequest(cancelled.ctx, spec, get));
		expect(cancelled.calls).toHaveLength(1);
	});

	it('makes at most maxAttempts attempts, then fails with the last answer', async () => {
		retryPolicy = {
			maxAttempts: 4,
			baseDelayMs: 100,
			maxDelayMs: 1000,
			maxTotalMs: 1_000_000,
		};
		const { ctx, calls } = fakeContext([{ statusCode: 503, body: 'Service Unavailable' }]);
		const error = await failureOf(providerRequest(ctx, spec, get));
		expect(calls).toHaveLength(4);
		expect(sleeps).toHaveLength(3);
		expect(error.httpCode).toBe('503');
		expect(error.message).toBe('TestProvider answered HTTP 503: Service Unavailable');

		const network = fakeContext([wrappedNetworkError('ECONNRESET')]);
		const networkError = await failureOf(providerRequest(network.ctx, spec, get));
		expect(network.calls).toHaveLength(4);
		expect(networkError.message).toBe('Could not reach TestProvider (ECONNRESET)');
		expect(networkError.description).toContain('4 time(s)');
	});

	it('backs off with growing waits', async () => {
		retryPolicy = {
			maxAttempts: 6,
			baseDelayMs: 100,
			maxDelayMs: 100_000,
			maxTotalMs: 1_000_000,
		};
		const { ctx } = fakeContext([json(503, {})]);
		await failureOf(providerRequest(ctx, spec, get));
		expect(sleeps).toHaveLength(5);
		for (let i = 1; i < sleeps.length; i++) expect(sleeps[i]).toBeGreaterThan(sleeps[i - 1]);
	});

	it('stops retrying before the total time exceeds maxTotalMs', async () => {
		retryPolicy = {
			maxAttempts: 1000,
			baseDelayMs: 1000,
			maxDelayMs: 4000,
			maxTotalMs: 20_000,
		};
		const started = clock;
		const { ctx, calls } = fakeContext([json(503, {})]);
		await failureOf(providerRequest(ctx, spec, get));
		expect(calls.length).toBeGreaterThan(2);
		expect(calls.length).toBe(sleeps.length + 1);
		expect(clock - started).toBeLessThanOrEqual(20_000);
		expect(sleeps.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(20_000);
	});

	it('does not wait for a Retry-After beyond maxTotalMs, and reports it', async () => {
		const { ctx, calls } = fakeContext([
			json(429, { error: 'slow down' }, { 'retry-after': '120' }),
			ok,
		]);
		const error = await failureOf(providerRequest(ctx, spec, get));
		expect(calls).toHaveLength(1);
		expect(sleeps).toHaveLength(0);
		expect(error.httpCode).toBe('429');
		expect(error.description).toContain('120 s');
	});

	it('logs each retry', async () => {
		const { ctx, logs } = fakeContext([json(503, {}), ok]);
		await providerRequest(ctx, spec, get);
		expect(logs.join('\n')).toMatch(/GET \/callbacks.*HTTP 503.*retry 1/);
	});
});

describe('error answers', () => {
	it('turns HTML pages into a message with the page title, never the HTML', async () => {
		const page =
			'<!DOCTYPE html><html><head><title> 502 Bad Gateway </title></head><body><h1>Bad Gateway</h1><p>nginx</p></body></html>';
		for (const answer of [
			{ statusCode: 502, headers: { 'content-type': 'text/html' }, body: page },
			{ statusCode: 200, headers: { 'content-type': 'text/html; charset=utf-8' }, body: page },
			{ statusCode: 200, headers: {}, body: `\n  ${page}` },
		]) {
			const { ctx } = fakeContext([answer]);
			const error = await failureOf(providerRequest(ctx, spec, create));
			expect(error.message).toContain('HTML');
			expect(error.message).toContain('502 Bad Gateway');
			expect(error.message).toContain(`HTTP ${answer.statusCode}`);
			for (const text of [error.message, error.description ?? '']) {
				expect(text).not.toMatch(/<|nginx|<h1>/);
			}
		}
	});

	it('explains malformed JSON', async () => {
		for (const answer of [
			{ statusCode: 200, headers: { 'content-type': 'application/json' }, body: '{"success": tru' },
			{ statusCode: 200, headers: {}, body: '[1, 2,' },
			{ statusCode: 200, headers: { 'content-type': 'application/json' }, body: '' },
		]) {
			const { ctx } = fakeContext([answer]);
			const error = await failureOf(providerRequest(ctx, spec, get));
			expect(error.message).toBe('TestProvider returned malformed JSON');
			expect(error.description).toContain('GET /callbacks');
			expect(error.description).toContain(answer.body);
		}
	});

	it('accepts empty and text answers when the request expects them', async () => {
		const empty = fakeContext([{ statusCode: 204, body: '' }]);
		expect(
			(await providerRequest(empty.ctx, spec, { ...get, expect: 'none' })).body,
		).toBeUndefined();
		const text = fakeContext([
			{ statusCode: 200, headers: { 'content-type': 'text/plain' }, body: 'OK' },
		]);
		expect((await providerRequest(text.ctx, spec, { ...get, expect: 'text' })).body).toBe('OK');
	});

	it("uses the provider's own error, with its code, even on HTTP 200", async () => {
		const { ctx } = fakeContext([json(200, { error: 'No such callback', code: 'NOT_FOUND' })]);
		const error = await failureOf(providerRequest(ctx, spec, get, 4));
		expect(error.message).toBe('TestProvider error: No such callback');
		expect(error.httpCode).toBe('200');
		expect(error.context.providerCode).toBe('NOT_FOUND');
		expect(error.context.itemIndex).toBe(4);
	});

	it('reads the provider\'s "nothing matches" error as an empty answer, by its body only', async () => {
		const seen: unknown[] = [];
		const emptySpec: ProviderSpec = {
			...spec,
			meansNothingMatched: (info, response) => {
				seen.push(response.body);
				return info.code === 6000;
			},
		};
		const { ctx } = fakeContext([json(200, { error: 'Missing callbacks', code: 6000 })]);
		const result = await providerRequest(ctx, emptySpec, get);
		expect(result.nothingMatched).toBe(true);
		expect(result.body).toEqual({ error: 'Missing callbacks', code: 6000 });
		expect(seen).toEqual([{ error: 'Missing callbacks', code: 6000 }]);

		const other = fakeContext([json(200, { error: 'Other', code: 6001 })]);
		const error = await failureOf(providerRequest(other.ctx, emptySpec, get));
		expect(error.context.providerCode).toBe(6001);

		// An outage is never "nothing matches": a bare 500 fails after its retries.
		retryPolicy = { ...defaultRetryPolicy, maxAttempts: 1 };
		const outage = fakeContext([{ statusCode: 500, body: 'Internal Server Error' }]);
		const outageError = await failureOf(providerRequest(outage.ctx, emptySpec, get));
		expect(outageError.httpCode).toBe('500');

		const plain = fakeContext([ok]);
		expect((await providerRequest(plain.ctx, emptySpec, get)).nothingMatched).toBe(false);
	});
});

describe('secrets', () => {
	/** No secret, nor any 6-character piece of one, anywhere in the error or the logs. */
	function expectNoSecret(texts: string[]) {
		const pieces = [SECRET, PASSWORD].flatMap((secret) =>
			Array.from({ length: secret.length - 5 }, (_, i) => secret.slice(i, i + 6)),
		);
		for (const text of texts) for (const piece of pieces) expect(text).not.toContain(piece);
	}

	const echoes: Array<[string, Answer]> = [
		['an Ameyo-style token error', json(401, { error: `invalid.authentication.token:${SECRET}` })],
		[
			'a provider error quoting the token',
			json(200, { error: `Token ${SECRET} and password ${PASSWORD} are not valid` }),
		],
		[
			'an HTML page with auth_token in its title and body',
			{
				statusCode: 500,
				headers: { 'content-type': 'text/html' },
				body: `<html><head><title>Error for auth_token=${SECRET}</title></head><body>auth_token=${SECRET}</body></html>`,
			},
		],
		[
			'an HTML title with the bare token',
			{
				statusCode: 500,
				headers: { 'content-type': 'text/html' },
				body: `<html><title>Bad ${SECRET}</title></html>`,
			},
		],
		['a text answer quoting the token', { statusCode: 401, body: `Unauthorized: ${SECRET}` }],
		[
			'malformed JSON quoting the token',
			{
				statusCode: 200,
				headers: { 'content-type': 'application/json' },
				body: `{"token": "${SECRET}", `,
			},
		],
		[
			'a long answer cut in the middle of the token',
			{ statusCode: 400, body: `${'x'.repeat(193)}${SECRET} tail` },
		],
		[
			'malformed JSON cut in the middle of the token',
			{ statusCode: 200, body: `{${'x'.repeat(113)}${SECRET}` },
		],
		[
			'a network error quoting the request',
			new Error(`connect failed for https://api.example.test/v1?auth_token=${SECRET}`),
		],
		[
			'a network error quoting the bare token',
			Object.assign(new Error(`request with ${SECRET} reset`), { code: 'ECONNRESET' }),
		],
		['a 429 with the token, after all retries', json(429, { error: `rate limited for ${SECRET}` })],
	];

	it.each(echoes)('never appear in errors or logs: %s', async (_, answer) => {
		retryPolicy = { ...defaultRetryPolicy, maxAttempts: 2 };
		const { ctx, logs } = fakeContext([answer]);
		const error = await failureOf(providerRequest(ctx, spec, create));
		expectNoSecret([
			error.message,
			error.description ?? '',
			...allStrings(error),
			JSON.stringify(error),
			...logs,
		]);
	});
});

describe('with the Convoso spec', () => {
	it('fails on success:false sent with HTTP 200, with the Convoso code', async () => {
		const { ctx, calls } = fakeContext(
			[json(200, { success: false, code: '6074', error: 'Callback not found' })],
			{ apiToken: SECRET },
		);
		const error = await failureOf(
			convosoCall(
				new ProviderClient(ctx, convosoSpec, runtime),
				'/callbacks/update',
				{ callback_id: 9999 },
				{ idempotent: true, itemIndex: 1 },
			),
		);
		expect(calls).toHaveLength(1);
		expect(calls[0].options.url).toBe('https://api.convoso.com/v1/callbacks/update');
		expect(error.httpCode).toBe('200');
		expect(error.context.providerCode).toBe(6074);
		expect(error.message).toContain('6074');
	});

	it('posts flat form fields as text, leaving out empty ones', async () => {
		const { ctx, calls } = fakeContext(
			[json(200, { success: true, data: { callback_id: '657' } })],
			{
				apiToken: SECRET,
				baseUrl: 'https://sandbox.example.test/v1/',
			},
		);
		const result = await convosoCall(
			new ProviderClient(ctx, convosoSpec, runtime),
			'/callbacks/insert',
			{
				lead_id: 12345,
				recipient: 'system',
				comments: '',
				user_id: undefined,
				campaign_id: null,
				callback_time_zone: '-5.00',
			},
			{ idempotent: false },
		);
		expect(result.body).toEqual({ success: true, data: { callback_id: '657' } });
		expect(calls[0].options).toMatchObject({
			method: 'POST',
			url: 'https://sandbox.example.test/v1/callbacks/insert',
			body: { lead_id: '12345', recipient: 'system', callback_time_zone: '-5.00' },
		});
		expect(calls[0].options.headers?.['Content-Type']).toBe('application/x-www-form-urlencoded');
	});

	it('reads code 6000 ("Missing callbacks") as nothing matched, and other codes as errors', async () => {
		const { ctx } = fakeContext(
			[json(200, { success: false, code: 6000, text: 'Missing callbacks' })],
			{ apiToken: SECRET },
		);
		const result = await convosoCall(
			new ProviderClient(ctx, convosoSpec, runtime),
			'/callbacks/search',
			{},
			{ idempotent: true },
		);
		expect(result.nothingMatched).toBe(true);

		const other = fakeContext([json(200, { success: false, code: 6001, text: 'No such lead' })], {
			apiToken: SECRET,
		});
		const error = await failureOf(
			convosoCall(
				new ProviderClient(other.ctx, convosoSpec, runtime),
				'/leads/search',
				{},
				{
					idempotent: true,
				},
			),
		);
		expect(error.context.providerCode).toBe(6001);
	});
});

describe('bodies, links and credential renewal', () => {
	it('sends a JSON Patch array unchanged, with its content type, on every attempt', async () => {
		const { ctx, calls } = fakeContext([json(503, {}), json(502, {}), ok]);
		const patch = [
			{ op: 'replace', path: '/timeToCall', value: '2026-03-05T14:30:00Z' },
			{ op: 'replace', path: '/agents', value: ['a1', 'a2'] },
		];
		await providerRequest(ctx, spec, {
			method: 'PATCH',
			url: '/schedule-callbacks/abc',
			body: patch,
			contentType: 'application/json-patch+json',
			idempotent: true,
		});
		expect(calls).toHaveLength(3);
		for (const call of calls) {
			expect(call.options.headers?.['Content-Type']).toBe('application/json-patch+json');
			expect(JSON.parse(call.options.body as string)).toEqual(patch);
		}
		expect(patch).toHaveLength(2);
	});

	it('requests an absolute link on the credential host, and refuses one to another host before sending', async () => {
		const { ctx, calls } = fakeContext([ok]);
		await providerRequest(ctx, spec, {
			method: 'GET',
			url: 'https://api.example.test/v1/callbacks?page=3&per_page=500',
			idempotent: true,
		});
		expect(calls[0].options.url).toBe('https://api.example.test/v1/callbacks?page=3&per_page=500');

		for (const link of [
			'https://evil.example.test/v1/callbacks?page=2',
			'http://api.example.test/v1/callbacks?page=2',
			'https://api.example.test:8443/v1/callbacks',
		]) {
			const other = fakeContext([ok]);
			const error = await failureOf(
				providerRequest(other.ctx, spec, { method: 'GET', url: link, idempotent: true }),
			);
			expect(other.calls).toHaveLength(0);
			expect(error.message).toMatch(/link to another host .* it was not followed/);
		}
	});

	const renewable: ProviderSpec = { ...spec, renewal: { statuses: [401, 419] } };

	it("lets n8n see the provider's expiry statuses, and names them as renewal statuses", async () => {
		const { ctx, calls } = fakeContext([ok]);
		await providerRequest(ctx, renewable, get);
		expect(calls[0].options.ignoreHttpStatusErrors).toEqual({ ignore: true, except: [401, 419] });
		expect(calls[0].credentialOptions).toEqual({
			preAuthenticationRetryStatusCode: [401, 419],
			oauth2: { tokenExpiredStatusCode: [401, 419] },
		});
	});

	it('maps a 401 that n8n could not cure like any other answer, without retrying it', async () => {
		const { ctx, calls } = fakeContext([
			json(401, { error: `token ${SECRET} expired`, code: 'UNAUTHORIZED' }),
		]);
		const error = await failureOf(providerRequest(ctx, renewable, get, 2));
		expect(calls).toHaveLength(1);
		expect(error.httpCode).toBe('401');
		expect(error.context.providerCode).toBe('UNAUTHORIZED');
		expect(error.message).toBe('TestProvider error: token [redacted] expired');
		expect(error.context.itemIndex).toBe(2);
	});

	it('renews a session once when the body says it expired under another status', async () => {
		const sessionSpec: ProviderSpec = {
			...spec,
			renewal: {
				expirableField: 'sessionId',
				isExpired: (response) => /70201/.test(response.text),
			},
		};
		const expired = json(500, { error: 'Session expired', code: 70201 });
		const credentials = { baseUrl: 'https://api.example.test', sessionId: 'sess-OLD-123456' };
		const { ctx, calls } = fakeContext([expired, ok], credentials);
		(ctx as unknown as { getNode: () => INode }).getNode = () => ({
			...node,
			credentials: { testApi: { id: 'cred-7', name: 'Test' } },
		});
		const result = await providerRequest(ctx, sessionSpec, get);
		expect(result.body).toEqual({ items: [1, 2, 3] });
		expect(calls).toHaveLength(2);
		// The session sent is the one read, so the renewal knows which one was refused.
		expect(calls[0].credentialOptions?.credentialsDecrypted?.data).toEqual(credentials);
		expect(calls[1].credentialOptions?.credentialsDecrypted).toEqual({
			id: 'cred-7',
			name: 'Test',
			type: 'testApi',
			data: { ...credentials, sessionId: '' },
		});

		// Still expired after one renewal: an error, not a loop.
		const stuck = fakeContext([expired], credentials);
		retryPolicy = { ...defaultRetryPolicy, maxAttempts: 1 };
		const error = await failureOf(providerRequest(stuck.ctx, sessionSpec, get));
		expect(stuck.calls).toHaveLength(2);
		expect(error.context.providerCode).toBe(70201);
	});

	it('says a create that got a 5xx was not retried and may have taken effect', async () => {
		const { ctx, calls } = fakeContext([json(502, { error: 'Bad gateway' })]);
		const error = await failureOf(providerRequest(ctx, spec, create));
		expect(calls).toHaveLength(1);
		expect(error.httpCode).toBe('502');
		expect(error.description).toMatch(
			/not retried because the provider may have carried it out: check whether it took effect before running it again/,
		);
		const read = fakeContext([json(404, { error: 'Not found' })]);
		const readError = await failureOf(providerRequest(read.ctx, spec, create));
		expect(readError.description ?? '').not.toMatch(/may have carried it out/);
	});
});

describe("what n8n's poll scheduler reads from an error: the cause and the wait asked for", () => {
	it('a 429 is rate-limited with its Retry-After, a 503 temporarily unavailable, a 400 neither', async () => {
		retryPolicy = { ...defaultRetryPolicy, maxAttempts: 1 };
		const limited = fakeContext([json(429, { error: 'slow down' }, { 'retry-after': '40' })]);
		expect((await failureOf(providerRequest(limited.ctx, spec, get))).failure).toEqual({
			cause: 'rate-limited',
			retryAfterMs: 40_000,
		});
		const down = fakeContext([json(503, { error: 'maintenance' })]);
		expect((await failureOf(providerRequest(down.ctx, spec, get))).failure).toEqual({
			cause: 'temporarily-unavailable',
		});
		const refused = fakeContext([json(400, { error: 'bad field' })]);
		expect((await failureOf(providerRequest(refused.ctx, spec, get))).failure).toBeUndefined();
	});

	it("a wait that would end after the client's retryUntil (a poll's budget) is left to n8n's backoff", async () => {
		const limited = fakeContext([json(429, { error: 'slow down' }, { 'retry-after': '40' }), ok]);
		const polling = new ProviderClient(limited.ctx, spec, runtime);
		polling.retryUntil = clock + 15_000;
		const error = await failureOf(polling.request(get));
		expect(limited.calls).toHaveLength(1);
		expect(sleeps).toEqual([]);
		expect(error.httpCode).toBe('429');
		expect(error.failure).toEqual({ cause: 'rate-limited', retryAfterMs: 40_000 });

		// A wait that fits is waited for.
		const brief = fakeContext([json(429, { error: 'slow down' }, { 'retry-after': '5' }), ok]);
		const fits = new ProviderClient(brief.ctx, spec, runtime);
		fits.retryUntil = clock + 15_000;
		expect((await fits.request(get)).statusCode).toBe(200);
		expect(brief.calls).toHaveLength(2);
		expect(sleeps).toHaveLength(1);
		expect(sleeps[0]).toBeGreaterThanOrEqual(5_000);
	});
});
