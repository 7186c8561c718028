/**
 * The provider sandbox: one local HTTP server that behaves like the providers'
 * callback APIs, with seeded data and fault injection.
 *
 * A small core (this file) routes requests to provider modules mounted under a
 * prefix (Convoso under /convoso, Speko under /speko, Talkdesk under /talkdesk with
 * its API under /talkdesk/api and its token endpoint under /talkdesk/id, Ameyo under
 * /ameyo, which stands for a tenant's https://host:8443, with its REST API under
 * /ameyo/ameyorestapi and its legacy commands under /ameyo/ameyowebaccess), records
 * every provider request, applies injected faults and serves a JSON control API
 * under /_sandbox for tests that run in another process than the sandbox. To add a provider, write
 * a ProviderModule and mount it in startSandbox.
 */
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

import { AmeyoModule } from './ameyo';
import type { AmeyoOptions, AmeyoSandbox } from './ameyo';
import { ConvosoModule } from './convoso';
import type { ConvosoOptions, ConvosoSandbox } from './convoso';
import { FaultQueue, faultOutcome } from './faults';
import type { ErrorBody, Fault, FaultInjector } from './faults';
import { SpekoModule } from './speko';
import type { SpekoOptions, SpekoSandbox } from './speko';
import { TalkdeskModule } from './talkdesk';
import type { TalkdeskOptions, TalkdeskSandbox } from './talkdesk';

/** A request as a provider module sees it. */
export interface SandboxRequest {
	method: string;
	/** Path after the module's prefix, without the query string, e.g. '/v1/callbacks/search'. */
	path: string;
	/** Query parameters; a repeated name keeps its last value. */
	query: Record<string, string>;
	/** Header names are lowercase; repeated headers are joined with ', '. */
	headers: Record<string, string>;
	rawBody: string;
	/** Set when the body is application/x-www-form-urlencoded. */
	form?: Record<string, string>;
	/** Set when the body is application/json and parses. */
	json?: unknown;
}

export interface SandboxResponse {
	status: number;
	headers?: Record<string, string>;
	/** Sent as application/json, unless `text` is set. */
	json?: unknown;
	/** Sent verbatim; give it a content-type header (default text/plain). */
	text?: string;
}

export interface ProviderModule {
	/** Used in faults, recorded requests and GET /_sandbox/state/<name>. */
	name: string;
	/** Where the module is mounted, e.g. '/convoso'. */
	prefix: string;
	handle(request: SandboxRequest): Promise<SandboxResponse> | SandboxResponse;
	/** The module's state as JSON, for GET /_sandbox/state/<name>. */
	snapshot(): unknown;
	/** The provider's JSON error body, so injected faults look like its own errors. */
	errorBody?: ErrorBody;
}

export interface RecordedRequest {
	provider: string;
	method: string;
	/** The full request path as received, prefix and query string included. */
	path: string;
	/** Path after the prefix, without the query string. */
	route: string;
	query: Record<string, string>;
	headers: Record<string, string>;
	rawBody: string;
	form?: Record<string, string>;
	json?: unknown;
	/** Sandbox clock, epoch ms. */
	at: number;
	/** Set once the answer is sent: its HTTP status (absent while pending, or for a dropped connection). */
	status?: number;
	/** Set once the answer is sent: the bytes of its body. */
	responseBytes?: number;
	/** Set once the answer is sent: sandbox clock, epoch ms (with `at`, tells which requests overlapped). */
	answeredAt?: number;
}

/**
 * A gateway's rate limit in front of one provider: a request over it is answered 429
 * with Retry-After (in the provider's error body) and never reaches the provider.
 */
export interface RateLimit {
	/** Requests being answered at once (the latency included); one more gets a 429. */
	maxInFlight?: number;
	/** Requests let through in any one second (a sliding second of real time); more get a 429. */
	perSecond?: number;
	/** Seconds sent in Retry-After. Default 1. */
	retryAfterSeconds?: number;
}

