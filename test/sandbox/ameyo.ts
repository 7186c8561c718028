/**
 * Ameyo (Exotel) in the sandbox: the REST session login and a campaign's customer
 * callbacks under /ameyorestapi, and the legacy addCallback command under /ameyowebaccess,
 * as documented (providers.md §1, findings.md §2 and the seed). A credential's base URL,
 * `${url}/ameyo`, stands for a tenant's own `https://host:8443`:
 * - POST /ameyorestapi/session/userLogin {userId, token, forceLogin?, terminalInfo?} issues a
 *   session id, answered both as `sessionId` and as `userSessionInfo.sessionId`; a user has at
 *   most maxAllowedLogins live sessions (default 1), and one login more is Ameyo's
 *   non-standard HTTP 512 "Cannot Generate Token", unless forceLogin ends the old session;
 * - every other REST route needs the `sessionId` header (the docs spell it `Sessionid`); a
 *   missing, unknown, ended or expired session is a 401 whose message echoes it (70201);
 * - getFiltered takes offset, campaignId and limit, all required integers, and answers a
 *   bare array with no total, or, the documented bug, an HTTP 500 when the page is empty;
 * - delete answers the plain text `ok`, not JSON;
 * - errors are Ameyo's envelope {message, info, status, code}, the 401s with errorCode;
 *   legacy commands answer their errors with HTTP 200 {status: "error", reason}.
 *
 * The REST login, list and delete are documented; the create is a legacy web-access command
 * seen only in third-party code, whose answer and time format no document gives.
 *
 * Where the documents are silent the sandbox decides, and says so next to the code: the
 * idle timeout, the order of the checks, the list order, the page cap, the body of the
 * 500 bug, the 400 and 512 wording, the legacy command's answers and accepted time
 * formats, the answers to unknown routes, and the seeded data.
 */
import { DateTime, IANAZone } from 'luxon';

import { Random, deriveSeed } from './random';
import type { ProviderModule, SandboxRequest, SandboxResponse } from './server';

/** A customer callback, field for field (and in the order) the seed's example shows. */
export interface AmeyoCallback {
	/** e.g. 'd741-6904fad1-cm-eEcdnIb3-50833'. */
	customerCallbackId: string;
	campaignId: number;
	/** When to call, epoch ms. */
	callbackTime: number;
	selfCallback: boolean;
	/** The agent it is assigned to (or who scheduled it). */
	userId: string;
	/** As Ameyo stores it: national digits ('7905690272'), sometimes with a country code. */
	phone: string;
	/** -1 when unknown. */
	customerId: number;
	/** When the record was created, epoch ms. */
	dateAdded: number;
	maskedPhone: string | null;
	lastScheduledBy: string;
	actualCallbackTime: number | null;
	campaignName: string | null;
	phoneInfo: AmeyoPhoneInfo;
	groupIds: unknown[] | null;
	groupManagerIds: unknown[] | null;
}

export interface AmeyoPhoneInfo {
	phone: string;
	displayPhone: string;
	uniqueIdentifier: string | null;
}

export interface AmeyoUser {
	userId: string;
	/** What the login's `token` must be: the password or access key. */
	password: string;
	/** Live sessions the user may have at once. Default 1, as Ameyo's create_user. */
	maxAllowedLogins?: number;
}

export interface AmeyoCampaign {
	id: number;
	name: string;
}

export type AmeyoExpiryStyle = '401' | '500';
export type AmeyoLoginShape = 'both' | 'nested' | 'flat';

export interface AmeyoOptions {
	/** Who may log in. Default AMEYO_SUPERVISOR and AMEYO_AGENT, one login each. */
	users?: AmeyoUser[];
	/** Default AMEYO_CAMPAIGNS. */
	campaigns?: AmeyoCampaign[];
	/** Seeded callbacks, spread over every campaign but the last (it stays empty). Default 60. */
	callbacks?: number;
	/** A session ends after this long unused, on the sandbox clock. Default 1800. */
	sessionTtlSeconds?: number;
	/** The highest `limit` getFiltered takes. Default 1000. */
	maxLimit?: number;
	/** An empty getFiltered page is the documented HTTP 500 with an empty body. Default true. */
	emptyAs500?: boolean;
	/** '500': a bad session answers HTTP 500 with the 401's body (status 500). Default '401'. */
	expiryStyle?: AmeyoExpiryStyle;
	/** Where the login answers the session id. Default 'both'. */
	loginShape?: AmeyoLoginShape;
	/** The zone addCallback reads 'YYYY-MM-DD HH:mm:ss' in. Default 'Asia/Kolkata'. */
	serverTimeZone?: string;
}

export interface ResolvedAmeyoOptions extends Required<Omit<AmeyoOptions, 'users'>> {
	users: Array<Required<AmeyoUser>>;
}

