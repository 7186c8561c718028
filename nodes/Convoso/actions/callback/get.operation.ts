import type { INodeProperties } from 'n8n-workflow';

import { toNodeApiError } from '../../../shared/errors';
import type { ItemOperation } from '../../../shared/actions';
import { normalizeConvosoCallback } from '../../normalize';
import { convosoCall, unwrapPage } from '../../transport';
import { callbackIdField, getAccount, simplifyField, readCallbackId } from '../common';

export const properties: INodeProperties[] = [callbackIdField, simplifyField];

/** Convoso has no "get": a search by id is the documented way. */
export const execute: ItemOperation = async function (itemIndex, client) {
	const callbackId = readCallbackId(this.getNodeParameter('callbackId', itemIndex));
	const simplify = this.getNodeParameter('simplify', itemIndex, true) as boolean;
	const account = await getAccount(client);

	const { body, nothingMatched } = await convosoCall(
		client,
		'/callbacks/search',
		{ id: callbackId, offset: 0, limit: 1 },
		{ idempotent: true, itemIndex },
	);
	const record = nothingMatched
		? undefined
		: unwrapPage(body).results.find((r) => String(r.id) === String(callbackId));
	if (!record) {
		throw toNodeApiError(
			this.getNode(),
			{ httpCode: 404, code: 6038, message: `Convoso has no callback with ID ${callbackId}` },
			{ values: [] },
			itemIndex,
		);
	}
	return simplify ? { ...normalizeConvosoCallback(record, account) } : record;
};
