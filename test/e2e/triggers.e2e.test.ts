/**
 * The triggers on a real n8n server (`n8n start`): active workflows with the Convoso
 * Trigger, the Speko Trigger and the Talkdesk Trigger (New Callback, polling every minute). A callback
 * created in the sandbox must start its workflow within two poll intervals, once.
 */
import fs from 'node:fs';
import path from 'node:path';

import { startSandbox } from '../sandbox/server';
import type { Sandbox } from '../sandbox/server';
import { TALKDESK_CLIENT } from '../sandbox/talkdesk';
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
const TALKDESK = {
	credential: { id: 'talkdeskTrigCred01', name: 'Talkdesk sandbox' },
	workflowId: 'talkdeskTrigFlow1',
};
const TALKDESK_LIST = '/api/schedule-callbacks';

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
	sandbox = await startSandbox({
		convoso: { callbacks: 200 },
		speko: { callbacks: 20 },
		talkdesk: { callbacks: 40 },
	});
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
		{
			...TALKDESK.credential,
			type: 'talkdeskApi',
			data: {
				region: 'custom',
				apiBaseUrl: sandbox.baseUrls.talkdesk,
				tokenUrl: sandbox.baseUrls.talkdeskToken,
				clientId: TALKDESK_CLIENT.id,
				clientSecret: TALKDESK_CLIENT.secret,
			},
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
			triggerWorkflow(
				TALKDESK.workflowId,
				'New Talkdesk callbacks',
				'n8n-nodes-callbacks.talkdeskTrigger',
				{ talkdeskApi: TALKDESK.credential },
			),
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

/** An execution that has ended (a poll's run is listed while it is still running). */
const hasEnded = (run: { status?: string }) =>
	!['new', 'running', 'waiting'].includes(String(run.status));

/** The polls (list requests) after `fromMs` up to the start of an execution. */
function pollsBetween(route: string, fromMs: number, run: { startedAt?: string | null }): number {
	const until = Date.parse(run.startedAt ?? '');
	if (Number.isNaN(until))
		throw new Error(`execution without a start time: ${JSON.stringify(run)}`);
	return sandbox.requests.filter((r) => r.route === route && r.at > fromMs && r.at <= until).length;
}

describe('triggers on an n8n server', () => {
	it('activation polls once (the baseline) and emits nothing old', async () => {
		await waitForPolls('/v1/callbacks/search', 0, 1, 30_000);
		await waitForPolls('/v1/callbacks', 0, 1, 30_000);
		await waitForPolls(TALKDESK_LIST, 0, 1, 30_000);
		expect(await server.listExecutions(CONVOSO.workflowId)).toEqual([]);
		expect(await server.listExecutions(SPEKO.workflowId)).toEqual([]);
		expect(await server.listExecutions(TALKDESK.workflowId)).toEqual([]);
	});

	it('a new callback starts its workflow at one of the next two polls, exactly once', async () => {
		const createdAt = Date.now();
		const convosoCallback = sandbox.convoso.addCallback({
			comments: 'created during the e2e test',
		});
		const spekoCallback = sandbox.speko.addCallback({ reason: 'created during the e2e test' });
		const talkdeskCallback = sandbox.talkdesk.addCallback({ notes: 'created during the e2e test' });

		// Generous waits for a busy machine; what is checked is which poll emitted it.
		const [convosoRuns, spekoRuns, talkdeskRuns] = await Promise.all([
			server.waitForExecutions(CONVOSO.workflowId, (runs) => runs.some(hasEnded), {
				timeoutMs: 5 * POLL_INTERVAL_MS,
			}),
			server.waitForExecutions(SPEKO.workflowId, (runs) => runs.some(hasEnded), {
				timeoutMs: 5 * POLL_INTERVAL_MS,
			}),
			server.waitForExecutions(TALKDESK.workflowId, (runs) => runs.some(hasEnded), {
				timeoutMs: 5 * POLL_INTERVAL_MS,
			}),
		]);
		// Convoso and Talkdesk are polled with one request, Speko with five (one per status).
		expect(
			pollsBetween('/v1/callbacks/search', createdAt, convosoRuns.find(hasEnded)!),
		).toBeLessThanOrEqual(2);
		expect(
			pollsBetween('/v1/callbacks', createdAt, spekoRuns.find(hasEnded)!) / 5,
		).toBeLessThanOrEqual(2);

		const convosoRun = await server.getExecution(convosoRuns.find(hasEnded)!.id);
		expect(convosoRun.status).toBe('success');
		expect(
			convosoRun.runData['New callback'][0].data!.main[0]!.map((item) => item.json.id),
		).toEqual([convosoCallback.id]);
		expect(
			pollsBetween(TALKDESK_LIST, createdAt, talkdeskRuns.find(hasEnded)!),
		).toBeLessThanOrEqual(2);
		const talkdeskRun = await server.getExecution(talkdeskRuns.find(hasEnded)!.id);
		expect(talkdeskRun.status).toBe('success');
		expect(
			talkdeskRun.runData['New callback'][0].data!.main[0]!.map((item) => item.json.id),
		).toEqual([talkdeskCallback.id]);
		const spekoRun = await server.getExecution(spekoRuns.find(hasEnded)!.id);
		expect(spekoRun.runData['New callback'][0].data!.main[0]!.map((item) => item.json.id)).toEqual([
			spekoCallback.id,
		]);

		// Two more polls of each provider after the emission: no second execution
		// (an execution from the first of them has been recorded by the second).
		const emittedAt = Date.now();
		await Promise.all([
			waitForPolls('/v1/callbacks/search', emittedAt, 2, 3 * POLL_INTERVAL_MS),
			waitForPolls('/v1/callbacks', emittedAt, 10, 3 * POLL_INTERVAL_MS),
			waitForPolls(TALKDESK_LIST, emittedAt, 2, 3 * POLL_INTERVAL_MS),
		]);
		expect(await server.listExecutions(CONVOSO.workflowId)).toHaveLength(1);
		expect(await server.listExecutions(SPEKO.workflowId)).toHaveLength(1);
		expect(await server.listExecutions(TALKDESK.workflowId)).toHaveLength(1);
	});
});