/** What one provider's requests cost, counted since the start or the last resetTraffic(). */
export interface ProviderTraffic {
	requests: number;
	/** Answers sent, by HTTP status. */
	statuses: Record<string, number>;
	/** Body bytes of every answer sent. */
	responseBytes: number;
	/** Requests whose connection was dropped (a 'drop' fault), without an answer. */
	dropped: number;
	/** Requests answered 429 by the rate limit (they never reached the provider). */
	rateLimited: number;
	/** The most requests being answered at the same time. */
	maxInFlight: number;
	/** Requests that came on a connection of their own (not on one kept alive). */
	newConnections: number;
}

export interface SandboxOptions {
	/** Loopback only: '127.0.0.1' (default), '::1' or 'localhost'. */
	host?: string;
	/** Default 0: an ephemeral port. */
	port?: number;
	/** Seed of all generated data. Default 1. */
	seed?: number;
	convoso?: ConvosoOptions;
	speko?: SpekoOptions;
	talkdesk?: TalkdeskOptions;
	ameyo?: AmeyoOptions;
	/** The sandbox clock. Default Date.now. */
	now?: () => number;
	/**
	 * Real time every provider answer waits before it is sent (a network and server
	 * latency), fault answers and rate-limit 429s included. Concurrent requests wait in
	 * parallel. Default 0.
	 */
	latencyMs?: number;
	/** Rate limits by provider name ('convoso', ...). Default none. */
	rateLimits?: Partial<Record<string, RateLimit>>;
}

export interface Sandbox {
	/** e.g. http://127.0.0.1:4010 */
	url: string;
	port: number;
	/**
	 * Each provider's base URL, as a credential would hold it; talkdeskToken is Talkdesk's
	 * OAuth token URL (POST, client credentials); ameyo stands for a tenant's
	 * https://host:8443 (routes start /ameyorestapi and /ameyowebaccess after it).
	 */
	baseUrls: {
		convoso: string;
		speko: string;
		talkdesk: string;
		talkdeskToken: string;
		ameyo: string;
	};
	close(): Promise<void>;
	convoso: ConvosoSandbox;
	speko: SpekoSandbox;
	talkdesk: TalkdeskSandbox;
	ameyo: AmeyoSandbox;
	faults: FaultInjector;
	/** Every provider request so far, oldest first (a live array). */
	requests: RecordedRequest[];
	clearRequests(): void;
	/** Freezes the sandbox clock at `ms`; undefined goes back to the real clock. */
	setNow(ms: number | undefined): void;
	/** Requests, answers by status and bytes per provider (copies), since the start or resetTraffic(). */
	traffic(): Record<string, ProviderTraffic>;
	resetTraffic(): void;
	/** Changes latencyMs from now on. */
	setLatency(ms: number): void;
}

const DEFAULT_SEED = 1;
const LOOPBACK_HOSTS = ['127.0.0.1', '::1', 'localhost'];
const MAX_BODY_BYTES = 5 * 1024 * 1024;
const CONTROL_PREFIX = '/_sandbox';

