/**
 * Convoso in the sandbox: /v1/callbacks/{search,insert,update,delete} and
 * /v1/leads/search, as documented (providers.md §2 and the seeds), quirks included:
 * - business errors are HTTP 200 with {"success":false,"code":...,"error":...};
 * - every value in an answer is a string, numbers too;
 * - recipient is sent as system/personal but answered as SYSTEM/USERONLY;
 * - a search that finds nothing is an error, code 6000 "Missing callbacks";
 * - callback_time_zone is "+5.30" where .30 means 30 minutes, not half an hour.
 *
 * Parameters come from the query string and from a form body (the form wins), so both
 * the POST form-urlencoded style and the older GET style work. A JSON body is
 * ignored, as a client that sends one has a bug: it then sees a missing token.
 */
import { DateTime, FixedOffsetZone, IANAZone } from 'luxon';

import { Random, deriveSeed } from './random';
import type { ProviderModule, SandboxRequest, SandboxResponse } from './server';

export interface ConvosoOptions {
	/** The auth_token the sandbox accepts. Default 'sandbox-convoso-token'. */
	token?: string;
	/** Seeded callbacks. Default 250. */
	callbacks?: number;
	/** Seeded leads. Default 500. */
	leads?: number;
	/** The zone of times in answers (Convoso gives none). Default 'America/New_York'. */
	accountTimezone?: string;
	/** The documents disagree on whether a search page is inside data. Default 'wrapped'. */
	responseShape?: 'wrapped' | 'bare';
}

export type ResolvedConvosoOptions = Required<ConvosoOptions>;

export type ConvosoStage = 'PENDING' | 'COMPLETED' | 'DISMISSED' | 'PAST_DUE';

/** A callback as the sandbox stores it. Times are account-local 'YYYY-MM-DD HH:mm:ss'. */
export interface ConvosoCallbackRecord {
	id: number;
	lead_id: number;
	list_id: number;
	phone_number: string;
	campaign_id: number;
	/** Answered as `user`; null for a system callback without an agent. */
	user_id: number | null;
	/** Stored as sent; answered as SYSTEM or USERONLY. */
	recipient: 'system' | 'personal';
	comments: string;
	callback_time: string;
	created_at: string;
	modified_at: string;
	callback_seen: string;
	stage: ConvosoStage;
	status: 'ACTIVE' | 'DISMISSED';
	class: string;
	context: string;
	/** callback_time and callback_time_zone exactly as the last insert or update sent them. */
	sent_callback_time?: string;
	sent_callback_time_zone?: string;
}

export interface ConvosoLeadRecord {
	id: number;
	first_name: string;
	last_name: string;
	/** 10 digits, no country code. */
	phone_number: string;
	email: string;
	status: string;
	list_id: number;
	user_id: number | null;
	owner_id: number | null;
	created_at: string;
	modified_at: string;
	address1: string;
	city: string;
	state: string;
	postal_code: string;
	country: string;
	date_of_birth: string;
	carrier_name: string;
	carrier_type: string;
}

/** What tests use in-process; the same object serves HTTP. */
export interface ConvosoSandbox {
	readonly options: ResolvedConvosoOptions;
	/** Current callbacks, by id (copies). */
	callbacks(): ConvosoCallbackRecord[];
	getCallback(id: number | string): ConvosoCallbackRecord | undefined;
	/** Creates a callback directly; unset fields get defaults (a pending system callback for lead 1001). */
	addCallback(partial?: Partial<ConvosoCallbackRecord>): ConvosoCallbackRecord;
	/**
	 * Adds `count` callbacks fast (no copies answered), each as addCallback would with
	 * `make(index)`; answers their ids in order.
	 */
	addCallbacks(count: number, make?: (index: number) => Partial<ConvosoCallbackRecord>): number[];
	/** Changes a callback in place, as Convoso's UI or dialer would. */
	changeCallback(id: number, patch: Partial<ConvosoCallbackRecord>): ConvosoCallbackRecord;
	removeCallback(id: number): boolean;
	leads(): ConvosoLeadRecord[];
}

export const CONVOSO_USERS: Readonly<Record<number, string>> = {
	12345: 'Jane Smith',
	22222: 'John Doe',
	33333: 'Ana Lima',
};
export const CONVOSO_CAMPAIGNS: Readonly<Record<number, { name: string; type: string }>> = {
	111: { name: 'Sales Campaign', type: 'Normal' },
	112: { name: 'Renewals', type: 'Normal' },
	113: { name: 'Support', type: 'Manual' },
};
export const CONVOSO_LISTS: Readonly<Record<number, string>> = {
	333: 'Spring Leads',
	334: 'Web Leads',
	335: 'Referrals',
};
export const FIRST_LEAD_ID = 1001;
/** The insert API takes no campaign; new callbacks are filed under this one. */
const NEW_CALLBACK_CAMPAIGN_ID = 111;

