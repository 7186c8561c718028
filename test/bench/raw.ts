/**
 * The references the nodes are measured against: plain `fetch` loops that send the
 * requests the nodes send (same endpoints, parameters and page sizes), JSON.parse each
 * answer and keep every item, so time and memory compare like for like. No retries,
 * no validation, no normalization: the least work that gets the same data. The list
 * loops can also send through n8n's request helper (the worker's helper loops): the
 * least any n8n node does for the same data.
 */
import { DateTime } from 'luxon';

import { AMEYO_CAMPAIGN, CONVOSO_ZONE, LARGEST_PAGE, SECRETS, SPEKO_STATUSES } from './shared';
import type { SandboxReady } from './shared';

type BaseUrls = SandboxReady['baseUrls'];
type Json = Record<string, unknown>;

async function parsed(response: Response): Promise<unknown> {
	return JSON.parse(await response.text()) as unknown;
}

function form(fields: Record<string, string | number>): string {
	const params = new URLSearchParams();
	for (const [key, value] of Object.entries(fields)) params.set(key, String(value));
	return params.toString();
}

// --- authentication ---

export async function talkdeskToken(baseUrls: BaseUrls): Promise<string> {
	const basic = Buffer.from(`${SECRETS.talkdeskClientId}:${SECRETS.talkdeskClientSecret}`).toString(
		'base64',
	);
	const response = await fetch(baseUrls.talkdeskToken, {
		method: 'POST',
		headers: {
			authorization: `Basic ${basic}`,
			'content-type': 'application/x-www-form-urlencoded',
		},
		body: form({ grant_type: 'client_credentials', scope: SECRETS.talkdeskScopes }),
	});
	const body = (await parsed(response)) as Json;
	if (typeof body.access_token !== 'string') throw new Error('Talkdesk gave no token');
	return body.access_token;
}

export async function ameyoSession(baseUrls: BaseUrls): Promise<string> {
	const response = await fetch(`${baseUrls.ameyo}/ameyorestapi/session/userLogin`, {
		method: 'POST',
		headers: { 'content-type': 'application/json', accept: 'application/json' },
		body: JSON.stringify({
			userId: SECRETS.ameyoUser,
			token: SECRETS.ameyoPassword,
			forceLogin: false,
			terminalInfo: 'n8n',
		}),
	});
	const body = (await parsed(response)) as Json;
	const session =
		((body.userSessionInfo as Json | undefined)?.sessionId as string | undefined) ??
		(body.sessionId as string | undefined);
	if (!session) throw new Error('Ameyo gave no session');
	return session;
}

// --- listing everything (B1, B1b) ---

export interface ListOptions {
	/** After the first page (which tells the total), fetch all the others at once. */
	concurrent?: boolean;
	/** Stop after this many items (a warm-up). */
	limit?: number;
	/** Talkdesk token or Ameyo session, obtained beforehand. */
	auth?: string;
	/** How each request is sent: `fetch` unless given (the helper loops pass n8n's request helper). */
	send?: Send;
}

export interface SendInit {
	method?: string;
	headers?: Record<string, string>;
	body?: string;
}

/** Sends one request and reads its answer as text. */
export type Send = (url: string, init: SendInit) => Promise<{ status: number; text: string }>;

export const fetchText: Send = async (url, init) => {
	const response = await fetch(url, init);
	return { status: response.status, text: await response.text() };
};

/** Convoso pages up to this offset; a listing larger than it can reach is split by date. */
const CONVOSO_REACHABLE = 50_000 + LARGEST_PAGE.convoso;

export async function convosoListAll(baseUrls: BaseUrls, options: ListOptions): Promise<Json[]> {
	const pageSize = Math.min(LARGEST_PAGE.convoso, options.limit ?? Infinity);
	const send = options.send ?? fetchText;
	const page = async (offset: number, limit = pageSize, window?: DateWindow) => {
		const response = await send(`${baseUrls.convoso}/callbacks/search`, {
			method: 'POST',
			headers: { 'content-type': 'application/x-www-form-urlencoded' },
			body: form({
				...(window && { start_date: window.start, end_date: window.end }),
				offset,
				limit,
				auth_token: SECRETS.convosoToken,
			}),
		});
		const body = JSON.parse(response.text) as Json;
		const data = (body.data ?? body) as Json;
		return { results: (data.results ?? []) as Json[], total: Number(data.total ?? 0) };
	};
	const first = await page(0);
	if (options.limit === undefined && first.total > CONVOSO_REACHABLE)
		return await convosoWindows(page, first.total, options.concurrent === true);
	const items: Json[] = [];
	for (const item of first.results) items.push(item);
	if (options.limit !== undefined) return items;
	if (options.concurrent) {
		const offsets: number[] = [];
		for (let offset = pageSize; offset < first.total; offset += pageSize) offsets.push(offset);
		for (const next of await Promise.all(offsets.map((offset) => page(offset))))
			for (const item of next.results) items.push(item);
		return items;
	}
	let offset = first.results.length;
	let last = first;
	while (offset < first.total && last.results.length === pageSize) {
		last = await page(offset);
		for (const item of last.results) items.push(item);
		offset += last.results.length;
	}
	return items;
}

