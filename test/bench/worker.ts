/**
 * One benchmark variant in one round, in a process of its own (started by run.ts):
 * forks the sandbox host (its own process, on an ephemeral loopback port), runs the
 * variant (a built node from dist/ in n8n-core's contexts, or the plain fetch
 * reference), prints one `BENCH_RESULT {json}` line, stops the sandbox and exits.
 *
 *   node --expose-gc --import tsx test/bench/worker.ts '<Task as JSON>'
 *
 * (run.ts runs a plain-JavaScript copy of it, transpiled once at the start of a run.)
 */
import { fork } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import path from 'node:path';
import { getHeapSpaceStatistics, getHeapStatistics } from 'node:v8';

import { DateTime } from 'luxon';
import type {
	ICredentialDataDecryptedObject,
	ICredentialType,
	IDataObject,
	IHttpRequestMethods,
	IHttpRequestOptions,
	INodeExecutionData,
	INodeType,
} from 'n8n-workflow';

import type { Runtime } from '../../nodes/shared/runtime';
import type * as RunNodeModule from '../helpers/run-node';
import type { ProviderTraffic, RecordedRequest } from '../sandbox/server';
import {
	ameyoListAll,
	ameyoSession,
	convosoCreateAll,
	convosoListAll,
	spekoListAll,
	talkdeskCreateAll,
	talkdeskListAll,
	talkdeskToken,
} from './raw';
import type { CreateInput, ListOptions, Send } from './raw';
import {
	AMEYO_CAMPAIGN,
	concurrencyParameters,
	CONVOSO_ZONE,
	createConcurrencyOption,
	LIST_ROUTE,
	MiB,
	MINUTE,
	RESULT_PREFIX,
	SECRETS,
} from './shared';
import type { Provider, Result, SandboxPlan, SandboxReady, Task } from './shared';

// --- the built package, as n8n loads it ---

/** run.ts passes a copy of dist/ taken when the run began, so a rebuild meanwhile changes nothing. */
const dist = process.env.BENCH_DIST ?? path.join(__dirname, '..', '..', 'dist');

/** n8n-core's contexts; loaded while the sandbox host starts. */
let helpers: typeof RunNodeModule;
const runNode: typeof RunNodeModule.runNode = (options) => helpers.runNode(options);
const pollRunner: typeof RunNodeModule.pollRunner = (options) => helpers.pollRunner(options);
const NODE_FILES: Record<Provider, { name: string; credential: string }> = {
	convoso: { name: 'Convoso', credential: 'ConvosoApi' },
	speko: { name: 'Speko', credential: 'SpekoApi' },
	talkdesk: { name: 'Talkdesk', credential: 'TalkdeskApi' },
	ameyo: { name: 'Ameyo', credential: 'AmeyoApi' },
};

type NodeClass = new (runtime?: Runtime) => INodeType;

function load(provider: Provider) {
	const { name, credential } = NODE_FILES[provider];
	/* eslint-disable @typescript-eslint/no-require-imports */
	const action = require(path.join(dist, `nodes/${name}/${name}.node.js`)) as Record<
		string,
		NodeClass
	>;
	const trigger = require(path.join(dist, `nodes/${name}/${name}Trigger.node.js`)) as Record<
		string,
		NodeClass
	>;
	const credentials = require(
		path.join(dist, `credentials/${credential}.credentials.js`),
	) as Record<string, new () => ICredentialType>;
	const runtime = require(path.join(dist, 'nodes/shared/runtime.js')) as {
		defaultRuntime: Runtime;
	};
	/* eslint-enable @typescript-eslint/no-require-imports */
	return {
		Action: action[name],
		Trigger: trigger[`${name}Trigger`],
		Credential: credentials[credential],
		defaultRuntime: runtime.defaultRuntime,
	};
}

