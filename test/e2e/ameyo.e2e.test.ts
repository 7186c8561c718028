/**
 * The Ameyo node in a real n8n (community package install, CLI import, `n8n execute`)
 * against the sandbox: n8n logs in through the credential's preAuthentication and
 * stores the session; the session expires in the middle of a Return All over 2,500
 * callbacks, n8n logs in again exactly once and every callback arrives once; a second
 * execution reuses the stored session (no login); no output, error or log line holds
 * the session id or the password.
 */
import fs from 'node:fs';
import path from 'node:path';

import { AMEYO_SUPERVISOR } from '../sandbox/ameyo';
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

const CREDENTIAL = { id: 'ameyoE2eCred00001', name: 'Ameyo sandbox' };
const LIST_FLOW = 'ameyoE2eFlow00001';
const SECOND_FLOW = 'ameyoE2eFlow00002';
const CALLBACKS = 2_500;
const LIST = '/ameyorestapi/voice/customerCallbacks/getFiltered';
const LOGIN = '/ameyorestapi/session/userLogin';

let sandbox: Sandbox;
let n8n: N8nInstance;
let first: RunResult;
let second: RunResult;
/** The ids in campaign 110 before the run: the 2,500 added and the sandbox's own. */
let listed: string[];

const ameyoNode = packageNodes('ameyo', { ameyoApi: CREDENTIAL }, { resource: 'callback' });

const workflows = [
	{
		id: LIST_FLOW,
		name: 'Ameyo end to end',
		active: false,
		nodes: [
			MANUAL_TRIGGER,
			ameyoNode('Get All', [250, 0], { operation: 'getMany', campaignId: 110, returnAll: true }),
			ameyoNode(
				'Delete First',
				[500, 0],
				{
					operation: 'delete',
					callbackId: { __rl: true, mode: 'id', value: '={{ $json.id }}' },
				},
				{ executeOnce: true },
			),
		],
		connections: {
			Start: { main: [[{ node: 'Get All', type: 'main', index: 0 }]] },
			'Get All': { main: [[{ node: 'Delete First', type: 'main', index: 0 }]] },
		},
		settings: { executionOrder: 'v1' },
	},
	{
		id: SECOND_FLOW,
		name: 'Ameyo second execution',
		active: false,
		nodes: [
			MANUAL_TRIGGER,
			ameyoNode('Get Some', [250, 0], { operation: 'getMany', campaignId: 111, limit: 5 }),
		],
		connections: { Start: { main: [[{ node: 'Get Some', type: 'main', index: 0 }]] } },
		settings: { executionOrder: 'v1' },
	},
];

const requests = (route: string) => sandbox.requests.filter((r) => r.route === route);

beforeAll(async () => {
	if (!fs.existsSync(path.join(REPO_ROOT, 'dist', 'nodes', 'Ameyo', 'Ameyo.node.js'))) {
		throw new Error(
			'Build the package first (npm run build): the e2e tests install dist/ as users get it',
		);
	}
	const [install, tgz] = await Promise.all([ensureN8n(), packPackage()]);
	sandbox = await startSandbox({ ameyo: { callbacks: 20 } });
	sandbox.ameyo.addCallbacks(CALLBACKS, (index) => ({
		campaignId: 110,
		callbackTime: Date.now() + (index + 1) * 60_000,
		dateAdded: Date.now() - (CALLBACKS - index) * 1000,
	}));
	n8n = await createUserFolder(install, tgz);
	const credential = {
		...CREDENTIAL,
		type: 'ameyoApi',
		data: {
			baseUrl: sandbox.baseUrls.ameyo,
			userId: AMEYO_SUPERVISOR.userId,
			password: AMEYO_SUPERVISOR.password,
			countryCallingCode: '91',
		},
	};
	expect((await n8n.importCredentials([credential])).exitCode).toBe(0);
	expect((await n8n.importWorkflows(workflows)).exitCode).toBe(0);
	listed = sandbox.ameyo.callbacks(110).map((c) => c.customerCallbackId);
	// The first page is answered; then the session ends, as an idle timeout would.
	sandbox.ameyo.expireSessionsAfter(1);
	const debug = { env: { N8N_LOG_LEVEL: 'debug' } };
	first = await n8n.execute(LIST_FLOW, debug);
	second = await n8n.execute(SECOND_FLOW, debug);
});

