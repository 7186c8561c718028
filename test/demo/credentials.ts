/**
 * Credentials the demo launcher imports into its n8n (`n8n import:credentials`
 * takes an array; a plain-object `data` is encrypted on import). They point
 * at the provider sandbox the launcher starts in-process.
 */

/** The token the sandbox's Convoso accepts (its default). */
export const SANDBOX_CONVOSO_TOKEN = 'sandbox-convoso-token';

/** Id and name the demo workflows reference in their nodes' `credentials`. */
export const CONVOSO_DEMO_CREDENTIAL = {
	id: 'convosoSandbox01',
	name: 'Convoso (sandbox)',
} as const;

/** Convoso's base URL in the sandbox started at `sandboxUrl`. */
export function convosoSandboxBaseUrl(sandboxUrl: string): string {
	return `${sandboxUrl.replace(/\/+$/, '')}/convoso/v1`;
}

export function demoCredentials(sandboxUrl: string): object[] {
	return [
		{
			id: CONVOSO_DEMO_CREDENTIAL.id,
			name: CONVOSO_DEMO_CREDENTIAL.name,
			type: 'convosoApi',
			data: {
				apiToken: SANDBOX_CONVOSO_TOKEN,
				baseUrl: convosoSandboxBaseUrl(sandboxUrl),
				accountTimezone: 'America/New_York',
				countryCallingCode: '1',
			},
		},
	];
}