function credentialsFor(provider: Provider, ready: SandboxReady): ICredentialDataDecryptedObject {
	switch (provider) {
		case 'convoso':
			return {
				apiToken: SECRETS.convosoToken,
				baseUrl: ready.baseUrls.convoso,
				accountTimezone: CONVOSO_ZONE,
				countryCallingCode: '1',
			};
		case 'speko':
			return { apiKey: SECRETS.spekoKey, baseUrl: ready.baseUrls.speko };
		case 'talkdesk':
			return {
				region: 'custom',
				apiBaseUrl: ready.baseUrls.talkdesk,
				tokenUrl: ready.baseUrls.talkdeskToken,
				clientId: SECRETS.talkdeskClientId,
				clientSecret: SECRETS.talkdeskClientSecret,
				scopes: SECRETS.talkdeskScopes,
			};
		case 'ameyo':
			return {
				baseUrl: ready.baseUrls.ameyo,
				userId: SECRETS.ameyoUser,
				password: SECRETS.ameyoPassword,
			};
	}
}

// --- the sandbox host ---

interface Host {
	ready: SandboxReady;
	process: ChildProcess;
	control<T>(method: string, route: string, body?: unknown): Promise<T>;
	/** CPU time (user + system) of the sandbox's process so far. */
	cpuMs(): Promise<number>;
}

async function startHost(plan: SandboxPlan): Promise<Host> {
	// run.ts runs a transpiled copy of the benchmark (plain JavaScript); run by hand, it is TypeScript.
	const compiled = __filename.endsWith('.js');
	// eslint-disable-next-line @n8n/community-nodes/no-dangerous-functions -- the worker's own sandbox: argv array, no shell
	const child = fork(
		path.join(__dirname, compiled ? 'sandbox-host.js' : 'sandbox-host.ts'),
		[JSON.stringify(plan)],
		{
			// Not this worker's flags (a CPU profile, say): the host is not measured.
			execArgv: compiled ? [] : ['--import', 'tsx'],
			stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
		},
	);
	const ready = await new Promise<SandboxReady>((resolve, reject) => {
		const timer = setTimeout(
			() => reject(new Error('The sandbox did not start in 120 s')),
			120_000,
		);
		child.once('message', (message: SandboxReady | { error: string }) => {
			clearTimeout(timer);
			if ('error' in message) reject(new Error(`Sandbox: ${message.error}`));
			else resolve(message);
		});
		child.once('exit', (code) => {
			clearTimeout(timer);
			reject(new Error(`The sandbox exited with code ${code}`));
		});
	});
	let asked = 0;
	return {
		ready,
		process: child,
		cpuMs: () =>
			new Promise<number>((resolve, reject) => {
				const id = ++asked;
				const timer = setTimeout(() => reject(new Error('The sandbox did not answer')), 10_000);
				const listen = (message: { type?: string; id?: number; ms?: number }) => {
					if (message?.type !== 'cpu' || message.id !== id) return;
					clearTimeout(timer);
					child.off('message', listen);
					resolve(message.ms ?? 0);
				};
				child.on('message', listen);
				child.send({ type: 'cpu', id });
			}),
		async control<T>(method: string, route: string, body?: unknown) {
			const response = await fetch(`${ready.url}/_sandbox${route}`, {
				method,
				...(body !== undefined && {
					headers: { 'content-type': 'application/json' },
					body: JSON.stringify(body),
				}),
			});
			return (await response.json()) as T;
		},
	};
}

// --- the raw loop through n8n's request helper ---

/**
 * A list loop of raw.ts run as a node's execute() in n8n-core's context, sending
 * through n8n's request helper (the answer read as text, n8n's usual way) and returning
 * every record as an output item: the least an n8n node does to list the same data,
 * without any of the package's code (but for the credential's `authenticate`, when the
 * loop takes n8n's authenticated path).
 */
