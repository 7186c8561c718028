/**
 * Speko in the sandbox: list, get, cancel and dispatch scheduled callbacks under
 * /v1/callbacks, as documented (providers.md §4 and the seed):
 * - Bearer API key; every error body is {"error": ..., "code": ...};
 * - callbacks belong to an organization, and another organization's callback is a 404;
 * - a list is one page of at most `limit` (1–100, default 25): no offset, no cursor;
 * - scheduled → dispatching → dispatched | failed, or scheduled → cancelled.
 *
 * Where the documents are silent the sandbox decides, and says so next to the code:
 * list order, 409 for a wrong state, the order of the 409 and 402 checks, and how a
 * dispatch completes.
 */
import { Random, deriveSeed } from './random';
import type { ProviderModule, SandboxRequest, SandboxResponse } from './server';

export const SPEKO_STATUSES = [
	'scheduled',
	'dispatching',
	'dispatched',
	'cancelled',
	'failed',
] as const;
export type SpekoStatus = (typeof SPEKO_STATUSES)[number];

/** The ScheduledCallback object, field for field as the API answers it. Times are ISO 8601 UTC. */
export interface SpekoScheduledCallback {
	id: string;
	organization_id: string;
	source_session_id: string | null;
	/** The outbound session a dispatch made. */
	created_session_id: string | null;
	agent_id: string | null;
	phone_number_id: string | null;
	/** E.164. */
	to_number: string;
	from_number: string | null;
	scheduled_at: string;
	status: SpekoStatus;
	reason: string | null;
	instructions: string | null;
	summary: string | null;
	pipeline_config: Record<string, unknown>;
	metadata: Record<string, unknown>;
	failure_cause: string | null;
	attempted_at: string | null;
	dispatched_at: string | null;
	cancelled_at: string | null;
	created_at: string;
	updated_at: string;
}

export interface SpekoOptions {
	/** The API key the sandbox accepts as `Authorization: Bearer <key>`. Default 'sk_test_sandbox_speko'. */
	key?: string;
	/** The key's organization. Default 'org_sandbox'. */
	organizationId?: string;
	/** Seeded callbacks of the key's organization. Default 40. */
	callbacks?: number;
	/** Starting credit balance; each dispatch costs one. Default Infinity (unlimited). */
	credits?: number;
	/** How long a dispatch stays `dispatching`, on the sandbox clock. Default 0. */
	dispatchDelayMs?: number;
	/** Dispatches to these numbers end `failed` (failure_cause 'no-answer'). Default none. */
	failingNumbers?: string[];
}

export type ResolvedSpekoOptions = Required<SpekoOptions>;

/** What tests use in-process; the same object serves HTTP. */
export interface SpekoSandbox {
	readonly options: ResolvedSpekoOptions;
	/** The credit balance now; Infinity is unlimited. Settable, e.g. to 0 to get 402s. */
	credits: number;
	/** An organization's callbacks (copies), in list order. Default: the key's organization. */
	callbacks(organizationId?: string): SpekoScheduledCallback[];
	/** Any organization's callback, or undefined. */
	getCallback(id: string): SpekoScheduledCallback | undefined;
	/**
	 * Creates a callback as post-call analysis would (the API cannot): a scheduled callback
	 * of the key's organization, due in a day, unless `partial` says otherwise.
	 */
	addCallback(partial?: Partial<SpekoScheduledCallback>): SpekoScheduledCallback;
	/** Adds `count` callbacks, each as addCallback would with `make(index)`; answers their ids in order. */
	addCallbacks(count: number, make?: (index: number) => Partial<SpekoScheduledCallback>): string[];
	/** Moves a callback to `status` now, as Speko itself would, setting that state's fields. */
	setStatus(
		id: string,
		status: SpekoStatus,
		details?: { failureCause?: string; reason?: string },
	): SpekoScheduledCallback;
	/** Completes every pending dispatch now, due or not; answers the completed callbacks. */
	settle(): SpekoScheduledCallback[];
	/** Changes fields in place, as Speko itself might (e.g. a new scheduled_at); updated_at moves on. */
	changeCallback(id: string, patch: Partial<SpekoScheduledCallback>): SpekoScheduledCallback;
	/** Removes a callback, as if Speko's retention deleted it. */
	removeCallback(id: string): boolean;
}

