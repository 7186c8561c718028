import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { toNodeApiError } from '../../../shared/errors';
import { requirePositiveInteger } from '../../../shared/validate';
import { normalizeConvosoCallback } from '../../normalize';
import { convosoCall, unwrapPage } from '../../transport';
import { callbackIdField, getAccount, simplifyField } from '../common';
import type { ProviderClient } from '../../../shared/transport';

export const properties: INodeProperties[] = [callbackIdField, simplifyField];

/** Convoso has no "get": a search by id is the documented way. */
export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	client: ProviderClient,
): Promise<IDataObject> {
	const callbackId = requirePositiveInteger(
		this.getNodeParameter('callbackId', itemIndex),
		'Callback ID',
	);
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
}
