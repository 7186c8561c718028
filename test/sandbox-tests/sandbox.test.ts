/**
 * Tests of the provider sandbox itself, over real HTTP: the Convoso module's
 * documented behaviour and quirks, fault injection and the control API.
 */
import { connect } from 'node:net';

import { startSandbox } from '../sandbox/server';
import type { Sandbox } from '../sandbox/server';
import { readAnswer } from './answer';
import type { Answer } from './answer';

const TOKEN = 'sandbox-convoso-token';
/** 2026-03-01 10:00:00 in New York (EST, UTC-5). */
const FIXED_NOW = Date.UTC(2026, 2, 1, 15, 0, 0);

/** Calls a Convoso route the normal way (POST form) or the old way (GET query). */
async function convoso(
	sandbox: Sandbox,
	route: string,
	params: Record<string, string> = {},
	options: { method?: 'GET' | 'POST'; token?: string | null } = {},
): Promise<Answer> {
	const token = options.token === undefined ? TOKEN : options.token;
	const form = new URLSearchParams(token === null ? params : { auth_token: token, ...params });
	const url = `${sandbox.baseUrls.convoso}${route}`;
	const response =
		options.method === 'GET'
			? await fetch(`${url}?${form.toString()}`)
			: await fetch(url, {
					method: 'POST',
					headers: { 'content-type': 'application/x-www-form-urlencoded' },
					body: form.toString(),
				});
	return readAnswer(response);
}

async function control(
	sandbox: Sandbox,
	method: string,
	path: string,
	body?: unknown,
): Promise<Answer> {
	const response = await fetch(`${sandbox.url}/_sandbox${path}`, {
		method,
		headers: body === undefined ? {} : { 'content-type': 'application/json' },
		body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
	});
	return readAnswer(response);
}