/** What tests use in-process; the same object serves HTTP. */
export interface AmeyoSandbox {
	readonly options: ResolvedAmeyoOptions;
	/** False: an empty getFiltered page answers 200 []. Settable at run time. */
	emptyAs500: boolean;
	/** How a bad session is answered: HTTP 401, or HTTP 500 with the same body. Settable. */
	expiryStyle: AmeyoExpiryStyle;
	/**
	 * Where the login answers the session id: 'both', 'nested' (userSessionInfo.sessionId
	 * only) or 'flat' (top-level sessionId only, no userSessionInfo). Settable.
	 */
	loginShape: AmeyoLoginShape;
	/** Successful logins so far. */
	readonly loginsIssued: number;
	/**
	 * Callbacks (copies) in list order: dateAdded, then id. Without a campaign, campaign by
	 * campaign in the order of the options (then any other campaign id, ascending).
	 */
	callbacks(campaignId?: number): AmeyoCallback[];
	getCallback(id: string): AmeyoCallback | undefined;
	/**
	 * Creates a callback as an agent would: in the first campaign, due in a day, added now,
	 * unless `partial` says otherwise. phoneInfo follows phone, campaignName the campaign,
	 * unless given. Throws for a campaign not in the options.
	 */
	addCallback(partial?: Partial<AmeyoCallback>): AmeyoCallback;
	/** Adds `count` callbacks fast (no copies answered); answers their ids in order. */
	addCallbacks(count: number, make?: (index: number) => Partial<AmeyoCallback>): string[];
	/** Changes fields in place, as Ameyo itself might; phoneInfo and campaignName follow as in addCallback. */
	changeCallback(id: string, patch: Partial<AmeyoCallback>): AmeyoCallback;
	/** Removes a callback, as a delete from Ameyo's own console would. */
	removeCallback(id: string): boolean;
	/** Sessions live now (idle ones past sessionTtlSeconds are not). */
	liveSessions(): number;
	/** Every live session ends now: its next use gets a 401, and its user may log in again. */
	expireSessions(): void;
	/**
	 * For a client in another process: the next `count` requests with a live session are
	 * answered, then every session live at that moment ends (as expireSessions). 0 cancels.
	 */
	expireSessionsAfter(count: number): void;
}

/** The default supervisor: what a credential logs in as. */
export const AMEYO_SUPERVISOR: Readonly<{ userId: string; password: string }> = Object.freeze({
	userId: 'supervisor@sandbox.ameyo',
	// The sandbox's published test password, not a real one.
	// eslint-disable-next-line @n8n/community-nodes/no-hardcoded-secrets
	password: 'sandbox-ameyo-pass-7c21',
});
/** A second user, so tests can log in twice without taking the supervisor's slot. */
export const AMEYO_AGENT: Readonly<{ userId: string; password: string }> = Object.freeze({
	userId: 'agent@sandbox.ameyo',
	// eslint-disable-next-line @n8n/community-nodes/no-hardcoded-secrets
	password: 'sandbox-ameyo-agent-3b9d',
});
/** The seed's example campaign 110, a second one, and one that stays empty (the 500 bug). */
export const AMEYO_CAMPAIGNS: ReadonlyArray<Readonly<AmeyoCampaign>> = Object.freeze([
	Object.freeze({ id: 110, name: 'Collections' }),
	Object.freeze({ id: 111, name: 'Renewals' }),
	Object.freeze({ id: 112, name: 'Empty campaign' }),
]);
/** Agents the seeded callbacks are assigned to: Ameyo user ids, an email or a name as in the seed. */
export const AMEYO_AGENT_IDS: readonly string[] = Object.freeze([
	AMEYO_AGENT.userId,
	'Vinod',
	'priya.sharma',
	'rahul.verma',
	'sita.shrestha',
]);
/** The only callBackHandlerType addCallback takes. */
export const AMEYO_CALLBACK_HANDLER_TYPE = 'voice.campaign.callback.handler';

/**
 * The documented getFiltered bug: "the server returns a 500 status" when no callbacks match
 * (or the offset is past the end) instead of 200 []. The seed does not show that answer's
 * body. The sandbox's reading is an HTTP 500 with an empty body: no content and no
 * content-type (content-length 0). An auth failure inside a 500 (expiryStyle '500') has a
 * JSON body, so a client can tell the two apart.
 */
export const AMEYO_EMPTY_LIST_ANSWER: Readonly<{ status: 500; body: '' }> = Object.freeze({
	status: 500,
	body: '',
});

const DEFAULTS: ResolvedAmeyoOptions = {
	users: [AMEYO_SUPERVISOR, AMEYO_AGENT].map((user) => ({ ...user, maxAllowedLogins: 1 })),
	campaigns: AMEYO_CAMPAIGNS.map((campaign) => ({ ...campaign })),
	callbacks: 60,
	sessionTtlSeconds: 1800,
	maxLimit: 1000,
	emptyAs500: true,
	expiryStyle: '401',
	loginShape: 'both',
	serverTimeZone: 'Asia/Kolkata',
};

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const QUARTER_HOUR = 15 * MINUTE;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const WEEK_IN_QUARTER_HOURS = (7 * DAY) / QUARTER_HOUR;
const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'.split('');
/** The fixed head of the documented ids: 'd741-6904fad1-cm-…', 'd741-6904fad1-ses-…'. */
const ID_HEAD = 'd741-6904fad1';
const SERVER_TIME_FORMAT = 'yyyy-MM-dd HH:mm:ss';
const SERVER_TIME = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/;
const TOKEN_ERROR_CODE = 70201;
/** isSelfCallBack as the third-party script sends it ("true"), or as JSON booleans; absent is false. */
const SELF_CALLBACK_VALUES: readonly unknown[] = [true, false, 'true', 'false'];
const LOGIN_ERROR_CODE = 70100;

const PATHS = {
	login: '/ameyorestapi/session/userLogin',
	logout: '/ameyorestapi/session/userLogout',
	keepAlive: '/ameyorestapi/session/keepAliveWithPingPush',
	list: '/ameyorestapi/voice/customerCallbacks/getFiltered',
};
const CALLBACK_PATH = /^\/ameyorestapi\/voice\/customerCallbacks\/([^/]+)$/;
const COMMAND_PATHS = ['/ameyowebaccess/command', '/ameyowebaccess/command/'];

