/**
 * The Ameyo node against the sandbox, through n8n-core's real request path: the
 * credential's session login (preAuthentication), its reuse and its renewal when
 * Ameyo says the session expired (401, or 70201 inside a 500), the 500-as-empty bug,
 * and the requests Ameyo receives for every operation.
 */
import { AmeyoApi } from '../../credentials/AmeyoApi.credentials';
import { Ameyo } from '../../nodes/Ameyo/Ameyo.node';
import { runNode } from '../helpers/run-node';
import type { RunNodeResult } from '../helpers/run-node';
import { VirtualRuntime } from '../helpers/runtime';
import { AMEYO_SUPERVISOR } from '../sandbox/ameyo';
import { startSandbox } from '../sandbox/server';
import type { RecordedRequest, Sandbox } from '../sandbox/server';

const NOW = Date.parse('2026-06-01T12:00:00Z');
const LIST = '/ameyorestapi/voice/customerCallbacks/getFiltered';
const LOGIN = '/ameyorestapi/session/userLogin';
const ADD = '/ameyowebaccess/command/';

let sandbox: Sandbox;
let runtime = new VirtualRuntime(NOW);
/** One credential per test, as n8n keeps one: its session is reused from run to run. */
let shared: Record<string, unknown>;

beforeAll(async () => {
	sandbox = await startSandbox({ ameyo: { callbacks: 60 }, now: () => NOW });
});

afterAll(async () => {
	await sandbox.close();
});

beforeEach(() => {
	runtime = new VirtualRuntime(NOW);
	sandbox.clearRequests();
	sandbox.faults.clear();
	sandbox.ameyo.expireSessions();
	sandbox.ameyo.emptyAs500 = true;
	sandbox.ameyo.expiryStyle = '401';
	sandbox.ameyo.loginShape = 'both';
	shared = credentialsFor();
});

type Credentials = Record<string, unknown>;

function credentialsFor(extra: Credentials = {}, on: Sandbox = sandbox): Credentials {
	return {
		baseUrl: on.baseUrls.ameyo,
		userId: AMEYO_SUPERVISOR.userId,
		password: AMEYO_SUPERVISOR.password,
		countryCallingCode: '91',
		...extra,
	};
}

async function run(
	parameters: Record<string, unknown>,
	options: {
		items?: Array<Record<string, unknown>>;
		continueOnFail?: boolean;
		credentials?: Credentials;
	} = {},
): Promise<RunNodeResult> {
	return await runNode({
		nodeType: new Ameyo(runtime),
		credentialType: new AmeyoApi(),
		credentials: (options.credentials ?? shared) as never,
		parameters: { resource: 'callback', ...parameters } as never,
		items: options.items as never,
		continueOnFail: options.continueOnFail,
	});
}

const routed = (route: string, on: Sandbox = sandbox): RecordedRequest[] =>
	on.requests.filter((r) => r.provider === 'ameyo' && r.route === route);

/** No password or session id in what n8n keeps. */
function expectNoSecrets(result: RunNodeResult, credentials: Credentials) {
	const text = JSON.stringify({
		items: result.items,
		error: result.error && { message: result.error.message, description: result.error.description },
	});
	expect(text).not.toContain(AMEYO_SUPERVISOR.password);
	for (const request of sandbox.requests) {
		const session = request.headers.sessionid;
		if (session) expect(text).not.toContain(session);
	}
	if (typeof credentials.sessionId === 'string' && credentials.sessionId !== '')
		expect(text).not.toContain(credentials.sessionId);
}

