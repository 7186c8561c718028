import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { simplifyField as sharedSimplifyField } from '../../shared/descriptions';
import { InputError } from '../../shared/errors';
import { idLocator } from '../../shared/locators';
import type { ProviderClient } from '../../shared/transport';
import { requireText } from '../../shared/validate';

export const campaignIdField: INodeProperties = {
	displayName: 'Campaign ID',
	name: 'campaignId',
	type: 'number',
	default: 0,
	required: true,
	typeOptions: { minValue: 1 },
	description: "The Ameyo campaign whose callbacks to work with (Ameyo's lists are per campaign)",
};

export const callbackIdField = idLocator({
	displayName: 'Callback',
	name: 'callbackId',
	description:
		"The callback: pick one of the campaign's callbacks from the list (search by phone number or agent), or give its ID",
	searchListMethod: 'searchCallbacks',
	placeholder: 'd741-6904fad1-cm-eEcdnIb3-50833',
	idPattern: {
		regex: '^[^\\s/?#]+$',
		message: 'An Ameyo callback ID has no spaces, slashes, ? or #',
	},
});

export const simplifyField = sharedSimplifyField('Ameyo');

export function readCallbackId(value: unknown): string {
	const id = requireText(value, 'Callback', 'the ID of an Ameyo callback');
	if (/[\s/?#]/.test(id))
		throw new InputError('Callback', value, 'an ID without spaces, slashes, ? or #');
	return id;
}

/** The credential's country calling code, for E.164 phones. */
export async function countryCode(client: ProviderClient): Promise<string> {
	return String((await client.credentials()).countryCallingCode ?? '');
}

/** Whether Simplify is on for this item. */
export function simplifyOn(ctx: IExecuteFunctions, itemIndex: number): boolean {
	return ctx.getNodeParameter('simplify', itemIndex, true) as boolean;
}
