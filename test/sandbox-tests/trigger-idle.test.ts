/**
 * What an idle poll costs: Convoso Trigger's New Callback reads everything scheduled
 * from yesterday on only now and then; between those whole listings, two one-row
 * searches tell whether anything can be new. Checked on the requests the sandbox
 * receives and on what the trigger emits.
 */
import { DateTime } from 'luxon';
import type { IDataObject } from 'n8n-workflow';

import { ConvosoApi } from '../../credentials/ConvosoApi.credentials';
import { ConvosoTrigger } from '../../nodes/Convoso/ConvosoTrigger.node';
import { TalkdeskApi } from '../../credentials/TalkdeskApi.credentials';
import { TalkdeskTrigger } from '../../nodes/Talkdesk/TalkdeskTrigger.node';
import { TALKDESK_CLIENT } from '../sandbox/talkdesk';
import { WHOLE_LISTING_EVERY_MS } from '../../nodes/shared/poll';
import { defaultRuntime } from '../../nodes/shared/runtime';
import { pollRunner } from '../helpers/run-node';
import { startSandbox } from '../sandbox/server';
import type { Sandbox } from '../sandbox/server';

const ZONE = 'America/New_York';
const MINUTE = 60_000;
let clock = Date.parse('2026-06-01T12:00:00Z');
let sandbox: Sandbox;

beforeAll(async () => {
	sandbox = await startSandbox({
		convoso: { callbacks: 0, leads: 20 },
		talkdesk: { callbacks: 0 },
		now: () => clock,
	});
	const local = (ms: number) =>
		DateTime.fromMillis(ms, { zone: ZONE }).toFormat('yyyy-MM-dd HH:mm:ss');
	// 12,000 callbacks scheduled over the coming weeks: a whole listing is three pages.
	for (let i = 0; i < 12_000; i++)
		sandbox.convoso.addCallback({
			callback_time: local(clock + (i + 1) * 3 * MINUTE),
			created_at: local(clock - 60 * MINUTE),
		});
});

afterAll(async () => await sandbox.close());

const emitted = (output: Awaited<ReturnType<ReturnType<typeof pollRunner>['poll']>>) =>
	(output?.[0] ?? []).map((item) => String((item.json as IDataObject).id));

it('New Callback: an idle poll is two one-row searches; a new callback is found at once; a whole listing now and then', async () => {
	const runner = pollRunner({
		nodeType: new ConvosoTrigger({ ...defaultRuntime, now: () => clock }),
		credentialType: new ConvosoApi(),
		credentials: {
			apiToken: 'sandbox-convoso-token',
			baseUrl: sandbox.baseUrls.convoso,
			accountTimezone: ZONE,
			countryCallingCode: '1',
		},
		parameters: { event: 'new' },
	});
	const poll = async () => {
		sandbox.clearRequests();
		clock += MINUTE;
		const ids = emitted(await runner.poll());
		return { ids, limits: sandbox.requests.map((request) => request.form?.limit) };
	};
	const baseline = await poll();
	expect(baseline.ids).toEqual([]);
	expect(baseline.limits).toEqual(['5000', '5000', '5000']);

	const idle = await poll();
	expect(idle).toEqual({ ids: [], limits: ['1', '1'] });
	// The second asks for the next id.
	expect(Number(sandbox.requests[1].form?.id)).toBe(
		Math.max(...sandbox.convoso.callbacks().map((callback) => callback.id)) + 1,
	);

	const created = sandbox.convoso.addCallback({
		created_at: DateTime.fromMillis(clock, { zone: ZONE }).toFormat('yyyy-MM-dd HH:mm:ss'),
	});
	const found = await poll();
	expect(found.ids).toEqual([String(created.id)]);
	expect(found.limits.slice(0, 1)).toEqual(['1']);
	expect(found.limits.filter((limit) => limit === '5000')).toHaveLength(3);
	expect((await poll()).limits).toEqual(['1', '1']);

	// A removal and a creation between two polls cancel out in the total, and the new
	// callback's id is not the next one: the next whole listing finds it.
	const skipped = sandbox.convoso.addCallback({});
	sandbox.convoso.removeCallback(skipped.id);
	sandbox.convoso.removeCallback(sandbox.convoso.callbacks()[0].id);
	const hidden = sandbox.convoso.addCallback({
		created_at: DateTime.fromMillis(clock, { zone: ZONE }).toFormat('yyyy-MM-dd HH:mm:ss'),
	});
	const polls: string[][] = [];
	for (let waited = 0; waited <= WHOLE_LISTING_EVERY_MS; waited += MINUTE)
		polls.push((await poll()).ids);
	expect(polls.flat()).toEqual([String(hidden.id)]);
});

