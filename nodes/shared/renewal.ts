import type { ICredentialDataDecryptedObject, IDataObject, INodeProperties } from 'n8n-workflow';

/**
 * Renewing a token or session that a credential keeps in its expirable field, once
 * per expiry however many executions meet it at the same time.
 *
 * n8n renews such a credential inside each request that meets the expiry, with no
 * coordination: twelve executions meeting an expired Ameyo session log in twelve
 * times, and with one session per user all but one then fail. So the package renews
 * itself: before renewing it reads the stored credential again (another execution,
 * on this or another process, may have stored a new session already), and in one
 * process only one request renews while the others wait for it and use what it
 * stored. Across processes (queue mode) the credential itself is the lock: the
 * renewing request of each process first records a claim in it, waits a moment, and
 * renews only if its claim is the one stored; the others wait for the value the
 * winner stores (see claimRenewal). A renewal that fails all the same (Ameyo refuses
 * a second session of the user) looks for the session another process stored
 * meanwhile before it gives up.
 */

/** The renewals running in this process, by credential: the others wait for them. */
const renewalsInProgress = new Map<string, Promise<void>>();

export type ReadStored = () => Promise<ICredentialDataDecryptedObject | undefined>;

export type RenewalPlan =
	/**
	 * Use the stored credential: renewed by someone else just before, or by the renewal
	 * of this process this request `waited` for (which counts as its own).
	 */
	| { renew: false; waited: boolean }
	/** This request renews: its next attempt goes without the stale value; `done` when it has. */
	| { renew: true; done: () => void };

/**
 * What to do about `stale`, the value the provider refused (or '' before the first
 * use). Waits for a renewal of the same credential running in this process.
 */
export async function planRenewal(
	credentialKey: string,
	field: string,
	stale: string,
	readStored: ReadStored,
): Promise<RenewalPlan> {
	const running = renewalsInProgress.get(credentialKey);
	if (running) {
		await running;
		return { renew: false, waited: true };
	}
	// Claimed before the first await, so a concurrent request of this process waits.
	let finish!: () => void;
	const claim = new Promise<void>((resolve) => (finish = resolve));
	renewalsInProgress.set(credentialKey, claim);
	const done = () => {
		if (renewalsInProgress.get(credentialKey) === claim) renewalsInProgress.delete(credentialKey);
		finish();
	};
	if (renewedSince(await readStored(), field, stale)) {
		done();
		return { renew: false, waited: false };
	}
	return { renew: true, done };
}

/**
 * After a renewal failed: waits a little for a value stored by another process (the
 * provider refused a second session because that one exists). True when one came.
 */
export async function awaitRenewalElsewhere(
	field: string,
	stale: string,
	readStored: ReadStored,
	sleep: (ms: number) => Promise<void>,
	{ waitMs, everyMs }: { waitMs: number; everyMs: number },
): Promise<boolean> {
	for (let waited = 0; waited <= waitMs; waited += everyMs) {
		if (renewedSince(await readStored(), field, stale)) return true;
		if (waited + everyMs <= waitMs) await sleep(everyMs);
	}
	return false;
}

/** Whether the stored value is a new one: neither empty nor `stale`. */
export function renewedSince(
	stored: ICredentialDataDecryptedObject | undefined,
	field: string,
	stale: string,
): boolean {
	const value = stored?.[field];
	return typeof value === 'string' && value !== '' && value !== stale;
}

/**
 * A claim to renew, recorded in the credential's hidden `renewalClaim` field: when it
 * was made and by whom. The last claim written wins; one older than CLAIM_TTL_MS is
 * abandoned (its process died or gave up) and does not count.
 *
 * A node can write to its credential only through n8n's preAuthentication, which
 * stores what the credential returns. So a claim is recorded by a request that passes
 * the credential with CLAIM_ONLY set: preAuthentication returns the claim (and the
 * expirable value unchanged) instead of logging in, n8n stores it, and the
 * credential's authenticate stops the request before anything is sent.
 */
export const RENEWAL_CLAIM = 'renewalClaim';
const CLAIM_ONLY = 'renewalClaimOnly';
const CLAIM_KEEPS = 'renewalClaimKeeps';
const CLAIM_RECORDED = 'renewal claim recorded';

export const CLAIM_TTL_MS = 20_000;

/** The credential property holding the claim. */
export const renewalClaimProperty: INodeProperties = {
	displayName: 'Renewal Claim',
	name: RENEWAL_CLAIM,
	type: 'hidden',
	default: '',
};

/** What a renewal stores besides the new value: the claim is settled. */
export const CLAIM_SETTLED: IDataObject = { [RENEWAL_CLAIM]: '' };

/** The credential's data for a request that only records `claim`, keeping `expirable` as it is. */
export function claimOnlyData(
	credentials: ICredentialDataDecryptedObject,
	field: string,
	claim: string,
	keep: string,
): ICredentialDataDecryptedObject {
	// The expirable field emptied is what makes n8n run preAuthentication.
	return { ...credentials, [field]: '', [CLAIM_ONLY]: claim, [CLAIM_KEEPS]: keep };
}

/** For a credential's preAuthentication: what to store when the request only records a claim. */
export function claimToStore(
	credentials: ICredentialDataDecryptedObject,
	field: string,
): IDataObject | undefined {
	const claim = credentials[CLAIM_ONLY];
	if (typeof claim !== 'string' || claim === '') return undefined;
	return { [field]: String(credentials[CLAIM_KEEPS] ?? ''), [RENEWAL_CLAIM]: claim };
}

/** For a credential's authenticate: a request that only recorded a claim goes no further. */
export function stopIfClaimOnly(credentials: ICredentialDataDecryptedObject): void {
	if (typeof credentials[CLAIM_ONLY] === 'string' && credentials[CLAIM_ONLY] !== '')
		throw new Error(CLAIM_RECORDED);
}

/** Recorded by a process whose renewal failed: no one's claim (it is never live). */
export const RELEASED_CLAIM = 'released';

export function newClaim(now: number, random: () => number): string {
	return `${now}:${Math.floor(random() * 2 ** 48).toString(36)}`;
}

/** The claim stored with the credential, when it is recent enough to count. */
export function liveClaim(
	stored: ICredentialDataDecryptedObject | undefined,
	now: number,
): string | undefined {
	const claim = stored?.[RENEWAL_CLAIM];
	if (typeof claim !== 'string' || claim === '') return undefined;
	const madeAt = Number(claim.slice(0, claim.indexOf(':')));
	return Number.isFinite(madeAt) && now - madeAt < CLAIM_TTL_MS ? claim : undefined;
}