const DEFAULTS: ResolvedConvosoOptions = {
	token: 'sandbox-convoso-token',
	callbacks: 250,
	leads: 500,
	accountTimezone: 'America/New_York',
	responseShape: 'wrapped',
};

const STAGE_TITLES: Record<ConvosoStage, string> = {
	PENDING: 'Pending',
	COMPLETED: 'Completed',
	DISMISSED: 'Dismissed',
	PAST_DUE: 'Past Due',
};
/** Stage filter values the documents list, including the help center's PASTDUE and MISSED. */
const STAGE_FILTERS: Record<string, ConvosoStage> = {
	PENDING: 'PENDING',
	COMPLETED: 'COMPLETED',
	DISMISSED: 'DISMISSED',
	PAST_DUE: 'PAST_DUE',
	PASTDUE: 'PAST_DUE',
	MISSED: 'PAST_DUE',
};

const SEARCH_MAX_OFFSET = 50_000;
const SEARCH_MAX_LIMIT = 5_000;
const SEARCH_DEFAULT_LIMIT = 20;
const LEADS_MAX_LIMIT = 2_000;
const LEADS_DEFAULT_LIMIT = 10;

/** A business error as Convoso answers it: HTTP 200, success false. `code` is absent when undocumented. */
interface ConvosoErrorBody {
	code?: number;
	error: string;
}

const ERRORS = {
	missingCallbacks: { code: 6000, error: 'Missing callbacks' },
	noSuchLead: { code: 6001, error: 'No such Lead' },
	invalidUser: { code: 6006, error: 'Invalid user ID' },
	requiredFields: { code: 6023, error: 'Required fields are missed' },
	invalidCampaign: { code: 6026, error: 'Invalid campaign ID' },
	invalidDate: { code: 6031, error: 'Invalid date format' },
	invalidList: { code: 6042, error: 'Invalid list ID' },
	invalidLead: { code: 6070, error: 'Invalid lead ID' },
	invalidTime: { code: 6071, error: 'Invalid callback time format' },
	invalidTimezone: { code: 6072, error: 'Invalid timezone offset' },
	invalidCallbackId: { code: 6073, error: 'Invalid callback ID' },
	callbackNotFound: { code: 6074, error: 'Callback not found' },
	invalidOffset: { code: 7231, error: 'Invalid offset value' },
	invalidLimit: { code: 7258, error: 'Invalid limit value' },
	invalidStage: { error: 'Invalid callback stage' },
	// Not documented; the sandbox's own wording.
	invalidRecipient: { error: 'Invalid recipient' },
	invalidCallbackStatus: { error: 'Invalid callback status' },
} satisfies Record<string, ConvosoErrorBody>;

class ConvosoError extends Error {
	constructor(readonly body: ConvosoErrorBody) {
		super(body.error);
	}
}

/** Request parameters, trimmed; empty values count as absent (the GET docs send `start_date=&...`). */
type Params = Partial<Record<string, string>>;

export class ConvosoModule implements ProviderModule, ConvosoSandbox {
	readonly name = 'convoso';
	readonly prefix = '/convoso';
	readonly options: ResolvedConvosoOptions;

	private readonly leadsById = new Map<number, ConvosoLeadRecord>();
	private readonly callbacksById = new Map<number, ConvosoCallbackRecord>();
	/** Callbacks sorted by id; rebuilt lazily after a change. */
	private sortedCallbacks: ConvosoCallbackRecord[] | undefined;
	private highestCallbackId = 0;
	private readonly now: () => number;

	private readonly routes: ReadonlyMap<string, (params: Params) => SandboxResponse> = new Map([
		['/v1/callbacks/search', (p: Params) => this.searchCallbacks(p)],
		['/v1/callbacks/insert', (p: Params) => this.insertCallback(p)],
		['/v1/callbacks/update', (p: Params) => this.updateCallback(p)],
		['/v1/callbacks/delete', (p: Params) => this.deleteCallback(p)],
		['/v1/leads/search', (p: Params) => this.searchLeads(p)],
	]);

	constructor(options: ConvosoOptions, context: { seed: number; now: () => number }) {
		this.options = { ...DEFAULTS, ...stripUndefined(options) };
		if (!IANAZone.isValidZone(this.options.accountTimezone)) {
			throw new Error(`Invalid accountTimezone: ${this.options.accountTimezone}`);
		}
		this.now = context.now;
		const random = new Random(deriveSeed(context.seed, this.name));
		const leads = generateLeads(random, this.options.leads);
		for (const lead of leads) this.leadsById.set(lead.id, lead);
		for (const callback of generateCallbacks(random, this.options.callbacks, leads)) {
			this.store(callback);
		}
	}

