import type { INodeType, INodeTypeDescription } from 'n8n-workflow';

import { defaultRuntime } from '../shared/runtime';
import type { Runtime } from '../shared/runtime';
import { pollTrigger, TRIGGER_SUBTITLE, triggerDescription } from '../shared/trigger';
import { ameyoTrigger } from './trigger';

/** Starts a workflow when a Ameyo callback is created or falls due. */
export class AmeyoTrigger implements INodeType {
	description: INodeTypeDescription = {
		...triggerDescription(ameyoTrigger),
		displayName: 'Ameyo Trigger',
		name: 'ameyoTrigger',
		icon: { light: 'file:../../icons/ameyo.svg', dark: 'file:../../icons/ameyo.dark.svg' },
		// Used as it is: n8n appends tracking parameters to codex links, after the anchor.
		documentationUrl: 'https://github.com/n8n-nodes-callbacks/n8n-nodes-callbacks#ameyo-trigger',
		subtitle: TRIGGER_SUBTITLE,
		inputs: [],
	};

	poll: INodeType['poll'];

	constructor(runtime: Runtime = defaultRuntime) {
		this.poll = pollTrigger(ameyoTrigger, runtime);
	}
}