async function helperLoop(
	provider: Provider,
	list: typeof convosoListAll,
	baseUrls: SandboxReady['baseUrls'],
	options: ListOptions,
	/** Sent through n8n's authenticated path with this credential (its session already open). */
	authenticated?: ICredentialDataDecryptedObject,
): Promise<INodeExecutionData[]> {
	const { Credential } = load(provider);
	const credentialType = new Credential();
	const nodeType: INodeType = {
		description: {
			displayName: 'Helper Loop',
			name: 'benchHelperLoop',
			group: ['transform'],
			version: 1,
			description: "The raw list loop through n8n's request helper",
			defaults: { name: 'Helper Loop' },
			inputs: ['main'],
			outputs: ['main'],
			credentials: authenticated ? [{ name: credentialType.name, required: true }] : [],
			properties: [],
		},
		async execute() {
			const send: Send = async (url, init) => {
				const request: IHttpRequestOptions = {
					url,
					method: (init.method ?? 'GET') as IHttpRequestMethods,
					headers: init.headers,
					body: init.body,
					encoding: 'text',
					json: false,
					returnFullResponse: true,
					ignoreHttpStatusErrors: true,
				};
				const answer = (
					authenticated
						? await this.helpers.httpRequestWithAuthentication.call(
								this,
								credentialType.name,
								request,
							)
						: await this.helpers.httpRequest(request)
				) as { statusCode: number; body: unknown };
				return {
					status: answer.statusCode,
					text: typeof answer.body === 'string' ? answer.body : '',
				};
			};
			const records = await list(baseUrls, { ...options, send });
			return [records.map((json) => ({ json: json as IDataObject, pairedItem: { item: 0 } }))];
		},
	};
	const outcome = await runNode({
		nodeType,
		credentialType,
		credentials: authenticated ?? {},
		parameters: {},
	});
	if (outcome.error) throw outcome.error;
	return outcome.items;
}

// --- measuring ---

interface Measured<T> {
	value: T;
	wallMs: number;
	cpuMs: number;
	heapPeakMiB: number;
	heapRetainedMiB: number;
	largeObjectsEndMiB: number;
	rssPeakMiB: number;
	windowUs: [number, number];
}

/** The old generation's space for objects over 128 KiB (such as a page's answer text). */
function largeObjectSpaceBytes(): number {
	return (
		getHeapSpaceStatistics().find((space) => space.space_name === 'large_object_space')
			?.space_used_size ?? 0
	);
}

const gc = (globalThis as { gc?: () => void }).gc ?? (() => undefined);

async function measure<T>(work: () => Promise<T>): Promise<Measured<T>> {
	gc();
	gc();
	const heapBase = getHeapStatistics().used_heap_size;
	const largeBase = largeObjectSpaceBytes();
	const rssBase = process.memoryUsage.rss();
	let heapPeak = heapBase;
	let rssPeak = rssBase;
	const sample = () => {
		const heap = getHeapStatistics().used_heap_size;
		if (heap > heapPeak) heapPeak = heap;
		const rss = process.memoryUsage.rss();
		if (rss > rssPeak) rssPeak = rss;
	};
	const sampler = setInterval(sample, 2);
	const cpuStart = process.cpuUsage();
	const start = process.hrtime.bigint();
	try {
		const value = await work();
		const end = process.hrtime.bigint();
		const cpu = process.cpuUsage(cpuStart);
		// The result is still held here: its memory counts.
		sample();
		// Large objects moved to the old generation, garbage or not, before anything is collected.
		const largeEnd = largeObjectSpaceBytes();
		// What the result itself keeps, once the garbage of making it is collected.
		gc();
		gc();
		const heapRetained = getHeapStatistics().used_heap_size;
		return {
			value,
			wallMs: Number(end - start) / 1e6,
			cpuMs: (cpu.user + cpu.system) / 1000,
			heapPeakMiB: (heapPeak - heapBase) / MiB,
			heapRetainedMiB: (heapRetained - heapBase) / MiB,
			largeObjectsEndMiB: (largeEnd - largeBase) / MiB,
			rssPeakMiB: (rssPeak - rssBase) / MiB,
			windowUs: [Number(start / 1000n), Number(end / 1000n)],
		};
	} finally {
		clearInterval(sampler);
	}
}