	handle(request: SandboxRequest): SandboxResponse {
		const route = this.routes.get(request.path);
		if (!route) return notFoundPage();
		if (request.method !== 'GET' && request.method !== 'POST') {
			return {
				status: 405,
				headers: { 'content-type': 'text/html' },
				text: htmlPage('405 Method Not Allowed'),
			};
		}

		const params = readParams(request);
		if (params.auth_token === undefined) {
			return { status: 401, json: { success: false, error: 'Missing authentication token' } };
		}
		if (params.auth_token !== this.options.token) {
			return {
				status: 200,
				json: { success: false, error: 'Invalid (or expired) authentication token' },
			};
		}
		try {
			return route(params);
		} catch (error) {
			if (error instanceof ConvosoError) {
				return { status: 200, json: { success: false, ...error.body } };
			}
			// Not a node: the sandbox core turns any other error into an HTTP 500.
			// eslint-disable-next-line @n8n/community-nodes/require-node-api-error
			throw error;
		}
	}

	snapshot(): unknown {
		return {
			provider: this.name,
			token: this.options.token,
			accountTimezone: this.options.accountTimezone,
			responseShape: this.options.responseShape,
			leadsCount: this.leadsById.size,
			callbacksCount: this.callbacksById.size,
			callbacks: this.callbacks(),
		};
	}

	callbacks(): ConvosoCallbackRecord[] {
		return this.callbackList().map((callback) => ({ ...callback }));
	}

	getCallback(id: number | string): ConvosoCallbackRecord | undefined {
		const callback = this.callbacksById.get(Number(id));
		return callback && { ...callback };
	}

	addCallback(partial: Partial<ConvosoCallbackRecord> = {}): ConvosoCallbackRecord {
		const lead = this.leadsById.get(partial.lead_id ?? FIRST_LEAD_ID);
		if (!lead) throw new Error(`addCallback: no lead ${partial.lead_id}`);
		const id = partial.id ?? this.highestCallbackId + 1;
		if (this.callbacksById.has(id)) throw new Error(`addCallback: callback ${id} exists`);
		const stamp = this.localNow();
		const stage = partial.stage ?? 'PENDING';
		const callback: ConvosoCallbackRecord = {
			id,
			lead_id: lead.id,
			list_id: lead.list_id,
			phone_number: lead.phone_number,
			campaign_id: NEW_CALLBACK_CAMPAIGN_ID,
			user_id: null,
			recipient: 'system',
			comments: '',
			callback_time: this.toLocal(DateTime.fromMillis(this.now()).plus({ days: 1 })),
			created_at: stamp,
			modified_at: stamp,
			callback_seen: '',
			stage,
			status: stage === 'DISMISSED' ? 'DISMISSED' : 'ACTIVE',
			class: classOf(stage),
			context: '',
			...stripUndefined(partial),
		};
		this.store(callback);
		return { ...callback };
	}

	addCallbacks(count: number, make?: (index: number) => Partial<ConvosoCallbackRecord>): number[] {
		if (!Number.isInteger(count) || count < 0) {
			throw new Error(`addCallbacks: invalid count ${count}`);
		}
		const stamp = this.localNow();
		const inADay = this.toLocal(DateTime.fromMillis(this.now()).plus({ days: 1 }));
		const ids = new Array<number>(count);
		for (let i = 0; i < count; i++) {
			const partial = make ? make(i) : {};
			const lead = this.leadsById.get(partial.lead_id ?? FIRST_LEAD_ID);
			if (!lead) throw new Error(`addCallbacks: no lead ${partial.lead_id}`);
			const id = partial.id ?? this.highestCallbackId + 1;
			if (this.callbacksById.has(id)) throw new Error(`addCallbacks: callback ${id} exists`);
			const stage = partial.stage ?? 'PENDING';
			const callback: ConvosoCallbackRecord = {
				id,
				lead_id: lead.id,
				list_id: lead.list_id,
				phone_number: lead.phone_number,
				campaign_id: NEW_CALLBACK_CAMPAIGN_ID,
				user_id: null,
				recipient: 'system',
				comments: '',
				callback_time: inADay,
				created_at: stamp,
				modified_at: stamp,
				callback_seen: '',
				stage,
				status: stage === 'DISMISSED' ? 'DISMISSED' : 'ACTIVE',
				class: classOf(stage),
				context: '',
			};
			for (const key of Object.keys(partial) as Array<keyof ConvosoCallbackRecord>) {
				if (partial[key] !== undefined)
					(callback as unknown as Record<string, unknown>)[key] = partial[key];
			}
			this.store(callback);
			ids[i] = id;
		}
		return ids;
	}

