/**
 * Example workflows the demo launcher imports into its n8n
 * (`n8n import:workflow` takes an array; each workflow needs an `id`, at most
 * 21 characters). Node types of this package are `n8n-nodes-callbacks.<node>`.
 *
 * Placeholder structure: more Convoso workflows are to be added here.
 */
import { CONVOSO_DEMO_CREDENTIAL } from './credentials';

export const PACKAGE_NAME = 'n8n-nodes-callbacks';

type Position = [number, number];

interface DemoNode {
	id: string;
	name: string;
	type: string;
	typeVersion: number;
	position: Position;
	parameters: Record<string, unknown>;
	credentials?: Record<string, { id: string; name: string }>;
}

function manualTrigger(id: string, position: Position = [0, 0]): DemoNode {
	return {
		id,
		name: 'When clicking ‘Execute workflow’',
		type: 'n8n-nodes-base.manualTrigger',
		typeVersion: 1,
		position,
		parameters: {},
	};
}

/** Connects the nodes one after the other on their first main output. */
function chain(nodes: DemoNode[]): Record<string, unknown> {
	const connections: Record<string, unknown> = {};
	for (let i = 0; i < nodes.length - 1; i++) {
		connections[nodes[i].name] = { main: [[{ node: nodes[i + 1].name, type: 'main', index: 0 }]] };
	}
	return connections;
}

/** A sticky note on the canvas (not connected). */
function note(id: string, content: string, position: Position): DemoNode {
	return {
		id,
		name: `Note ${id.slice(-4)}`,
		type: 'n8n-nodes-base.stickyNote',
		typeVersion: 1,
		position,
		parameters: { content, width: 420, height: 160 },
	};
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

const convosoCredentials = {
	convosoApi: { id: CONVOSO_DEMO_CREDENTIAL.id, name: CONVOSO_DEMO_CREDENTIAL.name },
};

export function demoWorkflows(sandboxUrl: string): object[] {
	const sandboxNote = (id: string, position: Position) =>
		note(
			id,
			`## Provider sandbox\nThe Convoso credential points at the sandbox on ${sandboxUrl} (seeded, fake data).`,
			position,
		);
	return [
		workflow(
			'convosoDemo00001',
			'Convoso callbacks demo',
			[
				manualTrigger('c0000000-0000-4000-8000-000000000001'),
				{
					id: 'c0000000-0000-4000-8000-000000000002',
					name: 'Search callbacks',
					type: `${PACKAGE_NAME}.convoso`,
					typeVersion: 1,
					position: [240, 0],
					parameters: {
						resource: 'callback',
						operation: 'search',
						returnAll: false,
						limit: 20,
						filters: {},
						simplify: true,
					},
					credentials: convosoCredentials,
				},
			],
			[sandboxNote('c0000000-0000-4000-8000-0000000000f1', [0, -220])],
		),
	];
}
