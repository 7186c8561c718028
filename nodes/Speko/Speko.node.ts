import type { INodeType, INodeTypeDescription } from 'n8n-workflow';

import { actionDescription, executeResources, OPERATION_SUBTITLE } from '../shared/actions';
import { defaultRuntime } from '../shared/runtime';
import type { Runtime } from '../shared/runtime';
import { spekoListSearch } from './listSearch';
import { callbackResource } from './actions/callback';
import { spekoSpec } from './transport';

/** Also read by the build, which writes each operation's output schema. */
export const resources = [callbackResource];

/** Speko scheduled callbacks (created by Speko's post-call analysis). */
export class Speko implements INodeType {
	description: INodeTypeDescription = {
		...actionDescription(spekoSpec, resources),
		displayName: 'Speko',
		name: 'speko',
		icon: { light: 'file:../../icons/speko.svg', dark: 'file:../../icons/speko.dark.svg' },
		// Used as it is: n8n appends tracking parameters to codex links, after the anchor.
		documentationUrl: 'https://github.com/n8n-nodes-callbacks/n8n-nodes-callbacks#speko-node',
		subtitle: OPERATION_SUBTITLE,
		description: 'List, inspect, cancel and dispatch Speko scheduled callbacks',
		usableAsTool: true,
	};

	execute: INodeType['execute'];

	methods: INodeType['methods'];

	constructor(runtime: Runtime = defaultRuntime) {
		this.methods = { listSearch: spekoListSearch(runtime) };
		this.execute = executeResources(resources, spekoSpec, runtime);
	}
}