it('Talkdesk New Callback: an idle poll is one one-row request; a new callback is found at once', async () => {
	const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
	sandbox.talkdesk.addCallbacks(1_200, (i) => {
		const at = iso(clock + (i + 1) * 5 * MINUTE);
		return {
			time_to_call: at,
			next_time_to_call: at,
			scheduled_time_to_call: at,
			created_at: iso(clock - 60 * MINUTE),
		};
	});
	const runner = pollRunner({
		nodeType: new TalkdeskTrigger({ ...defaultRuntime, now: () => clock }),
		credentialType: new TalkdeskApi(),
		credentials: {
			region: 'custom',
			apiBaseUrl: sandbox.baseUrls.talkdesk,
			tokenUrl: sandbox.baseUrls.talkdeskToken,
			clientId: TALKDESK_CLIENT.id,
			clientSecret: TALKDESK_CLIENT.secret,
		},
		parameters: { event: 'new' },
	});
	const poll = async () => {
		sandbox.clearRequests();
		clock += MINUTE;
		const ids = emitted(await runner.poll());
		const pages = sandbox.requests
			.filter((request) => request.route === '/api/schedule-callbacks')
			.map((request) => request.query.per_page);
		return { ids, pages };
	};
	expect((await poll()).pages).toEqual(['500', '500', '500']);
	expect(await poll()).toEqual({ ids: [], pages: ['1'] });
	const created = sandbox.talkdesk.addCallback({ created_at: iso(clock) });
	const found = await poll();
	expect(found.ids).toEqual([created.id]);
	expect(found.pages).toEqual(['1', '500', '500', '500']);
	const later: string[][] = [];
	for (let waited = 0; waited <= WHOLE_LISTING_EVERY_MS; waited += MINUTE)
		later.push((await poll()).pages);
	// One request a poll, and one whole listing in the interval.
	expect(later.filter((pages) => pages.length > 1)).toEqual([['500', '500', '500']]);
	expect(later.filter((pages) => pages.length === 1)).toHaveLength(later.length - 1);
});

it("a 429 asking for a wait longer than the poll's budget ends the poll at once: the wait goes to n8n's backoff", async () => {
	const runner = pollRunner({
		nodeType: new ConvosoTrigger({ ...defaultRuntime, now: () => clock }),
		credentialType: new ConvosoApi(),
		credentials: {
			apiToken: 'sandbox-convoso-token',
			baseUrl: sandbox.baseUrls.convoso,
			accountTimezone: ZONE,
			countryCallingCode: '1',
		},
		parameters: { event: 'new' },
		pollBudgetMs: 15_000,
	});
	sandbox.faults.add({
		provider: 'convoso',
		route: '/v1/callbacks/search',
		type: 'rate-limit',
		retryAfter: 40,
		count: 1,
	});
	sandbox.clearRequests();
	const error = await runner.poll().then(
		() => undefined,
		(thrown: unknown) => thrown as { httpCode?: string; failure?: unknown },
	);
	expect(sandbox.requests).toHaveLength(1);
	expect(error?.httpCode).toBe('429');
	expect(error?.failure).toEqual({ cause: 'rate-limited', retryAfterMs: 40_000 });
	// Nothing was recorded: the next poll starts as a first one.
	expect(runner.staticData()).toEqual({});
	sandbox.faults.clear();
});