describe('credential: the session', () => {
	it('logs in once with the documented body, sends the session as a header, and reuses it in the next execution', async () => {
		const credentials = credentialsFor();
		const first = await run({ operation: 'getMany', campaignId: 110, limit: 5 }, { credentials });
		expect(first.error).toBeUndefined();
		const second = await run({ operation: 'getMany', campaignId: 111, limit: 5 }, { credentials });
		expect(second.error).toBeUndefined();
		expect(routed(LOGIN)).toHaveLength(1);
		expect(routed(LOGIN)[0].json).toEqual({
			userId: AMEYO_SUPERVISOR.userId,
			token: AMEYO_SUPERVISOR.password,
			forceLogin: false,
			terminalInfo: 'n8n',
		});
		const sessions = new Set(routed(LIST).map((r) => r.headers.sessionid));
		expect(sessions).toEqual(new Set([credentials.sessionId]));
		expectNoSecrets(first, credentials);
	});

	it.each(['nested', 'flat'] as const)(
		'reads the session id from a %s login answer',
		async (shape) => {
			sandbox.ameyo.loginShape = shape;
			const credentials = credentialsFor();
			const result = await run(
				{ operation: 'getMany', campaignId: 110, limit: 1 },
				{ credentials },
			);
			expect(result.error).toBeUndefined();
			expect(routed(LIST)[0].headers.sessionid).toBe(credentials.sessionId);
		},
	);

	it('a wrong password fails with what to check, without the password', async () => {
		const wrong = 'not-the-password-913';
		const result = await run(
			{ operation: 'getMany', campaignId: 110, limit: 1 },
			{ credentials: credentialsFor({ password: wrong }) },
		);
		expect(result.error?.message).toContain('Ameyo refused the login');
		expect(result.error?.message).toContain('Check the User ID and Password');
		expect(JSON.stringify(result.error)).not.toContain(wrong);
		expect(routed(LIST)).toHaveLength(0);
	});

	it('another open session of the user is status 512; Force Login takes over', async () => {
		const open = await fetch(`${sandbox.baseUrls.ameyo}${LOGIN}`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ userId: AMEYO_SUPERVISOR.userId, token: AMEYO_SUPERVISOR.password }),
		});
		expect(open.status).toBe(200);
		const refused = await run({ operation: 'getMany', campaignId: 110, limit: 1 });
		expect(refused.error?.message).toContain('status 512');
		expect(refused.error?.message).toContain('Force Login');

		const forced = await run(
			{ operation: 'getMany', campaignId: 110, limit: 1 },
			{ credentials: credentialsFor({ forceLogin: true }) },
		);
		expect(forced.error).toBeUndefined();
		expect(routed(LOGIN).at(-1)?.json).toMatchObject({ forceLogin: true });
	});

	it.each(['401', '500'] as const)(
		'a session that expires mid-listing (signalled by %s) is renewed once; every callback arrives once',
		async (style) => {
			const big = await startSandbox({ ameyo: { callbacks: 0 }, now: () => NOW });
			try {
				big.ameyo.expiryStyle = style;
				big.ameyo.addCallbacks(2_500, (index) => ({
					campaignId: 110,
					callbackTime: NOW + index * 60_000,
				}));
				big.ameyo.expireSessionsAfter(1);
				const credentials = credentialsFor({}, big);
				const result = await runNode({
					nodeType: new Ameyo(runtime),
					credentialType: new AmeyoApi(),
					credentials: credentials as never,
					parameters: {
						resource: 'callback',
						operation: 'getMany',
						campaignId: 110,
						returnAll: true,
					} as never,
				});
				expect(result.error).toBeUndefined();
				expect(result.items).toHaveLength(2_500);
				expect(new Set(result.items.map((i) => i.json.id)).size).toBe(2_500);
				expect(routed(LOGIN, big)).toHaveLength(2);
				expect(routed(LIST, big).map((r) => r.query.offset)).toEqual(['0', '1000', '1000', '2000']);
				expect(big.ameyo.loginsIssued).toBe(2);
			} finally {
				await big.close();
			}
		},
	);

	it('a session Ameyo keeps refusing ends in an error that hides the echoed session id', async () => {
		const credentials = credentialsFor();
		expect(
			(await run({ operation: 'getMany', campaignId: 110, limit: 1 }, { credentials })).error,
		).toBeUndefined();
		const session = credentials.sessionId as string;
		// Ameyo ended the session, and refuses the next one too.
		sandbox.ameyo.expireSessions();
		sandbox.faults.add({
			provider: 'ameyo',
			route: LIST,
			type: 'status',
			status: 401,
			count: 2,
			body: {
				message: `invalid.authentication.token:${session}`,
				info: null,
				status: 401,
				errorCode: 70201,
			},
		});
		const result = await run({ operation: 'getMany', campaignId: 110, limit: 1 }, { credentials });
		expect(result.error?.message).toContain('invalid.authentication.token:[redacted]');
		expect(result.error?.message).not.toContain(session);
		expectNoSecrets(result, credentials);
	});
});

