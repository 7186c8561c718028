/**
 * The Convoso node in a real n8n: the packed package installed as a community
 * package, credentials and a workflow imported with n8n's CLI, run with
 * `n8n execute`, against the provider sandbox. Then the credential test as the
 * editor's "Test" button runs it, on a real n8n server.
 */
import fs from 'node:fs';
import path from 'node:path';

import { DateTime } from 'luxon';

import { startSandbox } from '../sandbox/server';
import type { Sandbox } from '../sandbox/server';
import {
	createUserFolder,
	ensureN8n,
	nodeOutput,
	packageNodes,
	packPackage,
	REPO_ROOT,
} from './n8n';
import type { N8nInstance, RunResult } from './n8n';

jest.setTimeout(10 * 60_000);

const TOKEN = 'sandbox-convoso-token';
const SEEDED_CALLBACKS = 6_500; // more than one page of 5,000
const CREDENTIAL = { id: 'convosoE2eCred01', name: 'Convoso sandbox' };
const WORKFLOW_ID = 'convosoE2eFlow001';

let sandbox: Sandbox;
let n8n: N8nInstance;
let run: RunResult;

const credentialRef = { convosoApi: CREDENTIAL };
const node = packageNodes('convoso', credentialRef);
const to = (name: string) => ({ main: [[{ node: name, type: 'main', index: 0 }]] });

function workflow(leadPhone: string) {
	// Branches run top to bottom (execution order v1): the search runs before the create.
	const nodes = [
		{
			id: 'trigger',
			name: 'Start',
			type: 'n8n-nodes-base.manualTrigger',
			typeVersion: 1,
			position: [0, 300],
			parameters: {},
		},
		node('Search All', [300, 0], {
			resource: 'callback',
			operation: 'getMany',
			returnAll: true,
			filters: {},
		}),
		node('Create', [300, 200], {
			resource: 'callback',
			operation: 'create',
			leadId: '1001',
			recipient: 'system',
			callbackTime: '2026-03-05T14:30',
			timeZone: 'Asia/Kolkata',
			comments: 'e2e create',
			// Fixed times, about the wire format: 03:00 at the lead's would be refused.
			callingHours: 'off',
		}),
		node('Update', [550, 200], {
			resource: 'callback',
			operation: 'update',
			callbackId: '={{ $json.id }}',
			updateFields: {
				callbackTime: '2026-03-06T10:00',
				timeZone: 'America/St_Johns',
				comments: 'e2e rescheduled',
				userId: '22222',
			},
			callingHours: 'off',
		}),
		node('Dismiss', [800, 200], {
			resource: 'callback',
			operation: 'dismiss',
			callbackId: '={{ $json.id }}',
		}),
		node('Delete', [1050, 200], {
			resource: 'callback',
			operation: 'delete',
			callbackId: '={{ $json.id }}',
		}),
		node('Lead Search', [300, 400], {
			resource: 'lead',
			operation: 'search',
			limit: 5,
			leadFilters: { phoneNumber: leadPhone },
		}),
		{
			id: 'items',
			name: 'Three Items',
			type: 'n8n-nodes-base.code',
			typeVersion: 2,
			position: [300, 600],
			parameters: {
				jsCode:
					"return [{ json: { id: 3 } }, { json: { id: 'abc' } }, { json: { id: 99999999 } }, { json: { id: 4 } }];",
			},
		},
		node(
			'Get With Failures',
			[550, 600],
			{ resource: 'callback', operation: 'get', callbackId: '={{ $json.id }}' },
			{ onError: 'continueRegularOutput' },
		),
	];
	return {
		id: WORKFLOW_ID,
		name: 'Convoso end to end',
		active: false,
		nodes,
		connections: {
			Start: {
				main: [
					[
						{ node: 'Search All', type: 'main', index: 0 },
						{ node: 'Create', type: 'main', index: 0 },
						{ node: 'Lead Search', type: 'main', index: 0 },
						{ node: 'Three Items', type: 'main', index: 0 },
					],
				],
			},
			Create: to('Update'),
			Update: to('Dismiss'),
			Dismiss: to('Delete'),
			'Three Items': to('Get With Failures'),
		},
		settings: { executionOrder: 'v1' },
	};
}

