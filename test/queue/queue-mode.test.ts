/**
 * n8n 2.41.1 in queue mode, proven at scale: one main and two workers on PostgreSQL
 * and Redis started here, the package installed in each as a community package.
 *
 * - Action nodes of every provider, started by production webhooks, run on the
 *   workers (both of them) with the right results; every provider request of an
 *   execution comes from the worker that ran it.
 * - Credentials with renewable state (Talkdesk's token, Ameyo's session) are shared
 *   through the database: with both workers running Talkdesk and Ameyo executions at
 *   once, the sandbox sees one token request and one login per expiry.
 * - Every trigger (New and Due, each provider) polls on the main only, every 10 s
 *   (n8n refuses a sub-minute cron but takes several minute-level ones, on different
 *   seconds), at least 30 times (30 minutes at n8n's shortest usual interval), while
 *   callbacks are created and rescheduled and the tests above run: each is emitted
 *   exactly once, and the executions they start run on the workers.
 *
 * 10 s, not 5: on a busy 2-core machine a poll can take longer than 5 s, and n8n runs
 * a trigger's next poll even while the previous one still runs (see the README).
 */
import { request } from 'node:http';

import { startSandbox } from '../sandbox/server';
import type { RecordedRequest, Sandbox } from '../sandbox/server';
import { prepareCluster, PROCESS_HEADER } from './cluster';
import type { Cluster } from './cluster';
import {
	Churn,
	compareEmissions,
	credentialRecords,
	emittedItems,
	hasEnded,
	mainLinesOf,
	MINUTE,
	pollEvery,
	PROVIDERS,
	SECOND,
	sleep,
	storedExecutions,
	triggerWorkflow,
	waitFor,
	webhookWorkflow,
	worlds,
} from './helpers';
import type { Provider, StoredExecution } from './helpers';
import { startServices } from './services';
import type { StartedServices } from './services';

const POLL_SECONDS = 10;
const MIN_POLLS = 30;
const AMEYO_TRIGGER_CAMPAIGN = 110;
const AMEYO_ACTION_CAMPAIGN = 111;

const CREDENTIALS = {
	convoso: { id: 'queueConvosoCred1', name: 'Convoso (queue)' },
	speko: { id: 'queueSpekoCred001', name: 'Speko (queue)' },
	talkdesk: { id: 'queueTalkdeskAct1', name: 'Talkdesk (actions)' },
	talkdeskTriggers: { id: 'queueTalkdeskTrg1', name: 'Talkdesk (triggers)' },
	ameyo: { id: 'queueAmeyoAct0001', name: 'Ameyo (actions)' },
	ameyoTriggers: { id: 'queueAmeyoTrg0001', name: 'Ameyo (triggers)' },
};
const TRIGGER_CREDENTIAL: Record<Provider, { id: string; name: string }> = {
	convoso: CREDENTIALS.convoso,
	speko: CREDENTIALS.speko,
	talkdesk: CREDENTIALS.talkdeskTriggers,
	ameyo: CREDENTIALS.ameyoTriggers,
};

const ACTION_FLOWS: Record<Provider, string> = {
	convoso: 'queueActConvoso01',
	speko: 'queueActSpeko0001',
	talkdesk: 'queueActTalkdesk1',
	ameyo: 'queueActAmeyo0001',
};
const READ_FLOWS = { talkdesk: 'queueReadTalkdesk', ameyo: 'queueReadAmeyo001' };
const TRIGGER_FLOWS = Object.fromEntries(
	PROVIDERS.flatMap((provider) =>
		(['new', 'due'] as const).map((event) => [
			`${provider}:${event}`,
			`queueTrg${provider.slice(0, 4)}${event}`.padEnd(17, '0'),
		]),
	),
) as Record<`${Provider}:${'new' | 'due'}`, string>;

const TOKEN_ROUTE = '/id/oauth/token';
const LOGIN_ROUTE = '/ameyorestapi/session/userLogin';
const LIST_ROUTES: Record<Provider, string> = {
	convoso: '/v1/callbacks/search',
	speko: '/v1/callbacks',
	talkdesk: '/api/schedule-callbacks',
	ameyo: '/ameyorestapi/voice/customerCallbacks/getFiltered',
};

