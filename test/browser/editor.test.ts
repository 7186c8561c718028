/**
 * The package in n8n's editor, in Debian's Chromium, as a builder meets it: the demo
 * that `npm start` brings up (same code, its own ports and user folder), driven
 * through the page object in editor.ts. Every step leaves a screenshot in
 * test/browser/artifacts/.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { DateTime } from 'luxon';
import type { Browser, Page } from 'playwright-core';

import { Convoso, resources as convosoResources } from '../../nodes/Convoso/Convoso.node';
import { ConvosoTrigger } from '../../nodes/Convoso/ConvosoTrigger.node';
import { callbackSchema } from '../../nodes/shared/outputSchemas';
import { resolveCallee } from '../../nodes/shared/callingHours';
import { Speko, resources as spekoResources } from '../../nodes/Speko/Speko.node';
import { SpekoTrigger } from '../../nodes/Speko/SpekoTrigger.node';
import { Talkdesk, resources as talkdeskResources } from '../../nodes/Talkdesk/Talkdesk.node';
import { TalkdeskTrigger } from '../../nodes/Talkdesk/TalkdeskTrigger.node';
import { resources as ameyoResources } from '../../nodes/Ameyo/Ameyo.node';
import { AmeyoTrigger } from '../../nodes/Ameyo/AmeyoTrigger.node';
import { AMEYO_SUPERVISOR } from '../sandbox/ameyo';
import { TALKDESK_CLIENT } from '../sandbox/talkdesk';
import { startDemo, DEMO_OWNER } from '../demo/demo';
import type { Demo } from '../demo/demo';
import { launchChromium } from './chromium';
import { Editor } from './editor';

const ARTIFACTS = path.join(__dirname, 'artifacts');
/** A node panel as the README shows it (test/browser/node-panel.png is a copy from a run). */
const PANEL_SCREENSHOT = path.join(ARTIFACTS, 'node-panel.png');
const STATUSES = [
	'scheduled',
	'past_due',
	'dispatching',
	'completed',
	'cancelled',
	'failed',
	'unknown',
];

let demo: Demo;
let browser: Browser;
let page: Page;
let editor: Editor;
/** Errors the page raised, and failed loads of the package's own files (icons, schemas, node types). */
const pageErrors: string[] = [];
const packageLoadFailures: string[] = [];

const userFolder = path.join(os.tmpdir(), `n8n-callbacks-browser-${process.pid}`);

beforeAll(async () => {
	demo = await startDemo({
		port: 5910,
		sandboxPort: 4410,
		callbacks: 120,
		userFolder,
		log: () => undefined,
	});
	browser = await launchChromium();
	page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
	page.setDefaultTimeout(60_000);
	page.on('pageerror', (error) => pageErrors.push(error.message));
	// n8n's own console errors (a 401 before sign-in) are not the package's.
	page.on('console', (message) => {
		if (message.type() === 'error' && message.text().includes(demo.instance.packageName))
			pageErrors.push(message.text());
	});
	page.on('response', (response) => {
		if (response.url().includes(demo.instance.packageName) && response.status() >= 400)
			packageLoadFailures.push(`${response.status()} ${response.url()}`);
	});
	editor = new Editor(page, demo.server.url, ARTIFACTS);
	await editor.signIn(DEMO_OWNER.email, DEMO_OWNER.password);
});

afterAll(async () => {
	await browser?.close();
	await demo?.stop();
	fs.rmSync(userFolder, { recursive: true, force: true });
});

afterEach(() => {
	expect(pageErrors).toEqual([]);
	expect(packageLoadFailures).toEqual([]);
});

const actionsOf = (resources: typeof convosoResources) =>
	resources.flatMap((resource) => resource.operations.map((operation) => operation.action));