/** The traffic of one provider since the last reset, and the requests' signatures. */
async function trafficOf(host: Host, provider: Provider, withSignatures: 'values' | 'names') {
	const { traffic } = await host.control<{ traffic: Record<string, ProviderTraffic> }>(
		'GET',
		'/traffic',
	);
	const { requests } = await host.control<{ requests: RecordedRequest[] }>(
		'GET',
		`/requests?provider=${provider}`,
	);
	const counted = traffic[provider] ?? {
		requests: 0,
		statuses: {},
		responseBytes: 0,
		dropped: 0,
		rateLimited: 0,
		maxInFlight: 0,
		newConnections: 0,
	};
	const signatures = requests.map((request) => signature(request, withSignatures));
	return {
		requests: counted.requests,
		statuses: counted.statuses,
		responseBytes: counted.responseBytes,
		maxInFlight: counted.maxInFlight,
		newConnections: counted.newConnections,
		listRequests: requests.filter((request) => request.route === LIST_ROUTE[provider]).length,
		signatures,
	};
}

const SECRET_PARAMS = new Set(['auth_token', 'token', 'client_secret']);

/** Method, route and parameters (query, form or JSON body keys), secrets left out. */
function signature(request: RecordedRequest, detail: 'values' | 'names'): string {
	const params: Record<string, unknown> = {
		...request.query,
		...(request.form ?? {}),
		...(typeof request.json === 'object' && request.json !== null && !Array.isArray(request.json)
			? (request.json as Record<string, unknown>)
			: {}),
	};
	const parts = Object.keys(params)
		.filter((key) => !SECRET_PARAMS.has(key))
		.sort()
		.map((key) => (detail === 'values' ? `${key}=${JSON.stringify(params[key])}` : key));
	return `${request.method} ${request.route} ${parts.join('&')}`;
}

async function resetTraffic(host: Host): Promise<void> {
	await host.control('DELETE', '/traffic');
	await host.control('DELETE', '/requests');
}

// --- B1, B1b: Return All ---

async function listAll(task: Task, host: Host): Promise<Result> {
	const { provider } = task;
	const { baseUrls } = host.ready;
	let measured: Measured<unknown[]>;
	let serverStart = 0;
	let serverEnd = 0;
	if (task.variant.startsWith('raw') || task.variant.startsWith('helper')) {
		// 'helper-auth': the session the node opens, applied by the credential through
		// n8n's authenticated path (as the node's requests are), not by the loop.
		const authenticated =
			task.variant === 'helper-auth' ? await nodeCredentialsOpened(provider, host) : undefined;
		const auth = authenticated
			? undefined
			: provider === 'talkdesk'
				? await talkdeskToken(baseUrls)
				: provider === 'ameyo'
					? await ameyoSession(baseUrls)
					: undefined;
		const list = {
			convoso: convosoListAll,
			talkdesk: talkdeskListAll,
			ameyo: ameyoListAll,
			speko: spekoListAll,
		}[provider];
		const concurrent = task.variant.endsWith('-concurrent');
		const loop = task.variant.startsWith('helper')
			? (options: ListOptions) => helperLoop(provider, list, baseUrls, options, authenticated)
			: (options: ListOptions) => list(baseUrls, options);
		// Warm-up: the connection and the code paths; for '-warm', a whole listing first.
		await loop(task.variant.endsWith('-warm') ? { auth } : { limit: 1, auth });
		await resetTraffic(host);
		serverStart = await host.cpuMs();
		measured = await measure(() => loop({ auth, concurrent }));
		serverEnd = await host.cpuMs();
	} else {
		// One object: a token or session the first run obtains is kept, as n8n keeps it.
		const credentials = credentialsFor(provider, host.ready);
		const run = (limit?: number) =>
			getMany(provider, credentials, {
				limit,
				simplify: !task.variant.startsWith('node-off'),
				// Pages one after another, as the raw loop does.
				...(task.variant === 'node-serial' && { concurrency: 1 }),
			});
		// Warm-up: the credential's token or session, the connection, the code paths; for
		// '-warm', a whole listing first, so that the one measured runs optimized code.
		const warm = await run(task.variant.endsWith('-warm') ? undefined : 1);
		if (warm.error) throw warm.error;
		await resetTraffic(host);
		serverStart = await host.cpuMs();
		const outcome = await measure(() => run());
		serverEnd = await host.cpuMs();
		if (outcome.value.error) throw outcome.value.error;
		measured = { ...outcome, value: outcome.value.items };
	}
	const traffic = await trafficOf(host, provider, 'values');
	return {
		ok: true,
		wallMs: measured.wallMs,
		cpuMs: measured.cpuMs,
		heapPeakMiB: measured.heapPeakMiB,
		heapRetainedMiB: measured.heapRetainedMiB,
		largeObjectsEndMiB: measured.largeObjectsEndMiB,
		rssPeakMiB: measured.rssPeakMiB,
		windowUs: measured.windowUs,
		items: measured.value.length,
		...traffic,
		extra: { seedMs: host.ready.seedMs, serverCpuMs: serverEnd - serverStart },
	};
}

