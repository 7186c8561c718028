/**
 * Talkdesk in the sandbox: the Scheduled Callback Management API under
 * /api/schedule-callbacks, the direct callback POST /api/calls/callback, and the OAuth 2.0
 * token endpoint under /id, as documented (findings.md §1, providers.md §3, the seed and
 * Talkdesk's OpenAPI 3.0.2 gateway spec, whose paths are relative to the API host):
 * - client credentials: HTTP Basic client authentication, a form body, scoped Bearer tokens
 *   that expire (Talkdesk issues no refresh token for this grant);
 * - every error body is {code, message, description?, fields?: [{name, description}]};
 * - a list is a HAL page (`application/hal+json`) with page/per_page (per_page defaults
 *   to 1, as the spec says), page capped at 500, and _links built from the request;
 * - update is a JSON-Patch-like array of camelCase `replace` operations, while callbacks
 *   are answered in snake_case; cancel is a 204 and keeps the callback, CANCELED;
 * - a callback's _links.self points at /callbacks/{id}, not /schedule-callbacks/{id}.
 *
 * Two shapes are documented for a list page (the older page has `total_page` and a bare
 * `_embedded` array): the newer one is the default, `legacyShape` switches to the older.
 * Create is a Preview for select customers with no path or field names in any document:
 * the sandbox serves it as POST /api/schedule-callbacks with snake_case fields mirroring
 * the callback, and `createEnabled` false answers it 404 as for an account not in it.
 *
 * Where the documents are silent the sandbox decides, and says so next to the code: the
 * order of the checks, list order, how filters match, what makes an update or a cancel
 * impossible, the validation wording, the direct callback's answers, and the seeded data.
 */
import { Random, deriveSeed } from './random';
import type { ProviderModule, SandboxRequest, SandboxResponse } from './server';

export const TALKDESK_STATUSES = [
	'UNATTEMPTED',
	'TO_BE_RETRIED',
	'EXHAUSTED',
	'SUCCESS',
	'CANCELED',
	'INVALID_NUMBER',
] as const;
export type TalkdeskStatus = (typeof TALKDESK_STATUSES)[number];

export const TALKDESK_ASSIGN_TYPES = [
	'MYSELF_ONLY',
	'SPECIFIC_AGENT',
	'SPECIFIC_RING_GROUP',
	'MYSELF_IF_AVAILABLE',
	'ANY_ELIGIBLE_AGENT',
] as const;
export type TalkdeskAssignType = (typeof TALKDESK_ASSIGN_TYPES)[number];

export const TALKDESK_FROM_CALL_TYPES = [
	'INBOUND',
	'MANUAL_OUTBOUND',
	'PROACTIVE_OUTBOUND',
] as const;
export type TalkdeskFromCallType = (typeof TALKDESK_FROM_CALL_TYPES)[number];

export const TALKDESK_DIALING_MODELS = ['PREDICTIVE', 'PREVIEW'] as const;
export type TalkdeskDialingModel = (typeof TALKDESK_DIALING_MODELS)[number];

export const TALKDESK_SCOPES = [
	'schedule-callbacks:read',
	'schedule-callbacks:write',
	'callback:write',
] as const;

/** Statuses a callback can still be called (and so updated) in. */
export const TALKDESK_OPEN_STATUSES: readonly TalkdeskStatus[] = ['UNATTEMPTED', 'TO_BE_RETRIED'];

/** A callback, field for field as the API answers it. Times are ISO 8601 UTC to the second. */
export interface TalkdeskCallback {
	/** A UUID v4. */
	id: string;
	/** The same as id. */
	callback_id: string;
	account_id: string;
	interaction_id: string | null;
	root_interaction_id: string | null;
	campaign_id: string | null;
	record_id: string | null;
	record_list_id: string | null;
	record_list_name: string | null;
	/** E.164. */
	phone_number: string;
	record_first_name: string | null;
	record_last_name: string | null;
	record_extra_data: Record<string, unknown>;
	/** E.164: the number shown to the contact. */
	caller_id: string;
	/** The time originally set (or last rescheduled to). */
	time_to_call: string;
	/** The next attempt: moves on as retries happen. */
	next_time_to_call: string;
	scheduled_time_to_call: string;
	/** The contact's IANA zone. */
	timezone: string;
	/** A time-of-day window, dated 2000-01-01. */
	preferred_start_time: string | null;
	preferred_end_time: string | null;
	exclusive_to_agent: boolean;
	/** The first of `agents`, or null. */
	agent_id: string | null;
	agents: Array<{ agent_id: string }>;
	teams: Array<{ team_id: string }>;
	ring_groups: Array<{ ring_group: string }>;
	contact_id: string | null;
	status: TalkdeskStatus;
	assign_type: TalkdeskAssignType;
	from_call_type: TalkdeskFromCallType;
	dialing_model: TalkdeskDialingModel;
	/** When the callback ended (called, exhausted, canceled...); null while it is open. */
	processed_time: string | null;
	created_at: string;
	created_by: string;
	notes: string | null;
	current_retry_attempts: number;
	current_rescheduled_attempts: number;
	max_rescheduled_attempts: number;
	_links: { self: { href: string } };
}

/** An OAuth client of the account. */
export interface TalkdeskClient {
	id: string;
	secret: string;
	scopes: string[];
}

/** A direct callback the API accepted. */
export interface TalkdeskDispatch {
	talkdesk_phone_number: string;
	contact_phone_number: string;
	/** As sent; null when the request had none. */
	context: { fields: Array<Record<string, unknown>> } | null;
	/** Sandbox clock, epoch ms (as RecordedRequest.at). */
	at: number;
}

export interface TalkdeskOptions {
	/** The account's OAuth clients. Default TALKDESK_CLIENT and TALKDESK_CLIENT_NO_READ. */
	clients?: TalkdeskClient[];
	/** Lifetime of an access token, on the sandbox clock. Default 3600. */
	tokenTtlSeconds?: number;
	/** Seeded callbacks. Default 60. */
	callbacks?: number;
	/** The highest `page` a list accepts. Default 500, as documented. */
	maxPage?: number;
	/** Answer list pages in the older documented shape. Default false. */
	legacyShape?: boolean;
	/** Whether the account is in the create Preview. Default true. */
	createEnabled?: boolean;
	/** The account's own numbers (E.164), for direct callbacks. Default TALKDESK_NUMBERS. */
	talkdeskNumbers?: string[];
	/** Default TALKDESK_ACCOUNT_ID. */
	accountId?: string;
}

export type ResolvedTalkdeskOptions = Required<TalkdeskOptions>;

/** What tests use in-process; the same object serves HTTP. */
export interface TalkdeskSandbox {
	readonly options: ResolvedTalkdeskOptions;
	/** List pages in the older shape (total_page, bare _embedded array). Settable at run time. */
	legacyShape: boolean;
	/** False: POST /api/schedule-callbacks answers 404 (account not in the Preview). Settable. */
	createEnabled: boolean;
	/** Access tokens issued so far. */
	readonly tokensIssued: number;
	/** Every callback (copies), in list order: next_time_to_call, then id. */
	callbacks(): TalkdeskCallback[];
	getCallback(id: string): TalkdeskCallback | undefined;
	/**
	 * Creates a callback as an agent or the dialer would: UNATTEMPTED, due in a day, unless
	 * `partial` says otherwise. A time_to_call, next_time_to_call or scheduled_time_to_call
	 * given alone sets the other two; `agents` given alone sets agent_id.
	 */
	addCallback(partial?: Partial<TalkdeskCallback>): TalkdeskCallback;
	/** Adds `count` callbacks fast (no copies answered); answers their ids in order. */
	addCallbacks(count: number, make?: (index: number) => Partial<TalkdeskCallback>): string[];
	/** Changes fields in place, as Talkdesk itself might. */
	changeCallback(id: string, patch: Partial<TalkdeskCallback>): TalkdeskCallback;
	/** Moves a callback to `status` now: a final status sets processed_time, an open one clears it. */
	setStatus(id: string, status: TalkdeskStatus): TalkdeskCallback;
	/** An attempt failed: TO_BE_RETRIED, next_time_to_call moves, current_retry_attempts + 1. */
	retry(id: string, nextTimeToCallIso: string): TalkdeskCallback;
	/** Removes a callback, as if Talkdesk deleted it (a DNC conflict does). */
	removeCallback(id: string): boolean;
	/** Every token issued so far stops working: the next API call with one gets a 401. */
	expireTokens(): void;
	/**
	 * For a client in another process: the next `count` API requests with a valid token are
	 * answered, then every token issued by then stops working (as expireTokens). 0 cancels.
	 */
	expireTokensAfter(count: number): void;
	revokeToken(token: string): boolean;
	/** Accepted direct callbacks (copies), oldest first. */
	dispatches(): TalkdeskDispatch[];
	/** The next `count` direct callback requests answer 429 Load Shedding, dispatching nothing. */
	shedLoad(count: number, retryAfterSeconds?: number): void;
}

