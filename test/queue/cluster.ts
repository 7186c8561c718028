/**
 * An n8n cluster in queue mode for tests: one main (`n8n start`) and workers
 * (`n8n worker`) sharing a PostgreSQL database, a Redis and the encryption key.
 * Each process has its own user folder with the package installed as a community
 * package (`.n8n/nodes/node_modules/`), its own task-runner broker port and its own
 * tagging proxy (HTTP_PROXY), so the sandbox can tell which process sent every
 * provider request (header `x-n8n-process`: `main`, `worker1`, `worker2`).
 *
 * Credentials and workflows are imported with n8n's CLI before the main starts
 * (publishing does not reach a running main); provider URLs in credentials must
 * use `cluster.sandboxUrl(...)` (host `localhost`, which only the proxies serve).
 */
import * as fsp from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';

import type { Sandbox } from '../sandbox/server';
import { createUserFolder, ensureN8n, packPackage } from '../e2e/n8n';
import type { N8nInstall, N8nInstance, N8nServer, N8nWorker, OutputStream } from '../e2e/n8n';
import type { StartedServices } from './services';
import { startTaggingProxy } from './tagging-proxy';
import type { TaggingProxy } from './tagging-proxy';

export { PROCESS_HEADER } from './tagging-proxy';

/** The flags n8n 2.41's durable poll scheduler needs (and the cursors themselves). */
export const DURABLE_SCHEDULER_ENV: Readonly<Record<string, string>> = Object.freeze({
	N8N_SCHEDULER_ENABLED: 'true',
	N8N_SCHEDULER_POLL_TRIGGERS_ENABLED: 'true',
	N8N_USE_WORKFLOW_PUBLICATION_SERVICE: 'true',
	N8N_POLLER_DURABLE_CURSORS_ENABLED: 'true',
});

export interface ClusterOptions {
	services: StartedServices;
	sandbox: Sandbox;
	/** More sandboxes the processes may reach (through the same proxies). */
	moreSandboxes?: Sandbox[];
	/** A database of its own on the services' PostgreSQL (created here). */
	database: string;
	/** Default 2. */
	workers?: number;
	/** `n8n worker --concurrency`; default 10. */
	concurrency?: number;
	/** Extra environment for every process (e.g. DURABLE_SCHEDULER_ENV). */
	env?: Record<string, string | undefined>;
	/** Extra environment for the main only. */
	mainEnv?: Record<string, string | undefined>;
	/** Extra environment for the workers only. */
	workerEnv?: Record<string, string | undefined>;
	/** Prefix of the temp folder. */
	name?: string;
	/**
	 * Log lines kept in full for the whole run (debug logs are too big to keep whole):
	 * by default those about polls, the scheduler and which worker ran what.
	 */
	keepLines?: RegExp;
}

const KEEP_LINES =
	/Poll|poll|[Ss]cheduler|Worker (started|finished) execution|durable|backing off|Editor is now accessible|worker is now ready|Error|error/;

/**
 * Keeps the lines of a process's output that match, whatever their number. A line
 * that arrives in two chunks is joined with the rest of its own stream only: a chunk
 * of stderr between them must not cut it.
 */
class LineKeeper {
	readonly lines: string[] = [];
	private partial: Record<OutputStream, string> = { stdout: '', stderr: '' };

	constructor(private readonly keep: RegExp) {}

	add(chunk: string, stream: OutputStream): void {
		const parts = (this.partial[stream] + chunk).split('\n');
		this.partial[stream] = parts.pop() ?? '';
		for (const line of parts) if (this.keep.test(line)) this.lines.push(line);
	}

	/** The process is gone: a line it left unfinished is not joined with the next one's. */
	endProcess(note: string): void {
		this.partial = { stdout: '', stderr: '' };
		this.lines.push(note);
	}

	text(): string {
		return this.lines.join('\n');
	}
}

