/**
 * PostgreSQL and Redis for the queue-mode tests, started by the test itself on
 * 127.0.0.1 (free ports, data in a temp folder) and stopped after it.
 *
 * - The server binaries are searched for: PATH first, then the usual install
 *   folders (Debian and Ubuntu keep PostgreSQL's in /usr/lib/postgresql/<version>/bin,
 *   the newest version wins). When one is missing and the test runs as root on
 *   Debian, Debian's packages are installed (`apt-get install -y postgresql
 *   redis-server`, non-interactive); otherwise the error says what to install.
 * - PostgreSQL refuses to run as root: as root, initdb and the server run as the
 *   `postgres` user (`runuser`, else `su`). Authentication is `trust` on loopback
 *   only; fsync is off (a test database).
 * - Every server is spawned as the leader of its own process group under
 *   `timeout`, so it ends by itself even if this process is killed. `stop()` ends
 *   it and removes its folder; a process 'exit' handler does the same as a last
 *   resort.
 */
import { execFile, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as fsp from 'node:fs/promises';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';

import { freePort } from '../e2e/n8n';

/** How long a service may live at most (it stops by itself then). */
const DEFAULT_MAX_LIFETIME_S = 40 * 60;

export interface ServiceBinaries {
	/** Folder with initdb, postgres (and usually psql, createdb). */
	postgresBin: string;
	psql: string;
	redisServer: string;
}

export interface PostgresServer {
	host: string;
	port: number;
	/** The superuser (trust authentication on loopback: any password is accepted). */
	user: string;
	password: string;
	pid: number;
	/** Creates a database owned by `user`. */
	createDatabase(name: string): Promise<void>;
	/** Runs SQL with psql and returns the rows of the last statement (a SELECT). */
	query<T = Record<string, unknown>>(database: string, sql: string): Promise<T[]>;
	stop(): Promise<void>;
}

export interface RedisServer {
	host: string;
	port: number;
	pid: number;
	stop(): Promise<void>;
}

export interface StartedServices {
	postgres: PostgresServer;
	redis: RedisServer;
	/** The temp folder that holds both data folders. */
	dir: string;
	stop(): Promise<void>;
}

// ---------------------------------------------------------------------------
// Finding (or installing) the binaries

function isExecutable(file: string): boolean {
	try {
		fs.accessSync(file, fs.constants.X_OK);
		return fs.statSync(file).isFile();
	} catch {
		return false;
	}
}

function onPath(name: string): string | undefined {
	for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
		if (dir && isExecutable(path.join(dir, name))) return path.join(dir, name);
	}
	return undefined;
}

/** Version folders under `root` (e.g. /usr/lib/postgresql/15), newest first. */
function versionDirs(root: string): string[] {
	try {
		return fs
			.readdirSync(root)
			.filter((entry) => /^\d+(\.\d+)?$/.test(entry))
			.sort((a, b) => Number(b) - Number(a))
			.map((entry) => path.join(root, entry));
	} catch {
		return [];
	}
}

function findPostgresBin(): string | undefined {
	const candidates: string[] = [];
	const fromPath = onPath('initdb');
	// A symlink on PATH (as some images have) leads to the real folder with the rest.
	if (fromPath) candidates.push(path.dirname(fs.realpathSync(fromPath)), path.dirname(fromPath));
	for (const root of ['/usr/lib/postgresql', '/usr/local/lib/postgresql']) {
		candidates.push(...versionDirs(root).map((dir) => path.join(dir, 'bin')));
	}
	candidates.push('/usr/local/pgsql/bin', '/opt/homebrew/bin', '/usr/local/bin');
	try {
		for (const entry of fs
			.readdirSync('/usr')
			.filter((e) => /^pgsql-\d+$/.test(e))
			.sort()
			.reverse())
			candidates.push(path.join('/usr', entry, 'bin'));
	} catch {
		// no /usr listing
	}
	return candidates.find(
		(dir) => isExecutable(path.join(dir, 'initdb')) && isExecutable(path.join(dir, 'postgres')),
	);
}

