/**
 * The action nodes as tools of n8n's AI Agent, in a real n8n (community package
 * install, CLI import, `n8n execute`). The agent's chat model is n8n's OpenAI Chat
 * Model with its credential pointed at a scripted OpenAI-compatible model on
 * loopback (test/fakes/openai.ts): it answers with the tool calls a model would
 * choose, records the tools n8n offers and what each tool call gave back. The tools
 * talk to the provider sandbox.
 *
 * - The example agent workflow `npm start` imports: "schedule a callback for lead
 *   1001 tomorrow at 10:00 in Asia/Kolkata" becomes the right Convoso insert, and the
 *   callback rings at 04:30 UTC; the tools offered carry what each does (Dispatch
 *   tools: a real phone call) and every parameter's meaning and format.
 * - Errors come back to the model as readable text, not a failed workflow: bad input
 *   (the model then corrects itself) and a provider error.
 * - Calling hours: a night call is refused (nothing sent) or moved, and the model is
 *   told which.
 */
import fs from 'node:fs';
import path from 'node:path';

import { DateTime } from 'luxon';
import type { IDataObject, IRunData } from 'n8n-workflow';

import {
	agentConnections,
	callbackField,
	agentNode,
	agentTools,
	chatModelNode,
	DEFAULT_TOOL_NAMES,
	DEMO_AGENT_PROMPT,
	DEMO_AGENT_WORKFLOW_ID,
	DEMO_MODEL_ID,
	DEMO_MODEL_KEY,
	demoModelScripts,
	lastResult,
	toolName,
} from '../demo/agent';
import {
	CONVOSO_DEMO_CREDENTIAL,
	demoCredentials,
	demoModelCredential,
	OPENAI_DEMO_CREDENTIAL,
	SPEKO_DEMO_CREDENTIAL,
	TALKDESK_DEMO_CREDENTIAL,
} from '../demo/credentials';
import { demoWorkflows } from '../demo/workflows';
import { startFakeOpenAi } from '../fakes/openai';
import type { FakeOpenAi, OfferedTool, ScriptContext, ToolResult } from '../fakes/openai';
import { startSandbox } from '../sandbox/server';
import type { RecordedRequest, Sandbox } from '../sandbox/server';
import { createUserFolder, ensureN8n, MANUAL_TRIGGER, packPackage, REPO_ROOT } from './n8n';
import type { N8nInstance, RunResult } from './n8n';

const SCENARIOS_WORKFLOW_ID = 'agentE2eScenarios01';
const KOLKATA = 'Asia/Kolkata';
const LOS_ANGELES = 'America/Los_Angeles';
const REFUSED_PHONE = '+14155550123';
const MOVED_PHONE = '+14155550124';

const credentials = {
	convoso: { convosoApi: { ...CONVOSO_DEMO_CREDENTIAL } },
	speko: { spekoApi: { ...SPEKO_DEMO_CREDENTIAL } },
	talkdesk: { talkdeskApi: { ...TALKDESK_DEMO_CREDENTIAL } },
};

// The scenarios' prompts, and the tool each agent gets.
const RETRY_PROMPT = 'Book lead 1002 for a call back next Tuesday at 10, Kolkata time.';
const PROVIDER_ERROR_PROMPT = 'Call back the customer of this Speko callback right now:';
const REFUSE_PROMPT = `Have Talkdesk call ${REFUSED_PHONE} back tomorrow at 23:30, Los Angeles time.`;
const MOVE_PROMPT = `Have Talkdesk call ${MOVED_PHONE} back tomorrow at 23:30, Los Angeles time.`;
const RETRY_TOOL = 'Schedule Convoso callback 2';
const PROVIDER_ERROR_TOOL = 'Dispatch Speko callback now 2';
const REFUSE_TOOL = 'Schedule Talkdesk callback 2';
const MOVE_TOOL = 'Schedule Talkdesk callback 3';

let sandbox: Sandbox;
let model: FakeOpenAi;
let n8n: N8nInstance;
let demoRun: RunResult;
let scenariosRun: RunResult;
/** A Speko callback that is cancelled: dispatching it is Speko's 409. */
let cancelledSpekoId: string;

