/**
 * Building blocks of the queue-mode tests: credentials and workflows pointing at
 * the sandbox through the cluster's proxies, a churn of creates and reschedules
 * per provider with the bookkeeping of what every trigger must emit, and a reader
 * of what the triggers did emit (from the executions in PostgreSQL).
 */
import { DateTime } from 'luxon';
import type { IDataObject, IRunExecutionData } from 'n8n-workflow';

import { AMEYO_AGENT, AMEYO_SUPERVISOR } from '../sandbox/ameyo';
import type { Sandbox } from '../sandbox/server';
import { TALKDESK_CLIENT } from '../sandbox/talkdesk';
import { parseFlatted } from '../e2e/n8n';
import type { Cluster } from './cluster';

export const PROVIDERS = ['convoso', 'speko', 'talkdesk', 'ameyo'] as const;
export type Provider = (typeof PROVIDERS)[number];

export const SECOND = 1000;
export const MINUTE = 60 * SECOND;

export function sleep(ms: number): Promise<void> {
	return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Polls `check` every `intervalMs` until it returns a value (not undefined), or fails after `timeoutMs`. */
export async function waitFor<T>(
	what: string,
	check: () => Promise<T | undefined> | T | undefined,
	timeoutMs: number,
	intervalMs = 1000,
): Promise<T> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const value = await check();
		if (value !== undefined) return value;
		if (Date.now() > deadline)
			throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
		await sleep(intervalMs);
	}
}

/**
 * Poll times every `seconds` seconds: n8n refuses a sub-minute cron, but takes
 * several minute-level crons on different seconds (`0 * * * * *`, `5 * * * * *`, ...).
 */
export function pollEvery(seconds: number): { item: IDataObject[] } {
	if (60 % seconds !== 0) throw new Error('pollEvery: seconds must divide 60');
	return {
		item: Array.from({ length: 60 / seconds }, (_, i) => ({
			mode: 'custom',
			cronExpression: `${i * seconds} * * * * *`,
		})),
	};
}

export interface CredentialRef {
	id: string;
	name: string;
}

/** Credential records (for `n8n import:credentials`), every URL on the sandbox through the proxies. */
export function credentialRecords(
	cluster: Cluster,
	refs: {
		convoso: CredentialRef;
		speko: CredentialRef;
		/** Talkdesk and Ameyo: one for the actions (workers) and one for the triggers (main). */
		talkdesk: CredentialRef;
		talkdeskTriggers: CredentialRef;
		ameyo: CredentialRef;
		ameyoTriggers: CredentialRef;
	},
	other?: Sandbox,
): object[] {
	const url = (p: string) => cluster.sandboxUrl(p, other);
	const talkdesk = {
		region: 'custom',
		apiBaseUrl: url('/talkdesk/api'),
		tokenUrl: url('/talkdesk/id/oauth/token'),
		clientId: TALKDESK_CLIENT.id,
		clientSecret: TALKDESK_CLIENT.secret,
		scopes: 'schedule-callbacks:read schedule-callbacks:write callback:write',
	};
	const ameyo = (user: { userId: string; password: string }) => ({
		baseUrl: url('/ameyo'),
		userId: user.userId,
		password: user.password,
		countryCallingCode: '91',
	});
	return [
		{
			...refs.convoso,
			type: 'convosoApi',
			data: {
				apiToken: 'sandbox-convoso-token',
				baseUrl: url('/convoso/v1'),
				accountTimezone: 'America/New_York',
				countryCallingCode: '1',
			},
		},
		{
			...refs.speko,
			type: 'spekoApi',
			data: { apiKey: 'sk_test_sandbox_speko', baseUrl: url('/speko') },
		},
		{ ...refs.talkdesk, type: 'talkdeskApi', data: talkdesk },
		{ ...refs.talkdeskTriggers, type: 'talkdeskApi', data: talkdesk },
		{ ...refs.ameyo, type: 'ameyoApi', data: ameyo(AMEYO_SUPERVISOR) },
		{ ...refs.ameyoTriggers, type: 'ameyoApi', data: ameyo(AMEYO_AGENT) },
	];
}

export const CREDENTIAL_TYPE: Record<Provider, string> = {
	convoso: 'convosoApi',
	speko: 'spekoApi',
	talkdesk: 'talkdeskApi',
	ameyo: 'ameyoApi',
};

/** A production workflow: POST /webhook/<path> runs `node`, answering with its output items. */
export function webhookWorkflow(
	id: string,
	path: string,
	provider: Provider,
	credential: CredentialRef,
	parameters: IDataObject,
): { id: string; name: string; active: boolean } & IDataObject {
	return {
		id,
		name: `Webhook ${path}`,
		active: true,
		nodes: [
			{
				id: `${id}-hook`,
				name: 'Webhook',
				type: 'n8n-nodes-base.webhook',
				typeVersion: 2,
				position: [0, 0],
				webhookId: webhookIdFor(path),
				parameters: {
					path,
					httpMethod: 'POST',
					responseMode: 'lastNode',
					responseData: 'allEntries',
				},
			},
			{
				id: `${id}-node`,
				name: 'Action',
				type: `n8n-nodes-callbacks.${provider}`,
				typeVersion: 1,
				position: [250, 0],
				parameters,
				credentials: { [CREDENTIAL_TYPE[provider]]: credential },
			},
		],
		connections: { Webhook: { main: [[{ node: 'Action', type: 'main', index: 0 }]] } },
		settings: { executionOrder: 'v1' },
	};
}

