import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { toNodeApiError } from '../../../shared/errors';
import { requirePositiveInteger } from '../../../shared/validate';
import { NO_CALLBACKS_FOUND } from '../../errorCodes';
import { normalizeConvosoCallback } from '../../normalize';
import { convosoCall, unwrapPage } from '../../transport';
import { callbackIdField, getAccount, simplifyField } from '../common';

const properties: INodeProperties[] = [callbackIdField, simplifyField];

export const description = updateDisplayOptions(
	{ show: { resource: ['callback'], operation: ['get'] } },
	properties,
);

/** Convoso has no "get": a search by id is the documented way. */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const callbackId = requirePositiveInteger(
		this.getNodeParameter('callbackId', itemIndex),
		'Callback ID',
	);
	const simplify = this.getNodeParameter('simplify', itemIndex, true) as boolean;
	const account = await getAccount.call(this);

	const { body, acceptedError } = await convosoCall(
		this,
		'/callbacks/search',
		{ id: callbackId, offset: 0, limit: 1 },
		{ idempotent: true, itemIndex, acceptError: (info) => info.code === NO_CALLBACKS_FOUND },
	);
	const record = acceptedError
		? undefined
		: unwrapPage(body).results.find((r) => String(r.id) === String(callbackId));
	if (!record) {
		throw toNodeApiError(
			this.getNode(),
			{ httpCode: 404, code: 6038, message: `Convoso has no callback with ID ${callbackId}` },
			[],
			itemIndex,
		);
	}
	return simplify ? { ...normalizeConvosoCallback(record, account) } : record;
}
