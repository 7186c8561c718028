import type { INodeProperties } from 'n8n-workflow';

import type { ItemOperation } from '../../../shared/actions';
import { locatorValue } from '../../../shared/locators';
import { blankCallback } from '../../../shared/callback';
import { readBack } from '../../search';
import { convosoCall } from '../../transport';
import { callbackIdField, getAccount, readCallbackId, simplifyField } from '../common';

export const properties: INodeProperties[] = [callbackIdField, simplifyField];

export const execute: ItemOperation = async function (itemIndex, client) {
	const callbackId = readCallbackId(locatorValue(this, 'callbackId', itemIndex));
	// Convoso's pages disagree on the field name (callback_status or status); both are
	// sent, with the documented value, so either variant dismisses the callback.
	const { body } = await convosoCall(
		client,
		'/callbacks/update',
		{ callback_id: callbackId, callback_status: 'dismissed', status: 'dismissed' },
		{ idempotent: true, itemIndex },
	);
	if (!(this.getNodeParameter('simplify', itemIndex, true) as boolean)) return body;
	const known = {
		...blankCallback(callbackId, 'convoso'),
		status: 'cancelled' as const,
		providerStatus: 'DISMISSED',
	};
	// One more request: the whole callback, as Convoso now has it.
	return await readBack(client, known, await getAccount(client), itemIndex);
};