/** The default client: every scope the node uses. */
export const TALKDESK_CLIENT: Readonly<TalkdeskClient> = Object.freeze({
	id: 'sandbox-client',
	// The sandbox's published test secret, not a real one.
	// eslint-disable-next-line @n8n/community-nodes/no-hardcoded-secrets
	secret: 'sandbox-secret-td-2f9c41',
	scopes: ['schedule-callbacks:read', 'schedule-callbacks:write', 'callback:write'],
});
/** A client without schedule-callbacks:read: lists and gets answer 403. */
export const TALKDESK_CLIENT_NO_READ: Readonly<TalkdeskClient> = Object.freeze({
	id: 'sandbox-client-noread',
	// eslint-disable-next-line @n8n/community-nodes/no-hardcoded-secrets
	secret: 'sandbox-secret-td-noread-7a1e',
	scopes: ['schedule-callbacks:write', 'callback:write'],
});
export const TALKDESK_ACCOUNT_ID = '64f1c0a2b7e94d3f8a6c2e10';
/** The account's numbers: US toll-free 555 and a UK drama-range London number. */
export const TALKDESK_NUMBERS: readonly string[] = ['+18005550100', '+442080000100'];

/** Seeded agents (32 hex characters, as Talkdesk user ids), with the names in created_by. */
export const TALKDESK_AGENTS: ReadonlyArray<{ id: string; name: string }> = [
	{ id: '5f2a9c1e7b3d4a6f8e0c2b4d6a8f1e3c', name: 'Ana Costa' },
	{ id: '8b1d3f5a7c9e2b4d6f8a0c1e3b5d7f9a', name: 'Bruno Reis' },
	{ id: 'c4e6a8b0d2f41638a5c7e9b1d3f5a7c9', name: 'Chloe Martin' },
	{ id: '1a3c5e7b9d2f4a6c8e0b1d3f5a7c9e2b', name: 'Dev Patel' },
	{ id: 'e9f7d5b3a1c2e4f6a8b0c2d4e6f8a0b1', name: 'Emma Walsh' },
];
export const TALKDESK_AGENT_IDS: readonly string[] = TALKDESK_AGENTS.map((agent) => agent.id);
export const TALKDESK_TEAM_IDS: readonly string[] = [
	'5b34eb0cdcba1b000bdbd321',
	'5b34eb0cdcba1b000bdbd322',
	'5b34eb0cdcba1b000bdbd323',
];
export const TALKDESK_RING_GROUPS: readonly string[] = ['Sales', 'Support', 'Renewals'];
export const TALKDESK_CAMPAIGN_IDS: readonly string[] = [
	'8c86a8f4-da30-41ac-a09d-148e7690c330',
	'3f0b2d6e-91c4-4e7a-b5d8-02a6c4e8f1b3',
	'd2e4f6a8-5b7c-4d9e-8f0a-1b3c5d7e9f20',
];
/** Record lists of the campaigns, [record_list_id, record_list_name]. */
export const TALKDESK_RECORD_LISTS: ReadonlyArray<readonly [string, string]> = [
	['c9798bc0-4f5d-474f-afb7-88bf6e543c94', 'Spring Renewals'],
	['4a1e7c3b-2d5f-4b8a-9c6e-0f2a4c6e8b1d', 'Web Leads'],
	['b7d9f1a3-6c8e-4a0b-8d2f-4e6a8c0e2b4d', 'Win-back'],
];

const DEFAULTS: ResolvedTalkdeskOptions = {
	clients: [TALKDESK_CLIENT, TALKDESK_CLIENT_NO_READ].map((client) => ({
		...client,
		scopes: [...client.scopes],
	})),
	tokenTtlSeconds: 3600,
	callbacks: 60,
	maxPage: 500,
	legacyShape: false,
	createEnabled: true,
	talkdeskNumbers: [...TALKDESK_NUMBERS],
	accountId: TALKDESK_ACCOUNT_ID,
};

// Looked up once: inside Jest's VM context every global lookup is slow (random.ts).
const parseDate = Date.parse;

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const QUARTER_HOUR = 15 * MINUTE;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const WEEK_IN_QUARTER_HOURS = (7 * DAY) / QUARTER_HOUR;

const MAX_PER_PAGE = 500;
const DEFAULT_PER_PAGE = 1;
const MAX_NOTES_LENGTH = 1000;
const MAX_RESCHEDULED_ATTEMPTS = 3;
const E164 = /^\+[1-9]\d{6,14}$/;
const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'.split('');
const HAL = 'application/hal+json';
const FINAL_STATUSES: readonly TalkdeskStatus[] = [
	'EXHAUSTED',
	'SUCCESS',
	'CANCELED',
	'INVALID_NUMBER',
];
/** Assign types that need `agents`: the agent creating it, or the ones named. */
const AGENT_ASSIGN_TYPES: readonly TalkdeskAssignType[] = [
	'SPECIFIC_AGENT',
	'MYSELF_ONLY',
	'MYSELF_IF_AVAILABLE',
];

const ERRORS = {
	unauthorized: { code: '0011003', message: 'Unauthorized' },
	forbidden: { code: '0532003', message: 'Insufficient scopes for the requested operation' },
	// The spec's 404 example reads "The requested resource could not be found"; the node
	// is written against the contract's words.
	callbackNotFound: { code: '0532002', message: 'Schedule callback not found' },
	invalidData: { code: '0532006', message: 'Errors were found in the submitted data' },
	notFound: { code: '0000404', message: 'Not Found' },
	unsupportedMediaType: { code: '0000415', message: 'Unsupported Media Type' },
	// The direct callback's own codes, from its spec examples.
	callUnsupportedMediaType: { code: '0020001', message: 'Unsupported Media Type' },
	callNotAccountNumber: {
		code: '0020005',
		message: "talkdesk_phone_number doesn't belongs to account",
	},
	callMissingParameters: { code: '0020006', message: 'Missing parameter(s)' },
	callInvalidJson: { code: '0020007', message: 'Invalid JSON in request body' },
	callInvalidFields: { code: '0020008', message: 'Invalid fields' },
	callLoadShedding: { code: '0020017', message: 'Load Shedding is enabled' },
} as const;

interface FieldError {
	name: string;
	description: string;
}

interface ErrorDetails {
	code: string;
	message: string;
	description?: string;
	fields?: FieldError[];
}

interface Token {
	clientId: string;
	scopes: ReadonlySet<string>;
	/** Epoch ms on the sandbox clock. */
	expiresAt: number;
}

/** A stored callback and its times as epoch ms, kept in step by `touch`. */
interface Entry {
	/** callback.id, at hand for the sort. */
	id: string;
	callback: TalkdeskCallback;
	nextMs: number;
	timeMs: number;
	/** Where the list order holds it: merged in, waiting to be, or gone. */
	slot: 'sorted' | 'pending' | 'removed';
}

type RouteKind = 'list' | 'create' | 'get' | 'update' | 'cancel' | 'dispatch';
interface Route {
	kind: RouteKind;
	scope: (typeof TALKDESK_SCOPES)[number];
	/** The schedule-callbacks routes answer application/hal+json, errors included. */
	hal: boolean;
	id?: string;
}

export class TalkdeskModule implements ProviderModule, TalkdeskSandbox {
	readonly name = 'talkdesk';
	readonly prefix = '/talkdesk';
	readonly options: ResolvedTalkdeskOptions;
	legacyShape: boolean;
	createEnabled: boolean;

	private readonly entries = new Map<string, Entry>();
	/**
	 * The list order, kept lazily: `sorted` is in order, callbacks added or moved since wait
	 * in `pending`, and the next read sorts only those and merges them in (one pass), so a
	 * few changes to a big store never re-sort all of it. `stale` means `sorted` still holds
	 * entries removed or moved since.
	 */
	private sorted: Entry[] = [];
	private pending: Entry[] = [];
	private stale = false;
	private readonly tokens = new Map<string, Token>();
	private issued = 0;
	/** API requests left before expireTokensAfter expires the tokens; 0 is none pending. */
	private expireAfter = 0;
	private readonly accepted: TalkdeskDispatch[] = [];
	private shedding = { remaining: 0, retryAfterSeconds: 1 };
	private readonly random: Random;
	/** Its own stream, so issuing tokens never changes the ids of later callbacks. */
	private readonly tokenRandom: Random;
	private readonly contacts: Contact[];
	private readonly now: () => number;
	/** The stamps of the last `now` newCallback saw: bulk adds format them once. */
	private stamps = { ms: NaN, now: '', inADay: '' };

	constructor(options: TalkdeskOptions, context: { seed: number; now: () => number }) {
		this.options = { ...DEFAULTS, ...stripUndefined(options) };
		const { tokenTtlSeconds, maxPage, callbacks, talkdeskNumbers } = this.options;
		if (!(tokenTtlSeconds > 0)) throw new Error(`Invalid tokenTtlSeconds: ${tokenTtlSeconds}`);
		if (!Number.isInteger(maxPage) || maxPage < 1) throw new Error(`Invalid maxPage: ${maxPage}`);
		if (!Number.isInteger(callbacks) || callbacks < 0) {
			throw new Error(`Invalid callbacks: ${callbacks}`);
		}
		const badNumber = talkdeskNumbers.find((number) => !E164.test(number));
		if (badNumber !== undefined || talkdeskNumbers.length === 0) {
			throw new Error(`talkdeskNumbers must be E.164 numbers, got ${JSON.stringify(badNumber)}`);
		}
		this.legacyShape = this.options.legacyShape;
		this.createEnabled = this.options.createEnabled;
		this.now = context.now;
		this.random = new Random(deriveSeed(context.seed, this.name));
		this.tokenRandom = new Random(deriveSeed(context.seed, `${this.name}-tokens`));
		this.contacts = generateContacts(this.random, this.newHexId.bind(this));
		this.seedCallbacks(callbacks, Math.floor(this.now() / MINUTE) * MINUTE);
	}