function findRedisServer(): string | undefined {
	return (
		onPath('redis-server') ??
		['/usr/bin', '/usr/sbin', '/usr/local/bin', '/opt/homebrew/bin']
			.map((dir) => path.join(dir, 'redis-server'))
			.find(isExecutable)
	);
}

function findBinaries(): Partial<ServiceBinaries> {
	const postgresBin = findPostgresBin();
	const psql =
		postgresBin && isExecutable(path.join(postgresBin, 'psql'))
			? path.join(postgresBin, 'psql')
			: onPath('psql');
	return { postgresBin, psql, redisServer: findRedisServer() };
}

function isRoot(): boolean {
	return typeof process.getuid === 'function' && process.getuid() === 0;
}

function isDebian(): boolean {
	return fs.existsSync('/etc/debian_version') && onPath('apt-get') !== undefined;
}

interface ExecResult {
	code: number | null;
	stdout: string;
	stderr: string;
}

function exec(
	command: string,
	args: string[],
	options: { env?: NodeJS.ProcessEnv; timeoutMs?: number; cwd?: string } = {},
): Promise<ExecResult> {
	return new Promise((resolve) => {
		// eslint-disable-next-line @n8n/community-nodes/no-dangerous-functions -- test harness, not a node: argv array, no shell
		execFile(
			command,
			args,
			{
				env: options.env ?? process.env,
				timeout: options.timeoutMs ?? 120_000,
				maxBuffer: 64 * 1024 * 1024,
				cwd: options.cwd,
			},
			(error, stdout, stderr) => {
				const code =
					error === null ? 0 : typeof error.code === 'number' ? error.code : error.code ? 1 : null;
				resolve({ code, stdout: String(stdout), stderr: String(stderr) });
			},
		);
	});
}

async function aptInstall(packages: string[]): Promise<void> {
	const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
	const install = async () =>
		await exec(
			'apt-get',
			['install', '-y', '--no-install-recommends', '-o', 'DPkg::Lock::Timeout=600', ...packages],
			{ env, timeoutMs: 20 * 60_000 },
		);
	let result = await install();
	if (result.code !== 0) {
		// A fresh image has no package lists yet.
		await exec('apt-get', ['update', '-o', 'DPkg::Lock::Timeout=600'], {
			env,
			timeoutMs: 10 * 60_000,
		});
		result = await install();
	}
	if (result.code !== 0) {
		throw new Error(
			`apt-get install ${packages.join(' ')} failed (exit ${result.code}):\n${result.stderr.slice(-3000)}`,
		);
	}
}

/**
 * The PostgreSQL and Redis server binaries; installs Debian's packages for the
 * missing ones when running as root on Debian, else throws saying what to install.
 */
export async function ensureServiceBinaries(
	log: (line: string) => void = () => {},
): Promise<ServiceBinaries> {
	let found = findBinaries();
	const missing = () => [
		...(found.postgresBin && found.psql ? [] : ['postgresql']),
		...(found.redisServer ? [] : ['redis-server']),
	];
	if (missing().length > 0 && isRoot() && isDebian()) {
		log(
			`Installing Debian's ${missing().join(' and ')} (apt-get install -y ${missing().join(' ')})`,
		);
		await aptInstall(missing());
		found = findBinaries();
	}
	if (missing().length > 0) {
		throw new Error(
			[
				`The queue-mode tests need a PostgreSQL server (initdb, postgres, psql) and redis-server; missing: ${missing().join(', ')}.`,
				'Install them, for example:',
				'  Debian/Ubuntu: sudo apt-get install -y postgresql redis-server',
				'  Fedora/RHEL:   sudo dnf install -y postgresql-server redis',
				'  macOS:         brew install postgresql redis',
				'(As root on Debian the tests install them by themselves.)',
			].join('\n'),
		);
	}
	return found as ServiceBinaries;
}

// ---------------------------------------------------------------------------
// Processes