describe('Callback → Get Many', () => {
	it('pages 1,000 at a time until a short page, and normalizes', async () => {
		const big = await startSandbox({ ameyo: { callbacks: 0 }, now: () => NOW });
		try {
			big.ameyo.addCallbacks(2_345, (index) => ({
				campaignId: 111,
				dateAdded: NOW - (2_345 - index) * 1000,
				phone: '9812345678',
				customerId: index % 2 === 0 ? -1 : 4000 + index,
				callbackTime: NOW + (index + 1) * 60_000,
			}));
			const result = await runNode({
				nodeType: new Ameyo(runtime),
				credentialType: new AmeyoApi(),
				credentials: credentialsFor({}, big) as never,
				parameters: {
					resource: 'callback',
					operation: 'getMany',
					campaignId: 111,
					returnAll: true,
				} as never,
			});
			expect(result.error).toBeUndefined();
			expect(routed(LIST, big).map((r) => r.query)).toEqual([
				{ offset: '0', campaignId: '111', limit: '1000' },
				{ offset: '1000', campaignId: '111', limit: '1000' },
				{ offset: '2000', campaignId: '111', limit: '1000' },
			]);
			expect(result.items.map((i) => i.json.id)).toEqual(
				big.ameyo.callbacks(111).map((c) => c.customerCallbackId),
			);
			const [first, second] = result.items.map((i) => i.json);
			const raw = big.ameyo.callbacks(111)[0];
			expect(first).toMatchObject({
				provider: 'ameyo',
				status: 'scheduled',
				scheduledAt: new Date(raw.callbackTime).toISOString().replace('.000Z', 'Z'),
				createdAt: new Date(raw.dateAdded).toISOString().replace('.000Z', 'Z'),
				phone: '+919812345678',
				agentId: raw.userId,
				campaignId: 111,
				contactId: null,
			});
			expect(second.contactId).toBe(4001);
		} finally {
			await big.close();
		}
	});

	it('a page count that ends exactly on 1,000: the next page’s 500 is the end, not an error', async () => {
		const exact = await startSandbox({ ameyo: { callbacks: 0 }, now: () => NOW });
		try {
			exact.ameyo.addCallbacks(1_000, () => ({ campaignId: 110 }));
			const result = await runNode({
				nodeType: new Ameyo(runtime),
				credentialType: new AmeyoApi(),
				credentials: credentialsFor({}, exact) as never,
				parameters: {
					resource: 'callback',
					operation: 'getMany',
					campaignId: 110,
					returnAll: true,
				} as never,
			});
			expect(result.error).toBeUndefined();
			expect(result.items).toHaveLength(1_000);
			expect(routed(LIST, exact)).toHaveLength(2);
		} finally {
			await exact.close();
		}
	});

	it('an empty campaign (Ameyo answers 500 without a body) is an empty result', async () => {
		const result = await run({ operation: 'getMany', campaignId: 112, returnAll: true });
		expect(result.error).toBeUndefined();
		expect(result.items).toEqual([]);
	});

	it('a 500 that carries an error, or an HTML page, is an error: an outage is never "no callbacks"', async () => {
		sandbox.faults.add({ provider: 'ameyo', route: LIST, type: 'status', status: 500 });
		const json = await run({ operation: 'getMany', campaignId: 110, limit: 5 });
		expect(json.error).toMatchObject({ httpCode: '500' });
		sandbox.faults.add({ provider: 'ameyo', route: LIST, type: 'html', status: 500 });
		const html = await run({ operation: 'getMany', campaignId: 110, limit: 5 });
		expect(html.error?.message).toContain('HTML page');
	});

	it('applies the filters while pages arrive, and stops at the limit', async () => {
		const all = sandbox.ameyo.callbacks(110);
		const target = all[3];
		const byAgent = await run({
			operation: 'getMany',
			campaignId: 110,
			returnAll: true,
			filters: { agentId: target.userId },
		});
		expect(byAgent.items.map((i) => i.json.id)).toEqual(
			all.filter((c) => c.userId === target.userId).map((c) => c.customerCallbackId),
		);

		const from = new Date(NOW).toISOString();
		const to = new Date(NOW + 3 * 86_400_000).toISOString();
		const byTime = await run({
			operation: 'getMany',
			campaignId: 110,
			returnAll: true,
			filters: { callbackTimeFrom: from, callbackTimeTo: to, selfCallbacksOnly: true },
		});
		expect(byTime.items.map((i) => i.json.id)).toEqual(
			all
				.filter(
					(c) => c.selfCallback && c.callbackTime >= NOW && c.callbackTime <= NOW + 3 * 86_400_000,
				)
				.map((c) => c.customerCallbackId),
		);

		const national = all.find((c) => /^\d{10}$/.test(c.phone))!;
		const byPhone = await run({
			operation: 'getMany',
			campaignId: 110,
			returnAll: true,
			filters: { phoneNumber: `+91 ${national.phone}` },
		});
		expect(byPhone.items.map((i) => i.json.id)).toContain(national.customerCallbackId);

		sandbox.clearRequests();
		const limited = await run({ operation: 'getMany', campaignId: 110, limit: 2 });
		expect(limited.items).toHaveLength(2);
		expect(routed(LIST)).toHaveLength(1);
	});

	it('rejects bad input before any request, naming the field', async () => {
		const cases: Array<[Record<string, unknown>, string]> = [
			[{ campaignId: 0 }, 'Campaign ID'],
			[{ campaignId: 110, filters: { callbackTimeFrom: 'soon' } }, 'Callback Time From'],
			[{ campaignId: 110, filters: { phoneNumber: 'call me' } }, 'Phone Number'],
		];
		for (const [parameters, field] of cases) {
			const result = await run({ operation: 'getMany', ...parameters });
			expect(result.error?.name).toBe('NodeOperationError');
			expect(result.error?.description).toContain(`'${field}'`);
		}
		expect(routed(LIST)).toHaveLength(0);
	});
});