	/** Talkdesk's error body; injected faults use it too, with a code made from the status. */
	errorBody(status: number, message: string): unknown {
		return { code: String(status).padStart(7, '0'), message };
	}

	handle(request: SandboxRequest): SandboxResponse {
		if (request.path === '/id/oauth/token') {
			return request.method === 'POST' ? this.issueToken(request) : this.notFound();
		}
		if (request.path !== '/api' && !request.path.startsWith('/api/')) return this.notFound();

		const route = matchRoute(request.method, request.path.slice('/api'.length));
		const hal = route?.hal ?? false;
		// Auth comes first, as at a gateway: without a valid token even a wrong path is a 401.
		const token = this.authenticate(request.headers.authorization);
		if (!token) return this.error(401, ERRORS.unauthorized, hal);
		// This request is answered with its token; the tokens expire right after it.
		if (this.expireAfter > 0 && --this.expireAfter === 0) this.tokens.clear();
		if (!route) return this.notFound();
		// The sandbox decides: outside the Preview the route does not exist for the account,
		// so this 404 comes before the scope check.
		if (route.kind === 'create' && !this.createEnabled) return this.notFound();
		if (!token.scopes.has(route.scope)) return this.error(403, ERRORS.forbidden, hal);

		switch (route.kind) {
			case 'list':
				return this.list(request);
			case 'create':
				return this.create(request, token);
			case 'dispatch':
				return this.dispatch(request);
			default:
				return this.byId(route.kind, route.id as string, request);
		}
	}

	snapshot(): unknown {
		const now = this.now();
		return {
			provider: this.name,
			accountId: this.options.accountId,
			clients: this.options.clients.map((client) => ({ ...client, scopes: [...client.scopes] })),
			tokenTtlSeconds: this.options.tokenTtlSeconds,
			tokensIssued: this.issued,
			tokensActive: [...this.tokens.values()].filter((token) => token.expiresAt > now).length,
			expireTokensAfter: this.expireAfter,
			maxPage: this.options.maxPage,
			legacyShape: this.legacyShape,
			createEnabled: this.createEnabled,
			talkdeskNumbers: [...this.options.talkdeskNumbers],
			loadShedding: { ...this.shedding },
			dispatches: this.dispatches(),
			callbacksCount: this.entries.size,
			callbacks: this.callbacks(),
		};
	}

	// --- in-process API ---

	get tokensIssued(): number {
		return this.issued;
	}

	callbacks(): TalkdeskCallback[] {
		return this.sortedEntries().map((entry) => copy(entry.callback));
	}

	getCallback(id: string): TalkdeskCallback | undefined {
		const entry = this.entries.get(id);
		return entry && copy(entry.callback);
	}

	addCallback(partial: Partial<TalkdeskCallback> = {}): TalkdeskCallback {
		const callback = this.newCallback(partial, this.now());
		if (this.entries.has(callback.id))
			throw new Error(`addCallback: callback ${callback.id} exists`);
		this.store(callback);
		return copy(callback);
	}

	addCallbacks(count: number, make?: (index: number) => Partial<TalkdeskCallback>): string[] {
		if (!Number.isInteger(count) || count < 0)
			throw new Error(`addCallbacks: invalid count ${count}`);
		const now = this.now();
		const ids: string[] = new Array<string>(count);
		for (let i = 0; i < count; i++) {
			const callback = this.newCallback(make ? make(i) : {}, now);
			if (this.entries.has(callback.id)) {
				throw new Error(`addCallbacks: callback ${callback.id} exists`);
			}
			this.store(callback);
			ids[i] = callback.id;
		}
		return ids;
	}

	changeCallback(id: string, patch: Partial<TalkdeskCallback>): TalkdeskCallback {
		const entry = this.entries.get(id);
		if (!entry) throw new Error(`changeCallback: no callback ${id}`);
		if ((patch.id ?? id) !== id) throw new Error(`changeCallback: the id of ${id} cannot change`);
		Object.assign(entry.callback, stripUndefined(patch));
		this.touch(entry);
		return copy(entry.callback);
	}

	setStatus(id: string, status: TalkdeskStatus): TalkdeskCallback {
		const entry = this.entries.get(id);
		if (!entry) throw new Error(`setStatus: no callback ${id}`);
		if (!TALKDESK_STATUSES.includes(status)) throw new Error(`setStatus: no status ${status}`);
		entry.callback.status = status;
		entry.callback.processed_time = FINAL_STATUSES.includes(status) ? isoUtc(this.now()) : null;
		return copy(entry.callback);
	}

	retry(id: string, nextTimeToCallIso: string): TalkdeskCallback {
		const entry = this.entries.get(id);
		if (!entry) throw new Error(`retry: no callback ${id}`);
		const next = parseDateTime(nextTimeToCallIso);
		if (next === undefined)
			throw new Error(`retry: not an ISO 8601 date-time: ${nextTimeToCallIso}`);
		const callback = entry.callback;
		callback.status = 'TO_BE_RETRIED';
		callback.next_time_to_call = isoUtc(next);
		callback.current_retry_attempts += 1;
		callback.processed_time = null;
		this.touch(entry);
		return copy(callback);
	}

	removeCallback(id: string): boolean {
		const entry = this.entries.get(id);
		if (!entry) return false;
		this.entries.delete(id);
		if (entry.slot === 'sorted') this.stale = true;
		entry.slot = 'removed';
		return true;
	}

	expireTokens(): void {
		this.tokens.clear();
	}

	expireTokensAfter(count: number): void {
		if (!Number.isInteger(count) || count < 0) {
			throw new Error(`expireTokensAfter: invalid count ${count}`);
		}
		this.expireAfter = count;
	}

	revokeToken(token: string): boolean {
		return this.tokens.delete(token);
	}

	dispatches(): TalkdeskDispatch[] {
		return this.accepted.map((dispatch) => ({
			...dispatch,
			context: dispatch.context && {
				...dispatch.context,
				fields: dispatch.context.fields.map((field) => ({ ...field })),
			},
		}));
	}

	shedLoad(count: number, retryAfterSeconds = 1): void {
		if (!Number.isInteger(count) || count < 0) throw new Error(`shedLoad: invalid count ${count}`);
		if (!Number.isInteger(retryAfterSeconds) || retryAfterSeconds < 0) {
			throw new Error(`shedLoad: invalid retryAfterSeconds ${retryAfterSeconds}`);
		}
		this.shedding = { remaining: count, retryAfterSeconds };
	}

	// --- token endpoint ---

	/**
	 * POST /id/oauth/token, client credentials only. The client authenticates with HTTP
	 * Basic alone (client_id/client_secret in the body are not looked at). RFC 6749 has the
	 * id and secret form-encoded before base64, some clients do not: both are accepted.
	 * The checks run in the RFC's order: client (401), grant type (400), scope (400).
	 * An empty `scope` counts as none requested.
	 */
	private issueToken(request: SandboxRequest): SandboxResponse {
		const client = this.authenticateClient(request.headers.authorization);
		if (!client) {
			return oauthError(401, 'invalid_client', 'Client authentication failed', {
				'www-authenticate': 'Basic realm="talkdesk"',
			});
		}
		const form = request.form ?? {};
		if (form.grant_type !== 'client_credentials') {
			return oauthError(
				400,
				'unsupported_grant_type',
				form.grant_type === undefined
					? 'Missing grant type'
					: `The grant type "${form.grant_type}" is not supported, only client_credentials`,
			);
		}
		const requested = (form.scope ?? '').split(/\s+/).filter((scope) => scope !== '');
		const scopes =
			requested.length === 0
				? [...client.scopes]
				: client.scopes.filter((s) => requested.includes(s));
		if (scopes.length === 0) {
			return oauthError(
				400,
				'invalid_scope',
				`None of the requested scopes is granted to this client: ${requested.join(' ')}`,
			);
		}
		let accessToken: string;
		do {
			accessToken = 'td_at_';
			for (let i = 0; i < 32; i++) accessToken += this.tokenRandom.pick(ALPHANUMERIC);
		} while (this.tokens.has(accessToken));
		const ttl = this.options.tokenTtlSeconds;
		this.tokens.set(accessToken, {
			clientId: client.id,
			scopes: new Set(scopes),
			expiresAt: this.now() + ttl * SECOND,
		});
		this.issued += 1;
		return {
			status: 200,
			headers: { 'cache-control': 'no-store', pragma: 'no-cache' },
			json: {
				access_token: accessToken,
				token_type: 'Bearer',
				expires_in: ttl,
				scope: scopes.join(' '),
			},
		};
	}

	private authenticateClient(header: string | undefined): TalkdeskClient | undefined {
		const basic = /^Basic\s+([A-Za-z0-9+/=_-]+)\s*$/i.exec(header ?? '');
		if (!basic) return undefined;
		const decoded = Buffer.from(basic[1], 'base64').toString('utf8');
		const colon = decoded.indexOf(':');
		if (colon < 0) return undefined;
		const [id, secret] = [decoded.slice(0, colon), decoded.slice(colon + 1)];
		const matches = (client: TalkdeskClient, clientId: string, clientSecret: string) =>
			client.id === clientId && client.secret === clientSecret;
		return this.options.clients.find(
			(client) =>
				matches(client, id, secret) || matches(client, formDecode(id), formDecode(secret)),
		);
	}

