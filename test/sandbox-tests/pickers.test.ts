/**
 * The pickers a builder uses instead of pasting ids: the lists behind the resource
 * locators (run in n8n-core's LoadOptionsContext against the sandbox), locator values
 * reaching the provider, and the time-zone lists.
 */
import { IANAZone } from 'luxon';
import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import { ConvosoApi } from '../../credentials/ConvosoApi.credentials';
import { SpekoApi } from '../../credentials/SpekoApi.credentials';
import { TalkdeskApi } from '../../credentials/TalkdeskApi.credentials';
import { AmeyoApi } from '../../credentials/AmeyoApi.credentials';
import { Ameyo } from '../../nodes/Ameyo/Ameyo.node';
import { AMEYO_SUPERVISOR } from '../sandbox/ameyo';
import { Convoso } from '../../nodes/Convoso/Convoso.node';
import { IANA_TIME_ZONES } from '../../nodes/shared/zones.data';
import { Speko } from '../../nodes/Speko/Speko.node';
import { Talkdesk } from '../../nodes/Talkdesk/Talkdesk.node';
import { runListSearch, runNode } from '../helpers/run-node';
import { VirtualRuntime } from '../helpers/runtime';
import { startSandbox } from '../sandbox/server';
import type { Sandbox } from '../sandbox/server';
import { TALKDESK_CLIENT } from '../sandbox/talkdesk';

let sandbox: Sandbox;

beforeAll(async () => {
	sandbox = await startSandbox({
		convoso: { callbacks: 120, leads: 120 },
		speko: { callbacks: 30 },
		talkdesk: { callbacks: 60 },
		ameyo: { callbacks: 40 },
	});
});
afterAll(async () => await sandbox.close());
beforeEach(() => sandbox.clearRequests());

const convosoCredentials = () => ({
	apiToken: 'sandbox-convoso-token',
	baseUrl: sandbox.baseUrls.convoso,
	accountTimezone: 'America/New_York',
	countryCallingCode: '1',
});
const convosoList = (method: string, filter?: string, paginationToken?: string) =>
	runListSearch({
		nodeType: new Convoso(new VirtualRuntime()),
		credentialType: new ConvosoApi(),
		credentials: convosoCredentials(),
		parameters: {},
		method,
		filter,
		paginationToken,
	});
const requests = (provider: string) => sandbox.requests.filter((r) => r.provider === provider);

describe('Convoso pickers', () => {
	it('lists leads 50 at a time, named by name, E.164 phone and ID, with a token for the next page', async () => {
		const first = await convosoList('searchLeads');
		expect(first.results).toHaveLength(50);
		expect(first.paginationToken).toBe('50');
		const lead = sandbox.convoso.leads()[0];
		expect(first.results[0]).toEqual({
			name: `${lead.first_name} ${lead.last_name} · +1${lead.phone_number} (ID ${lead.id})`,
			value: String(lead.id),
		});
		const last = await convosoList('searchLeads', undefined, '100');
		expect(last.results).toHaveLength(20);
		expect(last.paginationToken).toBeUndefined();
		expect(requests('convoso').map((r) => [r.route, r.form?.offset, r.form?.limit])).toEqual([
			['/v1/leads/search', '0', '50'],
			['/v1/leads/search', '100', '50'],
		]);
	});

	it('finds a lead by its phone number, typed in any format, and by name', async () => {
		const lead = sandbox.convoso.leads()[7];
		const typed = `+1 (${lead.phone_number.slice(0, 3)}) ${lead.phone_number.slice(3, 6)}-${lead.phone_number.slice(6)}`;
		const byPhone = await convosoList('searchLeads', typed);
		expect(byPhone.results.map((r) => r.value)).toEqual([String(lead.id)]);
		expect(requests('convoso')[0].form).toMatchObject({ phone_number: lead.phone_number });

		const byName = await convosoList('searchLeads', `${lead.first_name} ${lead.last_name}`);
		expect(byName.results.map((r) => r.value)).toContain(String(lead.id));
		expect(requests('convoso')[1].form).toMatchObject({
			first_name: lead.first_name,
			last_name: lead.last_name,
		});
	});

	it('lists pending callbacks, and finds one by ID when a number is typed', async () => {
		const pending = await convosoList('searchCallbacks');
		expect(requests('convoso')[0].form).toMatchObject({
			stage: 'PENDING',
			offset: '0',
			limit: '50',
		});
		expect(pending.results.length).toBeGreaterThan(0);
		for (const entry of pending.results) {
			const callback = sandbox.convoso.getCallback(Number(entry.value))!;
			expect(['PENDING', 'PAST_DUE']).toContain(callback.stage);
			expect(entry.name).toMatch(new RegExp(`^#${callback.id} · \\d{4}-\\d{2}-\\d{2}T`));
		}
		const target = sandbox.convoso.callbacks()[3];
		const byId = await convosoList('searchCallbacks', ` ${target.id} `);
		expect(byId.results.map((r) => r.value)).toEqual([String(target.id)]);
		expect(requests('convoso')[1].form).toMatchObject({ id: String(target.id) });
		expect(requests('convoso')[1].form).not.toHaveProperty('stage');
	});

	it('a lead picked from the list is the lead the callback is created for', async () => {
		const lead = sandbox.convoso.leads()[2];
		const result = await runNode({
			nodeType: new Convoso(new VirtualRuntime()),
			credentialType: new ConvosoApi(),
			credentials: convosoCredentials(),
			parameters: {
				resource: 'callback',
				operation: 'create',
				callingHours: 'off',
				leadId: { __rl: true, mode: 'list', value: String(lead.id), cachedResultName: 'x' },
				recipient: 'system',
				callbackTime: '2026-09-01T10:00:00',
				timeZone: 'Asia/Kathmandu',
			},
		});
		expect(result.error).toBeUndefined();
		expect(requests('convoso')[0].form).toMatchObject({
			lead_id: String(lead.id),
			callback_time: '2026-09-01 10:00 AM',
			callback_time_zone: '+5.45',
		});
		expect(result.items[0].json.leadId).toBe(lead.id);
	});

	it('a callback given by ID in the locator is the one dismissed', async () => {
		const target = sandbox.convoso.addCallback({});
		const result = await runNode({
			nodeType: new Convoso(new VirtualRuntime()),
			credentialType: new ConvosoApi(),
			credentials: convosoCredentials(),
			parameters: {
				resource: 'callback',
				operation: 'dismiss',
				callbackId: { __rl: true, mode: 'id', value: String(target.id) },
			},
		});
		expect(result.error).toBeUndefined();
		expect(requests('convoso')[0].form).toMatchObject({ callback_id: String(target.id) });
		expect(sandbox.convoso.getCallback(target.id)?.stage).toBe('DISMISSED');
	});
});

