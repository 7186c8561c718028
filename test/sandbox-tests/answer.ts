/** An HTTP answer from the sandbox, with its body parsed when it is JSON. */
export interface Answer {
	status: number;
	headers: Headers;
	text: string;
	/** Parsed JSON, or undefined when the body is not JSON. Loosely typed: tests check it field by field. */
	// eslint-disable-next-line @typescript-eslint/no-explicit-any
	body: any;
}

export async function readAnswer(response: Response): Promise<Answer> {
	const text = await response.text();
	let body: unknown;
	try {
		body = JSON.parse(text);
	} catch {
		body = undefined;
	}
	return { status: response.status, headers: response.headers, text, body };
}