/** The node's Get Many: every callback, or the first `limit`. */
function getMany(
	provider: Provider,
	credentials: ICredentialDataDecryptedObject,
	options: { limit?: number; simplify?: boolean; concurrency?: number },
) {
	const { Action, Credential } = load(provider);
	const { limit, simplify = true, concurrency } = options;
	return runNode({
		nodeType: new Action(),
		credentialType: new Credential(),
		credentials,
		parameters: {
			resource: 'callback',
			operation: 'getMany',
			...(provider === 'ameyo' && { campaignId: AMEYO_CAMPAIGN }),
			// Every status: with Return All, one list per status.
			...(provider === 'speko' && { status: 'any' }),
			returnAll: limit === undefined,
			...(limit !== undefined && { limit }),
			...(concurrency !== undefined && { concurrency }),
			simplify,
		},
	});
}

/** The provider's credential after a one-item listing by the node: its session or token open. */
async function nodeCredentialsOpened(
	provider: Provider,
	host: Host,
): Promise<ICredentialDataDecryptedObject> {
	const credentials = credentialsFor(provider, host.ready);
	const outcome = await getMany(provider, credentials, { limit: 1 });
	if (outcome.error) throw outcome.error;
	return credentials;
}

// --- B2: the idle poll ---

function triggerParameters(task: Task, event: string): IDataObject {
	return {
		event,
		...(event === 'due' && { minutesBefore: task.minutesBefore ?? 0 }),
		...(task.provider === 'ameyo' && { campaignIds: String(AMEYO_CAMPAIGN) }),
	};
}

async function idlePoll(task: Task, host: Host): Promise<Result> {
	const { provider } = task;
	const { Trigger, Credential, defaultRuntime } = load(provider);
	let clock = task.nowMs ?? Date.now();
	const runtime: Runtime = { ...defaultRuntime, now: () => clock };
	const runner = pollRunner({
		nodeType: new Trigger(runtime),
		credentialType: new Credential(),
		credentials: credentialsFor(provider, host.ready),
		parameters: triggerParameters(task, task.variant),
	});
	// Activation: the baseline (and the token or login).
	const baselineStart = process.hrtime.bigint();
	const baseline = await runner.poll();
	const baselineMs = Number(process.hrtime.bigint() - baselineStart) / 1e6;
	const baselineTraffic = await trafficOf(host, provider, 'values');
	// One poll interval later, nothing has changed.
	clock += MINUTE;
	await host.control('POST', '/clock', { now: clock });
	await resetTraffic(host);
	const measured = await measure(() => runner.poll());
	const traffic = await trafficOf(host, provider, 'values');
	const state = JSON.stringify(runner.staticData());
	return {
		ok: true,
		wallMs: measured.wallMs,
		cpuMs: measured.cpuMs,
		heapPeakMiB: measured.heapPeakMiB,
		heapRetainedMiB: measured.heapRetainedMiB,
		rssPeakMiB: measured.rssPeakMiB,
		windowUs: measured.windowUs,
		items: measured.value?.[0]?.length ?? 0,
		...traffic,
		signatures: traffic.signatures.slice(0, 5),
		extra: {
			stateBytes: Buffer.byteLength(state),
			baselineEmitted: baseline?.[0]?.length ?? 0,
			baselineMs,
			baselineRequests: baselineTraffic.requests,
			baselineBytes: baselineTraffic.responseBytes,
			seedMs: host.ready.seedMs,
		},
	};
}

