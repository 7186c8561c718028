/**
 * One renewal per expiry of a session kept in a credential's expirable field, however
 * many executions meet the expiry together: in one process (one login, the others
 * wait and use it), before the first use, and across processes (the provider refuses
 * a second session of the user; the process that lost the race uses the one stored).
 *
 * The world below stands in for n8n's credential store and its helper (a credential
 * whose expirable field is empty is logged in by preAuthentication, which stores the
 * new session before the request is sent) and for a provider that allows one
 * session per user. Every step yields to the event loop, so concurrent executions
 * interleave as they would on a busy process.
 */
import { NodeApiError } from 'n8n-workflow';
import type {
	IAdditionalCredentialOptions,
	ICredentialDataDecryptedObject,
	IDataObject,
	IHttpRequestOptions,
	INode,
	JsonObject,
} from 'n8n-workflow';

import {
	CLAIM_TTL_MS,
	claimToStore,
	RELEASED_CLAIM,
	RENEWAL_CLAIM,
	stopIfClaimOnly,
} from '../../nodes/shared/renewal';
import { defaultRetryPolicy } from '../../nodes/shared/retry';
import type { Runtime } from '../../nodes/shared/runtime';
import type {
	ProviderClient as Client,
	ProviderSpec,
	RequestContext,
} from '../../nodes/shared/transport';

type ClientClass = typeof Client;

/** Each "process" loads the transport on its own, with its own in-process state. */
function loadProcess(): ClientClass {
	let loaded: ClientClass | undefined;
	jest.isolateModules(() => {
		// eslint-disable-next-line @typescript-eslint/no-require-imports
		loaded = (require('../../nodes/shared/transport') as { ProviderClient: ClientClass })
			.ProviderClient;
	});
	return loaded!;
}

const yieldToOthers = async (turns = 1) => {
	for (let i = 0; i < turns; i++) await new Promise((resolve) => setImmediate(resolve));
};

const spec: ProviderSpec = {
	credentialType: 'testSessionApi',
	displayName: 'SessionProvider',
	secretFields: ['password', 'sessionId'],
	baseUrl: () => 'https://api.example.test',
	detectError: (response) =>
		response.statusCode >= 400
			? { httpCode: response.statusCode, message: `refused (${response.statusCode})` }
			: undefined,
	renewal: { statuses: [401], expirableField: 'sessionId' },
};

const node: INode = {
	id: 'node-1',
	name: 'Callbacks',
	type: 'n8n-nodes-callbacks.test',
	typeVersion: 1,
	position: [0, 0],
	parameters: {},
	credentials: { testSessionApi: { id: 'shared-credential', name: 'Shared' } },
};

class World {
	/** The credential as n8n stores it (one row for every process). */
	stored: ICredentialDataDecryptedObject = { password: 'pw-Secret-1', sessionId: '' };
	/** The one session the provider allows this user. */
	live: string | undefined;
	logins = 0;
	refusedLogins = 0;
	/** The session each API request carried. */
	sent: string[] = [];
	/** Claims stored by requests that went no further. */
	claimsRecorded: string[] = [];
	private sessions = 0;

	expire() {
		this.live = undefined;
	}

	async login(): Promise<string> {
		await yieldToOthers(2);
		if (this.live !== undefined) {
			this.refusedLogins++;
			throw new Error('Cannot Generate Token: user already logged in');
		}
		this.logins++;
		this.live = `session-${++this.sessions}`;
		return this.live;
	}

	/** One execution's context on some process. */
	context(): RequestContext {
		return contextIn(this);
	}
}

function contextIn(world: World): RequestContext {
	return {
		getNode: () => node,
		getCredentials: async () => {
			await yieldToOthers();
			return { ...world.stored };
		},
		logger: { info: () => {}, warn: () => {}, debug: () => {}, error: () => {} },
		helpers: {
			async httpRequestWithAuthentication(
				_type: string,
				_options: IHttpRequestOptions,
				credentialOptions?: IAdditionalCredentialOptions,
			) {
				const data = { ...(credentialOptions?.credentialsDecrypted?.data ?? world.stored) };
				if (data.sessionId === '') {
					// n8n's preAuthentication: log in (or, asked to, only record a claim as the
					// package's credentials do), store, then authenticate and send.
					const claim = claimToStore(data, 'sessionId');
					let output: IDataObject;
					try {
						output = claim ?? { sessionId: await world.login(), [RENEWAL_CLAIM]: '' };
					} catch (error) {
						throw new NodeApiError(node, error as JsonObject);
					}
					await yieldToOthers();
					world.stored = { ...world.stored, ...(output as ICredentialDataDecryptedObject) };
					Object.assign(data, output);
					try {
						stopIfClaimOnly(data);
					} catch (error) {
						world.claimsRecorded.push(String(output[RENEWAL_CLAIM]));
						throw new NodeApiError(node, error as JsonObject);
					}
				}
				await yieldToOthers();
				world.sent.push(String(data.sessionId));
				const valid = data.sessionId === world.live;
				return {
					statusCode: valid ? 200 : 401,
					headers: {},
					body: valid ? '{"ok":true}' : '{"message":"session expired"}',
				};
			},
		},
	} as unknown as RequestContext;
}

