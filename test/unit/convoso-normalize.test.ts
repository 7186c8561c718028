import type { IDataObject } from 'n8n-workflow';

import { ConvosoApi } from '../../credentials/ConvosoApi.credentials';
import { TOKEN_ERRORS } from '../../nodes/Convoso/errorCodes';
import { normalizeConvosoCallback } from '../../nodes/Convoso/normalize';

/** "Now" for tests about reading records: before every record, so nothing is past due yet. */
const LONG_AGO = Date.parse('2000-01-01T00:00:00Z');
import type { ConvosoAccount } from '../../nodes/Convoso/normalize';
import { convosoSpec, unwrapPage } from '../../nodes/Convoso/transport';
import type { ProviderResponse } from '../../nodes/shared/transport';

// The example records of the Convoso documents the project was created from
// (seeds 001 and 003), exactly as documented.
const SEED_001_RECORD: IDataObject = {
	id: '9999',
	lead_id: '9999',
	list_id: '123456',
	campaign_id: '123',
	status: 'DISMISSED',
	created_at: '2025-06-03 14:59:06',
	callback_time: '2025-06-03 15:00:00',
	modified_at: '2025-06-03 14:59:06',
	user: '12345677',
	recipient: 'USERONLY',
	comments: '',
	context: '104569',
	callback_seen: '2025-06-03 14:59:06',
	stage: 'Dismissed',
	class: 'past_due',
	user_name: 'Agent Name',
	directory_name: 'Directory Name',
	campaign_name: 'Your Camaign Description',
	campaign_type: 'Normal',
	status_name: '',
};
const SEED_001_BODY: IDataObject = {
	success: true,
	data: { offset: '0', limit: '20', total: '12250', results: [SEED_001_RECORD] },
};

const SEED_003_RECORDS: IDataObject[] = [
	{
		id: '657',
		lead_id: '12345',
		list_id: '333',
		campaign_id: '111',
		status: 'ACTIVE',
		created_at: '2026-03-03 10:00:00',
		callback_time: '2026-03-05 02:30 PM',
		modified_at: '2026-03-03 14:30:00',
		user: 'Jane Smith',
		recipient: 'system',
		comments: 'Customer requested callback',
		stage: 'PENDING',
		user_name: 'jane.smith@company.com',
		campaign_name: 'Sales Campaign',
	},
	{
		id: '658',
		lead_id: '12346',
		list_id: '333',
		campaign_id: '111',
		status: 'ACTIVE',
		created_at: '2026-03-02 11:00:00',
		callback_time: '2026-03-04 10:00 AM',
		modified_at: '2026-03-03 12:00:00',
		user: 'John Doe',
		recipient: 'personal',
		comments: 'Follow-up on previous call',
		stage: 'COMPLETED',
		user_name: 'john.doe@company.com',
		campaign_name: 'Sales Campaign',
	},
];
const SEED_003_BODY: IDataObject = { offset: 0, limit: 20, total: 150, results: SEED_003_RECORDS };

const newYork: ConvosoAccount = { timezone: 'America/New_York', countryCallingCode: '1' };
const kolkata: ConvosoAccount = { timezone: 'Asia/Kolkata', countryCallingCode: '91' };

