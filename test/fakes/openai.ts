/**
 * A small OpenAI-compatible chat model for tests and the demo: the Chat Completions
 * API (`POST /v1/chat/completions`, plain JSON or streamed as server-sent events)
 * and the model list (`GET /v1/models`, which n8n's OpenAI credential test and model
 * picker read), on 127.0.0.1 only.
 *
 * It answers from scripts instead of thinking. A script is chosen by the
 * conversation's first user message (the agent's prompt); its steps are played in
 * order, one per model call: the step is the number of assistant messages already in
 * the conversation, so a step that asks for tool calls is followed, once the agent
 * sends the tool results back, by the next one. A step is tool calls (names and
 * arguments, as a model would choose them) or a final text; it may be computed from
 * what the conversation holds so far (the tool results).
 *
 * Every request is recorded: the messages, the tools offered (name, description, JSON
 * schema of the arguments) and, per tool call, the result the agent sent back, so a
 * test can check what the model was offered and what it was told.
 *
 * It stops by itself: close(), or an unref'd timer after `maxLifetimeMs`.
 */
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ScriptedToolCall {
	/** The tool's name as offered (n8n derives it from the tool node's name). */
	name: string;
	arguments: Record<string, unknown>;
}

export type ScriptStep = { toolCalls: ScriptedToolCall[] } | { text: string };

/** What a computed step can look at: the conversation so far. */
export interface ScriptContext {
	prompt: string;
	/** The results of this conversation's tool calls so far, oldest first. */
	toolResults: ToolResult[];
	request: RecordedChatRequest;
}

export interface Script {
	/** Matches the conversation's first user message: a substring, or a pattern. */
	prompt: string | RegExp;
	steps: Array<ScriptStep | ((context: ScriptContext) => ScriptStep)>;
}

export interface FakeOpenAiOptions {
	scripts: Script[];
	/** The API key the fake accepts (as `Authorization: Bearer ...`); others get a 401. */
	apiKey: string;
	/** The answer to a conversation no script matches. Default: a 400 error. */
	fallbackText?: string;
	/** Model ids `GET /v1/models` lists. Default ['scripted-model']. */
	models?: string[];
	/** Port on 127.0.0.1; default 0 (an ephemeral one). */
	port?: number;
	/** Closes itself after this long (an unref'd timer). Default 20 min; 0: never. */
	maxLifetimeMs?: number;
}

/** A tool as the model was offered it. */
export interface OfferedTool {
	name: string;
	description: string;
	/** The JSON schema of the arguments. */
	parameters: JsonSchema;
}

export interface JsonSchema {
	type?: string;
	description?: string;
	properties?: Record<string, JsonSchema>;
	required?: string[];
	[key: string]: unknown;
}

/** One tool call of the model and what the agent sent back for it. */
export interface ToolResult {
	toolCallId: string;
	name: string;
	arguments: Record<string, unknown>;
	/** The tool message's content, as the model reads it. */
	content: string;
}

export interface ChatMessage {
	role: string;
	content: string;
	toolCalls: Array<{ id: string; name: string; arguments: string }>;
	toolCallId?: string;
}

export interface RecordedChatRequest {
	method: string;
	path: string;
	/** The first user message, when there is one. */
	prompt?: string;
	model?: string;
	stream: boolean;
	messages: ChatMessage[];
	tools: OfferedTool[];
	/** Tool results in this request's messages (the whole conversation so far). */
	toolResults: ToolResult[];
	/** What the fake answered: tool calls, a text, or an error. */
	answer?: ScriptStep | { error: string };
	body: unknown;
}

export interface FakeOpenAi {
	/** The API base URL, as n8n's OpenAI credential takes it: `http://127.0.0.1:<port>/v1`. */
	baseUrl: string;
	port: number;
	/** Every request, oldest first (a live array). */
	requests: RecordedChatRequest[];
	/** The chat requests of the conversation whose prompt matches. */
	conversation(prompt: string | RegExp): RecordedChatRequest[];
	/** The tool results the agent sent back in the conversation whose prompt matches. */
	toolResults(prompt: string | RegExp): ToolResult[];
	close(): Promise<void>;
	/** Resolves once the server has closed (by close() or at the end of its lifetime). */
	closed: Promise<void>;
}

const MAX_BODY_BYTES = 10 * 1024 * 1024;

