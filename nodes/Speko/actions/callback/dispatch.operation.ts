import type { INodeProperties, JsonObject } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import type { ItemOperation } from '../../../shared/actions';
import {
	callingHoursOn,
	callingHoursProperties,
	guardCall,
} from '../../../shared/callingHoursGuard';
import { locatorValue } from '../../../shared/locators';
import { normalizeSpekoCallback } from '../../normalize';
import { callbackPath } from '../../transport';
import { callbackIdField, readCallbackId, simplifyField } from '../common';

export const properties: INodeProperties[] = [
	{
		displayName:
			'Dispatch Now places a real phone call to the customer right away. Only a callback in status "scheduled" can be dispatched.',
		name: 'dispatchNotice',
		type: 'notice',
		default: '',
	},
	callbackIdField,
	...callingHoursProperties('dispatch'),
	simplifyField,
];

export const execute: ItemOperation = async function (itemIndex, client) {
	const id = readCallbackId(locatorValue(this, 'callbackId', itemIndex));
	const simplify = this.getNodeParameter('simplify', itemIndex, true) as boolean;
	if (callingHoursOn(this, itemIndex)) {
		// The callee's number, for their calling hours: one read before the call.
		const callback = await client.body(
			{ method: 'GET', url: callbackPath(id), idempotent: true },
			itemIndex,
		);
		guardCall(
			this,
			itemIndex,
			{ timeMs: client.runtime.now(), phone: callback.to_number as string | undefined },
			'dispatch',
		);
	}
	try {
		// This places a phone call: never repeated when the outcome is unknown.
		const record = await client.body(
			{ method: 'POST', url: callbackPath(id, 'dispatch'), body: {}, idempotent: false },
			itemIndex,
		);
		return simplify ? { ...normalizeSpekoCallback(record, client.runtime.now()) } : record;
	} catch (error) {
		if (error instanceof NodeApiError && error.httpCode === '409') {
			error.message = `Callback ${id} cannot be dispatched: it is not in status "scheduled" (${error.message})`;
			error.description =
				'Only scheduled callbacks can be dispatched. Get the callback to see its status.';
		}
		throw new NodeApiError(this.getNode(), error as JsonObject);
	}
};
