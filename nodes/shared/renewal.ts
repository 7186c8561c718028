import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

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
 * stored. Across processes nothing can be locked from a node: a renewal that fails
 * (Ameyo refuses a second session of the user) looks for the session another process
 * stored meanwhile before it gives up.
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

function renewedSince(
	stored: ICredentialDataDecryptedObject | undefined,
	field: string,
	stale: string,
): boolean {
	const value = stored?.[field];
	return typeof value === 'string' && value !== '' && value !== stale;
}
