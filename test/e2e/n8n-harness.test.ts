/**
 * Proves the real-n8n harness (test/e2e/n8n.ts) with built-in nodes only:
 * CLI import + execute, a failed run, `n8n start` with owner setup, the
 * package loaded from the user folder, executions over REST, and the
 * editor's credential-test endpoint.
 *
 * Package: this repository packed from `dist/` (built first only if `dist/`
 * is missing or lacks a file package.json lists). When the build fails (other work in progress), a tiny fake
 * community package generated in a temp dir is used instead: this test
 * checks the harness, not the Convoso node. N8N_HARNESS_FAKE_PACKAGE=1 forces
 * the fake package.
 *
 * Run: npx jest --selectProjects e2e --runInBand test/e2e/n8n-harness.test.ts
 */
import * as fs from 'node:fs';
import * as fsp from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';

import {
	REPO_ROOT,
	buildPackage,
	createUserFolder,
	ensureN8n,
	nodeOutput,
	packPackage,
	type N8nInstall,
	type N8nInstance,
	type N8nServer,
} from './n8n';

jest.setTimeout(15 * 60_000);

const FAKE_PACKAGE = 'n8n-nodes-harness-probe';

const timings: Record<string, number> = {};
async function timed<T>(label: string, fn: () => Promise<T>): Promise<T> {
	const started = Date.now();
	try {
		return await fn();
	} finally {
		timings[label] = Date.now() - started;
	}
}

/** A one-node community package in plain JS, packed with `npm pack`. */
async function fakePackageTarball(): Promise<string> {
	const dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'n8n-fake-package-'));
	await fsp.mkdir(path.join(dir, 'dist'));
	await fsp.writeFile(
		path.join(dir, 'package.json'),
		JSON.stringify(
			{
				name: FAKE_PACKAGE,
				version: '0.0.1',
				keywords: ['n8n-community-node-package'],
				license: 'MIT',
				main: 'index.js',
				files: ['dist'],
				n8n: { n8nNodesApiVersion: 1, nodes: ['dist/HarnessProbe.node.js'], credentials: [] },
			},
			null,
			2,
		),
	);
	await fsp.writeFile(
		path.join(dir, 'dist', 'HarnessProbe.node.js'),
		`'use strict';
class HarnessProbe {
	constructor() {
		this.description = {
			displayName: 'Harness Probe',
			name: 'harnessProbe',
			group: ['transform'],
			version: 1,
			description: 'Marks items as probed',
			defaults: { name: 'Harness Probe' },
			inputs: ['main'],
			outputs: ['main'],
			properties: [],
		};
	}
	async execute() {
		return [this.getInputData().map((item) => ({ json: { ...item.json, probed: true } }))];
	}
}
module.exports = { HarnessProbe };
`,
	);
	try {
		return await packPackage(dir);
	} finally {
		await fsp.rm(dir, { recursive: true, force: true });
	}
}

/** dist/ holds every file package.json's "n8n" section lists (else it is missing or stale). */
function distIsComplete(): boolean {
	const manifest = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as {
		n8n?: { nodes?: string[]; credentials?: string[] };
	};
	const files = [...(manifest.n8n?.nodes ?? []), ...(manifest.n8n?.credentials ?? [])];
	return files.length > 0 && files.every((file) => fs.existsSync(path.join(REPO_ROOT, file)));
}

async function packageTarball(): Promise<{ tgz: string; fake: boolean; note?: string }> {
	if (process.env.N8N_HARNESS_FAKE_PACKAGE === '1') {
		return { tgz: await fakePackageTarball(), fake: true };
	}
	if (!distIsComplete()) {
		const build = await buildPackage(REPO_ROOT);
		if (build.exitCode !== 0 || !distIsComplete()) {
			const output = (build.stdout + build.stderr).slice(-1500);
			const note = `npm run build failed (exit ${build.exitCode}); using a fake package:\n${output}`;
			return { tgz: await fakePackageTarball(), fake: true, note };
		}
	}
	return { tgz: await packPackage(REPO_ROOT), fake: false };
}