beforeAll(async () => {
	if (!fs.existsSync(path.join(REPO_ROOT, 'dist', 'nodes', 'Convoso', 'Convoso.node.js'))) {
		throw new Error(
			'Build the package first (npm run build): the e2e tests install dist/ as users get it',
		);
	}
	const [install, tgz] = await Promise.all([ensureN8n(), packPackage()]);
	sandbox = await startSandbox({ convoso: { callbacks: SEEDED_CALLBACKS, leads: 100 } });
	n8n = await createUserFolder(install, tgz);
	const lead = sandbox.convoso.leads().find((l) => l.id === 1001)!;
	const imported = await n8n.importCredentials([
		{
			...CREDENTIAL,
			type: 'convosoApi',
			data: {
				apiToken: TOKEN,
				baseUrl: sandbox.baseUrls.convoso,
				accountTimezone: 'America/New_York',
				countryCallingCode: '1',
			},
		},
	]);
	expect(imported.exitCode).toBe(0);
	const phone = `(${lead.phone_number.slice(0, 3)}) ${lead.phone_number.slice(3, 6)}-${lead.phone_number.slice(6)}`;
	expect((await n8n.importWorkflows([workflow(phone)])).exitCode).toBe(0);
	run = await n8n.execute(WORKFLOW_ID);
});

afterAll(async () => {
	await n8n?.cleanup();
	await sandbox?.close();
});

describe('Convoso node in n8n (n8n execute)', () => {
	it('runs the workflow to success', () => {
		expect({ status: run.status, error: run.error?.message }).toEqual({
			status: 'success',
			error: undefined,
		});
	});

	it('Get Many with Return All reads every callback in pages of 5,000', () => {
		const items = nodeOutput(run.runData, 'Search All');
		expect(items).toHaveLength(SEEDED_CALLBACKS);
		expect(new Set(items.map((item) => item.id)).size).toBe(SEEDED_CALLBACKS);
		expect(items[0]).toMatchObject({ provider: 'convoso', timezone: 'America/New_York' });
		const searches = sandbox.requests.filter(
			(r) => r.route === '/v1/callbacks/search' && r.form?.limit === '5000',
		);
		expect(searches.map((r) => r.form?.offset)).toEqual(['0', '5000']);
	});

	it('Create, Update, Dismiss and Delete reach Convoso with the right fields, in order', () => {
		const created = nodeOutput(run.runData, 'Create')[0];
		// 14:30 in Kolkata (+5:30) is 09:00 UTC.
		// The whole callback, read back: a time already passed is past due; Convoso keeps
		// the time in the account's zone.
		expect(created).toMatchObject({
			provider: 'convoso',
			status: Date.parse('2026-03-05T09:00:00Z') < Date.now() ? 'past_due' : 'scheduled',
			scheduledAt: '2026-03-05T09:00:00Z',
			timezone: 'America/New_York',
			leadId: 1001,
		});
		const id = String(created.id);
		const writes = sandbox.requests.filter(
			(r) => r.route !== '/v1/callbacks/search' && r.route !== '/v1/leads/search',
		);
		expect(writes.map((r) => [r.route, r.form?.callback_id ?? null])).toEqual([
			['/v1/callbacks/insert', null],
			['/v1/callbacks/update', id],
			['/v1/callbacks/update', id],
			['/v1/callbacks/delete', id],
		]);
		for (const request of sandbox.requests) {
			expect(request.method).toBe('POST');
			expect(request.form?.auth_token).toBe(TOKEN);
			expect(request.path).not.toContain(TOKEN);
		}
		expect(writes[0].form).toMatchObject({
			lead_id: '1001',
			recipient: 'system',
			callback_time: '2026-03-05 02:30 PM',
			callback_time_zone: '+5.30',
		});
		// Newfoundland is at -3:30 in March (before its DST starts on the 8th).
		expect(writes[1].form).toMatchObject({
			callback_time: '2026-03-06 10:00 AM',
			callback_time_zone: '-3.30',
			comments: 'e2e rescheduled',
			user_id: '22222',
		});
		expect(writes[2].form).toMatchObject({ callback_status: 'dismissed' });
		expect(nodeOutput(run.runData, 'Update')[0]).toMatchObject({
			id: created.id,
			provider: 'convoso',
			notes: 'e2e rescheduled',
			agentId: 22222,
			leadId: 1001,
			scheduledAt: DateTime.fromISO('2026-03-06T10:00', { zone: 'America/St_Johns' })
				.toUTC()
				.toISO({ suppressMilliseconds: true }),
		});
		expect(nodeOutput(run.runData, 'Dismiss')[0]).toMatchObject({
			id: created.id,
			status: 'cancelled',
			leadId: 1001,
			timezone: 'America/New_York',
		});
		expect(nodeOutput(run.runData, 'Delete')[0]).toEqual({
			id: created.id,
			provider: 'convoso',
			deleted: true,
		});
		expect(sandbox.convoso.getCallback(id)).toBeUndefined();
	});

	it('Lead Search finds the lead by phone number', () => {
		const leads = nodeOutput(run.runData, 'Lead Search');
		expect(leads.map((lead) => lead.id)).toContain(1001);
	});

	it('with Continue On Fail, failing items become error items and the others go on', () => {
		const items = nodeOutput(run.runData, 'Get With Failures');
		expect(items).toHaveLength(4);
		expect(items[0]).toMatchObject({ id: 3, provider: 'convoso' });
		expect(items[1].error).toMatch(/'Callback'.*"abc"/);
		expect(items[2]).toMatchObject({
			error: 'Convoso has no callback with ID 99999999',
			code: 6038,
		});
		expect(items[3]).toMatchObject({ id: 4, provider: 'convoso' });
		const pairing = run.runData['Get With Failures'][0].data!.main[0]!.map(
			(item) => item.pairedItem,
		);
		expect(pairing).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }, { item: 3 }]);
		expect(JSON.stringify(run.runData)).not.toContain(TOKEN);
	});
});

