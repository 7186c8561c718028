/**
 * The default runtime's yieldToIo: it returns only after the event loop has polled for
 * I/O, so what the kernel already holds for a socket has been read by then.
 */
import { once } from 'node:events';
import { connect, createServer } from 'node:net';
import type { AddressInfo, Server, Socket } from 'node:net';

import { defaultRuntime } from '../../nodes/shared/runtime';

let server: Server;
let client: Socket;
let served: Socket;

beforeEach(async () => {
	server = createServer();
	server.listen(0, '127.0.0.1');
	await once(server, 'listening');
	const { port } = server.address() as AddressInfo;
	const accepted = once(server, 'connection');
	client = connect(port, '127.0.0.1');
	await once(client, 'connect');
	[served] = (await accepted) as [Socket];
});

afterEach(async () => {
	client.destroy();
	served.destroy();
	server.close();
	await once(server, 'close');
});

/** Writes to the client's socket, then reports whether its data was read after `wait`. */
async function readAfter(wait: () => Promise<void>): Promise<boolean> {
	let read = false;
	client.once('data', () => (read = true));
	served.write('page');
	await wait();
	const seen = read;
	// Let the data in (for the next test), whatever `wait` did.
	if (!read) await once(client, 'data');
	return seen;
}

describe('defaultRuntime.yieldToIo', () => {
	it('returns after data waiting on a socket has been read', async () => {
		expect(await readAfter(() => defaultRuntime.yieldToIo())).toBe(true);
	});

	it('which resolved promises alone do not do (the check above can fail)', async () => {
		expect(await readAfter(async () => await Promise.resolve())).toBe(false);
	});
});
