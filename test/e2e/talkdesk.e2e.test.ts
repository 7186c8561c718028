/**
 * The Talkdesk node in a real n8n (community package install, CLI import, `n8n execute`)
 * against the sandbox: n8n itself fetches the token from the sandbox's token endpoint
 * (the credential's preAuthentication); the token expires in the middle of a Return
 * All over 2,100 callbacks and every callback arrives exactly once; then a reschedule
 * and a cancel. On an n8n server, the credential test passes and fails as it should.
 */
import fs from 'node:fs';
import path from 'node:path';

import { startSandbox } from '../sandbox/server';
import type { Sandbox } from '../sandbox/server';
import { TALKDESK_CLIENT, TALKDESK_CLIENT_NO_READ } from '../sandbox/talkdesk';
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

const CREDENTIAL = { id: 'talkdeskE2eCred001', name: 'Talkdesk sandbox' };
const WORKFLOW_ID = 'talkdeskE2eFlow001';
const CALLBACKS = 2_100;
const NOW = Date.now();

let sandbox: Sandbox;
let n8n: N8nInstance;
let run: RunResult;

const talkdeskNode = packageNodes(
	'talkdesk',
	{ talkdeskApi: CREDENTIAL },
	{ resource: 'callback' },
);

const workflow = {
	id: WORKFLOW_ID,
	name: 'Talkdesk end to end',
	active: false,
	nodes: [
		MANUAL_TRIGGER,
		talkdeskNode('Get All', [250, 0], { operation: 'getMany', returnAll: true }),
		talkdeskNode(
			'Reschedule First',
			[500, -100],
			{
				operation: 'update',
				callbackId: { __rl: true, mode: 'id', value: '={{ $json.id }}' },
				updateFields: { callbackTime: '2027-01-15T14:30:00', timeZone: 'Asia/Kolkata' },
			},
			{ executeOnce: true },
		),
		talkdeskNode(
			'Cancel Second',
			[500, 100],
			{ operation: 'cancel', callbackId: "={{ $('Get All').all()[1].json.id }}" },
			{ executeOnce: true },
		),
	],
	connections: {
		Start: { main: [[{ node: 'Get All', type: 'main', index: 0 }]] },
		'Get All': {
			main: [
				[
					{ node: 'Reschedule First', type: 'main', index: 0 },
					{ node: 'Cancel Second', type: 'main', index: 0 },
				],
			],
		},
	},
	settings: { executionOrder: 'v1' },
};

function credentialData(client = TALKDESK_CLIENT): Record<string, unknown> {
	return {
		region: 'custom',
		apiBaseUrl: sandbox.baseUrls.talkdesk,
		tokenUrl: sandbox.baseUrls.talkdeskToken,
		clientId: client.id,
		clientSecret: client.secret,
		scopes: 'schedule-callbacks:read schedule-callbacks:write callback:write',
	};
}

const listRequests = () => sandbox.requests.filter((r) => r.route === '/api/schedule-callbacks');
const tokenRequests = () => sandbox.requests.filter((r) => r.route === '/id/oauth/token');

beforeAll(async () => {
	if (!fs.existsSync(path.join(REPO_ROOT, 'dist', 'nodes', 'Talkdesk', 'Talkdesk.node.js'))) {
		throw new Error(
			'Build the package first (npm run build): the e2e tests install dist/ as users get it',
		);
	}
	const [install, tgz] = await Promise.all([ensureN8n(), packPackage()]);
	sandbox = await startSandbox({ talkdesk: { callbacks: 0 } });
	sandbox.talkdesk.addCallbacks(CALLBACKS, (index) => ({
		next_time_to_call: new Date(NOW + (index + 1) * 60_000).toISOString().replace(/\.\d{3}Z$/, 'Z'),
	}));
	n8n = await createUserFolder(install, tgz);
	const credential = { ...CREDENTIAL, type: 'talkdeskApi', data: credentialData() };
	expect((await n8n.importCredentials([credential])).exitCode).toBe(0);
	expect((await n8n.importWorkflows([workflow])).exitCode).toBe(0);
	// Pages 1 and 2 are answered; then every token issued so far expires.
	sandbox.talkdesk.expireTokensAfter(2);
	run = await n8n.execute(WORKFLOW_ID);
});

afterAll(async () => {
	await n8n?.cleanup();
	await sandbox?.close();
});