let services: StartedServices;
let sandbox: Sandbox;
let cluster: Cluster;
/** Callbacks the action workflows work on, made before the cluster starts (baseline for the triggers). */
const targets: Record<Provider, string[]> = { convoso: [], speko: [], talkdesk: [], ameyo: [] };
/** Polls that failed (error executions of the triggers), found by the trigger test. */
const triggerPollFailures: string[] = [];
/** Figures for the report, printed at the end. */
const figures: Record<string, unknown> = {};

const tagOf = (request: RecordedRequest) => request.headers[PROCESS_HEADER] ?? 'direct';

beforeAll(async () => {
	services = await startServices({ log: (line) => console.log(line) });
	sandbox = await startSandbox({
		convoso: { callbacks: 0 },
		speko: { callbacks: 0 },
		talkdesk: { callbacks: 0 },
		ameyo: { callbacks: 0 },
	});
	const farAhead = (i: number) => Date.now() + 2 * 24 * 60 * MINUTE + i * MINUTE;
	const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
	for (let i = 0; i < 4; i++) {
		targets.convoso.push(String(sandbox.convoso.addCallback({ comments: `action ${i}` }).id));
		targets.speko.push(sandbox.speko.addCallback({ scheduled_at: iso(farAhead(i)) }).id);
		targets.talkdesk.push(sandbox.talkdesk.addCallback({ next_time_to_call: iso(farAhead(i)) }).id);
		targets.ameyo.push(
			sandbox.ameyo.addCallback({ campaignId: AMEYO_TRIGGER_CAMPAIGN, callbackTime: farAhead(i) })
				.customerCallbackId,
		);
	}
	// Two pages of each in what the credential test reads in full (Ameyo 1,000 a page,
	// Talkdesk 500).
	sandbox.ameyo.addCallbacks(1_500, (i) => ({
		campaignId: AMEYO_ACTION_CAMPAIGN,
		callbackTime: farAhead(i),
	}));
	sandbox.talkdesk.addCallbacks(600, (i) => ({ next_time_to_call: iso(farAhead(i)) }));

	cluster = await prepareCluster({
		services,
		sandbox,
		database: 'n8n_queue_mode',
		name: 'n8n-queue-mode',
		// The main logs at debug: n8n says "Poll trigger initiated" at every poll (JSON: with
		// the workflow id). The workers at info: "Worker started execution" is enough.
		env: { N8N_LOG_FORMAT: 'json' },
		mainEnv: { N8N_LOG_LEVEL: 'debug' },
		workerEnv: { N8N_LOG_LEVEL: 'info' },
	});
	await cluster.importCredentials(credentialRecords(cluster, CREDENTIALS));
	const polls = pollEvery(POLL_SECONDS);
	await cluster.importWorkflows([
		webhookWorkflow(ACTION_FLOWS.convoso, 'queue-convoso', 'convoso', CREDENTIALS.convoso, {
			resource: 'callback',
			operation: 'update',
			callbackId: '={{ $json.body.id }}',
			updateFields: {
				callbackTime: '2027-03-05T14:30',
				timeZone: 'Asia/Kolkata',
				comments: '={{ "moved by " + $json.body.id }}',
			},
			callingHours: 'off',
		}),
		webhookWorkflow(ACTION_FLOWS.speko, 'queue-speko', 'speko', CREDENTIALS.speko, {
			resource: 'callback',
			operation: 'cancel',
			callbackId: { __rl: true, mode: 'id', value: '={{ $json.body.id }}' },
			reason: '={{ "cancelled by " + $json.body.id }}',
		}),
		webhookWorkflow(ACTION_FLOWS.talkdesk, 'queue-talkdesk', 'talkdesk', CREDENTIALS.talkdesk, {
			resource: 'callback',
			operation: 'update',
			callbackId: { __rl: true, mode: 'id', value: '={{ $json.body.id }}' },
			updateFields: { callbackTime: '2027-01-15T14:30:00', timeZone: 'Asia/Kolkata' },
			callingHours: 'off',
		}),
		webhookWorkflow(ACTION_FLOWS.ameyo, 'queue-ameyo', 'ameyo', CREDENTIALS.ameyo, {
			resource: 'callback',
			operation: 'delete',
			campaignId: AMEYO_TRIGGER_CAMPAIGN,
			callbackId: { __rl: true, mode: 'id', value: '={{ $json.body.id }}' },
		}),
		webhookWorkflow(READ_FLOWS.talkdesk, 'queue-talkdesk-read', 'talkdesk', CREDENTIALS.talkdesk, {
			resource: 'callback',
			operation: 'getMany',
			returnAll: '={{ $json.body.all === true }}',
			limit: 5,
		}),
		webhookWorkflow(READ_FLOWS.ameyo, 'queue-ameyo-read', 'ameyo', CREDENTIALS.ameyo, {
			resource: 'callback',
			operation: 'getMany',
			campaignId: AMEYO_ACTION_CAMPAIGN,
			returnAll: '={{ $json.body.all === true }}',
			limit: 5,
		}),
		...PROVIDERS.flatMap((provider) =>
			(['new', 'due'] as const).map((event) =>
				triggerWorkflow(
					TRIGGER_FLOWS[`${provider}:${event}`],
					provider,
					event,
					TRIGGER_CREDENTIAL[provider],
					polls,
					provider === 'ameyo' ? { campaignIds: String(AMEYO_TRIGGER_CAMPAIGN) } : {},
				),
			),
		),
	]);
	await cluster.start();
	background = startChurn();
	figures.processes = {
		main: cluster.main.pid,
		workers: cluster.workers.map((w) => w.pid),
	};
});

