/**
 * The scripted OpenAI-compatible model the agent tests and the demo use: it answers
 * the Chat Completions API as OpenAI does (plain and streamed), plays a script's
 * steps in turn, records what it was offered and told, and refuses what it cannot do.
 */
import { startFakeOpenAi } from '../fakes/openai';
import type { FakeOpenAi } from '../fakes/openai';

const KEY = 'sk-test-fake';
const TOOL = {
	type: 'function',
	function: {
		name: 'Schedule_callback',
		description: 'Schedule a callback in Convoso',
		parameters: {
			type: 'object',
			properties: { leadId: { type: 'number', description: 'The lead ID' } },
			required: ['leadId'],
		},
	},
};

let model: FakeOpenAi;

beforeAll(async () => {
	model = await startFakeOpenAi({
		apiKey: KEY,
		scripts: [
			{
				prompt: 'call lead 1001',
				steps: [
					{ toolCalls: [{ name: 'Schedule_callback', arguments: { leadId: 1001 } }] },
					(context) => ({ text: `Told: ${context.toolResults[0]?.content}` }),
				],
			},
			{ prompt: /unknown tool/, steps: [{ toolCalls: [{ name: 'Nope', arguments: {} }] }] },
		],
	});
});

afterAll(async () => {
	await model.close();
});

const post = async (body: object, key = KEY) =>
	await fetch(`${model.baseUrl}/chat/completions`, {
		method: 'POST',
		headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
		body: JSON.stringify(body),
	});

it('listens on loopback and lists its models for the credential test; a wrong key is a 401', async () => {
	expect(model.baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v1$/);
	const models = await fetch(`${model.baseUrl}/models`, {
		headers: { authorization: `Bearer ${KEY}` },
	});
	expect(await models.json()).toMatchObject({ data: [{ id: 'scripted-model' }] });
	const wrong = await fetch(`${model.baseUrl}/models`, { headers: { authorization: 'Bearer x' } });
	expect(wrong.status).toBe(401);
});

it('plays a script: a tool call, then, with the tool result, a text; and records both', async () => {
	const user = { role: 'user', content: 'Please call lead 1001 back' };
	const first = (await (await post({ model: 'm', messages: [user], tools: [TOOL] })).json()) as {
		choices: Array<{
			finish_reason: string;
			message: { tool_calls: Array<{ id: string; function: { name: string; arguments: string } }> };
		}>;
	};
	expect(first.choices[0].finish_reason).toBe('tool_calls');
	const [call] = first.choices[0].message.tool_calls;
	expect(call.function).toEqual({ name: 'Schedule_callback', arguments: '{"leadId":1001}' });

	const messages = [
		user,
		{ role: 'assistant', content: '', tool_calls: [{ ...call, type: 'function' }] },
		{ role: 'tool', tool_call_id: call.id, content: '[{"id":7}]' },
	];
	const second = (await (await post({ model: 'm', messages, tools: [TOOL] })).json()) as {
		choices: Array<{ finish_reason: string; message: { content: string } }>;
	};
	expect(second.choices[0]).toMatchObject({
		finish_reason: 'stop',
		message: { content: 'Told: [{"id":7}]' },
	});
	const conversation = model.conversation('call lead 1001');
	expect(conversation).toHaveLength(2);
	expect(conversation[0].tools).toEqual([
		{
			name: 'Schedule_callback',
			description: 'Schedule a callback in Convoso',
			parameters: TOOL.function.parameters,
		},
	]);
	expect(model.toolResults('call lead 1001')).toEqual([
		{
			toolCallId: call.id,
			name: 'Schedule_callback',
			arguments: { leadId: 1001 },
			content: '[{"id":7}]',
		},
	]);
});

it('streams as server-sent events when asked', async () => {
	const response = await post({
		model: 'm',
		stream: true,
		stream_options: { include_usage: true },
		messages: [{ role: 'user', content: [{ type: 'text', text: 'call lead 1001' }] }],
		tools: [TOOL],
	});
	expect(response.headers.get('content-type')).toBe('text/event-stream');
	const events = (await response.text()).split('\n\n').filter(Boolean);
	expect(events[events.length - 1]).toBe('data: [DONE]');
	const chunks = events.slice(0, -1).map((event) => JSON.parse(event.slice('data: '.length)));
	expect(chunks.some((chunk) => chunk.choices[0]?.delta?.tool_calls?.[0]?.function?.name)).toBe(
		true,
	);
	expect(chunks.some((chunk) => chunk.choices[0]?.finish_reason === 'tool_calls')).toBe(true);
	expect(chunks[chunks.length - 1].usage).toBeDefined();
});

it('answers an error for a tool it was not offered, a prompt without a script, and the Responses API', async () => {
	const unknownTool = await post({ messages: [{ role: 'user', content: 'unknown tool' }] });
	expect(unknownTool.status).toBe(400);
	expect(((await unknownTool.json()) as { error: { message: string } }).error.message).toMatch(
		/not among the tools offered/,
	);
	const noScript = await post({ messages: [{ role: 'user', content: 'hello' }] });
	expect(noScript.status).toBe(400);
	const responses = await fetch(`${model.baseUrl}/responses`, {
		method: 'POST',
		headers: { authorization: `Bearer ${KEY}` },
	});
	expect(responses.status).toBe(404);
});

it('stops by itself after its lifetime', async () => {
	const shortLived = await startFakeOpenAi({ apiKey: KEY, scripts: [], maxLifetimeMs: 50 });
	await shortLived.closed;
	await expect(
		fetch(`${shortLived.baseUrl}/models`, { headers: { authorization: `Bearer ${KEY}` } }),
	).rejects.toThrow();
});
