/**
 * Example workflows the demo launcher imports into its n8n (`n8n import:workflow`
 * takes an array; each workflow needs an `id` of at most 21 characters). Node types
 * of this package are `n8n-nodes-callbacks.<node>`.
 */
import { demoAgentWorkflow } from './agent';
import {
	AMEYO_DEMO_CREDENTIAL,
	CONVOSO_DEMO_CREDENTIAL,
	OPENAI_DEMO_CREDENTIAL,
	SPEKO_DEMO_CREDENTIAL,
	TALKDESK_DEMO_CREDENTIAL,
} from './credentials';

const PACKAGE_NAME = 'n8n-nodes-callbacks';

type Position = [number, number];

interface DemoNode {
	id: string;
	name: string;
	type: string;
	typeVersion: number;
	position: Position;
	parameters: Record<string, unknown>;
	credentials?: Record<string, { id: string; name: string }>;
	executeOnce?: boolean;
}

const convoso = { convosoApi: { ...CONVOSO_DEMO_CREDENTIAL } };
const speko = { spekoApi: { ...SPEKO_DEMO_CREDENTIAL } };
const talkdesk = { talkdeskApi: { ...TALKDESK_DEMO_CREDENTIAL } };
const ameyo = { ameyoApi: { ...AMEYO_DEMO_CREDENTIAL } };

function node(
	id: string,
	name: string,
	type: string,
	position: Position,
	parameters: Record<string, unknown>,
	extra: Partial<DemoNode> = {},
): DemoNode {
	return { id, name, type, typeVersion: 1, position, parameters, ...extra };
}

const manualTrigger = (id: string) =>
	node(id, 'When clicking ‘Execute workflow’', 'n8n-nodes-base.manualTrigger', [0, 0], {});

/** A sticky note on the canvas (not connected). */
const note = (id: string, content: string, position: Position) =>
	node(id, `Note ${id.slice(-4)}`, 'n8n-nodes-base.stickyNote', position, {
		content,
		width: 460,
		height: 200,
	});

/** Connects the nodes one after the other on their first main output. */
function chain(nodes: DemoNode[]): Record<string, unknown> {
	const connections: Record<string, unknown> = {};
	for (let i = 0; i < nodes.length - 1; i++) {
		connections[nodes[i].name] = { main: [[{ node: nodes[i + 1].name, type: 'main', index: 0 }]] };
	}
	return connections;
}

function workflow(id: string, name: string, nodes: DemoNode[], notes: DemoNode[] = []) {
	return {
		id,
		name,
		active: false,
		nodes: [...nodes, ...notes],
		connections: chain(nodes),
		settings: { executionOrder: 'v1' },
		pinData: {},
	};
}

