import type { INodeType, INodeTypeDescription } from 'n8n-workflow';

import { defaultRuntime } from '../shared/runtime';
import type { Runtime } from '../shared/runtime';
import { pollTrigger, TRIGGER_SUBTITLE, triggerDescription } from '../shared/trigger';
import { spekoTrigger } from './trigger';

/** Starts a workflow when a Speko callback is created or falls due. */
export class SpekoTrigger implements INodeType {
	description: INodeTypeDescription = {
		...triggerDescription(spekoTrigger),
		displayName: 'Speko Trigger',
		name: 'spekoTrigger',
		icon: { light: 'file:../../icons/speko.svg', dark: 'file:../../icons/speko.dark.svg' },
		// Used as it is: n8n appends tracking parameters to codex links, after the anchor.
		documentationUrl: 'https://github.com/n8n-nodes-callbacks/n8n-nodes-callbacks#speko-trigger',
		subtitle: TRIGGER_SUBTITLE,
		inputs: [],
	};

	poll: INodeType['poll'];

	constructor(runtime: Runtime = defaultRuntime) {
		this.poll = pollTrigger(spekoTrigger, runtime);
	}
}
