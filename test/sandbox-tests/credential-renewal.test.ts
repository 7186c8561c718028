/**
 * Credential renewal through n8n-core's real authentication path: an OAuth2
 * client-credentials credential (n8n-core fetches and refreshes the token) and a
 * preAuthentication credential with an expirable session (n8n-core logs in again).
 * A small API on loopback expires the token or session while a listing is on page 3;
 * the listing must renew exactly once and complete with nothing missing or doubled.
 */
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

import { NodeConnectionTypes } from 'n8n-workflow';
import type {
	ICredentialDataDecryptedObject,
	ICredentialType,
	IDataObject,
	IExecuteFunctions,
	IHttpRequestHelper,
	INodeType,
} from 'n8n-workflow';

import { executeResources } from '../../nodes/shared/actions';
import { linkedPages } from '../../nodes/shared/pagination';
import type { ProviderSpec } from '../../nodes/shared/transport';
import { runNode } from '../helpers/run-node';
import { VirtualRuntime } from '../helpers/runtime';

const CLIENT_ID = 'client-renewal';
const SANDBOX_CLIENT_CODE = 'sandbox-client-RENEWAL-98765';
const LOGIN_WORD = 'password-RENEWAL-4321';
const PAGES = 5;
const PER_PAGE = 3;

/** How the API signals an expired token or session. */
type Expiry = 'status-401' | 'body-500';

interface Seen {
	method: string;
	path: string;
	authorization?: string;
	session?: string;
}

/** A paged API (HAL-style absolute next links) behind a token or a session. */
class RenewalApi {
	readonly seen: Seen[] = [];
	tokensIssued = 0;
	loginsIssued = 0;
	/** The page whose first request finds the credential expired. */
	expireOnPage = 3;
	expiry: Expiry = 'status-401';
	/** Renewal never helps: every listing request is refused. */
	alwaysRefuse = false;
	private current?: string;
	private expired = false;
	private server?: Server;
	url = '';

	async start(): Promise<void> {
		this.server = createServer((request, response) => {
			void this.handle(request, response);
		});
		await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
		this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
	}

	async stop(): Promise<void> {
		await new Promise<void>((resolve) => this.server!.close(() => resolve()));
	}

	reset(): void {
		this.seen.length = 0;
		this.tokensIssued = 0;
		this.loginsIssued = 0;
		this.current = undefined;
		this.expired = false;
		this.expiry = 'status-401';
		this.alwaysRefuse = false;
	}

	private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
		const chunks: Buffer[] = [];
		for await (const chunk of request) chunks.push(chunk as Buffer);
		const body = Buffer.concat(chunks).toString();
		const url = new URL(request.url ?? '/', this.url);
		this.seen.push({
			method: request.method ?? '',
			path: `${url.pathname}${url.search}`,
			authorization: request.headers.authorization,
			session: request.headers.sessionid as string | undefined,
		});
		const send = (status: number, payload: unknown) => {
			response.writeHead(status, { 'content-type': 'application/json' });
			response.end(JSON.stringify(payload));
		};

		if (url.pathname === '/oauth/token') {
			const basic = Buffer.from(`${CLIENT_ID}:${SANDBOX_CLIENT_CODE}`).toString('base64');
			const form = new URLSearchParams(body);
			if (request.headers.authorization !== `Basic ${basic}`)
				return send(401, { error: 'invalid_client' });
			if (form.get('grant_type') !== 'client_credentials')
				return send(400, { error: 'unsupported_grant_type' });
			this.tokensIssued++;
			this.current = `token-${this.tokensIssued}`;
			return send(200, { access_token: this.current, token_type: 'bearer', expires_in: 3600 });
		}
		if (url.pathname === '/session/login') {
			const login = JSON.parse(body) as IDataObject;
			if (login.password !== LOGIN_WORD) return send(401, { error: 'bad login' });
			this.loginsIssued++;
			this.current = `session-${this.loginsIssued}`;
			return send(200, { sessionId: this.current });
		}
		if (url.pathname === '/items') {
			const presented =
				request.headers.authorization?.replace(/^Bearer /i, '') ??
				(request.headers.sessionid as string | undefined);
			const page = Number(url.searchParams.get('page') ?? '1');
			if (page === this.expireOnPage && !this.expired) {
				this.expired = true;
				this.current = undefined; // the token or session in use is no longer valid
			}
			if (this.alwaysRefuse || presented === undefined || presented !== this.current) {
				return this.expiry === 'status-401'
					? send(401, { message: `credential ${presented} is not valid`, code: 'EXPIRED' })
					: send(500, { message: `Session expired: ${presented}`, code: 70201 });
			}
			const items = Array.from({ length: PER_PAGE }, (_, i) => ({
				id: (page - 1) * PER_PAGE + i + 1,
			}));
			const next = page < PAGES ? `${this.url}/items?page=${page + 1}` : undefined;
			return send(200, { items, _links: next ? { next: { href: next } } : {} });
		}
		send(404, { message: 'no such route' });
	}
}