afterAll(async () => {
	if (background) {
		background.aborted = true;
		await background.done;
	}
	console.log(`Queue mode figures:\n${JSON.stringify(figures, null, 2)}`);
	await cluster?.stop();
	await sandbox?.close();
	await services?.stop();
});

const pollsOf = (workflowId: string) =>
	mainLinesOf(cluster, workflowId, /^Poll trigger initiated/).length;

/** Seconds the churn goes on once the other tests are done (only the triggers run then). */
const QUIET_MS = 45 * SECOND;

interface BackgroundChurn {
	churn: Churn;
	from: number;
	pollsAtStart: Record<string, number>;
	quietSince?: number;
	/** From now on only the triggers run. */
	quiet(): void;
	/** Stops the churn now (the cluster is going away). */
	aborted: boolean;
	/** Resolves with the time the churn stopped. */
	done: Promise<number>;
}
let background: BackgroundChurn | undefined;

/**
 * Creates and reschedules callbacks every 6 s while the other tests run and then
 * QUIET_MS longer, until every trigger polled MIN_POLLS times.
 */
function startChurn(): BackgroundChurn {
	const flows = Object.values(TRIGGER_FLOWS);
	const run: BackgroundChurn = {
		churn: new Churn(worlds(sandbox, { ameyoCampaign: AMEYO_TRIGGER_CAMPAIGN })),
		from: Date.now(),
		pollsAtStart: Object.fromEntries(flows.map((id) => [id, pollsOf(id)])),
		quiet: () => (run.quietSince ??= Date.now()),
		aborted: false,
		done: Promise.resolve(0),
	};
	run.done = (async () => {
		for (;;) {
			const now = Date.now();
			const enough =
				run.quietSince !== undefined &&
				now - run.quietSince >= QUIET_MS &&
				now - run.from >= MIN_POLLS * POLL_SECONDS * SECOND &&
				flows.every((id) => pollsOf(id) - run.pollsAtStart[id] >= MIN_POLLS);
			if (enough || run.aborted || now - run.from > 20 * MINUTE) return now;
			run.churn.step();
			await sleep(6 * SECOND);
		}
	})();
	return run;
}

function describeFailure(execution: StoredExecution): string {
	const error = execution.data?.resultData?.error as
		| { message?: string; description?: string }
		| undefined;
	return `${execution.id} (${execution.status}): ${error?.message ?? 'no error recorded'}`;
}

/**
 * For a callback emitted twice: the executions that carried it, and the polls of its
 * trigger around them (start times from the main's log), to tell overlapping polls apart.
 */
function duplicateDiagnosis(flow: string, own: StoredExecution[], twice: string[]) {
	const polls = mainLinesOf(cluster, flow, /^Poll trigger initiated/).map((l) => l.timestamp);
	return twice.map((entry) => {
		const id = entry.split(' ')[0];
		const carriers = own.filter((e) => emittedItems(e).some((item) => String(item.id) === id));
		const first = Date.parse(carriers[0]?.createdAt ?? '');
		return {
			id,
			executions: carriers.map((e) => ({
				id: e.id,
				createdAt: e.createdAt,
				items: emittedItems(e).length,
			})),
			pollsAround: polls.filter((t) => Math.abs(Date.parse(String(t)) - first) < 30 * SECOND),
		};
	});
}