// --- B3: bulk create ---

/** 1,000 items: weekday-agnostic times between 09:00 and 17:00 in New York, a day apart per 480. */
function createInputs(task: Task): CreateInput[] {
	const firstDay = DateTime.fromMillis(Date.now(), { zone: CONVOSO_ZONE })
		.startOf('day')
		.plus({ days: 2 });
	return Array.from({ length: task.count }, (_, index) => ({
		leadId: 1001 + (index % 40),
		comments: `bench r${task.round} item ${index}`,
		callbackTime: firstDay
			.plus({ days: Math.floor(index / 480) })
			.set({ hour: 9 })
			.plus({ minutes: index % 480 })
			.toISO()!,
		phone: `+1201555${String(index % 10_000).padStart(4, '0')}`,
	}));
}

async function bulkCreate(task: Task, host: Host): Promise<Result> {
	const { provider } = task;
	const { baseUrls } = host.ready;
	const inputs = createInputs(task);
	const concurrency = task.concurrency ?? 8;
	let output: INodeExecutionData[] | undefined;
	let created: Array<Record<string, unknown> | undefined> | undefined;
	let measured: Measured<unknown>;
	let concurrencyOption: string | undefined;
	let serverStart = await host.cpuMs();
	if (task.variant.startsWith('raw')) {
		const lanes = task.variant === 'raw-concurrent' ? concurrency : 1;
		// As the node: Talkdesk's token is fetched before the measured part.
		const token = provider === 'talkdesk' ? await talkdeskToken(baseUrls) : undefined;
		await resetTraffic(host);
		serverStart = await host.cpuMs();
		measured = await measure(async () => {
			if (token !== undefined) return await talkdeskCreateAll(baseUrls, inputs, lanes, token);
			return await convosoCreateAll(baseUrls, inputs, lanes);
		});
		created = (measured.value as { created: typeof created }).created;
	} else {
		const { Action, Credential } = load(provider);
		const node = new Action();
		concurrencyOption = createConcurrencyOption(node);
		if (task.variant === 'node-concurrency' && !concurrencyOption) {
			return {
				ok: false,
				error: 'The node has no concurrency option for create yet',
				extra: { skipped: true },
			};
		}
		const options =
			task.variant === 'node-concurrency'
				? concurrencyParameters(concurrencyOption!, concurrency)
				: {};
		const parameters: IDataObject =
			provider === 'convoso'
				? {
						resource: 'callback',
						operation: 'create',
						leadId: { __rl: true, mode: 'id', value: '={{ $json.leadId }}' },
						recipient: 'system',
						callbackTime: '={{ $json.callbackTime }}',
						comments: '={{ $json.comments }}',
						// The check needs the lead's number: one more request per item. Off, so the
						// node and the reference send the same two requests per item.
						callingHours: 'off',
						...options,
					}
				: {
						resource: 'callback',
						operation: 'create',
						phoneNumber: '={{ $json.phone }}',
						callbackTime: '={{ $json.callbackTime }}',
						timeZone: 'America/New_York',
						assignType: 'ANY_ELIGIBLE_AGENT',
						callerId: '+18005550100',
						additionalFields: { notes: '={{ $json.comments }}' },
						...options,
					};
		const credentials = credentialsFor(provider, host.ready);
		if (provider === 'talkdesk') {
			// Warm-up, as in B1: the credential's token (stored with it, as n8n keeps it).
			const warm = await runNode({
				nodeType: node,
				credentialType: new Credential(),
				credentials,
				parameters: { resource: 'callback', operation: 'getMany', returnAll: false, limit: 1 },
			});
			if (warm.error) throw warm.error;
			await resetTraffic(host);
			serverStart = await host.cpuMs();
		}
		const outcome = await measure(() =>
			runNode({
				nodeType: node,
				credentialType: new Credential(),
				credentials,
				parameters,
				items: inputs as unknown as IDataObject[],
				continueOnFail: true,
			}),
		);
		if (outcome.value.error) throw outcome.value.error;
		output = outcome.value.items;
		measured = outcome;
	}
	const serverCpuMs = (await host.cpuMs()) - serverStart;
	const traffic = await trafficOf(host, provider, 'names');
	// What the provider holds now: each input's callback once, none lost, none twice.
	const state = await host.control<{ callbacks: Array<Record<string, unknown>> }>(
		'GET',
		`/state/${provider}`,
	);
	const marker = provider === 'convoso' ? 'comments' : 'notes';
	const held = new Map<string, number>();
	for (const callback of state.callbacks) {
		const text = callback[marker];
		if (typeof text === 'string' && text.startsWith(`bench r${task.round} item `))
			held.set(text, (held.get(text) ?? 0) + 1);
	}
	const lost = inputs.filter((input) => !held.has(input.comments)).length;
	const duplicates = [...held.values()].reduce((sum, count) => sum + count - 1, 0);
	let orderKept = 0;
	let pairingKept = 0;
	let errors = 0;
	if (output) {
		output.forEach((item, index) => {
			if (item.json.error !== undefined) errors += 1;
			const paired = item.pairedItem as { item?: number } | undefined;
			if (paired?.item === index) pairingKept += 1;
			if (item.json.notes === inputs[index]?.comments) orderKept += 1;
		});
	} else {
		created?.forEach((callback, index) => {
			if (callback === undefined) errors += 1;
			else if (callback[marker] === inputs[index].comments) orderKept += 1;
		});
	}
	const signatureCounts: Record<string, number> = {};
	for (const entry of traffic.signatures)
		signatureCounts[entry] = (signatureCounts[entry] ?? 0) + 1;
	return {
		ok: true,
		wallMs: measured.wallMs,
		cpuMs: measured.cpuMs,
		heapPeakMiB: measured.heapPeakMiB,
		heapRetainedMiB: measured.heapRetainedMiB,
		rssPeakMiB: measured.rssPeakMiB,
		windowUs: measured.windowUs,
		items: output?.length ?? created?.length ?? 0,
		requests: traffic.requests,
		statuses: traffic.statuses,
		responseBytes: traffic.responseBytes,
		extra: {
			inputs: inputs.length,
			outputs: output?.length ?? created?.length ?? 0,
			orderKept,
			pairingKept: output ? pairingKept : null,
			errors,
			lost,
			duplicates,
			rateLimited: traffic.statuses['429'] ?? 0,
			maxInFlight: traffic.maxInFlight,
			newConnections: traffic.newConnections,
			serverCpuMs,
			signatureCounts,
			concurrencyOption: concurrencyOption ?? null,
		},
	};
}

