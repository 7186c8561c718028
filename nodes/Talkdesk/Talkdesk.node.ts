import type { INodeType, INodeTypeDescription } from 'n8n-workflow';

import { actionDescription, executeResources, OPERATION_SUBTITLE } from '../shared/actions';
import { defaultRuntime } from '../shared/runtime';
import type { Runtime } from '../shared/runtime';
import { callbackResource } from './actions/callback';
import { talkdeskListSearch } from './listSearch';
import { talkdeskSpec } from './transport';

/** Also read by the build, which writes each operation's output schema. */
export const resources = [callbackResource];

/** Talkdesk scheduled callbacks (Scheduled Callback Management API) and direct callbacks. */
export class Talkdesk implements INodeType {
	description: INodeTypeDescription = {
		...actionDescription(talkdeskSpec, resources),
		displayName: 'Talkdesk',
		name: 'talkdesk',
		icon: { light: 'file:../../icons/talkdesk.svg', dark: 'file:../../icons/talkdesk.dark.svg' },
		// Used as it is: n8n appends tracking parameters to codex links, after the anchor.
		documentationUrl: 'https://github.com/n8n-nodes-callbacks/n8n-nodes-callbacks#talkdesk-node',
		subtitle: OPERATION_SUBTITLE,
		description: 'Find, schedule, reschedule, cancel and dispatch Talkdesk callbacks',
		usableAsTool: true,
	};

	execute: INodeType['execute'];

	methods: INodeType['methods'];

	constructor(runtime: Runtime = defaultRuntime) {
		this.methods = { listSearch: talkdeskListSearch(runtime) };
		this.execute = executeResources(resources, talkdeskSpec, runtime);
	}
}