/** Seeded callbacks of this organization answer 404 to the sandbox key. */
export const SPEKO_OTHER_ORGANIZATION_ID = 'org_other';
const OTHER_ORGANIZATION_CALLBACKS = 3;

const DEFAULTS: ResolvedSpekoOptions = {
	key: 'sk_test_sandbox_speko',
	organizationId: 'org_sandbox',
	callbacks: 40,
	credits: Infinity,
	dispatchDelayMs: 0,
	failingNumbers: [],
};

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const QUARTER_HOUR = 15 * MINUTE;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const WEEK_IN_QUARTER_HOURS = (7 * DAY) / QUARTER_HOUR;
const BASE36 = '0123456789abcdefghijklmnopqrstuvwxyz'.split('');

const LIST_DEFAULT_LIMIT = 25;
const LIST_MAX_LIMIT = 100;
const MAX_REASON_LENGTH = 500;

const ERROR_CODES: Record<number, string> = {
	400: 'VALIDATION_ERROR',
	401: 'UNAUTHORIZED',
	402: 'PAYMENT_REQUIRED',
	404: 'NOT_FOUND',
	409: 'CONFLICT',
	429: 'RATE_LIMITED',
};

export class SpekoModule implements ProviderModule, SpekoSandbox {
	readonly name = 'speko';
	readonly prefix = '/speko';
	readonly options: ResolvedSpekoOptions;
	credits: number;

	private readonly callbacksById = new Map<string, SpekoScheduledCallback>();
	/** Callbacks dispatched through the API, by id, with the epoch ms at which they complete. */
	private readonly pendingDispatches = new Map<string, number>();
	private readonly random: Random;
	private readonly now: () => number;

	constructor(options: SpekoOptions, context: { seed: number; now: () => number }) {
		this.options = { ...DEFAULTS, ...stripUndefined(options) };
		if (this.options.organizationId === SPEKO_OTHER_ORGANIZATION_ID) {
			throw new Error(`organizationId "${SPEKO_OTHER_ORGANIZATION_ID}" is the other organization`);
		}
		this.credits = this.options.credits;
		this.now = context.now;
		this.random = new Random(deriveSeed(context.seed, this.name));
		const start = Math.floor(this.now() / MINUTE) * MINUTE;
		this.seedCallbacks(this.options.organizationId, this.options.callbacks, start);
		this.seedCallbacks(SPEKO_OTHER_ORGANIZATION_ID, OTHER_ORGANIZATION_CALLBACKS, start);
	}

	/** Speko's error body; injected faults use it too. */
	errorBody(status: number, message: string): unknown {
		return {
			error: message,
			code: ERROR_CODES[status] ?? (status >= 500 ? 'INTERNAL_ERROR' : 'ERROR'),
		};
	}

	handle(request: SandboxRequest): SandboxResponse {
		this.settleDue();
		// Auth comes first, as in front of any route: without a key even a wrong path is a 401.
		const bearer = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.authorization ?? '');
		if (bearer?.[1] !== this.options.key) return this.error(401, 'Unauthorized');

