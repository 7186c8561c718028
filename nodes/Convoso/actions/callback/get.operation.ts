import type { INodeProperties } from 'n8n-workflow';

import { toNodeApiError } from '../../../shared/errors';
import type { ItemOperation } from '../../../shared/actions';
import { locatorValue } from '../../../shared/locators';
import { normalizeConvosoCallback } from '../../normalize';
import { findCallback } from '../../search';
import { callbackIdField, getAccount, simplifyField, readCallbackId } from '../common';

export const properties: INodeProperties[] = [callbackIdField, simplifyField];

/** Convoso has no "get": a search by id, one request. */
export const execute: ItemOperation = async function (itemIndex, client) {
	const callbackId = readCallbackId(locatorValue(this, 'callbackId', itemIndex));
	const simplify = this.getNodeParameter('simplify', itemIndex, true) as boolean;
	const account = await getAccount(client);

	const record = await findCallback(client, callbackId, itemIndex);
	if (!record) {
		throw toNodeApiError(
			this.getNode(),
			{ httpCode: 404, code: 6038, message: `Convoso has no callback with ID ${callbackId}` },
			{ values: [] },
			itemIndex,
		);
	}
	return simplify ? { ...normalizeConvosoCallback(record, account, client.runtime.now()) } : record;
};
