/**
 * n8n 2.41.1's durable poll scheduler (N8N_POLLER_DURABLE_CURSORS_ENABLED with the
 * flags it needs) in queue mode, one main and two workers:
 *
 * - every trigger (New and Due, each provider, polling every 10 s) runs under it: a
 *   scheduler job per poll time of each trigger node, and the trigger's whole state
 *   in the node's static data, which n8n keeps as the durable cursor (`poller_state`)
 *   and commits with the execution;
 * - a 429 with Retry-After from the provider delays the trigger's next poll at least
 *   as long as asked (n8n's own backoff, from the error's HTTP code and Retry-After);
 * - a poll that would run past the poll timeout stops within its budget
 *   (getPollBudgetMs) and the next poll goes on from where it stopped;
 * - the main is killed (SIGKILL, in the middle of a poll) and started again during a
 *   churn of creates and reschedules: afterwards nothing was missed and nothing was
 *   emitted twice.
 *
 * The backoff and the budget are shown on a second sandbox while the churn of the
 * restart test already runs on the first (time on the machine is short).
 */
import { startSandbox } from '../sandbox/server';
import type { RecordedRequest, Sandbox } from '../sandbox/server';
import { DURABLE_SCHEDULER_ENV, prepareCluster, PROCESS_HEADER } from './cluster';
import type { Cluster } from './cluster';
import {
	Churn,
	compareEmissions,
	credentialRecords,
	emittedItems,
	hasEnded,
	mainLogLines as mainLogLinesOf,
	neverRan,
	MINUTE,
	pollEvery,
	PROVIDERS,
	SECOND,
	sleep,
	storedExecutions,
	triggerWorkflow,
	waitFor,
	worlds,
} from './helpers';
import type { Provider, StoredExecution } from './helpers';
import { startServices } from './services';
import type { StartedServices } from './services';

const POLL_SECONDS = 10;
/** N8N_SCHEDULER_POLL_TIMEOUT: n8n's poll budget is this minus a margin of 5 s. */
const POLL_TIMEOUT_S = 20;
const POLL_BUDGET_MS = (POLL_TIMEOUT_S - 5) * SECOND;
const RETRY_AFTER_S = 40;
const AMEYO_CAMPAIGN = 110;
const BUDGET_CALLBACKS = 8_500;
const PAGE_DELAY_MS = 2_500;

const CREDENTIALS = {
	convoso: { id: 'durConvosoCred001', name: 'Convoso (durable)' },
	speko: { id: 'durSpekoCred00001', name: 'Speko (durable)' },
	talkdesk: { id: 'durTalkdeskCred01', name: 'Talkdesk (unused)' },
	talkdeskTriggers: { id: 'durTalkdeskTrg001', name: 'Talkdesk (durable)' },
	ameyo: { id: 'durAmeyoCred00001', name: 'Ameyo (unused)' },
	ameyoTriggers: { id: 'durAmeyoTrg000001', name: 'Ameyo (durable)' },
};
/** The same on the second sandbox, for the backoff and budget triggers. */
const CREDENTIALS_2 = {
	convoso: { id: 'durConvosoCred002', name: 'Convoso (second sandbox)' },
	speko: { id: 'durSpekoCred00002', name: 'Speko (second sandbox)' },
	talkdesk: { id: 'durTalkdeskCred02', name: 'Talkdesk (second, unused)' },
	talkdeskTriggers: { id: 'durTalkdeskTrg002', name: 'Talkdesk (second, unused)' },
	ameyo: { id: 'durAmeyoCred00002', name: 'Ameyo (second, unused)' },
	ameyoTriggers: { id: 'durAmeyoTrg000002', name: 'Ameyo (second sandbox)' },
};
const TRIGGER_CREDENTIAL: Record<Provider, { id: string; name: string }> = {
	convoso: CREDENTIALS.convoso,
	speko: CREDENTIALS.speko,
	talkdesk: CREDENTIALS.talkdeskTriggers,
	ameyo: CREDENTIALS.ameyoTriggers,
};
const TRIGGER_FLOWS = Object.fromEntries(
	PROVIDERS.flatMap((provider) =>
		(['new', 'due'] as const).map((event) => [
			`${provider}:${event}`,
			`durTrg${provider.slice(0, 4)}${event}`.padEnd(17, '0'),
		]),
	),
) as Record<`${Provider}:${'new' | 'due'}`, string>;
const RATE_FLOW = 'durRateLimited001';
const BUDGET_FLOW = 'durPollBudget0001';
const nodeIdOf = (workflowId: string) => `${workflowId}-trigger`;

