import { simplifyField as sharedSimplifyField } from '../../shared/descriptions';
import { InputError } from '../../shared/errors';
import { idLocator } from '../../shared/locators';
import { requireText } from '../../shared/validate';

export const callbackIdField = idLocator({
	displayName: 'Callback',
	name: 'callbackId',
	description:
		'The callback, by its Speko callback ID (a string such as cb_01j9x2k7m4qz): pick a scheduled one from the list (search by phone number) or give the ID',
	searchListMethod: 'searchCallbacks',
	placeholder: 'cb_01J...',
	idPattern: {
		regex: '^[^\\s/?#]+$',
		message: 'A Speko callback ID has no spaces, slashes, ? or #',
	},
});

export const simplifyField = sharedSimplifyField('Speko');

/** Speko ids are opaque strings; anything with a slash or whitespace cannot be one. */
export function readCallbackId(value: unknown): string {
	const id = requireText(value, 'Callback', 'the ID of a Speko callback');
	if (/[\s/?#]/.test(id))
		throw new InputError('Callback', value, 'an ID without spaces, slashes, ? or #');
	return id;
}