describe('normalizeConvosoCallback', () => {
	it('normalizes the search record of seed 001 (summer time in New York: UTC-4)', () => {
		const callback = normalizeConvosoCallback(SEED_001_RECORD, newYork, LONG_AGO);
		expect(callback).toMatchObject({
			id: 9999,
			provider: 'convoso',
			// A dismissed callback stays cancelled even in the past-due class.
			status: 'cancelled',
			providerStatus: 'Dismissed',
			scheduledAt: '2025-06-03T19:00:00Z',
			createdAt: '2025-06-03T18:59:06Z',
			updatedAt: '2025-06-03T18:59:06Z',
			timezone: 'America/New_York',
			agentId: 12345677,
			campaignId: 123,
			leadId: 9999,
			contactId: null,
			notes: null,
			phone: null,
		});
		expect(callback.details).toMatchObject({
			recipient: 'USERONLY',
			stage: 'Dismissed',
			recordStatus: 'DISMISSED',
			class: 'past_due',
			listId: 123456,
			agentName: 'Agent Name',
			campaignName: 'Your Camaign Description',
			campaignType: 'Normal',
			directoryName: 'Directory Name',
			context: '104569',
			seenAt: '2025-06-03T18:59:06Z',
			localCallbackTime: '2025-06-03 15:00:00',
		});
		// Empty fields are left out of details.
		for (const value of Object.values(callback.details)) expect(value).not.toBeNull();
	});

	it('normalizes the records of seed 003 (AM/PM times; winter in New York: UTC-5)', () => {
		const [pending, completed] = SEED_003_RECORDS.map((record) =>
			normalizeConvosoCallback(record, newYork, LONG_AGO),
		);
		expect(pending).toMatchObject({
			id: 657,
			status: 'scheduled',
			providerStatus: 'PENDING',
			scheduledAt: '2026-03-05T19:30:00Z',
			createdAt: '2026-03-03T15:00:00Z',
			agentId: 'Jane Smith',
			leadId: 12345,
			campaignId: 111,
			notes: 'Customer requested callback',
		});
		expect(completed).toMatchObject({
			id: 658,
			status: 'completed',
			providerStatus: 'COMPLETED',
			scheduledAt: '2026-03-04T15:00:00Z',
		});
	});

	it('reads local times in the account zone (India: UTC+5:30, no DST)', () => {
		const callback = normalizeConvosoCallback(SEED_003_RECORDS[0], kolkata, LONG_AGO);
		expect(callback.scheduledAt).toBe('2026-03-05T09:00:00Z');
		expect(callback.createdAt).toBe('2026-03-03T04:30:00Z');
		expect(callback.timezone).toBe('Asia/Kolkata');
		const summer = normalizeConvosoCallback({ ...SEED_001_RECORD }, kolkata, LONG_AGO);
		expect(summer.scheduledAt).toBe('2025-06-03T09:30:00Z');
	});

	it('uses the offset of each date across the DST change in New York', () => {
		const at = (time: string) =>
			normalizeConvosoCallback(
				{ id: '1', stage: 'PENDING', callback_time: time },
				newYork,
				LONG_AGO,
			).scheduledAt;
		expect(at('2026-03-07 12:00:00')).toBe('2026-03-07T17:00:00Z');
		expect(at('2026-03-09 12:00:00')).toBe('2026-03-09T16:00:00Z');
		expect(at('2026-11-01 01:30:00')).toBe('2026-11-01T05:30:00Z');
	});

	it.each([
		['Pending', 'scheduled'],
		['PENDING', 'scheduled'],
		['New', 'scheduled'],
		['Past Due', 'past_due'],
		['PASTDUE', 'past_due'],
		['PAST_DUE', 'past_due'],
		['past-due', 'past_due'],
		['MISSED', 'past_due'],
		['Completed', 'completed'],
		['COMPLETED', 'completed'],
		['Dismissed', 'cancelled'],
		['DISMISSED', 'cancelled'],
	])('maps stage %j to %s, keeping the word', (stage, status) => {
		const callback = normalizeConvosoCallback(
			{ id: '1', stage, status: 'ACTIVE' },
			newYork,
			LONG_AGO,
		);
		expect(callback.status).toBe(status);
		expect(callback.providerStatus).toBe(stage);
	});

	it("maps unknown stages to 'unknown', keeping the provider's word", () => {
		const callback = normalizeConvosoCallback(
			{ id: '1', stage: 'Snoozed', status: 'ACTIVE' },
			newYork,
			LONG_AGO,
		);
		expect(callback.status).toBe('unknown');
		expect(callback.providerStatus).toBe('Snoozed');
	});

	it('shows a pending callback in the past-due class as past due', () => {
		for (const stage of ['Pending', 'New']) {
			expect(
				normalizeConvosoCallback({ id: '1', stage, class: 'past_due' }, newYork, LONG_AGO).status,
			).toBe('past_due');
			expect(
				normalizeConvosoCallback({ id: '1', stage, class: 'PAST_DUE' }, newYork, LONG_AGO).status,
			).toBe('past_due');
			expect(
				normalizeConvosoCallback({ id: '1', stage, class: 'upcoming' }, newYork, LONG_AGO).status,
			).toBe('scheduled');
		}
		expect(
			normalizeConvosoCallback(
				{ id: '1', stage: 'Completed', class: 'past_due' },
				newYork,
				LONG_AGO,
			).status,
		).toBe('completed');
	});

	it('falls back to the record status when there is no stage', () => {
		expect(
			normalizeConvosoCallback({ id: '1', status: 'ACTIVE' }, newYork, LONG_AGO),
		).toMatchObject({
			status: 'scheduled',
			providerStatus: 'ACTIVE',
		});
		expect(
			normalizeConvosoCallback({ id: '1', stage: '', status: 'LIVE' }, newYork, LONG_AGO),
		).toMatchObject({ status: 'scheduled', providerStatus: 'LIVE' });
		expect(
			normalizeConvosoCallback({ id: '1', status: 'DISMISSED' }, newYork, LONG_AGO).status,
		).toBe('cancelled');
		expect(normalizeConvosoCallback({ id: '1' }, newYork, LONG_AGO)).toMatchObject({
			status: 'unknown',
			providerStatus: null,
		});
	});

	it('writes the phone in E.164 with the account country code', () => {
		const phone = (phone_number: unknown, account = newYork) =>
			normalizeConvosoCallback({ id: '1', phone_number } as IDataObject, account, LONG_AGO).phone;
		expect(phone('5551234567')).toBe('+15551234567');
		expect(phone('15551234567')).toBe('+15551234567');
		expect(phone('(555) 123-4567')).toBe('+15551234567');
		expect(phone('+44 20 7946 0958')).toBe('+442079460958');
		expect(phone('09876543210', kolkata)).toBe('+919876543210');
		expect(phone('')).toBeNull();
	});

	it('prefers user_id over user for the agent, and keeps empty times as null', () => {
		const callback = normalizeConvosoCallback(
			{
				id: '1',
				user_id: '22222',
				user: 'Jane',
				callback_time: '0000-00-00 00:00:00',
				created_at: '',
			},
			newYork,
			LONG_AGO,
		);
		expect(callback.agentId).toBe(22222);
		expect(callback.scheduledAt).toBeNull();
		expect(callback.createdAt).toBeNull();
	});
});

