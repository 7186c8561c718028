import type { INodeProperties } from 'n8n-workflow';

import { simplifyField as sharedSimplifyField } from '../../shared/descriptions';
import { InputError } from '../../shared/errors';
import { requireText } from '../../shared/validate';

export const callbackIdField: INodeProperties = {
	displayName: 'Callback ID',
	name: 'callbackId',
	type: 'string',
	default: '',
	required: true,
	description: 'The ID of the scheduled callback, as returned by Get Many',
};

export const simplifyField = sharedSimplifyField('Speko');

/** Speko ids are opaque strings; anything with a slash or whitespace cannot be one. */
export function readCallbackId(value: unknown): string {
	const id = requireText(value, 'Callback ID', 'the ID of a Speko callback');
	if (/[\s/?#]/.test(id))
		throw new InputError('Callback ID', value, 'an ID without spaces, slashes, ? or #');
	return id;
}