const CONVOSO_SEARCH = '/v1/callbacks/search';
const AMEYO_LIST = '/ameyorestapi/voice/customerCallbacks/getFiltered';

let services: StartedServices;
let sandbox: Sandbox;
let sandbox2: Sandbox;
let cluster: Cluster;
const figures: Record<string, unknown> = {};
/** The churn of the restart test, started early (see below). */
let churnRun: { churn: Churn; from: number; stop: boolean; done: Promise<void> } | undefined;

const tagOf = (request: RecordedRequest) => request.headers[PROCESS_HEADER] ?? 'direct';

/** The main's JSON log lines (every main process so far). */
const mainLogLines = () => mainLogLinesOf(cluster);

/** Polls the durable scheduler ran for a workflow's trigger (its "Poll returned/failed" lines). */
function durablePolls(workflowId: string): number {
	return mainLogLines().filter(
		(line) =>
			line.metadata?.workflowId === workflowId &&
			/^Poll (returned|failed|exceeded)/.test(line.message ?? ''),
	).length;
}

interface PollerState {
	workflowId: string;
	nodeId: string;
	cursor: Record<string, unknown>;
	consecutiveErrors: number;
	backoffUntil: string | null;
	updatedAt: string;
}

async function pollerStates(): Promise<PollerState[]> {
	return await cluster.query<PollerState>(
		`SELECT "workflowId", "nodeId", cursor, "consecutiveErrors", "backoffUntil", "updatedAt" FROM poller_state`,
	);
}

beforeAll(async () => {
	services = await startServices({ log: (line) => console.log(line) });
	const empty = {
		convoso: { callbacks: 0 },
		speko: { callbacks: 0 },
		talkdesk: { callbacks: 0 },
		ameyo: { callbacks: 0 },
	};
	sandbox = await startSandbox(empty);
	sandbox2 = await startSandbox({ ...empty, seed: 2 });
	const farAhead = (i: number) => Date.now() + 2 * 24 * 60 * MINUTE + i * 1000;
	sandbox2.ameyo.addCallbacks(BUDGET_CALLBACKS, (i) => ({
		campaignId: AMEYO_CAMPAIGN,
		callbackTime: farAhead(i),
		dateAdded: Date.now() - (BUDGET_CALLBACKS - i) * 1000,
	}));

	cluster = await prepareCluster({
		services,
		sandbox,
		moreSandboxes: [sandbox2],
		database: 'n8n_durable',
		name: 'n8n-durable',
		env: {
			...DURABLE_SCHEDULER_ENV,
			N8N_SCHEDULER_POLL_TIMEOUT: String(POLL_TIMEOUT_S),
			// A killed main's claims expire sooner (the poll budget is the shorter of the
			// poll timeout and the lease).
			N8N_SCHEDULER_LEASE_DURATION: '30',
			N8N_SCHEDULER_REAPER_INTERVAL: '10',
			N8N_SCHEDULER_EXECUTOR_INTERVAL: '1',
			N8N_LOG_FORMAT: 'json',
		},
		// The main at debug: the scheduler says "Poll returned ..." for every poll.
		mainEnv: { N8N_LOG_LEVEL: 'debug' },
		workerEnv: { N8N_LOG_LEVEL: 'info' },
	});
	await cluster.importCredentials([
		...credentialRecords(cluster, CREDENTIALS),
		...credentialRecords(cluster, CREDENTIALS_2, sandbox2),
	]);
	const polls = pollEvery(POLL_SECONDS);
	await cluster.importWorkflows([
		...PROVIDERS.flatMap((provider) =>
			(['new', 'due'] as const).map((event) =>
				triggerWorkflow(
					TRIGGER_FLOWS[`${provider}:${event}`],
					provider,
					event,
					TRIGGER_CREDENTIAL[provider],
					polls,
					provider === 'ameyo' ? { campaignIds: String(AMEYO_CAMPAIGN) } : {},
				),
			),
		),
		triggerWorkflow(RATE_FLOW, 'convoso', 'new', CREDENTIALS_2.convoso, polls),
		// Every 30 s: a poll that runs out of budget is over before the next one starts.
		triggerWorkflow(BUDGET_FLOW, 'ameyo', 'new', CREDENTIALS_2.ameyoTriggers, pollEvery(30), {
			campaignIds: String(AMEYO_CAMPAIGN),
		}),
	]);
	await cluster.start();
});