const HARNESS_WORKFLOW_ID = 'harnessBuiltins1';
const FAILING_WORKFLOW_ID = 'harnessFailing01';
const PROBE_WORKFLOW_ID = 'harnessProbeWf01';

const manualTrigger = {
	id: 'b0000000-0000-4000-8000-000000000001',
	name: 'When clicking Execute',
	type: 'n8n-nodes-base.manualTrigger',
	typeVersion: 1,
	position: [0, 0],
	parameters: {},
};

function chain(nodes: Array<{ name: string }>): Record<string, unknown> {
	const connections: Record<string, unknown> = {};
	for (let i = 0; i < nodes.length - 1; i++) {
		connections[nodes[i].name] = { main: [[{ node: nodes[i + 1].name, type: 'main', index: 0 }]] };
	}
	return connections;
}

function workflow(id: string, name: string, nodes: Array<{ name: string }>) {
	return {
		id,
		name,
		active: false,
		nodes,
		connections: chain(nodes),
		settings: { executionOrder: 'v1' },
		pinData: {},
	};
}

const setNode = {
	id: 'b0000000-0000-4000-8000-000000000002',
	name: 'Set',
	type: 'n8n-nodes-base.set',
	typeVersion: 3.4,
	position: [220, 0],
	parameters: {
		assignments: {
			assignments: [
				{ id: 'a1', name: 'greeting', value: 'hello', type: 'string' },
				{ id: 'a2', name: 'answer', value: '={{ 40 + 2 }}', type: 'number' },
			],
		},
		options: {},
	},
};

const codeNode = {
	id: 'b0000000-0000-4000-8000-000000000003',
	name: 'Code',
	type: 'n8n-nodes-base.code',
	typeVersion: 2,
	position: [440, 0],
	parameters: {
		jsCode:
			'return $input.all().map((item) => ({ json: { ...item.json, upper: item.json.greeting.toUpperCase() } }));',
	},
};

const failingCodeNode = {
	...codeNode,
	parameters: { jsCode: "throw new Error('harness boom');" },
};