const CALLBACK_KEYS: ReadonlySet<string> = new Set<keyof AmeyoCallback>([
	'customerCallbackId',
	'campaignId',
	'callbackTime',
	'selfCallback',
	'userId',
	'phone',
	'customerId',
	'dateAdded',
	'maskedPhone',
	'lastScheduledBy',
	'actualCallbackTime',
	'campaignName',
	'phoneInfo',
	'groupIds',
	'groupManagerIds',
]);

interface Session {
	userId: string;
	/** Sandbox clock, epoch ms: idle time counts from here. */
	lastUsed: number;
}

/** A stored callback, with its sort keys at hand. */
interface Entry {
	id: string;
	callback: AmeyoCallback;
	campaignId: number;
	dateAdded: number;
	/** Where its campaign's list order holds it: merged in, waiting to be, or gone. */
	slot: 'sorted' | 'pending' | 'removed';
}

/**
 * One campaign's list order, kept lazily (as Talkdesk's): `sorted` is in order, callbacks
 * added or moved since wait in `pending`, and the next read sorts only those and merges
 * them in; `stale` means `sorted` still holds entries removed or moved since.
 */
interface Bucket {
	sorted: Entry[];
	pending: Entry[];
	stale: boolean;
}

export class AmeyoModule implements ProviderModule, AmeyoSandbox {
	readonly name = 'ameyo';
	readonly prefix = '/ameyo';
	readonly options: ResolvedAmeyoOptions;
	emptyAs500: boolean;
	expiryStyle: AmeyoExpiryStyle;
	loginShape: AmeyoLoginShape;

	private readonly entries = new Map<string, Entry>();
	private readonly buckets = new Map<number, Bucket>();
	private readonly campaignsById: ReadonlyMap<number, AmeyoCampaign>;
	private readonly sessions = new Map<string, Session>();
	private issued = 0;
	/** Authenticated requests left before expireSessionsAfter ends the sessions; 0 is none pending. */
	private expireAfter = 0;
	private readonly random: Random;
	/** Its own stream, so logging in never changes the ids of later callbacks. */
	private readonly sessionRandom: Random;
	private readonly now: () => number;

	constructor(options: AmeyoOptions, context: { seed: number; now: () => number }) {
		const given = stripUndefined(options);
		this.options = {
			...DEFAULTS,
			...given,
			users: (given.users ?? DEFAULTS.users).map((user) => ({
				userId: user.userId,
				password: user.password,
				maxAllowedLogins: user.maxAllowedLogins ?? 1,
			})),
			campaigns: (given.campaigns ?? DEFAULTS.campaigns).map((c) => ({ id: c.id, name: c.name })),
		};
		validateOptions(this.options);
		this.emptyAs500 = this.options.emptyAs500;
		this.expiryStyle = this.options.expiryStyle;
		this.loginShape = this.options.loginShape;
		this.campaignsById = new Map(this.options.campaigns.map((c) => [c.id, c]));
		for (const campaign of this.options.campaigns) this.bucket(campaign.id);
		this.now = context.now;
		this.random = new Random(deriveSeed(context.seed, this.name));
		this.sessionRandom = new Random(deriveSeed(context.seed, `${this.name}-sessions`));
		this.seedCallbacks(this.options.callbacks, Math.floor(this.now() / MINUTE) * MINUTE);
	}

	/** Ameyo's error envelope (RESTAPIErrorResponseEntity); injected faults use it too. */
	errorBody(status: number, message: string): unknown {
		return { message, info: null, status, code: status };
	}

	/**
	 * The sandbox decides the order: the login route first (it needs no session); then,
	 * anywhere under /ameyorestapi, the session, as a servlet filter would (so without one
	 * even an unknown path is a 401); then the route. Unknown paths and methods answer
	 * Tomcat's HTML 404 and 405 pages: Ameyo's error bodies are not always JSON.
	 */
	handle(request: SandboxRequest): SandboxResponse {
		const { method, path } = request;
		if (path === PATHS.login) return method === 'POST' ? this.login(request) : methodNotAllowed();
		if (COMMAND_PATHS.includes(path)) {
			return method === 'POST' ? this.command(request) : methodNotAllowed();
		}
		if (!path.startsWith('/ameyorestapi/')) return notFoundPage();

		const presented = (request.headers.sessionid ?? '').trim();
		if (!this.authenticate(presented)) return this.badSession(presented);

		if (path === PATHS.logout) {
			if (method !== 'POST') return methodNotAllowed();
			this.sessions.delete(presented);
			return { status: 200, text: 'ok' };
		}
		// Keeps the session alive; the answer's shape is not documented: the sandbox's own.
		if (path === PATHS.keepAlive) {
			if (method !== 'POST') return methodNotAllowed();
			return { status: 200, json: { alive: true, serverTime: this.now() } };
		}
		if (path === PATHS.list && method === 'GET') return this.list(request.query);
		const byId = CALLBACK_PATH.exec(path);
		if (byId) return method === 'DELETE' ? this.remove(byId[1]) : methodNotAllowed();
		return notFoundPage();
	}