describe('the node creator', () => {
	it.each(['light', 'dark'] as const)(
		'finds every provider by "callback" with their %s icons, and lists each action',
		async (theme) => {
			await page.addInitScript(`localStorage.setItem('N8N_THEME', '${theme}')`);
			await editor.newWorkflow();
			const found = await editor.searchNodeCreator('callback', 'first-step');
			await editor.screenshot(`node-creator-${theme}`);
			expect(found.map((item) => item.name)).toEqual(
				expect.arrayContaining(['Convoso', 'Speko', 'Talkdesk', 'Ameyo']),
			);
			for (const [name, trigger] of [
				['Convoso', new ConvosoTrigger()],
				['Speko', new SpekoTrigger()],
				['Talkdesk', new TalkdeskTrigger()],
				['Ameyo', new AmeyoTrigger()],
			] as const) {
				const entry = found.find((item) => item.name === name);
				// The combined entry shows the trigger's description: it reads right for both.
				expect(entry?.description).toBe(trigger.description.description);
				expect(entry?.icon).toMatch(
					new RegExp(`${name.toLowerCase()}${theme === 'dark' ? '\\.dark' : ''}\\.svg`),
				);
			}
			await editor.closeNodeCreator();
			// The rest of the run in the light theme again.
			await page.addInitScript(`localStorage.setItem('N8N_THEME', 'light')`);
		},
	);

	it.each([
		['Convoso', convosoResources],
		['Speko', spekoResources],
		['Talkdesk', talkdeskResources],
		['Ameyo', ameyoResources],
	] as const)('lists every %s action with its action text', async (name, resources) => {
		await editor.newWorkflow();
		await editor.addFirstStep('manual');
		await editor.searchNodeCreator(name);
		const actions = await editor.nodeCreatorActions(name);
		await editor.screenshot(`${name.toLowerCase()}-actions`);
		expect([...actions].sort()).toEqual(expect.arrayContaining([...actionsOf(resources)].sort()));
		await editor.closeNodeCreator();
	});
});

describe('the example workflows', () => {
	it.each([
		['convosoDemo00001', 'Pending callbacks', 'convoso'],
		['convosoDemo00002', 'Read it back', 'convoso'],
		['spekoDemo0000001', 'List scheduled', 'speko'],
		['talkdeskDemo00001', 'Reschedule the first', 'talkdesk'],
		['ameyoDemo0000001', 'Next three days', 'ameyo'],
	])('%s, executed from the editor, shows normalized callbacks', async (id, lastNode, provider) => {
		await editor.openWorkflow(id);
		await editor.executeWorkflow(lastNode);
		await editor.openNode(lastNode);
		await editor.screenshot(`${id}-output`);
		// The table view: one column per field of the normalized callback.
		const { columns, rows } = await editor.outputTable();
		const fields = Object.keys((callbackSchema as { properties: object }).properties);
		expect(columns).toEqual(expect.arrayContaining(fields));
		expect(rows.length).toBeGreaterThan(0);
		for (const row of rows) {
			const cell = (field: string) => row[columns.indexOf(field)];
			expect(cell('provider')).toBe(provider);
			expect(STATUSES).toContain(cell('status'));
			expect(cell('scheduledAt')).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
		}
		await editor.closeNode();
	});

	it('Fetch Test Event on the Callback Due trigger shows a callback', async () => {
		// One callback fell due a minute ago (ten minutes of lead time): the most recent match.
		const due = demo.sandbox.convoso.addCallback({
			callback_time: DateTime.now()
				.setZone('America/New_York')
				.plus({ minutes: 9 })
				.toFormat('yyyy-MM-dd HH:mm:ss'),
		});
		await editor.openWorkflow('convosoDueDemo01');
		await editor.openNode('Callback due soon');
		expect((await editor.notices()).join(' ')).toMatch(
			/most recent matching callback of the last day/,
		);
		expect(await editor.executeNode()).toMatch(/Fetch Test Event/i);
		await editor.screenshot('trigger-test-event');
		// The table view (the JSON view renders long outputs lazily, so its text may be partial).
		const { columns, rows } = await editor.outputTable();
		expect(rows).toHaveLength(1);
		expect(rows[0][columns.indexOf('id')]).toBe(String(due.id));
		expect(rows[0][columns.indexOf('provider')]).toBe('convoso');
		await editor.closeNode();
	});
});