describe('detectError of convosoSpec', () => {
	const response = (body: unknown, statusCode = 200): ProviderResponse => ({
		statusCode,
		headers: {},
		body,
		text: body === undefined ? '' : JSON.stringify(body),
	});
	const detect = (body: unknown, statusCode = 200) =>
		convosoSpec.detectError(response(body, statusCode));

	it('reads success:false with a numeric code, in words', () => {
		const info = detect({ success: false, code: 6074, error: 'Callback not found' });
		expect(info).toMatchObject({ httpCode: 200, code: 6074 });
		expect(info?.message).toContain('6074');
		expect(info?.message).toContain('Callback not found');
	});

	it('reads a code sent as a string as a number', () => {
		const info = detect({ success: false, code: '6071', text: 'Invalid callback time format' });
		expect(info?.code).toBe(6071);
		expect(info?.message).toContain('6071');
		expect(info?.message).toMatch(/hh:mm AM\/PM/);
	});

	it.each(['error', 'text', 'message'])("reads the provider's message from `%s`", (field) => {
		const info = detect({ success: false, code: 9123, [field]: 'Something odd happened' });
		expect(info?.code).toBe(9123);
		expect(info?.message).toContain('Something odd happened');
	});

	it("keeps the provider's own words next to a known code when they differ", () => {
		const info = detect({ success: false, code: 6006, error: 'User 77 is inactive' });
		expect(info?.message).toContain('No such user');
		expect(info?.description).toContain('User 77 is inactive');
	});

	it('reads a failure without code or message', () => {
		const info = detect({ success: false });
		expect(info?.code).toBeUndefined();
		expect(info?.message).toMatch(/^Convoso error/);
	});

	it.each([
		'Invalid authentication token',
		'Invalid (or expired) authentication token',
		'Invalid auth_token',
	])('recognizes token errors: %s', (error) => {
		const info = detect({ success: false, error });
		expect(info?.code).toBe('INVALID_TOKEN');
		expect(info?.description).toMatch(/API token/);
		expect(info?.description).toMatch(/Callbacks/);
	});

	it('says about a refused token what the credential test says', () => {
		const rules = new ConvosoApi().test.rules as Array<{
			properties: { key: string; value: string; message: string };
		}>;
		expect(rules.map((rule) => rule.properties.value)).toEqual([...TOKEN_ERRORS]);
		for (const rule of rules) {
			const info = detect({ success: false, [rule.properties.key]: rule.properties.value });
			expect(`${info?.message}. ${info?.description}`).toBe(rule.properties.message);
		}
	});

	it('reads HTTP 401 and 403', () => {
		expect(detect(undefined, 401)).toMatchObject({ httpCode: 401, code: 401 });
		expect(detect(undefined, 401)?.message).toMatch(/token/i);
		expect(detect('Unauthorized', 401)?.httpCode).toBe(401);
		expect(detect(undefined, 403)).toMatchObject({ httpCode: 403, code: 403 });
		expect(detect(undefined, 403)?.description).toMatch(/office|Callbacks/);
	});

	it('sees no error in successful answers', () => {
		expect(detect(SEED_001_BODY)).toBeUndefined();
		expect(detect(SEED_003_BODY)).toBeUndefined();
		expect(detect({ success: true, data: { callback_id: '657' } })).toBeUndefined();
		expect(detect({ success: true })).toBeUndefined();
		expect(detect([])).toBeUndefined();
		expect(detect('OK')).toBeUndefined();
		expect(detect({ success: 'false' })).toBeUndefined();
	});
});

