/**
 * `npm start` (after `npm run build`): a real n8n with this package installed,
 * talking to the provider sandbox, with demo credentials and workflows.
 *
 *   npm start [-- --exit-after SECONDS] [--port N] [--sandbox-port N] [--callbacks N] [--verbose]
 *
 * Environment: N8N_DEMO_PORT (default 5678, or the next free port),
 * DEMO_EXIT_AFTER (seconds), N8N_CACHE_DIR (see test/e2e/ensure-n8n.sh).
 *
 * The first run installs n8n into a cache outside the repository (several
 * minutes); later runs start in about 20 s. The demo user folder lives in that
 * cache and is recreated on every run. Runs until Ctrl-C (or --exit-after),
 * then stops n8n and the sandbox.
 */
import * as fsp from 'node:fs/promises';
import * as fs from 'node:fs';
import * as path from 'node:path';

import { startSandbox } from '../sandbox/server';
import {
	REPO_ROOT,
	createUserFolder,
	ensureN8n,
	freePortFrom,
	packPackage,
	type N8nServer,
} from '../e2e/n8n';
import {
	CONVOSO_DEMO_CREDENTIAL,
	SANDBOX_CONVOSO_TOKEN,
	convosoSandboxBaseUrl,
	demoCredentials,
	SANDBOX_SPEKO_KEY,
	spekoSandboxBaseUrl,
} from './credentials';
import { demoWorkflows } from './workflows';

interface DemoOptions {
	port: number;
	sandboxPort: number;
	callbacks: number;
	exitAfterSeconds?: number;
	verbose: boolean;
}

const DEMO_OWNER = {
	email: 'demo@example.com',
	firstName: 'Demo',
	lastName: 'User',
	// eslint-disable-next-line @n8n/community-nodes/no-hardcoded-secrets -- login of a local demo instance on 127.0.0.1
	password: 'Callbacks-Demo-1',
};

function usage(): string {
	return 'Usage: npm start -- [--exit-after SECONDS] [--port N] [--sandbox-port N] [--callbacks N] [--verbose]';
}

function parseNumber(flag: string, text: string | undefined): number {
	const value = Number(text);
	if (text === undefined || text === '' || !Number.isFinite(value) || value < 0) {
		throw new Error(`${flag} needs a non-negative number, got ${JSON.stringify(text)}\n${usage()}`);
	}
	return value;
}

function parseArgs(argv: string[]): DemoOptions {
	const options: DemoOptions = {
		port: process.env.N8N_DEMO_PORT
			? parseNumber('N8N_DEMO_PORT', process.env.N8N_DEMO_PORT)
			: 5678,
		sandboxPort: 4010,
		callbacks: 120,
		exitAfterSeconds: process.env.DEMO_EXIT_AFTER
			? parseNumber('DEMO_EXIT_AFTER', process.env.DEMO_EXIT_AFTER)
			: undefined,
		verbose: false,
	};
	for (let i = 0; i < argv.length; i++) {
		const [flag, inline] = argv[i].split('=', 2);
		const value = () => inline ?? argv[++i];
		switch (flag) {
			case '--exit-after':
				options.exitAfterSeconds = parseNumber(flag, value());
				break;
			case '--port':
				options.port = parseNumber(flag, value());
				break;
			case '--sandbox-port':
				options.sandboxPort = parseNumber(flag, value());
				break;
			case '--callbacks':
				options.callbacks = parseNumber(flag, value());
				break;
			case '--verbose':
				options.verbose = true;
				break;
			case '--help':
			case '-h':
				console.log(usage());
				process.exit(0);
				break;
			default:
				throw new Error(`Unknown option: ${argv[i]}\n${usage()}`);
		}
	}
	return options;
}

function step(message: string): void {
	console.log(`[demo] ${message}`);
}

function seconds(since: number): string {
	return `${((Date.now() - since) / 1000).toFixed(1)} s`;
}

