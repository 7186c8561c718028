import { InputError } from '../../nodes/shared/errors';

/**
 * Runs `run`, expects an InputError, and checks that its message names the field and,
 * when given, shows the value and states the expectation.
 */
export function expectInputError(
	run: () => unknown,
	field: string,
	shown?: string,
	expected?: string | RegExp,
): InputError {
	let caught: unknown;
	try {
		run();
	} catch (error) {
		caught = error;
	}
	expect(caught).toBeInstanceOf(InputError);
	const error = caught as InputError;
	expect(error.message).toContain(`'${field}'`);
	if (shown !== undefined) expect(error.message).toContain(shown);
	if (typeof expected === 'string') expect(error.message).toContain(expected);
	else if (expected !== undefined) expect(error.message).toMatch(expected);
	return error;
}