describe('Convoso campaign, list and user pickers', () => {
	it('list the campaigns, lists and agents seen on the callbacks, by name, searchable', async () => {
		const callbacks = sandbox.convoso.callbacks();
		const campaigns = await convosoList('searchCampaigns');
		expect(requests('convoso')[0].form).toMatchObject({ offset: '0', limit: '5000' });
		const campaignIds = new Set(callbacks.map((c) => String(c.campaign_id)));
		expect(new Set(campaigns.results.map((r) => r.value))).toEqual(campaignIds);
		const names = campaigns.results.map((r) => r.name);
		expect(names).toEqual([...names].sort((a, b) => a.localeCompare(b)));
		expect(names).toContain('Sales Campaign (ID 111)');
		expect((await convosoList('searchCampaigns', 'renew')).results.map((r) => r.name)).toEqual([
			'Renewals (ID 112)',
		]);

		const lists = await convosoList('searchLists');
		expect(new Set(lists.results.map((r) => r.value))).toEqual(
			new Set(callbacks.map((c) => String(c.list_id))),
		);
		expect(lists.results.map((r) => r.name)).toContain('Spring Leads (ID 333)');
		const users = await convosoList('searchUsers', 'jane');
		expect(users.results).toEqual([{ name: 'Jane Smith (ID 12345)', value: '12345' }]);
	});

	it('a campaign picked in the Get Many filters is the campaign Convoso filters by', async () => {
		const result = await runNode({
			nodeType: new Convoso(new VirtualRuntime()),
			credentialType: new ConvosoApi(),
			credentials: convosoCredentials(),
			parameters: {
				resource: 'callback',
				operation: 'getMany',
				limit: 5,
				filters: {
					campaignId: { __rl: true, mode: 'list', value: '112', cachedResultName: 'Renewals' },
					userId: { __rl: true, mode: 'id', value: '12345' },
				},
			},
		});
		expect(result.error).toBeUndefined();
		expect(requests('convoso')[0].form).toMatchObject({ campaign_id: '112', user_id: '12345' });
		for (const item of result.items)
			expect(item.json).toMatchObject({ campaignId: 112, agentId: 12345 });
	});
});

describe('Speko picker', () => {
	it('lists scheduled callbacks, filtered by phone digits', async () => {
		const list = (filter?: string) =>
			runListSearch({
				nodeType: new Speko(new VirtualRuntime()),
				credentialType: new SpekoApi(),
				credentials: { apiKey: 'sk_test_sandbox_speko', baseUrl: sandbox.baseUrls.speko },
				parameters: {},
				method: 'searchCallbacks',
				filter,
			});
		const scheduled = sandbox.speko.callbacks().filter((c) => c.status === 'scheduled');
		const all = await list();
		expect(new Set(all.results.map((r) => r.value))).toEqual(new Set(scheduled.map((c) => c.id)));
		expect(requests('speko')[0].query).toMatchObject({ status: 'scheduled', limit: '100' });

		const target = scheduled[0];
		const some = await list(target.to_number.slice(-7));
		expect(some.results.map((r) => r.value)).toContain(target.id);
		for (const entry of some.results) expect(entry.name).toContain(target.to_number.slice(-7));
	});
});