	leads(): ConvosoLeadRecord[] {
		return [...this.leadsById.values()].map((lead) => ({ ...lead }));
	}

	/** Changes a callback as Convoso itself would (an agent completing it, say); modified_at moves on. */
	changeCallback(id: number, patch: Partial<ConvosoCallbackRecord>): ConvosoCallbackRecord {
		const callback = this.callbacksById.get(id);
		if (!callback) throw new Error(`changeCallback: no callback ${id}`);
		Object.assign(callback, stripUndefined(patch), { modified_at: this.localNow() });
		if (patch.stage) callback.class = classOf(patch.stage);
		return { ...callback };
	}

	/** Removes a callback as if deleted in Convoso's UI. */
	removeCallback(id: number): boolean {
		this.sortedCallbacks = undefined;
		return this.callbacksById.delete(id);
	}

	// --- routes ---

	private searchCallbacks(p: Params): SandboxResponse {
		const startDate = readDate(p.start_date);
		const endDate = readDate(p.end_date);
		const campaignId = readKnownId(p.campaign_id, CONVOSO_CAMPAIGNS, ERRORS.invalidCampaign);
		const listId = readKnownId(p.list_id, CONVOSO_LISTS, ERRORS.invalidList);
		const userId = readKnownId(p.user_id, CONVOSO_USERS, ERRORS.invalidUser);
		const stage = readStageFilter(p.stage);
		const { offset, limit } = readPage(p, {
			defaultLimit: SEARCH_DEFAULT_LIMIT,
			maxLimit: SEARCH_MAX_LIMIT,
			maxOffset: SEARCH_MAX_OFFSET,
		});
		// An unknown recipient value matches nothing (undocumented; no error is known for it).
		const recipient = p.recipient?.toLowerCase();
		const comments = p.comments?.toLowerCase();
		// Non-numeric ids become NaN and match nothing.
		const id = p.id === undefined ? undefined : Number(p.id);
		const leadId = p.lead_id === undefined ? undefined : Number(p.lead_id);

		const matches = this.callbackList().filter((cb) => {
			const day = cb.callback_time.slice(0, 10);
			return (
				(startDate === undefined || day >= startDate) &&
				(endDate === undefined || day <= endDate) &&
				(campaignId === undefined || cb.campaign_id === campaignId) &&
				(listId === undefined || cb.list_id === listId) &&
				(userId === undefined || cb.user_id === userId) &&
				(stage === undefined || cb.stage === stage) &&
				(recipient === undefined || cb.recipient === recipient) &&
				(comments === undefined || cb.comments.toLowerCase().includes(comments)) &&
				(id === undefined || cb.id === id) &&
				(leadId === undefined || cb.lead_id === leadId)
			);
		});
		const page = matches.slice(offset, offset + limit);
		// Stricter reading of "no match → 6000": an empty page past the end is one too.
		if (page.length === 0) throw new ConvosoError(ERRORS.missingCallbacks);
		return this.pageResponse(
			offset,
			limit,
			matches.length,
			page.map((cb) => this.toApiCallback(cb)),
		);
	}

	private insertCallback(p: Params): SandboxResponse {
		if (!p.lead_id || !p.recipient || !p.callback_time || !p.callback_time_zone) {
			throw new ConvosoError(ERRORS.requiredFields);
		}
		if (!/^\d+$/.test(p.lead_id)) throw new ConvosoError(ERRORS.invalidLead);
		const lead = this.leadsById.get(Number(p.lead_id));
		if (!lead) throw new ConvosoError(ERRORS.noSuchLead);
		const recipient = readRecipient(p.recipient);
		const userId = readKnownId(p.user_id, CONVOSO_USERS, ERRORS.invalidUser) ?? null;
		if (recipient === 'personal' && userId === null) throw new ConvosoError(ERRORS.requiredFields);
		const callbackTime = this.readCallbackTime(p.callback_time, p.callback_time_zone);

		const stamp = this.localNow();
		const callback: ConvosoCallbackRecord = {
			id: this.highestCallbackId + 1,
			lead_id: lead.id,
			list_id: lead.list_id,
			phone_number: lead.phone_number,
			campaign_id: NEW_CALLBACK_CAMPAIGN_ID,
			user_id: userId,
			recipient,
			comments: p.comments ?? '',
			callback_time: callbackTime,
			created_at: stamp,
			modified_at: stamp,
			callback_seen: '',
			stage: 'PENDING',
			status: 'ACTIVE',
			class: classOf('PENDING'),
			context: '',
			sent_callback_time: p.callback_time,
			sent_callback_time_zone: p.callback_time_zone,
		};
		this.store(callback);
		return { status: 200, json: { success: true, data: { callback_id: String(callback.id) } } };
	}