	snapshot(): unknown {
		this.pruneIdle();
		const sessionsByUser: Record<string, number> = {};
		for (const session of this.sessions.values()) {
			sessionsByUser[session.userId] = (sessionsByUser[session.userId] ?? 0) + 1;
		}
		return {
			provider: this.name,
			users: this.options.users.map((user) => ({ ...user })),
			campaigns: this.options.campaigns.map((campaign) => ({ ...campaign })),
			serverTimeZone: this.options.serverTimeZone,
			sessionTtlSeconds: this.options.sessionTtlSeconds,
			maxLimit: this.options.maxLimit,
			emptyAs500: this.emptyAs500,
			expiryStyle: this.expiryStyle,
			loginShape: this.loginShape,
			loginsIssued: this.issued,
			liveSessions: this.sessions.size,
			sessionsByUser,
			expireSessionsAfter: this.expireAfter,
			callbacksCount: this.entries.size,
			callbacks: this.callbacks(),
		};
	}

	// --- in-process API ---

	get loginsIssued(): number {
		return this.issued;
	}

	callbacks(campaignId?: number): AmeyoCallback[] {
		if (campaignId !== undefined) {
			const bucket = this.buckets.get(campaignId);
			return bucket ? this.sortedEntries(bucket).map((entry) => copy(entry.callback)) : [];
		}
		const known = this.options.campaigns.map((campaign) => campaign.id);
		const others = [...this.buckets.keys()].filter((id) => !this.campaignsById.has(id));
		return [...known, ...others.sort((a, b) => a - b)].flatMap((id) => this.callbacks(id));
	}

	getCallback(id: string): AmeyoCallback | undefined {
		const entry = this.entries.get(id);
		return entry && copy(entry.callback);
	}

	addCallback(partial: Partial<AmeyoCallback> = {}): AmeyoCallback {
		const callback = this.newCallback(partial, this.now(), 'addCallback');
		this.store(callback);
		return copy(callback);
	}

	addCallbacks(count: number, make?: (index: number) => Partial<AmeyoCallback>): string[] {
		if (!Number.isInteger(count) || count < 0) {
			throw new Error(`addCallbacks: invalid count ${count}`);
		}
		const now = this.now();
		const ids = new Array<string>(count);
		for (let i = 0; i < count; i++) {
			const callback = this.newCallback(make ? make(i) : {}, now, 'addCallbacks');
			this.store(callback);
			ids[i] = callback.customerCallbackId;
		}
		return ids;
	}

	changeCallback(id: string, patch: Partial<AmeyoCallback>): AmeyoCallback {
		const entry = this.entries.get(id);
		if (!entry) throw new Error(`changeCallback: no callback ${id}`);
		if ((patch.customerCallbackId ?? id) !== id) {
			throw new Error(`changeCallback: the id of ${id} cannot change`);
		}
		const callback = entry.callback;
		const campaignId = patch.campaignId ?? callback.campaignId;
		const campaign = this.campaignsById.get(campaignId);
		if (!campaign) throw new Error(`changeCallback: no campaign ${campaignId}`);
		assignKnown(callback, patch);
		if (patch.phone !== undefined && patch.phoneInfo === undefined) {
			callback.phoneInfo = { ...callback.phoneInfo, phone: patch.phone, displayPhone: patch.phone };
		}
		if (patch.campaignId !== undefined && patch.campaignName === undefined) {
			callback.campaignName = campaign.name;
		}
		if (callback.campaignId !== entry.campaignId || callback.dateAdded !== entry.dateAdded) {
			// Moved: the old entry leaves its place, a new one waits for its new place.
			this.unlink(entry);
			this.store(callback);
		}
		return copy(callback);
	}

	removeCallback(id: string): boolean {
		const entry = this.entries.get(id);
		if (!entry) return false;
		this.entries.delete(id);
		this.unlink(entry);
		return true;
	}

	liveSessions(): number {
		this.pruneIdle();
		return this.sessions.size;
	}

	expireSessions(): void {
		this.sessions.clear();
	}

	expireSessionsAfter(count: number): void {
		if (!Number.isInteger(count) || count < 0) {
			throw new Error(`expireSessionsAfter: invalid count ${count}`);
		}
		this.expireAfter = count;
	}

	// --- sessions ---