let clock = 0;
const runtime: Runtime = {
	retryPolicy: { ...defaultRetryPolicy },
	timeoutMs: 1000,
	sleep: async (ms) => {
		clock += ms;
		await yieldToOthers(3);
	},
	yieldToIo: async () => {},
	now: () => clock,
	elapsed: () => clock,
	random: () => 0.5,
};

const get = { method: 'GET' as const, url: '/items', idempotent: true };

/** `count` executions at once on a process: each its own client, as n8n runs them. */
async function burst(Process: ClientClass, world: World, count: number) {
	return await Promise.allSettled(
		Array.from({ length: count }, async () => {
			const client = new Process(world.context(), spec, runtime);
			return (await client.request(get)).statusCode;
		}),
	);
}

const statuses = (results: Array<PromiseSettledResult<number>>) =>
	results.map((result) => (result.status === 'fulfilled' ? result.value : 'failed'));

describe('renewing a session once per expiry', () => {
	it('first use: twelve executions of one process log in once and all use that session', async () => {
		const world = new World();
		const results = await burst(loadProcess(), world, 12);
		expect(statuses(results)).toEqual(Array(12).fill(200));
		// One login attempt: the others waited for it.
		expect([world.logins, world.refusedLogins]).toEqual([1, 0]);
		expect(new Set(world.sent)).toEqual(new Set(['session-1']));
	});

	it('an expiry met by twelve executions at once: one login, each request repeated once', async () => {
		const world = new World();
		const Process = loadProcess();
		await burst(Process, world, 1);
		world.expire();
		const results = await burst(Process, world, 12);
		expect(statuses(results)).toEqual(Array(12).fill(200));
		expect([world.logins, world.refusedLogins]).toEqual([2, 0]);
		expect(world.sent.filter((s) => s === 'session-1')).toHaveLength(1 + 12);
		expect(world.sent.filter((s) => s === 'session-2')).toHaveLength(12);
	});

	it('a session another process stored meanwhile is used, not renewed again', async () => {
		const world = new World();
		const Process = loadProcess();
		await burst(Process, world, 1);
		// The other process renewed: its session is live and stored.
		world.live = 'session-elsewhere';
		world.stored = { ...world.stored, sessionId: 'session-elsewhere' };
		const client = new Process(world.context(), spec, runtime);
		// This client read the credential before the other process renewed it.
		(client as unknown as { credentialsRead: Promise<object> }).credentialsRead = Promise.resolve({
			password: 'pw-Secret-1',
			sessionId: 'session-1',
		});
		expect((await client.request(get)).statusCode).toBe(200);
		expect(world.logins).toBe(1);
		expect(world.sent.slice(1)).toEqual(['session-1', 'session-elsewhere']);
	});

	it('a stored session that expired as well (this execution read an older one) is renewed, once', async () => {
		const world = new World();
		const Process = loadProcess();
		await burst(Process, world, 1);
		// Another execution renewed to session-2 earlier; that one has expired too by now.
		world.stored = { ...world.stored, sessionId: 'session-2-expired' };
		world.expire();
		const client = new Process(world.context(), spec, runtime);
		(client as unknown as { credentialsRead: Promise<object> }).credentialsRead = Promise.resolve({
			password: 'pw-Secret-1',
			sessionId: 'session-1',
		});
		expect((await client.request(get)).statusCode).toBe(200);
		expect(world.sent.slice(1)).toEqual(['session-1', 'session-2-expired', 'session-2']);
		expect([world.logins, world.refusedLogins]).toEqual([2, 0]);
	});

	it('two processes meeting the expiry together: one session opened, the other process uses it', async () => {
		const world = new World();
		const [first, second] = [loadProcess(), loadProcess()];
		await burst(first, world, 1);
		world.expire();
		const results = await Promise.all([burst(first, world, 6), burst(second, world, 6)]);
		expect(statuses(results.flat())).toEqual(Array(12).fill(200));
		// One session for the user; at most one attempt per process.
		expect(world.logins).toBe(2);
		expect(world.refusedLogins).toBeLessThanOrEqual(1);
		expect(new Set(world.sent.slice(1 + 12))).toEqual(new Set(['session-2']));
	});

	it('a login that fails for good fails every waiting execution, once, without the password', async () => {
		const world = new World();
		const Process = loadProcess();
		await burst(Process, world, 1);
		world.expire();
		// Another holder keeps the user's only session and never stores it here.
		world.live = 'session-held-elsewhere';
		const started = clock;
		const results = await burst(Process, world, 4);
		expect(statuses(results)).toEqual(Array(4).fill('failed'));
		const error = (results[0] as PromiseRejectedResult).reason as NodeApiError;
		// (The process's own copy of n8n-workflow: the same class, loaded apart.)
		expect(error.constructor.name).toBe('NodeApiError');
		expect(`${error.message} ${error.description ?? ''}`).not.toContain('pw-Secret-1');
		// One login attempt for the four, and the wait for another process's session is bounded.
		expect(world.refusedLogins).toBe(1);
		expect(clock - started).toBeLessThanOrEqual(5_000);
	});
});