describe('Talkdesk node in n8n (n8n execute)', () => {
	it('runs the workflow to success', () => {
		expect({ status: run.status, error: run.error?.message }).toEqual({
			status: 'success',
			error: undefined,
		});
	});

	it('n8n fetches the token from the token endpoint, with Basic client auth and a form body', () => {
		const [first] = tokenRequests();
		expect(first.method).toBe('POST');
		expect(first.headers.authorization).toBe(
			`Basic ${Buffer.from(`${TALKDESK_CLIENT.id}:${TALKDESK_CLIENT.secret}`).toString('base64')}`,
		);
		expect(first.form).toMatchObject({ grant_type: 'client_credentials' });
	});

	it('the token expires mid Return All: n8n fetches a new one and every callback arrives exactly once', () => {
		const items = nodeOutput(run.runData, 'Get All');
		expect(items).toHaveLength(CALLBACKS);
		const ids = items.map((item) => item.id as string);
		expect(new Set(ids).size).toBe(CALLBACKS);
		expect(new Set(ids)).toEqual(new Set(sandbox.talkdesk.callbacks().map((c) => c.id)));
		// A new token was fetched, and some page was asked for again with it.
		expect(tokenRequests().length).toBeGreaterThanOrEqual(2);
		const tokensByPage = new Map<string, Set<string>>();
		for (const request of listRequests()) {
			const tokens = tokensByPage.get(request.query.page) ?? new Set<string>();
			tokens.add(request.headers.authorization);
			tokensByPage.set(request.query.page, tokens);
		}
		expect([...tokensByPage.keys()].sort()).toEqual(['1', '2', '3', '4', '5']);
		expect([...tokensByPage.values()].some((tokens) => tokens.size === 2)).toBe(true);
		expect(listRequests().every((r) => r.query.per_page === '500')).toBe(true);
		// No token or secret in what n8n keeps.
		const kept = JSON.stringify(run.runData);
		expect(kept).not.toContain(TALKDESK_CLIENT.secret);
		for (const request of sandbox.requests) {
			const token = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1];
			if (token) expect(kept).not.toContain(token);
		}
	});

	it('reschedules the first with a JSON Patch and cancels the second', () => {
		const [first, second] = nodeOutput(run.runData, 'Get All');
		// 14:30 in Kolkata (+5:30) is 09:00 UTC.
		expect(nodeOutput(run.runData, 'Reschedule First')).toEqual([
			expect.objectContaining({
				id: first.id,
				scheduledAt: '2027-01-15T09:00:00Z',
				timezone: 'Asia/Kolkata',
			}),
		]);
		const patch = sandbox.requests.find((r) => r.method === 'PATCH');
		expect(patch?.json).toEqual([
			{ op: 'replace', path: '/timeToCall', value: '2027-01-15T09:00:00Z' },
			{ op: 'replace', path: '/timezone', value: 'Asia/Kolkata' },
		]);
		expect(nodeOutput(run.runData, 'Cancel Second')).toEqual([
			{ id: second.id, provider: 'talkdesk', cancelled: true },
		]);
		expect(sandbox.talkdesk.getCallback(second.id as string)?.status).toBe('CANCELED');
	});
});

describe('Talkdesk credential test on an n8n server', () => {
	it('passes for a good client, fails for a wrong secret and for a client without the read scope', async () => {
		const server = await n8n.startServer();
		try {
			await server.setupOwner();
			const good = await server.testCredential({
				...CREDENTIAL,
				type: 'talkdeskApi',
				data: credentialData(),
			});
			expect(good).toEqual({ status: 'OK', message: expect.any(String) });

			const wrongValue = 'wrong-value-0000';
			const wrong = await server.testCredential({
				...CREDENTIAL,
				type: 'talkdeskApi',
				data: { ...credentialData(), clientSecret: wrongValue },
			});
			expect(wrong.status).toBe('Error');
			expect(wrong.message).toContain('invalid_client');
			expect(wrong.message).not.toContain(wrongValue);

			const noRead = await server.testCredential({
				...CREDENTIAL,
				type: 'talkdeskApi',
				data: credentialData(TALKDESK_CLIENT_NO_READ),
			});
			expect(noRead.status).toBe('Error');
			expect(noRead.message).toContain('schedule-callbacks:read');
		} finally {
			await server.stop();
		}
	});
});
