import type { INodeType, INodeTypeDescription } from 'n8n-workflow';

import { actionDescription, executeResources, OPERATION_SUBTITLE } from '../shared/actions';
import { defaultRuntime } from '../shared/runtime';
import type { Runtime } from '../shared/runtime';
import { callbackResource } from './actions/callback';
import { leadResource } from './actions/lead';
import { convosoListSearch } from './listSearch';
import { convosoSpec } from './transport';

/** Also read by the build, which writes each operation's output schema. */
export const resources = [callbackResource, leadResource];

/** Convoso callbacks and leads. Each operation lives in its own file under actions/. */
export class Convoso implements INodeType {
	description: INodeTypeDescription = {
		...actionDescription(convosoSpec, resources),
		displayName: 'Convoso',
		name: 'convoso',
		icon: { light: 'file:../../icons/convoso.svg', dark: 'file:../../icons/convoso.dark.svg' },
		// Used as it is: n8n appends tracking parameters to codex links, after the anchor.
		documentationUrl: 'https://github.com/n8n-nodes-callbacks/n8n-nodes-callbacks#convoso-node',
		subtitle: OPERATION_SUBTITLE,
		description:
			'Search, schedule, reschedule, dismiss and delete Convoso callbacks, and find leads',
		usableAsTool: true,
	};

	execute: INodeType['execute'];

	methods: INodeType['methods'];

	constructor(runtime: Runtime = defaultRuntime) {
		this.methods = { listSearch: convosoListSearch(runtime) };
		this.execute = executeResources(resources, convosoSpec, runtime);
	}
}