	private updateCallback(p: Params): SandboxResponse {
		const callback = this.findCallback(p.callback_id);
		// Validate everything before changing anything: a failed update changes nothing.
		const changes: Partial<ConvosoCallbackRecord> = {};
		if (p.user_id !== undefined) {
			changes.user_id = readKnownId(p.user_id, CONVOSO_USERS, ERRORS.invalidUser);
		}
		if (p.recipient !== undefined) changes.recipient = readRecipient(p.recipient);
		if (p.comments !== undefined) changes.comments = p.comments;
		if (p.callback_time !== undefined) {
			if (p.callback_time_zone === undefined) throw new ConvosoError(ERRORS.invalidTimezone);
			changes.callback_time = this.readCallbackTime(p.callback_time, p.callback_time_zone);
			changes.sent_callback_time = p.callback_time;
			changes.sent_callback_time_zone = p.callback_time_zone;
			// A rescheduled callback is due again.
			Object.assign(changes, { stage: 'PENDING', status: 'ACTIVE', class: classOf('PENDING') });
		}
		// The help center's example calls it `status`, the newer doc `callback_status`.
		const dismiss = p.callback_status ?? p.status;
		if (dismiss !== undefined) {
			if (dismiss.toLowerCase() !== 'dismissed') {
				throw new ConvosoError(ERRORS.invalidCallbackStatus);
			}
			Object.assign(changes, {
				stage: 'DISMISSED',
				status: 'DISMISSED',
				class: classOf('DISMISSED'),
			});
		}
		const recipient = changes.recipient ?? callback.recipient;
		const userId = changes.user_id !== undefined ? changes.user_id : callback.user_id;
		if (recipient === 'personal' && userId === null) throw new ConvosoError(ERRORS.requiredFields);

		Object.assign(callback, changes, { modified_at: this.localNow() });
		return { status: 200, json: { success: true, data: { callback_id: String(callback.id) } } };
	}

	private deleteCallback(p: Params): SandboxResponse {
		const callback = this.findCallback(p.callback_id);
		this.callbacksById.delete(callback.id);
		this.sortedCallbacks = undefined;
		return { status: 200, json: { success: true } };
	}

	private searchLeads(p: Params): SandboxResponse {
		const { offset, limit } = readPage(p, {
			defaultLimit: LEADS_DEFAULT_LIMIT,
			maxLimit: LEADS_MAX_LIMIT,
		});
		const createdFrom = readDate(p.created_at_start_date);
		const createdTo = readDate(p.created_at_end_date);
		const updatedFrom = readDate(p.updated_at_start_date);
		const updatedTo = readDate(p.updated_at_end_date);
		const phone = p.phone_number === undefined ? undefined : normalizePhone(p.phone_number);

		const exact: Array<[string | undefined, (lead: ConvosoLeadRecord) => unknown]> = [
			[p.lead_id, (lead) => lead.id],
			[p.list_id, (lead) => lead.list_id],
			[p.user_id, (lead) => lead.user_id],
			[p.owner_id, (lead) => lead.owner_id],
		];
		const textFields = [
			'status',
			'first_name',
			'last_name',
			'email',
			'city',
			'state',
			'postal_code',
			'country',
			'date_of_birth',
		] as const;

		const matches = [...this.leadsById.values()].filter((lead) => {
			const created = lead.created_at.slice(0, 10);
			const updated = lead.modified_at.slice(0, 10);
			return (
				exact.every(([wanted, field]) => wanted === undefined || String(field(lead)) === wanted) &&
				textFields.every(
					(field) =>
						p[field] === undefined || lead[field].toLowerCase() === p[field]?.toLowerCase(),
				) &&
				(phone === undefined || lead.phone_number === phone) &&
				(createdFrom === undefined || created >= createdFrom) &&
				(createdTo === undefined || created <= createdTo) &&
				(updatedFrom === undefined || updated >= updatedFrom) &&
				(updatedTo === undefined || updated <= updatedTo)
			);
		});
		// Unlike callbacks, a leads search that finds nothing is a success with no results.
		const page = matches.slice(offset, offset + limit).map(toApiLead);
		return this.pageResponse(offset, limit, matches.length, page);
	}

	// --- helpers ---

	private pageResponse(
		offset: number,
		limit: number,
		total: number,
		results: unknown[],
	): SandboxResponse {
		const page = { offset: String(offset), limit: String(limit), total: String(total), results };
		return {
			status: 200,
			json: this.options.responseShape === 'bare' ? page : { success: true, data: page },
		};
	}