/** Client credentials, the way a Talkdesk-style credential builds on n8n's OAuth2. */
class TestClientCredentialsApi implements ICredentialType {
	name = 'testClientCredentialsApi';
	displayName = 'Test Client Credentials API';
	extends = ['oAuth2Api'];
	properties: ICredentialType['properties'] = [
		{ displayName: 'Grant Type', name: 'grantType', type: 'hidden', default: 'clientCredentials' },
		{ displayName: 'Access Token URL', name: 'accessTokenUrl', type: 'string', default: '' },
		{ displayName: 'Client ID', name: 'clientId', type: 'string', default: '' },
		{
			displayName: 'Client Secret',
			name: 'clientSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
		},
		{ displayName: 'Scope', name: 'scope', type: 'hidden', default: 'items:read' },
		{ displayName: 'Authentication', name: 'authentication', type: 'hidden', default: 'header' },
		{ displayName: 'Base URL', name: 'baseUrl', type: 'string', default: '' },
	];
}

/** A session login, the way an Ameyo-style credential renews its session. */
class TestSessionApi implements ICredentialType {
	name = 'testSessionApi';
	displayName = 'Test Session API';
	properties: ICredentialType['properties'] = [
		{ displayName: 'Base URL', name: 'baseUrl', type: 'string', default: '' },
		{
			displayName: 'Password',
			name: 'password',
			type: 'string',
			typeOptions: { password: true },
			default: '',
		},
		{
			displayName: 'Session ID',
			name: 'sessionId',
			type: 'hidden',
			typeOptions: { expirable: true },
			default: '',
		},
	];

	async preAuthentication(this: IHttpRequestHelper, credentials: ICredentialDataDecryptedObject) {
		const answer = (await this.helpers.httpRequest({
			method: 'POST',
			url: `${credentials.baseUrl}/session/login`,
			body: { userId: 'supervisor', password: credentials.password },
			json: true,
		})) as IDataObject;
		return { sessionId: answer.sessionId as string };
	}

	authenticate: ICredentialType['authenticate'] = {
		type: 'generic',
		properties: { headers: { sessionId: '={{$credentials.sessionId}}' } },
	};
}

function specFor(credentialType: string, expiry: Expiry): ProviderSpec {
	return {
		credentialType,
		displayName: 'RenewalApi',
		secretFields: ['clientSecret', 'password', 'sessionId'],
		baseUrl: (credentials) => String(credentials.baseUrl),
		detectError: (response) =>
			response.statusCode >= 400
				? {
						httpCode: response.statusCode,
						code: (response.body as IDataObject | undefined)?.code as string,
						message: `RenewalApi error: ${(response.body as IDataObject | undefined)?.message}`,
					}
				: undefined,
		renewal:
			expiry === 'status-401'
				? { statuses: [401] }
				: {
						statuses: [401],
						expirableField: 'sessionId',
						isExpired: (response) => (response.body as IDataObject | undefined)?.code === 70201,
					},
	};
}

/** A one-operation node that lists every item by following the API's next links. */
function listingNode(spec: ProviderSpec): INodeType {
	const execute = executeResources(
		[
			{
				name: 'Item',
				value: 'item',
				defaultOperation: 'getMany',
				operations: [
					{
						name: 'Get Many',
						value: 'getMany',
						action: 'Get many items',
						description: 'Every item',
						properties: [],
						async execute(this: IExecuteFunctions, itemIndex, client) {
							const items: IDataObject[] = [];
							const pages = linkedPages(async (link) => {
								const body = await client.body(
									{ method: 'GET', url: link ?? '/items?page=1', idempotent: true },
									itemIndex,
								);
								const next = (body._links as IDataObject)?.next as IDataObject | undefined;
								return {
									items: body.items as IDataObject[],
									next: next?.href as string | undefined,
								};
							});
							for await (const page of pages) items.push(...page);
							return items;
						},
					},
				],
			},
		],
		spec,
		new VirtualRuntime(),
	);
	return {
		description: {
			displayName: 'Renewal Test',
			name: 'renewalTest',
			group: ['transform'],
			version: 1,
			description: 'Lists items',
			defaults: { name: 'Renewal Test' },
			inputs: [NodeConnectionTypes.Main],
			outputs: [NodeConnectionTypes.Main],
			credentials: [{ name: spec.credentialType, required: true }],
			properties: [
				{ displayName: 'Resource', name: 'resource', type: 'hidden', default: 'item' },
				{ displayName: 'Operation', name: 'operation', type: 'hidden', default: 'getMany' },
			],
		},
		execute,
	};
}