async function main(): Promise<void> {
	const options = parseArgs(process.argv.slice(2));

	// What to stop on the way out, filled in as things start.
	const running: { server?: N8nServer; closeSandbox?: () => Promise<void> } = {};
	let shuttingDown: Promise<void> | undefined;

	const shutdown = (reason: string, exitCode: number): Promise<void> => {
		shuttingDown ??= (async () => {
			step(`${reason}: stopping n8n and the sandbox...`);
			await running.server
				?.stop()
				.catch((error: Error) => console.error(`[demo] stopping n8n: ${error.message}`));
			await running
				.closeSandbox?.()
				.catch((error: Error) => console.error(`[demo] closing the sandbox: ${error.message}`));
			step('stopped.');
			// Anything still running (an install, an import) is killed by the
			// harness's exit handler.
			process.exit(exitCode);
		})();
		return shuttingDown;
	};
	let firstSignalAt = 0;
	for (const signal of ['SIGINT', 'SIGTERM'] as const) {
		process.on(signal, () => {
			if (shuttingDown) {
				// Under `npm start`, one Ctrl-C arrives twice (from the terminal and
				// relayed by tsx): only a later, second Ctrl-C means "now".
				if (Date.now() - firstSignalAt < 2000) return;
				console.error('[demo] second signal: exiting now.');
				process.exit(130);
			}
			firstSignalAt = Date.now();
			void shutdown(`${signal} received`, 0);
		});
	}

	if (!fs.existsSync(path.join(REPO_ROOT, 'dist'))) {
		throw new Error('dist/ is missing: run `npm start` (it builds first) or `npm run build`.');
	}

	let started = Date.now();
	step(
		'Checking the n8n install (the first run installs n8n 2.41.1 and Node 24: several minutes)...',
	);
	const install = await ensureN8n({ onProgress: (chunk) => process.stderr.write(chunk) });
	step(`n8n is ready in ${install.dir} (${seconds(started)}).`);

	started = Date.now();
	const sandboxPort = await freePortFrom(options.sandboxPort);
	const sandbox = await startSandbox({
		port: sandboxPort,
		convoso: { callbacks: options.callbacks, token: SANDBOX_CONVOSO_TOKEN },
		speko: { key: SANDBOX_SPEKO_KEY },
	});
	running.closeSandbox = async () => await sandbox.close();
	step(
		`Provider sandbox on ${sandbox.url} (${options.callbacks} Convoso callbacks, Speko callbacks).`,
	);

	started = Date.now();
	const demoDir = path.join(install.dir, 'demo');
	await fsp.mkdir(demoDir, { recursive: true });
	const tgz = await packPackage(REPO_ROOT);
	const instance = await createUserFolder(install, tgz, { userFolder: path.join(demoDir, 'user') });
	await fsp.rm(path.dirname(tgz), { recursive: true, force: true });
	step(`Installed ${instance.packageName} into ${instance.userFolder} (${seconds(started)}).`);

	started = Date.now();
	const credentials = demoCredentials(sandbox.url);
	const workflows = demoWorkflows(sandbox.url);
	await instance.importCredentials(credentials);
	await instance.importWorkflows(workflows);
	step(
		`Imported ${credentials.length} credential(s) and ${workflows.length} workflow(s) (${seconds(started)}).`,
	);

	started = Date.now();
	const port = await freePortFrom(options.port);
	if (port !== options.port) step(`Port ${options.port} is taken: using ${port}.`);
	const logFile = path.join(demoDir, 'n8n.log');
	await fsp.writeFile(logFile, '');
	step('Starting n8n (about 15 s)...');
	const server = await instance.startServer({
		port,
		logFile,
		onOutput: options.verbose ? (chunk) => process.stdout.write(chunk) : undefined,
	});
	running.server = server;
	void server.exited.then((code) => {
		if (!shuttingDown) void shutdown(`n8n exited unexpectedly (code ${code}; see ${logFile})`, 1);
	});
	const owner = await server.setupOwner(DEMO_OWNER);
	step(`n8n is up (${seconds(started)}).`);

	const loadFailure = server.logs().match(/Failed to load package "[^"]+"\s*\n([^\n]*)/);
	if (loadFailure) {
		console.warn(`[demo] WARNING: n8n could not load the package: ${loadFailure[1]}`);
		console.warn('[demo] (was it built from a complete tree? `npm start` builds first)');
	}

	const check = await server
		.testCredential({
			id: CONVOSO_DEMO_CREDENTIAL.id,
			name: CONVOSO_DEMO_CREDENTIAL.name,
			type: 'convosoApi',
		})
		.catch((error: Error) => ({ status: 'Error', message: error.message }));
	const credentialLine = check.status === 'OK' ? 'OK' : `${check.status}: ${check.message}`;

	const line = '='.repeat(72);
	console.log(
		[
			'',
			line,
			'  n8n with n8n-nodes-callbacks is running',
			'',
			`  Open:      ${server.url}/`,
			`  Email:     ${owner.email}`,
			`  Password:  ${owner.password}`,
			'',
			`  Sandbox:   ${sandbox.url}`,
			`  Convoso:   ${convosoSandboxBaseUrl(sandbox.url)} (token ${SANDBOX_CONVOSO_TOKEN})`,
			`  Speko:     ${spekoSandboxBaseUrl(sandbox.url)} (key ${SANDBOX_SPEKO_KEY})`,
			`  Credential "${CONVOSO_DEMO_CREDENTIAL.name}" test: ${credentialLine}`,
			`  Workflows: ${workflows.map((w) => (w as { name?: string }).name).join(', ')}`,
			`  n8n log:   ${logFile}`,
			'',
			options.exitAfterSeconds !== undefined
				? `  Stops by itself in ${options.exitAfterSeconds} s (or press Ctrl-C).`
				: '  Press Ctrl-C to stop.',
			line,
			'',
		].join('\n'),
	);

	if (options.exitAfterSeconds !== undefined) {
		setTimeout(
			() => void shutdown(`--exit-after ${options.exitAfterSeconds} s elapsed`, 0),
			options.exitAfterSeconds * 1000,
		);
	}
	// Keep running: the sandbox and the child process keep the event loop busy.
}

main().catch((error: Error) => {
	console.error(`[demo] failed: ${error.stack ?? error.message}`);
	// Processes started so far are killed by the harness's exit handler.
	process.exit(1);
});
