/**
 * Runs the sandbox as its own process, for a real n8n or manual testing:
 *
 *   npx tsx test/sandbox/cli.ts [--port 4010] [--convoso-callbacks N] [--speko-callbacks N] [--talkdesk-callbacks N] [--ameyo-callbacks N] [--seed N] [--exit-after SECONDS]
 *
 * Prints one JSON line: {"url": ..., "convoso": {"baseUrl": ..., "token": ...},
 * "speko": {"baseUrl": ..., "key": ...}, "talkdesk": {"baseUrl": ..., "tokenUrl": ...,
 * "clientId": ..., "clientSecret": ...}, "ameyo": {"baseUrl": ..., "userId": ..., "password": ...}},
 * then serves until SIGINT/SIGTERM or until --exit-after elapses.
 */
import { startSandbox } from './server';

interface CliOptions {
	port?: number;
	convosoCallbacks?: number;
	spekoCallbacks?: number;
	talkdeskCallbacks?: number;
	ameyoCallbacks?: number;
	seed?: number;
	exitAfterSeconds?: number;
}

const FLAGS: Record<string, keyof CliOptions> = {
	'--port': 'port',
	'--convoso-callbacks': 'convosoCallbacks',
	'--speko-callbacks': 'spekoCallbacks',
	'--talkdesk-callbacks': 'talkdeskCallbacks',
	'--ameyo-callbacks': 'ameyoCallbacks',
	'--seed': 'seed',
	'--exit-after': 'exitAfterSeconds',
};

function parseArgs(args: string[]): CliOptions {
	const options: CliOptions = {};
	for (let i = 0; i < args.length; i++) {
		// Both "--port 4010" and "--port=4010".
		const [flag, inlineValue] = args[i].split('=', 2);
		const key = FLAGS[flag];
		if (!key) {
			throw new Error(`Unknown option: ${args[i]} (known: ${Object.keys(FLAGS).join(', ')})`);
		}
		const text = inlineValue ?? args[++i];
		const value = Number(text);
		if (text === undefined || text === '' || !Number.isFinite(value) || value < 0) {
			throw new Error(`${flag} needs a non-negative number, got ${JSON.stringify(text)}`);
		}
		options[key] = value;
	}
	return options;
}

async function main(): Promise<void> {
	let options: CliOptions;
	try {
		options = parseArgs(process.argv.slice(2));
	} catch (error) {
		console.error((error as Error).message);
		process.exit(2);
	}

	const sandbox = await startSandbox({
		port: options.port,
		seed: options.seed,
		convoso: { callbacks: options.convosoCallbacks },
		speko: { callbacks: options.spekoCallbacks },
		talkdesk: { callbacks: options.talkdeskCallbacks },
		ameyo: { callbacks: options.ameyoCallbacks },
	});
	const [talkdeskClient] = sandbox.talkdesk.options.clients;
	const [ameyoUser] = sandbox.ameyo.options.users;
	console.log(
		JSON.stringify({
			url: sandbox.url,
			convoso: { baseUrl: sandbox.baseUrls.convoso, token: sandbox.convoso.options.token },
			speko: { baseUrl: sandbox.baseUrls.speko, key: sandbox.speko.options.key },
			talkdesk: {
				baseUrl: sandbox.baseUrls.talkdesk,
				tokenUrl: sandbox.baseUrls.talkdeskToken,
				clientId: talkdeskClient.id,
				clientSecret: talkdeskClient.secret,
			},
			ameyo: {
				baseUrl: sandbox.baseUrls.ameyo,
				userId: ameyoUser.userId,
				password: ameyoUser.password,
			},
		}),
	);

	let stopping = false;
	const stop = () => {
		if (stopping) return;
		stopping = true;
		sandbox.close().then(
			() => process.exit(0),
			(error: unknown) => {
				console.error(error);
				process.exit(1);
			},
		);
	};
	process.on('SIGINT', stop);
	process.on('SIGTERM', stop);
	if (options.exitAfterSeconds !== undefined) setTimeout(stop, options.exitAfterSeconds * 1000);
}

main().catch((error: unknown) => {
	console.error(error);
	process.exit(1);
});