/** The next Tuesday after today in Kolkata, 10:00 there, as ISO 8601 without an offset. */
function nextTuesdayAtTen(now = Date.now()): string {
	const today = DateTime.fromMillis(now, { zone: KOLKATA });
	const days = ((2 - today.weekday + 7) % 7) + (today.weekday === 2 ? 7 : 0);
	return today
		.plus({ days })
		.set({ hour: 10, minute: 0, second: 0, millisecond: 0 })
		.toFormat("yyyy-MM-dd'T'HH:mm:ss");
}

function tomorrowAtHalfPastEleven(now = Date.now()): string {
	return DateTime.fromMillis(now, { zone: LOS_ANGELES })
		.plus({ days: 1 })
		.set({ hour: 23, minute: 30, second: 0, millisecond: 0 })
		.toFormat("yyyy-MM-dd'T'HH:mm:ss");
}

/** A final answer that repeats what the last tool call gave (its error, or its item). */
function tellWhatHappened(context: ScriptContext) {
	const { item, error } = lastResult(context);
	return {
		text: error !== undefined ? `It did not work: ${error}` : `Done: ${JSON.stringify(item)}`,
	};
}

function scenarioScripts() {
	return [
		{
			prompt: RETRY_PROMPT,
			steps: [
				// A careless first try: a time in words.
				{
					toolCalls: [
						{
							name: toolName(RETRY_TOOL),
							arguments: {
								leadId: 1002,
								callbackTime: 'next Tuesday at 10',
								timeZone: KOLKATA,
								comments: 'Retry after bad input',
							},
						},
					],
				},
				// Told what is wrong, it sends an ISO 8601 time.
				(context: ScriptContext) =>
					lastResult(context).error === undefined
						? { text: 'The first call unexpectedly worked.' }
						: {
								toolCalls: [
									{
										name: toolName(RETRY_TOOL),
										arguments: {
											leadId: 1002,
											callbackTime: nextTuesdayAtTen(),
											timeZone: KOLKATA,
											comments: 'Retry after bad input',
										},
									},
								],
							},
				tellWhatHappened,
			],
		},
		{
			prompt: PROVIDER_ERROR_PROMPT,
			steps: [
				() => ({
					toolCalls: [
						{ name: toolName(PROVIDER_ERROR_TOOL), arguments: { callbackId: cancelledSpekoId } },
					],
				}),
				tellWhatHappened,
			],
		},
		...[
			[REFUSE_PROMPT, REFUSE_TOOL, REFUSED_PHONE],
			[MOVE_PROMPT, MOVE_TOOL, MOVED_PHONE],
		].map(([prompt, tool, phone]) => ({
			prompt,
			steps: [
				() => ({
					toolCalls: [
						{
							name: toolName(tool),
							arguments: {
								phoneNumber: phone,
								callbackTime: tomorrowAtHalfPastEleven(),
								timeZone: LOS_ANGELES,
							},
						},
					],
				}),
				tellWhatHappened,
			],
		})),
	];
}

