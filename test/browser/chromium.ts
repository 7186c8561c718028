/**
 * Debian's Chromium for the browser test: used where it is installed; installed
 * from Debian's packages when missing and the test runs as root on Debian (as CI
 * does); otherwise a clear message says what to install. Never a downloaded build.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';

import { chromium } from 'playwright-core';
import type { Browser } from 'playwright-core';

const CHROMIUM = '/usr/bin/chromium';

export function ensureChromium(): string {
	if (fs.existsSync(CHROMIUM)) return CHROMIUM;
	const root = typeof process.getuid === 'function' && process.getuid() === 0;
	if (root && fs.existsSync('/etc/debian_version')) {
		const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
		// eslint-disable-next-line @n8n/community-nodes/no-dangerous-functions -- test setup, not a node: argv array, no shell
		execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
		// eslint-disable-next-line @n8n/community-nodes/no-dangerous-functions -- test setup, not a node: argv array, no shell
		execFileSync('apt-get', ['install', '-y', '-qq', 'chromium'], { stdio: 'inherit', env });
		if (fs.existsSync(CHROMIUM)) return CHROMIUM;
	}
	throw new Error(
		`The browser test needs Debian's Chromium at ${CHROMIUM}: install it with \`apt-get install chromium\` (as root).`,
	);
}

/** Headless Chromium with the flags this closed network needs (no background connections). */
export async function launchChromium(): Promise<Browser> {
	return await chromium.launch({
		executablePath: ensureChromium(),
		headless: true,
		args: [
			'--no-sandbox',
			'--disable-gpu',
			'--disable-quic',
			'--no-first-run',
			'--disable-background-networking',
			'--disable-component-update',
			'--disable-sync',
			'--disable-dev-shm-usage',
		],
	});
}