export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
	const host = options.host ?? '127.0.0.1';
	if (!LOOPBACK_HOSTS.includes(host)) {
		throw new Error(
			`The sandbox listens on loopback only (${LOOPBACK_HOSTS.join(', ')}), not on "${host}"`,
		);
	}
	const port = options.port ?? 0;
	if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`Invalid port: ${port}`);
	let latencyMs = 0;
	const setLatency = (ms: number): void => {
		if (!Number.isFinite(ms) || ms < 0 || ms > 600_000) throw new Error(`Invalid latency: ${ms}`);
		latencyMs = ms;
	};
	setLatency(options.latencyMs ?? 0);

	let frozenNow: number | undefined;
	const now = (): number => frozenNow ?? (options.now ?? Date.now)();
	const setNow = (ms: number | undefined): void => {
		frozenNow = ms;
	};
	const seed = options.seed ?? DEFAULT_SEED;

	const convoso = new ConvosoModule(options.convoso ?? {}, { seed, now });
	const speko = new SpekoModule(options.speko ?? {}, { seed, now });
	const talkdesk = new TalkdeskModule(options.talkdesk ?? {}, { seed, now });
	const ameyo = new AmeyoModule(options.ameyo ?? {}, { seed, now });
	const providers: ProviderModule[] = [convoso, speko, talkdesk, ameyo];
	const faults = new FaultQueue();
	const requests: RecordedRequest[] = [];
	const timers = new PendingTimers();
	const traffic = new TrafficMeter(options.rateLimits ?? {});

	const control = new ControlApi({ providers, faults, requests, now, setNow, traffic });

	async function handleProviderRequest(
		provider: ProviderModule,
		incoming: IncomingRequest,
		req: IncomingMessage,
		res: ServerResponse,
	): Promise<void> {
		const request = toSandboxRequest(
			incoming,
			incoming.pathname.slice(provider.prefix.length) || '/',
		);
		const recorded: RecordedRequest = {
			provider: provider.name,
			method: request.method,
			path: incoming.rawPath,
			route: request.path,
			query: request.query,
			headers: request.headers,
			rawBody: request.rawBody,
			...(request.form !== undefined && { form: request.form }),
			...(request.json !== undefined && { json: request.json }),
			at: now(),
		};
		requests.push(recorded);

		const ticket = traffic.admit(provider.name, req.socket);
		const answer = async (response: SandboxResponse): Promise<void> => {
			if (latencyMs > 0) await timers.wait(latencyMs);
			const bytes = send(res, response);
			if (bytes !== undefined) {
				recorded.status = response.status;
				recorded.responseBytes = bytes;
				recorded.answeredAt = now();
			}
			ticket.answered(response.status, bytes);
		};
		try {
			if (ticket.limited) {
				const limited = faultOutcome(
					{ provider: provider.name, type: 'rate-limit', retryAfter: ticket.retryAfterSeconds },
					provider.errorBody?.bind(provider),
				);
				if (limited.kind === 'answer') return await answer(limited.response);
			}

			const fault = faults.take(provider.name, request.method, request.path);
			if (!fault) return await answer(await provider.handle(request));

			// With afterProcessing the provider acts first; its answer then goes out only
			// for a delay, and is lost (dropped or replaced) for every other fault.
			const handled = fault.afterProcessing ? await provider.handle(request) : undefined;
			const outcome = faultOutcome(fault, provider.errorBody?.bind(provider));
			switch (outcome.kind) {
				case 'drop':
					// No answer at all: the client sees the connection close.
					req.socket.destroy();
					ticket.dropped();
					return;
				case 'answer':
					return await answer(outcome.response);
				case 'delay':
					await timers.wait(outcome.ms);
					return await answer(handled ?? (await provider.handle(request)));
			}
		} finally {
			ticket.done();
		}
	}

	async function handleHttp(req: IncomingMessage, res: ServerResponse): Promise<void> {
		const incoming = await readIncoming(req);
		if (incoming === 'too-large') {
			send(res, { status: 413, json: { error: 'Request body too large' } });
			return;
		}
		if (
			incoming.pathname === CONTROL_PREFIX ||
			incoming.pathname.startsWith(`${CONTROL_PREFIX}/`)
		) {
			send(res, control.handle(incoming));
			return;
		}
		const provider = providers.find(
			(p) => incoming.pathname === p.prefix || incoming.pathname.startsWith(`${p.prefix}/`),
		);
		if (!provider) {
			send(res, notFoundPage());
			return;
		}
		return handleProviderRequest(provider, incoming, req, res);
	}

	const server = createServer((req, res) => {
		handleHttp(req, res).catch((error: unknown) => {
			// A bug in a module must show up as a 500, never take the sandbox down.
			if (res.headersSent || res.destroyed) {
				res.destroy();
				return;
			}
			const message = error instanceof Error ? error.message : String(error);
			send(res, {
				status: 500,
				json: { success: false, error: `Sandbox internal error: ${message}` },
			});
		});
	});

	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(port, host === 'localhost' ? '127.0.0.1' : host, () => {
			server.off('error', reject);
			resolve();
		});
	});

	const address = server.address() as AddressInfo;
	const urlHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
	const url = `http://${urlHost}:${address.port}`;

	let closing: Promise<void> | undefined;
	const close = (): Promise<void> => {
		closing ??= new Promise<void>((resolve, reject) => {
			server.close((error) => (error ? reject(error) : resolve()));
			// Keep-alive sockets of clients (fetch keeps them) would hold close() open.
			server.closeAllConnections();
			timers.releaseAll();
		});
		return closing;
	};

	return {
		url,
		port: address.port,
		baseUrls: {
			convoso: `${url}${convoso.prefix}/v1`,
			speko: `${url}${speko.prefix}`,
			talkdesk: `${url}${talkdesk.prefix}/api`,
			talkdeskToken: `${url}${talkdesk.prefix}/id/oauth/token`,
			ameyo: `${url}${ameyo.prefix}`,
		},
		close,
		convoso,
		speko,
		talkdesk,
		ameyo,
		faults,
		requests,
		clearRequests: () => {
			requests.length = 0;
		},
		setNow,
		traffic: () => traffic.snapshot(),
		resetTraffic: () => traffic.reset(),
		setLatency,
	};
}

