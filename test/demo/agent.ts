/**
 * The package's action nodes as tools of n8n's AI Agent: the tool nodes of the
 * example agent workflow (`npm start` imports it; the agent end-to-end test runs it),
 * and what the demo's scripted chat model answers.
 *
 * n8n derives a tool from every node with `usableAsTool`: its type is the node's
 * type with `Tool` appended (`n8n-nodes-callbacks.convosoTool`), its name for the
 * model is the node's name (non-alphanumerics become `_`), and its description, with
 * "Tool Description" left on "Set Automatically", is the operation's action text and
 * the node's name ("Schedule a callback in Convoso"). The model fills the parameters
 * written as `$fromAI(key, description, type)`; the description is all the model
 * knows of a parameter. Here it is the field's own description in the node, so the
 * model reads what the editor shows a builder (formats, examples, what empty means).
 */
import { DateTime } from 'luxon';
import type { INodeProperties } from 'n8n-workflow';

import { callbackResource as convosoCallbacks } from '../../nodes/Convoso/actions/callback';
import type { Resource } from '../../nodes/shared/actions';
import { callbackResource as spekoCallbacks } from '../../nodes/Speko/actions/callback';
import { callbackResource as talkdeskCallbacks } from '../../nodes/Talkdesk/actions/callback';
import type { Script, ScriptContext, ScriptStep } from '../fakes/openai';

const PACKAGE_NAME = 'n8n-nodes-callbacks';

type Position = [number, number];
type Credentials = Record<string, { id: string; name: string }>;

export interface ToolNode {
	id: string;
	name: string;
	type: string;
	typeVersion: number;
	position: Position;
	parameters: Record<string, unknown>;
	credentials: Credentials;
}

/** The callback resource of each node: its operations and their fields. */
const callbackResources: Record<string, Resource> = {
	convoso: convosoCallbacks,
	speko: spekoCallbacks,
	talkdesk: talkdeskCallbacks,
};

/**
 * A field of a callback operation, as the node defines it; `path` goes into
 * collections ('callingHoursOptions.calleeTimeZone').
 */
export function callbackField(nodeName: string, operation: string, path: string): INodeProperties {
	const [name, ...rest] = path.split('.');
	const fields = callbackResources[nodeName].operations.find(
		(o) => o.value === operation,
	)?.properties;
	let property = fields?.find((p) => p.name === name);
	for (const part of rest)
		property = (property?.options as INodeProperties[] | undefined)?.find((o) => o.name === part);
	if (!property) throw new Error(`${nodeName} ${operation} has no field ${path}`);
	return property;
}

/** A field's description, which the example hands the model as the parameter's description. */
export function fieldDescription(nodeName: string, operation: string, path: string): string {
	const { description } = callbackField(nodeName, operation, path);
	if (!description) throw new Error(`${nodeName} ${operation}: ${path} has no description`);
	return description;
}