describe('real n8n harness (built-in nodes)', () => {
	let install: N8nInstall;
	let instance: N8nInstance;
	let server: N8nServer | undefined;
	let tgz: string;
	let fake = false;

	beforeAll(async () => {
		install = await timed('ensureN8n', async () => await ensureN8n());
		const packed = await timed('pack', packageTarball);
		tgz = packed.tgz;
		fake = packed.fake;
		if (packed.note) console.warn(packed.note);
		instance = await timed('createUserFolder', async () => await createUserFolder(install, tgz));
	});

	afterAll(async () => {
		await server?.stop();
		await instance?.cleanup();
		if (tgz) await fsp.rm(path.dirname(tgz), { recursive: true, force: true });
		console.info(
			`harness timings (ms): ${JSON.stringify(timings)}; package: ${fake ? FAKE_PACKAGE + ' (fake)' : 'this repository'}`,
		);
	});

	it('installs the package where n8n looks for community packages', () => {
		const expected = fake ? FAKE_PACKAGE : 'n8n-nodes-callbacks';
		expect(instance.packageName).toBe(expected);
		const manifest = path.join(
			instance.userFolder,
			'.n8n',
			'nodes',
			'node_modules',
			expected,
			'package.json',
		);
		expect(fs.existsSync(manifest)).toBe(true);
	});

	it('imports and executes a workflow through the CLI', async () => {
		const workflows = [
			workflow(HARNESS_WORKFLOW_ID, 'Harness built-ins', [manualTrigger, setNode, codeNode]),
			workflow(FAILING_WORKFLOW_ID, 'Harness failing', [manualTrigger, failingCodeNode]),
		];
		if (fake) {
			const probe = {
				id: 'b0000000-0000-4000-8000-000000000004',
				name: 'Harness Probe',
				type: `${FAKE_PACKAGE}.harnessProbe`,
				typeVersion: 1,
				position: [220, 0],
				parameters: {},
			};
			workflows.push(workflow(PROBE_WORKFLOW_ID, 'Harness probe', [manualTrigger, probe]));
		}
		await timed('importWorkflows', async () => await instance.importWorkflows(workflows));

		const run = await timed('execute', async () => await instance.execute(HARNESS_WORKFLOW_ID));
		expect(run.exitCode).toBe(0);
		expect(run.status).toBe('success');
		expect(run.lastNodeExecuted).toBe('Code');
		expect(nodeOutput(run.runData, 'Code')).toEqual([
			{ greeting: 'hello', answer: 42, upper: 'HELLO' },
		]);

		if (fake) {
			const probed = await instance.execute(PROBE_WORKFLOW_ID);
			expect(probed.status).toBe('success');
			expect(nodeOutput(probed.runData, 'Harness Probe')).toEqual([{ probed: true }]);
		}
	});

	it('returns the run data of a failed execution', async () => {
		const run = await instance.execute(FAILING_WORKFLOW_ID);
		expect(run.exitCode).toBe(1);
		expect(run.status).toBe('error');
		expect(run.error?.message).toContain('harness boom');
		expect(run.runData['When clicking Execute']).toHaveLength(1);
		expect(run.runData.Code?.[0].error?.message).toContain('harness boom');
	});

	it('starts the server, sets up the owner and lists executions over REST', async () => {
		server = await timed('startServer', async () => await instance.startServer());
		expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
		const health = await server.request('GET', '/healthz');
		expect(health.json).toEqual({ status: 'ok' });

		const owner = await server.setupOwner();
		expect(owner.cookie).toMatch(/^n8n-auth=/);
		// GET /rest/login answers the user of the session cookie.
		const me = await server.rest<{ data: { email: string } }>('GET', '/login');
		expect(me.data.email).toBe(owner.email);

		// The package's node types are registered under "<package>.<node>".
		const types = await server.request('GET', '/types/nodes.json');
		expect(types.status).toBe(200);
		const names = (types.json as Array<{ name: string }>).map((t) => t.name);
		const prefix = `${instance.packageName}.`;
		expect(names.some((name) => name.startsWith(prefix))).toBe(true);

		const executions = await server.listExecutions(HARNESS_WORKFLOW_ID);
		expect(executions).toHaveLength(1);
		expect(executions[0]).toMatchObject({
			workflowId: HARNESS_WORKFLOW_ID,
			mode: 'cli',
			status: 'success',
		});

		const details = await server.getExecution(executions[0].id);
		expect(details.status).toBe('success');
		expect(nodeOutput(details.runData, 'Code')).toEqual([
			expect.objectContaining({ greeting: 'hello', answer: 42, upper: 'HELLO' }),
		]);

		const failed = await server.listExecutions(FAILING_WORKFLOW_ID, { status: ['error'] });
		expect(failed).toHaveLength(1);
		const failedDetails = await server.getExecution(failed[0].id);
		expect(failedDetails.error?.message).toContain('harness boom');
	});

	it('calls the editor credential-test endpoint', async () => {
		expect(server).toBeDefined();
		// A built-in type without a test function: proves the endpoint and payload shape.
		const result = await server!.testCredential({
			name: 'Basic',
			type: 'httpBasicAuth',
			data: { user: 'a', password: 'b' },
		});
		expect(result).toEqual({
			status: 'Error',
			message: expect.stringContaining('No testing function'),
		});
	});

	it('stops the server and its task runner', async () => {
		const pid = server!.pid;
		await timed('stopServer', async () => await server!.stop());
		expect(() => process.kill(-pid, 0)).toThrow();
	});
});