/** The error messages of failed executions of these workflows since `from`. */
async function failures(workflowIds: string[], from: number) {
	const executions = await storedExecutions(cluster, workflowIds);
	return executions
		.filter((e) => e.status === 'error' && Date.parse(e.createdAt) >= from - 1000)
		.map((e) => {
			const error = e.data?.resultData?.error as
				| { message?: string; description?: string }
				| undefined;
			return `${e.id} on ${cluster.workerOf(e.id)}: ${error?.message} ${error?.description ?? ''}`.trim();
		});
}

/**
 * POSTs to a production webhook of the main; answers status and items. Each call has
 * a connection of its own: a kept-alive one left idle by a previous call may be closed
 * by the server just as it is reused, and a POST is not sent again.
 */
async function callWebhook(path: string, body: object) {
	const payload = JSON.stringify(body);
	try {
		const { status, text } = await new Promise<{ status: number; text: string }>(
			(resolve, reject) => {
				const call = request(
					`${cluster.main.url}/webhook/${path}`,
					{
						method: 'POST',
						agent: false,
						headers: {
							'content-type': 'application/json',
							accept: 'application/json',
							'content-length': Buffer.byteLength(payload),
						},
						// An execution that never answers is a failure to report, not a hung test.
						timeout: 150_000,
					},
					(response) => {
						let received = '';
						response.setEncoding('utf8');
						response.on('data', (chunk: string) => (received += chunk));
						response.on('end', () => resolve({ status: response.statusCode ?? 0, text: received }));
						response.on('error', reject);
					},
				);
				call.on('timeout', () => call.destroy(new Error('no answer within 150 s')));
				call.on('error', reject);
				call.end(payload);
			},
		);
		let json: unknown;
		try {
			json = JSON.parse(text);
		} catch {
			json = undefined;
		}
		return { status, json, text };
	} catch (error) {
		return { status: 0, json: undefined, text: `no answer: ${(error as Error).message}` };
	}
}

/** A webhook's status, with what it answered when that is not 200 (the reason shows in a failure). */
function outcome(answer: { status: number; text: string }) {
	return answer.status === 200
		? { status: 200 }
		: { status: answer.status, text: answer.text.slice(0, 500) };
}

