/**
 * How large an Ameyo campaign one trigger poll covers: Ameyo has no date filter, so a
 * poll reads every page of every watched campaign. Measures an idle poll (nothing new,
 * nothing due) of the Ameyo Trigger in n8n-core's PollContext against the sandbox on
 * loopback, for campaigns of growing size, and prints the time per page of 1,000 and
 * the largest campaign n8n's default poll budget (5 minutes) covers at that pace.
 *
 *   npm run bench            (builds, then runs the built nodes; the sandbox on loopback)
 */

// The built package, as n8n loads it.
const dist = path.join(__dirname, '..', '..', 'dist');
/* eslint-disable @typescript-eslint/no-require-imports */
const { AmeyoTrigger } = require(path.join(dist, 'nodes/Ameyo/AmeyoTrigger.node.js')) as {
	AmeyoTrigger: typeof AmeyoTriggerType;
};
const { AmeyoApi } = require(path.join(dist, 'credentials/AmeyoApi.credentials.js')) as {
	AmeyoApi: typeof AmeyoApiType;
};
/* eslint-enable @typescript-eslint/no-require-imports */
import path from 'node:path';

import type { AmeyoApi as AmeyoApiType } from '../../credentials/AmeyoApi.credentials';
import type { AmeyoTrigger as AmeyoTriggerType } from '../../nodes/Ameyo/AmeyoTrigger.node';
import { pollRunner } from '../helpers/run-node';
import { AMEYO_SUPERVISOR } from '../sandbox/ameyo';
import { startSandbox } from '../sandbox/server';

const SIZES = [10_000, 50_000, 100_000];
const BUDGET_MS = 5 * 60_000;
const PAGE = 1000;
const RUNS = 3;

async function main(): Promise<void> {
	const rows: string[] = [];
	let msPerPage = 0;
	for (const size of SIZES) {
		const now = Date.now();
		const sandbox = await startSandbox({ ameyo: { callbacks: 0 } });
		try {
			sandbox.ameyo.addCallbacks(size, (index) => ({
				campaignId: 110,
				callbackTime: now + 86_400_000 + index * 1000,
				dateAdded: now - 86_400_000 + index,
			}));
			const runner = pollRunner({
				nodeType: new AmeyoTrigger(),
				credentialType: new AmeyoApi(),
				credentials: {
					baseUrl: sandbox.baseUrls.ameyo,
					userId: AMEYO_SUPERVISOR.userId,
					password: AMEYO_SUPERVISOR.password,
				},
				parameters: { event: 'due', campaignIds: '110' },
			});
			await runner.poll(); // the baseline (and the login)
			const times: number[] = [];
			for (let run = 0; run < RUNS; run++) {
				const started = process.hrtime.bigint();
				await runner.poll();
				times.push(Number(process.hrtime.bigint() - started) / 1e6);
			}
			const median = [...times].sort((a, b) => a - b)[Math.floor(RUNS / 2)];
			const pages = Math.floor(size / PAGE) + 1;
			msPerPage = median / pages;
			rows.push(
				`${size.toLocaleString('en-US').padStart(9)} callbacks: ${pages} requests, idle poll ${median.toFixed(0)} ms (median of ${RUNS}), ${msPerPage.toFixed(1)} ms per page`,
			);
		} finally {
			await sandbox.close();
		}
	}
	const covered = Math.floor(BUDGET_MS / msPerPage) * PAGE;
	console.log(
		[
			'Ameyo Trigger, idle poll of one campaign (sandbox on loopback, this machine):',
			...rows,
			`A 5-minute poll budget covers about ${covered.toLocaleString('en-US')} callbacks per poll at the last pace.`,
		].join('\n'),
	);
}

void main().catch((error: unknown) => {
	console.error(error);
	process.exitCode = 1;
});
