import type { INodeType, INodeTypeDescription } from 'n8n-workflow';

import { defaultRuntime } from '../shared/runtime';
import type { Runtime } from '../shared/runtime';
import { pollTrigger, TRIGGER_SUBTITLE, triggerDescription } from '../shared/trigger';
import { convosoListSearch } from './listSearch';
import { convosoTrigger } from './trigger';

/** Starts a workflow when a Convoso callback is created or falls due. */
export class ConvosoTrigger implements INodeType {
	description: INodeTypeDescription = {
		...triggerDescription(convosoTrigger),
		displayName: 'Convoso Trigger',
		name: 'convosoTrigger',
		icon: { light: 'file:../../icons/convoso.svg', dark: 'file:../../icons/convoso.dark.svg' },
		// Used as it is: n8n appends tracking parameters to codex links, after the anchor.
		documentationUrl: 'https://github.com/n8n-nodes-callbacks/n8n-nodes-callbacks#convoso-trigger',
		subtitle: TRIGGER_SUBTITLE,
		inputs: [],
	};

	poll: INodeType['poll'];

	methods: INodeType['methods'];

	constructor(runtime: Runtime = defaultRuntime) {
		this.poll = pollTrigger(convosoTrigger, runtime);
		this.methods = { listSearch: convosoListSearch(runtime) };
	}
}
