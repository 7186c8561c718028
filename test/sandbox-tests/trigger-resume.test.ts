/**
 * A trigger poll that runs out of n8n's poll budget part-way stops, emits what it
 * read, and the next poll goes on where it stopped, from the provider's own resume
 * data (Convoso: an offset; Speko: the next status). Checked on the requests the
 * sandbox receives and on what the triggers emit.
 */
import { DateTime } from 'luxon';
import type { IDataObject } from 'n8n-workflow';

import { ConvosoApi } from '../../credentials/ConvosoApi.credentials';
import { SpekoApi } from '../../credentials/SpekoApi.credentials';
import { ConvosoTrigger } from '../../nodes/Convoso/ConvosoTrigger.node';
import { defaultRuntime } from '../../nodes/shared/runtime';
import type { Runtime } from '../../nodes/shared/runtime';
import { SpekoTrigger } from '../../nodes/Speko/SpekoTrigger.node';
import { pollRunner } from '../helpers/run-node';
import { startSandbox } from '../sandbox/server';
import type { Sandbox } from '../sandbox/server';

const ZONE = 'America/New_York';
const NOW = Date.parse('2026-06-01T12:00:00Z');
const MINUTE = 60_000;

let sandbox: Sandbox;

/** n8n's clock stands still; the budget clock moves a second per reading, so a 0.5 s budget runs out after the first page. */
function budgetRuntime(): Runtime {
	let elapsed = 0;
	return { ...defaultRuntime, now: () => NOW, elapsed: () => (elapsed += 1000) };
}

beforeAll(async () => {
	sandbox = await startSandbox({
		convoso: { callbacks: 0, leads: 20 },
		speko: { callbacks: 0 },
		now: () => NOW,
	});
});

afterAll(async () => await sandbox.close());

beforeEach(() => sandbox.clearRequests());

const local = (ms: number) =>
	DateTime.fromMillis(ms, { zone: ZONE }).toFormat('yyyy-MM-dd HH:mm:ss');
const idsOf = (output: Awaited<ReturnType<ReturnType<typeof pollRunner>['poll']>>) =>
	(output?.[0] ?? []).map((item) => String((item.json as IDataObject).id));

it('Convoso Trigger: a listing cut by the budget goes on at the offset where it stopped, nothing missed or doubled', async () => {
	for (let i = 0; i < 12_000; i++) {
		sandbox.convoso.addCallback({
			callback_time: local(NOW + (i + 1) * MINUTE),
			created_at: local(NOW - 30 * MINUTE + Math.floor(i / 100) * 1000),
			modified_at: local(NOW - 30 * MINUTE),
		});
	}
	const runner = pollRunner({
		nodeType: new ConvosoTrigger(budgetRuntime()),
		credentialType: new ConvosoApi(),
		credentials: {
			apiToken: 'sandbox-convoso-token',
			baseUrl: sandbox.baseUrls.convoso,
			accountTimezone: ZONE,
			countryCallingCode: '1',
		},
		parameters: { event: 'new', options: { includeExisting: true } },
		pollBudgetMs: 500,
	});
	const offsets = () =>
		sandbox.requests.filter((r) => r.provider === 'convoso').map((r) => Number(r.form?.offset));

	const emitted: string[] = [];
	for (const expectedOffsets of [[0], [5000], [10_000]]) {
		sandbox.clearRequests();
		emitted.push(...idsOf(await runner.poll()));
		expect(offsets()).toEqual(expectedOffsets);
	}
	const state = runner.staticData().callbacks as IDataObject;
	expect(state.resume).toBeUndefined();
	expect(emitted).toHaveLength(12_000);
	expect(new Set(emitted).size).toBe(12_000);
	expect(new Set(emitted)).toEqual(new Set(sandbox.convoso.callbacks().map((c) => String(c.id))));

	// After a whole listing, the next poll starts at the beginning again and emits nothing old.
	sandbox.clearRequests();
	expect(await runner.poll()).toBeNull();
	expect(offsets()[0]).toBe(0);
});

it('Speko Trigger: a listing cut by the budget goes on with the next status', async () => {
	const statuses = ['scheduled', 'dispatching', 'dispatched', 'cancelled', 'failed'];
	for (const status of statuses) {
		for (let i = 0; i < 3; i++) {
			const callback = sandbox.speko.addCallback({
				scheduled_at: new Date(NOW + (i + 1) * MINUTE).toISOString(),
				created_at: new Date(NOW - 10 * MINUTE).toISOString(),
			});
			if (status !== 'scheduled') sandbox.speko.setStatus(callback.id, status as never);
		}
	}
	const runner = pollRunner({
		nodeType: new SpekoTrigger(budgetRuntime()),
		credentialType: new SpekoApi(),
		credentials: { apiKey: 'sk_test_sandbox_speko', baseUrl: sandbox.baseUrls.speko },
		parameters: { event: 'new', options: { includeExisting: true } },
		pollBudgetMs: 500,
	});
	const listed = () =>
		sandbox.requests.filter((r) => r.provider === 'speko').map((r) => r.query.status);

	const emitted: string[] = [];
	for (const status of statuses) {
		sandbox.clearRequests();
		emitted.push(...idsOf(await runner.poll()));
		expect(listed()).toEqual([status]);
	}
	expect(emitted).toHaveLength(15);
	expect(new Set(emitted)).toEqual(new Set(sandbox.speko.callbacks().map((c) => c.id)));
	expect((runner.staticData().callbacks as IDataObject).resume).toBeUndefined();
});
