/**
 * The example workflows `npm start` imports run in a real n8n against the sandbox.
 */
import { demoCredentials } from '../demo/credentials';
import { demoWorkflows } from '../demo/workflows';
import { startSandbox } from '../sandbox/server';
import type { Sandbox } from '../sandbox/server';
import { createUserFolder, ensureN8n, nodeOutput, packPackage } from './n8n';
import type { N8nInstance } from './n8n';

jest.setTimeout(10 * 60_000);

let sandbox: Sandbox;
let n8n: N8nInstance;

beforeAll(async () => {
	const [install, tgz] = await Promise.all([ensureN8n(), packPackage()]);
	sandbox = await startSandbox({ convoso: { callbacks: 120 } });
	n8n = await createUserFolder(install, tgz);
	expect((await n8n.importCredentials(demoCredentials(sandbox.url))).exitCode).toBe(0);
	expect((await n8n.importWorkflows(demoWorkflows(sandbox.url))).exitCode).toBe(0);
});

afterAll(async () => {
	await n8n?.cleanup();
	await sandbox?.close();
});

it('"Convoso: list pending callbacks" lists pending callbacks', async () => {
	const run = await n8n.execute('convosoDemo00001');
	expect(run.status).toBe('success');
	const callbacks = nodeOutput(run.runData, 'Pending callbacks');
	expect(callbacks.length).toBeGreaterThan(0);
	expect(
		callbacks.every(
			(callback) => callback.status === 'scheduled' || callback.status === 'past_due',
		),
	).toBe(true);
});

it('"Convoso: schedule, then reschedule a callback" creates, moves and reads back one callback', async () => {
	const run = await n8n.execute('convosoDemo00002');
	expect({ status: run.status, error: run.error?.message }).toEqual({
		status: 'success',
		error: undefined,
	});
	const [created] = nodeOutput(run.runData, 'Schedule callback');
	const [read] = nodeOutput(run.runData, 'Read it back');
	expect(read).toMatchObject({ id: created.id, leadId: 1001, notes: 'Moved to the 24th' });
	// 10:30 in St. John's (-3:30 in December) is 14:00 UTC.
	expect(read.scheduledAt).toBe('2026-12-24T14:00:00Z');
	const insert = sandbox.requests.find((r) => r.route === '/v1/callbacks/insert');
	expect(insert?.form?.callback_time_zone).toBe('+5.30');
});

it('"Speko: list scheduled callbacks" lists them', async () => {
	const run = await n8n.execute('spekoDemo0000001');
	expect(run.status).toBe('success');
	const callbacks = nodeOutput(run.runData, 'List scheduled');
	expect(callbacks.length).toBe(
		sandbox.speko.callbacks().filter((c) => c.status === 'scheduled').length,
	);
});
