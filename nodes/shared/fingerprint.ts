import { createHash } from 'crypto';

/**
 * A short hash of the settings a token or session was obtained with. A credential
 * stores it beside the token; a stored token whose settings changed since is not
 * sent, so the next request (or a credential test) uses the settings as they are.
 * The secret itself never leaves the credential: only this hash is kept.
 */
export function settingsFingerprint(parts: readonly unknown[]): string {
	return createHash('sha256')
		.update(parts.map((part) => String(part ?? '').trim()).join('\n'))
		.digest('hex')
		.slice(0, 32);
}