interface DateWindow {
	start: string;
	end: string;
}

/**
 * More than paging reaches: the node's requests, the widest date range halved until each
 * window fits (each half asked for its total, one row), then every window paged. One
 * after another, or (concurrent) the halves of each round at once, then every page at once.
 */
async function convosoWindows(
	page: (
		offset: number,
		limit: number,
		window: DateWindow,
	) => Promise<{ results: Json[]; total: number }>,
	total: number,
	concurrent: boolean,
): Promise<Json[]> {
	const each = async <T, R>(list: T[], work: (entry: T) => Promise<R>): Promise<R[]> => {
		if (concurrent) return await Promise.all(list.map(work));
		const done: R[] = [];
		for (const entry of list) done.push(await work(entry));
		return done;
	};
	let windows: Array<DateWindow & { total: number }> = [
		{ start: '2000-01-01', end: '2099-12-31', total },
	];
	while (windows.some((window) => window.total > CONVOSO_REACHABLE)) {
		const next: typeof windows = [];
		for (const window of windows) {
			if (window.total <= CONVOSO_REACHABLE) {
				next.push(window);
				continue;
			}
			const start = DateTime.fromISO(window.start, { zone: 'utc' });
			const days = Math.round(
				DateTime.fromISO(window.end, { zone: 'utc' }).diff(start, 'days').days,
			);
			const middle = start.plus({ days: Math.floor(days / 2) });
			const halves = [
				{ start: window.start, end: middle.toISODate()! },
				{ start: middle.plus({ days: 1 }).toISODate()!, end: window.end },
			];
			const totals = await each(halves, async (half) => (await page(0, 1, half)).total);
			halves.forEach((half, index) => {
				if (totals[index] > 0) next.push({ ...half, total: totals[index] });
			});
		}
		windows = next;
	}
	const pages: Array<{ window: DateWindow; offset: number }> = [];
	for (const window of windows)
		for (let offset = 0; offset < window.total; offset += LARGEST_PAGE.convoso)
			pages.push({ window, offset });
	const read = await each(pages, ({ window, offset }) =>
		page(offset, LARGEST_PAGE.convoso, window),
	);
	const items: Json[] = [];
	for (const { results } of read) for (const item of results) items.push(item);
	return items;
}

export async function talkdeskListAll(baseUrls: BaseUrls, options: ListOptions): Promise<Json[]> {
	const perPage = Math.min(LARGEST_PAGE.talkdesk, options.limit ?? Infinity);
	const send = options.send ?? fetchText;
	const page = async (number: number) => {
		const response = await send(
			`${baseUrls.talkdesk}/schedule-callbacks?page=${number}&per_page=${perPage}`,
			{ headers: { authorization: `Bearer ${options.auth}` } },
		);
		const body = JSON.parse(response.text) as Json;
		const embedded = body._embedded as Json | Json[] | undefined;
		const callbacks = Array.isArray(embedded) ? embedded : ((embedded?.callbacks ?? []) as Json[]);
		return { callbacks, totalPages: Number(body.total_pages ?? body.total_page) };
	};
	const items: Json[] = [];
	const first = await page(1);
	for (const item of first.callbacks) items.push(item);
	if (options.limit !== undefined) return items;
	if (options.concurrent) {
		const numbers: number[] = [];
		for (let number = 2; number <= first.totalPages; number++) numbers.push(number);
		for (const next of await Promise.all(numbers.map(page)))
			for (const item of next.callbacks) items.push(item);
		return items;
	}
	for (let number = 2; number <= first.totalPages; number++) {
		for (const item of (await page(number)).callbacks) items.push(item);
	}
	return items;
}

/** Speko has no paging: at most 100 per request, one list per status, as the node asks. */
export async function spekoListAll(baseUrls: BaseUrls, options: ListOptions): Promise<Json[]> {
	const limit = Math.min(LARGEST_PAGE.speko, options.limit ?? Infinity);
	const send = options.send ?? fetchText;
	const list = async (status: string) => {
		const { text } = await send(`${baseUrls.speko}/v1/callbacks?status=${status}&limit=${limit}`, {
			headers: { authorization: `Bearer ${SECRETS.spekoKey}` },
		});
		return ((JSON.parse(text) as Json).callbacks ?? []) as Json[];
	};
	if (options.limit !== undefined) return await list(SPEKO_STATUSES[0]);
	const items: Json[] = [];
	if (options.concurrent) {
		for (const page of await Promise.all(SPEKO_STATUSES.map(list)))
			for (const item of page) items.push(item);
		return items;
	}
	for (const status of SPEKO_STATUSES) for (const item of await list(status)) items.push(item);
	return items;
}

