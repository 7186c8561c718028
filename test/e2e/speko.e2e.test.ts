/**
 * The Speko node in a real n8n (community package install, CLI import, `n8n execute`)
 * against the sandbox: list scheduled callbacks, dispatch one, cancel another with a
 * reason, and see both transitions in the sandbox's state.
 */
import fs from 'node:fs';
import path from 'node:path';

import { startSandbox } from '../sandbox/server';
import type { Sandbox } from '../sandbox/server';
import {
	createUserFolder,
	ensureN8n,
	MANUAL_TRIGGER,
	nodeOutput,
	packageNodes,
	packPackage,
	REPO_ROOT,
} from './n8n';
import type { N8nInstance, RunResult } from './n8n';

jest.setTimeout(10 * 60_000);

const KEY = 'sk_test_sandbox_speko';
const CREDENTIAL = { id: 'spekoE2eCred00001', name: 'Speko sandbox' };
const WORKFLOW_ID = 'spekoE2eFlow00001';
const REASON = 'Customer already called back';

let sandbox: Sandbox;
let n8n: N8nInstance;
let run: RunResult;

const spekoNode = packageNodes('speko', { spekoApi: CREDENTIAL }, { resource: 'callback' });

const workflow = {
	id: WORKFLOW_ID,
	name: 'Speko end to end',
	active: false,
	nodes: [
		MANUAL_TRIGGER,
		spekoNode('List Scheduled', [250, 0], { operation: 'getMany', status: 'scheduled', limit: 10 }),
		// Execute Once: only for the first listed callback.
		spekoNode(
			'Dispatch First',
			[500, -100],
			{
				operation: 'dispatch',
				callbackId: { __rl: true, mode: 'id', value: '={{ $json.id }}' },
				// The run uses the real clock and random numbers: the calling-hours check is
				// tested in the node tests, on a fixed clock.
				callingHours: 'off',
			},
			{ executeOnce: true },
		),
		spekoNode(
			'Cancel Second',
			[500, 100],
			{
				operation: 'cancel',
				callbackId: "={{ $('List Scheduled').all()[1].json.id }}",
				reason: REASON,
			},
			{ executeOnce: true },
		),
	],
	connections: {
		Start: { main: [[{ node: 'List Scheduled', type: 'main', index: 0 }]] },
		'List Scheduled': {
			main: [
				[
					{ node: 'Dispatch First', type: 'main', index: 0 },
					{ node: 'Cancel Second', type: 'main', index: 0 },
				],
			],
		},
	},
	settings: { executionOrder: 'v1' },
};

beforeAll(async () => {
	if (!fs.existsSync(path.join(REPO_ROOT, 'dist', 'nodes', 'Speko', 'Speko.node.js'))) {
		throw new Error(
			'Build the package first (npm run build): the e2e tests install dist/ as users get it',
		);
	}
	const [install, tgz] = await Promise.all([ensureN8n(), packPackage()]);
	sandbox = await startSandbox({ speko: { callbacks: 30 } });
	n8n = await createUserFolder(install, tgz);
	const credential = {
		...CREDENTIAL,
		type: 'spekoApi',
		data: { apiKey: KEY, baseUrl: sandbox.baseUrls.speko },
	};
	expect((await n8n.importCredentials([credential])).exitCode).toBe(0);
	expect((await n8n.importWorkflows([workflow])).exitCode).toBe(0);
	run = await n8n.execute(WORKFLOW_ID);
});

afterAll(async () => {
	await n8n?.cleanup();
	await sandbox?.close();
});

describe('Speko node in n8n (n8n execute)', () => {
	it('runs the workflow to success', () => {
		expect({ status: run.status, error: run.error?.message }).toEqual({
			status: 'success',
			error: undefined,
		});
	});

	it('lists scheduled callbacks, normalized', () => {
		const listed = nodeOutput(run.runData, 'List Scheduled');
		expect(listed.length).toBeGreaterThanOrEqual(2);
		expect(
			listed.every((callback) => callback.provider === 'speko' && callback.status === 'scheduled'),
		).toBe(true);
		const list = sandbox.requests.find((r) => r.route === '/v1/callbacks');
		expect(list?.query).toEqual({ status: 'scheduled', limit: '10' });
		expect(list?.headers.authorization).toBe(`Bearer ${KEY}`);
	});

	it('dispatches the first and cancels the second, and the sandbox shows both transitions', () => {
		const [first, second] = nodeOutput(run.runData, 'List Scheduled');
		expect(nodeOutput(run.runData, 'Dispatch First')).toEqual([
			expect.objectContaining({
				id: first.id,
				status: 'dispatching',
				providerStatus: 'dispatching',
			}),
		]);
		expect(nodeOutput(run.runData, 'Cancel Second')).toEqual([
			expect.objectContaining({
				id: second.id,
				status: 'cancelled',
				details: expect.objectContaining({ reason: REASON }),
			}),
		]);
		// scheduled → dispatching → dispatched; scheduled → cancelled
		expect(sandbox.speko.getCallback(first.id as string)).toMatchObject({
			status: 'dispatched',
			created_session_id: expect.any(String),
		});
		expect(sandbox.speko.getCallback(second.id as string)).toMatchObject({
			status: 'cancelled',
			reason: REASON,
			cancelled_at: expect.any(String),
		});
		const writes = sandbox.requests.filter((r) => r.method === 'POST');
		expect(writes.map((r) => r.route).sort()).toEqual(
			[`/v1/callbacks/${first.id}/dispatch`, `/v1/callbacks/${second.id}/cancel`].sort(),
		);
		expect(writes.find((r) => r.route.endsWith('/cancel'))?.json).toEqual({ reason: REASON });
		expect(JSON.stringify(run.runData)).not.toContain(KEY);
	});
});

describe('Speko credential test on an n8n server', () => {
	it('passes with the right key and fails with a wrong one', async () => {
		const server = await n8n.startServer();
		try {
			await server.setupOwner();
			const good = await server.testCredential({
				name: 'good',
				type: 'spekoApi',
				data: { apiKey: KEY, baseUrl: sandbox.baseUrls.speko },
			});
			expect(good.status).toBe('OK');
			const wrong = await server.testCredential({
				name: 'wrong',
				type: 'spekoApi',
				data: { apiKey: 'sk_live_wrong', baseUrl: sandbox.baseUrls.speko },
			});
			expect(wrong.status).toBe('Error');
			// The words the node uses for the same answer at run time.
			expect(wrong.message).toBe(
				'Speko rejected the API key (HTTP 401). Check the API key in the Speko credential.',
			);
		} finally {
			await server.stop();
		}
	});
});