export async function startFakeOpenAi(options: FakeOpenAiOptions): Promise<FakeOpenAi> {
	const requests: RecordedChatRequest[] = [];
	const models = options.models ?? ['scripted-model'];
	let callCounter = 0;
	/** The tool calls the fake answered, by id: the arguments as the model chose them. */
	const issued = new Map<string, ScriptedToolCall>();

	const matches = (prompt: string | undefined, pattern: string | RegExp) =>
		prompt !== undefined &&
		(typeof pattern === 'string' ? prompt.includes(pattern) : pattern.test(prompt));

	const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
		const body = await readBody(req);
		const url = new URL(req.url ?? '/', 'http://fake.invalid');
		const method = (req.method ?? 'GET').toUpperCase();
		if (req.headers.authorization !== `Bearer ${options.apiKey}`) {
			return sendError(res, 401, 'Incorrect API key provided.', 'invalid_api_key');
		}
		if (method === 'GET' && url.pathname === '/v1/models') {
			return sendJson(res, 200, {
				object: 'list',
				data: models.map((id) => ({ id, object: 'model', created: 0, owned_by: 'scripted' })),
			});
		}
		if (url.pathname === '/v1/responses') {
			return sendError(
				res,
				404,
				'This model serves the Chat Completions API only: turn off "Use Responses API" in the OpenAI Chat Model node.',
				'not_found',
			);
		}
		if (method !== 'POST' || url.pathname !== '/v1/chat/completions') {
			return sendError(res, 404, `Unknown route ${method} ${url.pathname}`, 'not_found');
		}
		let parsed: ChatCompletionBody;
		try {
			parsed = JSON.parse(body) as ChatCompletionBody;
		} catch {
			return sendError(res, 400, 'The body is not JSON.', 'invalid_request_error');
		}
		const record = recordRequest(method, url.pathname, parsed, issued);
		requests.push(record);

		const script = options.scripts.find((s) => matches(record.prompt, s.prompt));
		let step: ScriptStep;
		if (!script) {
			if (options.fallbackText === undefined) {
				const error = `No script for the prompt ${JSON.stringify(record.prompt)}`;
				record.answer = { error };
				return sendError(res, 400, error, 'invalid_request_error');
			}
			step = { text: options.fallbackText };
		} else {
			const index = record.messages.filter((m) => m.role === 'assistant').length;
			const next = script.steps[index];
			if (next === undefined) {
				const error = `The script for ${JSON.stringify(record.prompt)} has no step ${index + 1}`;
				record.answer = { error };
				return sendError(res, 400, error, 'invalid_request_error');
			}
			step =
				typeof next === 'function'
					? next({ prompt: record.prompt ?? '', toolResults: record.toolResults, request: record })
					: next;
		}
		if ('toolCalls' in step) {
			const unknown = step.toolCalls.filter(
				(call) => !record.tools.some((tool) => tool.name === call.name),
			);
			if (unknown.length > 0) {
				const error = `The script calls ${unknown.map((c) => c.name).join(', ')}, not among the tools offered (${record.tools.map((t) => t.name).join(', ') || 'none'})`;
				record.answer = { error };
				return sendError(res, 400, error, 'invalid_request_error');
			}
		}
		record.answer = step;
		const toolCalls =
			'toolCalls' in step
				? step.toolCalls.map((call) => {
						const callId = `call_${++callCounter}`;
						issued.set(callId, call);
						return {
							id: callId,
							type: 'function' as const,
							function: { name: call.name, arguments: JSON.stringify(call.arguments) },
						};
					})
				: [];
		const text = 'text' in step ? step.text : '';
		const model = record.model ?? models[0];
		const id = `chatcmpl-${++callCounter}`;
		const created = Math.floor(Date.now() / 1000);
		const usage = { prompt_tokens: 10, completion_tokens: 10, total_tokens: 20 };
		const finishReason = toolCalls.length > 0 ? 'tool_calls' : 'stop';
		if (!record.stream) {
			return sendJson(res, 200, {
				id,
				object: 'chat.completion',
				created,
				model,
				choices: [
					{
						index: 0,
						message: {
							role: 'assistant',
							content: toolCalls.length > 0 ? null : text,
							...(toolCalls.length > 0 && { tool_calls: toolCalls }),
						},
						logprobs: null,
						finish_reason: finishReason,
					},
				],
				usage,
			});
		}
		// Streamed: the role, the content or each tool call, the finish reason, the usage.
		const chunk = (delta: object, finish: string | null = null, extra: object = {}) =>
			`data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created, model, choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }], ...extra })}\n\n`;
		const events = [chunk({ role: 'assistant', content: '' })];
		if (text) events.push(chunk({ content: text }));
		toolCalls.forEach((call, index) => events.push(chunk({ tool_calls: [{ index, ...call }] })));
		events.push(chunk({}, finishReason));
		if (parsed.stream_options?.include_usage) {
			events.push(
				`data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created, model, choices: [], usage })}\n\n`,
			);
		}
		events.push('data: [DONE]\n\n');
		res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
		res.end(events.join(''));
	};

	const server = createServer((req, res) => {
		handle(req, res).catch((error: unknown) => {
			if (res.headersSent || res.destroyed) res.destroy();
			else sendError(res, 500, `Fake model error: ${(error as Error).message}`, 'server_error');
		});
	});
	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(options.port ?? 0, '127.0.0.1', () => {
			server.off('error', reject);
			resolve();
		});
	});
	const port = (server.address() as AddressInfo).port;

	let closing: Promise<void> | undefined;
	const close = (): Promise<void> => {
		clearTimeout(lifetime);
		closing ??= new Promise<void>((resolve) => {
			server.close(() => resolve());
			server.closeAllConnections();
		});
		return closing;
	};
	const maxLifetimeMs = options.maxLifetimeMs ?? 20 * 60_000;
	const lifetime =
		maxLifetimeMs > 0 ? setTimeout(() => void close(), maxLifetimeMs).unref() : undefined;

	const conversation = (prompt: string | RegExp) =>
		requests.filter((request) => matches(request.prompt, prompt));

	return {
		baseUrl: `http://127.0.0.1:${port}/v1`,
		port,
		requests,
		conversation,
		toolResults(prompt) {
			const all = conversation(prompt);
			return all.length === 0 ? [] : all[all.length - 1].toolResults;
		},
		close,
		closed: new Promise<void>((resolve) => {
			server.once('close', () => resolve());
		}),
	};
}