describe('Convoso sandbox', () => {
	let sandbox: Sandbox;
	const search = (params: Record<string, string> = {}) =>
		convoso(sandbox, '/callbacks/search', params);

	beforeAll(async () => {
		sandbox = await startSandbox({ seed: 42, now: () => FIXED_NOW });
	});
	afterAll(async () => {
		await sandbox.close();
	});
	afterEach(() => {
		sandbox.faults.clear();
		sandbox.clearRequests();
		sandbox.setNow(undefined);
	});

	describe('authentication', () => {
		it('answers HTTP 401 without a token', async () => {
			const answer = await convoso(sandbox, '/callbacks/search', {}, { token: null });
			expect(answer.status).toBe(401);
			expect(answer.body).toEqual({ success: false, error: 'Missing authentication token' });
		});

		it('answers HTTP 200 with success false for a wrong token', async () => {
			const answer = await convoso(sandbox, '/callbacks/search', {}, { token: 'nope' });
			expect(answer.status).toBe(200);
			expect(answer.body).toEqual({
				success: false,
				error: 'Invalid (or expired) authentication token',
			});
		});

		it('reads the token from the query string of a GET', async () => {
			const answer = await convoso(sandbox, '/callbacks/search', { limit: '1' }, { method: 'GET' });
			expect(answer.body.success).toBe(true);
		});

		it('ignores a JSON body, so a client sending JSON sees a missing token', async () => {
			const response = await fetch(`${sandbox.baseUrls.convoso}/callbacks/search`, {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: JSON.stringify({ auth_token: TOKEN }),
			});
			expect(response.status).toBe(401);
		});
	});

	describe('callbacks search', () => {
		it('answers the first page, wrapped, sorted by id, with every value a string', async () => {
			const answer = await search();
			expect(answer.status).toBe(200);
			expect(answer.headers.get('content-type')).toBe('application/json');
			const { success, data } = answer.body;
			expect(success).toBe(true);
			expect(data.offset).toBe('0');
			expect(data.limit).toBe('20');
			expect(data.total).toBe(String(sandbox.convoso.callbacks().length));
			expect(data.results.map((r: { id: string }) => r.id)).toEqual(
				sandbox.convoso
					.callbacks()
					.slice(0, 20)
					.map((c) => String(c.id)),
			);
			for (const result of data.results) {
				for (const value of Object.values(result)) expect(typeof value).toBe('string');
				expect(['SYSTEM', 'USERONLY']).toContain(result.recipient);
				expect(['Pending', 'Completed', 'Dismissed', 'Past Due']).toContain(result.stage);
				expect(result.callback_time).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
			}
		});

		it('answers the documented result fields', async () => {
			const { body } = await search({ id: '1' });
			expect(Object.keys(body.data.results[0]).sort()).toEqual(
				[
					'id',
					'lead_id',
					'list_id',
					'campaign_id',
					'status',
					'created_at',
					'callback_time',
					'modified_at',
					'user',
					'recipient',
					'comments',
					'context',
					'callback_seen',
					'stage',
					'class',
					'phone_number',
					'user_name',
					'directory_name',
					'campaign_name',
					'campaign_type',
					'status_name',
				].sort(),
			);
		});

		it('seeds callbacks for seeded leads, most of them pending', () => {
			const leads = new Map(sandbox.convoso.leads().map((lead) => [lead.id, lead]));
			const callbacks = sandbox.convoso.callbacks();
			expect(callbacks).toHaveLength(250);
			expect(leads.size).toBe(500);
			expect(Math.min(...leads.keys())).toBe(1001);
			for (const callback of callbacks) {
				const lead = leads.get(callback.lead_id);
				expect(lead).toBeDefined();
				expect(callback.list_id).toBe(lead?.list_id);
				expect(callback.phone_number).toBe(lead?.phone_number);
				expect(callback.callback_time >= '2026-01-01' && callback.callback_time < '2027').toBe(
					true,
				);
				expect(callback.created_at < callback.callback_time).toBe(true);
				expect(callback.modified_at < callback.callback_time).toBe(true);
				if (callback.recipient === 'personal') expect(callback.user_id).not.toBeNull();
			}
			const pending = callbacks.filter((c) => c.stage === 'PENDING').length;
			expect(pending).toBeGreaterThan(callbacks.length / 2);
			for (const lead of leads.values()) expect(lead.phone_number).toMatch(/^[2-9]\d{9}$/);
		});

		it('pages with offset and limit', async () => {
			const { body } = await search({ offset: '5', limit: '3' });
			expect(body.data).toMatchObject({ offset: '5', limit: '3' });
			expect(body.data.results.map((r: { id: string }) => r.id)).toEqual(
				sandbox.convoso
					.callbacks()
					.slice(5, 8)
					.map((c) => String(c.id)),
			);
		});

		it('accepts offset 50000 and limit 5000, and refuses more', async () => {
			// Offset 50000 is past the 250 callbacks: an empty page, answered as 6000.
			expect((await search({ offset: '50000' })).body.code).toBe(6000);
			expect((await search({ limit: '5000' })).body.data.results).toHaveLength(250);
			for (const offset of ['50001', '-1', 'abc', '1.5']) {
				expect((await search({ offset })).body).toEqual({
					success: false,
					code: 7231,
					error: 'Invalid offset value',
				});
			}
			for (const limit of ['5001', '0', 'ten']) {
				expect((await search({ limit })).body).toEqual({
					success: false,
					code: 7258,
					error: 'Invalid limit value',
				});
			}
		});

		it('answers 6000 "Missing callbacks" with HTTP 200 when nothing matches', async () => {
			const answer = await search({ id: '999999' });
			expect(answer.status).toBe(200);
			expect(answer.body).toEqual({ success: false, code: 6000, error: 'Missing callbacks' });
		});

		it('filters by id, lead, campaign, list, user and recipient', async () => {
			const [first] = sandbox.convoso.callbacks().filter((c) => c.recipient === 'personal');
			const expectAll = async (
				params: Record<string, string>,
				check: (c: Record<string, string>) => boolean,
			) => {
				const { body } = await search({ ...params, limit: '5000' });
				expect(body.success).toBe(true);
				expect(body.data.results.length).toBeGreaterThan(0);
				expect(body.data.results.every(check)).toBe(true);
			};
			await expectAll({ id: String(first.id) }, (c) => c.id === String(first.id));
			await expectAll(
				{ lead_id: String(first.lead_id) },
				(c) => c.lead_id === String(first.lead_id),
			);
			await expectAll(
				{ campaign_id: '112' },
				(c) => c.campaign_id === '112' && c.campaign_name === 'Renewals',
			);
			await expectAll({ list_id: '334' }, (c) => c.list_id === '334');
			await expectAll(
				{ user_id: '22222' },
				(c) => c.user === '22222' && c.user_name === 'John Doe',
			);
			await expectAll({ recipient: 'Personal' }, (c) => c.recipient === 'USERONLY');
			await expectAll({ recipient: 'SYSTEM' }, (c) => c.recipient === 'SYSTEM');
			await expectAll({ account_id: '77' }, () => true);
		});

		it('filters comments by a case-insensitive partial match', async () => {
			const { body } = await search({ comments: 'PRICING', limit: '5000' });
			const expected = sandbox.convoso
				.callbacks()
				.filter((c) => c.comments.toLowerCase().includes('pricing'));
			expect(body.data.total).toBe(String(expected.length));
		});

		it('filters on the date of callback_time, both ends inclusive', async () => {
			const { body } = await search({
				start_date: '2026-03-01',
				end_date: '2026-03-31',
				limit: '5000',
			});
			const expected = sandbox.convoso
				.callbacks()
				.filter(
					(c) =>
						c.callback_time.slice(0, 10) >= '2026-03-01' &&
						c.callback_time.slice(0, 10) <= '2026-03-31',
				);
			expect(body.data.total).toBe(String(expected.length));
			const day = expected[0].callback_time.slice(0, 10);
			const sameDay = await search({ start_date: day, end_date: day, limit: '5000' });
			expect(
				sameDay.body.data.results.every((c: { callback_time: string }) =>
					c.callback_time.startsWith(day),
				),
			).toBe(true);
		});

		it('accepts every documented stage, in any case', async () => {
			const pastDue = String(
				sandbox.convoso.callbacks().filter((c) => c.stage === 'PAST_DUE').length,
			);
			for (const stage of ['PAST_DUE', 'pastdue', 'Missed']) {
				expect((await search({ stage })).body.data.total).toBe(pastDue);
			}
			for (const stage of ['PENDING', 'completed', 'Dismissed']) {
				const { body } = await search({ stage, limit: '5000' });
				expect(
					body.data.results.every(
						(c: { stage: string }) => c.stage.toUpperCase() === stage.toUpperCase(),
					),
				).toBe(true);
			}
			expect((await search({ stage: 'LIVE' })).body).toEqual({
				success: false,
				error: 'Invalid callback stage',
			});
		});

		it('answers the documented error codes of invalid filters', async () => {
			const cases: Array<[Record<string, string>, number, string]> = [
				[{ start_date: '2026/03/01' }, 6031, 'Invalid date format'],
				[{ end_date: '2026-02-30' }, 6031, 'Invalid date format'],
				[{ campaign_id: 'abc' }, 6026, 'Invalid campaign ID'],
				[{ campaign_id: '999' }, 6026, 'Invalid campaign ID'],
				[{ list_id: '999' }, 6042, 'Invalid list ID'],
				[{ user_id: '1' }, 6006, 'Invalid user ID'],
			];
			for (const [params, code, error] of cases) {
				const answer = await search(params);
				expect(answer.status).toBe(200);
				expect(answer.body).toEqual({ success: false, code, error });
			}
		});

		it('takes the empty parameters of the GET example as absent', async () => {
			const empty = Object.fromEntries(
				[
					'start_date',
					'end_date',
					'campaign_id',
					'comments',
					'account_id',
					'id',
					'lead_id',
					'list_id',
					'recipient',
					'user_id',
					'stage',
				].map((name) => [name, '']),
			);
			const { body } = await convoso(
				sandbox,
				'/callbacks/search',
				{ ...empty, offset: '0', limit: '20' },
				{ method: 'GET' },
			);
			expect(body.data.total).toBe(String(sandbox.convoso.callbacks().length));
		});
	});

	describe('callbacks insert', () => {
		const insert = (params: Record<string, string>) =>
			convoso(sandbox, '/callbacks/insert', params);
		const valid = {
			lead_id: '1001',
			recipient: 'system',
			callback_time: '2026-03-05 02:30 PM',
			callback_time_zone: '-7.00',
		};

		it('creates a callback, converts the time to the account zone and keeps what was sent', async () => {
			const highest = Math.max(...sandbox.convoso.callbacks().map((c) => c.id));
			const answer = await insert({ ...valid, comments: 'Call me' });
			expect(answer.body).toEqual({ success: true, data: { callback_id: String(highest + 1) } });

			const stored = sandbox.convoso.getCallback(highest + 1);
			const lead = sandbox.convoso.leads()[0];
			expect(stored).toMatchObject({
				lead_id: 1001,
				list_id: lead.list_id,
				phone_number: lead.phone_number,
				recipient: 'system',
				comments: 'Call me',
				// 14:30 at UTC-7 is 21:30 UTC, 16:30 in New York (EST).
				callback_time: '2026-03-05 16:30:00',
				sent_callback_time: '2026-03-05 02:30 PM',
				sent_callback_time_zone: '-7.00',
				stage: 'PENDING',
				status: 'ACTIVE',
				created_at: '2026-03-01 10:00:00',
			});
			const found = await search({ id: String(highest + 1) });
			expect(found.body.data.results[0]).toMatchObject({
				callback_time: '2026-03-05 16:30:00',
				recipient: 'SYSTEM',
			});
		});

		it('reads the digits after the dot of the offset as minutes', async () => {
			const cases: Array<[string, string]> = [
				// 09:00 local on 2026-07-01; New York is at UTC-4 (EDT) then.
				['+5.30', '2026-06-30 23:30:00'],
				['+5.45', '2026-06-30 23:15:00'],
				['+12.45', '2026-06-30 16:15:00'],
				['-3.30', '2026-07-01 08:30:00'],
				['0.00', '2026-07-01 05:00:00'],
				['+05.30', '2026-06-30 23:30:00'],
			];
			for (const [zone, expected] of cases) {
				const { body } = await insert({
					...valid,
					callback_time: '2026-07-01 09:00 AM',
					callback_time_zone: zone,
				});
				expect(body.success).toBe(true);
				expect(sandbox.convoso.getCallback(body.data.callback_id)?.callback_time).toBe(expected);
			}
		});

		it('creates a personal callback for a user', async () => {
			const { body } = await insert({ ...valid, recipient: 'Personal', user_id: '22222' });
			const stored = sandbox.convoso.getCallback(body.data.callback_id);
			expect(stored).toMatchObject({ recipient: 'personal', user_id: 22222 });
			const found = await search({ id: body.data.callback_id });
			expect(found.body.data.results[0]).toMatchObject({
				recipient: 'USERONLY',
				user: '22222',
				user_name: 'John Doe',
			});
		});

		it('answers the documented errors and stores nothing', async () => {
			const before = sandbox.convoso.callbacks().length;
			const cases: Array<[Record<string, string>, number | undefined, string]> = [
				[{ ...valid, lead_id: '' }, 6023, 'Required fields are missed'],
				[{ ...valid, recipient: '' }, 6023, 'Required fields are missed'],
				[{ ...valid, callback_time: '' }, 6023, 'Required fields are missed'],
				[{ ...valid, callback_time_zone: '' }, 6023, 'Required fields are missed'],
				[{ ...valid, lead_id: 'abc' }, 6070, 'Invalid lead ID'],
				[{ ...valid, lead_id: '5' }, 6001, 'No such Lead'],
				[{ ...valid, recipient: 'personal' }, 6023, 'Required fields are missed'],
				[{ ...valid, user_id: '4' }, 6006, 'Invalid user ID'],
				[{ ...valid, recipient: 'team' }, undefined, 'Invalid recipient'],
				[{ ...valid, callback_time: '2026-03-05 14:30' }, 6071, 'Invalid callback time format'],
				[{ ...valid, callback_time: '2026-03-05 14:30:00' }, 6071, 'Invalid callback time format'],
				[{ ...valid, callback_time: '2026-03-05 2:30 PM' }, 6071, 'Invalid callback time format'],
				[{ ...valid, callback_time: '2026-03-05 13:30 PM' }, 6071, 'Invalid callback time format'],
				[{ ...valid, callback_time: '2026-02-30 02:30 PM' }, 6071, 'Invalid callback time format'],
				[{ ...valid, callback_time_zone: '-7' }, 6072, 'Invalid timezone offset'],
				[{ ...valid, callback_time_zone: '+5.5' }, 6072, 'Invalid timezone offset'],
				[{ ...valid, callback_time_zone: '+5.60' }, 6072, 'Invalid timezone offset'],
				[{ ...valid, callback_time_zone: '5.30' }, 6072, 'Invalid timezone offset'],
				[{ ...valid, callback_time_zone: 'America/New_York' }, 6072, 'Invalid timezone offset'],
			];
			for (const [params, code, error] of cases) {
				const answer = await insert(params);
				expect(answer.status).toBe(200);
				expect(answer.body).toEqual(
					code === undefined ? { success: false, error } : { success: false, code, error },
				);
			}
			expect(sandbox.convoso.callbacks()).toHaveLength(before);
		});
	});

	describe('callbacks update and delete', () => {
		const update = (params: Record<string, string>) =>
			convoso(sandbox, '/callbacks/update', params);
		const remove = (params: Record<string, string>) =>
			convoso(sandbox, '/callbacks/delete', params);

		it('reschedules, reassigns and comments, and stamps modified_at with the sandbox clock', async () => {
			const callback = sandbox.convoso.addCallback({ stage: 'PAST_DUE', comments: 'old' });
			sandbox.setNow(Date.UTC(2026, 5, 1, 12, 0, 0));
			const answer = await update({
				callback_id: String(callback.id),
				callback_time: '2026-03-06 03:00 PM',
				callback_time_zone: '-5.00',
				user_id: '33333',
				recipient: 'personal',
				comments: 'new',
			});
			expect(answer.body).toEqual({ success: true, data: { callback_id: String(callback.id) } });
			expect(sandbox.convoso.getCallback(callback.id)).toMatchObject({
				callback_time: '2026-03-06 15:00:00',
				sent_callback_time: '2026-03-06 03:00 PM',
				sent_callback_time_zone: '-5.00',
				user_id: 33333,
				recipient: 'personal',
				comments: 'new',
				stage: 'PENDING',
				modified_at: '2026-06-01 08:00:00',
			});
		});

		it('dismisses with callback_status or status, in any case', async () => {
			const dismissals: Array<Record<string, string>> = [
				{ callback_status: 'dismissed' },
				{ status: 'Dismissed' },
			];
			for (const params of dismissals) {
				const callback = sandbox.convoso.addCallback();
				expect((await update({ callback_id: String(callback.id), ...params })).body.success).toBe(
					true,
				);
				expect(sandbox.convoso.getCallback(callback.id)).toMatchObject({
					stage: 'DISMISSED',
					status: 'DISMISSED',
				});
				const found = await search({ id: String(callback.id) });
				expect(found.body.data.results[0]).toMatchObject({
					stage: 'Dismissed',
					status: 'DISMISSED',
				});
			}
		});

		it('answers the documented errors and changes nothing', async () => {
			const callback = sandbox.convoso.addCallback({ comments: 'keep' });
			const id = String(callback.id);
			const cases: Array<[Record<string, string>, number | undefined, string]> = [
				[{}, 6023, 'Required fields are missed'],
				[{ callback_id: 'x1' }, 6073, 'Invalid callback ID'],
				[{ callback_id: '999999' }, 6074, 'Callback not found'],
				[{ callback_id: id, user_id: '7', comments: 'changed' }, 6006, 'Invalid user ID'],
				[
					{ callback_id: id, callback_time: '2026-03-06 03:00 PM', comments: 'changed' },
					6072,
					'Invalid timezone offset',
				],
				[
					{ callback_id: id, callback_time: '2026-03-06 15:00', callback_time_zone: '-5.00' },
					6071,
					'Invalid callback time format',
				],
				[{ callback_id: id, recipient: 'personal' }, 6023, 'Required fields are missed'],
				[{ callback_id: id, callback_status: 'completed' }, undefined, 'Invalid callback status'],
			];
			for (const [params, code, error] of cases) {
				const { body } = await update(params);
				expect(body).toEqual(
					code === undefined ? { success: false, error } : { success: false, code, error },
				);
			}
			expect(sandbox.convoso.getCallback(callback.id)).toEqual(callback);
		});

		it('deletes a callback', async () => {
			const callback = sandbox.convoso.addCallback();
			expect((await remove({ callback_id: String(callback.id) })).body).toEqual({ success: true });
			expect(sandbox.convoso.getCallback(callback.id)).toBeUndefined();
			expect((await search({ id: String(callback.id) })).body.code).toBe(6000);
			expect((await remove({ callback_id: String(callback.id) })).body).toEqual({
				success: false,
				code: 6074,
				error: 'Callback not found',
			});
			expect((await remove({ callback_id: 'abc' })).body).toEqual({
				success: false,
				code: 6073,
				error: 'Invalid callback ID',
			});
			expect((await remove({})).body).toEqual({
				success: false,
				code: 6023,
				error: 'Required fields are missed',
			});
		});

		it('gives new callbacks ids after the highest, even after a delete', async () => {
			const last = sandbox.convoso.addCallback();
			await remove({ callback_id: String(last.id) });
			const { body } = await convoso(sandbox, '/callbacks/insert', {
				lead_id: '1002',
				recipient: 'system',
				callback_time: '2026-04-01 10:00 AM',
				callback_time_zone: '-4.00',
			});
			expect(body.data.callback_id).toBe(String(last.id + 1));
		});
	});

	describe('leads search', () => {
		const searchLeads = (params: Record<string, string>) =>
			convoso(sandbox, '/leads/search', params);

		it('finds a lead by phone number, whatever its formatting', async () => {
			const lead = sandbox.convoso.leads()[3];
			const digits = lead.phone_number;
			const formatted = `(${digits.slice(0, 3)}) ${digits.slice(3, 6)}-${digits.slice(6)}`;
			for (const phone of [digits, formatted, `+1 ${formatted}`, `1${digits}`]) {
				const { body } = await searchLeads({ phone_number: phone });
				expect(body.success).toBe(true);
				expect(body.data.results.map((r: { id: string }) => r.id)).toContain(String(lead.id));
				for (const value of Object.values(body.data.results[0])) {
					expect(typeof value).toBe('string');
				}
			}
		});

		it('pages with a default limit of 10, at most 2000', async () => {
			const { body } = await searchLeads({});
			expect(body.data).toMatchObject({ offset: '0', limit: '10', total: '500' });
			expect(body.data.results).toHaveLength(10);
			expect((await searchLeads({ limit: '2000' })).body.data.results).toHaveLength(500);
			expect((await searchLeads({ limit: '2001' })).body).toEqual({
				success: false,
				code: 7258,
				error: 'Invalid limit value',
			});
		});

		it('answers success with no results when nothing matches', async () => {
			const { body } = await searchLeads({ phone_number: '0000000000' });
			expect(body).toEqual({
				success: true,
				data: { offset: '0', limit: '10', total: '0', results: [] },
			});
		});

		it('filters by list, name and creation date', async () => {
			const { body } = await searchLeads({
				list_id: '333',
				created_at_start_date: '2025-06-01',
				created_at_end_date: '2025-06-30',
				limit: '2000',
			});
			const expected = sandbox.convoso
				.leads()
				.filter(
					(l) =>
						l.list_id === 333 &&
						l.created_at.slice(0, 10) >= '2025-06-01' &&
						l.created_at.slice(0, 10) <= '2025-06-30',
				);
			expect(body.data.total).toBe(String(expected.length));
			const lead = sandbox.convoso.leads()[0];
			const byName = await searchLeads({
				first_name: lead.first_name.toUpperCase(),
				last_name: lead.last_name,
				limit: '2000',
			});
			expect(byName.body.data.results.map((r: { id: string }) => r.id)).toContain(String(lead.id));
			expect((await searchLeads({ created_at_start_date: 'June' })).body.code).toBe(6031);
		});
	});

	it('answers an unknown route with an HTML 404 page', async () => {
		for (const path of ['/convoso/v1/callbacks/nope', '/convoso/v2/callbacks/search', '/nowhere']) {
			const answer = await readAnswer(await fetch(`${sandbox.url}${path}`));
			expect(answer.status).toBe(404);
			expect(answer.headers.get('content-type')).toBe('text/html');
			expect(answer.text).toContain('<title>404 Not Found</title>');
		}
	});

	describe('faults', () => {
		const searchRoute = '/v1/callbacks/search';

		it('answers an HTTP status with a small JSON body, 503 by default', async () => {
			sandbox.faults.add({ provider: 'convoso', type: 'status' });
			const answer = await search();
			expect(answer.status).toBe(503);
			expect(answer.body).toEqual({ error: expect.any(String) });
			expect((await search()).status).toBe(200);
		});

		it('answers a chosen status and body', async () => {
			sandbox.faults.add({ provider: 'convoso', type: 'status', status: 500, body: { oops: 1 } });
			const answer = await search();
			expect(answer.status).toBe(500);
			expect(answer.body).toEqual({ oops: 1 });
		});

		it('rate-limits with Retry-After', async () => {
			sandbox.faults.add({ provider: 'convoso', type: 'rate-limit', retryAfter: 7 });
			const answer = await search();
			expect(answer.status).toBe(429);
			expect(answer.headers.get('retry-after')).toBe('7');
			expect(answer.body).toEqual({ error: expect.any(String) });
		});

		it('answers an HTML error page', async () => {
			sandbox.faults.add({ provider: 'convoso', type: 'html' });
			const answer = await search();
			expect(answer.status).toBe(502);
			expect(answer.headers.get('content-type')).toBe('text/html');
			expect(answer.text).toMatch(/<title>502 Bad Gateway<\/title>/);
		});

		it('answers truncated JSON with status 200', async () => {
			sandbox.faults.add({ provider: 'convoso', type: 'malformed' });
			const answer = await search();
			expect(answer.status).toBe(200);
			expect(answer.headers.get('content-type')).toBe('application/json');
			expect(answer.text).toBe('{"success": tru');
			expect(answer.body).toBeUndefined();
		});

		it('drops the connection without an answer', async () => {
			sandbox.faults.add({ provider: 'convoso', type: 'drop' });
			await expect(search()).rejects.toThrow();
			expect((await search()).status).toBe(200);
		});

		it('delays the answer', async () => {
			sandbox.faults.add({ provider: 'convoso', type: 'delay', delayMs: 300 });
			const started = Date.now();
			const answer = await search();
			expect(Date.now() - started).toBeGreaterThanOrEqual(250);
			expect(answer.body.success).toBe(true);
		});

		it('hits the next N matching requests, in the order added, by route and method', async () => {
			sandbox.faults.add([
				{ provider: 'convoso', route: '/v1/leads/search', type: 'status', status: 500, count: 2 },
				{ provider: 'convoso', route: searchRoute, method: 'get', type: 'status', status: 502 },
				{ provider: 'convoso', route: searchRoute, type: 'status', status: 504 },
			]);
			expect((await search()).status).toBe(504); // POST: the GET-only fault waits
			expect((await convoso(sandbox, '/callbacks/search', {}, { method: 'GET' })).status).toBe(502);
			expect((await search()).status).toBe(200);
			expect(sandbox.faults.pending()).toEqual([
				expect.objectContaining({ route: '/v1/leads/search', count: 2 }),
			]);
			expect((await convoso(sandbox, '/leads/search', {})).status).toBe(500);
			expect((await convoso(sandbox, '/leads/search', {})).status).toBe(500);
			expect((await convoso(sandbox, '/leads/search', {})).status).toBe(200);
			expect(sandbox.faults.pending()).toEqual([]);
		});

		it('after processing, drops the answer of an insert that took effect', async () => {
			const before = sandbox.convoso.callbacks().length;
			sandbox.faults.add({
				provider: 'convoso',
				route: '/v1/callbacks/insert',
				type: 'drop',
				afterProcessing: true,
			});
			const insert = convoso(sandbox, '/callbacks/insert', {
				lead_id: '1003',
				recipient: 'system',
				callback_time: '2026-05-01 09:30 AM',
				callback_time_zone: '-4.00',
				comments: 'lost answer',
			});
			await expect(insert).rejects.toThrow();
			const callbacks = sandbox.convoso.callbacks();
			expect(callbacks).toHaveLength(before + 1);
			expect(callbacks[callbacks.length - 1]).toMatchObject({
				lead_id: 1003,
				comments: 'lost answer',
			});
		});

		it('after processing, replaces the answer of an update that took effect', async () => {
			const callback = sandbox.convoso.addCallback();
			sandbox.faults.add({
				provider: 'convoso',
				type: 'status',
				status: 500,
				afterProcessing: true,
			});
			const answer = await convoso(sandbox, '/callbacks/update', {
				callback_id: String(callback.id),
				comments: 'applied',
			});
			expect(answer.status).toBe(500);
			expect(sandbox.convoso.getCallback(callback.id)?.comments).toBe('applied');
		});

		it('refuses an invalid fault', () => {
			expect(() => sandbox.faults.add({ provider: 'convoso', type: 'explode' } as never)).toThrow(
				/type/,
			);
			expect(() => sandbox.faults.add({ provider: 'convoso', type: 'status', count: 0 })).toThrow(
				/count/,
			);
		});
	});

	describe('control API', () => {
		it('reports health', async () => {
			const { status, body } = await control(sandbox, 'GET', '/health');
			expect(status).toBe(200);
			expect(body).toMatchObject({
				ok: true,
				providers: ['convoso', 'speko', 'talkdesk', 'ameyo'],
			});
		});

		it('records provider requests and serves them by provider', async () => {
			await search({ stage: 'PENDING' });
			await convoso(sandbox, '/callbacks/search', { limit: '1' }, { method: 'GET' });
			await control(sandbox, 'GET', '/health'); // control calls are not recorded

			expect(sandbox.requests).toHaveLength(2);
			const [post, get] = sandbox.requests;
			expect(post).toMatchObject({
				provider: 'convoso',
				method: 'POST',
				path: '/convoso/v1/callbacks/search',
				route: '/v1/callbacks/search',
				form: { auth_token: TOKEN, stage: 'PENDING' },
				at: FIXED_NOW,
			});
			expect(post.headers['content-type']).toBe('application/x-www-form-urlencoded');
			expect(get).toMatchObject({
				method: 'GET',
				route: '/v1/callbacks/search',
				query: { auth_token: TOKEN, limit: '1' },
			});
			expect(get.path).toBe(`/convoso/v1/callbacks/search?auth_token=${TOKEN}&limit=1`);

			const served = await control(sandbox, 'GET', '/requests?provider=convoso');
			expect(served.body.requests).toHaveLength(2);
			expect(served.body.requests[0].form.stage).toBe('PENDING');
			expect((await control(sandbox, 'GET', '/requests?provider=speko')).body.requests).toEqual([]);

			expect((await control(sandbox, 'DELETE', '/requests')).status).toBe(200);
			expect(sandbox.requests).toHaveLength(0);
		});

		it('adds, lists and clears faults', async () => {
			const added = await control(sandbox, 'POST', '/faults', {
				provider: 'convoso',
				type: 'status',
				status: 500,
			});
			expect(added.status).toBe(200);
			expect((await search()).status).toBe(500);

			await control(sandbox, 'POST', '/faults', [
				{ provider: 'convoso', type: 'rate-limit' },
				{ provider: 'convoso', type: 'html', count: 3 },
			]);
			expect((await control(sandbox, 'GET', '/faults')).body.faults).toHaveLength(2);
			expect((await control(sandbox, 'DELETE', '/faults')).status).toBe(200);
			expect(sandbox.faults.pending()).toEqual([]);
			expect((await search()).status).toBe(200);
		});

		it('answers 400 to a bad fault or malformed JSON, and keeps serving', async () => {
			expect(
				(await control(sandbox, 'POST', '/faults', { provider: 'convoso', type: 'nope' })).status,
			).toBe(400);
			expect(
				(
					await control(sandbox, 'POST', '/faults', [
						{ provider: 'convoso', type: 'drop' },
						{ type: 'drop' },
					])
				).status,
			).toBe(400);
			expect(sandbox.faults.pending()).toEqual([]); // a bad batch adds nothing
			expect((await control(sandbox, 'POST', '/faults', '{"provider": "convoso",')).status).toBe(
				400,
			);
			const malformed = await fetch(`${sandbox.baseUrls.convoso}/callbacks/search`, {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: '{"auth_token": ',
			});
			expect(malformed.status).toBe(401);
			expect((await control(sandbox, 'GET', '/health')).status).toBe(200);
		});

		it('survives an oversized body and garbage on the wire', async () => {
			const oversized = await fetch(`${sandbox.baseUrls.convoso}/callbacks/search`, {
				method: 'POST',
				headers: { 'content-type': 'application/x-www-form-urlencoded' },
				body: 'x'.repeat(6 * 1024 * 1024),
			});
			expect(oversized.status).toBe(413);
			await new Promise<void>((resolve) => {
				const socket = connect(sandbox.port, '127.0.0.1', () => socket.end('NOT HTTP\r\n\r\n'));
				socket.on('close', () => resolve());
				socket.on('error', () => resolve());
				socket.resume();
			});
			expect((await control(sandbox, 'GET', '/health')).status).toBe(200);
		});

		it('serves the Convoso state', async () => {
			const { body } = await control(sandbox, 'GET', '/state/convoso');
			expect(body).toMatchObject({
				provider: 'convoso',
				leadsCount: 500,
				callbacksCount: sandbox.convoso.callbacks().length,
			});
			expect(body.callbacks).toEqual(sandbox.convoso.callbacks());
			expect((await control(sandbox, 'GET', '/state/nobody')).status).toBe(404);
		});

		it('freezes and releases the clock', async () => {
			const frozen = Date.UTC(2026, 0, 15, 17, 0, 0);
			expect((await control(sandbox, 'POST', '/clock', { now: frozen })).body.now).toBe(frozen);
			const callback = sandbox.convoso.addCallback();
			await convoso(sandbox, '/callbacks/update', {
				callback_id: String(callback.id),
				comments: 'x',
			});
			expect(sandbox.convoso.getCallback(callback.id)?.modified_at).toBe('2026-01-15 12:00:00');

			expect((await control(sandbox, 'POST', '/clock', { now: null })).body.now).toBe(FIXED_NOW);
			expect((await control(sandbox, 'POST', '/clock', { now: 'soon' })).status).toBe(400);
		});

		it('answers 404 to an unknown control route', async () => {
			expect((await control(sandbox, 'GET', '/nothing')).status).toBe(404);
		});
	});
});

