import type { INodeProperties } from 'n8n-workflow';

import type { ItemOperation } from '../../../shared/actions';
import { locatorValue } from '../../../shared/locators';
import { normalizeSpekoCallback } from '../../normalize';
import { callbackPath } from '../../transport';
import { callbackIdField, readCallbackId, simplifyField } from '../common';

export const properties: INodeProperties[] = [callbackIdField, simplifyField];

export const execute: ItemOperation = async function (itemIndex, client) {
	const id = readCallbackId(locatorValue(this, 'callbackId', itemIndex));
	const simplify = this.getNodeParameter('simplify', itemIndex, true) as boolean;
	const record = await client.body(
		{ method: 'GET', url: callbackPath(id), idempotent: true },
		itemIndex,
	);
	return simplify ? { ...normalizeSpekoCallback(record, client.runtime.now()) } : record;
};