const api = new RenewalApi();
const allIds = Array.from({ length: PAGES * PER_PAGE }, (_, i) => i + 1);
const listingPaths = () => api.seen.filter((s) => s.path.startsWith('/items')).map((s) => s.path);

beforeAll(async () => await api.start());
afterAll(async () => await api.stop());
beforeEach(() => api.reset());

describe('OAuth2 client credentials (n8n-core fetches and refreshes the token)', () => {
	const run = () =>
		runNode({
			nodeType: listingNode(specFor('testClientCredentialsApi', 'status-401')),
			credentialType: new TestClientCredentialsApi(),
			credentials: {
				accessTokenUrl: `${api.url}/oauth/token`,
				clientId: CLIENT_ID,
				clientSecret: SANDBOX_CLIENT_CODE,
				baseUrl: api.url,
			},
			parameters: {},
		});

	it('a 401 on page 3 leads to exactly one new token, and the listing completes with nothing missing or doubled', async () => {
		const result = await run();
		expect(result.error).toBeUndefined();
		expect(result.items.map((item) => item.json.id)).toEqual(allIds);
		expect(api.tokensIssued).toBe(2);
		expect(listingPaths()).toEqual([
			'/items?page=1',
			'/items?page=2',
			'/items?page=3',
			'/items?page=3',
			'/items?page=4',
			'/items?page=5',
		]);
		const listing = api.seen.filter((s) => s.path.startsWith('/items'));
		expect(listing.slice(0, 3).map((s) => s.authorization)).toEqual(
			Array(3).fill('Bearer token-1'),
		);
		expect(listing.slice(3).map((s) => s.authorization)).toEqual(Array(3).fill('Bearer token-2'));
		// The token request: HTTP Basic client authentication and a form body.
		const tokenRequests = api.seen.filter((s) => s.path === '/oauth/token');
		expect(tokenRequests).toHaveLength(2);
		expect(tokenRequests[0].authorization).toMatch(/^Basic /);
	});

	it('a token that renewal does not cure fails once renewed, as a provider error without secrets', async () => {
		api.alwaysRefuse = true;
		const result = await run();
		expect(result.error?.message).toMatch(/^RenewalApi error: credential .* is not valid$/);
		expect(result.error?.httpCode).toBe('401');
		expect(api.tokensIssued).toBe(2);
		expect(listingPaths()).toEqual(['/items?page=1', '/items?page=1']);
		expect(JSON.stringify(result.error)).not.toContain(SANDBOX_CLIENT_CODE);
	});
});

describe('preAuthentication session (n8n-core logs in again)', () => {
	const run = (expiry: Expiry) =>
		runNode({
			nodeType: listingNode(specFor('testSessionApi', expiry)),
			credentialType: new TestSessionApi(),
			credentials: { baseUrl: api.url, password: LOGIN_WORD },
			parameters: {},
		});

	it.each<Expiry>(['status-401', 'body-500'])(
		'an expired session on page 3 (%s) leads to exactly one new login, and the listing completes',
		async (expiry) => {
			api.expiry = expiry;
			const result = await run(expiry);
			expect(result.error).toBeUndefined();
			expect(result.items.map((item) => item.json.id)).toEqual(allIds);
			expect(api.loginsIssued).toBe(2);
			const listing = api.seen.filter((s) => s.path.startsWith('/items'));
			expect(listing.map((s) => s.path)).toEqual([
				'/items?page=1',
				'/items?page=2',
				'/items?page=3',
				'/items?page=3',
				'/items?page=4',
				'/items?page=5',
			]);
			expect(listing.map((s) => s.session)).toEqual([
				'session-1',
				'session-1',
				'session-1',
				'session-2',
				'session-2',
				'session-2',
			]);
		},
	);

	it.each<Expiry>(['status-401', 'body-500'])(
		'a session that a new login does not cure (%s) fails after one renewal, without the session id',
		async (expiry) => {
			api.expiry = expiry;
			api.alwaysRefuse = true;
			const result = await run(expiry);
			expect(result.error).toBeDefined();
			expect(api.loginsIssued).toBe(2);
			expect(listingPaths()).toEqual(['/items?page=1', '/items?page=1']);
			const text = `${result.error?.message} ${result.error?.description ?? ''}`;
			expect(text).not.toMatch(/session-\d/);
			expect(text).not.toContain(LOGIN_WORD);
		},
	);
});