describe('Callback → Get', () => {
	it('reads the campaign until it finds the callback', async () => {
		const target = sandbox.ameyo.callbacks(110).at(-1)!;
		const result = await run({
			operation: 'get',
			campaignId: 110,
			callbackId: target.customerCallbackId,
		});
		expect(result.error).toBeUndefined();
		expect(result.items[0].json).toMatchObject({ id: target.customerCallbackId, campaignId: 110 });
	});

	it('says what it read when the callback is not there; Continue On Fail pairs items', async () => {
		const known = sandbox.ameyo.callbacks(110)[0].customerCallbackId;
		const result = await run(
			{ operation: 'get', campaignId: 110, callbackId: '={{ $json.id }}' },
			{ items: [{ id: 'no-such-callback' }, { id: known }], continueOnFail: true },
		);
		expect(result.items.map((i) => [i.json.id ?? i.json.error, i.pairedItem])).toEqual([
			[expect.stringContaining('No callback no-such-callback in Ameyo campaign 110'), { item: 0 }],
			[known, { item: 1 }],
		]);
		expect(result.items[0].json.description).toMatch(/callbacks were read \(1 request/);
	});
});

describe('Callback → Delete', () => {
	it('sends DELETE and reads Ameyo’s plain "ok"', async () => {
		const target = sandbox.ameyo.addCallback({ campaignId: 110 });
		const result = await run({ operation: 'delete', callbackId: target.customerCallbackId });
		expect(result.error).toBeUndefined();
		const path = `/ameyorestapi/voice/customerCallbacks/${target.customerCallbackId}`;
		expect(routed(path).map((r) => r.method)).toEqual(['DELETE']);
		expect(result.items[0].json).toEqual({
			id: target.customerCallbackId,
			provider: 'ameyo',
			deleted: true,
		});
		expect(sandbox.ameyo.getCallback(target.customerCallbackId)).toBeUndefined();
	});

	it('an unknown id is Ameyo’s 512 error, with its code', async () => {
		const result = await run({ operation: 'delete', callbackId: 'd741-0000-cm-nothing-00000' });
		expect(result.error).toMatchObject({ httpCode: '512' });
		expect(result.error?.message).toContain('callback.not.found');
	});
});

describe('Callback → Create (experimental)', () => {
	const create = (extra: Record<string, unknown> = {}) =>
		run({
			operation: 'create',
			campaignId: 110,
			phoneNumber: '98123 45678',
			callbackTime: '2026-06-02T09:00:00',
			timeZone: 'America/St_Johns',
			agentId: 'agent.rahul',
			selfCallback: true,
			customerId: '4711',
			...extra,
		});

	it('sends the legacy command with the time on the server’s clock, and outputs the new callback', async () => {
		const result = await create();
		expect(result.error).toBeUndefined();
		const [command] = routed(ADD);
		expect(command.method).toBe('POST');
		expect(command.query).toEqual({ command: 'addCallback' });
		const data = JSON.parse(command.form!.data) as Record<string, unknown>;
		// 09:00 in St. John's (NDT, -2:30) is 11:30 UTC, 17:00 in Kolkata (+5:30).
		expect(data).toEqual({
			sessionId: command.headers.sessionid,
			campaignId: 110,
			callBackTime: '2026-06-02 17:00:00',
			isSelfCallBack: 'true',
			userId: 'agent.rahul',
			callBackHandlerType: 'voice.campaign.callback.handler',
			callBackProperties: { phone: '9812345678', customerId: 4711 },
		});
		const item = result.items[0].json;
		expect(item).toMatchObject({
			provider: 'ameyo',
			scheduledAt: '2026-06-02T11:30:00Z',
			campaignId: 110,
		});
		const stored = sandbox.ameyo.getCallback(item.id as string)!;
		expect(stored.callbackTime).toBe(Date.parse('2026-06-02T11:30:00Z'));
		expect(JSON.stringify(result.items)).not.toContain(command.headers.sessionid);
	});

	it('can send epoch milliseconds instead', async () => {
		const result = await create({ timeFormat: 'epochMs', callbackTime: '2026-06-02T11:30:00Z' });
		expect(result.error).toBeUndefined();
		const data = JSON.parse(routed(ADD)[0].form!.data) as Record<string, unknown>;
		expect(data.callBackTime).toBe(Date.parse('2026-06-02T11:30:00Z'));
	});

	it('rejects bad input before any request', async () => {
		for (const [extra, field] of [
			[{ phoneNumber: 'none' }, 'Phone Number'],
			[{ callbackTime: '2026-05-01T09:00:00Z' }, 'Callback Time'],
			[{ callbackTime: '2026-03-08T02:30:00', timeZone: 'America/New_York' }, 'Callback Time'],
			[{ agentId: '' }, 'Agent (User ID)'],
		] as Array<[Record<string, unknown>, string]>) {
			const result = await create(extra);
			expect(result.error?.description).toContain(`'${field}'`);
		}
		expect(routed(ADD)).toHaveLength(0);
	});

	it('is not repeated when its answer is lost, and says to check first', async () => {
		sandbox.faults.add({ provider: 'ameyo', route: ADD, type: 'drop', afterProcessing: true });
		const result = await create();
		expect(result.error?.description).toContain('may have carried it out');
		expect(routed(ADD)).toHaveLength(1);
	});
});

describe('calling hours', () => {
	const create = (extra: Record<string, unknown>) =>
		run({
			operation: 'create',
			campaignId: 110,
			phoneNumber: '9812345678', // national: +91 with the credential's code, India's rules
			timeZone: 'Asia/Kolkata',
			agentId: 'agent.rahul',
			...extra,
		});

	it('refuse a callback at 21:30 in India before anything is sent', async () => {
		const result = await create({ callbackTime: '2026-06-02T21:30:00' });
		expect(result.error?.message).toBe(
			"Outside calling hours: it would ring at Tue 2026-06-02 21:30 in Asia/Kolkata, the callee's zone from the phone number; allowed: India (TRAI): 09:00-21:00",
		);
		expect(routed(ADD)).toHaveLength(0);
		expect(routed(LIST)).toHaveLength(0);
	});

	it('move it to 09:00 the next morning when asked', async () => {
		const result = await create({ callbackTime: '2026-06-02T21:30:00', callingHours: 'move' });
		expect(result.error).toBeUndefined();
		const data = JSON.parse(routed(ADD)[0].form!.data) as Record<string, unknown>;
		expect(data.callBackTime).toBe('2026-06-03 09:00:00');
		expect(result.items[0].json).toMatchObject({
			scheduledAt: '2026-06-03T03:30:00Z',
			details: expect.objectContaining({
				callingHours: expect.objectContaining({ to: '2026-06-03T03:30:00Z' }),
			}),
		});
	});

	it('a refused reschedule deletes nothing', async () => {
		const original = sandbox.ameyo.addCallback({ campaignId: 110, phone: '9800055566' });
		const result = await run({
			operation: 'update',
			campaignId: 110,
			callbackId: original.customerCallbackId,
			callbackTime: '2026-06-03T06:00:00',
			timeZone: 'Asia/Kolkata',
		});
		expect(result.error?.message).toContain('Outside calling hours');
		expect(sandbox.ameyo.getCallback(original.customerCallbackId)).toBeDefined();
		expect(sandbox.requests.some((r) => r.method === 'DELETE')).toBe(false);
	});
});

describe('Callback → Reschedule', () => {
	it('deletes, then creates at the new time; the output has the new and the old id', async () => {
		const original = sandbox.ameyo.addCallback({
			campaignId: 110,
			phone: '9800011122',
			userId: 'agent.meera',
		});
		const result = await run({
			operation: 'update',
			campaignId: 110,
			callbackId: original.customerCallbackId,
			callbackTime: '2026-06-03T10:00:00',
			timeZone: 'Asia/Kathmandu',
		});
		expect(result.error).toBeUndefined();
		const order = sandbox.requests
			.filter((r) => r.route !== LOGIN)
			.map(
				(r) => `${r.method} ${r.route === LIST ? 'list' : r.route === ADD ? 'add' : 'callback'}`,
			);
		expect(order.slice(-3)).toEqual(['DELETE callback', 'GET list', 'POST add']);
		const item = result.items[0].json as {
			id: string;
			scheduledAt: string;
			details: { previousId: string };
		};
		expect(item.details.previousId).toBe(original.customerCallbackId);
		expect(item.id).not.toBe(original.customerCallbackId);
		// 10:00 in Kathmandu (+5:45) is 04:15 UTC.
		expect(item.scheduledAt).toBe('2026-06-03T04:15:00Z');
		expect(sandbox.ameyo.getCallback(original.customerCallbackId)).toBeUndefined();
		expect(sandbox.ameyo.getCallback(item.id)).toMatchObject({
			phone: '9800011122',
			userId: 'agent.meera',
		});
	});

	it('when the new one cannot be created, the error gives the deleted callback’s details', async () => {
		const original = sandbox.ameyo.addCallback({ campaignId: 110, phone: '9800033344' });
		sandbox.faults.add({ provider: 'ameyo', route: ADD, type: 'status', status: 400 });
		const result = await run({
			operation: 'update',
			campaignId: 110,
			callbackId: original.customerCallbackId,
			callbackTime: '2026-06-03T10:00:00Z',
			timeZone: 'UTC',
		});
		expect(result.error?.message).toContain(`Callback ${original.customerCallbackId} was deleted`);
		expect(result.error?.description).toContain('9800033344');
		expect(result.error?.description).toContain(original.customerCallbackId);
	});
});

describe('description', () => {
	it('is usable as a tool, with the shared operation names', () => {
		const node = new Ameyo();
		expect(node.description.usableAsTool).toBe(true);
		const operations = node.description.properties.find((p) => p.name === 'operation')!;
		expect((operations.options as Array<{ value: string }>).map((o) => o.value)).toEqual([
			'create',
			'delete',
			'get',
			'getMany',
			'update',
		]);
	});
});