describe('building a workflow from a blank canvas', () => {
	it('Manual Trigger, then Convoso → Schedule a callback with a lead picked from the list and a zone from the list, creates it', async () => {
		await editor.newWorkflow();
		await editor.addFirstStep('manual');
		await editor.searchNodeCreator('Convoso');
		await editor.nodeCreatorActions('Convoso');
		await editor.pickNodeCreatorAction('Schedule a callback');

		// The lead list comes from the sandbox; searching by name asks Convoso again.
		// A lead whose number places it in one zone: 14:00 there is inside calling hours.
		const zoneOf = (phone: string) => resolveCallee({ phone: `+1${phone}` })?.zones;
		const lead = demo.sandbox.convoso
			.leads()
			.find((l) => l.last_name === 'Smith' && zoneOf(l.phone_number)?.length === 1)!;
		const ringsAt = DateTime.fromISO('2026-12-20T14:00', { zone: zoneOf(lead.phone_number)![0] });
		const kathmandu = ringsAt.setZone('Asia/Kathmandu').toFormat("yyyy-MM-dd'T'HH:mm:ss");
		const entries = await editor.locatorEntries('leadId', `${lead.first_name} ${lead.last_name}`);
		expect(entries.some((entry) => entry.includes(`(ID ${lead.id})`))).toBe(true);
		await editor.pickLocatorEntry(`(ID ${lead.id})`);

		// The zone list is searchable; the Dispatch-style notices are absent here.
		expect(await editor.optionsMatching('timeZone', 'Kathm')).toEqual(['Asia/Kathmandu']);
		await editor.chooseOption('timeZone', 'Asia/Kathmandu');
		await editor.fillParameter('callbackTime', kathmandu);
		// Focus moves on, so the date picker closes before the screenshot.
		await editor.parameter('comments').locator('textarea').click();
		fs.copyFileSync(await editor.screenshot('create-callback-panel'), PANEL_SCREENSHOT);
		const before = demo.sandbox.convoso.callbacks().length;
		await editor.executeNode();
		await editor.screenshot('create-callback-output');
		const [created] = (await editor.outputJson()) as Array<Record<string, unknown>>;
		// The wall time in Kathmandu (+5:45) is the instant meant.
		expect(created).toMatchObject({
			provider: 'convoso',
			leadId: lead.id,
			scheduledAt: ringsAt.toUTC().toISO({ suppressMilliseconds: true }),
		});
		expect(DateTime.fromISO(kathmandu, { zone: 'Asia/Kathmandu' }).toMillis()).toBe(
			ringsAt.toMillis(),
		);
		expect(demo.sandbox.convoso.callbacks()).toHaveLength(before + 1);
		expect(demo.sandbox.convoso.getCallback(created.id as number)?.lead_id).toBe(lead.id);
		await editor.closeNode();
	});
});

/** The panel's notices once one matches (the panel re-renders after an operation change), or as they are after 10 s. */
async function noticeMatching(pattern: RegExp): Promise<string> {
	for (let attempt = 0; attempt < 50; attempt++) {
		const text = (await editor.notices()).join(' ');
		if (pattern.test(text)) return text;
		await page.waitForTimeout(200);
	}
	return (await editor.notices()).join(' ');
}

