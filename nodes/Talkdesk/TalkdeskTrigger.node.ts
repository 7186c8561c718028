import type { INodeType, INodeTypeDescription } from 'n8n-workflow';

import { defaultRuntime } from '../shared/runtime';
import type { Runtime } from '../shared/runtime';
import { pollTrigger, TRIGGER_SUBTITLE, triggerDescription } from '../shared/trigger';
import { talkdeskTrigger } from './trigger';

/** Starts a workflow when a Talkdesk callback is created or falls due. */
export class TalkdeskTrigger implements INodeType {
	description: INodeTypeDescription = {
		...triggerDescription(talkdeskTrigger),
		displayName: 'Talkdesk Trigger',
		name: 'talkdeskTrigger',
		icon: { light: 'file:../../icons/talkdesk.svg', dark: 'file:../../icons/talkdesk.dark.svg' },
		// Used as it is: n8n appends tracking parameters to codex links, after the anchor.
		documentationUrl: 'https://github.com/n8n-nodes-callbacks/n8n-nodes-callbacks#talkdesk-trigger',
		subtitle: TRIGGER_SUBTITLE,
		inputs: [],
	};

	poll: INodeType['poll'];

	constructor(runtime: Runtime = defaultRuntime) {
		this.poll = pollTrigger(talkdeskTrigger, runtime);
	}
}
