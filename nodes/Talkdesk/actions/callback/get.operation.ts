import type { INodeProperties } from 'n8n-workflow';

import type { ItemOperation } from '../../../shared/actions';
import { locatorValue } from '../../../shared/locators';
import { normalizeTalkdeskCallback } from '../../normalize';
import { callbackPath, talkdeskCall } from '../../transport';
import { callbackIdField, readCallbackId, simplifyField } from '../common';

export const properties: INodeProperties[] = [callbackIdField, simplifyField];

export const execute: ItemOperation = async function (itemIndex, client) {
	const id = readCallbackId(locatorValue(this, 'callbackId', itemIndex));
	const simplify = this.getNodeParameter('simplify', itemIndex, true) as boolean;
	// By its id on /schedule-callbacks: the record's `_links.self` points elsewhere.
	const record = await talkdeskCall(
		client,
		{ method: 'GET', url: callbackPath(id), idempotent: true },
		'schedule-callbacks:read',
		itemIndex,
	);
	return simplify ? { ...normalizeTalkdeskCallback(record, client.runtime.now()) } : record;
};