describe('queue mode: one main, two workers', () => {
	describe('credentials with renewable state are shared by the workers', () => {
		const BURST = 6;
		/** Token requests and logins of the action credentials (the triggers' come from the main). */
		const renewals = (from: number) => {
			const fromWorkers = sandbox.requests.filter((r) => r.at >= from && tagOf(r) !== 'main');
			const logins = fromWorkers.filter((r) => r.provider === 'ameyo' && r.route === LOGIN_ROUTE);
			const tokens = fromWorkers.filter(
				(r) => r.provider === 'talkdesk' && r.route === TOKEN_ROUTE,
			);
			const byWorker = (requests: RecordedRequest[]) =>
				requests.reduce<Record<string, number>>((acc, r) => {
					acc[tagOf(r)] = (acc[tagOf(r)] ?? 0) + 1;
					return acc;
				}, {});
			return {
				tokenRequests: tokens.length,
				tokensByWorker: byWorker(tokens),
				loginRequests: logins.length,
				/** Logins Ameyo granted: it allows the user one session, a second login is refused. */
				sessionsOpened: logins.filter((r) => r.status === 200).length,
				loginsByWorker: byWorker(logins),
			};
		};
		/**
		 * One token request and one login per expiry for all the workers together: the
		 * workers agree through the claim recorded in the credential on which one renews,
		 * the others use what it stored.
		 */
		const expectOneRenewal = (seen: ReturnType<typeof renewals>) => {
			expect(seen).toMatchObject({ tokenRequests: 1, loginRequests: 1, sessionsOpened: 1 });
		};
		/** BURST Talkdesk and BURST Ameyo executions at once; answers their HTTP statuses. */
		const burstBoth = async (body: object = {}) => {
			const started = Date.now();
			const answers = await Promise.all([
				...Array.from(
					{ length: BURST },
					async () => await callWebhook('queue-talkdesk-read', body),
				),
				...Array.from({ length: BURST }, async () => await callWebhook('queue-ameyo-read', body)),
			]);
			const failed = answers.filter((a) => a.status !== 200);
			return {
				talkdesk: answers.slice(0, BURST).map((a) => a.status),
				ameyo: answers.slice(BURST).map((a) => a.status),
				errors:
					failed.length === 0
						? []
						: [
								...(await failures(Object.values(READ_FLOWS), started)),
								// An answer that never came is an error too, whatever the execution says.
								...failed.filter((a) => a.status === 0).map((a) => a.text),
							],
			};
		};
		const phases: Record<string, unknown> = {};
		afterAll(() => {
			figures.credentials = phases;
		});

		it('first use: concurrent executions on both workers fetch one token and log in once', async () => {
			const from = Date.now();
			const result = await burstBoth();
			const seen = renewals(from);
			phases.firstUse = { ...seen, statuses: result };
			expect(result.errors).toEqual([]);
			expectOneRenewal(seen);
		});

		it('with the token and session stored, concurrent executions fetch and log in nothing', async () => {
			const from = Date.now();
			const result = await burstBoth();
			const seen = renewals(from);
			phases.stored = { ...seen, statuses: result };
			expect(result.errors).toEqual([]);
			expect(seen).toMatchObject({ tokenRequests: 0, loginRequests: 0 });
		});

		for (const round of [1, 2]) {
			it(`expiry ${round}: executions on both workers meet the expired token and session at once: one token request and one login, none fails`, async () => {
				sandbox.talkdesk.expireTokens();
				sandbox.ameyo.expireSessions();
				const from = Date.now();
				const result = await burstBoth();
				const seen = renewals(from);
				phases[`expiry${round}`] = { ...seen, statuses: result };
				expect(result.errors).toEqual([]);
				expectOneRenewal(seen);
			});
		}

		it('a session that expires in the middle of one execution is renewed once, and the run goes on', async () => {
			// The first page is answered, then the session ends (as an idle timeout would).
			sandbox.ameyo.expireSessionsAfter(1);
			sandbox.talkdesk.expireTokensAfter(1);
			const from = Date.now();
			const [ameyo, talkdesk] = await Promise.all([
				callWebhook('queue-ameyo-read', { all: true }),
				callWebhook('queue-talkdesk-read', { all: true }),
			]);
			const seen = renewals(from);
			phases.midExecution = seen;
			expect(outcome(ameyo)).toEqual({ status: 200 });
			expect(outcome(talkdesk)).toEqual({ status: 200 });
			expect((ameyo.json as object[]).length).toBe(1_500);
			// 604 before the churn, and whatever it added meanwhile: each once.
			const listed = (talkdesk.json as Array<{ id: string }>).map((item) => item.id);
			expect(listed.length).toBeGreaterThanOrEqual(604);
			expect(new Set(listed).size).toBe(listed.length);
			expect(seen).toMatchObject({ tokenRequests: 1, loginRequests: 1, sessionsOpened: 1 });
		});
	});

	it('action nodes of every provider run on the workers, with the right results', async () => {
		const since = Date.now();
		const calls = PROVIDERS.flatMap((provider) =>
			targets[provider].map((id) => ({ provider, id })),
		);
		const answers = await Promise.all(
			calls.map(async (call) => ({
				...call,
				answer: await callWebhook(`queue-${call.provider}`, { id: call.id }),
			})),
		);
		for (const { provider, id, answer } of answers) {
			expect({ provider, id, ...outcome(answer) }).toEqual({ provider, id, status: 200 });
			const [item] = answer.json as Array<Record<string, unknown>>;
			expect(String(item.id)).toBe(id);
			expect(item.provider).toBe(provider);
		}

		// The provider saw the changes.
		for (const id of targets.convoso) {
			const callback = sandbox.convoso.getCallback(Number(id))!;
			expect(callback.comments).toBe(`moved by ${id}`);
			// 14:30 in Kolkata is 09:00 UTC, 04:00 in New York (the account zone).
			expect(callback.callback_time).toBe('2027-03-05 04:00:00');
		}
		for (const id of targets.speko) {
			expect(sandbox.speko.getCallback(id)).toMatchObject({
				status: 'cancelled',
				reason: `cancelled by ${id}`,
			});
		}
		for (const id of targets.talkdesk)
			expect(sandbox.talkdesk.getCallback(id)!.next_time_to_call).toBe('2027-01-15T09:00:00Z');
		for (const id of targets.ameyo) expect(sandbox.ameyo.getCallback(id)).toBeUndefined();
		const outputs = Object.fromEntries(answers.map((a) => [a.id, (a.answer.json as object[])[0]]));
		expect(outputs[targets.convoso[0]]).toMatchObject({ scheduledAt: '2027-03-05T09:00:00Z' });
		expect(outputs[targets.speko[0]]).toMatchObject({ status: 'cancelled' });
		expect(outputs[targets.talkdesk[0]]).toMatchObject({ scheduledAt: '2027-01-15T09:00:00Z' });
		expect(outputs[targets.ameyo[0]]).toMatchObject({ deleted: true });

		// Which process ran each execution, and which sent its provider requests.
		const executions = await storedExecutions(cluster, Object.values(ACTION_FLOWS));
		expect(executions).toHaveLength(calls.length);
		const ranOn: Record<string, string> = {};
		for (const execution of executions) {
			expect({ id: execution.id, status: execution.status, mode: execution.mode }).toEqual({
				id: execution.id,
				status: 'success',
				mode: 'webhook',
			});
			const webhook = execution.data!.resultData.runData.Webhook[0].data!.main[0]![0].json as {
				body: { id: string };
			};
			const worker = cluster.workerOf(execution.id);
			expect(cluster.tags.slice(1)).toContain(worker);
			ranOn[webhook.body.id] = worker!;
		}
		// Both workers took part.
		expect(new Set(Object.values(ranOn)).size).toBe(2);
		// Convoso names the callback in the form (update: callback_id, the read-back: id),
		// the others in the path.
		const mentions = (r: RecordedRequest, provider: Provider, id: string) =>
			provider === 'convoso'
				? r.form?.callback_id === id || (r.route === LIST_ROUTES.convoso && r.form?.id === id)
				: r.route.split('/').includes(id);
		for (const { provider, id } of calls) {
			const own = sandbox.requests.filter(
				(r) => r.provider === provider && r.at >= since && mentions(r, provider, id),
			);
			expect(own.length).toBeGreaterThan(0);
			expect({ id, senders: [...new Set(own.map(tagOf))] }).toEqual({ id, senders: [ranOn[id]] });
		}
		figures.actions = {
			executions: executions.length,
			byWorker: Object.values(ranOn).reduce<Record<string, number>>((acc, w) => {
				acc[w] = (acc[w] ?? 0) + 1;
				return acc;
			}, {}),
		};
	});

	it(`every trigger polls on the main only and emits each callback exactly once (${MIN_POLLS}+ polls every ${POLL_SECONDS} s)`, async () => {
		const run = background!;
		// The tests above ran during the churn; now it goes on alone for a while.
		run.quiet();
		const churnUntil = await run.done;
		const { churn, from: churnFrom, pollsAtStart } = run;
		const flows = Object.values(TRIGGER_FLOWS);
		// Everything has fallen due, and every trigger polled twice more since.
		await waitFor(
			'the last callback to fall due',
			() => (Date.now() > churn.lastDue() + 2 * SECOND ? true : undefined),
			3 * MINUTE,
		);
		const settled = Object.fromEntries(flows.map((id) => [id, pollsOf(id)]));
		await waitFor(
			'two more polls of every trigger',
			() => (flows.every((id) => pollsOf(id) >= settled[id] + 2) ? true : undefined),
			3 * MINUTE,
		);
		const executions = await waitFor(
			'the trigger executions to end',
			async () => {
				const all = await storedExecutions(cluster, flows, { withData: false });
				return all.every((e) => hasEnded(e.status)) ? true : undefined;
			},
			3 * MINUTE,
			3000,
		).then(async () => await storedExecutions(cluster, flows));

		const report: Record<string, unknown> = {};
		const wrong: unknown[] = [];
		for (const provider of PROVIDERS) {
			const created = churn.created.get(provider)!;
			for (const event of ['new', 'due'] as const) {
				const flow = TRIGGER_FLOWS[`${provider}:${event}`];
				const own = executions.filter((e) => e.workflowId === flow);
				const emitted = own.flatMap(emittedItems);
				const comparison = compareEmissions(
					created.keys(),
					emitted.map((item) => String(item.id)),
				);
				const late =
					event === 'due'
						? emitted
								.filter(
									(item) =>
										Math.abs(
											Date.parse(String(item.scheduledAt)) - created.get(String(item.id))!,
										) >= MINUTE,
								)
								.map((item) => `${String(item.id)} at ${String(item.scheduledAt)}`)
						: [];
				// A poll that failed is an error execution of its own, on the main, emitting
				// nothing (checked in the last test); every other execution carries emissions.
				const pollFailures = own.filter(
					(e) => e.status === 'error' && emittedItems(e).length === 0 && !cluster.workerOf(e.id),
				);
				triggerPollFailures.push(
					...pollFailures.map((e) => `${provider}:${event} ${describeFailure(e)}`),
				);
				const carrying = own.filter((e) => !pollFailures.includes(e));
				const notOnWorker = carrying
					.filter((e) => !cluster.tags.slice(1).includes(cluster.workerOf(e.id) ?? ''))
					.map((e) => e.id);
				const failed = carrying.filter((e) => e.status !== 'success');
				report[`${provider}:${event}`] = {
					polls: pollsOf(flow) - pollsAtStart[flow],
					executions: own.length,
					expected: created.size,
					...comparison,
					...(comparison.twice.length > 0 && {
						duplicates: duplicateDiagnosis(flow, own, comparison.twice),
					}),
					...(failed.length > 0 && { failed: failed.map(describeFailure) }),
					...(pollFailures.length > 0 && { failedPolls: pollFailures.length }),
				};
				const problems = {
					...(comparison.missing.length > 0 && { missing: comparison.missing }),
					...(comparison.twice.length > 0 && { twice: comparison.twice }),
					...(comparison.unexpected.length > 0 && { unexpected: comparison.unexpected }),
					...(late.length > 0 && { notAtItsFinalTime: late }),
					...(notOnWorker.length > 0 && { notOnAWorker: notOnWorker }),
					...(failed.length > 0 && { failed: failed.map(describeFailure) }),
				};
				if (Object.keys(problems).length > 0)
					wrong.push({ flow: `${provider}:${event}`, ...problems });
			}
		}
		const churnRequests = sandbox.requests.filter((r) => r.at >= churnFrom && r.at <= churnUntil);
		const quietFromWorkers = sandbox.requests.filter(
			(r) => r.at >= run.quietSince! && tagOf(r) !== 'main',
		);
		figures.triggers = {
			pollSeconds: POLL_SECONDS,
			churnSeconds: Math.round((churnUntil - churnFrom) / 1000),
			created: churn.created.get('convoso')!.size,
			rescheduled: churn.rescheduled,
			perTrigger: report,
			listRequestsFromMain: Object.fromEntries(
				PROVIDERS.map((provider) => [
					provider,
					churnRequests.filter(
						(r) =>
							r.provider === provider && r.route === LIST_ROUTES[provider] && tagOf(r) === 'main',
					).length,
				]),
			),
			requestsFromWorkersWhileOnlyTriggersRan: quietFromWorkers.length,
			proxyRefused: [...cluster.proxies.values()].flatMap((p) => p.refused),
		};

		for (const flow of flows)
			expect(pollsOf(flow) - pollsAtStart[flow]).toBeGreaterThanOrEqual(MIN_POLLS);
		// Polls come from the main, never from a worker: while only the triggers ran, the
		// workers ran the executions they started and sent the providers nothing.
		expect(quietFromWorkers.map((r) => `${tagOf(r)} ${r.method} ${r.provider}${r.route}`)).toEqual(
			[],
		);
		expect(wrong).toEqual([]);
	});

	it("the triggers' credentials, shared on the main by the New and Due triggers, are renewed without a failed poll", () => {
		// The tests above expired every token and session three times while the triggers polled.
		const fromMain = sandbox.requests.filter(
			(r) => r.at >= background!.from && tagOf(r) === 'main',
		);
		figures.triggerRenewals = {
			talkdeskTokenRequests: fromMain.filter(
				(r) => r.provider === 'talkdesk' && r.route === TOKEN_ROUTE,
			).length,
			ameyoLoginRequests: fromMain.filter((r) => r.provider === 'ameyo' && r.route === LOGIN_ROUTE)
				.length,
			failedPolls: triggerPollFailures,
		};
		expect(triggerPollFailures).toEqual([]);
		// The New and Due triggers of a provider share a credential on one process: at most
		// one token or login for the first use and each of the three expiries, not one per
		// trigger.
		const renewed = figures.triggerRenewals as Record<string, number>;
		expect(renewed.talkdeskTokenRequests).toBeLessThanOrEqual(4);
		expect(renewed.ameyoLoginRequests).toBeLessThanOrEqual(4);
	});
});
