/**
 * The output schemas the build ships (shown by n8n's editor before a run) describe
 * what each operation really outputs: every field of every item is in the schema,
 * with a type the schema allows, and the required fields are there.
 */
import type { IDataObject } from 'n8n-workflow';

import { ConvosoApi } from '../../credentials/ConvosoApi.credentials';
import { SpekoApi } from '../../credentials/SpekoApi.credentials';
import { TalkdeskApi } from '../../credentials/TalkdeskApi.credentials';
import { AmeyoApi } from '../../credentials/AmeyoApi.credentials';
import { Ameyo, resources as ameyoResources } from '../../nodes/Ameyo/Ameyo.node';
import { AMEYO_SUPERVISOR } from '../sandbox/ameyo';
import { Convoso, resources as convosoResources } from '../../nodes/Convoso/Convoso.node';
import type { Resource } from '../../nodes/shared/actions';
import { Speko, resources as spekoResources } from '../../nodes/Speko/Speko.node';
import { Talkdesk, resources as talkdeskResources } from '../../nodes/Talkdesk/Talkdesk.node';
import { TALKDESK_CLIENT } from '../sandbox/talkdesk';
import { runNode } from '../helpers/run-node';
import { VirtualRuntime } from '../helpers/runtime';
import { startSandbox } from '../sandbox/server';
import type { Sandbox } from '../sandbox/server';

let sandbox: Sandbox;
beforeAll(async () => {
	sandbox = await startSandbox({
		convoso: { callbacks: 30, leads: 30 },
		speko: { callbacks: 30 },
		talkdesk: { callbacks: 10 },
		ameyo: { callbacks: 10 },
	});
});
afterAll(async () => await sandbox.close());

function typeOf(value: unknown): string {
	if (value === null) return 'null';
	if (Array.isArray(value)) return 'array';
	return typeof value;
}

/** The problems of one item against a schema (this package's subset of JSON Schema). */
function problems(item: IDataObject, schema: IDataObject): string[] {
	const properties = schema.properties as Record<
		string,
		{ type: string | string[]; enum?: unknown[] }
	>;
	const found: string[] = [];
	for (const field of (schema.required as string[]) ?? [])
		if (!(field in item)) found.push(`missing ${field}`);
	for (const [field, value] of Object.entries(item)) {
		const rule = properties[field];
		if (!rule) {
			found.push(`${field} is not in the schema`);
			continue;
		}
		const types = ([] as string[]).concat(rule.type);
		if (!types.includes(typeOf(value))) found.push(`${field}: ${typeOf(value)} not in ${types}`);
		if (rule.enum && !rule.enum.includes(value))
			found.push(`${field}: ${String(value)} not allowed`);
	}
	return found;
}

const schemaOf = (resources: Resource[], resource: string, operation: string) =>
	resources.find((r) => r.value === resource)!.operations.find((o) => o.value === operation)!
		.outputSchema!;

const convoso = (parameters: IDataObject) =>
	runNode({
		nodeType: new Convoso(new VirtualRuntime()),
		credentialType: new ConvosoApi(),
		credentials: {
			apiToken: 'sandbox-convoso-token',
			baseUrl: sandbox.baseUrls.convoso,
			accountTimezone: 'America/New_York',
			countryCallingCode: '1',
		},
		parameters,
	});
const speko = (parameters: IDataObject) =>
	runNode({
		nodeType: new Speko(new VirtualRuntime()),
		credentialType: new SpekoApi(),
		credentials: { apiKey: 'sk_test_sandbox_speko', baseUrl: sandbox.baseUrls.speko },
		parameters,
	});

const talkdesk = (parameters: IDataObject) =>
	runNode({
		nodeType: new Talkdesk(new VirtualRuntime(Date.now())),
		credentialType: new TalkdeskApi(),
		credentials: {
			region: 'custom',
			apiBaseUrl: sandbox.baseUrls.talkdesk,
			tokenUrl: sandbox.baseUrls.talkdeskToken,
			clientId: TALKDESK_CLIENT.id,
			clientSecret: TALKDESK_CLIENT.secret,
		},
		parameters,
	});

it('every Convoso operation outputs what its schema says', async () => {
	const id = () => String(sandbox.convoso.addCallback({}).id);
	const runs: Array<[string, string, IDataObject]> = [
		['callback', 'getMany', { limit: 10 }],
		['callback', 'get', { callbackId: id() }],
		[
			'callback',
			'create',
			{
				leadId: '1001',
				recipient: 'system',
				callbackTime: '2026-09-01T10:00:00',
				timeZone: 'UTC',
				// 05:00 at the lead's: the moved output is what is checked.
				callingHours: 'move',
			},
		],
		['callback', 'update', { callbackId: id(), updateFields: { comments: 'schema' } }],
		['callback', 'dismiss', { callbackId: id() }],
		['callback', 'delete', { callbackId: id() }],
		['lead', 'search', { limit: 10 }],
	];
	for (const [resource, operation, parameters] of runs) {
		const result = await convoso({ resource, operation, ...parameters });
		expect(result.error).toBeUndefined();
		expect(result.items.length).toBeGreaterThan(0);
		const schema = schemaOf(convosoResources, resource, operation);
		for (const item of result.items)
			expect([resource, operation, problems(item.json, schema)]).toEqual([resource, operation, []]);
	}
});

