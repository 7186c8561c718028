import type { INodeProperties } from 'n8n-workflow';

import type { ItemOperation } from '../../../shared/actions';
import { locatorValue } from '../../../shared/locators';
import { convosoCall } from '../../transport';
import { callbackIdField, readCallbackId } from '../common';

export const properties: INodeProperties[] = [callbackIdField];

export const execute: ItemOperation = async function (itemIndex, client) {
	const callbackId = readCallbackId(locatorValue(this, 'callbackId', itemIndex));
	await convosoCall(
		client,
		'/callbacks/delete',
		{ callback_id: callbackId },
		{ idempotent: true, itemIndex },
	);
	return { id: callbackId, provider: 'convoso', deleted: true };
};