function scenariosWorkflow() {
	const agents = [
		{ name: 'Agent: bad input', prompt: RETRY_PROMPT },
		{ name: 'Agent: provider error', prompt: `${PROVIDER_ERROR_PROMPT} ${cancelledSpekoId}` },
		{ name: 'Agent: night call, refuse', prompt: REFUSE_PROMPT },
		{ name: 'Agent: night call, move', prompt: MOVE_PROMPT },
	].map((agent, index) => agentNode(agent.name, agent.prompt, [300, index * 400]));
	const tools = [
		...agentTools(credentials, {
			only: ['convosoSchedule'],
			names: { convosoSchedule: RETRY_TOOL },
			y: 200,
		}),
		...agentTools(credentials, {
			only: ['spekoDispatch'],
			names: { spekoDispatch: PROVIDER_ERROR_TOOL },
			// n8n runs on the real clock: the calling-hours check of a dispatch (now) would
			// depend on the hour. Here the point is Speko's own error.
			overrides: { spekoDispatch: { callingHours: 'off' } },
			y: 600,
		}),
		// Refuse Outside Calling Hours: the default, left as it is.
		...agentTools(credentials, {
			only: ['talkdeskSchedule'],
			names: { talkdeskSchedule: REFUSE_TOOL },
			y: 1000,
		}),
		...agentTools(credentials, {
			only: ['talkdeskSchedule'],
			names: { talkdeskSchedule: MOVE_TOOL },
			overrides: { talkdeskSchedule: { callingHours: 'move' } },
			y: 1400,
		}),
	];
	const modelNode = chatModelNode('Chat model', OPENAI_DEMO_CREDENTIAL, DEMO_MODEL_ID, [0, 200]);
	return {
		id: SCENARIOS_WORKFLOW_ID,
		name: 'AI Agent scenarios',
		active: false,
		nodes: [MANUAL_TRIGGER, modelNode, ...agents, ...tools],
		connections: agentConnections(
			MANUAL_TRIGGER.name,
			modelNode.name,
			agents.map((agent, index) => ({ agent: agent.name, tools: [tools[index].name] })),
		),
		settings: { executionOrder: 'v1' },
	};
}

/** The items of a node's last run (an agent runs once more after each round of tool calls). */
function lastOutput(runData: IRunData, node: string): IDataObject[] {
	const runs = runData[node] ?? [];
	const last = runs[runs.length - 1];
	if (!last) throw new Error(`${node} did not run (ran: ${Object.keys(runData).join(', ')})`);
	return (last.data?.main?.[0] ?? []).map((item) => item.json);
}

function parseItem(result: ToolResult): IDataObject {
	const parsed = JSON.parse(result.content) as IDataObject[];
	expect(Array.isArray(parsed)).toBe(true);
	return parsed[0];
}

const convosoInserts = (leadId: number) =>
	sandbox.requests.filter(
		(r: RecordedRequest) =>
			r.route === '/v1/callbacks/insert' && r.form?.lead_id === String(leadId),
	);
const talkdeskCreates = (phone: string) =>
	sandbox.requests.filter(
		(r) =>
			r.method === 'POST' &&
			r.route === '/api/schedule-callbacks' &&
			(r.json as IDataObject | undefined)?.phone_number === phone,
	);

beforeAll(async () => {
	if (!fs.existsSync(path.join(REPO_ROOT, 'dist', 'nodes', 'Convoso', 'Convoso.node.js'))) {
		throw new Error(
			'Build the package first (npm run build): the e2e tests install dist/ as users get it',
		);
	}
	const [install, tgz] = await Promise.all([ensureN8n(), packPackage()]);
	sandbox = await startSandbox({
		convoso: { callbacks: 50 },
		speko: { callbacks: 5 },
		talkdesk: { callbacks: 5 },
		ameyo: { callbacks: 0 },
	});
	cancelledSpekoId = sandbox.speko.addCallback({ to_number: '+14155550199' }).id;
	sandbox.speko.setStatus(cancelledSpekoId, 'cancelled', { reason: 'Customer said no' });
	model = await startFakeOpenAi({
		scripts: [...demoModelScripts(), ...scenarioScripts()],
		apiKey: DEMO_MODEL_KEY,
		models: [DEMO_MODEL_ID],
	});
	n8n = await createUserFolder(install, tgz);
	expect(
		(
			await n8n.importCredentials([
				...demoCredentials(sandbox.url),
				demoModelCredential(model.baseUrl, DEMO_MODEL_KEY),
			])
		).exitCode,
	).toBe(0);
	const example = (demoWorkflows(sandbox.url) as Array<{ id: string }>).find(
		(workflow) => workflow.id === DEMO_AGENT_WORKFLOW_ID,
	);
	expect((await n8n.importWorkflows([example!, scenariosWorkflow()])).exitCode).toBe(0);
	demoRun = await n8n.execute(DEMO_AGENT_WORKFLOW_ID);
	scenariosRun = await n8n.execute(SCENARIOS_WORKFLOW_ID);
});

