import type { INodeType, INodeTypeDescription } from 'n8n-workflow';

import { actionDescription, executeResources, OPERATION_SUBTITLE } from '../shared/actions';
import { defaultRuntime } from '../shared/runtime';
import type { Runtime } from '../shared/runtime';
import { callbackResource } from './actions/callback';
import { ameyoListSearch } from './listSearch';
import { ameyoSpec } from './transport';

/** Also read by the build, which writes each operation's output schema. */
export const resources = [callbackResource];

/** Ameyo (Exotel) campaign callbacks. */
export class Ameyo implements INodeType {
	description: INodeTypeDescription = {
		...actionDescription(ameyoSpec, resources),
		displayName: 'Ameyo',
		name: 'ameyo',
		icon: { light: 'file:../../icons/ameyo.svg', dark: 'file:../../icons/ameyo.dark.svg' },
		// Used as it is: n8n appends tracking parameters to codex links, after the anchor.
		documentationUrl: 'https://github.com/n8n-nodes-callbacks/n8n-nodes-callbacks#ameyo-node',
		subtitle: OPERATION_SUBTITLE,
		description: 'Find, schedule, reschedule and delete Ameyo (Exotel) campaign callbacks',
		usableAsTool: true,
	};

	execute: INodeType['execute'];

	methods: INodeType['methods'];

	constructor(runtime: Runtime = defaultRuntime) {
		this.methods = { listSearch: ameyoListSearch(runtime) };
		this.execute = executeResources(resources, ameyoSpec, runtime);
	}
}