describe('parameter panels', () => {
	it("every Speko operation's panel opens, and Dispatch Now says it places a real call", async () => {
		await editor.newWorkflow();
		await editor.addFirstStep('manual');
		await editor.searchNodeCreator('Speko');
		await editor.nodeCreatorActions('Speko');
		await editor.pickNodeCreatorAction('Dispatch a callback now');
		expect((await editor.notices()).join(' ')).toMatch(/places a real phone call/);
		const entries = await editor.locatorEntries('callbackId');
		const scheduled = demo.sandbox.speko.callbacks().filter((c) => c.status === 'scheduled');
		expect(entries).toHaveLength(Math.min(scheduled.length, 100));
		await editor.screenshot('speko-dispatch-panel');
		for (const operation of new Speko().description.properties.find((p) => p.name === 'operation')!
			.options as Array<{ name: string }>) {
			await editor.chooseOption('operation', operation.name);
			await editor.screenshot(`speko-${operation.name.toLowerCase().replace(/ /g, '-')}`);
		}
		await editor.closeNode();
	});

	it("every Talkdesk operation's panel opens; Create says Preview, Dispatch Now says it places a real call", async () => {
		await editor.newWorkflow();
		await editor.addFirstStep('manual');
		await editor.searchNodeCreator('Talkdesk');
		await editor.nodeCreatorActions('Talkdesk');
		await editor.pickNodeCreatorAction('Cancel a callback');
		const entries = await editor.locatorEntries('callbackId');
		const pending = demo.sandbox.talkdesk
			.callbacks()
			.filter((c) => c.status === 'UNATTEMPTED' || c.status === 'TO_BE_RETRIED');
		expect(entries).toHaveLength(Math.min(pending.length, 500));
		const operations = new Talkdesk().description.properties.find((p) => p.name === 'operation')!
			.options as Array<{ name: string; value: string }>;
		for (const operation of operations) {
			await editor.chooseOption('operation', operation.name);
			await editor.screenshot(`talkdesk-${operation.value}`);
			if (operation.value === 'create')
				expect(await noticeMatching(/^Preview: /)).toMatch(/^Preview: /);
			if (operation.value === 'dispatch')
				expect(await noticeMatching(/places a real call right away/)).toMatch(
					/places a real call right away/,
				);
		}
		await editor.closeNode();
	});

	it("every Convoso operation's panel opens with its fields", async () => {
		await editor.newWorkflow();
		await editor.addFirstStep('manual');
		await editor.searchNodeCreator('Convoso');
		await editor.nodeCreatorActions('Convoso');
		await editor.pickNodeCreatorAction('Get a callback');
		const node = new Convoso();
		const operations = node.description.properties.find(
			(p) => p.name === 'operation' && p.displayOptions?.show?.resource?.includes('callback'),
		)!.options as Array<{ name: string; value: string }>;
		for (const operation of operations) {
			await editor.chooseOption('operation', operation.name);
			const fields = node.description.properties.filter(
				(p) =>
					p.displayOptions?.show?.operation?.includes(operation.value) &&
					p.displayOptions?.show?.resource?.includes('callback') &&
					!p.displayOptions?.show?.recipient &&
					!p.displayOptions?.show?.returnAll &&
					// Collections show an "Add" button until an option is added.
					!['collection', 'fixedCollection'].includes(p.type),
			);
			for (const field of fields) await editor.parameter(field.name).waitFor();
			await editor.screenshot(`convoso-${operation.value}`);
		}
		await editor.closeNode();
	});
});

describe('credential tests in the editor', () => {
	it.each([
		[
			'Convoso (sandbox)',
			'apiToken',
			'sandbox-convoso-token',
			/Convoso rejected the API token \(".+"\)\. Check the API token in the Convoso credential/,
		],
		[
			'Speko (sandbox)',
			'apiKey',
			'sk_test_sandbox_speko',
			/Speko rejected the API key \(HTTP 401\)\. Check the API key in the Speko credential/,
		],
		[
			'Talkdesk (sandbox)',
			'clientSecret',
			TALKDESK_CLIENT.secret,
			/Talkdesk refused the client ID and secret \(invalid_client\)/,
		],
		[
			'Ameyo (sandbox)',
			'password',
			AMEYO_SUPERVISOR.password,
			/Ameyo refused the login of ".+" \(HTTP 401.*\)\. Check the User ID and Password/,
		],
	])(
		"%s passes with the sandbox secret and fails with a wrong one, in the node's words",
		async (name, field, secret, failure) => {
			await editor.openCredential(name);
			const wrong = await editor.saveCredential({ [field]: 'wrong-secret-value' });
			await editor.screenshot(`credential-${field}-wrong`);
			expect(wrong.ok).toBe(false);
			expect(wrong.message).toMatch(failure);
			const right = await editor.saveCredential({ [field]: secret });
			await editor.screenshot(`credential-${field}-right`);
			expect(right).toMatchObject({ ok: true });
			await editor.closeCredential();
		},
	);
});