/** The parts of an HTTP request the sandbox reads, body included. */
interface IncomingRequest {
	method: string;
	/** req.url as received, query included. */
	rawPath: string;
	pathname: string;
	query: Record<string, string>;
	headers: Record<string, string>;
	rawBody: string;
}

async function readIncoming(req: IncomingMessage): Promise<IncomingRequest | 'too-large'> {
	const chunks: Buffer[] = [];
	let size = 0;
	// An oversized body is read to its end (not kept), so the 413 reaches the client.
	for await (const chunk of req) {
		size += (chunk as Buffer).length;
		if (size <= MAX_BODY_BYTES) chunks.push(chunk as Buffer);
	}
	if (size > MAX_BODY_BYTES) return 'too-large';

	const rawPath = req.url ?? '/';
	let url: URL;
	try {
		url = new URL(rawPath, 'http://sandbox.invalid');
	} catch {
		url = new URL('http://sandbox.invalid/');
	}

	const headers: Record<string, string> = {};
	for (const [name, value] of Object.entries(req.headers)) {
		if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
	}

	return {
		method: (req.method ?? 'GET').toUpperCase(),
		rawPath,
		pathname: url.pathname,
		query: Object.fromEntries(url.searchParams),
		headers,
		rawBody: Buffer.concat(chunks).toString('utf8'),
	};
}

function toSandboxRequest(incoming: IncomingRequest, path: string): SandboxRequest {
	const contentType = (incoming.headers['content-type'] ?? '').toLowerCase();
	const request: SandboxRequest = {
		method: incoming.method,
		path,
		query: incoming.query,
		headers: incoming.headers,
		rawBody: incoming.rawBody,
	};
	if (contentType.startsWith('application/x-www-form-urlencoded')) {
		request.form = Object.fromEntries(new URLSearchParams(incoming.rawBody));
	} else if (contentType.startsWith('application/json') && incoming.rawBody !== '') {
		try {
			request.json = JSON.parse(incoming.rawBody);
		} catch {
			// Malformed JSON is the provider module's problem to answer, not a crash.
		}
	}
	return request;
}

/** Sends the answer; returns the bytes of its body, or undefined when nobody was left to answer. */
function send(res: ServerResponse, response: SandboxResponse): number | undefined {
	// A dropped or closed connection (fault, or close()) has nobody left to answer.
	if (res.destroyed || res.headersSent) return undefined;
	const headers: Record<string, string> = { ...response.headers };
	let body = '';
	if (response.text !== undefined) {
		body = response.text;
		headers['content-type'] ??= 'text/plain; charset=utf-8';
	} else if (response.json !== undefined) {
		body = JSON.stringify(response.json);
		headers['content-type'] ??= 'application/json';
	}
	const bytes = Buffer.byteLength(body);
	headers['content-length'] = String(bytes);
	res.writeHead(response.status, headers);
	res.end(body);
	return bytes;
}

function notFoundPage(): SandboxResponse {
	return {
		status: 404,
		headers: { 'content-type': 'text/html' },
		text: '<!DOCTYPE html>\n<html><head><title>404 Not Found</title></head><body><h1>Not Found</h1><p>The requested URL was not found on this server.</p></body></html>\n',
	};
}

