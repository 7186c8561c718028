/**
 * Credentials the demo launcher imports into its n8n (`n8n import:credentials`
 * takes an array; a plain-object `data` is encrypted on import). They point at
 * the provider sandbox the launcher starts in-process.
 */

import { AMEYO_SUPERVISOR } from '../sandbox/ameyo';
import { TALKDESK_CLIENT } from '../sandbox/talkdesk';

/** The secrets the sandbox accepts (its defaults): fake, for the sandbox only. */
export const SANDBOX_CONVOSO_TOKEN = 'sandbox-convoso-token';
export const SANDBOX_SPEKO_KEY = 'sk_test_sandbox_speko';

/** Ids and names the demo workflows reference in their nodes' `credentials`. */
export const CONVOSO_DEMO_CREDENTIAL = {
	id: 'convosoSandbox01',
	name: 'Convoso (sandbox)',
} as const;
export const SPEKO_DEMO_CREDENTIAL = { id: 'spekoSandbox0001', name: 'Speko (sandbox)' } as const;
export const AMEYO_DEMO_CREDENTIAL = { id: 'ameyoSandbox00001', name: 'Ameyo (sandbox)' } as const;
export const TALKDESK_DEMO_CREDENTIAL = {
	id: 'talkdeskSandbox01',
	name: 'Talkdesk (sandbox)',
} as const;

/** The OpenAI credential of the example agent workflow: the demo's scripted model on loopback. */
export const OPENAI_DEMO_CREDENTIAL = {
	id: 'openAiDemoModel01',
	name: 'OpenAI (demo: scripted model)',
} as const;

/**
 * The OpenAI credential pointed at an OpenAI-compatible server (`baseUrl` ends in /v1).
 * With a real OpenAI account: your API key and https://api.openai.com/v1.
 */
export function demoModelCredential(baseUrl: string, apiKey: string): object {
	return { ...OPENAI_DEMO_CREDENTIAL, type: 'openAiApi', data: { apiKey, url: baseUrl } };
}

/** Convoso's base URL in the sandbox started at `sandboxUrl`. */
export function convosoSandboxBaseUrl(sandboxUrl: string): string {
	return `${sandboxUrl.replace(/\/+$/, '')}/convoso/v1`;
}

/** Speko's base URL in the sandbox started at `sandboxUrl`. */
export function spekoSandboxBaseUrl(sandboxUrl: string): string {
	return `${sandboxUrl.replace(/\/+$/, '')}/speko`;
}

/** Talkdesk's API base URL and token URL in the sandbox started at `sandboxUrl`. */
export function talkdeskSandboxUrls(sandboxUrl: string): { api: string; token: string } {
	const root = `${sandboxUrl.replace(/\/+$/, '')}/talkdesk`;
	return { api: `${root}/api`, token: `${root}/id/oauth/token` };
}

/** Ameyo's server in the sandbox started at `sandboxUrl`. */
export function ameyoSandboxBaseUrl(sandboxUrl: string): string {
	return `${sandboxUrl.replace(/\/+$/, '')}/ameyo`;
}

export function demoCredentials(sandboxUrl: string): object[] {
	return [
		{
			...CONVOSO_DEMO_CREDENTIAL,
			type: 'convosoApi',
			data: {
				apiToken: SANDBOX_CONVOSO_TOKEN,
				baseUrl: convosoSandboxBaseUrl(sandboxUrl),
				accountTimezone: 'America/New_York',
				countryCallingCode: '1',
			},
		},
		{
			...SPEKO_DEMO_CREDENTIAL,
			type: 'spekoApi',
			data: { apiKey: SANDBOX_SPEKO_KEY, baseUrl: spekoSandboxBaseUrl(sandboxUrl) },
		},
		{
			...TALKDESK_DEMO_CREDENTIAL,
			type: 'talkdeskApi',
			data: {
				region: 'custom',
				apiBaseUrl: talkdeskSandboxUrls(sandboxUrl).api,
				tokenUrl: talkdeskSandboxUrls(sandboxUrl).token,
				clientId: TALKDESK_CLIENT.id,
				clientSecret: TALKDESK_CLIENT.secret,
				scopes: 'schedule-callbacks:read schedule-callbacks:write callback:write',
			},
		},
		{
			...AMEYO_DEMO_CREDENTIAL,
			type: 'ameyoApi',
			data: {
				baseUrl: ameyoSandboxBaseUrl(sandboxUrl),
				userId: AMEYO_SUPERVISOR.userId,
				password: AMEYO_SUPERVISOR.password,
				countryCallingCode: '91',
			},
		},
	];
}