describe('sandbox setup', () => {
	it('listens on loopback only', async () => {
		await expect(startSandbox({ host: '0.0.0.0' })).rejects.toThrow(/loopback/);
	});

	it('generates the same data for the same seed, other data for another', async () => {
		const [a, b, c] = await Promise.all([
			startSandbox({ seed: 7, convoso: { callbacks: 50, leads: 20 } }),
			startSandbox({ seed: 7, convoso: { callbacks: 50, leads: 20 } }),
			startSandbox({ seed: 8, convoso: { callbacks: 50, leads: 20 } }),
		]);
		try {
			expect(a.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
			expect(a.convoso.callbacks()).toEqual(b.convoso.callbacks());
			expect(a.convoso.leads()).toEqual(b.convoso.leads());
			expect(a.convoso.callbacks()).not.toEqual(c.convoso.callbacks());
		} finally {
			await Promise.all([a.close(), b.close(), c.close()]);
		}
	});

	it('answers the bare page shape when asked to', async () => {
		const sandbox = await startSandbox({ convoso: { responseShape: 'bare', token: 'other' } });
		try {
			const { body } = await convoso(
				sandbox,
				'/callbacks/search',
				{ limit: '2' },
				{ token: 'other' },
			);
			expect(body).toEqual({ offset: '0', limit: '2', total: '250', results: expect.any(Array) });
			expect(body.results).toHaveLength(2);
			// Errors keep their success:false envelope.
			expect(
				(await convoso(sandbox, '/callbacks/search', { id: '0' }, { token: 'other' })).body.code,
			).toBe(6000);
		} finally {
			await sandbox.close();
		}
	});

	it('closes while a client keeps its connection alive and a delayed answer is pending', async () => {
		const sandbox = await startSandbox();
		await convoso(sandbox, '/callbacks/search', {}, { token: 'sandbox-convoso-token' });
		sandbox.faults.add({ provider: 'convoso', type: 'delay', delayMs: 60_000 });
		const pending = convoso(sandbox, '/callbacks/search').then(
			() => 'answered',
			() => 'connection closed',
		);
		// The delayed request has arrived once the sandbox has recorded it.
		while (sandbox.requests.length < 2) await new Promise((resolve) => setImmediate(resolve));
		// close() must not wait for the 60 s delay: the project timeout would fail the test.
		await sandbox.close();
		expect(await pending).toBe('connection closed');
	});

	it('seeds 100,000 callbacks and pages them', async () => {
		const sandbox = await startSandbox({ convoso: { callbacks: 100_000 } });
		try {
			expect(sandbox.convoso.callbacks()).toHaveLength(100_000);
			const { body } = await convoso(sandbox, '/callbacks/search', {
				offset: '49000',
				limit: '5000',
				stage: 'PENDING',
			});
			expect(body.data.results).toHaveLength(5000);
			expect(Number(body.data.total)).toBeGreaterThan(60_000);
		} finally {
			await sandbox.close();
		}
	});
});