// --- B4: Callback Due precision ---

async function duePrecision(task: Task, host: Host): Promise<Result> {
	const { provider } = task;
	const { Trigger, Credential, defaultRuntime } = load(provider);
	const start = task.nowMs ?? Date.now();
	const interval = task.pollIntervalMs ?? MINUTE;
	const leadMs = (task.minutesBefore ?? 0) * MINUTE;
	let clock = start;
	const runtime: Runtime = { ...defaultRuntime, now: () => clock };
	const runner = pollRunner({
		nodeType: new Trigger(runtime),
		credentialType: new Credential(),
		credentials: credentialsFor(provider, host.ready),
		parameters: triggerParameters(task, 'due'),
	});
	const truth = new Map((host.ready.scheduled ?? []).map((entry) => [entry.id, entry.scheduledMs]));
	const lastDue = Math.max(...truth.values()) - leadMs;
	const emissions = new Map<string, number[]>();
	let unknown = 0;
	let polls = 0;
	const measured = await measure(async () => {
		await runner.poll(); // activation
		while (clock <= lastDue + 2 * interval) {
			clock += interval;
			await host.control('POST', '/clock', { now: clock });
			const out = await runner.poll();
			polls += 1;
			for (const item of out?.[0] ?? []) {
				const id = String(item.json.id);
				if (!truth.has(id)) unknown += 1;
				emissions.set(id, [...(emissions.get(id) ?? []), clock]);
			}
		}
	});
	const lateness: number[] = [];
	let duplicates = 0;
	for (const [id, times] of emissions) {
		const scheduled = truth.get(id);
		if (scheduled === undefined) continue;
		lateness.push(times[0] - (scheduled - leadMs));
		duplicates += times.length - 1;
	}
	const missed = [...truth.keys()].filter((id) => !emissions.has(id)).length;
	const traffic = await trafficOf(host, provider, 'names');
	return {
		ok: true,
		wallMs: measured.wallMs,
		cpuMs: measured.cpuMs,
		requests: traffic.requests,
		responseBytes: traffic.responseBytes,
		items: lateness.length,
		extra: {
			scheduled: truth.size,
			emitted: lateness.length,
			missed,
			duplicates,
			unknown,
			early: lateness.filter((ms) => ms < 0).length,
			late: lateness.filter((ms) => ms > interval).length,
			minLatenessMs: lateness.length ? Math.min(...lateness) : null,
			maxLatenessMs: lateness.length ? Math.max(...lateness) : null,
			polls,
			pollIntervalMs: interval,
			minutesBefore: task.minutesBefore ?? 0,
		},
	};
}

