/**
 * The demo: the provider sandbox with demo data, a real n8n with this package
 * installed (from `npm pack`), demo credentials and workflows, an owner account,
 * and every demo credential tested. `npm start` and the browser test both bring
 * it up through `startDemo`, so the browser test checks what a newcomer sees.
 */
import * as fs from 'node:fs';
import * as fsp from 'node:fs/promises';
import * as path from 'node:path';

import {
	REPO_ROOT,
	createUserFolder,
	ensureN8n,
	freePortFrom,
	packPackage,
	type N8nInstance,
	type N8nServer,
	type OwnerLogin,
} from '../e2e/n8n';
import { startFakeOpenAi } from '../fakes/openai';
import type { FakeOpenAi } from '../fakes/openai';
import { startSandbox } from '../sandbox/server';
import type { Sandbox } from '../sandbox/server';
import { DEMO_MODEL_FALLBACK, DEMO_MODEL_ID, DEMO_MODEL_KEY, demoModelScripts } from './agent';
import {
	demoCredentials,
	demoModelCredential,
	SANDBOX_CONVOSO_TOKEN,
	SANDBOX_SPEKO_KEY,
} from './credentials';
import { demoWorkflows } from './workflows';

export const DEMO_OWNER = {
	email: 'demo@example.com',
	firstName: 'Demo',
	lastName: 'User',
	// eslint-disable-next-line @n8n/community-nodes/no-hardcoded-secrets -- login of a local demo instance on 127.0.0.1
	password: 'Callbacks-Demo-1',
};

export interface DemoOptions {
	/** Preferred ports: the next free ones are taken when these are busy. */
	port: number;
	sandboxPort: number;
	callbacks: number;
	/** Where n8n's user folder goes (recreated); default: the demo folder in the n8n cache. */
	userFolder?: string;
	verbose?: boolean;
	log(message: string): void;
}

export interface DemoCredentialTest {
	id: string;
	name: string;
	type: string;
	status: string;
	message?: string;
}

export interface Demo {
	server: N8nServer;
	instance: N8nInstance;
	owner: OwnerLogin;
	sandbox: Sandbox;
	/** The scripted OpenAI-compatible chat model of the example agent workflow. */
	model: FakeOpenAi;
	workflows: Array<{ id: string; name: string }>;
	/** One line per provider: what demo data the sandbox holds. */
	demoData: string[];
	credentialTests: DemoCredentialTest[];
	logFile: string;
	/** A warning when n8n could not load the package. */
	loadFailure?: string;
	stop(): Promise<void>;
}

function seconds(since: number): string {
	return `${((Date.now() - since) / 1000).toFixed(1)} s`;
}

export async function startDemo(options: DemoOptions): Promise<Demo> {
	const { log } = options;
	if (!fs.existsSync(path.join(REPO_ROOT, 'dist'))) {
		throw new Error('dist/ is missing: run `npm start` (it builds first) or `npm run build`.');
	}
	const stops: Array<() => Promise<void>> = [];
	const stop = async () => {
		for (const stopOne of stops.reverse()) await stopOne().catch(() => undefined);
	};
	let up = false;
	try {
		let started = Date.now();
		log(
			'Checking the n8n install (the first run installs n8n 2.41.1 and Node 24: several minutes)...',
		);
		const install = await ensureN8n({ onProgress: (chunk) => process.stderr.write(chunk) });
		log(`n8n is ready in ${install.dir} (${seconds(started)}).`);

		const sandbox = await startSandbox({
			port: await freePortFrom(options.sandboxPort),
			convoso: { callbacks: options.callbacks, token: SANDBOX_CONVOSO_TOKEN },
			speko: { key: SANDBOX_SPEKO_KEY },
			talkdesk: {},
			ameyo: {},
		});
		stops.push(() => sandbox.close());
		const demoData = [
			`Convoso: ${sandbox.convoso.callbacks().length} callbacks, ${sandbox.convoso.leads().length} leads`,
			`Speko: ${sandbox.speko.callbacks().length} callbacks`,
			`Talkdesk: ${sandbox.talkdesk.callbacks().length} callbacks`,
			`Ameyo: ${sandbox.ameyo.callbacks().length} callbacks in campaigns ${[...new Set(sandbox.ameyo.callbacks().map((c) => c.campaignId))].join(', ')}`,
		];
		log(`Provider sandbox on ${sandbox.url} (${demoData.join('; ')}).`);
		// The agent example's chat model: scripted, on loopback, for as long as the demo runs.
		const model = await startFakeOpenAi({
			scripts: demoModelScripts(),
			apiKey: DEMO_MODEL_KEY,
			models: [DEMO_MODEL_ID],
			fallbackText: DEMO_MODEL_FALLBACK,
			maxLifetimeMs: 0,
		});
		stops.push(() => model.close());
		log(`Scripted chat model on ${model.baseUrl}.`);

		started = Date.now();
		const demoDir = path.join(install.dir, 'demo');
		await fsp.mkdir(demoDir, { recursive: true });
		const tgz = await packPackage(REPO_ROOT);
		const instance = await createUserFolder(install, tgz, {
			userFolder: options.userFolder ?? path.join(demoDir, 'user'),
		});
		await fsp.rm(path.dirname(tgz), { recursive: true, force: true });
		log(`Installed ${instance.packageName} into ${instance.userFolder} (${seconds(started)}).`);

		started = Date.now();
		const credentials = [
			...demoCredentials(sandbox.url),
			demoModelCredential(model.baseUrl, DEMO_MODEL_KEY),
		] as Array<{
			id: string;
			name: string;
			type: string;
		}>;
		const workflows = demoWorkflows(sandbox.url) as Array<{ id: string; name: string }>;
		await instance.importCredentials(credentials);
		await instance.importWorkflows(workflows);
		log(
			`Imported ${credentials.length} credential(s) and ${workflows.length} workflow(s) (${seconds(started)}).`,
		);

		started = Date.now();
		const port = await freePortFrom(options.port);
		if (port !== options.port) log(`Port ${options.port} is taken: using ${port}.`);
		const logFile = path.join(path.dirname(instance.userFolder), `n8n-${port}.log`);
		await fsp.writeFile(logFile, '');
		log('Starting n8n (about 15 s)...');
		const server = await instance.startServer({
			port,
			logFile,
			onOutput: options.verbose ? (chunk) => process.stdout.write(chunk) : undefined,
		});
		stops.push(() => server.stop());
		const owner = await server.setupOwner(DEMO_OWNER);
		log(`n8n is up (${seconds(started)}).`);

		const loadFailure = server.logs().match(/Failed to load package "[^"]+"\s*\n([^\n]*)/)?.[1];
		// Every demo credential's test, as the editor's Test button runs it.
		const credentialTests: DemoCredentialTest[] = [];
		for (const { id, name, type } of credentials) {
			const check = await server
				.testCredential({ id, name, type })
				.catch((error: Error) => ({ status: 'Error', message: error.message }));
			credentialTests.push({ id, name, type, status: check.status, message: check.message });
		}
		up = true;
		return {
			server,
			instance,
			owner,
			sandbox,
			model,
			workflows,
			demoData,
			credentialTests,
			logFile,
			loadFailure,
			stop,
		};
	} finally {
		// Whatever started before a failure is stopped again.
		if (!up) await stop();
	}
}