	private authenticate(header: string | undefined): Token | undefined {
		const bearer = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
		if (!bearer) return undefined;
		const token = this.tokens.get(bearer[1]);
		if (!token) return undefined;
		if (token.expiresAt <= this.now()) {
			this.tokens.delete(bearer[1]);
			return undefined;
		}
		return token;
	}

	// --- list ---

	/**
	 * GET /api/schedule-callbacks. Every bad parameter is listed in one 400. The sandbox
	 * decides what the spec leaves open:
	 * - order: next_time_to_call ascending, then id, so pages are stable;
	 * - comma lists (agent_id, team_id, ring_group, status, from_call_type) match any item;
	 *   items are trimmed, and an empty item or an empty value is a 400;
	 * - start_time/end_time bound next_time_to_call, both inclusive;
	 * - next_time_to_call_end: open callbacks (UNATTEMPTED, TO_BE_RETRIED) due by then;
	 * - time_to_call ("the time the callback is scheduled"): the original time_to_call,
	 *   equal to the second;
	 * - date-times are ISO 8601 with Z or an offset (a '+' must be sent as %2B in a query);
	 * - the spec's maxLength limits are not enforced (agent_id's 50 would fit one id only);
	 * - unknown parameters are ignored, and kept in the _links;
	 * - `prev` is only there past page 1 and `next` only before the last page (the spec
	 *   marks prev required; the contract the node follows does not);
	 * - with more pages than maxPage, total and total_pages still count them all.
	 */
	private list(request: SandboxRequest): SandboxResponse {
		const query = request.query;
		const errors: FieldError[] = [];
		const page = readInteger(query, 'page', 1, this.options.maxPage, 1, errors);
		const perPage = readInteger(query, 'per_page', 1, MAX_PER_PAGE, DEFAULT_PER_PAGE, errors);
		const agentIds = readList(query, 'agent_id', errors);
		const teamIds = readList(query, 'team_id', errors);
		const ringGroups = readList(query, 'ring_group', errors);
		const statuses = readEnumList(query, 'status', TALKDESK_STATUSES, errors);
		const fromCallTypes = readEnumList(query, 'from_call_type', TALKDESK_FROM_CALL_TYPES, errors);
		const campaignId = readText(query, 'campaign_id', errors);
		const contactId = readText(query, 'contact_id', errors);
		const recordId = readText(query, 'record_id', errors);
		const phoneNumber = readText(query, 'phone_number', errors);
		const startMs = readDateTime(query, 'start_time', errors);
		const endMs = readDateTime(query, 'end_time', errors);
		const dueByMs = readDateTime(query, 'next_time_to_call_end', errors);
		const timeToCallMs = readDateTime(query, 'time_to_call', errors);
		if (errors.length > 0) return this.invalid(errors, true);

		const tests: Array<(entry: Entry) => boolean> = [];
		if (agentIds)
			tests.push(({ callback }) => callback.agents.some((a) => agentIds.has(a.agent_id)));
		if (teamIds) tests.push(({ callback }) => callback.teams.some((t) => teamIds.has(t.team_id)));
		if (ringGroups) {
			tests.push(({ callback }) => callback.ring_groups.some((g) => ringGroups.has(g.ring_group)));
		}
		if (statuses) tests.push(({ callback }) => statuses.has(callback.status));
		if (fromCallTypes) tests.push(({ callback }) => fromCallTypes.has(callback.from_call_type));
		if (campaignId !== undefined) tests.push(({ callback }) => callback.campaign_id === campaignId);
		if (contactId !== undefined) tests.push(({ callback }) => callback.contact_id === contactId);
		if (recordId !== undefined) tests.push(({ callback }) => callback.record_id === recordId);
		if (phoneNumber !== undefined)
			tests.push(({ callback }) => callback.phone_number === phoneNumber);
		if (startMs !== undefined) tests.push(({ nextMs }) => nextMs >= startMs);
		if (endMs !== undefined) tests.push(({ nextMs }) => nextMs <= endMs);
		if (dueByMs !== undefined) {
			tests.push(
				({ callback, nextMs }) =>
					nextMs <= dueByMs &&
					(callback.status === 'UNATTEMPTED' || callback.status === 'TO_BE_RETRIED'),
			);
		}
		if (timeToCallMs !== undefined) {
			const second = Math.floor(timeToCallMs / SECOND);
			tests.push(({ timeMs }) => Math.floor(timeMs / SECOND) === second);
		}

		// One pass, no copies but the page's: big stores stay cheap to list.
		const sorted = this.sortedEntries();
		const offset = (page - 1) * perPage;
		let pageEntries: Entry[];
		let total: number;
		if (tests.length === 0) {
			total = sorted.length;
			pageEntries = sorted.slice(offset, offset + perPage);
		} else {
			pageEntries = [];
			total = 0;
			const end = offset + perPage;
			for (const entry of sorted) {
				let match = true;
				for (const test of tests) {
					if (!test(entry)) {
						match = false;
						break;
					}
				}
				if (!match) continue;
				if (total >= offset && total < end) pageEntries.push(entry);
				total += 1;
			}
		}
		const totalPages = Math.ceil(total / perPage);
		const callbacks = pageEntries.map((entry) => copy(entry.callback));

		const base = `http://${request.headers.host ?? 'localhost'}${this.prefix}/api/schedule-callbacks`;
		const link = (linkPage: number) => {
			const params = new URLSearchParams(query);
			params.set('page', String(linkPage));
			return { href: `${base}?${params.toString()}` };
		};
		const links: Record<string, { href: string }> = {
			self: link(page),
			first: link(1),
			last: link(Math.max(totalPages, 1)),
		};
		if (page > 1) links.prev = link(page - 1);
		if (page < totalPages) links.next = link(page + 1);

		const json = this.legacyShape
			? {
					total,
					page,
					per_page: perPage,
					count: callbacks.length,
					total_page: totalPages,
					_links: links,
					_embedded: callbacks,
				}
			: {
					total,
					page,
					per_page: perPage,
					count: callbacks.length,
					total_pages: totalPages,
					_links: links,
					_embedded: { callbacks },
				};
		return { status: 200, headers: { 'content-type': HAL }, json };
	}

	// --- create ---

	/**
	 * POST /api/schedule-callbacks (Preview). The support article names the information
	 * only; the sandbox takes snake_case fields mirroring the callback, lists every bad one
	 * in one 400, ignores unknown ones, and files the callback as MANUAL_OUTBOUND PREVIEW
	 * created by the OAuth client. Agents and ring groups are not checked against the
	 * account's (any non-empty string is taken); `null` optional fields count as absent.
	 */
	private create(request: SandboxRequest, token: Token): SandboxResponse {
		const body = readJsonBody(request, ['application/json']);
		if (body === 'unsupported') return this.error(415, ERRORS.unsupportedMediaType, true);
		if (!isObject(body)) {
			return this.invalid([{ name: 'body', description: 'must be a JSON object' }], true);
		}
		const now = this.now();
		const errors: FieldError[] = [];
		const required = (name: string): unknown => {
			if (body[name] === undefined || body[name] === null || body[name] === '') {
				errors.push({ name, description: 'is required' });
				return undefined;
			}
			return body[name];
		};

		const phoneNumber = required('phone_number');
		if (phoneNumber !== undefined && !isE164(phoneNumber)) {
			errors.push({ name: 'phone_number', description: 'must be an E.164 phone number' });
		}
		const scheduledText = required('scheduled_time_to_call');
		let scheduledMs: number | undefined;
		if (scheduledText !== undefined) {
			scheduledMs = typeof scheduledText === 'string' ? parseDateTime(scheduledText) : undefined;
			if (scheduledMs === undefined) {
				errors.push({
					name: 'scheduled_time_to_call',
					description: 'must be an ISO 8601 date-time',
				});
			} else if (floorToSecond(scheduledMs) <= now) {
				errors.push({ name: 'scheduled_time_to_call', description: 'must be in the future' });
			}
		}
		const timezone = required('timezone');
		if (timezone !== undefined && !isTimeZone(timezone)) {
			errors.push({ name: 'timezone', description: 'must be an IANA time zone' });
		}
		const assignType = required('assign_type');
		if (assignType !== undefined && !isOneOf(assignType, TALKDESK_ASSIGN_TYPES)) {
			errors.push({
				name: 'assign_type',
				description: `must be one of ${TALKDESK_ASSIGN_TYPES.join(', ')}`,
			});
		}
		const callerId = required('caller_id');
		if (callerId !== undefined && !isE164(callerId)) {
			errors.push({ name: 'caller_id', description: 'must be an E.164 phone number' });
		}
		const dialingModel = required('dialing_model');
		if (dialingModel !== undefined && dialingModel !== 'PREVIEW') {
			errors.push({ name: 'dialing_model', description: 'must be PREVIEW' });
		}

		const agents = readObjectList(body, 'agents', 'agent_id', errors);
		const ringGroups = readObjectList(body, 'ring_groups', 'ring_group', errors);
		if (isOneOf(assignType, AGENT_ASSIGN_TYPES) && agents?.length === 0) {
			errors.push({ name: 'agents', description: `is required when assign_type is ${assignType}` });
		}
		if (assignType === 'SPECIFIC_RING_GROUP' && ringGroups?.length === 0) {
			errors.push({
				name: 'ring_groups',
				description: 'is required when assign_type is SPECIFIC_RING_GROUP',
			});
		}

		const optionalText = (name: string, maxLength = Infinity): string | null => {
			const value = body[name];
			if (value === undefined || value === null) return null;
			if (typeof value !== 'string') {
				errors.push({ name, description: 'must be a string' });
			} else if (value.length > maxLength) {
				errors.push({ name, description: `must be at most ${maxLength} characters` });
			}
			return typeof value === 'string' ? value : null;
		};
		const notes = optionalText('notes', MAX_NOTES_LENGTH);
		const interactionId = optionalText('interaction_id');
		const campaignId = optionalText('campaign_id');
		const contactId = optionalText('contact_id');
		const recordId = optionalText('record_id');
		if (errors.length > 0) return this.invalid(errors, true);

		const time = isoUtc(scheduledMs as number);
		const callback = this.newCallback(
			{
				interaction_id: interactionId,
				root_interaction_id: interactionId,
				campaign_id: campaignId,
				record_id: recordId,
				contact_id: contactId,
				phone_number: phoneNumber as string,
				caller_id: callerId as string,
				time_to_call: time,
				timezone: timezone as string,
				preferred_start_time: null,
				preferred_end_time: null,
				agents: (agents ?? []).map((agent_id) => ({ agent_id })),
				teams: [],
				ring_groups: (ringGroups ?? []).map((ring_group) => ({ ring_group })),
				assign_type: assignType as TalkdeskAssignType,
				from_call_type: 'MANUAL_OUTBOUND',
				dialing_model: 'PREVIEW',
				created_by: token.clientId,
				notes,
			},
			now,
		);
		this.store(callback);
		return { status: 201, headers: { 'content-type': HAL }, json: copy(callback) };
	}