afterAll(async () => {
	await n8n?.cleanup();
	await model?.close();
	await sandbox?.close();
});

describe('the example agent workflow (npm start imports it)', () => {
	it('runs to success on the Chat Completions API, and the agent answers with what its tool did', () => {
		expect({ status: demoRun.status, error: demoRun.error?.message }).toEqual({
			status: 'success',
			error: undefined,
		});
		const conversation = model.conversation(DEMO_AGENT_PROMPT);
		// One call that chose the tool, one with its result that answered.
		expect(conversation.map((request) => request.path)).toEqual([
			'/v1/chat/completions',
			'/v1/chat/completions',
		]);
		expect(conversation.every((request) => request.model === DEMO_MODEL_ID)).toBe(true);
		const [result] = model.toolResults(DEMO_AGENT_PROMPT);
		const created = parseItem(result);
		const [answer] = lastOutput(demoRun.runData, 'AI Agent');
		expect(answer.output).toBe(
			`Scheduled callback ${created.id} for lead 1001: it rings at ${created.scheduledAt}.`,
		);
	});

	it('(a) the tool call the model chose becomes the right Convoso insert, and the callback rings at that instant', () => {
		const [request] = model.conversation(DEMO_AGENT_PROMPT);
		const call =
			request.answer && 'toolCalls' in request.answer ? request.answer.toolCalls[0] : undefined;
		expect(call?.name).toBe(toolName(DEFAULT_TOOL_NAMES.convosoSchedule));
		const args = call!.arguments as { callbackTime: string; timeZone: string; leadId: number };
		// "Tomorrow at 10:00 in Asia/Kolkata", as the model read it.
		expect(args).toMatchObject({ leadId: 1001, timeZone: KOLKATA });
		const local = DateTime.fromISO(args.callbackTime, { zone: KOLKATA });
		expect(local.toFormat('HH:mm')).toBe('10:00');
		const today = DateTime.now().setZone(KOLKATA).startOf('day');
		expect([1, 2]).toContain(Math.round(local.startOf('day').diff(today, 'days').days));

		const inserts = convosoInserts(1001);
		expect(inserts).toHaveLength(1);
		expect(inserts[0].method).toBe('POST');
		expect(inserts[0].form).toMatchObject({
			lead_id: '1001',
			recipient: 'system',
			callback_time: `${local.toFormat('yyyy-MM-dd')} 10:00 AM`,
			// Kolkata is UTC+05:30 all year: Convoso's "+H.MM" with minutes after the dot.
			callback_time_zone: '+5.30',
			comments: 'Asked for a call back at 10:00 her time',
		});
		// 10:00 in Kolkata is 04:30 UTC: in the sandbox (which keeps the account's New
		// York wall time), in the tool's answer to the model, and in the agent's reply.
		const instant = `${local.toFormat('yyyy-MM-dd')}T04:30:00Z`;
		const created = parseItem(model.toolResults(DEMO_AGENT_PROMPT)[0]);
		expect(created).toMatchObject({
			provider: 'convoso',
			leadId: 1001,
			status: 'scheduled',
			scheduledAt: instant,
		});
		const stored = sandbox.convoso.getCallback(created.id as number);
		expect(stored?.lead_id).toBe(1001);
		expect(
			DateTime.fromFormat(stored!.callback_time, 'yyyy-MM-dd HH:mm:ss', {
				zone: 'America/New_York',
			})
				.toUTC()
				.toISO({ suppressMilliseconds: true }),
		).toBe(instant);
	});

	it('(b) the tools offered say what each does, and Dispatch tools that they place a real phone call', () => {
		const [request] = model.conversation(DEMO_AGENT_PROMPT);
		const descriptions = Object.fromEntries(
			request.tools.map((tool) => [tool.name, tool.description]),
		);
		// "Tool Description: Set Automatically": the operation's action in the node.
		expect(descriptions).toEqual({
			[toolName(DEFAULT_TOOL_NAMES.convosoSchedule)]: 'Schedule a callback in Convoso',
			[toolName(DEFAULT_TOOL_NAMES.spekoList)]: 'Get many callbacks in Speko',
			[toolName(DEFAULT_TOOL_NAMES.spekoDispatch)]:
				'Dispatch a callback now (places a real phone call) in Speko',
			[toolName(DEFAULT_TOOL_NAMES.talkdeskSchedule)]: 'Create a callback in Talkdesk',
			[toolName(DEFAULT_TOOL_NAMES.talkdeskDispatch)]:
				'Dispatch a callback now (places a real phone call) in Talkdesk',
		});
	});

	it('(b) every parameter comes with its meaning and format: ISO 8601 times with an offset or an IANA zone, ids, numbers, statuses', () => {
		const [request] = model.conversation(DEMO_AGENT_PROMPT);
		const tool = (name: string): OfferedTool => {
			const found = request.tools.find((t) => t.name === toolName(name));
			if (!found) throw new Error(`${name} was not offered`);
			return found;
		};
		const parameter = (name: string, key: string) => {
			const schema = tool(name).parameters;
			expect(schema.required ?? []).toContain(key);
			return schema.properties?.[key] ?? {};
		};
		// Every parameter of every tool has a description the model can act on.
		for (const offered of request.tools) {
			const properties = Object.entries(offered.parameters.properties ?? {});
			expect(properties.length).toBeGreaterThan(0);
			for (const [key, schema] of properties)
				expect({ key, length: (schema.description ?? '').length > 40 }).toEqual({
					key,
					length: true,
				});
		}
		const names = DEFAULT_TOOL_NAMES;
		for (const name of [names.convosoSchedule, names.talkdeskSchedule]) {
			const time = parameter(name, 'callbackTime');
			expect(time.type).toBe('string');
			expect(time.description).toMatch(/ISO 8601/);
			// An instant with an offset or Z, or a wall time read in the zone.
			expect(time.description).toMatch(/offset or Z/);
			expect(time.description).toMatch(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2}/);
			expect(time.description).toMatch(/without one \(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\)/);
			const zone = parameter(name, 'timeZone');
			expect(zone.description).toMatch(/IANA time zone name \(e\.g\. [A-Z][a-z]+\/[A-Z]/);
		}
		const lead = parameter(names.convosoSchedule, 'leadId');
		expect(lead.type).toBe('number');
		expect(lead.description).toMatch(/Convoso lead ID \(a number/);
		expect(parameter(names.spekoDispatch, 'callbackId').description).toMatch(
			/Speko callback ID \(a string such as cb_/,
		);
		for (const [name, key] of [
			[names.talkdeskSchedule, 'phoneNumber'],
			[names.talkdeskDispatch, 'contactPhoneNumber'],
		])
			expect(parameter(name, key).description).toMatch(/E\.164 form.*\+\d{11}/);
		// The statuses Speko's Get Many accepts, each named for the model.
		const statusField = callbackField('speko', 'getMany', 'status');
		const status = parameter(names.spekoList, 'status').description ?? '';
		for (const option of statusField.options as Array<{ value: string }>)
			expect({ status: option.value, named: status.includes(option.value) }).toEqual({
				status: option.value,
				named: true,
			});
	});
});

describe('agent scenarios (one n8n execute, four agents)', () => {
	it('the workflow succeeds: tool errors and refusals do not crash it', () => {
		expect({ status: scenariosRun.status, error: scenariosRun.error?.message }).toEqual({
			status: 'success',
			error: undefined,
		});
	});

	it('(c) bad input comes back as a readable error; the model corrects the time and one callback is scheduled', () => {
		const [first, second] = model.toolResults(RETRY_PROMPT);
		expect(first.arguments.callbackTime).toBe('next Tuesday at 10');
		expect(JSON.parse(first.content)).toEqual([
			{
				error: expect.stringContaining(
					`Invalid value for 'Callback Time': "next Tuesday at 10". Expected an ISO 8601 date-time`,
				),
			},
		]);
		// Said once: the message names the field, the value and what is expected.
		expect(first.content).not.toContain('Details:');
		// What the model sent the second time is what Convoso got, once.
		const time = DateTime.fromISO(second.arguments.callbackTime as string, { zone: KOLKATA });
		expect(time.weekday).toBe(2);
		const inserts = convosoInserts(1002);
		expect(inserts).toHaveLength(1);
		expect(inserts[0].form).toMatchObject({
			callback_time: `${time.toFormat('yyyy-MM-dd')} 10:00 AM`,
			callback_time_zone: '+5.30',
		});
		expect(parseItem(second)).toMatchObject({
			leadId: 1002,
			scheduledAt: `${time.toFormat('yyyy-MM-dd')}T04:30:00Z`,
		});
		const [answer] = lastOutput(scenariosRun.runData, 'Agent: bad input');
		expect(answer.output).toMatch(/^Done: /);
	});

	it("(c) a provider error comes back as Speko's words, and the agent can tell the user", () => {
		const [result] = model.toolResults(PROVIDER_ERROR_PROMPT);
		expect(result.arguments).toEqual({ callbackId: cancelledSpekoId });
		const [{ error }] = JSON.parse(result.content) as Array<{ error: string }>;
		expect(error).toContain(
			`Callback ${cancelledSpekoId} cannot be dispatched: it is not in status "scheduled"`,
		);
		// Speko was asked (and said no): the callback is still cancelled.
		const dispatches = sandbox.requests.filter(
			(r) => r.method === 'POST' && r.route === `/v1/callbacks/${cancelledSpekoId}/dispatch`,
		);
		expect(dispatches).toHaveLength(1);
		expect(sandbox.speko.getCallback(cancelledSpekoId)?.status).toBe('cancelled');
		const [answer] = lastOutput(scenariosRun.runData, 'Agent: provider error');
		expect(answer.output).toBe(`It did not work: ${error}`);
	});

	it('(d) Refuse (the default): a call at night is refused before anything is sent, and the agent is told so', () => {
		const [result] = model.toolResults(REFUSE_PROMPT);
		const [{ error }] = JSON.parse(result.content) as Array<{ error: string }>;
		const asked = DateTime.fromISO(result.arguments.callbackTime as string, { zone: LOS_ANGELES });
		expect(error).toMatch(
			new RegExp(
				`^Outside calling hours: it would ring at \\w{3} ${asked.toFormat('yyyy-MM-dd')} 23:30 in ${LOS_ANGELES}`,
			),
		);
		expect(error).toContain('allowed: ');
		expect(error).toContain('Nothing was sent.');
		expect(talkdeskCreates(REFUSED_PHONE)).toHaveLength(0);
		expect(lastOutput(scenariosRun.runData, 'Agent: night call, refuse')[0].output).toBe(
			`It did not work: ${error}`,
		);
	});

	it('(d) Move: a call at night moves to 08:00 the next morning, and the agent is told from what to what', () => {
		const [result] = model.toolResults(MOVE_PROMPT);
		const asked = DateTime.fromISO(result.arguments.callbackTime as string, { zone: LOS_ANGELES });
		// US federal hours (08:00-21:00) in the callee's zone: the next allowed minute is 08:00.
		const morning = asked.plus({ days: 1 }).set({ hour: 8, minute: 0 });
		const iso = (time: DateTime) => time.toUTC().toISO({ suppressMilliseconds: true });
		const created = parseItem(result);
		expect(created).toMatchObject({
			provider: 'talkdesk',
			scheduledAt: iso(morning),
			timezone: LOS_ANGELES,
			details: expect.objectContaining({
				callingHours: {
					from: iso(asked),
					to: iso(morning),
					reason: expect.stringMatching(/^Outside calling hours: it would ring at .* 23:30/),
				},
			}),
		});
		const [request] = talkdeskCreates(MOVED_PHONE);
		expect(request.json).toMatchObject({
			phone_number: MOVED_PHONE,
			scheduled_time_to_call: iso(morning),
			timezone: LOS_ANGELES,
		});
		expect(talkdeskCreates(MOVED_PHONE)).toHaveLength(1);
	});
});