/** A stable UUID-shaped webhook id per path. */
function webhookIdFor(path: string): string {
	let hash = 0;
	for (const char of path) hash = (hash * 31 + char.charCodeAt(0)) >>> 0;
	const hex = hash.toString(16).padStart(8, '0');
	return `${hex}-0000-4000-8000-${hex}${hex.slice(0, 4)}`;
}

export const TRIGGER_NODE = 'Trigger';

/** An active workflow with one of the package's triggers. */
export function triggerWorkflow(
	id: string,
	provider: Provider,
	event: 'new' | 'due',
	credential: CredentialRef,
	pollTimes: { item: IDataObject[] },
	extra: IDataObject = {},
): { id: string; name: string; active: boolean } & IDataObject {
	return {
		id,
		name: `${provider} ${event} (${id})`,
		active: true,
		nodes: [
			{
				id: `${id}-trigger`,
				name: TRIGGER_NODE,
				type: `n8n-nodes-callbacks.${provider}Trigger`,
				typeVersion: 1,
				position: [0, 0],
				parameters: { pollTimes, event, ...extra },
				credentials: { [CREDENTIAL_TYPE[provider]]: credential },
			},
		],
		connections: {},
		settings: { executionOrder: 'v1' },
	};
}

// ---------------------------------------------------------------------------
// Executions

export interface StoredExecution {
	id: string;
	workflowId: string;
	status: string;
	mode: string;
	startedAt: string | null;
	createdAt: string;
	data: IRunExecutionData | undefined;
}

/**
 * Every execution of these workflows, read from PostgreSQL (with its data un-flatted
 * unless `withData` is false: waiting loops only need the statuses).
 */
export async function storedExecutions(
	cluster: Cluster,
	workflowIds: string[],
	{ withData = true }: { withData?: boolean } = {},
): Promise<StoredExecution[]> {
	if (workflowIds.length === 0) return [];
	const list = workflowIds.map((id) => `'${id.replace(/'/g, "''")}'`).join(',');
	const data = withData ? 'd.data' : 'NULL AS data';
	const rows = await cluster.query<{
		id: string;
		workflowId: string;
		status: string;
		mode: string;
		startedAt: string | null;
		createdAt: string;
		data: string | null;
	}>(
		`SELECT e.id::text AS id, e."workflowId", e.status, e.mode, e."startedAt", e."createdAt", ${data}
		 FROM execution_entity e LEFT JOIN execution_data d ON d."executionId" = e.id
		 WHERE e."workflowId" IN (${list}) ORDER BY e.id`,
	);
	return rows.map((row) => ({
		...row,
		data: row.data ? (parseFlatted(cluster.install, row.data) as IRunExecutionData) : undefined,
	}));
}

/**
 * The items the trigger node emitted in an execution: from its run, or, for an
 * execution that never ran (the main died before a worker took it, and n8n marked it
 * crashed), from the start data n8n stored with it.
 */
export function emittedItems(execution: StoredExecution): IDataObject[] {
	const runs = execution.data?.resultData?.runData?.[TRIGGER_NODE];
	const queued = execution.data?.executionData?.nodeExecutionStack?.find(
		(entry) => entry.node.name === TRIGGER_NODE,
	);
	const items = runs?.[0]?.data?.main?.[0] ?? queued?.data?.main?.[0] ?? [];
	return items.map((item) => item.json);
}

/** An execution n8n created and never ran: the main died before a worker took it. */
export const neverRan = (execution: StoredExecution) =>
	execution.status === 'crashed' && execution.startedAt === null;

export const hasEnded = (status: string) => !['new', 'running', 'waiting'].includes(status);

// ---------------------------------------------------------------------------
// Churn

/** How a test changes one provider's callbacks, as the provider itself would. */
export interface ProviderWorld {
	provider: Provider;
	/** A new pending callback that rings at `atMs`; answers its id. */
	create(atMs: number): string;
	/** Moves a pending callback to `atMs`. */
	reschedule(id: string, atMs: number): void;
}

const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

