/**
 * The triggers on a real n8n server (`n8n start`): active workflows with the Convoso
 * Trigger and the Speko Trigger (New Callback, polling every minute). A callback
 * created in the sandbox must start its workflow within two poll intervals, once.
 */
import fs from 'node:fs';
import path from 'node:path';

import { startSandbox } from '../sandbox/server';
import type { Sandbox } from '../sandbox/server';
import { createUserFolder, ensureN8n, packPackage, REPO_ROOT } from './n8n';
import type { N8nInstance, N8nServer } from './n8n';

jest.setTimeout(10 * 60_000);

const POLL_INTERVAL_MS = 60_000;
const CONVOSO = {
	credential: { id: 'convosoTrigCred001', name: 'Convoso sandbox' },
	workflowId: 'convosoTrigFlow01',
};
const SPEKO = {
	credential: { id: 'spekoTrigCred0001', name: 'Speko sandbox' },
	workflowId: 'spekoTrigFlow0001',
};

let sandbox: Sandbox;
let n8n: N8nInstance;
let server: N8nServer;

function triggerWorkflow(id: string, name: string, type: string, credentials: object) {
	return {
		id,
		name,
		active: true,
		nodes: [
			{
				id: `${id}-trigger`,
				name: 'New callback',
				type,
				typeVersion: 1,
				position: [0, 0],
				parameters: { pollTimes: { item: [{ mode: 'everyMinute' }] }, event: 'new' },
				credentials,
			},
		],
		connections: {},
		settings: { executionOrder: 'v1' },
	};
}

beforeAll(async () => {
	if (!fs.existsSync(path.join(REPO_ROOT, 'dist', 'nodes', 'Convoso', 'ConvosoTrigger.node.js'))) {
		throw new Error(
			'Build the package first (npm run build): the e2e tests install dist/ as users get it',
		);
	}
	const [install, tgz] = await Promise.all([ensureN8n(), packPackage()]);
	sandbox = await startSandbox({ convoso: { callbacks: 200 }, speko: { callbacks: 20 } });
	n8n = await createUserFolder(install, tgz);
	await n8n.importCredentials([
		{
			...CONVOSO.credential,
			type: 'convosoApi',
			data: {
				apiToken: 'sandbox-convoso-token',
				baseUrl: sandbox.baseUrls.convoso,
				accountTimezone: 'America/New_York',
				countryCallingCode: '1',
			},
		},
		{
			...SPEKO.credential,
			type: 'spekoApi',
			data: { apiKey: 'sk_test_sandbox_speko', baseUrl: sandbox.baseUrls.speko },
		},
	]);
	const imported = await n8n.importWorkflows(
		[
			triggerWorkflow(
				CONVOSO.workflowId,
				'New Convoso callbacks',
				'n8n-nodes-callbacks.convosoTrigger',
				{ convosoApi: CONVOSO.credential },
			),
			triggerWorkflow(SPEKO.workflowId, 'New Speko callbacks', 'n8n-nodes-callbacks.spekoTrigger', {
				spekoApi: SPEKO.credential,
			}),
		],
		{ activeState: 'fromJson' },
	);
	expect(imported.exitCode).toBe(0);
	server = await n8n.startServer();
	await server.setupOwner();
});

afterAll(async () => {
	await server?.stop();
	await n8n?.cleanup();
	await sandbox?.close();
});

/** Waits until the provider has been polled `count` more times (its list requests). */
async function waitForPolls(route: string, after: number, count: number, timeoutMs: number) {
	const deadline = Date.now() + timeoutMs;
	while (Date.now() < deadline) {
		if (sandbox.requests.filter((r) => r.route === route && r.at > after).length >= count) return;
		await new Promise((resolve) => setTimeout(resolve, 1000));
	}
	throw new Error(`${route} was not polled ${count} times within ${timeoutMs} ms`);
}

describe('triggers on an n8n server', () => {
	it('activation polls once (the baseline) and emits nothing old', async () => {
		await waitForPolls('/v1/callbacks/search', 0, 1, 30_000);
		await waitForPolls('/v1/callbacks', 0, 1, 30_000);
		expect(await server.listExecutions(CONVOSO.workflowId)).toEqual([]);
		expect(await server.listExecutions(SPEKO.workflowId)).toEqual([]);
	});

	it('a new callback starts its workflow within two poll intervals, exactly once', async () => {
		const createdAt = Date.now();
		const convosoCallback = sandbox.convoso.addCallback({
			comments: 'created during the e2e test',
		});
		const spekoCallback = sandbox.speko.addCallback({ reason: 'created during the e2e test' });

		const [convosoRuns, spekoRuns] = await Promise.all([
			server.waitForExecutions(CONVOSO.workflowId, (runs) => runs.length > 0, {
				timeoutMs: 2 * POLL_INTERVAL_MS + 15_000,
			}),
			server.waitForExecutions(SPEKO.workflowId, (runs) => runs.length > 0, {
				timeoutMs: 2 * POLL_INTERVAL_MS + 15_000,
			}),
		]);
		expect(Date.now() - createdAt).toBeLessThan(2 * POLL_INTERVAL_MS + 15_000);

		const convosoRun = await server.getExecution(convosoRuns[0].id);
		expect(convosoRun.status).toBe('success');
		expect(
			convosoRun.runData['New callback'][0].data!.main[0]!.map((item) => item.json.id),
		).toEqual([convosoCallback.id]);
		const spekoRun = await server.getExecution(spekoRuns[0].id);
		expect(spekoRun.runData['New callback'][0].data!.main[0]!.map((item) => item.json.id)).toEqual([
			spekoCallback.id,
		]);

		// One more poll of each provider after the emission: no second execution.
		const emittedAt = Date.now();
		await Promise.all([
			waitForPolls('/v1/callbacks/search', emittedAt, 1, POLL_INTERVAL_MS + 15_000),
			waitForPolls('/v1/callbacks', emittedAt, 5, POLL_INTERVAL_MS + 15_000),
		]);
		await new Promise((resolve) => setTimeout(resolve, 3000));
		expect(await server.listExecutions(CONVOSO.workflowId)).toHaveLength(1);
		expect(await server.listExecutions(SPEKO.workflowId)).toHaveLength(1);
	});
});
