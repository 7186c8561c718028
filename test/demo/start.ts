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
import {
	ameyoSandboxBaseUrl,
	convosoSandboxBaseUrl,
	SANDBOX_CONVOSO_TOKEN,
	SANDBOX_SPEKO_KEY,
	spekoSandboxBaseUrl,
	talkdeskSandboxUrls,
} from './credentials';
import { AMEYO_SUPERVISOR } from '../sandbox/ameyo';
import { TALKDESK_CLIENT } from '../sandbox/talkdesk';
import { DEMO_MODEL_KEY } from './agent';
import { startDemo } from './demo';
import type { Demo } from './demo';

interface StartOptions {
	port: number;
	sandboxPort: number;
	callbacks: number;
	exitAfterSeconds?: number;
	verbose: boolean;
}

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

function parseArgs(argv: string[]): StartOptions {
	const options: StartOptions = {
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

async function main(): Promise<void> {
	const options = parseArgs(process.argv.slice(2));

	// Filled in once the demo is up, for the shutdown to stop it.
	const running: { demo?: Demo } = {};
	let shuttingDown: Promise<void> | undefined;

	const shutdown = (reason: string, exitCode: number): Promise<void> => {
		shuttingDown ??= (async () => {
			step(`${reason}: stopping n8n and the sandbox...`);
			await running.demo?.stop();
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

	const demo = await startDemo({ ...options, log: step });
	running.demo = demo;
	const { server, owner, sandbox, model, workflows, logFile } = demo;
	void server.exited.then((code) => {
		if (!shuttingDown) void shutdown(`n8n exited unexpectedly (code ${code}; see ${logFile})`, 1);
	});
	if (demo.loadFailure) {
		console.warn(`[demo] WARNING: n8n could not load the package: ${demo.loadFailure}`);
		console.warn('[demo] (was it built from a complete tree? `npm start` builds first)');
	}
	const credentialTests = demo.credentialTests.map(
		(test) =>
			`"${test.name}" test: ${test.status === 'OK' ? 'OK' : `${test.status}: ${test.message}`}`,
	);
	const demoData = demo.demoData;

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
			`  Ameyo:     ${ameyoSandboxBaseUrl(sandbox.url)} (user ${AMEYO_SUPERVISOR.userId}, password ${AMEYO_SUPERVISOR.password})`,
			`  Talkdesk:  ${talkdeskSandboxUrls(sandbox.url).api} (client ${TALKDESK_CLIENT.id}, token URL ${talkdeskSandboxUrls(sandbox.url).token})`,
			`  AI model:  ${model.baseUrl} (scripted, for the AI Agent example; key ${DEMO_MODEL_KEY})`,
			...demoData.map((data) => `  Demo data: ${data}`),
			...credentialTests.map((test) => `  Credential ${test}`),
			`  Workflows: ${workflows.map((w) => w.name).join(', ')}`,
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