describe('across processes, the credential records who renews (credentials that record claims)', () => {
	const claiming: ProviderSpec = { ...spec, renewal: { ...spec.renewal, recordsClaims: true } };
	/**
	 * A sleep lets the other processes run on for about as long (a step per 10 ms);
	 * each claim draws its own number.
	 */
	let draws = 0;
	const settlingRuntime: Runtime = {
		...runtime,
		random: () => (++draws * 0.618_033_988_7) % 1,
		sleep: async (ms) => {
			clock += ms;
			await yieldToOthers(Math.ceil(ms / 10));
		},
	};
	const burstOn = async (Process: ClientClass, world: World, count: number) =>
		await Promise.allSettled(
			Array.from({ length: count }, async () => {
				const client = new Process(world.context(), claiming, settlingRuntime);
				return (await client.request(get)).statusCode;
			}),
		);
	const threeProcesses = () => [loadProcess(), loadProcess(), loadProcess()];

	it('first use on three processes at once: one login, no refused one, every execution served', async () => {
		const world = new World();
		const results = await Promise.all(threeProcesses().map((p) => burstOn(p, world, 4)));
		expect(statuses(results.flat())).toEqual(Array(12).fill(200));
		expect([world.logins, world.refusedLogins]).toEqual([1, 0]);
		// Each process recorded one claim (its renewing request's), no request carried one out.
		expect(world.claimsRecorded).toHaveLength(3);
		expect(world.sent.every((sent) => sent === 'session-1')).toBe(true);
		expect(world.stored[RENEWAL_CLAIM]).toBe('');
	});

	it('an expiry met on three processes at once: one more login, none refused', async () => {
		const world = new World();
		const processes = threeProcesses();
		await burstOn(processes[0], world, 1);
		world.expire();
		const results = await Promise.all(processes.map((p) => burstOn(p, world, 4)));
		expect(statuses(results.flat())).toEqual(Array(12).fill(200));
		expect([world.logins, world.refusedLogins]).toEqual([2, 0]);
		expect(new Set(world.sent.slice(1 + 12))).toEqual(new Set(['session-2']));
	});

	it('a claim older than its time to live is passed over: the renewal does not wait for it', async () => {
		const world = new World();
		world.stored[RENEWAL_CLAIM] = `${clock - CLAIM_TTL_MS - 1}:abandoned`;
		const started = clock;
		expect(statuses(await burstOn(loadProcess(), world, 1))).toEqual([200]);
		expect(world.logins).toBe(1);
		// Only the settling of its own claim.
		expect(clock - started).toBe(1_000);
	});

	it('a live claim whose process never renews: waited for within a bound, then renewed here', async () => {
		const world = new World();
		world.stored[RENEWAL_CLAIM] = `${clock}:elsewhere`;
		const started = clock;
		expect(statuses(await burstOn(loadProcess(), world, 2))).toEqual([200, 200]);
		expect([world.logins, world.refusedLogins]).toEqual([1, 0]);
		expect(world.claimsRecorded).toEqual([]);
		expect(clock - started).toBeGreaterThanOrEqual(15_000);
		expect(clock - started).toBeLessThanOrEqual(16_000);
	});

	it('a renewal that fails releases its claim: the next attempt, on another process, does not wait for it', async () => {
		const world = new World();
		const [first, second] = [loadProcess(), loadProcess()];
		await burstOn(first, world, 1);
		world.expire();
		world.live = 'session-held-elsewhere';
		expect(statuses(await burstOn(first, world, 2))).toEqual(['failed', 'failed']);
		expect(world.claimsRecorded.at(-1)).toBe(RELEASED_CLAIM);
		expect(world.stored[RENEWAL_CLAIM]).toBe(RELEASED_CLAIM);
		// The session is free again: the other process claims and logs in without waiting
		// for the released claim.
		world.live = undefined;
		const started = clock;
		expect(statuses(await burstOn(second, world, 1))).toEqual([200]);
		expect(clock - started).toBe(1_000);
		expect(world.logins).toBe(2);
	});
});