		if (request.path === '/v1/callbacks') {
			return request.method === 'GET' ? this.list(request.query) : this.notFound();
		}
		const match = /^\/v1\/callbacks\/([^/]+)(?:\/(cancel|dispatch))?$/.exec(request.path);
		// A known path with another method is an unknown route too.
		if (!match || request.method !== (match[2] ? 'POST' : 'GET')) return this.notFound();
		const callback = this.callbacksById.get(decodePathSegment(match[1]));
		if (!callback || callback.organization_id !== this.options.organizationId) {
			return this.notFound();
		}
		switch (match[2]) {
			case 'cancel':
				return this.cancel(callback, request.json);
			case 'dispatch':
				return this.dispatch(callback);
			default:
				return { status: 200, json: copy(callback) };
		}
	}

	snapshot(): unknown {
		this.settleDue();
		return {
			provider: this.name,
			key: this.options.key,
			organizationId: this.options.organizationId,
			// JSON has no Infinity: null is an unlimited balance.
			credits: Number.isFinite(this.credits) ? this.credits : null,
			dispatchDelayMs: this.options.dispatchDelayMs,
			failingNumbers: this.options.failingNumbers,
			pendingDispatches: [...this.pendingDispatches].map(([id, dueAt]) => ({
				id,
				due_at: isoUtc(dueAt),
			})),
			callbacksCount: this.callbacks().length,
			callbacks: this.callbacks(),
			otherOrganizationCallbacks: this.callbacks(SPEKO_OTHER_ORGANIZATION_ID),
		};
	}

	callbacks(organizationId = this.options.organizationId): SpekoScheduledCallback[] {
		this.settleDue();
		return sortForList(
			[...this.callbacksById.values()].filter((cb) => cb.organization_id === organizationId),
		).map(copy);
	}

	getCallback(id: string): SpekoScheduledCallback | undefined {
		this.settleDue();
		const callback = this.callbacksById.get(id);
		return callback && copy(callback);
	}

	addCallback(partial: Partial<SpekoScheduledCallback> = {}): SpekoScheduledCallback {
		const id = partial.id ?? this.newId('cb_');
		if (this.callbacksById.has(id)) throw new Error(`addCallback: callback ${id} exists`);
		const now = this.now();
		const [fromNumberId, fromNumber] = FROM_NUMBERS[0];
		const callback: SpekoScheduledCallback = {
			id,
			organization_id: this.options.organizationId,
			source_session_id: partial.source_session_id ?? this.newId('sess_'),
			created_session_id: null,
			agent_id: AGENT_IDS[0],
			phone_number_id: fromNumberId,
			to_number: '+12015550123',
			from_number: fromNumber,
			scheduled_at: isoUtc(now + DAY),
			status: 'scheduled',
			reason: null,
			instructions: null,
			summary: null,
			pipeline_config: {},
			metadata: {},
			failure_cause: null,
			attempted_at: null,
			dispatched_at: null,
			cancelled_at: null,
			created_at: isoUtc(now),
			updated_at: isoUtc(now),
			...stripUndefined(partial),
		};
		this.callbacksById.set(id, callback);
		return copy(callback);
	}

	addCallbacks(count: number, make?: (index: number) => Partial<SpekoScheduledCallback>): string[] {
		if (!Number.isInteger(count) || count < 0) {
			throw new Error(`addCallbacks: invalid count ${count}`);
		}
		const ids = new Array<string>(count);
		for (let i = 0; i < count; i++) ids[i] = this.addCallback(make ? make(i) : {}).id;
		return ids;
	}

	setStatus(
		id: string,
		status: SpekoStatus,
		details: { failureCause?: string; reason?: string } = {},
	): SpekoScheduledCallback {
		const callback = this.callbacksById.get(id);
		if (!callback) throw new Error(`setStatus: no callback ${id}`);
		if (!SPEKO_STATUSES.includes(status)) throw new Error(`setStatus: no status ${status}`);
		this.pendingDispatches.delete(id);
		this.transition(callback, status, this.now(), details);
		return copy(callback);
	}

	changeCallback(id: string, patch: Partial<SpekoScheduledCallback>): SpekoScheduledCallback {
		const callback = this.callbacksById.get(id);
		if (!callback) throw new Error(`changeCallback: no callback ${id}`);
		Object.assign(callback, stripUndefined(patch), { updated_at: isoUtc(this.now()) });
		return copy(callback);
	}

	removeCallback(id: string): boolean {
		this.pendingDispatches.delete(id);
		return this.callbacksById.delete(id);
	}

	settle(): SpekoScheduledCallback[] {
		const now = this.now();
		return [...this.pendingDispatches].map(([id, dueAt]) =>
			this.completeDispatch(id, Math.min(dueAt, now)),
		);
	}

	// --- routes ---

	private list(query: Record<string, string>): SandboxResponse {
		const { status, source_session_id: sourceSessionId, limit: limitText } = query;
		if (status !== undefined && !SPEKO_STATUSES.includes(status as SpekoStatus)) {
			return this.error(400, `status must be one of ${SPEKO_STATUSES.join(', ')}`);
		}
		const limit = limitText === undefined ? LIST_DEFAULT_LIMIT : Number(limitText);
		if (!/^\d+$/.test(limitText ?? '1') || limit < 1 || limit > LIST_MAX_LIMIT) {
			return this.error(400, `limit must be an integer from 1 to ${LIST_MAX_LIMIT}`);
		}
		const matches = this.callbacks().filter(
			(cb) =>
				(status === undefined || cb.status === status) &&
				(sourceSessionId === undefined || cb.source_session_id === sourceSessionId),
		);
		return { status: 200, json: { callbacks: matches.slice(0, limit) } };
	}

	/** The body is optional: no body, or one that is not a JSON object, cancels without a reason. */
	private cancel(callback: SpekoScheduledCallback, body: unknown): SandboxResponse {
		const reason = isObject(body) ? body.reason : undefined;
		if (reason !== undefined && (typeof reason !== 'string' || reason.length > MAX_REASON_LENGTH)) {
			return this.error(400, `reason must be a string of at most ${MAX_REASON_LENGTH} characters`);
		}
		// The documents leave a wrong state open (409 or 400): 409 CONFLICT is the API-wide code.
		if (callback.status !== 'scheduled') {
			return this.error(
				409,
				`Callback is ${callback.status}, only scheduled callbacks can be cancelled`,
			);
		}
		this.transition(callback, 'cancelled', this.now(), { reason });
		return { status: 200, json: copy(callback) };
	}

	/**
	 * Starts the call and answers the callback in `dispatching`. It completes once the
	 * sandbox clock reaches attempted_at + dispatchDelayMs: checked lazily whenever the
	 * module is used (any Speko request, the state endpoint, an in-process read), so
	 * there are no timers and, with a frozen clock, tests decide when it happens
	 * (advance the clock or call settle()). With the default delay 0 the very next use
	 * sees it completed.
	 */
	private dispatch(callback: SpekoScheduledCallback): SandboxResponse {
		// A wrong state is checked before the balance: a dispatch that cannot happen costs nothing.
		if (callback.status !== 'scheduled') {
			return this.error(
				409,
				`Callback is ${callback.status}, only scheduled callbacks can be dispatched`,
			);
		}
		if (this.credits <= 0) return this.error(402, 'Insufficient credits');
		this.credits -= 1;
		const now = this.now();
		this.transition(callback, 'dispatching', now);
		this.pendingDispatches.set(callback.id, now + this.options.dispatchDelayMs);
		return { status: 200, json: copy(callback) };
	}

	// --- state machine ---

	/** Completes the pending dispatches whose time has come, at their due time. */
	private settleDue(): void {
		const now = this.now();
		for (const [id, dueAt] of this.pendingDispatches) {
			if (dueAt <= now) this.completeDispatch(id, dueAt);
		}
	}

	private completeDispatch(id: string, at: number): SpekoScheduledCallback {
		this.pendingDispatches.delete(id);
		const callback = this.callbacksById.get(id) as SpekoScheduledCallback;
		const fails = this.options.failingNumbers.includes(callback.to_number);
		this.transition(callback, fails ? 'failed' : 'dispatched', at);
		return copy(callback);
	}

	/** Moves a callback to `status` at `at` and sets the fields that state sets (providers.md §4.5). */
	private transition(
		callback: SpekoScheduledCallback,
		status: SpekoStatus,
		at: number,
		details: { failureCause?: string; reason?: string } = {},
	): void {
		const stamp = isoUtc(at);
		callback.status = status;
		callback.updated_at = stamp;
		switch (status) {
			case 'scheduled':
				// Back to the start: forget what the later states set.
				Object.assign(callback, {
					created_session_id: null,
					failure_cause: null,
					attempted_at: null,
					dispatched_at: null,
					cancelled_at: null,
				});
				break;
			case 'dispatching':
				callback.attempted_at = stamp;
				break;
			case 'dispatched':
				callback.attempted_at ??= stamp;
				callback.dispatched_at = stamp;
				callback.created_session_id = this.newId('sess_');
				break;
			case 'failed':
				callback.attempted_at ??= stamp;
				callback.failure_cause = details.failureCause ?? 'no-answer';
				break;
			case 'cancelled':
				callback.cancelled_at = stamp;
				if (details.reason !== undefined) callback.reason = details.reason;
				break;
		}
	}

	// --- helpers ---

	private error(status: number, message: string): SandboxResponse {
		return { status, json: this.errorBody(status, message) };
	}

	private notFound(): SandboxResponse {
		return this.error(404, 'not found');
	}

	/** e.g. 'cb_' + 12 base36 characters from the seeded stream. */
	private newId(prefix: string): string {
		let id: string;
		do {
			id = prefix;
			for (let i = 0; i < 12; i++) id += this.random.pick(BASE36);
		} while (this.callbacksById.has(id));
		return id;
	}

	/**
	 * Seeds `count` callbacks around `start` (a week either side), each walked through the
	 * state machine so its timestamps agree: past ones were dispatched, failed or cancelled,
	 * future ones are scheduled or cancelled, and a few are being dispatched right now.
	 */
	private seedCallbacks(organizationId: string, count: number, start: number): void {
		const random = this.random;
		// Random spans in whole steps, so seeded times read cleanly.
		const quarterHours = (min: number, max: number) => random.int(min, max) * QUARTER_HOUR;
		const seconds = (minMs: number, maxMs: number) =>
			random.int(Math.ceil(minMs / SECOND), Math.floor(maxMs / SECOND)) * SECOND;
		for (let i = 0; i < count; i++) {
			const status = SEED_STATUS_CYCLE[i % SEED_STATUS_CYCLE.length];
			const scheduledAt =
				status === 'scheduled'
					? start + quarterHours(1, WEEK_IN_QUARTER_HOURS)
					: status === 'cancelled'
						? start + quarterHours(-WEEK_IN_QUARTER_HOURS, WEEK_IN_QUARTER_HOURS)
						: status === 'dispatching'
							? start - seconds(MINUTE, 10 * MINUTE)
							: start - quarterHours(1, WEEK_IN_QUARTER_HOURS);
			const createdAt = Math.min(scheduledAt, start) - seconds(HOUR, 3 * DAY);
			const [fromNumberId, fromNumber] = random.pick(FROM_NUMBERS);
			const callback = this.addCallback({
				organization_id: organizationId,
				source_session_id: random.pick(SOURCE_SESSION_IDS),
				agent_id: random.pick(AGENT_IDS),
				phone_number_id: fromNumberId,
				from_number: fromNumber,
				to_number: random.pick(TO_NUMBER_FORMATS)(random),
				scheduled_at: isoUtc(scheduledAt),
				reason: random.pick(REASONS),
				instructions: random.pick(INSTRUCTIONS),
				summary: random.pick(SUMMARIES),
				created_at: isoUtc(createdAt),
				updated_at: isoUtc(createdAt),
			});
			const stored = this.callbacksById.get(callback.id) as SpekoScheduledCallback;
			const attemptedAt = scheduledAt + seconds(0, 30 * SECOND);
			switch (status) {
				case 'cancelled': {
					const cancelledAt = createdAt + seconds(MINUTE, Math.min(scheduledAt, start) - createdAt);
					const reason = random.chance(0.5) ? random.pick(CANCEL_REASONS) : undefined;
					this.transition(stored, 'cancelled', cancelledAt, { reason });
					break;
				}
				case 'dispatching':
				case 'dispatched':
				case 'failed':
					this.transition(stored, 'dispatching', attemptedAt);
					if (status === 'dispatched') {
						this.transition(stored, 'dispatched', attemptedAt + seconds(5 * SECOND, 40 * SECOND));
					} else if (status === 'failed') {
						this.transition(stored, 'failed', attemptedAt + seconds(20 * SECOND, 60 * SECOND), {
							failureCause: random.pick(FAILURE_CAUSES),
						});
					}
					break;
			}
		}
	}
}