interface ChatCompletionBody {
	model?: string;
	stream?: boolean;
	stream_options?: { include_usage?: boolean };
	messages?: Array<{
		role?: string;
		content?: unknown;
		tool_call_id?: string;
		tool_calls?: Array<{ id?: string; function?: { name?: string; arguments?: string } }>;
	}>;
	tools?: Array<{
		type?: string;
		function?: { name?: string; description?: string; parameters?: JsonSchema };
	}>;
}

/** A message's content as text (a string, or an array of text parts). */
function textOf(content: unknown): string {
	if (typeof content === 'string') return content;
	if (Array.isArray(content))
		return content
			.map((part) =>
				typeof part === 'string' ? part : String((part as { text?: unknown })?.text ?? ''),
			)
			.join('');
	return content === null || content === undefined ? '' : JSON.stringify(content);
}

function recordRequest(
	method: string,
	path: string,
	body: ChatCompletionBody,
	issued: Map<string, ScriptedToolCall>,
): RecordedChatRequest {
	const messages: ChatMessage[] = (body.messages ?? []).map((message) => ({
		role: String(message.role ?? ''),
		content: textOf(message.content),
		toolCalls: (message.tool_calls ?? []).map((call) => ({
			id: String(call.id ?? ''),
			name: String(call.function?.name ?? ''),
			arguments: String(call.function?.arguments ?? ''),
		})),
		...(message.tool_call_id !== undefined && { toolCallId: message.tool_call_id }),
	}));
	const calls = new Map(messages.flatMap((m) => m.toolCalls).map((call) => [call.id, call]));
	const toolResults: ToolResult[] = messages
		.filter((m) => m.role === 'tool')
		.map((m) => {
			// The call as the fake made it; else as the client sent it back.
			const mine = issued.get(m.toolCallId ?? '');
			const echoed = calls.get(m.toolCallId ?? '');
			let args: Record<string, unknown> = mine?.arguments ?? {};
			if (!mine) {
				try {
					args = JSON.parse(echoed?.arguments ?? '{}') as Record<string, unknown>;
				} catch {
					// arguments that are not JSON stay empty
				}
			}
			return {
				toolCallId: m.toolCallId ?? '',
				name: mine?.name ?? echoed?.name ?? '',
				arguments: args,
				content: m.content,
			};
		});
	return {
		method,
		path,
		prompt: messages.find((m) => m.role === 'user')?.content,
		model: body.model,
		stream: body.stream === true,
		messages,
		tools: (body.tools ?? []).map((tool) => ({
			name: String(tool.function?.name ?? ''),
			description: String(tool.function?.description ?? ''),
			parameters: tool.function?.parameters ?? {},
		})),
		toolResults,
		body,
	};
}

async function readBody(req: IncomingMessage): Promise<string> {
	const chunks: Buffer[] = [];
	let size = 0;
	for await (const chunk of req) {
		size += (chunk as Buffer).length;
		if (size <= MAX_BODY_BYTES) chunks.push(chunk as Buffer);
	}
	return Buffer.concat(chunks).toString('utf8');
}

function sendJson(res: ServerResponse, status: number, json: unknown): void {
	const body = JSON.stringify(json);
	res.writeHead(status, {
		'content-type': 'application/json',
		'content-length': String(Buffer.byteLength(body)),
	});
	res.end(body);
}

function sendError(res: ServerResponse, status: number, message: string, code: string): void {
	sendJson(res, status, {
		error: { message, type: status === 401 ? 'invalid_request_error' : code, param: null, code },
	});
}