afterAll(async () => {
	await n8n?.cleanup();
	await sandbox?.close();
});

describe('Ameyo node in n8n (n8n execute)', () => {
	it('runs both workflows to success', () => {
		expect([first.status, first.error?.message]).toEqual(['success', undefined]);
		expect([second.status, second.error?.message]).toEqual(['success', undefined]);
	});

	it('the session expires mid Return All: n8n logs in again exactly once, and every callback arrives once', () => {
		const items = nodeOutput(first.runData, 'Get All');
		expect(listed.length).toBeGreaterThan(CALLBACKS);
		expect(items).toHaveLength(listed.length);
		expect(new Set(items.map((item) => item.id))).toEqual(new Set(listed));
		const lists = requests(LIST).filter((r) => r.query.campaignId === '110');
		expect(lists.map((r) => r.query.offset)).toEqual(['0', '1000', '1000', '2000']);
		expect(new Set(lists.map((r) => r.headers.sessionid)).size).toBe(2);
		const [deleted] = nodeOutput(first.runData, 'Delete First');
		expect(deleted).toEqual({ id: items[0].id, provider: 'ameyo', deleted: true });
		expect(sandbox.ameyo.getCallback(items[0].id as string)).toBeUndefined();
	});

	it('the second execution reuses the stored session: two logins in all', () => {
		expect(requests(LOGIN)).toHaveLength(2);
		expect(sandbox.ameyo.loginsIssued).toBe(2);
		const secondList = requests(LIST).find((r) => r.query.campaignId === '111');
		const lastOfFirst = requests(LIST)
			.filter((r) => r.query.campaignId === '110')
			.at(-1);
		expect(secondList?.headers.sessionid).toBe(lastOfFirst?.headers.sessionid);
		expect(nodeOutput(second.runData, 'Get Some')).toHaveLength(5);
	});

	it('no output, error or log line holds a session id or the password', () => {
		const sessions = new Set(
			sandbox.requests.map((r) => r.headers.sessionid).filter((s): s is string => !!s),
		);
		expect(sessions.size).toBe(2);
		for (const run of [first, second]) {
			const everything = `${JSON.stringify(run.runData)}\n${run.stdout}\n${run.stderr}`;
			expect(everything).not.toContain(AMEYO_SUPERVISOR.password);
			for (const session of sessions) expect(everything).not.toContain(session);
		}
	});
});

describe('Ameyo credential test on an n8n server', () => {
	it('logs in and passes; a wrong password fails, saying what to check', async () => {
		sandbox.ameyo.expireSessions();
		const server = await n8n.startServer();
		try {
			await server.setupOwner();
			const data = {
				baseUrl: sandbox.baseUrls.ameyo,
				userId: AMEYO_SUPERVISOR.userId,
				password: AMEYO_SUPERVISOR.password,
			};
			const good = await server.testCredential({ ...CREDENTIAL, type: 'ameyoApi', data });
			expect(good).toEqual({ status: 'OK', message: expect.any(String) });
			const wrongValue = 'wrong-value-0000';
			const wrong = await server.testCredential({
				...CREDENTIAL,
				type: 'ameyoApi',
				data: { ...data, password: wrongValue },
			});
			expect(wrong.status).toBe('Error');
			expect(wrong.message).toContain('Check the User ID and Password');
			expect(wrong.message).not.toContain(wrongValue);
		} finally {
			await server.stop();
		}
	});
});