	private toApiCallback(cb: ConvosoCallbackRecord): Record<string, string> {
		const campaign = CONVOSO_CAMPAIGNS[cb.campaign_id];
		return {
			id: String(cb.id),
			lead_id: String(cb.lead_id),
			list_id: String(cb.list_id),
			campaign_id: String(cb.campaign_id),
			status: cb.status,
			created_at: cb.created_at,
			callback_time: cb.callback_time,
			modified_at: cb.modified_at,
			user: cb.user_id === null ? '' : String(cb.user_id),
			recipient: cb.recipient === 'system' ? 'SYSTEM' : 'USERONLY',
			comments: cb.comments,
			context: cb.context,
			callback_seen: cb.callback_seen,
			stage: STAGE_TITLES[cb.stage],
			class: cb.class,
			phone_number: cb.phone_number,
			user_name: cb.user_id === null ? '' : (CONVOSO_USERS[cb.user_id] ?? ''),
			directory_name: CONVOSO_LISTS[cb.list_id] ?? '',
			campaign_name: campaign?.name ?? '',
			campaign_type: campaign?.type ?? '',
			status_name: '',
		};
	}

	private findCallback(value: string | undefined): ConvosoCallbackRecord {
		if (value === undefined) throw new ConvosoError(ERRORS.requiredFields);
		if (!/^\d+$/.test(value)) throw new ConvosoError(ERRORS.invalidCallbackId);
		const callback = this.callbacksById.get(Number(value));
		if (!callback) throw new ConvosoError(ERRORS.callbackNotFound);
		return callback;
	}

	/**
	 * "2026-03-05 02:30 PM" at "-7.00" → the account-local time of that instant.
	 * The digits after the dot are minutes: "+5.30" is UTC+05:30.
	 */
	private readCallbackTime(time: string, zone: string): string {
		const timeMatch = /^(\d{4})-(\d{2})-(\d{2}) (0[1-9]|1[0-2]):([0-5]\d) (AM|PM)$/.exec(time);
		if (!timeMatch) throw new ConvosoError(ERRORS.invalidTime);
		const zoneMatch = /^(?:([+-])(\d{1,2})\.([0-5]\d)|0\.00)$/.exec(zone);
		if (!zoneMatch) throw new ConvosoError(ERRORS.invalidTimezone);
		const [, year, month, day, hour12, minute, meridiem] = timeMatch;
		const [, sign, offsetHours, offsetMinutes] = zoneMatch;
		const offset =
			sign === undefined
				? 0
				: (sign === '-' ? -1 : 1) * (Number(offsetHours) * 60 + Number(offsetMinutes));
		if (Math.abs(offset) > 14 * 60) throw new ConvosoError(ERRORS.invalidTimezone);

		const instant = DateTime.fromObject(
			{
				year: Number(year),
				month: Number(month),
				day: Number(day),
				hour: (Number(hour12) % 12) + (meridiem === 'PM' ? 12 : 0),
				minute: Number(minute),
			},
			{ zone: FixedOffsetZone.instance(offset) },
		);
		if (!instant.isValid) throw new ConvosoError(ERRORS.invalidTime);
		return this.toLocal(instant);
	}

	private toLocal(instant: DateTime): string {
		return instant.setZone(this.options.accountTimezone).toFormat('yyyy-MM-dd HH:mm:ss');
	}

	private localNow(): string {
		return this.toLocal(DateTime.fromMillis(this.now()));
	}

	private store(callback: ConvosoCallbackRecord): void {
		this.callbacksById.set(callback.id, callback);
		if (callback.id > this.highestCallbackId) this.highestCallbackId = callback.id;
		this.sortedCallbacks = undefined;
	}

	private callbackList(): ConvosoCallbackRecord[] {
		this.sortedCallbacks ??= [...this.callbacksById.values()].sort((a, b) => a.id - b.id);
		return this.sortedCallbacks;
	}
}

// --- request parsing ---

function readParams(request: SandboxRequest): Params {
	const params: Params = {};
	for (const [name, value] of Object.entries({ ...request.query, ...request.form })) {
		const trimmed = value.trim();
		if (trimmed !== '') params[name] = trimmed;
	}
	return params;
}

/** YYYY-MM-DD and a real calendar date, or 6031. */
function readDate(value: string | undefined): string | undefined {
	if (value === undefined) return undefined;
	if (!/^\d{4}-\d{2}-\d{2}$/.test(value) || !DateTime.fromISO(value).isValid) {
		throw new ConvosoError(ERRORS.invalidDate);
	}
	return value;
}