it('every Speko operation outputs what its schema says', async () => {
	const scheduled = () => sandbox.speko.addCallback({}).id;
	const runs: Array<[string, IDataObject]> = [
		['getMany', { limit: 10 }],
		['get', { callbackId: scheduled() }],
		['cancel', { callbackId: scheduled() }],
		['dispatch', { callbackId: scheduled() }],
	];
	for (const [operation, parameters] of runs) {
		const result = await speko({ resource: 'callback', operation, ...parameters });
		expect(result.error).toBeUndefined();
		const schema = schemaOf(spekoResources, 'callback', operation);
		for (const item of result.items)
			expect([operation, problems(item.json, schema)]).toEqual([operation, []]);
	}
});

it('every Talkdesk operation outputs what its schema says', async () => {
	const pending = () => sandbox.talkdesk.addCallback({}).id;
	const later = new Date(Date.now() + 86_400_000).toISOString();
	const runs: Array<[string, IDataObject]> = [
		['getMany', { limit: 10 }],
		['get', { callbackId: pending() }],
		[
			'create',
			{
				phoneNumber: '+14155550123',
				callbackTime: later,
				timeZone: 'UTC',
				assignType: 'ANY_ELIGIBLE_AGENT',
				callerId: '+18005550100',
			},
		],
		['update', { callbackId: pending(), updateFields: { phoneNumber: '+14155550199' } }],
		['cancel', { callbackId: pending() }],
		['dispatch', { talkdeskPhoneNumber: '+18005550100', contactPhoneNumber: '+14155550123' }],
	];
	for (const [operation, parameters] of runs) {
		// Real clock: the calling-hours check would depend on the time of day the test runs.
		const result = await talkdesk({
			resource: 'callback',
			operation,
			callingHours: 'off',
			...parameters,
		});
		expect(result.error).toBeUndefined();
		expect(result.items.length).toBeGreaterThan(0);
		const schema = schemaOf(talkdeskResources, 'callback', operation);
		for (const item of result.items)
			expect([operation, problems(item.json, schema)]).toEqual([operation, []]);
	}
});

const ameyoCredentials = () => ({
	baseUrl: sandbox.baseUrls.ameyo,
	userId: AMEYO_SUPERVISOR.userId,
	password: AMEYO_SUPERVISOR.password,
	countryCallingCode: '91',
});

it('every Ameyo operation outputs what its schema says', async () => {
	const credentials = ameyoCredentials();
	const ameyo = (parameters: IDataObject) =>
		runNode({
			nodeType: new Ameyo(new VirtualRuntime(Date.now())),
			credentialType: new AmeyoApi(),
			credentials,
			parameters,
		});
	const existing = () => sandbox.ameyo.addCallback({ campaignId: 110 }).customerCallbackId;
	const later = new Date(Date.now() + 86_400_000).toISOString();
	const runs: Array<[string, IDataObject]> = [
		['getMany', { campaignId: 110, limit: 10 }],
		['get', { campaignId: 110, callbackId: existing() }],
		[
			'create',
			{
				campaignId: 110,
				phoneNumber: '9812345678',
				callbackTime: later,
				timeZone: 'UTC',
				agentId: 'Vinod',
			},
		],
		['update', { campaignId: 110, callbackId: existing(), callbackTime: later, timeZone: 'UTC' }],
		['delete', { callbackId: existing() }],
	];
	for (const [operation, parameters] of runs) {
		const result = await ameyo({
			resource: 'callback',
			operation,
			callingHours: 'off',
			...parameters,
		});
		expect(result.error).toBeUndefined();
		expect(result.items.length).toBeGreaterThan(0);
		const schema = schemaOf(ameyoResources, 'callback', operation);
		for (const item of result.items)
			expect([operation, problems(item.json, schema)]).toEqual([operation, []]);
	}
});

it('every operation of every node has a schema', () => {
	for (const resources of [convosoResources, spekoResources, talkdeskResources, ameyoResources])
		for (const resource of resources)
			for (const operation of resource.operations)
				expect([resource.value, operation.value, operation.outputSchema?.type]).toEqual([
					resource.value,
					operation.value,
					'object',
				]);
});