	// --- get, update, cancel ---

	private byId(kind: RouteKind, id: string, request: SandboxRequest): SandboxResponse {
		if (kind === 'update') return this.update(id, request);
		// The spec's maxLength (36 on GET, 26 on PATCH and DELETE) is not checked: an unknown
		// id of any length is a 404.
		const entry = this.entries.get(id);
		if (!entry) return this.error(404, ERRORS.callbackNotFound, true);
		if (kind === 'get')
			return { status: 200, headers: { 'content-type': HAL }, json: copy(entry.callback) };
		return this.cancel(entry);
	}

	/**
	 * PATCH /api/schedule-callbacks/{id}: an array of {op: "replace", path, value}. The
	 * sandbox decides the order of the checks: media type (415), a body that is not a
	 * non-empty array (400), the id (404), each operation (400, one field per bad operation,
	 * named by its path, or `operations[i]` when it has none), the status (400), then the
	 * assign-type rule on the result (400). Nothing is applied unless everything passes.
	 * A /timeToCall counts one reschedule per request; the status stays as it is, and
	 * max_rescheduled_attempts is not enforced.
	 */
	private update(id: string, request: SandboxRequest): SandboxResponse {
		const body = readJsonBody(request, ['application/json', 'application/json-patch+json']);
		if (body === 'unsupported') return this.error(415, ERRORS.unsupportedMediaType, true);
		if (!Array.isArray(body) || body.length === 0) {
			return this.invalid(
				[{ name: 'body', description: 'must be a non-empty array of replace operations' }],
				true,
			);
		}
		const entry = this.entries.get(id);
		if (!entry) return this.error(404, ERRORS.callbackNotFound, true);

		const errors: FieldError[] = [];
		const draft = copy(entry.callback);
		let rescheduled = false;
		body.forEach((operation: unknown, index) => {
			if (!isObject(operation) || typeof operation.path !== 'string') {
				errors.push({
					name: `operations[${index}]`,
					description: 'must be an object with op, path and value',
				});
				return;
			}
			const { op, path, value } = operation;
			const fail = (description: string): void => {
				errors.push({ name: path, description });
			};
			if (!Object.hasOwn(PATCH_PATHS, path)) {
				return fail(
					`is not a path that can be replaced: one of ${Object.keys(PATCH_PATHS).join(', ')}`,
				);
			}
			if (op !== 'replace') return fail('op must be "replace"');
			const problem = PATCH_PATHS[path as PatchPath](value, this.now());
			if (problem) return fail(problem);
			switch (path as PatchPath) {
				case '/timeToCall': {
					const time = isoUtc(parseDateTime(value as string) as number);
					draft.time_to_call = time;
					draft.next_time_to_call = time;
					draft.scheduled_time_to_call = time;
					rescheduled = true;
					break;
				}
				case '/timezone':
					draft.timezone = value as string;
					break;
				case '/phoneNumber':
					draft.phone_number = value as string;
					break;
				case '/assignType':
					draft.assign_type = value as TalkdeskAssignType;
					draft.exclusive_to_agent = value === 'MYSELF_ONLY';
					break;
				case '/agents':
					draft.agents = (value as string[]).map((agent_id) => ({ agent_id }));
					draft.agent_id = draft.agents[0]?.agent_id ?? null;
					break;
				case '/ringGroups':
					draft.ring_groups = (value as string[]).map((ring_group) => ({ ring_group }));
					break;
			}
		});
		if (errors.length > 0) return this.invalid(errors, true);

		const status = entry.callback.status;
		if (!TALKDESK_OPEN_STATUSES.includes(status)) {
			return this.invalid(
				[
					{
						name: 'status',
						description: `a callback in status ${status} cannot be changed, only UNATTEMPTED or TO_BE_RETRIED`,
					},
				],
				true,
			);
		}
		if (AGENT_ASSIGN_TYPES.includes(draft.assign_type) && draft.agents.length === 0) {
			return this.invalid(
				[{ name: '/agents', description: `is required when assignType is ${draft.assign_type}` }],
				true,
			);
		}
		if (draft.assign_type === 'SPECIFIC_RING_GROUP' && draft.ring_groups.length === 0) {
			return this.invalid(
				[
					{
						name: '/ringGroups',
						description: 'is required when assignType is SPECIFIC_RING_GROUP',
					},
				],
				true,
			);
		}
		if (rescheduled) draft.current_rescheduled_attempts += 1;
		Object.assign(entry.callback, draft);
		this.touch(entry);
		return { status: 200, headers: { 'content-type': HAL }, json: copy(entry.callback) };
	}

	/**
	 * DELETE /api/schedule-callbacks/{id}: 204, the callback stays, CANCELED. The sandbox
	 * decides: cancelling a CANCELED callback again is a 204 that changes nothing, and a
	 * callback that already ended otherwise (SUCCESS, EXHAUSTED, INVALID_NUMBER) is a 400.
	 */
	private cancel(entry: Entry): SandboxResponse {
		const callback = entry.callback;
		if (callback.status === 'CANCELED') return { status: 204 };
		if (!TALKDESK_OPEN_STATUSES.includes(callback.status)) {
			return this.invalid(
				[
					{
						name: 'status',
						description: `a callback in status ${callback.status} cannot be canceled`,
					},
				],
				true,
			);
		}
		callback.status = 'CANCELED';
		callback.processed_time = isoUtc(this.now());
		return { status: 204 };
	}

	// --- direct callback ---

	/**
	 * POST /api/calls/callback. The spec documents a 200 "Success" without a body; the
	 * sandbox answers `{}` so a client parsing JSON has something to parse. It decides the
	 * rest from the spec's examples and the contract: load shedding first (429 with
	 * Retry-After, nothing dispatched), then the media type (415, 0020001), JSON (400,
	 * 0020007), missing numbers (400, 0020006), bad values (422, 0020008, every field
	 * listed) and a number that is not the account's (422, 0020005; the spec has a 404 for
	 * it). Context fields need a string name and value; the spec also lists display_name,
	 * tooltip_text and data_type (phone, text or url) as required: the sandbox checks them
	 * only when sent.
	 */
	private dispatch(request: SandboxRequest): SandboxResponse {
		if (this.shedding.remaining > 0) {
			this.shedding.remaining -= 1;
			const seconds = String(this.shedding.retryAfterSeconds);
			return {
				status: 429,
				headers: { 'retry-after': seconds },
				json: {
					...ERRORS.callLoadShedding,
					fields: [{ name: 'retry-after', description: seconds }],
				},
			};
		}
		const body = readJsonBody(request, ['application/json']);
		if (body === 'unsupported') return this.error(415, ERRORS.callUnsupportedMediaType);
		if (!isObject(body)) return this.error(400, ERRORS.callInvalidJson);

		const missing = ['talkdesk_phone_number', 'contact_phone_number']
			.filter((name) => body[name] === undefined || body[name] === null || body[name] === '')
			.map((name) => ({ name, description: 'is required' }));
		if (missing.length > 0)
			return this.error(400, { ...ERRORS.callMissingParameters, fields: missing });

		const errors: FieldError[] = [];
		for (const name of ['talkdesk_phone_number', 'contact_phone_number']) {
			if (!isE164(body[name])) errors.push({ name, description: 'must be an E.164 phone number' });
		}
		const context = body.context;
		if (context !== undefined && context !== null) {
			if (!isObject(context) || !Array.isArray(context.fields)) {
				errors.push({ name: 'context', description: 'must be an object with a fields array' });
			} else {
				context.fields.forEach((field: unknown, index) => {
					const name = `context.fields[${index}]`;
					if (!isObject(field)) {
						errors.push({ name, description: 'must be an object with name and value' });
						return;
					}
					for (const key of ['name', 'value']) {
						if (typeof field[key] !== 'string' || (key === 'name' && field[key] === '')) {
							errors.push({ name: `${name}.${key}`, description: 'must be a string' });
						}
					}
					for (const key of ['display_name', 'tooltip_text']) {
						if (field[key] !== undefined && typeof field[key] !== 'string') {
							errors.push({ name: `${name}.${key}`, description: 'must be a string' });
						}
					}
					if (
						field.data_type !== undefined &&
						!isOneOf(field.data_type, ['phone', 'text', 'url'])
					) {
						errors.push({
							name: `${name}.data_type`,
							description: 'must be one of phone, text, url',
						});
					}
				});
			}
		}
		if (errors.length > 0) return this.error(422, { ...ERRORS.callInvalidFields, fields: errors });
		const talkdeskNumber = body.talkdesk_phone_number as string;
		if (!this.options.talkdeskNumbers.includes(talkdeskNumber)) {
			return this.error(422, {
				...ERRORS.callNotAccountNumber,
				fields: [{ name: 'talkdesk_phone_number', description: 'is not a number of the account' }],
			});
		}

		const fields = isObject(context)
			? (context.fields as Array<Record<string, unknown>>)
			: undefined;
		this.accepted.push({
			talkdesk_phone_number: talkdeskNumber,
			contact_phone_number: body.contact_phone_number as string,
			context: fields ? { fields: fields.map((field) => ({ ...field })) } : null,
			at: this.now(),
		});
		return { status: 200, json: {} };
	}

