/**
 * A tiny HTTP forward proxy on 127.0.0.1 that tells which n8n process sent a
 * request: each process gets its own proxy (as HTTP_PROXY), and the proxy adds
 * `x-n8n-process: <tag>` to everything it forwards to the sandbox, which records
 * it with the request. n8n's HTTP helpers honour HTTP_PROXY / NO_PROXY; with
 * NO_PROXY=127.0.0.1 n8n's own traffic (task runner, webhooks) stays direct, and
 * credentials point at `localhost:<sandbox port>`, which only this proxy serves.
 * Anything else is refused with a 502 and counted. Several sandboxes may be served.
 */
import { createServer, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';

export const PROCESS_HEADER = 'x-n8n-process';

export interface TaggingProxy {
	tag: string;
	/** `http://127.0.0.1:<port>`, for HTTP_PROXY. */
	url: string;
	/** Requests forwarded so far. */
	forwarded: number;
	/** Requests refused (not for the sandbox). */
	refused: string[];
	close(): Promise<void>;
}

export async function startTaggingProxy(
	tag: string,
	sandboxPorts: readonly number[],
): Promise<TaggingProxy> {
	const refused: string[] = [];
	const proxy: TaggingProxy = {
		tag,
		url: '',
		forwarded: 0,
		refused,
		close: async () => {},
	};
	const server = createServer((req, res) => {
		let target: URL | undefined;
		try {
			target = new URL(req.url ?? '');
		} catch {
			target = undefined;
		}
		const forSandbox =
			target !== undefined &&
			target.protocol === 'http:' &&
			['localhost', '127.0.0.1'].includes(target.hostname) &&
			sandboxPorts.includes(Number(target.port));
		if (!target || !forSandbox) {
			refused.push(`${req.method} ${req.url}`);
			res.writeHead(502, { 'content-type': 'text/plain' });
			res.end('This proxy only forwards to the sandbox');
			return;
		}
		proxy.forwarded += 1;
		const headers: Record<string, string | string[] | undefined> = {
			...req.headers,
			[PROCESS_HEADER]: tag,
		};
		delete headers['proxy-connection'];
		const upstream = httpRequest(
			{
				host: '127.0.0.1',
				port: Number(target.port),
				method: req.method,
				path: `${target.pathname}${target.search}`,
				headers,
			},
			(answer) => {
				res.writeHead(answer.statusCode ?? 502, answer.headers);
				answer.pipe(res);
			},
		);
		upstream.on('error', () => {
			// The sandbox dropped the connection (a 'drop' fault): do the same.
			req.socket.destroy();
		});
		req.pipe(upstream);
	});
	server.on('connect', (req, socket) => {
		refused.push(`CONNECT ${req.url}`);
		socket.end('HTTP/1.1 405 Method Not Allowed\r\n\r\n');
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	proxy.url = `http://127.0.0.1:${port}`;
	proxy.close = async () => {
		server.closeAllConnections();
		await new Promise<void>((resolve) => server.close(() => resolve()));
	};
	return proxy;
}