const liveGroups = new Set<number>();
const liveDirs = new Set<string>();
let exitHandlerInstalled = false;

function installExitHandler(): void {
	if (exitHandlerInstalled) return;
	exitHandlerInstalled = true;
	process.on('exit', () => {
		for (const pgid of liveGroups) {
			try {
				process.kill(-pgid, 'SIGKILL');
			} catch {
				// gone
			}
		}
		for (const dir of liveDirs) {
			try {
				fs.rmSync(dir, { recursive: true, force: true });
			} catch {
				// a server may still hold a file for a moment: nothing more to do at exit
			}
		}
	});
}

interface Daemon {
	child: ChildProcess;
	pid: number;
	output(): string;
	exited: Promise<void>;
	/** `signal` to the whole group, SIGKILL after `graceMs`. Idempotent. */
	stop(signal: NodeJS.Signals, graceMs: number): Promise<void>;
}

function startDaemon(command: string, args: string[], env: NodeJS.ProcessEnv): Daemon {
	installExitHandler();
	// eslint-disable-next-line @n8n/community-nodes/no-dangerous-functions -- test harness, not a node: argv array, no shell
	const child = spawn(command, args, { env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
	const pid = child.pid;
	if (pid === undefined) throw new Error(`${command} could not be started`);
	liveGroups.add(pid);
	let output = '';
	const keep = (chunk: Buffer) => {
		output += chunk.toString('utf8');
		if (output.length > 200_000) output = output.slice(-100_000);
	};
	child.stdout?.on('data', keep);
	child.stderr?.on('data', keep);
	const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
	let stopping: Promise<void> | undefined;
	const killGroup = (signal: NodeJS.Signals) => {
		try {
			process.kill(-pid, signal);
		} catch {
			// already gone
		}
	};
	return {
		child,
		pid,
		output: () => output,
		exited,
		stop(signal, graceMs) {
			stopping ??= (async () => {
				if (child.exitCode === null && child.signalCode === null) {
					killGroup(signal);
					const timer = new Promise<boolean>((resolve) => {
						const t = setTimeout(() => resolve(false), graceMs);
						void exited.then(() => {
							clearTimeout(t);
							resolve(true);
						});
					});
					if (!(await timer)) {
						killGroup('SIGKILL');
						await exited;
					}
				}
				killGroup('SIGKILL');
				liveGroups.delete(pid);
			})();
			return stopping;
		},
	};
}

/** `command args` bounded in time by coreutils' timeout, when it is there. */
function bounded(command: string, args: string[], maxLifetimeS: number): [string, string[]] {
	const timeout = onPath('timeout');
	if (!timeout) return [command, args];
	// --foreground: stay in our process group (so stopping the group reaches the server);
	// the server itself ends its own children.
	return [
		timeout,
		['--foreground', '-s', 'INT', '-k', '30', String(maxLifetimeS), command, ...args],
	];
}

/** `command args` as the postgres user when we are root. */
function asPostgresUser(command: string, args: string[]): [string, string[]] {
	if (!isRoot()) return [command, args];
	const runuser =
		onPath('runuser') ?? (isExecutable('/usr/sbin/runuser') ? '/usr/sbin/runuser' : undefined);
	if (runuser) return [runuser, ['-u', 'postgres', '--', command, ...args]];
	const quoted = [command, ...args].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
	return ['su', ['postgres', '-s', '/bin/sh', '-c', quoted]];
}

async function postgresUserIds(): Promise<{ uid: number; gid: number }> {
	const uid = await exec('id', ['-u', 'postgres']);
	const gid = await exec('id', ['-g', 'postgres']);
	if (uid.code !== 0 || gid.code !== 0) {
		throw new Error(
			'Running as root, PostgreSQL needs a "postgres" user to run as (Debian\'s postgresql package creates it)',
		);
	}
	return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
}

function sleep(ms: number): Promise<void> {
	return new Promise((resolve) => setTimeout(resolve, ms));
}

// ---------------------------------------------------------------------------
// PostgreSQL

export async function startPostgres(
	binaries: ServiceBinaries,
	dir: string,
	options: { maxLifetimeS?: number; readyTimeoutMs?: number } = {},
): Promise<PostgresServer> {
	const dataDir = path.join(dir, 'postgres');
	await fsp.mkdir(dataDir, { recursive: true, mode: 0o700 });
	if (isRoot()) {
		const { uid, gid } = await postgresUserIds();
		// The postgres user must reach its folder through ours.
		await fsp.chmod(dir, 0o755);
		await fsp.chown(dataDir, uid, gid);
	}
	const user = 'n8n';
	// A throwaway test database on loopback (trust authentication: not checked).
	const password = 'n8n-queue-test';
	const initdb = asPostgresUser(path.join(binaries.postgresBin, 'initdb'), [
		'-D',
		dataDir,
		'-U',
		user,
		'--auth=trust',
		'--encoding=UTF8',
		'--locale=C',
		'--no-sync',
	]);
	const init = await exec(initdb[0], initdb[1], { timeoutMs: 180_000, cwd: dir });
	if (init.code !== 0) {
		throw new Error(
			`initdb failed (exit ${init.code}):\n${(init.stdout + init.stderr).slice(-3000)}`,
		);
	}
	const port = await freePort();
	const [command, args] = bounded(
		...asPostgresUser(path.join(binaries.postgresBin, 'postgres'), [
			'-D',
			dataDir,
			'-c',
			'listen_addresses=127.0.0.1',
			'-c',
			`port=${port}`,
			'-c',
			'unix_socket_directories=',
			'-c',
			'fsync=off',
			'-c',
			'synchronous_commit=off',
			'-c',
			'full_page_writes=off',
			'-c',
			'max_connections=200',
		]),
		options.maxLifetimeS ?? DEFAULT_MAX_LIFETIME_S,
	);
	const daemon = startDaemon(command, args, { ...process.env, LC_ALL: 'C' });
	const psqlArgs = (database: string) => [
		'-X',
		'-q',
		'-v',
		'ON_ERROR_STOP=1',
		'-h',
		'127.0.0.1',
		'-p',
		String(port),
		'-U',
		user,
		'-d',
		database,
	];
	const psqlEnv = { ...process.env, PGPASSWORD: password, PGCONNECT_TIMEOUT: '5' };
	const run = async (database: string, sql: string): Promise<ExecResult> =>
		await exec(binaries.psql, [...psqlArgs(database), '-At', '-c', sql], {
			env: psqlEnv,
			timeoutMs: 60_000,
		});

	const deadline = Date.now() + (options.readyTimeoutMs ?? 60_000);
	for (;;) {
		if (daemon.child.exitCode !== null || daemon.child.signalCode !== null) {
			throw new Error(`postgres exited before it was ready:\n${daemon.output().slice(-3000)}`);
		}
		if ((await run('postgres', 'SELECT 1')).code === 0) break;
		if (Date.now() > deadline) {
			await daemon.stop('SIGINT', 10_000);
			throw new Error(`postgres was not ready in time:\n${daemon.output().slice(-3000)}`);
		}
		await sleep(250);
	}

	return {
		host: '127.0.0.1',
		port,
		user,
		password,
		pid: daemon.pid,
		async createDatabase(name) {
			if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`Unusable database name: ${name}`);
			const result = await run('postgres', `CREATE DATABASE ${name} OWNER ${user}`);
			if (result.code !== 0) throw new Error(`CREATE DATABASE ${name} failed: ${result.stderr}`);
		},
		async query<T>(database: string, sql: string): Promise<T[]> {
			const wrapped = `SELECT coalesce(json_agg(row_to_json(q)), '[]'::json) FROM (${sql.replace(/;\s*$/, '')}) q`;
			const result = await run(database, wrapped);
			if (result.code !== 0) throw new Error(`psql failed: ${result.stderr}\n${sql}`);
			return JSON.parse(result.stdout.trim() || '[]') as T[];
		},
		// SIGINT is PostgreSQL's fast shutdown.
		stop: async () => await daemon.stop('SIGINT', 20_000),
	};
}

// ---------------------------------------------------------------------------
// Redis

async function redisPing(port: number): Promise<boolean> {
	return await new Promise((resolve) => {
		const socket = net.connect({ host: '127.0.0.1', port });
		let answer = '';
		const done = (ok: boolean) => {
			socket.destroy();
			resolve(ok);
		};
		socket.setTimeout(2000, () => done(false));
		socket.once('error', () => done(false));
		socket.once('connect', () => socket.write('PING\r\n'));
		socket.on('data', (chunk) => {
			answer += chunk.toString('utf8');
			if (answer.includes('\r\n')) done(answer.startsWith('+PONG'));
		});
	});
}

export async function startRedis(
	binaries: ServiceBinaries,
	dir: string,
	options: { maxLifetimeS?: number; readyTimeoutMs?: number } = {},
): Promise<RedisServer> {
	const dataDir = path.join(dir, 'redis');
	await fsp.mkdir(dataDir, { recursive: true });
	const port = await freePort();
	const [command, args] = bounded(
		binaries.redisServer,
		[
			'--bind',
			'127.0.0.1',
			'--port',
			String(port),
			'--protected-mode',
			'yes',
			'--save',
			'',
			'--appendonly',
			'no',
			'--daemonize',
			'no',
			'--dir',
			dataDir,
		],
		options.maxLifetimeS ?? DEFAULT_MAX_LIFETIME_S,
	);
	const daemon = startDaemon(command, args, process.env);
	const deadline = Date.now() + (options.readyTimeoutMs ?? 30_000);
	for (;;) {
		if (daemon.child.exitCode !== null || daemon.child.signalCode !== null) {
			throw new Error(`redis-server exited before it was ready:\n${daemon.output().slice(-3000)}`);
		}
		if (await redisPing(port)) break;
		if (Date.now() > deadline) {
			await daemon.stop('SIGTERM', 10_000);
			throw new Error(`redis-server was not ready in time:\n${daemon.output().slice(-3000)}`);
		}
		await sleep(200);
	}
	return {
		host: '127.0.0.1',
		port,
		pid: daemon.pid,
		stop: async () => await daemon.stop('SIGTERM', 10_000),
	};
}

// ---------------------------------------------------------------------------
// Both

/**
 * Finds (or installs) the binaries, then starts PostgreSQL and Redis in a new temp
 * folder. `stop()` stops both and removes the folder; an unref'd timer does it after
 * `maxLifetimeS` if nobody did.
 */
export async function startServices(
	options: { maxLifetimeS?: number; log?: (line: string) => void } = {},
): Promise<StartedServices> {
	const binaries = await ensureServiceBinaries(options.log);
	installExitHandler();
	const dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'n8n-queue-services-'));
	liveDirs.add(dir);
	const maxLifetimeS = options.maxLifetimeS ?? DEFAULT_MAX_LIFETIME_S;
	let postgres: PostgresServer | undefined;
	let redis: RedisServer | undefined;
	let stopping: Promise<void> | undefined;
	const stop = async () => {
		stopping ??= (async () => {
			await Promise.all([postgres?.stop(), redis?.stop()]);
			await fsp.rm(dir, { recursive: true, force: true });
			liveDirs.delete(dir);
		})();
		await stopping;
	};
	const safety = setTimeout(() => void stop(), maxLifetimeS * 1000);
	safety.unref();
	try {
		[postgres, redis] = await Promise.all([
			startPostgres(binaries, dir, { maxLifetimeS }),
			startRedis(binaries, dir, { maxLifetimeS }),
		]);
	} catch (error) {
		await stop();
		// eslint-disable-next-line @n8n/community-nodes/require-node-api-error -- test harness, not a node: the caller gets the error as it was
		throw error;
	}
	return {
		postgres,
		redis,
		dir,
		async stop() {
			clearTimeout(safety);
			await stop();
		},
	};
}