/** Per-provider counters, and the rate limits they decide. */
class TrafficMeter {
	private counters = new Map<string, ProviderTraffic>();
	private readonly inFlight = new Map<string, number>();
	/** Real-clock times of the requests let through in the last second, per provider. */
	private readonly admitted = new Map<string, number[]>();
	/** The connections requests have come on. */
	private readonly connections = new WeakSet<object>();

	constructor(private readonly limits: Partial<Record<string, RateLimit>>) {
		for (const [provider, limit] of Object.entries(limits)) {
			const valid = (value: number | undefined) =>
				value === undefined || (Number.isInteger(value) && value >= 0);
			if (!limit || !valid(limit.maxInFlight) || !valid(limit.perSecond)) {
				throw new Error(`Invalid rate limit for ${provider}: ${JSON.stringify(limit)}`);
			}
		}
	}

	private of(provider: string): ProviderTraffic {
		let counter = this.counters.get(provider);
		if (!counter) {
			counter = {
				requests: 0,
				statuses: {},
				responseBytes: 0,
				dropped: 0,
				rateLimited: 0,
				maxInFlight: 0,
				newConnections: 0,
			};
			this.counters.set(provider, counter);
		}
		return counter;
	}

	/** A request arrived: counts it, and tells whether the rate limit turns it away. */
	admit(provider: string, connection?: object) {
		const counter = this.of(provider);
		counter.requests += 1;
		if (connection && !this.connections.has(connection)) {
			this.connections.add(connection);
			counter.newConnections += 1;
		}
		const limit = this.limits[provider];
		const busy = this.inFlight.get(provider) ?? 0;
		let limited = false;
		if (limit?.maxInFlight !== undefined && busy >= limit.maxInFlight) limited = true;
		if (limit?.perSecond !== undefined) {
			const at = Date.now();
			const recent = (this.admitted.get(provider) ?? []).filter((time) => time > at - 1000);
			if (!limited && recent.length >= limit.perSecond) limited = true;
			if (!limited) recent.push(at);
			this.admitted.set(provider, recent);
		}
		if (limited) counter.rateLimited += 1;
		// A turned-away request is answered at once, at no cost to the provider.
		const holds = !limited;
		if (holds) {
			this.inFlight.set(provider, busy + 1);
			counter.maxInFlight = Math.max(counter.maxInFlight, busy + 1);
		}
		let finished = false;
		return {
			limited,
			retryAfterSeconds: limit?.retryAfterSeconds ?? 1,
			answered: (status: number, bytes: number | undefined) => {
				if (bytes === undefined) return;
				const current = this.of(provider);
				current.statuses[status] = (current.statuses[status] ?? 0) + 1;
				current.responseBytes += bytes;
			},
			dropped: () => {
				this.of(provider).dropped += 1;
			},
			done: () => {
				if (finished || !holds) return;
				finished = true;
				this.inFlight.set(provider, Math.max(0, (this.inFlight.get(provider) ?? 1) - 1));
			},
		};
	}

	snapshot(): Record<string, ProviderTraffic> {
		const copy: Record<string, ProviderTraffic> = {};
		for (const [provider, counter] of this.counters) {
			copy[provider] = { ...counter, statuses: { ...counter.statuses } };
		}
		return copy;
	}

	reset(): void {
		this.counters = new Map();
		// Requests still being answered are still in flight.
		for (const [provider, busy] of this.inFlight)
			if (busy > 0) this.of(provider).maxInFlight = busy;
	}
}

/** Timers of delayed answers, released at close() so a pending delay never outlives the server. */
class PendingTimers {
	private readonly releases = new Set<() => void>();

	wait(ms: number): Promise<void> {
		return new Promise((resolve) => {
			const release = () => {
				clearTimeout(timer);
				this.releases.delete(release);
				resolve();
			};
			const timer = setTimeout(release, ms);
			this.releases.add(release);
		});
	}

	releaseAll(): void {
		for (const release of [...this.releases]) release();
	}
}