export interface Cluster {
	install: N8nInstall;
	/** The main's instance: CLI commands (import, publish) run from its folder. */
	mainInstance: N8nInstance;
	/** Set once started. */
	main: N8nServer;
	workers: N8nWorker[];
	/** Tag of each process, as the sandbox records it: 'main', 'worker1', ... */
	tags: string[];
	proxies: Map<string, TaggingProxy>;
	database: string;
	/** `http://localhost:<sandbox port><pathOnSandbox>`: reached through the proxies only. */
	sandboxUrl(pathOnSandbox: string, other?: Sandbox): string;
	importCredentials(credentials: object[]): Promise<void>;
	/** Imports, and publishes those with `active: true` (takes effect at the next main start). */
	importWorkflows(workflows: Array<{ id: string; active?: boolean }>): Promise<void>;
	/** Starts the main (migrations, owner account), then the workers. */
	start(): Promise<void>;
	/** Kills the main with SIGKILL (no shutdown), or stops it with SIGTERM, and starts it again. */
	restartMain(how: 'kill' | 'stop'): Promise<void>;
	/** Which worker (its tag) logged "Worker started execution <id>", if any. */
	workerOf(executionId: string): string | undefined;
	/** Every execution id each worker started, by tag. */
	executionsByWorker(): Record<string, string[]>;
	/** Logs of every main process so far (restarts included) and of the workers (the kept lines). */
	logs(): { main: string; workers: Record<string, string> };
	/** The main's kept lines so far, oldest first (a live array: it only grows). */
	mainLines(): readonly string[];
	query<T = Record<string, unknown>>(sql: string): Promise<T[]>;
	/** Stops every process, closes the proxies, removes the user folders. Idempotent. */
	stop(): Promise<void>;
}