describe('unwrapPage', () => {
	it('reads the wrapped shape of seed 001, with its string total', () => {
		const page = unwrapPage(SEED_001_BODY);
		expect(page.total).toBe(12250);
		expect(page.results).toEqual([SEED_001_RECORD]);
	});

	it('reads the bare shape of seed 003', () => {
		const page = unwrapPage(SEED_003_BODY);
		expect(page.total).toBe(150);
		expect(page.results).toBe(SEED_003_RECORDS);
		expect(
			unwrapPage({ offset: '0', limit: '20', total: '2', results: SEED_003_RECORDS }).total,
		).toBe(2);
	});

	it('gives no total when there is none or it is unreadable, and no results when absent', () => {
		expect(unwrapPage({ results: [] })).toEqual({ results: [], total: undefined });
		expect(unwrapPage({ success: true, data: { total: 'many', results: [{ id: '1' }] } })).toEqual({
			results: [{ id: '1' }],
			total: undefined,
		});
		expect(unwrapPage({ success: true, data: { total: '0' } })).toEqual({ results: [], total: 0 });
		expect(unwrapPage({ success: true })).toEqual({ results: [], total: undefined });
		expect(
			unwrapPage({ success: true, data: [] as unknown as IDataObject, results: [{ id: '2' }] })
				.results,
		).toEqual([{ id: '2' }]);
	});

	// A null or empty total is unknown, not zero: read as 0 it would end the paging
	// after the first page. Convoso/transport.ts is outside this task's reach: marked
	// as a known failure for the owner of that file.
	it('reads an empty or null total as unknown, not as 0', () => {
		expect(
			unwrapPage({ success: true, data: { total: '', results: [{ id: '1' }] } }).total,
		).toBeUndefined();
		expect(
			unwrapPage({ success: true, data: { total: null, results: [{ id: '1' }] } }).total,
		).toBeUndefined();
	});
});

describe('past due', () => {
	const newYorkAccount = { timezone: 'America/New_York', countryCallingCode: '1' };
	const record = { id: '1', stage: 'PENDING', callback_time: '2026-03-05 14:30:00' }; // 19:30Z

	it('is a pending callback whose time has passed, and not one whose time is still to come', () => {
		const at = (iso: string) =>
			normalizeConvosoCallback(record, newYorkAccount, Date.parse(iso)).status;
		expect(at('2026-03-05T19:29:59Z')).toBe('scheduled');
		expect(at('2026-03-05T19:30:00Z')).toBe('scheduled');
		expect(at('2026-03-05T19:30:01Z')).toBe('past_due');
	});

	it('never applies to a callback that is done', () => {
		for (const stage of ['COMPLETED', 'DISMISSED']) {
			const done = normalizeConvosoCallback({ ...record, stage }, newYorkAccount, Date.now());
			expect(done.status).not.toBe('past_due');
		}
	});
});