afterAll(async () => {
	if (churnRun) {
		churnRun.stop = true;
		await churnRun.done;
	}
	console.log(`Durable scheduler figures:\n${JSON.stringify(figures, null, 2)}`);
	await cluster?.stop();
	await sandbox2?.close();
	await sandbox?.close();
	await services?.stop();
});

const allFlows = () => [...Object.values(TRIGGER_FLOWS), RATE_FLOW, BUDGET_FLOW];

describe('the durable poll scheduler in queue mode', () => {
	it('runs every trigger: a scheduler job per trigger node, its state in the node static data (the durable cursor)', async () => {
		expect(cluster.logs().main).not.toContain('durable poll cursors stay disabled');
		const states = await waitFor(
			'a durable cursor for every trigger',
			async () => {
				const rows = await pollerStates();
				const ready = allFlows().every((flow) =>
					rows.some(
						(row) =>
							row.workflowId === flow &&
							row.nodeId === nodeIdOf(flow) &&
							(row.cursor.callbacks as { v?: number } | undefined)?.v === 2,
					),
				);
				return ready ? rows : undefined;
			},
			3 * MINUTE,
			2000,
		);
		for (const flow of allFlows()) {
			const row = states.find((r) => r.workflowId === flow)!;
			// Nothing but the node's own static data: all of it is committed with the execution.
			expect({ flow, keys: Object.keys(row.cursor) }).toEqual({ flow, keys: ['callbacks'] });
		}
		const jobs = await cluster.query<{
			workflowId: string;
			nodeId: string;
			cronExpression: string;
		}>(
			`SELECT payload->>'workflowId' AS "workflowId", payload->>'nodeId' AS "nodeId", "cronExpression"
			 FROM scheduled_job WHERE payload->>'workflowId' IS NOT NULL`,
		);
		for (const flow of allFlows()) {
			expect(jobs.filter((j) => j.workflowId === flow && j.nodeId === nodeIdOf(flow)).length).toBe(
				flow === BUDGET_FLOW ? 2 : 60 / POLL_SECONDS,
			);
		}
		await waitFor(
			'polls by the durable scheduler',
			() => (allFlows().every((flow) => durablePolls(flow) >= 1) ? true : undefined),
			2 * MINUTE,
		);
		figures.durable = { jobs: jobs.length, cursors: states.length };
	});

	// The backoff and the budget are shown on the second sandbox while the churn of the
	// restart test already runs on the first one (the machine's time is short).
	let budgetScenario: Promise<BudgetOutcome> | undefined;

	const startChurn = () => {
		const run = {
			churn: new Churn(worlds(sandbox, { ameyoCampaign: AMEYO_CAMPAIGN })),
			from: Date.now(),
			stop: false,
			done: Promise.resolve(),
		};
		run.done = (async () => {
			while (!run.stop) {
				run.churn.step([20, 70]);
				await sleep(6 * SECOND);
			}
		})();
		return run;
	};

	it(`a 429 with Retry-After ${RETRY_AFTER_S} s delays the next poll at least that long (n8n's backoff, from the error's HTTP code and Retry-After)`, async () => {
		churnRun = startChurn();
		budgetScenario = runBudgetScenario();
		void budgetScenario.catch(() => {});
		const search = () =>
			sandbox2.requests.filter((r) => r.provider === 'convoso' && r.route === CONVOSO_SEARCH);
		const before = search().length;
		await waitFor(
			'two polls of the trigger',
			() => (search().length >= before + 2 ? true : undefined),
			2 * MINUTE,
		);
		const injectedAt = Date.now();
		sandbox2.faults.add({
			provider: 'convoso',
			route: CONVOSO_SEARCH,
			type: 'rate-limit',
			retryAfter: RETRY_AFTER_S,
			count: 1,
		});
		const limited = await waitFor(
			'the rate-limited poll',
			() => search().find((r) => r.at >= injectedAt),
			MINUTE,
			200,
		);
		const created = String(sandbox2.convoso.addCallback({ comments: 'during the backoff' }).id);
		const state = await waitFor(
			'the recorded poll failure',
			async () =>
				(await pollerStates()).find(
					(row) => row.workflowId === RATE_FLOW && row.consecutiveErrors > 0,
				),
			MINUTE,
			500,
		);
		const next = await waitFor(
			'the next poll',
			() => search().find((r) => r.at > limited.at),
			3 * MINUTE,
			500,
		);
		const executions = await waitFor(
			'the callback created during the backoff',
			async () => {
				const all = await storedExecutions(cluster, [RATE_FLOW]);
				const items = all.filter((e) => hasEnded(e.status)).flatMap(emittedItems);
				return items.some((item) => String(item.id) === created) ? all : undefined;
			},
			3 * MINUTE,
			3000,
		);
		await sleep(RETRY_AFTER_S * SECOND);
		const errors = executions.filter((e) => e.status === 'error');
		const backoffMs = state.backoffUntil ? Date.parse(state.backoffUntil) - limited.at : null;
		const seconds = (ms: number) => Math.round(ms / 100) / 10;
		figures.rateLimit = {
			retryAfterSeconds: RETRY_AFTER_S,
			nextPollAfterSeconds: seconds(next.at - limited.at),
			backoffUntilAfterSeconds: backoffMs === null ? null : seconds(backoffMs),
			consecutiveErrors: state.consecutiveErrors,
			requestsWithinRetryAfterSeconds: search()
				.filter((r) => r.at > limited.at && r.at < limited.at + RETRY_AFTER_S * SECOND)
				.map((r) => seconds(r.at - limited.at)),
			abandonedPolls: mainLogLines().filter(
				(l) => l.message?.startsWith('Poll exceeded') && l.metadata?.workflowId === RATE_FLOW,
			).length,
			errorExecutions: errors.map((e) => ({
				id: e.id,
				message: e.data?.resultData?.error?.message,
				description: (e.data?.resultData?.error as { description?: string } | undefined)
					?.description,
			})),
		};
		// The failed poll is an error execution that names the provider's answer and the
		// wait it asked for (n8n keeps message and description, not the error's httpCode).
		expect(
			errors.map((e) => {
				const error = e.data?.resultData?.error as { message?: string; description?: string };
				return /HTTP 429/.test(error.message ?? '') && /wait 40 s/.test(error.description ?? '');
			}),
		).toEqual([true]);
		// n8n backed off at least as long as asked, and nothing was polled meanwhile.
		expect(backoffMs).toBeGreaterThanOrEqual(RETRY_AFTER_S * SECOND - 1000);
		expect(next.at - limited.at).toBeGreaterThanOrEqual(RETRY_AFTER_S * SECOND - 1000);
		// The callback created meanwhile is emitted once, after the backoff.
		const items = executions.flatMap(emittedItems).map((item) => String(item.id));
		expect(items.filter((id) => id === created)).toHaveLength(1);
	});

	it('a poll that would run past the poll timeout stops within its budget and resumes next time', async () => {
		const { polls, emitted, added, abandoned } = await budgetScenario!;
		figures.pollBudget = {
			pollTimeoutSeconds: POLL_TIMEOUT_S,
			budgetSeconds: POLL_BUDGET_MS / 1000,
			pageDelaySeconds: PAGE_DELAY_MS / 1000,
			pages: Math.ceil((BUDGET_CALLBACKS + added.length) / 1000),
			polls: polls.map((p) => ({
				offsets: p.offsets,
				seconds: Math.round((p.endedAt - p.startedAt + PAGE_DELAY_MS) / 100) / 10,
			})),
			abandonedPolls: abandoned,
			emitted,
		};
		// No poll was abandoned by n8n: each stopped within its budget.
		expect(abandoned).toBe(0);
		for (const poll of polls)
			expect(poll.endedAt - poll.startedAt + PAGE_DELAY_MS).toBeLessThan(POLL_TIMEOUT_S * SECOND);
		// One poll stopped part-way, and the next went on from there (not from offset 0).
		const stoppedAt = polls.findIndex((p) => p.offsets[0] === 0 && p.offsets.length < 9);
		expect(stoppedAt).toBeGreaterThanOrEqual(0);
		expect(polls[stoppedAt + 1]?.offsets[0]).toBeGreaterThan(0);
		// Each new callback exactly once, nothing else.
		expect([...emitted].sort()).toEqual([...added].sort());
	});

	it('the main is killed in the middle of a poll during a churn of creates and reschedules: nothing missed, nothing twice', async () => {
		const flows = Object.values(TRIGGER_FLOWS);
		const run = churnRun ?? startChurn();
		const { churn } = run;
		// A Convoso poll that takes 6 s: the main is killed while it waits for the answer,
		// with callbacks listed but nothing committed.
		const faultAt = Date.now();
		sandbox.faults.add({
			provider: 'convoso',
			route: CONVOSO_SEARCH,
			type: 'delay',
			delayMs: 6_000,
			count: 1,
		});
		await waitFor(
			'a delayed Convoso poll',
			() =>
				sandbox.requests.some(
					(r) => r.at >= faultAt && r.provider === 'convoso' && r.route === CONVOSO_SEARCH,
				)
					? true
					: undefined,
			MINUTE,
			100,
		);
		await sleep(1000);
		const killedAt = Date.now();
		// The churn goes on while the main is down and starts again.
		await cluster.restartMain('kill');
		const downMs = Date.now() - killedAt;
		await sleep(40 * SECOND);
		run.stop = true;
		await run.done;
		const churnUntil = Date.now();

		await waitFor(
			'the last callback to fall due',
			() => (Date.now() > churn.lastDue() + 2 * SECOND ? true : undefined),
			3 * MINUTE,
		);
		const settledPolls = Object.fromEntries(flows.map((flow) => [flow, durablePolls(flow)]));
		await waitFor(
			'two more polls of every trigger',
			() => (flows.every((f) => durablePolls(f) >= settledPolls[f] + 2) ? true : undefined),
			4 * MINUTE,
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
		let flowWithDuplicates: string | undefined;
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
				// Created with the cursor, then lost with the main before a worker took them: n8n
				// marks them crashed and keeps their items (to be retried from the list).
				const lostWithTheMain = own.filter(neverRan);
				const failed = own
					.filter((e) => e.status !== 'success' && !neverRan(e))
					.map(
						(e) =>
							`${e.id} (${e.status}, created ${e.createdAt}, on ${cluster.workerOf(e.id) ?? 'no worker'}, ${emittedItems(e).length} items): ${e.data?.resultData?.error?.message ?? ''}`,
					);
				const notOnWorker = own
					.filter((e) => !neverRan(e))
					.filter((e) => !cluster.tags.slice(1).includes(cluster.workerOf(e.id) ?? ''))
					.map((e) => e.id);
				if (comparison.twice.length > 0) flowWithDuplicates ??= flow;
				const carriers = comparison.twice.slice(0, 2).map((entry) => {
					const id = entry.split(' ')[0];
					return own
						.filter((e) => emittedItems(e).some((item) => String(item.id) === id))
						.map((e) => `${e.id}@${e.createdAt.slice(11, 23)}`);
				});
				report[`${provider}:${event}`] = {
					...(carriers.length > 0 && { duplicateCarriers: carriers }),
					polls: durablePolls(flow),
					executions: own.length,
					expected: created.size,
					...comparison,
					...(failed.length > 0 && { failed }),
					...(lostWithTheMain.length > 0 && {
						crashedBeforeAWorkerTookThem: lostWithTheMain.map(
							(e) => `${e.id}: ${emittedItems(e).length} items`,
						),
					}),
				};
				const problems = {
					...(comparison.missing.length > 0 && { missing: comparison.missing }),
					...(comparison.twice.length > 0 && { twice: comparison.twice }),
					...(comparison.unexpected.length > 0 && { unexpected: comparison.unexpected }),
					...(failed.length > 0 && { failed }),
					...(notOnWorker.length > 0 && { notOnAWorker: notOnWorker }),
				};
				if (Object.keys(problems).length > 0)
					wrong.push({ flow: `${provider}:${event}`, ...problems });
			}
		}
		// For a trigger that emitted twice: its scheduler tasks around the restart (which
		// ran at the same time as which).
		const around = (ms: number) => new Date(ms).toISOString();
		const tasks = flowWithDuplicates
			? await cluster.query(
					`SELECT t.id, t."jobId", t."scheduledFor", t.status, t.attempts, t."leaseEpoch", t."startedAt", t."finishedAt"
					 FROM scheduled_task t WHERE t.payload->>'workflowId' = '${flowWithDuplicates}'
					 AND t."startedAt" BETWEEN '${around(killedAt - 30 * SECOND)}' AND '${around(killedAt + downMs + 40 * SECOND)}'
					 ORDER BY t."startedAt"`,
				)
			: [];
		figures.restart = {
			killedAt: new Date(killedAt).toISOString(),
			restartedAt: new Date(killedAt + downMs).toISOString(),
			...(flowWithDuplicates && {
				tasksOfAFlowWithDuplicates: { flow: flowWithDuplicates, tasks },
			}),
			churnSeconds: Math.round((churnUntil - run.from) / 1000),
			mainDownSeconds: Math.round(downMs / 1000),
			createdPerProvider: churn.created.get('convoso')!.size,
			rescheduled: churn.rescheduled,
			perTrigger: report,
			abandonedPolls: mainLogLines().filter((l) => l.message?.startsWith('Poll exceeded')).length,
		};
		// The polls came from the main (before and after the restart), never from a worker.
		const fromWorkers = sandbox.requests.filter((r) => r.at >= run.from && tagOf(r) !== 'main');
		expect(fromWorkers.map((r) => `${tagOf(r)} ${r.provider}${r.route}`)).toEqual([]);
		expect(wrong).toEqual([]);
	});
});