/** Ameyo gives no total: pages one after another until a short page or the empty-list 500. */
export async function ameyoListAll(baseUrls: BaseUrls, options: ListOptions): Promise<Json[]> {
	const pageSize = Math.min(LARGEST_PAGE.ameyo, options.limit ?? Infinity);
	const send = options.send ?? fetchText;
	const items: Json[] = [];
	for (let offset = 0; ; offset += pageSize) {
		const { status, text } = await send(
			`${baseUrls.ameyo}/ameyorestapi/voice/customerCallbacks/getFiltered?offset=${offset}&campaignId=${AMEYO_CAMPAIGN}&limit=${pageSize}`,
			{ headers: { sessionId: options.auth ?? '' } },
		);
		if (status === 500 && text === '') return items;
		const page = JSON.parse(text) as Json[];
		for (const item of page) items.push(item);
		if (options.limit !== undefined || page.length < pageSize) return items;
	}
}

// --- creating one callback per input item (B3) ---

export interface CreateInput {
	leadId: number;
	comments: string;
	/** ISO 8601 with an offset. */
	callbackTime: string;
	phone: string;
}

export interface CreateOutcome {
	/** In input order: the created callback as read back (Convoso) or answered (Talkdesk). */
	created: Array<Json | undefined>;
	/** 429 answers met (and waited out, as Retry-After says). */
	rateLimited: number;
}

/** Convoso's `hh:mm AM/PM` local time and `±H.MM` offset of an instant, as its insert takes them. */
function convosoTime(iso: string): { callback_time: string; callback_time_zone: string } {
	const local = DateTime.fromISO(iso, { setZone: true }).setZone(CONVOSO_ZONE);
	const offset = local.offset;
	const sign = offset < 0 ? '-' : '+';
	const zone =
		offset === 0
			? '0.00'
			: `${sign}${Math.floor(Math.abs(offset) / 60)}.${String(Math.abs(offset) % 60).padStart(2, '0')}`;
	return { callback_time: local.toFormat('yyyy-MM-dd hh:mm a'), callback_time_zone: zone };
}

async function withRetryAfter(
	send: () => Promise<Response>,
	counter: { rateLimited: number },
): Promise<Response> {
	for (;;) {
		const response = await send();
		if (response.status !== 429) return response;
		counter.rateLimited += 1;
		await response.text();
		const seconds = Number(response.headers.get('retry-after') ?? '1');
		await new Promise((resolve) =>
			setTimeout(resolve, (Number.isFinite(seconds) ? seconds : 1) * 1000),
		);
	}
}

/** Runs `work` for every index, `concurrency` at a time; results in input order. */
async function pool<T>(
	count: number,
	concurrency: number,
	work: (index: number) => Promise<T>,
): Promise<T[]> {
	const results = new Array<T>(count);
	let next = 0;
	const lane = async () => {
		while (next < count) {
			const index = next++;
			results[index] = await work(index);
		}
	};
	await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, count)) }, lane));
	return results;
}

/** Convoso's create as the node does it: the insert, then the callback read back by id. */
export async function convosoCreateAll(
	baseUrls: BaseUrls,
	inputs: CreateInput[],
	concurrency: number,
): Promise<CreateOutcome> {
	const counter = { rateLimited: 0 };
	const post = (endpoint: string, fields: Record<string, string | number>) =>
		withRetryAfter(
			() =>
				fetch(`${baseUrls.convoso}${endpoint}`, {
					method: 'POST',
					headers: { 'content-type': 'application/x-www-form-urlencoded' },
					body: form({ ...fields, auth_token: SECRETS.convosoToken }),
				}),
			counter,
		);
	const created = await pool(inputs.length, concurrency, async (index) => {
		const input = inputs[index];
		const inserted = (await parsed(
			await post('/callbacks/insert', {
				lead_id: input.leadId,
				recipient: 'system',
				...convosoTime(input.callbackTime),
				comments: input.comments,
			}),
		)) as Json;
		const id = (inserted.data as Json | undefined)?.callback_id;
		if (id === undefined) return undefined;
		const found = (await parsed(
			await post('/callbacks/search', { id: String(id), offset: 0, limit: 1 }),
		)) as Json;
		return ((found.data as Json | undefined)?.results as Json[] | undefined)?.[0];
	});
	return { created, rateLimited: counter.rateLimited };
}

/** Talkdesk's create (Preview): one POST per callback. */
export async function talkdeskCreateAll(
	baseUrls: BaseUrls,
	inputs: CreateInput[],
	concurrency: number,
	token: string,
): Promise<CreateOutcome> {
	const counter = { rateLimited: 0 };
	const created = await pool(inputs.length, concurrency, async (index) => {
		const input = inputs[index];
		const response = await withRetryAfter(
			() =>
				fetch(`${baseUrls.talkdesk}/schedule-callbacks`, {
					method: 'POST',
					headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
					body: JSON.stringify({
						phone_number: input.phone,
						scheduled_time_to_call: new Date(Date.parse(input.callbackTime))
							.toISOString()
							.replace(/\.\d{3}Z$/, 'Z'),
						timezone: 'America/New_York',
						assign_type: 'ANY_ELIGIBLE_AGENT',
						caller_id: '+18005550100',
						dialing_model: 'PREVIEW',
						notes: input.comments,
					}),
				}),
			counter,
		);
		return (await parsed(response)) as Json;
	});
	return { created, rateLimited: counter.rateLimited };
}
