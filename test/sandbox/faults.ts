/**
 * Fault injection: make the next N matching requests to a provider fail the way
 * real networks and gateways fail, so the nodes' retry and error paths can be tested.
 */
import type { SandboxResponse } from './server';

export const FAULT_TYPES = ['status', 'rate-limit', 'html', 'malformed', 'drop', 'delay'] as const;
export type FaultType = (typeof FAULT_TYPES)[number];

export interface Fault {
	/** Provider module name, e.g. 'convoso'. */
	provider: string;
	/** Route after the provider's prefix, e.g. '/v1/callbacks/search'. Default: any route. */
	route?: string;
	/** HTTP method, any case. Default: any method. */
	method?: string;
	type: FaultType;
	/** How many matching requests the fault hits. Default 1. */
	count?: number;
	/** Status for 'status' (default 503) and 'html' (default 502). */
	status?: number;
	/** Seconds sent in Retry-After by 'rate-limit'. Default 1. */
	retryAfter?: number;
	/** Wait before answering, for 'delay'. Default 500. */
	delayMs?: number;
	/**
	 * Let the provider handle the request first (its state changes), then apply the
	 * fault to the answer: 'the request took effect but the answer was lost'.
	 */
	afterProcessing?: boolean;
	/** Replaces the fault's default body: a string is sent verbatim, anything else as JSON. */
	body?: unknown;
}

export interface FaultInjector {
	add(fault: Fault | Fault[]): void;
	clear(): void;
	/** Faults still waiting to hit, in order, with `count` = hits left. */
	pending(): Fault[];
}

const DEFAULT_DELAY_MS = 500;

/** What the server does about a faulted request, besides (maybe) letting the provider handle it. */
export type FaultOutcome =
	| { kind: 'answer'; response: SandboxResponse }
	| { kind: 'drop' }
	| { kind: 'delay'; ms: number };

export class FaultQueue implements FaultInjector {
	private queue: Array<Fault & { count: number }> = [];

	add(fault: Fault | Fault[]): void {
		const faults = Array.isArray(fault) ? fault : [fault];
		// Validate all first, so a bad entry in a batch adds nothing.
		const valid = faults.map(validateFault);
		for (const f of valid) this.queue.push({ ...f, count: f.count ?? 1 });
	}

	clear(): void {
		this.queue = [];
	}

	pending(): Fault[] {
		return this.queue.map((fault) => ({ ...fault }));
	}

	/** Consumes one hit of the first fault matching the request, if any. */
	take(provider: string, method: string, route: string): Fault | undefined {
		const index = this.queue.findIndex(
			(f) =>
				f.provider === provider &&
				(f.route === undefined || f.route === route) &&
				(f.method === undefined || f.method.toUpperCase() === method.toUpperCase()),
		);
		if (index < 0) return undefined;
		const fault = this.queue[index];
		fault.count -= 1;
		if (fault.count <= 0) this.queue.splice(index, 1);
		return { ...fault };
	}
}

/** Checks a fault that may come from JSON; throws a TypeError naming the bad field. */
export function validateFault(value: unknown): Fault {
	if (typeof value !== 'object' || value === null || Array.isArray(value)) {
		throw new TypeError('A fault must be an object');
	}
	const fault = value as Record<string, unknown>;
	const fail = (field: string, expected: string): never => {
		throw new TypeError(
			`Fault field "${field}" must be ${expected}, got ${JSON.stringify(fault[field])}`,
		);
	};
	const optional = (field: string, check: (v: unknown) => boolean, expected: string) => {
		if (fault[field] !== undefined && !check(fault[field])) fail(field, expected);
	};
	const isInteger = (min: number, max: number) => (v: unknown) =>
		typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max;

	if (typeof fault.provider !== 'string' || fault.provider === '') {
		fail('provider', 'a provider name');
	}
	if (!FAULT_TYPES.includes(fault.type as FaultType)) {
		fail('type', `one of ${FAULT_TYPES.join(', ')}`);
	}
	optional('route', (v) => typeof v === 'string' && v.startsWith('/'), 'a path starting with "/"');
	optional('method', (v) => typeof v === 'string' && v !== '', 'an HTTP method');
	optional('count', isInteger(1, Number.MAX_SAFE_INTEGER), 'a positive integer');
	optional('status', isInteger(100, 599), 'an HTTP status');
	optional('retryAfter', isInteger(0, 86_400), 'whole seconds');
	optional('delayMs', isInteger(0, 600_000), 'milliseconds');
	optional('afterProcessing', (v) => typeof v === 'boolean', 'a boolean');
	return { ...(fault as unknown as Fault) };
}

/** How a provider words a JSON error body; the default is {"error": message}. */
export type ErrorBody = (status: number, message: string) => unknown;

export function faultOutcome(
	fault: Fault,
	errorBody: ErrorBody = (_status, message) => ({ error: message }),
): FaultOutcome {
	const withBody = (response: SandboxResponse): FaultOutcome => {
		if (fault.body === undefined) return { kind: 'answer', response };
		return typeof fault.body === 'string'
			? { kind: 'answer', response: { ...response, json: undefined, text: fault.body } }
			: { kind: 'answer', response: { ...response, json: fault.body, text: undefined } };
	};

	switch (fault.type) {
		case 'status':
			return withBody({
				status: fault.status ?? 503,
				json: errorBody(fault.status ?? 503, 'Injected fault: service unavailable'),
			});
		case 'rate-limit':
			return withBody({
				status: 429,
				headers: { 'retry-after': String(fault.retryAfter ?? 1) },
				json: errorBody(429, 'Too many requests'),
			});
		case 'html': {
			const status = fault.status ?? 502;
			return withBody({
				status,
				headers: { 'content-type': 'text/html' },
				text: gatewayErrorPage(status),
			});
		}
		case 'malformed':
			// What a proxy cutting the body short looks like: valid headers, broken JSON.
			return withBody({
				status: 200,
				headers: { 'content-type': 'application/json' },
				text: '{"success": tru',
			});
		case 'drop':
			return { kind: 'drop' };
		case 'delay':
			return { kind: 'delay', ms: fault.delayMs ?? DEFAULT_DELAY_MS };
	}
}

function gatewayErrorPage(status: number): string {
	const title = `${status} ${status === 502 ? 'Bad Gateway' : 'Error'}`;
	return `<!DOCTYPE html>\n<html><head><title>${title}</title></head><body><center><h1>${title}</h1></center><hr><center>nginx</center></body></html>\n`;
}