interface BudgetOutcome {
	polls: Array<{ offsets: number[]; startedAt: number; endedAt: number }>;
	emitted: string[];
	added: string[];
	abandoned: number;
}

/**
 * Every Ameyo page now takes 2.5 s, so reading the campaign (9 pages) takes longer
 * than the poll budget: the poll must stop in time and the next one go on from there.
 */
async function runBudgetScenario(): Promise<BudgetOutcome> {
	const list = () =>
		sandbox2.requests.filter(
			(r) => r.provider === 'ameyo' && r.route === AMEYO_LIST && tagOf(r) === 'main',
		);
	const from = Date.now();
	sandbox2.faults.add({
		provider: 'ameyo',
		route: AMEYO_LIST,
		type: 'delay',
		delayMs: PAGE_DELAY_MS,
		count: 10_000,
	});
	const added = [0, 1, 2].map(
		(i) =>
			sandbox2.ameyo.addCallback({
				campaignId: AMEYO_CAMPAIGN,
				callbackTime: Date.now() + 3 * 24 * 60 * MINUTE + i * 1000,
			}).customerCallbackId,
	);
	let executions: StoredExecution[];
	try {
		executions = await waitFor(
			'the new callbacks at the end of the listing',
			async () => {
				const all = await storedExecutions(cluster, [BUDGET_FLOW]);
				const done = all.filter((e) => hasEnded(e.status));
				const ids = done.flatMap(emittedItems).map((item) => String(item.id));
				return added.every((id) => ids.includes(id)) ? done : undefined;
			},
			4 * MINUTE,
			5000,
		);
	} finally {
		sandbox2.faults.clear();
	}
	// The list requests, grouped into polls (a poll reads its pages one after another).
	const polls: BudgetOutcome['polls'] = [];
	for (const request of list().filter((r) => r.at >= from)) {
		const offset = Number(request.query.offset);
		const last = polls[polls.length - 1];
		const continues =
			last !== undefined &&
			request.at - last.endedAt < PAGE_DELAY_MS + 4000 &&
			offset > last.offsets[last.offsets.length - 1];
		if (continues) {
			last.offsets.push(offset);
			last.endedAt = request.at;
		} else polls.push({ offsets: [offset], startedAt: request.at, endedAt: request.at });
	}
	return {
		polls,
		emitted: executions.flatMap(emittedItems).map((item) => String(item.id)),
		added,
		abandoned: mainLogLines().filter(
			(l) => l.message?.startsWith('Poll exceeded') && l.metadata?.workflowId === BUDGET_FLOW,
		).length,
	};
}
