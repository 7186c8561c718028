/**
 * What the benchmark orchestrator (run.ts), its worker (worker.ts) and the sandbox host
 * (sandbox-host.ts) agree on: the task a worker runs, the result it prints, the
 * sandbox a task needs, and the fixed figures of each benchmark.
 */
import type { IDataObject, INodeProperties, INodeType } from 'n8n-workflow';

import { AMEYO_SUPERVISOR } from '../sandbox/ameyo';
import type { RateLimit } from '../sandbox/server';
import { TALKDESK_CLIENT } from '../sandbox/talkdesk';

export type Provider = 'convoso' | 'speko' | 'talkdesk' | 'ameyo';
export type BenchId = 'B1' | 'B1b' | 'B2' | 'B3' | 'B4';

/** One variant of one benchmark, in one round: what one worker process runs. */
export interface Task {
	bench: BenchId;
	provider: Provider;
	/**
	 * B1/B1b: 'raw' (the plain fetch loop, sequential), 'raw-concurrent' (B1b: the same
	 * requests, all pages after the first at once), 'node-on', 'node-off' (Simplify),
	 * 'node-serial' (B1: Simplify on, Concurrent Requests 1), 'node-warm' (B1: Simplify
	 * on, after a whole listing in the same process), 'helper' and
	 * 'helper-concurrent' (the raw loop through n8n's request helper);
	 * B2: 'new', 'due'; B3: 'raw-serial', 'raw-concurrent', 'node', 'node-concurrency';
	 * B4: 'due'.
	 */
	variant: string;
	round: number;
	/** Callbacks seeded (B1, B2), or input items (B3), or callbacks scheduled (B4). */
	count: number;
	/** Real latency of every provider answer. */
	latencyMs: number;
	/** The controlled clock's start (B2, B4); the sandbox clock is frozen there. */
	nowMs?: number;
	/** Seed of the generated data (B4: also of the callback times). */
	seed: number;
	/** B3: the concurrency the node and the concurrent reference use. */
	concurrency?: number;
	/** B3: the sandbox's rate limit for the provider. */
	rateLimit?: RateLimit;
	/** B4: poll interval and Minutes Before Due. */
	pollIntervalMs?: number;
	minutesBefore?: number;
	/** B4: how far ahead callbacks are scheduled. */
	horizonMs?: number;
	/** Run under --cpu-prof (a separate, unmeasured run). */
	profile?: boolean;
}

/** What a worker prints, as one line `BENCH_RESULT {json}` on stdout. */
export interface Result {
	ok: boolean;
	error?: string;
	/** Wall time of the measured part. */
	wallMs?: number;
	/** CPU (user + system) of the worker process over the measured part; the sandbox runs in its own process. */
	cpuMs?: number;
	/** Peak heapUsed over the measured part minus heapUsed just before it (after a full GC), sampled every 2 ms. */
	heapPeakMiB?: number;
	/** heapUsed after the measured part, the result still held, after a full GC, minus the same baseline. */
	heapRetainedMiB?: number;
	/** Growth of the old generation's large-object space over the measured part, read before any collection after it. */
	largeObjectsEndMiB?: number;
	/** Peak RSS over the measured part minus RSS just before it, sampled likewise. */
	rssPeakMiB?: number;
	/** Provider requests during the measured part (all routes), 429s included. */
	requests?: number;
	/** Requests to the listing route only (B1, B2). */
	listRequests?: number;
	/** Body bytes of every provider answer during the measured part. */
	responseBytes?: number;
	/** Answers by HTTP status. */
	statuses?: Record<string, number>;
	/** The most provider requests being answered at once. */
	maxInFlight?: number;
	/** Items the variant produced. */
	items?: number;
	/** Request signatures (method, route, parameters but secrets), to compare a node with its reference. */
	signatures?: string[];
	/** process.hrtime of the measured part, µs, to cut a CPU profile to it. */
	windowUs?: [number, number];
	/** Benchmark-specific figures. */
	extra?: Record<string, unknown>;
}

/** What the sandbox host is asked to set up. */
export interface SandboxPlan {
	scenario: 'b1' | 'b2' | 'b3' | 'b4';
	provider: Provider;
	count: number;
	seed: number;
	latencyMs: number;
	/** Frozen sandbox clock; the real clock when absent. */
	nowMs?: number;
	rateLimit?: RateLimit;
	horizonMs?: number;
	/** The host stops by itself after this long, whatever happens. */
	exitAfterMs: number;
}

/** The host's first message: where it listens, and what it seeded when the task needs to know. */
export interface SandboxReady {
	url: string;
	baseUrls: {
		convoso: string;
		speko: string;
		talkdesk: string;
		talkdeskToken: string;
		ameyo: string;
	};
	/** B4: every seeded callback's id and true scheduled instant. */
	scheduled?: Array<{ id: string; scheduledMs: number }>;
	/** Seeding time on the host. */
	seedMs: number;
}

/** The sandbox's published test secrets (see test/sandbox/*.ts). */
export const SECRETS = {
	convosoToken: 'sandbox-convoso-token',
	spekoKey: 'sk_test_sandbox_speko',
	talkdeskClientId: TALKDESK_CLIENT.id,
	talkdeskClientSecret: TALKDESK_CLIENT.secret,
	talkdeskScopes: TALKDESK_CLIENT.scopes.join(' '),
	ameyoUser: AMEYO_SUPERVISOR.userId,
	ameyoPassword: AMEYO_SUPERVISOR.password,
} as const;

export const CONVOSO_ZONE = 'America/New_York';
/** The Ameyo campaign every benchmark lists. */
export const AMEYO_CAMPAIGN = 110;

/** Speko's callback statuses, each of which the node lists on its own when more than one list holds. */
export { SPEKO_STATUSES } from '../sandbox/speko';

/** The largest page each provider's list serves, as the nodes use it. */
export const LARGEST_PAGE: Record<Provider, number> = {
	convoso: 5000,
	talkdesk: 500,
	ameyo: 1000,
	speko: 100,
};

/** Each provider's listing route, as the sandbox records it. */
export const LIST_ROUTE: Record<Provider, string> = {
	convoso: '/v1/callbacks/search',
	talkdesk: '/api/schedule-callbacks',
	ameyo: '/ameyorestapi/voice/customerCallbacks/getFiltered',
	speko: '/v1/callbacks',
};

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;
export const MiB = 1024 * 1024;

/** The line prefix a worker prints its result with. */
export const RESULT_PREFIX = 'BENCH_RESULT ';

/**
 * Where a node's create operation takes a `concurrency` option: as a field of its own
 * ('top'), or inside a collection (its name); undefined when it has none.
 */
export function createConcurrencyOption(node: INodeType): string | undefined {
	const forCreate = (property: INodeProperties) =>
		(property.displayOptions?.show?.operation ?? []).includes('create');
	for (const property of node.description.properties) {
		if (!forCreate(property)) continue;
		if (property.name === 'concurrency' && property.type === 'number') return 'top';
		if (
			property.type === 'collection' &&
			(property.options ?? []).some((option) => 'name' in option && option.name === 'concurrency')
		)
			return property.name;
	}
	return undefined;
}

/** The node parameters that set a create's concurrency, wherever the option lives. */
export function concurrencyParameters(where: string, concurrency: number): IDataObject {
	return where === 'top' ? { concurrency } : { [where]: { concurrency } };
}
