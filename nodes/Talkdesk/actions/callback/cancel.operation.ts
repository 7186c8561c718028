import type { INodeProperties } from 'n8n-workflow';

import type { ItemOperation } from '../../../shared/actions';
import { locatorValue } from '../../../shared/locators';
import { callbackPath, talkdeskCall } from '../../transport';
import { callbackIdField, readCallbackId } from '../common';

export const properties: INodeProperties[] = [callbackIdField];

export const execute: ItemOperation = async function (itemIndex, client) {
	const id = readCallbackId(locatorValue(this, 'callbackId', itemIndex));
	// Cancelling twice leaves the same state, so a lost answer may be retried.
	// Talkdesk answers 204 without a body: the output says which callback it was.
	await talkdeskCall(
		client,
		{ method: 'DELETE', url: callbackPath(id), idempotent: true, expect: 'none' },
		'schedule-callbacks:write',
		itemIndex,
	);
	return { id, provider: 'talkdesk', cancelled: true };
};