export async function prepareCluster(options: ClusterOptions): Promise<Cluster> {
	const { services, sandbox } = options;
	const workerCount = options.workers ?? 2;
	const [install, tgz] = await Promise.all([ensureN8n(), packPackage()]);
	await services.postgres.createDatabase(options.database);
	const root = await fsp.mkdtemp(path.join(os.tmpdir(), `${options.name ?? 'n8n-queue'}-`));
	const tags = ['main', ...Array.from({ length: workerCount }, (_, i) => `worker${i + 1}`)];
	const workerLines = new Map<string, LineKeeper>(
		tags.slice(1).map((tag) => [tag, new LineKeeper(options.keepLines ?? KEEP_LINES)]),
	);
	const proxies = new Map<string, TaggingProxy>();
	const instances = new Map<string, N8nInstance>();
	const keep = options.keepLines ?? KEEP_LINES;
	const mainLines = new LineKeeper(keep);
	let main: N8nServer | undefined;
	let owner: { email: string; password: string } | undefined;
	const workers: N8nWorker[] = [];
	let stopped: Promise<void> | undefined;

	const stop = async () => {
		stopped ??= (async () => {
			await Promise.all([...workers.map(async (w) => await w.stop()), main?.stop()]);
			await Promise.all([...instances.values()].map(async (i) => await i.cleanup()));
			await Promise.all([...proxies.values()].map(async (p) => await p.close()));
			await fsp.rm(root, { recursive: true, force: true });
			// The packed package, in a folder of its own.
			await fsp.rm(path.dirname(tgz), { recursive: true, force: true });
		})();
		await stopped;
	};

	const perProcess = (tag: string) => (tag === 'main' ? {} : (options.workerEnv ?? {}));
	try {
		const ports = [sandbox, ...(options.moreSandboxes ?? [])].map((s) => s.port);
		for (const tag of tags) proxies.set(tag, await startTaggingProxy(tag, ports));
		const common = (tag: string): Record<string, string | undefined> => ({
			EXECUTIONS_MODE: 'queue',
			DB_TYPE: 'postgresdb',
			DB_POSTGRESDB_HOST: services.postgres.host,
			DB_POSTGRESDB_PORT: String(services.postgres.port),
			DB_POSTGRESDB_DATABASE: options.database,
			DB_POSTGRESDB_USER: services.postgres.user,
			DB_POSTGRESDB_PASSWORD: services.postgres.password,
			QUEUE_BULL_REDIS_HOST: services.redis.host,
			QUEUE_BULL_REDIS_PORT: String(services.redis.port),
			QUEUE_HEALTH_CHECK_ACTIVE: 'false',
			N8N_WORKER_SERVER_ADDRESS: '127.0.0.1',
			N8N_GRACEFUL_SHUTDOWN_TIMEOUT: '15',
			HTTP_PROXY: proxies.get(tag)!.url,
			http_proxy: proxies.get(tag)!.url,
			NO_PROXY: '127.0.0.1,::1',
			no_proxy: '127.0.0.1,::1',
			...options.env,
		});
		await Promise.all(
			tags.map(async (tag) => {
				const instance = await createUserFolder(install, tgz, {
					userFolder: path.join(root, tag),
					env: { ...common(tag), ...(tag === 'main' ? options.mainEnv : {}), ...perProcess(tag) },
				});
				instances.set(tag, instance);
			}),
		);
	} catch (error) {
		await stop();
		// eslint-disable-next-line @n8n/community-nodes/require-node-api-error -- test harness, not a node: the caller gets the error as it was
		throw error;
	}
	const mainInstance = instances.get('main')!;

	const startMain = async () => {
		main = await mainInstance.startServer({
			readyTimeoutMs: 240_000,
			onOutput: (chunk, stream) => mainLines.add(chunk, stream),
		});
	};

	const cluster: Cluster = {
		install,
		mainInstance,
		get main() {
			if (!main) throw new Error('The cluster has not been started');
			return main;
		},
		workers,
		tags,
		proxies,
		database: options.database,
		sandboxUrl: (pathOnSandbox, other) =>
			`http://localhost:${(other ?? sandbox).port}${pathOnSandbox}`,

		async importCredentials(credentials) {
			await mainInstance.importCredentials(credentials, { timeoutMs: 300_000 });
		},

		async importWorkflows(workflows) {
			await mainInstance.importWorkflows(workflows, {
				activeState: 'fromJson',
				timeoutMs: 300_000,
			});
			for (const workflow of workflows) {
				if (workflow.active)
					await mainInstance.publishWorkflow(workflow.id, { timeoutMs: 300_000 });
			}
		},

		async start() {
			try {
				await startMain();
				owner = await main!.setupOwner();
				const started = await Promise.all(
					tags.slice(1).map(
						async (tag) =>
							await instances.get(tag)!.startWorker({
								concurrency: options.concurrency ?? 10,
								readyTimeoutMs: 240_000,
								onOutput: (chunk, stream) => workerLines.get(tag)!.add(chunk, stream),
							}),
					),
				);
				workers.push(...started);
			} catch (error) {
				await stop();
				// eslint-disable-next-line @n8n/community-nodes/require-node-api-error -- test harness, not a node: the caller gets the error as it was
				throw error;
			}
		},

		async restartMain(how) {
			if (!main) throw new Error('The cluster has not been started');
			const old = main;
			if (how === 'kill') await old.kill();
			else await old.stop();
			mainLines.endProcess(
				`----- main ${how === 'kill' ? 'killed' : 'stopped'}; starting again -----`,
			);
			await startMain();
			if (owner) await main!.login(owner.email, owner.password);
		},

		workerOf(executionId) {
			const line = `Worker started execution ${executionId} (`;
			const index = tags.slice(1).findIndex((tag) => workerLines.get(tag)!.text().includes(line));
			return index < 0 ? undefined : tags[index + 1];
		},

		executionsByWorker() {
			const result: Record<string, string[]> = {};
			workers.forEach((worker, index) => {
				result[tags[index + 1]] = [
					...workerLines
						.get(tags[index + 1])!
						.text()
						.matchAll(/Worker started execution (\d+) \(/g),
				].map((m) => m[1]);
			});
			return result;
		},

		logs() {
			const byWorker: Record<string, string> = {};
			for (const tag of tags.slice(1)) byWorker[tag] = workerLines.get(tag)!.text();
			return { main: mainLines.text(), workers: byWorker };
		},

		mainLines: () => mainLines.lines,

		async query<T>(sql: string) {
			return await services.postgres.query<T>(options.database, sql);
		},

		stop,
	};
	return cluster;
}