	/**
	 * POST /ameyorestapi/session/userLogin. The sandbox decides the order of the checks:
	 * media type (415), a JSON object (400), the credentials (401, the same answer for an
	 * unknown user and a wrong token), then the login slots (512). A forceLogin of a user
	 * with every slot taken ends all of that user's sessions and issues a new one; with a
	 * slot free it is a plain login. `forceLogin` is true as JSON true or the string "true";
	 * a terminalInfo that is not a string is answered as null.
	 */
	private login(request: SandboxRequest): SandboxResponse {
		const mediaType = (request.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
		if (mediaType !== 'application/json') {
			return this.error(415, 'unsupported.media.type', 'The body must be application/json');
		}
		const body = parseJson(request.rawBody);
		if (!isObject(body)) {
			return this.error(400, 'invalid.request.body', 'The body must be a JSON object');
		}
		const user = this.options.users.find((u) => u.userId === body.userId);
		if (!user || typeof body.token !== 'string' || body.token !== user.password) {
			return {
				status: 401,
				json: {
					message: 'user.authentication.failed',
					info: 'Invalid user id or password',
					status: 401,
					errorCode: LOGIN_ERROR_CODE,
				},
			};
		}
		this.pruneIdle();
		const own = [...this.sessions].filter(([, session]) => session.userId === user.userId);
		if (own.length >= user.maxAllowedLogins) {
			if (body.forceLogin !== true && body.forceLogin !== 'true') {
				return this.error(
					512,
					'',
					`Cannot Generate Token: user already logged in (maxAllowedLogins ${user.maxAllowedLogins})`,
				);
			}
			for (const [id] of own) this.sessions.delete(id);
		}
		const sessionId = this.newSessionId(user.userId);
		const now = this.now();
		this.sessions.set(sessionId, { userId: user.userId, lastUsed: now });
		this.issued += 1;
		const terminalInfo = typeof body.terminalInfo === 'string' ? body.terminalInfo : null;
		const userSessionInfo = { sessionId, userId: user.userId, loginTime: now };
		switch (this.loginShape) {
			case 'nested':
				return { status: 200, json: { userId: user.userId, terminalInfo, userSessionInfo } };
			case 'flat':
				return { status: 200, json: { userId: user.userId, terminalInfo, sessionId } };
			default:
				return {
					status: 200,
					json: { userId: user.userId, terminalInfo, sessionId, userSessionInfo },
				};
		}
	}

	/**
	 * The live session a request presents, now used (its idle time starts again), or
	 * undefined. Each one found counts towards expireSessionsAfter: the request is still
	 * answered, and the sessions end right after it.
	 */
	private authenticate(presented: string): Session | undefined {
		if (presented === '') return undefined;
		const session = this.sessions.get(presented);
		if (!session) return undefined;
		const now = this.now();
		if (this.isIdle(session, now)) {
			this.sessions.delete(presented);
			return undefined;
		}
		session.lastUsed = now;
		if (this.expireAfter > 0 && --this.expireAfter === 0) this.sessions.clear();
		return session;
	}

	/**
	 * The seed's 401, echoing the session id presented (empty when none was). With
	 * expiryStyle '500' the same body (status 500) comes in an HTTP 500.
	 */
	private badSession(presented: string): SandboxResponse {
		const status = this.expiryStyle === '500' ? 500 : 401;
		return {
			status,
			json: {
				message: `invalid.authentication.token:${presented}`,
				info: null,
				status,
				errorCode: TOKEN_ERROR_CODE,
			},
		};
	}

	/** Idle for sessionTtlSeconds or more: ended. */
	private isIdle(session: Session, now: number): boolean {
		return session.lastUsed + this.options.sessionTtlSeconds * SECOND <= now;
	}

	private pruneIdle(): void {
		const now = this.now();
		for (const [id, session] of this.sessions) {
			if (this.isIdle(session, now)) this.sessions.delete(id);
		}
	}

	/** As the documented ones: 'd741-6904fad1-ses-<userId>-<40 alphanumerics>-<5 digits>'. */
	private newSessionId(userId: string): string {
		const random = this.sessionRandom;
		let id: string;
		do {
			let key = '';
			for (let i = 0; i < 40; i++) key += random.pick(ALPHANUMERIC);
			id = `${ID_HEAD}-ses-${userId}-${key}-${random.digits(5)}`;
		} while (this.sessions.has(id));
		return id;
	}

	// --- list and delete ---

	/**
	 * GET getFiltered. The sandbox decides: the parameters are checked in the order
	 * offset, campaignId, limit, and the first bad one is named in a 400; an offset is 0 or
	 * more; `limit` is capped at maxLimit (no maximum is documented); an unknown campaign is
	 * a 512, as Ameyo's other "not found" command errors; the order is dateAdded ascending,
	 * then id, so pages are stable while callbacks are added (they come last).
	 */
	private list(query: Record<string, string>): SandboxResponse {
		const { maxLimit } = this.options;
		const offset = readInteger(query, 'offset', 0, Number.MAX_SAFE_INTEGER);
		if (typeof offset === 'string') return this.invalidParameter(offset);
		const campaignId = readInteger(query, 'campaignId', -Number.MAX_SAFE_INTEGER, Infinity);
		if (typeof campaignId === 'string') return this.invalidParameter(campaignId);
		const limit = readInteger(query, 'limit', 1, maxLimit);
		if (typeof limit === 'string') return this.invalidParameter(limit);
		if (!this.campaignsById.has(campaignId)) {
			return this.error(512, 'campaign.not.found', `No campaign with id ${campaignId}`);
		}
		// Only the page's records are copied: big stores stay cheap to list.
		const sorted = this.sortedEntries(this.bucket(campaignId));
		const page = sorted.slice(offset, offset + limit).map((entry) => copy(entry.callback));
		if (page.length === 0 && this.emptyAs500) return { status: AMEYO_EMPTY_LIST_ANSWER.status };
		return { status: 200, json: page };
	}

	/** DELETE customerCallbacks/{id}: a hard delete. A body (some clients send one) is ignored. */
	private remove(segment: string): SandboxResponse {
		const id = decodePathSegment(segment);
		if (!this.removeCallback(id)) {
			return this.error(512, 'callback.not.found', `No callback with id ${id || segment}`);
		}
		return { status: 200, text: 'ok' };
	}

	// --- legacy commands ---

	/**
	 * POST /ameyowebaccess/command/?command=addCallback, form-encoded, one field `data`
	 * holding JSON. Only addCallback is served; every answer is HTTP 200 JSON, errors as
	 * {status: "error", reason}. The sandbox decides the order of the checks: the command,
	 * `data` (present, a JSON object), the session (`data.sessionId`, else the sessionId
	 * header: "Invalid session Id"), then campaignId (an integer, or its digits), the
	 * campaign, userId, callBackHandlerType, callBackProperties.phone, customerId,
	 * isSelfCallBack and callBackTime. userId is not checked against any user list: any
	 * non-empty string is an agent. A past callBackTime is taken (it would be dialled now).
	 */
	private command(request: SandboxRequest): SandboxResponse {
		const command = request.query.command;
		if (command !== 'addCallback') {
			return legacyError(command === undefined ? 'Missing command' : `Unknown command: ${command}`);
		}
		const dataText = request.form?.data;
		if (dataText === undefined) return legacyError('Missing data');
		const data = parseJson(dataText);
		if (!isObject(data)) return legacyError('Invalid data: not a JSON object');

		const presented =
			typeof data.sessionId === 'string' && data.sessionId.trim() !== ''
				? data.sessionId.trim()
				: (request.headers.sessionid ?? '').trim();
		const session = this.authenticate(presented);
		if (!session) return legacyError('Invalid session Id');

		const campaignId = readIntegerValue(data.campaignId);
		if (campaignId === undefined) return legacyError('Invalid campaignId');
		const campaign = this.campaignsById.get(campaignId);
		if (!campaign) return legacyError(`Campaign not found: ${campaignId}`);
		const userId = typeof data.userId === 'string' ? data.userId.trim() : '';
		if (userId === '') return legacyError('Missing userId');
		if (data.callBackHandlerType !== AMEYO_CALLBACK_HANDLER_TYPE) {
			return legacyError(`Invalid callBackHandlerType: only ${AMEYO_CALLBACK_HANDLER_TYPE}`);
		}
		const properties = isObject(data.callBackProperties) ? data.callBackProperties : {};
		const phoneValue = properties.phone;
		const phone =
			typeof phoneValue === 'string'
				? phoneValue.trim()
				: typeof phoneValue === 'number'
					? String(phoneValue)
					: '';
		if (phone === '') return legacyError('Missing phone');
		const customerId =
			properties.customerId === undefined || properties.customerId === null
				? -1
				: readIntegerValue(properties.customerId);
		if (customerId === undefined) return legacyError('Invalid customerId');
		const self = data.isSelfCallBack;
		if (self !== undefined && !SELF_CALLBACK_VALUES.includes(self)) {
			return legacyError('Invalid isSelfCallBack');
		}
		const callbackTime = parseCallBackTime(data.callBackTime, this.options.serverTimeZone);
		if (callbackTime === undefined) return legacyError('Invalid callBackTime');

		const now = this.now();
		const callback = this.newCallback(
			{
				campaignId: campaign.id,
				callbackTime,
				selfCallback: self === true || self === 'true',
				userId,
				phone,
				customerId,
				dateAdded: now,
				lastScheduledBy: session.userId,
			},
			now,
			'addCallback',
		);
		this.store(callback);
		return {
			status: 200,
			json: { status: 'success', customerCallbackId: callback.customerCallbackId },
		};
	}

	// --- helpers ---

	private error(status: number, message: string, info: string | null): SandboxResponse {
		return { status, json: { message, info, status, code: status } };
	}

	private invalidParameter(info: string): SandboxResponse {
		return this.error(400, 'invalid.request.parameter', info);
	}

	private bucket(campaignId: number): Bucket {
		let bucket = this.buckets.get(campaignId);
		if (!bucket) {
			bucket = { sorted: [], pending: [], stale: false };
			this.buckets.set(campaignId, bucket);
		}
		return bucket;
	}

	private store(callback: AmeyoCallback): void {
		const entry: Entry = {
			id: callback.customerCallbackId,
			callback,
			campaignId: callback.campaignId,
			dateAdded: callback.dateAdded,
			slot: 'pending',
		};
		this.entries.set(entry.id, entry);
		this.bucket(entry.campaignId).pending.push(entry);
	}

	/** Takes an entry out of its campaign's list order (it is filtered out on the next read). */
	private unlink(entry: Entry): void {
		if (entry.slot === 'sorted') this.bucket(entry.campaignId).stale = true;
		entry.slot = 'removed';
	}

	/** A campaign's entries in list order (the cached array: callers must not change it). */
	private sortedEntries(bucket: Bucket): Entry[] {
		if (bucket.pending.length === 0 && !bucket.stale) return bucket.sorted;
		const base = bucket.stale
			? bucket.sorted.filter((entry) => entry.slot === 'sorted')
			: bucket.sorted;
		const added = bucket.pending.filter((entry) => entry.slot === 'pending').sort(compareEntries);
		for (const entry of added) entry.slot = 'sorted';
		bucket.sorted = mergeSorted(base, added);
		bucket.pending = [];
		bucket.stale = false;
		return bucket.sorted;
	}

	/** A callback with every field set: `partial` over the defaults of addCallback. */
	private newCallback(partial: Partial<AmeyoCallback>, now: number, caller: string): AmeyoCallback {
		const campaignId = partial.campaignId ?? this.options.campaigns[0].id;
		const campaign = this.campaignsById.get(campaignId);
		if (!campaign) throw new Error(`${caller}: no campaign ${campaignId}`);
		const id = partial.customerCallbackId ?? this.newCallbackId();
		if (this.entries.has(id)) throw new Error(`${caller}: callback ${id} exists`);
		const phone = partial.phone ?? '9876543210';
		const callback: AmeyoCallback = {
			customerCallbackId: id,
			campaignId,
			callbackTime: now + DAY,
			selfCallback: false,
			userId: AMEYO_AGENT_IDS[0],
			phone,
			customerId: -1,
			dateAdded: now,
			maskedPhone: null,
			lastScheduledBy: this.options.users[0].userId,
			actualCallbackTime: null,
			campaignName: campaign.name,
			phoneInfo: { phone, displayPhone: phone, uniqueIdentifier: null },
			groupIds: null,
			groupManagerIds: null,
		};
		// Assigned over the literal, not spread into it: the object keeps one fast shape.
		assignKnown(callback, partial);
		return callback;
	}

	/** As the documented ones: 'd741-6904fad1-cm-<8 alphanumerics>-<5 digits>'. */
	private newCallbackId(): string {
		const random = this.random;
		let id: string;
		do {
			let key = '';
			for (let i = 0; i < 8; i++) key += random.pick(ALPHANUMERIC);
			id = `${ID_HEAD}-cm-${key}-${random.digits(5)}`;
		} while (this.entries.has(id));
		return id;
	}

	/**
	 * Seeds `count` callbacks over every campaign but the last (which stays empty, for the
	 * 500 bug; with one campaign, all go there), in turn. callbackTime falls on a quarter
	 * hour from a week before `start` to a week after; dateAdded is 1 hour to 3 days (to the
	 * millisecond, as the seed's example) before the earlier of callbackTime and `start`.
	 * Phones are Indian national mobiles ('98' and 8 digits), with a Nepali (+977) and a
	 * US (+1, 555) number in every ten; customerId is mostly -1; campaignName is sometimes
	 * null, as in the seed's example; lastScheduledBy is the agent or the supervisor.
	 */
	private seedCallbacks(count: number, start: number): void {
		const random = this.random;
		const campaigns = this.options.campaigns;
		const seeded = campaigns.length > 1 ? campaigns.slice(0, -1) : campaigns;
		const supervisor = this.options.users[0].userId;
		for (let i = 0; i < count; i++) {
			const campaign = seeded[i % seeded.length];
			const callbackTime =
				start + random.int(-WEEK_IN_QUARTER_HOURS, WEEK_IN_QUARTER_HOURS) * QUARTER_HOUR;
			const dateAdded = Math.min(callbackTime, start) - random.int(HOUR, 3 * DAY);
			const userId = random.pick(AMEYO_AGENT_IDS);
			const phone = SEED_PHONE_FORMATS[i % SEED_PHONE_FORMATS.length](random);
			this.store(
				this.newCallback(
					{
						campaignId: campaign.id,
						callbackTime,
						selfCallback: random.chance(0.4),
						userId,
						phone,
						customerId: random.chance(0.6) ? -1 : random.int(10_000, 999_999),
						dateAdded,
						lastScheduledBy: random.chance(0.5) ? userId : supervisor,
						campaignName: random.chance(0.2) ? null : campaign.name,
					},
					start,
					'seed',
				),
			);
		}
	}
}

// --- options ---

function validateOptions(options: ResolvedAmeyoOptions): void {
	const { users, campaigns, callbacks, sessionTtlSeconds, maxLimit } = options;
	if (users.length === 0) throw new Error('Invalid users: at least one is needed');
	for (const user of users) {
		if (
			typeof user.userId !== 'string' ||
			user.userId === '' ||
			typeof user.password !== 'string'
		) {
			throw new Error(`Invalid user: ${JSON.stringify(user.userId)}`);
		}
		if (!Number.isInteger(user.maxAllowedLogins) || user.maxAllowedLogins < 1) {
			throw new Error(`Invalid maxAllowedLogins of ${user.userId}: ${user.maxAllowedLogins}`);
		}
	}
	if (new Set(users.map((user) => user.userId)).size !== users.length) {
		throw new Error('Invalid users: a userId appears twice');
	}
	if (campaigns.length === 0) throw new Error('Invalid campaigns: at least one is needed');
	for (const campaign of campaigns) {
		if (!Number.isSafeInteger(campaign.id)) throw new Error(`Invalid campaign id: ${campaign.id}`);
	}
	if (new Set(campaigns.map((campaign) => campaign.id)).size !== campaigns.length) {
		throw new Error('Invalid campaigns: an id appears twice');
	}
	if (!Number.isInteger(callbacks) || callbacks < 0) {
		throw new Error(`Invalid callbacks: ${callbacks}`);
	}
	if (!(sessionTtlSeconds > 0)) throw new Error(`Invalid sessionTtlSeconds: ${sessionTtlSeconds}`);
	if (!Number.isInteger(maxLimit) || maxLimit < 1) throw new Error(`Invalid maxLimit: ${maxLimit}`);
	if (!['401', '500'].includes(options.expiryStyle)) {
		throw new Error(`Invalid expiryStyle: ${options.expiryStyle}`);
	}
	if (!['both', 'nested', 'flat'].includes(options.loginShape)) {
		throw new Error(`Invalid loginShape: ${options.loginShape}`);
	}
	if (!IANAZone.isValidZone(options.serverTimeZone)) {
		throw new Error(`Invalid serverTimeZone: ${options.serverTimeZone}`);
	}
}

// --- list order ---

/** dateAdded, then id; NaN (the one value unequal to itself) sorts last. No globals in here. */
function compareEntries(a: Entry, b: Entry): number {
	const x = a.dateAdded;
	const y = b.dateAdded;
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
	// Added after everything (added now, as callbacks usually are): no merge.
	if (compareEntries(a[a.length - 1], b[0]) <= 0) return a.concat(b);
	const merged = new Array<Entry>(a.length + b.length);
	let [i, j, k] = [0, 0, 0];
	while (i < a.length && j < b.length) {
		merged[k++] = compareEntries(a[i], b[j]) <= 0 ? a[i++] : b[j++];
	}
	while (i < a.length) merged[k++] = a[i++];
	while (j < b.length) merged[k++] = b[j++];
	return merged;
}

// --- request parsing ---

/**
 * A required integer query parameter in [min, max], or the 400's info naming it and why.
 * Digits with an optional minus sign only: no spaces, no decimals, no exponent.
 */
function readInteger(
	query: Record<string, string>,
	name: string,
	min: number,
	max: number,
): number | string {
	const text = query[name];
	if (text === undefined) return `${name} is required`;
	const value = Number(text);
	if (!/^-?\d+$/.test(text) || !Number.isSafeInteger(value)) {
		return `${name} must be an integer, got ${JSON.stringify(text)}`;
	}
	if (value < min || value > max) {
		return max === Number.MAX_SAFE_INTEGER
			? `${name} must be ${min} or more, got ${value}`
			: `${name} must be from ${min} to ${max}, got ${value}`;
	}
	return value;
}

/** An integer given as a JSON number or as its digits (legacy commands send strings). */
function readIntegerValue(value: unknown): number | undefined {
	if (typeof value === 'number') return Number.isSafeInteger(value) ? value : undefined;
	if (typeof value !== 'string' || !/^-?\d+$/.test(value.trim())) return undefined;
	const number = Number(value.trim());
	return Number.isSafeInteger(number) ? number : undefined;
}

/**
 * addCallback's callBackTime, whose format no document gives. The sandbox takes the two
 * readings the evidence allows: 'YYYY-MM-DD HH:mm:ss' in the server's zone (the format the
 * same third-party script validates its other times in), or epoch milliseconds (as the
 * REST API answers every time), as a JSON number or its digits. A local time that does not
 * exist in the zone (a DST gap) is refused; a repeated one (DST end) is its first instant.
 */
export function parseCallBackTime(value: unknown, zone: string): number | undefined {
	if (typeof value === 'number') {
		return Number.isSafeInteger(value) && value >= 0 ? value : undefined;
	}
	if (typeof value !== 'string') return undefined;
	const text = value.trim();
	if (/^\d+$/.test(text)) {
		const ms = Number(text);
		return Number.isSafeInteger(ms) ? ms : undefined;
	}
	if (!SERVER_TIME.test(text)) return undefined;
	const time = DateTime.fromFormat(text, SERVER_TIME_FORMAT, { zone });
	// Luxon moves a time in a DST gap on: it then reads back differently.
	if (!time.isValid || time.toFormat(SERVER_TIME_FORMAT) !== text) return undefined;
	return time.toMillis();
}

// --- answers ---

function legacyError(reason: string): SandboxResponse {
	return { status: 200, json: { status: 'error', reason } };
}

const TOMCAT_PAGE = (status: number, title: string) =>
	`<!doctype html><html lang="en"><head><title>HTTP Status ${status} – ${title}</title></head><body><h1>HTTP Status ${status} – ${title}</h1><hr class="line" /><h3>Apache Tomcat</h3></body></html>`;

function notFoundPage(): SandboxResponse {
	return {
		status: 404,
		headers: { 'content-type': 'text/html;charset=utf-8' },
		text: TOMCAT_PAGE(404, 'Not Found'),
	};
}

function methodNotAllowed(): SandboxResponse {
	return {
		status: 405,
		headers: { 'content-type': 'text/html;charset=utf-8' },
		text: TOMCAT_PAGE(405, 'Method Not Allowed'),
	};
}

// --- helpers ---

function copy(callback: AmeyoCallback): AmeyoCallback {
	return {
		...callback,
		phoneInfo: { ...callback.phoneInfo },
		groupIds: callback.groupIds && [...callback.groupIds],
		groupManagerIds: callback.groupManagerIds && [...callback.groupManagerIds],
	};
}

/** Sets the callback fields `partial` gives (undefined is not given); other keys are ignored. */
function assignKnown(callback: AmeyoCallback, partial: Partial<AmeyoCallback>): void {
	const target = callback as unknown as Record<string, unknown>;
	const source = partial as Record<string, unknown>;
	for (const key of Object.keys(source)) {
		if (source[key] !== undefined && CALLBACK_KEYS.has(key)) target[key] = source[key];
	}
}

function parseJson(text: string): unknown {
	try {
		return JSON.parse(text) as unknown;
	} catch {
		return undefined;
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

function isObject(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function stripUndefined<T extends object>(value: T): Partial<T> {
	return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

// --- seeded data ---

/** Indexed by the callback's place, so every ten seeded have one Nepali and one US number. */
const SEED_PHONE_FORMATS: Array<(random: Random) => string> = [
	(random) => `98${random.digits(8)}`,
	(random) => `98${random.digits(8)}`,
	(random) => `98${random.digits(8)}`,
	(random) => `+97798${random.digits(8)}`,
	(random) => `98${random.digits(8)}`,
	(random) => `98${random.digits(8)}`,
	(random) => `98${random.digits(8)}`,
	(random) => `+1${random.pick(['201', '415', '646'])}555${random.digits(4)}`,
	(random) => `98${random.digits(8)}`,
	(random) => `98${random.digits(8)}`,
];