export function demoWorkflows(sandboxUrl: string): object[] {
	const sandboxNote = (id: string, text: string) =>
		note(
			id,
			`## Provider sandbox\n${text}\n\nThe credentials point at the sandbox on ${sandboxUrl} (seeded, fake data).`,
			[0, -260],
		);
	return [
		workflow(
			'convosoDemo00001',
			'Convoso: list pending callbacks',
			[
				manualTrigger('c0000000-0000-4000-8000-000000000001'),
				node(
					'c0000000-0000-4000-8000-000000000002',
					'Pending callbacks',
					`${PACKAGE_NAME}.convoso`,
					[240, 0],
					{
						resource: 'callback',
						operation: 'getMany',
						returnAll: false,
						limit: 20,
						filters: { stage: 'PENDING' },
						simplify: true,
					},
					{ credentials: convoso },
				),
			],
			[
				sandboxNote(
					'c0000000-0000-4000-8000-0000000000f1',
					'Pending callbacks, normalized: status, time in UTC, E.164 phone.',
				),
			],
		),
		workflow(
			'convosoDemo00002',
			'Convoso: schedule, then reschedule a callback',
			[
				manualTrigger('c0000000-0000-4000-8000-000000000011'),
				node(
					'c0000000-0000-4000-8000-000000000012',
					'Find lead',
					`${PACKAGE_NAME}.convoso`,
					[240, 0],
					{
						resource: 'lead',
						operation: 'search',
						limit: 1,
						leadFilters: { leadId: '1001' },
					},
					{ credentials: convoso },
				),
				node(
					'c0000000-0000-4000-8000-000000000013',
					'Schedule callback',
					`${PACKAGE_NAME}.convoso`,
					[480, 0],
					{
						resource: 'callback',
						operation: 'create',
						leadId: { __rl: true, mode: 'id', value: '={{ $json.id }}' },
						recipient: 'system',
						callbackTime:
							"={{ $now.setZone('Asia/Kolkata').plus({ hours: 2 }).startOf('hour').toISO() }}",
						timeZone: 'Asia/Kolkata',
						comments: 'Customer asked for a call back',
						// Two hours ahead may be night at the lead's: then it moves to the morning.
						callingHours: 'move',
					},
					{ credentials: convoso },
				),
				node(
					'c0000000-0000-4000-8000-000000000014',
					'Reschedule',
					`${PACKAGE_NAME}.convoso`,
					[720, 0],
					{
						resource: 'callback',
						operation: 'update',
						callbackId: { __rl: true, mode: 'id', value: '={{ $json.id }}' },
						updateFields: {
							// 10:30 a week from now, on the wall clock of St. John's.
							callbackTime:
								"={{ $now.setZone('America/St_Johns').plus({ days: 7 }).set({ hour: 10, minute: 30, second: 0, millisecond: 0 }).toISO({ includeOffset: false }) }}",
							timeZone: 'America/St_Johns',
							comments: 'Moved to 10:30 next week',
						},
					},
					{ credentials: convoso },
				),
				node(
					'c0000000-0000-4000-8000-000000000015',
					'Read it back',
					`${PACKAGE_NAME}.convoso`,
					[960, 0],
					{
						resource: 'callback',
						operation: 'get',
						callbackId: { __rl: true, mode: 'id', value: '={{ $json.id }}' },
					},
					{ credentials: convoso },
				),
			],
			[
				sandboxNote(
					'c0000000-0000-4000-8000-0000000000f2',
					'Create sends Convoso "YYYY-MM-DD hh:mm AM/PM" with the offset of that date (+5.30 for Kolkata, -3.30 for St. John\'s in winter).',
				),
			],
		),
		workflow(
			'spekoDemo0000001',
			'Speko: list scheduled callbacks',
			[
				manualTrigger('s0000000-0000-4000-8000-000000000001'),
				node(
					's0000000-0000-4000-8000-000000000002',
					'List scheduled',
					`${PACKAGE_NAME}.speko`,
					[240, 0],
					{
						resource: 'callback',
						operation: 'getMany',
						status: 'scheduled',
						limit: 50,
					},
					{ credentials: speko },
				),
			],
			[
				sandboxNote(
					's0000000-0000-4000-8000-0000000000f1',
					'Dispatch Now places a real call with a real account: here it only changes the sandbox.',
				),
			],
		),
		workflow(
			'talkdeskDemo00001',
			'Talkdesk: callbacks still to ring, then reschedule one',
			[
				manualTrigger('t0000000-0000-4000-8000-000000000001'),
				node(
					't0000000-0000-4000-8000-000000000002',
					'Still to ring',
					`${PACKAGE_NAME}.talkdesk`,
					[240, 0],
					{
						resource: 'callback',
						operation: 'getMany',
						limit: 20,
						filters: { statuses: ['UNATTEMPTED', 'TO_BE_RETRIED'] },
					},
					{ credentials: talkdesk },
				),
				node(
					't0000000-0000-4000-8000-000000000003',
					'Reschedule the first',
					`${PACKAGE_NAME}.talkdesk`,
					[480, 0],
					{
						resource: 'callback',
						operation: 'update',
						callbackId: { __rl: true, mode: 'id', value: '={{ $json.id }}' },
						updateFields: {
							callbackTime:
								"={{ $now.setZone('Asia/Kathmandu').plus({ days: 1 }).set({ hour: 10, minute: 0 }).startOf('minute').toISO() }}",
							timeZone: 'Asia/Kathmandu',
						},
					},
					{ credentials: talkdesk, executeOnce: true },
				),
			],
			[
				sandboxNote(
					't0000000-0000-4000-8000-0000000000f1',
					'n8n fetches the Talkdesk token itself (client credentials). The reschedule is a JSON Patch of /timeToCall and /timezone: 10:00 tomorrow in Kathmandu (+5:45), sent in UTC.',
				),
			],
		),
		workflow(
			'ameyoDemo0000001',
			'Ameyo: a campaign’s callbacks of the next three days',
			[
				manualTrigger('a0000000-0000-4000-8000-000000000001'),
				node(
					'a0000000-0000-4000-8000-000000000002',
					'Next three days',
					`${PACKAGE_NAME}.ameyo`,
					[240, 0],
					{
						resource: 'callback',
						operation: 'getMany',
						campaignId: 110,
						returnAll: true,
						filters: {
							callbackTimeFrom: '={{ $now.toISO() }}',
							callbackTimeTo: '={{ $now.plus({ days: 3 }).toISO() }}',
						},
					},
					{ credentials: ameyo },
				),
			],
			[
				sandboxNote(
					'a0000000-0000-4000-8000-0000000000f1',
					'n8n logs in to Ameyo once and reuses the session. Ameyo has no filters: the time window is applied by n8n while the pages arrive.',
				),
			],
		),
		workflow(
			'convosoDueDemo01',
			'Convoso: 10 minutes before a callback is due',
			[
				node(
					'c0000000-0000-4000-8000-000000000021',
					'Callback due soon',
					`${PACKAGE_NAME}.convosoTrigger`,
					[0, 0],
					{
						pollTimes: { item: [{ mode: 'everyMinute' }] },
						event: 'due',
						minutesBefore: 10,
					},
					{ credentials: convoso },
				),
			],
			[
				sandboxNote(
					'c0000000-0000-4000-8000-0000000000f3',
					'Publish the workflow to poll every minute; "Fetch Test Event" shows the latest due callback.',
				),
			],
		),
		demoAgentWorkflow(
			{ convoso, speko, talkdesk, openAi: { ...OPENAI_DEMO_CREDENTIAL } },
			{
				content: `## AI Agent with the callback tools\nThe agent gets the package's action nodes as tools; the model fills the fields written as $fromAI(key, description), and the description is what it reads. Dispatch tools say they place a real phone call; Calling Hours stays on Refuse, so a call at night is refused, and the agent is told so.\n\nThe model here is the demo's scripted one on loopback (it knows only this prompt). For a real model: your OpenAI key and https://api.openai.com/v1 in the credential, and a model in the OpenAI Chat Model node. The tools talk to the sandbox on ${sandboxUrl}.`,
			},
		),
	];
}