	// --- helpers ---

	private error(status: number, details: ErrorDetails, hal = false): SandboxResponse {
		return { status, headers: { 'content-type': hal ? HAL : 'application/json' }, json: details };
	}

	private invalid(fields: FieldError[], hal: boolean): SandboxResponse {
		return this.error(400, { ...ERRORS.invalidData, fields }, hal);
	}

	private notFound(): SandboxResponse {
		return this.error(404, ERRORS.notFound);
	}

	private store(callback: TalkdeskCallback): void {
		const entry: Entry = {
			id: callback.id,
			callback,
			nextMs: parseDate(callback.next_time_to_call),
			timeMs: parseDate(callback.time_to_call),
			slot: 'pending',
		};
		this.entries.set(callback.id, entry);
		this.pending.push(entry);
	}

	/** After a change that may move a callback: its times again, and the list order later. */
	private touch(entry: Entry): void {
		entry.timeMs = parseDate(entry.callback.time_to_call);
		const nextMs = parseDate(entry.callback.next_time_to_call);
		// NaN is unequal to itself: an unparseable time that stays unparseable stays put.
		if (nextMs === entry.nextMs || (nextMs !== nextMs && entry.nextMs !== entry.nextMs)) return;
		entry.nextMs = nextMs;
		if (entry.slot === 'sorted') {
			this.stale = true;
			entry.slot = 'pending';
			this.pending.push(entry);
		}
	}

	/** Every entry in list order (the cached array: callers must not change it). */
	private sortedEntries(): Entry[] {
		if (this.pending.length === 0 && !this.stale) return this.sorted;
		const base = this.stale ? this.sorted.filter((entry) => entry.slot === 'sorted') : this.sorted;
		const added = this.pending.filter((entry) => entry.slot === 'pending').sort(compareEntries);
		for (const entry of added) entry.slot = 'sorted';
		this.sorted = mergeSorted(base, added);
		this.pending = [];
		this.stale = false;
		return this.sorted;
	}

	/** A callback with every field set: `partial` over the defaults of addCallback. */
	private newCallback(partial: Partial<TalkdeskCallback>, now: number): TalkdeskCallback {
		const id = partial.id ?? partial.callback_id ?? this.newUuid();
		const time =
			partial.time_to_call ??
			partial.scheduled_time_to_call ??
			partial.next_time_to_call ??
			this.stampsAt(now).inADay;
		const agents = partial.agents ?? [{ agent_id: TALKDESK_AGENT_IDS[0] }];
		const assignType = partial.assign_type ?? 'SPECIFIC_AGENT';
		const status = partial.status ?? 'UNATTEMPTED';
		const callback: TalkdeskCallback = {
			id,
			callback_id: id,
			account_id: this.options.accountId,
			interaction_id: null,
			root_interaction_id: null,
			campaign_id: null,
			record_id: null,
			record_list_id: null,
			record_list_name: null,
			phone_number: '+12015550123',
			record_first_name: null,
			record_last_name: null,
			record_extra_data: {},
			caller_id: this.options.talkdeskNumbers[0],
			time_to_call: time,
			next_time_to_call: partial.next_time_to_call ?? time,
			scheduled_time_to_call: partial.scheduled_time_to_call ?? time,
			timezone: 'America/New_York',
			preferred_start_time: '2000-01-01T09:00:00Z',
			preferred_end_time: '2000-01-01T17:00:00Z',
			exclusive_to_agent: assignType === 'MYSELF_ONLY',
			agent_id: agents[0]?.agent_id ?? null,
			agents,
			teams: [{ team_id: TALKDESK_TEAM_IDS[0] }],
			ring_groups: [],
			contact_id: null,
			status,
			assign_type: assignType,
			from_call_type: 'MANUAL_OUTBOUND',
			dialing_model: 'PREVIEW',
			processed_time: FINAL_STATUSES.includes(status) ? this.stampsAt(now).now : null,
			created_at: this.stampsAt(now).now,
			created_by: TALKDESK_AGENTS[0].name,
			notes: null,
			current_retry_attempts: 0,
			current_rescheduled_attempts: 0,
			max_rescheduled_attempts: MAX_RESCHEDULED_ATTEMPTS,
			_links: { self: { href: `/callbacks/${id}` } },
		};
		// Assigned over the literal, not spread into it: the object keeps one fast shape,
		// which matters to sorting and filtering 100,000 of them.
		for (const key of Object.keys(partial) as Array<keyof TalkdeskCallback>) {
			if (partial[key] !== undefined)
				(callback as unknown as Record<string, unknown>)[key] = partial[key];
		}
		return callback;
	}

	private stampsAt(now: number): { now: string; inADay: string } {
		if (this.stamps.ms !== now) {
			this.stamps = { ms: now, now: isoUtc(now), inADay: isoUtc(now + DAY) };
		}
		return this.stamps;
	}

	/** A UUID v4 from the seeded stream: four 32-bit draws. */
	private newUuid(): string {
		const random = this.random;
		const word = () => (random.float() * 0x1_0000_0000) >>> 0;
		let id: string;
		do {
			const [a, b, c, d] = [word(), word(), word(), word()];
			// 8-4-4-4-12: version 4 in the third group, variant 10xx in the fourth.
			id = `${hex16(a >>> 16)}${hex16(a & 0xffff)}-${hex16(b >>> 16)}-${hex16((b & 0x0fff) | 0x4000)}-${hex16(((c >>> 16) & 0x3fff) | 0x8000)}-${hex16(c & 0xffff)}${hex16(d >>> 16)}${hex16(d & 0xffff)}`;
		} while (this.entries.has(id));
		return id;
	}

	/** `length` hex characters from the seeded stream, as Talkdesk's contact and user ids. */
	private newHexId(length = 32): string {
		let id = '';
		for (let i = 0; i < length; i++) id += HEX[Math.floor(this.random.float() * 16)];
		return id;
	}