function readKnownId(
	value: string | undefined,
	known: Readonly<Record<number, unknown>>,
	error: ConvosoErrorBody,
): number | undefined {
	if (value === undefined) return undefined;
	if (!/^\d+$/.test(value) || !(Number(value) in known)) throw new ConvosoError(error);
	return Number(value);
}

function readStageFilter(value: string | undefined): ConvosoStage | undefined {
	if (value === undefined) return undefined;
	const stage = STAGE_FILTERS[value.toUpperCase()];
	if (!stage) throw new ConvosoError(ERRORS.invalidStage);
	return stage;
}

function readRecipient(value: string): 'system' | 'personal' {
	const recipient = value.toLowerCase();
	if (recipient !== 'system' && recipient !== 'personal') {
		throw new ConvosoError(ERRORS.invalidRecipient);
	}
	return recipient;
}

function readPage(
	p: Params,
	limits: { defaultLimit: number; maxLimit: number; maxOffset?: number },
): { offset: number; limit: number } {
	const offset = p.offset === undefined ? 0 : Number(p.offset);
	if (!/^\d+$/.test(p.offset ?? '0') || offset > (limits.maxOffset ?? Number.MAX_SAFE_INTEGER)) {
		throw new ConvosoError(ERRORS.invalidOffset);
	}
	const limit = p.limit === undefined ? limits.defaultLimit : Number(p.limit);
	if (!/^\d+$/.test(p.limit ?? '1') || limit < 1 || limit > limits.maxLimit) {
		throw new ConvosoError(ERRORS.invalidLimit);
	}
	return { offset, limit };
}

/** Digits only; an 11-digit number with the US country code 1 loses it. */
function normalizePhone(value: string): string {
	const digits = value.replace(/\D/g, '');
	return digits.length === 11 && digits.startsWith('1') ? digits.slice(1) : digits;
}

// --- answers ---

function toApiLead(lead: ConvosoLeadRecord): Record<string, string> {
	const answer: Record<string, string> = {};
	for (const [field, value] of Object.entries(lead)) {
		answer[field] = value === null ? '' : String(value);
	}
	return answer;
}

function classOf(stage: ConvosoStage): string {
	return stage.toLowerCase();
}

function htmlPage(title: string): string {
	return `<!DOCTYPE html>\n<html><head><title>${title}</title></head><body><h1>${title}</h1></body></html>\n`;
}

function notFoundPage(): SandboxResponse {
	return { status: 404, headers: { 'content-type': 'text/html' }, text: htmlPage('404 Not Found') };
}