// --- helpers ---

/**
 * The list order is not documented. The sandbox answers the soonest first (scheduled_at
 * ascending, then id), so the `limit` items a list returns are the most urgent ones.
 */
function sortForList(callbacks: SpekoScheduledCallback[]): SpekoScheduledCallback[] {
	return callbacks.sort(
		(a, b) =>
			Date.parse(a.scheduled_at) - Date.parse(b.scheduled_at) ||
			(a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
	);
}

/** ISO 8601 UTC to the second, as in the documents: '2019-08-24T14:15:22Z'. */
function isoUtc(ms: number): string {
	return `${new Date(ms).toISOString().slice(0, 19)}Z`;
}

function copy(callback: SpekoScheduledCallback): SpekoScheduledCallback {
	return {
		...callback,
		pipeline_config: { ...callback.pipeline_config },
		metadata: { ...callback.metadata },
	};
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

/** Cycled through while seeding: mostly scheduled, and every status from 12 callbacks on. */
const SEED_STATUS_CYCLE: SpekoStatus[] = [
	'scheduled',
	'dispatched',
	'scheduled',
	'cancelled',
	'scheduled',
	'failed',
	'scheduled',
	'dispatched',
	'scheduled',
	'dispatching',
	'scheduled',
	'scheduled',
];
const SOURCE_SESSION_IDS = ['sess_src_1', 'sess_src_2', 'sess_src_3', 'sess_src_4', 'sess_src_5'];
const AGENT_IDS = ['agent_sales', 'agent_support', 'agent_renewals'];
/** The organization's own numbers: [phone_number_id, from_number]. */
const FROM_NUMBERS: ReadonlyArray<readonly [string, string]> = [
	['pn_us_main', '+12015550100'],
	['pn_uk_main', '+442079460100'],
];
/** Fictional ranges where there are any: US 555, UK Ofcom drama numbers; India and Nepal mobiles. */
const TO_NUMBER_FORMATS: Array<(random: Random) => string> = [
	(random) => `+1${random.pick(['201', '415', '646'])}555${random.digits(4)}`,
	(random) => `+447700900${random.digits(3)}`,
	(random) => `+91${random.pick(['98', '97', '99'])}${random.digits(8)}`,
	(random) => `+97798${random.digits(8)}`,
];
const REASONS = [
	'Caller asked to be called back after 5pm',
	'Wants to talk about pricing with a specialist',
	'Asked for a follow-up once the invoice arrives',
	'Line was noisy, caller asked to try again later',
	'Wants to renew but needs to check with a partner',
];
const INSTRUCTIONS = [
	'Greet the caller by name and recap the last call',
	'Confirm the best time before going into details',
	'Offer the annual plan discount',
	null,
];
const SUMMARIES = [
	'Caller asked about upgrading their plan and requested a callback.',
	'Billing question left open; the caller will have the invoice at hand.',
	'Support issue partly solved; a follow-up is needed to confirm the fix.',
	'Interested in a demo, but driving at the time of the call.',
];
const CANCEL_REASONS = ['Customer called back first', 'Duplicate callback', 'Customer opted out'];
const FAILURE_CAUSES = ['no-answer', 'busy', 'invalid-number', 'carrier-error'];