describe('Convoso credential test on an n8n server', () => {
	it('passes with the right token and fails with a wrong one', async () => {
		const server = await n8n.startServer();
		try {
			await server.setupOwner();
			// n8n serves the output schemas the build wrote, so the editor shows the fields.
			for (const [node, path] of [
				['convoso', 'callback/getMany'],
				['convoso', 'lead/search'],
				['speko', 'callback/dispatch'],
			]) {
				const schema = await server.request(
					'GET',
					`/schemas/${n8n.packageName}.${node}/1.0.0/${path}.json`,
				);
				expect([path, schema.status]).toEqual([path, 200]);
				expect((schema.json as { properties: object }).properties).toHaveProperty('provider');
			}
			const data = {
				baseUrl: sandbox.baseUrls.convoso,
				accountTimezone: 'America/New_York',
				countryCallingCode: '1',
			};
			const good = await server.testCredential({
				name: 'good',
				type: 'convosoApi',
				data: { ...data, apiToken: TOKEN },
			});
			expect(good).toEqual({ status: 'OK', message: expect.any(String) });
			const wrong = await server.testCredential({
				name: 'wrong',
				type: 'convosoApi',
				data: { ...data, apiToken: 'not-the-token' },
			});
			expect(wrong.status).toBe('Error');
			// The words the node uses for the same answer at run time.
			expect(wrong.message).toMatch(
				/^Convoso rejected the API token \(".+"\)\. Check the API token in the Convoso credential, and that it has Callbacks access\.$/,
			);
			// An account without any callback answers code 6000: the token is still good.
			const empty = await startSandbox({ convoso: { callbacks: 0 } });
			try {
				const emptyAccount = await server.testCredential({
					name: 'empty',
					type: 'convosoApi',
					data: { ...data, baseUrl: empty.baseUrls.convoso, apiToken: TOKEN },
				});
				expect(empty.requests.map((r) => r.route)).toEqual(['/v1/callbacks/search']);
				expect(emptyAccount.status).toBe('OK');
			} finally {
				await empty.close();
			}
			// The test request carried the token in the form body only.
			const tests = sandbox.requests.filter(
				(r) => r.form?.limit === '1' && r.route === '/v1/callbacks/search',
			);
			expect(tests.length).toBeGreaterThanOrEqual(2);
			expect(tests.every((r) => r.query.auth_token === undefined)).toBe(true);
		} finally {
			await server.stop();
		}
	});
});