	/**
	 * Seeds `count` callbacks whose next_time_to_call spreads from a week before `start` to
	 * a week after, each with the fields of its status: open ones are mostly due ahead
	 * (a few are overdue), TO_BE_RETRIED ones were tried 1–3 times and are due again,
	 * ended ones were processed after their last attempt. The first callbacks cover every
	 * status and every contact, so every zone is there from 12 callbacks on.
	 */
	private seedCallbacks(count: number, start: number): void {
		const random = this.random;
		const quarterHours = (min: number, max: number) => random.int(min, max) * QUARTER_HOUR;
		const seconds = (minMs: number, maxMs: number) =>
			random.int(Math.ceil(minMs / SECOND), Math.floor(maxMs / SECOND)) * SECOND;
		for (let i = 0; i < count; i++) {
			const status = SEED_STATUS_CYCLE[i % SEED_STATUS_CYCLE.length];
			const contact = i < this.contacts.length ? this.contacts[i] : random.pick(this.contacts);
			const fromCallType = random.pick(TALKDESK_FROM_CALL_TYPES);
			const assignType = random.pick(TALKDESK_ASSIGN_TYPES);

			let timeToCall: number;
			let nextTimeToCall: number;
			let retries = 0;
			switch (status) {
				case 'UNATTEMPTED':
					timeToCall = random.chance(1 / 6)
						? start - quarterHours(1, DAY / QUARTER_HOUR)
						: start + quarterHours(1, WEEK_IN_QUARTER_HOURS);
					nextTimeToCall = timeToCall;
					break;
				case 'TO_BE_RETRIED':
					retries = random.int(1, 3);
					timeToCall = start - quarterHours(4, WEEK_IN_QUARTER_HOURS);
					nextTimeToCall = start + quarterHours(1, (2 * DAY) / QUARTER_HOUR);
					break;
				case 'CANCELED':
					timeToCall = start + quarterHours(-WEEK_IN_QUARTER_HOURS, WEEK_IN_QUARTER_HOURS);
					nextTimeToCall = timeToCall;
					break;
				default:
					// Ended by calling: the last attempt was at next_time_to_call.
					retries = status === 'EXHAUSTED' ? 3 : status === 'SUCCESS' ? random.int(0, 1) : 0;
					timeToCall = start - quarterHours(4 * (retries + 1), WEEK_IN_QUARTER_HOURS);
					nextTimeToCall = timeToCall + retries * quarterHours(1, 4);
			}
			const createdAt = Math.min(timeToCall, start) - seconds(HOUR, 3 * DAY);
			const processedAt =
				status === 'CANCELED'
					? createdAt + seconds(MINUTE, Math.min(timeToCall, start) - createdAt)
					: FINAL_STATUSES.includes(status)
						? nextTimeToCall + seconds(20 * SECOND, 5 * MINUTE)
						: undefined;

			const agents: string[] = [];
			const ringGroups: string[] = [];
			if (assignType === 'SPECIFIC_AGENT') {
				agents.push(random.pick(TALKDESK_AGENT_IDS));
				const second = random.pick(TALKDESK_AGENT_IDS);
				if (random.chance(0.4) && second !== agents[0]) agents.push(second);
			} else if (assignType === 'MYSELF_ONLY' || assignType === 'MYSELF_IF_AVAILABLE') {
				agents.push(random.pick(TALKDESK_AGENT_IDS));
			} else if (assignType === 'SPECIFIC_RING_GROUP') {
				ringGroups.push(random.pick(TALKDESK_RING_GROUPS));
				const second = random.pick(TALKDESK_RING_GROUPS);
				if (random.chance(0.4) && second !== ringGroups[0]) ringGroups.push(second);
			}
			const teams = [random.pick(TALKDESK_TEAM_IDS)];
			const secondTeam = random.pick(TALKDESK_TEAM_IDS);
			if (random.chance(0.2) && secondTeam !== teams[0]) teams.push(secondTeam);

			// Dialer callbacks come from a campaign's record list; the others have none.
			const dialer = fromCallType === 'PROACTIVE_OUTBOUND';
			const [recordListId, recordListName] = random.pick(TALKDESK_RECORD_LISTS);
			const interactionId = this.newUuid();
			const [preferredStart, preferredEnd] = random.pick(PREFERRED_WINDOWS);
			const createdBy = random.pick(TALKDESK_AGENTS).name;
			const callback = this.newCallback(
				{
					interaction_id: interactionId,
					root_interaction_id: random.chance(0.5) ? interactionId : this.newUuid(),
					campaign_id: fromCallType === 'INBOUND' ? null : random.pick(TALKDESK_CAMPAIGN_IDS),
					record_id: dialer ? this.newUuid() : null,
					record_list_id: dialer ? recordListId : null,
					record_list_name: dialer ? recordListName : null,
					phone_number: contact.phoneNumber,
					record_first_name: contact.firstName,
					record_last_name: contact.lastName,
					caller_id: random.pick(this.options.talkdeskNumbers),
					time_to_call: isoUtc(timeToCall),
					next_time_to_call: isoUtc(nextTimeToCall),
					scheduled_time_to_call: isoUtc(timeToCall),
					timezone: contact.timezone,
					preferred_start_time: `2000-01-01T${preferredStart}:00Z`,
					preferred_end_time: `2000-01-01T${preferredEnd}:00Z`,
					agents: agents.map((agent_id) => ({ agent_id })),
					teams: teams.map((team_id) => ({ team_id })),
					ring_groups: ringGroups.map((ring_group) => ({ ring_group })),
					contact_id: contact.id,
					status,
					assign_type: assignType,
					from_call_type: fromCallType,
					dialing_model: dialer ? 'PREDICTIVE' : 'PREVIEW',
					processed_time: processedAt === undefined ? null : isoUtc(processedAt),
					created_at: isoUtc(createdAt),
					created_by: dialer ? 'Campaign Manager' : createdBy,
					notes: random.pick(NOTES),
					current_retry_attempts: retries,
					current_rescheduled_attempts: random.chance(0.2) ? 1 : 0,
				},
				start,
			);
			this.store(callback);
		}
	}
}

// --- list order ---

/**
 * next_time_to_call, then id; an unparseable time (NaN, the one value unequal to itself)
 * sorts last. No globals in here: inside Jest's VM context each lookup is slow.
 */
