import type { IDataObject, ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';

import { stringOrNull, toE164 } from '../shared/callback';
import type { Runtime } from '../shared/runtime';
import { ProviderClient } from '../shared/transport';
import { getAccount } from './actions/common';
import { convosoLocalTimeToIso } from './time';
import { convosoCall, convosoSpec, unwrapPage } from './transport';

/** Entries per page of a picker: enough to scroll, small enough to load at once. */
const PAGE = 50;

/**
 * The Convoso node's pickers. Each is a Convoso search, paged by offset; the editor
 * passes the builder's search text as `filter`.
 */
export function convosoListSearch(runtime: Runtime) {
	const seen = (pick: (record: IDataObject) => { id: unknown; name: string | null }) =>
		async function (this: ILoadOptionsFunctions, filter?: string) {
			return await seenOnCallbacks(this, runtime, pick, filter);
		};
	return {
		searchCampaigns: seen((r) => ({ id: r.campaign_id, name: stringOrNull(r.campaign_name) })),
		// Convoso names the list of a callback's lead in `directory_name`.
		searchLists: seen((r) => ({ id: r.list_id, name: stringOrNull(r.directory_name) })),
		// Search answers carry the agent's id in `user` (some shapes in `user_id`).
		searchUsers: seen((r) => ({ id: r.user_id ?? r.user, name: stringOrNull(r.user_name) })),

		/** Leads by phone number (digits) or by last name ("first last" for both). */
		async searchLeads(
			this: ILoadOptionsFunctions,
			filter?: string,
			paginationToken?: string,
		): Promise<INodeListSearchResult> {
			const client = new ProviderClient(this, convosoSpec, runtime);
			const account = await getAccount(client);
			const offset = Number(paginationToken ?? 0);
			const { body } = await convosoCall(
				client,
				'/leads/search',
				{ ...leadFilter(filter), offset, limit: PAGE },
				{ idempotent: true },
			);
			const { results, total } = unwrapPage(body);
			return {
				results: results.map((lead) => {
					const name = [lead.first_name, lead.last_name]
						.map(stringOrNull)
						.filter(Boolean)
						.join(' ');
					const phone = toE164(lead.phone_number, account.countryCallingCode);
					return {
						name: `${name || 'Lead'} · ${phone ?? 'no phone'} (ID ${lead.id ?? lead.lead_id})`,
						value: String(lead.id ?? lead.lead_id),
					};
				}),
				paginationToken: nextToken(offset, results.length, total),
			};
		},

		/** Pending callbacks, soonest first as Convoso lists them; a number searches by ID. */
		async searchCallbacks(
			this: ILoadOptionsFunctions,
			filter?: string,
			paginationToken?: string,
		): Promise<INodeListSearchResult> {
			const client = new ProviderClient(this, convosoSpec, runtime);
			const account = await getAccount(client);
			const offset = Number(paginationToken ?? 0);
			const text = filter?.trim() ?? '';
			const query = /^\d+$/.test(text)
				? { id: text }
				: { stage: 'PENDING', ...(text !== '' && { comments: text }) };
			const { body, nothingMatched } = await convosoCall(
				client,
				'/callbacks/search',
				{ ...query, offset, limit: PAGE },
				{ idempotent: true },
			);
			if (nothingMatched) return { results: [] };
			const { results, total } = unwrapPage(body);
			return {
				results: results.map((callback) => {
					const at = convosoLocalTimeToIso(callback.callback_time, account.timezone);
					const who = stringOrNull(callback.user_name) ?? stringOrNull(callback.phone_number) ?? '';
					return {
						name: `#${callback.id} · ${at ?? 'no time'}${who ? ` · ${who}` : ''}`,
						value: String(callback.id),
					};
				}),
				paginationToken: nextToken(offset, results.length, total),
			};
		},
	};
}

/** How many callbacks the campaign, list and user pickers look at: one page, Convoso's largest. */
const SEEN_ON = 5_000;

/**
 * The distinct campaigns, lists or agents on the account's callbacks (one request),
 * matching the search text by name or ID, sorted by name.
 */
async function seenOnCallbacks(
	ctx: ILoadOptionsFunctions,
	runtime: Runtime,
	pick: (record: IDataObject) => { id: unknown; name: string | null },
	filter: string | undefined,
): Promise<INodeListSearchResult> {
	const client = new ProviderClient(ctx, convosoSpec, runtime);
	const { body, nothingMatched } = await convosoCall(
		client,
		'/callbacks/search',
		{ offset: 0, limit: SEEN_ON },
		{ idempotent: true },
	);
	if (nothingMatched) return { results: [] };
	const text = filter?.trim().toLowerCase() ?? '';
	const byId = new Map<string, string>();
	for (const record of unwrapPage(body).results) {
		const { id, name } = pick(record);
		const key = stringOrNull(id);
		if (key === null || byId.has(key)) continue;
		byId.set(key, name ?? '');
	}
	const results = [...byId]
		.filter(([id, name]) => text === '' || id === text || name.toLowerCase().includes(text))
		.map(([id, name]) => ({ name: name ? `${name} (ID ${id})` : `ID ${id}`, value: id }))
		.sort((a, b) => a.name.localeCompare(b.name));
	return { results };
}

function leadFilter(filter: string | undefined): Record<string, string> {
	const text = filter?.trim() ?? '';
	if (text === '') return {};
	const digits = text.replace(/[^\d]/g, '');
	// Convoso stores national numbers: a leading +1 is dropped, as in Lead → Search.
	if (/^[\d\s()+.-]+$/.test(text) && digits.length >= 3)
		return { phone_number: digits.replace(/^1(\d{10})$/, '$1') };
	const words = text.split(/\s+/);
	return words.length > 1
		? { first_name: words[0], last_name: words.slice(1).join(' ') }
		: { last_name: text };
}

function nextToken(offset: number, count: number, total: number | undefined): string | undefined {
	const next = offset + count;
	if (count < PAGE || (total !== undefined && next >= total)) return undefined;
	return String(next);
}