/**
 * JSON control API under /_sandbox, for tests in another process:
 *   GET    /_sandbox/health
 *   GET    /_sandbox/requests?provider=convoso[&route=/v1/callbacks/search]
 *   DELETE /_sandbox/requests
 *   GET    /_sandbox/faults            pending faults
 *   POST   /_sandbox/faults            body: one fault or an array
 *   DELETE /_sandbox/faults
 *   GET    /_sandbox/state/<provider>  the module's snapshot
 *   GET    /_sandbox/clock
 *   POST   /_sandbox/clock             body: {"now": <epoch ms> | null}
 *   GET    /_sandbox/traffic           requests, answers by status, bytes, per provider
 *   DELETE /_sandbox/traffic
 */
class ControlApi {
	constructor(
		private readonly sandbox: {
			providers: ProviderModule[];
			faults: FaultQueue;
			requests: RecordedRequest[];
			now: () => number;
			setNow: (ms: number | undefined) => void;
			traffic: TrafficMeter;
		},
	) {}

	handle(incoming: IncomingRequest): SandboxResponse {
		const route = incoming.pathname.slice(CONTROL_PREFIX.length);
		const { method, query } = incoming;
		const { providers, faults, requests, now } = this.sandbox;

		if (route.startsWith('/state/')) {
			const provider = providers.find((p) => p.name === route.slice('/state/'.length));
			if (!provider) return jsonError(404, `Unknown provider: ${route.slice('/state/'.length)}`);
			return method === 'GET' ? ok(provider.snapshot()) : methodNotAllowed();
		}

		switch (`${method} ${route}`) {
			case 'GET /health':
				return ok({ ok: true, providers: providers.map((p) => p.name), now: now() });
			case 'GET /requests':
				return ok({
					requests: requests.filter(
						(r) =>
							(query.provider === undefined || r.provider === query.provider) &&
							(query.route === undefined || r.route === query.route),
					),
				});
			case 'DELETE /requests':
				requests.length = 0;
				return ok({ ok: true });
			case 'GET /faults':
				return ok({ faults: faults.pending() });
			case 'POST /faults':
				return this.addFaults(incoming.rawBody);
			case 'DELETE /faults':
				faults.clear();
				return ok({ ok: true });
			case 'GET /clock':
				return ok({ now: now() });
			case 'POST /clock':
				return this.setClock(incoming.rawBody);
			case 'GET /traffic':
				return ok({ traffic: this.sandbox.traffic.snapshot() });
			case 'DELETE /traffic':
				this.sandbox.traffic.reset();
				return ok({ ok: true });
		}
		const knownRoutes = ['/health', '/requests', '/faults', '/clock', '/traffic'];
		return knownRoutes.includes(route)
			? methodNotAllowed()
			: jsonError(404, `Unknown control route: ${route}`);
	}

	private addFaults(rawBody: string): SandboxResponse {
		const body = parseJson(rawBody);
		if (body === undefined) {
			return jsonError(400, 'The body must be JSON: one fault or an array of faults');
		}
		try {
			this.sandbox.faults.add(body as Fault | Fault[]);
		} catch (error) {
			return jsonError(400, (error as Error).message);
		}
		return ok({ ok: true, faults: this.sandbox.faults.pending() });
	}

	private setClock(rawBody: string): SandboxResponse {
		const body = parseJson(rawBody) as { now?: unknown } | undefined;
		const value = body?.now;
		if (value !== null && !(typeof value === 'number' && Number.isFinite(value))) {
			return jsonError(400, 'The body must be {"now": <epoch milliseconds> | null}');
		}
		this.sandbox.setNow(value ?? undefined);
		return ok({ now: this.sandbox.now(), frozen: value !== null });
	}
}

function parseJson(text: string): unknown {
	try {
		return JSON.parse(text) as unknown;
	} catch {
		return undefined;
	}
}

function ok(json: unknown): SandboxResponse {
	return { status: 200, json };
}

function jsonError(status: number, error: string): SandboxResponse {
	return { status, json: { error } };
}

function methodNotAllowed(): SandboxResponse {
	return jsonError(405, 'Method not allowed');
}
