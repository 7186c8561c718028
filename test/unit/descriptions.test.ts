/**
 * What a builder meets in n8n's editor before running anything: documentation links
 * that land on an existing README section, summaries for the node creator.
 */
import * as fs from 'fs';
import * as path from 'path';

import type { ICredentialType, INodeType } from 'n8n-workflow';

import { ConvosoApi } from '../../credentials/ConvosoApi.credentials';
import { SpekoApi } from '../../credentials/SpekoApi.credentials';
import { TalkdeskApi } from '../../credentials/TalkdeskApi.credentials';
import { AmeyoApi } from '../../credentials/AmeyoApi.credentials';
import { Ameyo } from '../../nodes/Ameyo/Ameyo.node';
import { AmeyoTrigger } from '../../nodes/Ameyo/AmeyoTrigger.node';
import { Convoso } from '../../nodes/Convoso/Convoso.node';
import { ConvosoTrigger } from '../../nodes/Convoso/ConvosoTrigger.node';
import { Speko } from '../../nodes/Speko/Speko.node';
import { SpekoTrigger } from '../../nodes/Speko/SpekoTrigger.node';
import { Talkdesk } from '../../nodes/Talkdesk/Talkdesk.node';
import { TalkdeskTrigger } from '../../nodes/Talkdesk/TalkdeskTrigger.node';

/** GitHub's anchors for the README's headings. */
const anchors = new Set(
	fs
		.readFileSync(path.join(__dirname, '../../README.md'), 'utf8')
		.split('\n')
		.filter((line) => /^#{1,6} /.test(line))
		.map((line) =>
			line
				.replace(/^#+ /, '')
				.trim()
				.toLowerCase()
				.replace(/[^\w\- ]/g, '')
				.replace(/ /g, '-'),
		),
);
const README = 'https://github.com/n8n-nodes-callbacks/n8n-nodes-callbacks#';

const nodes: INodeType[] = [
	new Convoso(),
	new ConvosoTrigger(),
	new Speko(),
	new SpekoTrigger(),
	new Talkdesk(),
	new TalkdeskTrigger(),
	new Ameyo(),
	new AmeyoTrigger(),
];
const credentials: ICredentialType[] = [
	new ConvosoApi(),
	new SpekoApi(),
	new TalkdeskApi(),
	new AmeyoApi(),
];

it.each([
	...nodes.map((node) => [node.description.name, node.description.documentationUrl]),
	...credentials.map((credential) => [credential.name, credential.documentationUrl]),
])('%s links to an existing README section, with nothing after the anchor', (_, url) => {
	expect(url?.startsWith(README)).toBe(true);
	const anchor = url!.slice(README.length);
	expect(anchor).toMatch(/^[a-z0-9-]+$/);
	expect(anchors).toContain(anchor);
});

it('each provider entry in the node creator reads right for its actions and its trigger', () => {
	for (const trigger of [
		new ConvosoTrigger(),
		new SpekoTrigger(),
		new TalkdeskTrigger(),
		new AmeyoTrigger(),
	]) {
		const text = trigger.description.description;
		expect(text).not.toMatch(/^Starts the workflow/);
		expect(text).toMatch(/start workflows when one is created or falls due$/);
	}
});

it('marks the fields a builder must fill as required, where they apply', () => {
	const required = (node: INodeType, operation: string) =>
		node.description.properties
			.filter((p) => p.required && p.displayOptions?.show?.operation?.includes(operation))
			.map((p) => [p.name, p.displayOptions?.show?.recipient ?? null]);
	expect(required(new Convoso(), 'create')).toEqual([
		['leadId', null],
		['userId', ['personal']],
		['callbackTime', null],
	]);
	for (const operation of ['get', 'update', 'dismiss', 'delete'])
		expect(required(new Convoso(), operation)).toEqual([['callbackId', null]]);
	for (const operation of ['get', 'cancel', 'dispatch'])
		expect(required(new Speko(), operation)).toEqual([['callbackId', null]]);
	for (const operation of ['get', 'update', 'cancel'])
		expect(required(new Talkdesk(), operation)).toEqual([['callbackId', null]]);
	expect(required(new Talkdesk(), 'create')).toEqual([
		['phoneNumber', null],
		['callbackTime', null],
		['agentIds', null],
		['ringGroups', null],
		['callerId', null],
	]);
	expect(required(new Ameyo(), 'getMany')).toEqual([['campaignId', null]]);
	for (const operation of ['get', 'delete'])
		expect(required(new Ameyo(), operation).map(([name]) => name)).toContain('callbackId');
	expect(required(new Ameyo(), 'create').map(([name]) => name)).toEqual([
		'campaignId',
		'phoneNumber',
		'callbackTime',
		'agentId',
	]);
	expect(required(new Ameyo(), 'update').map(([name]) => name)).toEqual([
		'campaignId',
		'callbackId',
		'callbackTime',
	]);
	expect(required(new Talkdesk(), 'dispatch')).toEqual([
		['talkdeskPhoneNumber', null],
		['contactPhoneNumber', null],
	]);
});
