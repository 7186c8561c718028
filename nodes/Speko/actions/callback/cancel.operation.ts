import type { INodeProperties } from 'n8n-workflow';

import { optionalText, requireMaxLength } from '../../../shared/validate';
import type { ItemOperation } from '../../../shared/actions';
import { locatorValue } from '../../../shared/locators';
import { normalizeSpekoCallback } from '../../normalize';
import { callbackPath } from '../../transport';
import { callbackIdField, readCallbackId, simplifyField } from '../common';

const MAX_REASON_LENGTH = 500;

export const properties: INodeProperties[] = [
	callbackIdField,
	{
		displayName: 'Reason',
		name: 'reason',
		type: 'string',
		default: '',
		typeOptions: { rows: 2 },
		description: `Why the callback is cancelled (optional, at most ${MAX_REASON_LENGTH} characters)`,
	},
	simplifyField,
];

export const execute: ItemOperation = async function (itemIndex, client) {
	const id = readCallbackId(locatorValue(this, 'callbackId', itemIndex));
	const reasonText = optionalText(this.getNodeParameter('reason', itemIndex, ''));
	const reason =
		reasonText === undefined
			? undefined
			: requireMaxLength(reasonText, MAX_REASON_LENGTH, 'Reason');
	const simplify = this.getNodeParameter('simplify', itemIndex, true) as boolean;
	// Cancelling twice leaves the same state, so a lost answer may be retried.
	const record = await client.body(
		{
			method: 'POST',
			url: callbackPath(id, 'cancel'),
			body: reason === undefined ? {} : { reason },
			idempotent: true,
		},
		itemIndex,
	);
	return simplify ? { ...normalizeSpekoCallback(record, client.runtime.now()) } : record;
};