export function worlds(sandbox: Sandbox, options: { ameyoCampaign: number }): ProviderWorld[] {
	const convosoLocal = (ms: number) =>
		DateTime.fromMillis(ms).setZone('America/New_York').toFormat('yyyy-MM-dd HH:mm:ss');
	return [
		{
			provider: 'convoso',
			create: (atMs) =>
				String(
					sandbox.convoso.addCallback({
						callback_time: convosoLocal(atMs),
						comments: 'queue churn',
					}).id,
				),
			reschedule: (id, atMs) =>
				void sandbox.convoso.changeCallback(Number(id), { callback_time: convosoLocal(atMs) }),
		},
		{
			provider: 'speko',
			create: (atMs) =>
				sandbox.speko.addCallback({ scheduled_at: iso(atMs), reason: 'queue churn' }).id,
			reschedule: (id, atMs) => void sandbox.speko.changeCallback(id, { scheduled_at: iso(atMs) }),
		},
		{
			provider: 'talkdesk',
			create: (atMs) =>
				sandbox.talkdesk.addCallback({ next_time_to_call: iso(atMs), notes: 'queue churn' }).id,
			reschedule: (id, atMs) =>
				void sandbox.talkdesk.changeCallback(id, {
					time_to_call: iso(atMs),
					next_time_to_call: iso(atMs),
					scheduled_time_to_call: iso(atMs),
				}),
		},
		{
			provider: 'ameyo',
			create: (atMs) =>
				sandbox.ameyo.addCallback({ campaignId: options.ameyoCampaign, callbackTime: atMs })
					.customerCallbackId,
			reschedule: (id, atMs) => void sandbox.ameyo.changeCallback(id, { callbackTime: atMs }),
		},
	];
}

/**
 * Creates and reschedules callbacks of every provider, and remembers each one's
 * final time. A callback is only moved while its current time is well ahead (so its
 * old time never falls due): each one falls due exactly once, at its final time.
 */
export class Churn {
	/** provider -> id -> final scheduled time (epoch ms). */
	readonly created = new Map<Provider, Map<string, number>>();
	rescheduled = 0;
	private seed = 12345;

	constructor(private readonly worlds: ProviderWorld[]) {
		for (const world of worlds) this.created.set(world.provider, new Map());
	}

	private random(min: number, max: number): number {
		this.seed = (this.seed * 1103515245 + 12345) % 2 ** 31;
		return min + (this.seed % (max - min + 1));
	}

	/** One step: a new callback per provider due in `dueInS`, and sometimes a reschedule. */
	step(dueInS: [number, number] = [20, 70]): void {
		const now = Date.now();
		for (const world of this.worlds) {
			const times = this.created.get(world.provider)!;
			const at = now + this.random(dueInS[0], dueInS[1]) * SECOND;
			times.set(world.create(at), at);
			if (this.random(0, 1) === 0) {
				const movable = [...times].filter(([, t]) => t > now + 25 * SECOND);
				if (movable.length > 0) {
					const [id] = movable[this.random(0, movable.length - 1)];
					const to = now + this.random(12, 50) * SECOND;
					world.reschedule(id, to);
					times.set(id, to);
					this.rescheduled++;
				}
			}
		}
	}

	/** The latest final time of all. */
	lastDue(): number {
		return Math.max(...[...this.created.values()].flatMap((times) => [...times.values()]));
	}
}

/** Ids emitted more than once, and expected ids not emitted, with counts. */
export function compareEmissions(
	expected: Iterable<string>,
	emitted: string[],
): { missing: string[]; twice: string[]; unexpected: string[]; count: number } {
	const want = new Set(expected);
	const counts = new Map<string, number>();
	for (const id of emitted) counts.set(id, (counts.get(id) ?? 0) + 1);
	return {
		missing: [...want].filter((id) => !counts.has(id)),
		twice: [...counts].filter(([, n]) => n > 1).map(([id, n]) => `${id} x${n}`),
		unexpected: [...counts.keys()].filter((id) => !want.has(id)),
		count: emitted.length,
	};
}

// ---------------------------------------------------------------------------
// Logs (N8N_LOG_FORMAT=json: one JSON object a line, with n8n's metadata)

export interface LogLine {
	level?: string;
	message?: string;
	metadata?: Record<string, unknown>;
	timestamp?: string;
}

export function jsonLogLines(text: string): LogLine[] {
	const lines: LogLine[] = [];
	for (const line of text.split('\n')) {
		if (!line.startsWith('{')) continue;
		try {
			lines.push(JSON.parse(line) as LogLine);
		} catch {
			// a line cut where the buffer was trimmed
		}
	}
	return lines;
}

const parsedLines = new WeakMap<readonly string[], { read: number; lines: LogLine[] }>();

/** The main's JSON log lines so far (every main process), parsed once each. */
export function mainLogLines(cluster: Cluster): LogLine[] {
	const raw = cluster.mainLines();
	let cache = parsedLines.get(raw);
	if (!cache) {
		cache = { read: 0, lines: [] };
		parsedLines.set(raw, cache);
	}
	if (cache.read < raw.length) {
		cache.lines.push(...jsonLogLines(raw.slice(cache.read).join('\n')));
		cache.read = raw.length;
	}
	return cache.lines;
}

/** The main's log lines (every main process so far) whose metadata names this workflow. */
export function mainLinesOf(cluster: Cluster, workflowId: string, message: RegExp): LogLine[] {
	return mainLogLines(cluster).filter(
		(line) => line.metadata?.workflowId === workflowId && message.test(line.message ?? ''),
	);
}
