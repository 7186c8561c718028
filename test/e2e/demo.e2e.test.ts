/**
 * The example workflows `npm start` imports run in a real n8n against the sandbox.
 */
import { DateTime } from 'luxon';

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
	expect(read).toMatchObject({ id: created.id, leadId: 1001, notes: 'Moved to 10:30 next week' });
	// 10:30 on St. John's wall clock (-3:30 in winter, -2:30 in summer), a week ahead.
	const local = DateTime.fromISO(read.scheduledAt as string).setZone('America/St_Johns');
	expect(local.toFormat('HH:mm')).toBe('10:30');
	const daysAhead = local.diffNow('days').days;
	expect(daysAhead).toBeGreaterThan(6);
	expect(daysAhead).toBeLessThan(8);
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

it('"Talkdesk: callbacks still to ring, then reschedule one" lists them and moves the first to 10:00 in Kathmandu', async () => {
	const run = await n8n.execute('talkdeskDemo00001');
	expect({ status: run.status, error: run.error?.message }).toEqual({
		status: 'success',
		error: undefined,
	});
	const listed = nodeOutput(run.runData, 'Still to ring');
	expect(listed.length).toBeGreaterThan(0);
	const [moved] = nodeOutput(run.runData, 'Reschedule the first');
	expect(moved).toMatchObject({ id: listed[0].id, timezone: 'Asia/Kathmandu' });
	// 10:00 in Kathmandu (+5:45) is 04:15 UTC.
	expect(moved.scheduledAt).toMatch(/T04:15:00Z$/);
	expect(sandbox.requests.some((r) => r.route === '/id/oauth/token')).toBe(true);
});

it('"Ameyo: a campaign’s callbacks of the next three days" lists them, filtered by n8n', async () => {
	const run = await n8n.execute('ameyoDemo0000001');
	expect({ status: run.status, error: run.error?.message }).toEqual({
		status: 'success',
		error: undefined,
	});
	const listed = nodeOutput(run.runData, 'Next three days');
	const now = Date.now();
	const expected = sandbox.ameyo
		.callbacks(110)
		.filter((c) => c.callbackTime >= now - 60_000 && c.callbackTime <= now + 3 * 86_400_000);
	expect(listed.length).toBeGreaterThan(0);
	expect(listed.length).toBeLessThanOrEqual(expected.length);
	for (const callback of listed)
		expect(callback).toMatchObject({ provider: 'ameyo', campaignId: 110 });
});