function stripUndefined<T extends object>(value: T): Partial<T> {
	return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

// --- seeded data ---

const FIRST_NAMES = 'James Mary Robert Patricia John Linda David Sofia Carlos Wei Aisha Liam'.split(
	' ',
);
const LAST_NAMES =
	'Smith Johnson Brown Jones Garcia Miller Davis Nguyen Patel Kim Okafor Silva'.split(' ');
const PLACES = [
	['Austin', 'TX', '73301'],
	['Miami', 'FL', '33101'],
	['Denver', 'CO', '80201'],
	['Seattle', 'WA', '98101'],
	['Boston', 'MA', '02108'],
	['Phoenix', 'AZ', '85001'],
	['Columbus', 'OH', '43004'],
	['Atlanta', 'GA', '30301'],
] as const;
const LEAD_STATUSES = ['NEW', 'CALLBK', 'A', 'NI', 'SALE', 'DNC'];
const CARRIERS = [
	['Verizon Wireless', 'mobile'],
	['AT&T Mobility', 'mobile'],
	['T-Mobile USA', 'mobile'],
	['Comcast', 'landline'],
] as const;
const COMMENTS = [
	'Customer requested callback',
	'Follow-up on previous call',
	'Call back after 5pm',
	'Wants pricing details',
	'Renewal reminder',
	'Left voicemail, try again',
	'',
];
const USER_IDS = Object.keys(CONVOSO_USERS).map(Number);
const CAMPAIGN_IDS = Object.keys(CONVOSO_CAMPAIGNS).map(Number);
const LIST_IDS = Object.keys(CONVOSO_LISTS).map(Number);

// Seeded times are stitched from these two tables, with no time-zone math and one
// string allocation each, so 100,000 callbacks take a fraction of a second. Hours
// stay between 08 and 19, clear of DST gaps, so every stitched wall time exists.

/** 'YYYY-MM-DD ' for every day from 2025-01-01 to 2026-12-31. */
const DAY_PREFIXES: string[] = (() => {
	const days: string[] = [];
	for (let ms = Date.UTC(2025, 0, 1); ms <= Date.UTC(2026, 11, 31); ms += 86_400_000) {
		days.push(`${new Date(ms).toISOString().slice(0, 10)} `);
	}
	return days;
})();
const FIRST_DAY_OF_2026 = DAY_PREFIXES.indexOf('2026-01-01 ');
/** 'HH:mm:ss' for every second from 08:00:00 to 19:59:59. */
const TIMES_OF_DAY: string[] = (() => {
	const times: string[] = [];
	for (let hour = 8; hour < 20; hour++) {
		for (let minute = 0; minute < 60; minute++) {
			for (let second = 0; second < 60; second++) {
				times.push(`${pad2(hour)}:${pad2(minute)}:${pad2(second)}`);
			}
		}
	}
	return times;
})();
const QUARTER_HOUR = 15 * 60;

function pad2(value: number): string {
	return value < 10 ? `0${value}` : `${value}`;
}

/** A wall time on the given day: any second, or (for callbacks) a quarter hour. */
function wallTime(random: Random, dayIndex: number, quarterHours = false): string {
	const time = quarterHours
		? random.int(0, TIMES_OF_DAY.length / QUARTER_HOUR - 1) * QUARTER_HOUR
		: random.int(0, TIMES_OF_DAY.length - 1);
	return DAY_PREFIXES[dayIndex] + TIMES_OF_DAY[time];
}

function generateLeads(random: Random, count: number): ConvosoLeadRecord[] {
	const leads: ConvosoLeadRecord[] = [];
	for (let i = 0; i < count; i++) {
		const firstName = random.pick(FIRST_NAMES);
		const lastName = random.pick(LAST_NAMES);
		const [city, state, postalCode] = random.pick(PLACES);
		const [carrierName, carrierType] = random.pick(CARRIERS);
		const userId = random.chance(0.5) ? random.pick(USER_IDS) : null;
		// Leads were created in 2025, before any seeded callback.
		const createdIndex = random.int(0, FIRST_DAY_OF_2026 - 60);
		const id = FIRST_LEAD_ID + i;
		leads.push({
			id,
			first_name: firstName,
			last_name: lastName,
			phone_number: `${random.int(2, 9)}${random.digits(9)}`,
			email: `${firstName}.${lastName}${id}@example.com`.toLowerCase(),
			status: random.pick(LEAD_STATUSES),
			list_id: random.pick(LIST_IDS),
			user_id: userId,
			owner_id: userId,
			created_at: wallTime(random, createdIndex),
			modified_at: wallTime(random, createdIndex + random.int(0, 30)),
			address1: `${random.int(1, 9999)} Main St`,
			city,
			state,
			postal_code: postalCode,
			country: 'US',
			date_of_birth: `${random.int(1950, 2000)}-${pad2(random.int(1, 12))}-${pad2(random.int(1, 28))}`,
			carrier_name: carrierName,
			carrier_type: carrierType,
		});
	}
	return leads;
}

function generateCallbacks(
	random: Random,
	count: number,
	leads: ConvosoLeadRecord[],
): ConvosoCallbackRecord[] {
	if (count > 0 && leads.length === 0) {
		throw new Error('Convoso sandbox: callbacks need at least one lead');
	}
	const callbacks: ConvosoCallbackRecord[] = [];
	for (let id = 1; id <= count; id++) {
		const lead = random.pick(leads);
		const callbackDay = FIRST_DAY_OF_2026 + random.int(0, 364);
		const createdDay = callbackDay - random.int(1, 30);
		const modifiedDay = random.int(createdDay, callbackDay - 1);
		const created = wallTime(random, createdDay);
		const modified = modifiedDay === createdDay ? created : wallTime(random, modifiedDay);
		const roll = random.float();
		const stage: ConvosoStage =
			roll < 0.7 ? 'PENDING' : roll < 0.82 ? 'COMPLETED' : roll < 0.9 ? 'DISMISSED' : 'PAST_DUE';
		const recipient = random.chance(0.6) ? 'system' : 'personal';
		callbacks.push({
			id,
			lead_id: lead.id,
			list_id: lead.list_id,
			phone_number: lead.phone_number,
			campaign_id: random.pick(CAMPAIGN_IDS),
			user_id: recipient === 'personal' ? random.pick(USER_IDS) : null,
			recipient,
			comments: random.pick(COMMENTS),
			callback_time: wallTime(random, callbackDay, true),
			created_at: created,
			modified_at: modified,
			callback_seen: stage === 'PENDING' ? '' : modified,
			stage,
			status: stage === 'DISMISSED' ? 'DISMISSED' : 'ACTIVE',
			class: classOf(stage),
			context: random.chance(0.5) ? `${random.int(100000, 999999)}` : '',
		});
	}
	return callbacks;
}