describe('Talkdesk picker', () => {
	const list = (filter?: string) =>
		runListSearch({
			nodeType: new Talkdesk(new VirtualRuntime()),
			credentialType: new TalkdeskApi(),
			credentials: {
				region: 'custom',
				apiBaseUrl: sandbox.baseUrls.talkdesk,
				tokenUrl: sandbox.baseUrls.talkdeskToken,
				clientId: TALKDESK_CLIENT.id,
				clientSecret: TALKDESK_CLIENT.secret,
			},
			parameters: {},
			method: 'searchCallbacks',
			filter,
		});
	const pending = () =>
		sandbox.talkdesk
			.callbacks()
			.filter((c) => c.status === 'UNATTEMPTED' || c.status === 'TO_BE_RETRIED');

	it('lists the callbacks still to ring, one page of 500, soonest first', async () => {
		const all = await list();
		expect(all.results.map((r) => r.value)).toEqual(pending().map((c) => c.id));
		const [request] = requests('talkdesk').filter((r) => r.route === '/api/schedule-callbacks');
		expect(request.query).toEqual({
			status: 'UNATTEMPTED,TO_BE_RETRIED',
			page: '1',
			per_page: '500',
		});
	});

	it('a full phone number is searched by Talkdesk; a name on the page', async () => {
		const target = pending()[0];
		const byPhone = await list(target.phone_number.replace(/^\+/, '').replace(/(\d{3})/, '$1 '));
		const [request] = requests('talkdesk').filter((r) => r.route === '/api/schedule-callbacks');
		expect(request.query.phone_number).toBe(target.phone_number);
		expect(byPhone.results.map((r) => r.value)).toContain(target.id);
		expect(byPhone.results.every((r) => r.name.startsWith(target.phone_number))).toBe(true);

		sandbox.clearRequests();
		const named = pending().find((c) => c.record_last_name)!;
		const byName = await list(named.record_last_name!.toUpperCase());
		expect(byName.results.map((r) => r.value)).toContain(named.id);
		for (const entry of byName.results)
			expect(entry.name.toLowerCase()).toContain(named.record_last_name!.toLowerCase());
	});
});

describe('Ameyo picker', () => {
	it("lists the chosen campaign's callbacks, filtered by phone digits or agent", async () => {
		const credentials = {
			baseUrl: sandbox.baseUrls.ameyo,
			userId: AMEYO_SUPERVISOR.userId,
			password: AMEYO_SUPERVISOR.password,
			countryCallingCode: '91',
		};
		const list = (filter?: string) =>
			runListSearch({
				nodeType: new Ameyo(new VirtualRuntime()),
				credentialType: new AmeyoApi(),
				credentials,
				parameters: { campaignId: 111 },
				method: 'searchCallbacks',
				filter,
			});
		const inCampaign = sandbox.ameyo.callbacks(111);
		const all = await list();
		expect(all.results.map((r) => r.value)).toEqual(inCampaign.map((c) => c.customerCallbackId));
		const [request] = requests('ameyo').filter((r) => r.route.endsWith('/getFiltered'));
		expect(request.query).toEqual({ offset: '0', campaignId: '111', limit: '1000' });

		const target = inCampaign[0];
		const byPhone = await list(target.phone.slice(-6));
		expect(byPhone.results.map((r) => r.value)).toContain(target.customerCallbackId);
		const byAgent = await list(target.userId.toUpperCase());
		expect(byAgent.results.map((r) => r.value)).toEqual(
			inCampaign.filter((c) => c.userId === target.userId).map((c) => c.customerCallbackId),
		);
	});
});

describe('time-zone lists', () => {
	const optionsOf = (properties: INodeProperties[], name: string) =>
		properties.find((p) => p.name === name)?.options as INodePropertyOptions[];

	it('offer every IANA zone once, each one valid, edge zones included', () => {
		expect(new Set(IANA_TIME_ZONES).size).toBe(IANA_TIME_ZONES.length);
		for (const zone of IANA_TIME_ZONES) expect(IANAZone.isValidZone(zone)).toBe(true);
		for (const zone of [
			'UTC',
			'Asia/Kolkata',
			'Asia/Kathmandu',
			'America/St_Johns',
			'Australia/Lord_Howe',
			'America/New_York',
		])
			expect(IANA_TIME_ZONES).toContain(zone);
	});

	it("the Convoso node's list starts with the account's zone (empty), the credential's has none", () => {
		const node = new Convoso();
		const zoneField = node.description.properties.find(
			(p) => p.name === 'timeZone' && p.displayOptions?.show?.operation?.includes('create'),
		)!;
		const options = zoneField.options as INodePropertyOptions[];
		expect(options[0]).toMatchObject({ value: '' });
		expect(options[0].name).toMatch(/account/i);
		expect(options.slice(1).map((o) => o.value)).toEqual([...IANA_TIME_ZONES]);
		expect(zoneField.default).toBe('');

		const credentialZones = optionsOf(new ConvosoApi().properties, 'accountTimezone');
		expect(credentialZones.map((o) => o.value)).toEqual([...IANA_TIME_ZONES]);
	});
});