/** `={{ $fromAI(key, description, type) }}`, the description quoted as the editor does. */
export function fromAI(
	key: string,
	description: string,
	type: 'string' | 'number' | 'boolean' | 'json' = 'string',
): string {
	const quoted = description.replace(/\\/g, '\\\\').replace(/`/g, '\\`');
	return `={{ $fromAI('${key}', \`${quoted}\`, '${type}') }}`;
}

/** The name the model calls a tool by: the node's name, as n8n rewrites it. */
export function toolName(nodeName: string): string {
	return nodeName.replace(/[^a-zA-Z0-9_-]+/g, '_').slice(0, 64);
}

function toolNode(
	nodeName: string,
	name: string,
	position: Position,
	credentials: Credentials,
	parameters: Record<string, unknown>,
): ToolNode {
	return {
		id: `tool-${name.replace(/\W/g, '').toLowerCase()}`,
		name,
		type: `${PACKAGE_NAME}.${nodeName}Tool`,
		typeVersion: 1,
		position,
		parameters,
		credentials,
	};
}

/** The Talkdesk number the example's Talkdesk tools call from (a builder's setting, not the model's). */
export const TALKDESK_CALLER_ID = '+18005550100';

export interface AgentToolCredentials {
	convoso: Credentials;
	speko: Credentials;
	talkdesk: Credentials;
}

/** One tool per job an assistant has with callbacks; `overrides` change a tool's parameters. */
export function agentTools(
	credentials: AgentToolCredentials,
	options: {
		names?: Partial<Record<AgentToolKey, string>>;
		overrides?: Partial<Record<AgentToolKey, Record<string, unknown>>>;
		only?: AgentToolKey[];
		y?: number;
	} = {},
): ToolNode[] {
	const d = fieldDescription;
	const convosoZone = `${d('convoso', 'create', 'timeZone')} The customer is taken to be in this zone for calling hours.`;
	const all: Record<AgentToolKey, (name: string, position: Position) => ToolNode> = {
		convosoSchedule: (name, position) =>
			toolNode('convoso', name, position, credentials.convoso, {
				resource: 'callback',
				operation: 'create',
				leadId: {
					__rl: true,
					mode: 'id',
					value: fromAI('leadId', d('convoso', 'create', 'leadId'), 'number'),
				},
				recipient: 'system',
				callbackTime: fromAI('callbackTime', d('convoso', 'create', 'callbackTime')),
				timeZone: fromAI('timeZone', convosoZone),
				comments: fromAI(
					'comments',
					'A note for the agent who makes the call: what the customer asked for (may be empty)',
				),
				// The customer's zone decides their calling hours (Refuse outside them: the default).
				callingHoursOptions: { calleeTimeZone: fromAI('timeZone', convosoZone) },
			}),
		spekoList: (name, position) =>
			toolNode('speko', name, position, credentials.speko, {
				resource: 'callback',
				operation: 'getMany',
				status: fromAI('status', d('speko', 'getMany', 'status')),
				limit: 20,
			}),
		spekoDispatch: (name, position) =>
			toolNode('speko', name, position, credentials.speko, {
				resource: 'callback',
				operation: 'dispatch',
				callbackId: {
					__rl: true,
					mode: 'id',
					value: fromAI('callbackId', d('speko', 'dispatch', 'callbackId')),
				},
			}),
		talkdeskSchedule: (name, position) =>
			toolNode('talkdesk', name, position, credentials.talkdesk, {
				resource: 'callback',
				operation: 'create',
				phoneNumber: fromAI('phoneNumber', d('talkdesk', 'create', 'phoneNumber')),
				callbackTime: fromAI('callbackTime', d('talkdesk', 'create', 'callbackTime')),
				timeZone: fromAI('timeZone', d('talkdesk', 'create', 'timeZone')),
				callerId: TALKDESK_CALLER_ID,
			}),
		talkdeskDispatch: (name, position) =>
			toolNode('talkdesk', name, position, credentials.talkdesk, {
				resource: 'callback',
				operation: 'dispatch',
				talkdeskPhoneNumber: TALKDESK_CALLER_ID,
				contactPhoneNumber: fromAI(
					'contactPhoneNumber',
					d('talkdesk', 'dispatch', 'contactPhoneNumber'),
				),
			}),
	};
	const keys = options.only ?? (Object.keys(all) as AgentToolKey[]);
	return keys.map((key, index) => {
		const built = all[key](options.names?.[key] ?? DEFAULT_TOOL_NAMES[key], [
			index * 180,
			options.y ?? 260,
		]);
		return { ...built, parameters: { ...built.parameters, ...options.overrides?.[key] } };
	});
}

export type AgentToolKey =
	| 'convosoSchedule'
	| 'spekoList'
	| 'spekoDispatch'
	| 'talkdeskSchedule'
	| 'talkdeskDispatch';

export const DEFAULT_TOOL_NAMES: Record<AgentToolKey, string> = {
	convosoSchedule: 'Schedule Convoso callback',
	spekoList: 'List Speko callbacks',
	spekoDispatch: 'Dispatch Speko callback now',
	talkdeskSchedule: 'Schedule Talkdesk callback',
	talkdeskDispatch: 'Call Talkdesk contact now',
};

/** The agent's instructions: the current time (to read "tomorrow"), and how to give times. */
export const AGENT_SYSTEM_MESSAGE =
	"=You manage customer callbacks with the tools. It is now {{ $now.toISO() }}. Give times as ISO 8601 with the customer's IANA time zone. Use a tool that places a call now only when the user asks for a call right away. When a tool answers with an error, tell the user what it says.";

/** The example agent's prompt. */
export const DEMO_AGENT_PROMPT =
	'Schedule a callback for lead 1001 tomorrow at 10:00 in Asia/Kolkata.';

/** Tomorrow at `hhmm` on the wall clock of `zone`, as ISO 8601 without an offset. */
export function tomorrowAt(zone: string, hhmm: string, now = Date.now()): string {
	const [hour, minute] = hhmm.split(':').map(Number);
	return DateTime.fromMillis(now, { zone })
		.plus({ days: 1 })
		.set({ hour, minute, second: 0, millisecond: 0 })
		.toFormat("yyyy-MM-dd'T'HH:mm:ss");
}

/** What the last tool call gave: its first item, or its error. */
export function lastResult(context: ScriptContext): {
	item?: Record<string, unknown>;
	error?: string;
} {
	const last = context.toolResults[context.toolResults.length - 1];
	if (!last) return {};
	try {
		const parsed = JSON.parse(last.content) as unknown;
		const first = (Array.isArray(parsed) ? parsed[0] : parsed) as Record<string, unknown>;
		if (first && typeof first.error === 'string') return { error: first.error };
		return { item: first };
	} catch {
		return { error: last.content };
	}
}

/** A final answer that reports the last tool call: what was scheduled, or the error. */
function report(context: ScriptContext): ScriptStep {
	const { item, error } = lastResult(context);
	if (error !== undefined) return { text: `The callback was not scheduled: ${error}` };
	return {
		text: `Scheduled callback ${String(item?.id)} for lead ${String(item?.leadId)}: it rings at ${String(item?.scheduledAt)}.`,
	};
}

/** What the demo's scripted model answers: the example's prompt, as a model would. */
export function demoModelScripts(): Script[] {
	return [
		{
			prompt: DEMO_AGENT_PROMPT,
			steps: [
				() => ({
					toolCalls: [
						{
							name: toolName(DEFAULT_TOOL_NAMES.convosoSchedule),
							arguments: {
								leadId: 1001,
								callbackTime: tomorrowAt('Asia/Kolkata', '10:00'),
								timeZone: 'Asia/Kolkata',
								comments: 'Asked for a call back at 10:00 her time',
							},
						},
					],
				}),
				report,
			],
		},
	];
}

/** The demo model's answer to any other prompt. */
export const DEMO_MODEL_FALLBACK =
	'I am the demo’s scripted model: I only know the prompt of the example workflow. To ask anything else, put an OpenAI API key (and https://api.openai.com/v1) in the OpenAI credential and pick a model in the OpenAI Chat Model node.';

/** The demo model's API key (it accepts only this one): fake, for the local demo only. */
export const DEMO_MODEL_KEY = 'sk-demo-scripted-model';
export const DEMO_MODEL_ID = 'scripted-model';

// ---------------------------------------------------------------------------
// Agent workflows

export const AGENT_NODE_TYPE = '@n8n/n8n-nodes-langchain.agent';
export const OPENAI_CHAT_MODEL_TYPE = '@n8n/n8n-nodes-langchain.lmChatOpenAi';

/** An AI Agent (3.1, n8n 2.41's) with its prompt defined in the node. */
export function agentNode(name: string, prompt: string, position: Position) {
	return {
		id: `agent-${name.replace(/\W/g, '').toLowerCase()}`,
		name,
		type: AGENT_NODE_TYPE,
		typeVersion: 3.1,
		position,
		parameters: {
			promptType: 'define',
			text: prompt,
			options: { systemMessage: AGENT_SYSTEM_MESSAGE },
		},
	};
}

/**
 * The OpenAI Chat Model on the Chat Completions API ("Use Responses API" off, which
 * OpenAI-compatible servers serve), with the model given by ID.
 */
export function chatModelNode(
	name: string,
	credential: { id: string; name: string },
	model: string,
	position: Position,
) {
	return {
		id: `model-${name.replace(/\W/g, '').toLowerCase()}`,
		name,
		type: OPENAI_CHAT_MODEL_TYPE,
		typeVersion: 1.3,
		position,
		parameters: {
			model: { __rl: true, mode: 'id', value: model },
			responsesApiEnabled: false,
			options: {},
		},
		credentials: { openAiApi: credential },
	};
}

/** Connections of agents: the trigger's output to each, the model and each agent's tools into it. */
export function agentConnections(
	trigger: string,
	model: string,
	agents: Array<{ agent: string; tools: string[] }>,
): Record<string, unknown> {
	const connections: Record<string, unknown> = {
		[trigger]: { main: [agents.map(({ agent }) => ({ node: agent, type: 'main', index: 0 }))] },
		[model]: {
			ai_languageModel: [
				agents.map(({ agent }) => ({ node: agent, type: 'ai_languageModel', index: 0 })),
			],
		},
	};
	for (const { agent, tools } of agents)
		for (const tool of tools)
			connections[tool] = { ai_tool: [[{ node: agent, type: 'ai_tool', index: 0 }]] };
	return connections;
}

export const DEMO_AGENT_WORKFLOW_ID = 'agentDemo0000001';

/** The example: an AI Agent that schedules, lists and dispatches callbacks with the package's tools. */
export function demoAgentWorkflow(
	credentials: AgentToolCredentials & { openAi: { id: string; name: string } },
	note: { content: string },
) {
	const trigger = {
		id: 'g0000000-0000-4000-8000-000000000001',
		name: 'When clicking ‘Execute workflow’',
		type: 'n8n-nodes-base.manualTrigger',
		typeVersion: 1,
		position: [0, 0] as Position,
		parameters: {},
	};
	const agent = agentNode('AI Agent', DEMO_AGENT_PROMPT, [300, 0]);
	const model = chatModelNode('OpenAI Chat Model', credentials.openAi, DEMO_MODEL_ID, [-180, 260]);
	const tools = agentTools(credentials, { y: 260 });
	return {
		id: DEMO_AGENT_WORKFLOW_ID,
		name: 'AI Agent: schedule a callback with the callback tools',
		active: false,
		nodes: [
			trigger,
			agent,
			model,
			...tools,
			{
				id: 'g0000000-0000-4000-8000-0000000000f1',
				name: 'Note agent',
				type: 'n8n-nodes-base.stickyNote',
				typeVersion: 1,
				position: [0, -300] as Position,
				parameters: { content: note.content, width: 620, height: 260 },
			},
		],
		connections: agentConnections(trigger.name, model.name, [
			{ agent: agent.name, tools: tools.map((tool) => tool.name) },
		]),
		settings: { executionOrder: 'v1' },
		pinData: {},
	};
}