function compareEntries(a: Entry, b: Entry): number {
	const x = a.nextMs;
	const y = b.nextMs;
	if (x !== y) {
		if (x !== x) return 1;
		if (y !== y) return -1;
		return x - y;
	}
	return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

function mergeSorted(a: Entry[], b: Entry[]): Entry[] {
	if (b.length === 0) return a;
	if (a.length === 0) return b;
	// Added after everything (times that only go up, as bulk adds often do): no merge.
	if (compareEntries(a[a.length - 1], b[0]) <= 0) return a.concat(b);
	const merged: Entry[] = new Array<Entry>(a.length + b.length);
	let [i, j, k] = [0, 0, 0];
	while (i < a.length && j < b.length) {
		merged[k++] = compareEntries(a[i], b[j]) <= 0 ? a[i++] : b[j++];
	}
	while (i < a.length) merged[k++] = a[i++];
	while (j < b.length) merged[k++] = b[j++];
	return merged;
}

// --- routes and request parsing ---

function matchRoute(method: string, path: string): Route | undefined {
	// The spec's own example links have a trailing slash: /schedule-callbacks/?page=...
	if (path === '/schedule-callbacks' || path === '/schedule-callbacks/') {
		if (method === 'GET') return { kind: 'list', scope: 'schedule-callbacks:read', hal: true };
		if (method === 'POST') return { kind: 'create', scope: 'schedule-callbacks:write', hal: true };
		return undefined;
	}
	const byId = /^\/schedule-callbacks\/([^/]+)$/.exec(path);
	if (byId) {
		const id = decodePathSegment(byId[1]);
		const kinds: Record<string, RouteKind> = { GET: 'get', PATCH: 'update', DELETE: 'cancel' };
		const kind = kinds[method];
		if (!kind) return undefined;
		const scope = kind === 'get' ? 'schedule-callbacks:read' : 'schedule-callbacks:write';
		return { kind, scope, hal: true, id };
	}
	if (path === '/calls/callback' && method === 'POST') {
		return { kind: 'dispatch', scope: 'callback:write', hal: false };
	}
	return undefined;
}

/** The JSON body; 'unsupported' for another media type; undefined when it does not parse. */
function readJsonBody(request: SandboxRequest, mediaTypes: string[]): unknown {
	const mediaType = (request.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
	if (!mediaTypes.includes(mediaType)) return 'unsupported';
	try {
		return JSON.parse(request.rawBody) as unknown;
	} catch {
		return undefined;
	}
}

/** An integer parameter in [min, max], or its default when absent. */
function readInteger(
	query: Record<string, string>,
	name: string,
	min: number,
	max: number,
	fallback: number,
	errors: FieldError[],
): number {
	const text = query[name];
	if (text === undefined) return fallback;
	if (!/^-?\d+$/.test(text.trim())) {
		errors.push({ name, description: 'must be an integer' });
		return fallback;
	}
	const value = Number(text);
	if (value < min) errors.push({ name, description: `must be greater than or equal to ${min}` });
	else if (value > max) errors.push({ name, description: `must be less than or equal to ${max}` });
	else return value;
	return fallback;
}

function readText(
	query: Record<string, string>,
	name: string,
	errors: FieldError[],
): string | undefined {
	const text = query[name];
	if (text === undefined) return undefined;
	if (text.trim() === '') errors.push({ name, description: 'must not be empty' });
	return text.trim();
}

function readList(
	query: Record<string, string>,
	name: string,
	errors: FieldError[],
): Set<string> | undefined {
	const text = readText(query, name, errors);
	if (text === undefined || text === '') return undefined;
	const items = text.split(',').map((item) => item.trim());
	if (items.includes('')) {
		errors.push({ name, description: 'must be a comma-separated list without empty items' });
	}
	return new Set(items);
}

function readEnumList(
	query: Record<string, string>,
	name: string,
	allowed: readonly string[],
	errors: FieldError[],
): Set<string> | undefined {
	const errorsBefore = errors.length;
	const items = readList(query, name, errors);
	if (!items || errors.length > errorsBefore) return items;
	const unknown = [...items].filter((item) => !allowed.includes(item));
	if (unknown.length > 0) {
		errors.push({
			name,
			description: `unknown value ${unknown.join(', ')}: must be a comma-separated list of ${allowed.join(', ')}`,
		});
	}
	return items;
}

function readDateTime(
	query: Record<string, string>,
	name: string,
	errors: FieldError[],
): number | undefined {
	const text = query[name];
	if (text === undefined) return undefined;
	const ms = parseDateTime(text);
	if (ms === undefined) {
		errors.push({
			name,
			description: 'must be an ISO 8601 date-time with Z or an offset, e.g. 2026-03-01T15:00:00Z',
		});
	}
	return ms;
}

/** The strings of a body list of {key: string} objects: [] when absent or null, undefined when not a list. */
function readObjectList(
	body: Record<string, unknown>,
	name: string,
	key: string,
	errors: FieldError[],
): string[] | undefined {
	const value = body[name];
	if (value === undefined || value === null) return [];
	if (!Array.isArray(value)) {
		errors.push({ name, description: `must be an array of {"${key}": string}` });
		return undefined;
	}
	const items: string[] = [];
	value.forEach((item: unknown, index) => {
		const text = isObject(item) ? item[key] : undefined;
		if (typeof text !== 'string' || text === '') {
			errors.push({ name: `${name}[${index}].${key}`, description: 'must be a non-empty string' });
		} else {
			items.push(text);
		}
	});
	return items;
}

type PatchPath =
	| '/timeToCall'
	| '/timezone'
	| '/phoneNumber'
	| '/assignType'
	| '/agents'
	| '/ringGroups';

/** The replaceable paths, each with its value check: undefined when the value is fine. */
const PATCH_PATHS: Record<PatchPath, (value: unknown, now: number) => string | undefined> = {
	'/timeToCall': (value, now) => {
		const ms = typeof value === 'string' ? parseDateTime(value) : undefined;
		if (ms === undefined) return 'must be an ISO 8601 date-time';
		return floorToSecond(ms) > now ? undefined : 'must be in the future';
	},
	'/timezone': (value) => (isTimeZone(value) ? undefined : 'must be an IANA time zone'),
	'/phoneNumber': (value) => (isE164(value) ? undefined : 'must be an E.164 phone number'),
	'/assignType': (value) =>
		isOneOf(value, TALKDESK_ASSIGN_TYPES)
			? undefined
			: `must be one of ${TALKDESK_ASSIGN_TYPES.join(', ')}`,
	'/agents': (value) =>
		isStringArray(value) ? undefined : 'must be an array of agent ids (non-empty strings)',
	'/ringGroups': (value) =>
		isStringArray(value) ? undefined : 'must be an array of ring group names (non-empty strings)',
};

// --- helpers ---

const DATE_TIME =
	/^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|([+-])(\d{2}):(\d{2}))$/i;

/**
 * An ISO 8601 date-time with Z or an offset, as epoch ms; undefined when it is not one or
 * names no real time (Date.parse would take 2026-02-30 for 2 March).
 */
export function parseDateTime(text: string): number | undefined {
	const match = DATE_TIME.exec(text.trim());
	if (!match) return undefined;
	const [year, month, day, hour, minute] = match.slice(1, 6).map(Number);
	const second = match[6] === undefined ? 0 : Number(match[6]);
	const fraction = match[7] === undefined ? 0 : Number(`0.${match[7]}`) * SECOND;
	if (month < 1 || month > 12 || hour > 23 || minute > 59 || second > 59) return undefined;
	// setUTCFullYear, not Date.UTC, which reads years 0-99 as 1900-1999.
	const calendar = new Date(0);
	calendar.setUTCFullYear(year, month - 1, day);
	const date = calendar.getTime();
	if (day < 1 || calendar.getUTCDate() !== day) return undefined;
	let offsetMinutes = 0;
	if (match[9] !== undefined) {
		const [offsetHours, offsetMins] = [Number(match[10]), Number(match[11])];
		if (offsetHours > 23 || offsetMins > 59) return undefined;
		offsetMinutes = (match[9] === '-' ? -1 : 1) * (offsetHours * 60 + offsetMins);
	}
	return (
		date +
		hour * HOUR +
		minute * MINUTE +
		second * SECOND +
		Math.floor(fraction) -
		offsetMinutes * MINUTE
	);
}

/** ISO 8601 UTC to the second, as the sandbox answers every time: '2026-03-01T15:00:00Z'. */
function isoUtc(ms: number): string {
	return `${new Date(ms).toISOString().slice(0, 19)}Z`;
}

function floorToSecond(ms: number): number {
	return Math.floor(ms / SECOND) * SECOND;
}

function isE164(value: unknown): value is string {
	return typeof value === 'string' && E164.test(value);
}

/** A zone name Intl knows; offsets ('+05:30'), which newer engines take, are not names. */
function isTimeZone(value: unknown): value is string {
	if (typeof value !== 'string' || !/^[A-Za-z]/.test(value)) return false;
	try {
		new Intl.DateTimeFormat(undefined, { timeZone: value });
		return true;
	} catch {
		return false;
	}
}

function isOneOf<T extends string>(value: unknown, allowed: readonly T[]): value is T {
	return typeof value === 'string' && (allowed as readonly string[]).includes(value);
}

function isStringArray(value: unknown): value is string[] {
	return Array.isArray(value) && value.every((item) => typeof item === 'string' && item !== '');
}

function isObject(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function copy(callback: TalkdeskCallback): TalkdeskCallback {
	return {
		...callback,
		record_extra_data: { ...callback.record_extra_data },
		agents: callback.agents.map((agent) => ({ ...agent })),
		teams: callback.teams.map((team) => ({ ...team })),
		ring_groups: callback.ring_groups.map((group) => ({ ...group })),
		_links: { self: { ...callback._links.self } },
	};
}

function oauthError(
	status: number,
	error: string,
	description: string,
	headers: Record<string, string> = {},
): SandboxResponse {
	return { status, headers, json: { error, error_description: description } };
}

/** application/x-www-form-urlencoded decoding; a malformed escape leaves the text as is. */
function formDecode(text: string): string {
	try {
		return decodeURIComponent(text.replace(/\+/g, ' '));
	} catch {
		return text;
	}
}

/** A path segment as sent, percent-decoded; a malformed one matches no id. */
function decodePathSegment(segment: string): string {
	try {
		return decodeURIComponent(segment);
	} catch {
		return '';
	}
}

function stripUndefined<T extends object>(value: T): Partial<T> {
	return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

// --- seeded data ---

const HEX = '0123456789abcdef'.split('');
/** '00' to 'ff': Number#toString(16) is slow past 2^31, and seeding 250,000 ids shows it. */
const BYTE_HEX = Array.from({ length: 256 }, (_, byte) => HEX[byte >>> 4] + HEX[byte & 15]);

/** Four hex digits of a 16-bit number. */
function hex16(value: number): string {
	return BYTE_HEX[value >>> 8] + BYTE_HEX[value & 0xff];
}

/** Cycled through while seeding: mostly UNATTEMPTED, and every status from 12 callbacks on. */
const SEED_STATUS_CYCLE: TalkdeskStatus[] = [
	'UNATTEMPTED',
	'SUCCESS',
	'UNATTEMPTED',
	'TO_BE_RETRIED',
	'UNATTEMPTED',
	'CANCELED',
	'UNATTEMPTED',
	'EXHAUSTED',
	'UNATTEMPTED',
	'INVALID_NUMBER',
	'UNATTEMPTED',
	'UNATTEMPTED',
];

interface Contact {
	id: string;
	firstName: string;
	lastName: string;
	phoneNumber: string;
	timezone: string;
}

/**
 * Contact numbers and their zones, the edge zones first: India (+5:30), Nepal (+5:45),
 * Newfoundland (-3:30, with DST), Lord Howe (+10:30, a half-hour DST), then the US and UK.
 * Fictional ranges where there are any: 555 in North America, Ofcom's drama numbers.
 */
const CONTACT_FORMATS: ReadonlyArray<readonly [string, (random: Random) => string]> = [
	['Asia/Kolkata', (random) => `+91${random.pick(['98', '97', '99'])}${random.digits(8)}`],
	['Asia/Kathmandu', (random) => `+97798${random.digits(8)}`],
	['America/St_Johns', (random) => `+1709555${random.digits(4)}`],
	['Australia/Lord_Howe', (random) => `+6126563${random.digits(4)}`],
	['America/New_York', (random) => `+1${random.pick(['201', '646'])}555${random.digits(4)}`],
	['America/Los_Angeles', (random) => `+1415555${random.digits(4)}`],
	['America/Chicago', (random) => `+1312555${random.digits(4)}`],
	['Europe/London', (random) => `+447700900${random.digits(3)}`],
];
const CONTACT_COUNT = 12;
const FIRST_NAMES = [
	'Aarav',
	'Sita',
	'Liam',
	'Olivia',
	'Noah',
	'Mia',
	'Priya',
	'Jack',
	'Grace',
	'Omar',
];
const LAST_NAMES = ['Sharma', 'Shrestha', 'Murphy', 'Nguyen', 'Smith', 'Garcia', 'Brown', 'Wilson'];
const PREFERRED_WINDOWS: ReadonlyArray<readonly [string, string]> = [
	['09:00', '17:00'],
	['12:00', '18:00'],
	['08:00', '20:00'],
];
const NOTES = [
	'Customer asked for a call after lunch',
	'Wants to discuss the renewal quote',
	'Call back about the open support ticket',
	'Prefers to be called on the mobile number',
	null,
	null,
];

function generateContacts(random: Random, hexId: (length?: number) => string): Contact[] {
	const contacts: Contact[] = [];
	for (let i = 0; i < CONTACT_COUNT; i++) {
		const [timezone, phone] = CONTACT_FORMATS[i % CONTACT_FORMATS.length];
		contacts.push({
			id: hexId(32),
			firstName: random.pick(FIRST_NAMES),
			lastName: random.pick(LAST_NAMES),
			phoneNumber: phone(random),
			timezone,
		});
	}
	return contacts;
}
