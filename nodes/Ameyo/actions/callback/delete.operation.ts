import type { INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { ItemOperation } from '../../../shared/actions';
import { locatorValue } from '../../../shared/locators';
import type { ProviderClient } from '../../../shared/transport';
import { CALLBACK_PATH } from '../../transport';
import { callbackIdField, campaignIdField, readCallbackId } from '../common';

export const properties: INodeProperties[] = [
	{ ...campaignIdField, required: false, description: 'Only used to list callbacks in the picker' },
	callbackIdField,
];

/** Deletes a callback for good; Ameyo's success is the plain text "ok". */
export async function deleteCallback(client: ProviderClient, id: string, itemIndex?: number) {
	const answer = await client.request(
		{
			method: 'DELETE',
			url: `${CALLBACK_PATH}/${encodeURIComponent(id)}`,
			idempotent: true,
			expect: 'text',
		},
		itemIndex,
	);
	if (answer.text.trim().toLowerCase() !== 'ok') {
		throw new NodeOperationError(
			client.ctx.getNode(),
			`Ameyo did not confirm deleting callback ${id}`,
			{
				itemIndex,
				description: `Its answer was "${answer.text.slice(0, 120)}" instead of "ok". Check whether the callback still exists.`,
			},
		);
	}
}

export const execute: ItemOperation = async function (itemIndex, client) {
	const id = readCallbackId(locatorValue(this, 'callbackId', itemIndex));
	await deleteCallback(client, id, itemIndex);
	return { id, provider: 'ameyo', deleted: true };
};