// --- main ---

function planFor(task: Task): SandboxPlan {
	const scenario = ({ B1: 'b1', B1b: 'b1', B2: 'b2', B3: 'b3', B4: 'b4' } as const)[task.bench];
	return {
		scenario,
		provider: task.provider,
		count: task.bench === 'B3' ? 0 : task.count,
		seed: task.seed,
		latencyMs: task.latencyMs,
		nowMs: task.bench === 'B2' || task.bench === 'B4' ? task.nowMs : undefined,
		rateLimit: task.rateLimit,
		horizonMs: task.horizonMs,
		exitAfterMs: 15 * MINUTE,
	};
}

async function main(): Promise<void> {
	const task = JSON.parse(process.argv[2] ?? '') as Task;
	let host: Host | undefined;
	let result: Result;
	try {
		// The host seeds on one core while n8n-core loads on the other.
		const [started, loaded] = await Promise.all([
			startHost(planFor(task)),
			import('../helpers/run-node'),
		]);
		host = started;
		helpers = loaded;
		switch (task.bench) {
			case 'B1':
			case 'B1b':
				result = await listAll(task, host);
				break;
			case 'B2':
				result = await idlePoll(task, host);
				break;
			case 'B3':
				result = await bulkCreate(task, host);
				break;
			case 'B4':
				result = await duePrecision(task, host);
				break;
		}
	} catch (error) {
		const text = error instanceof Error ? `${error.message}` : String(error);
		result = { ok: false, error: text.slice(0, 500) };
	}
	process.stdout.write(`${RESULT_PREFIX}${JSON.stringify(result)}\n`);
	if (host) {
		host.process.disconnect();
		host.process.kill('SIGTERM');
	}
	// Nothing else may keep the process: n8n-core's timers or agents, say.
	setTimeout(() => process.exit(0), 200);
}

void main();
