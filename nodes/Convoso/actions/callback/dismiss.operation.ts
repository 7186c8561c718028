import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { requirePositiveInteger } from '../../../shared/validate';
import { convosoCall } from '../../transport';
import { callbackIdField, simplifyField } from '../common';
import type { ProviderClient } from '../../../shared/transport';

export const properties: INodeProperties[] = [callbackIdField, simplifyField];

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	client: ProviderClient,
): Promise<IDataObject> {
	const callbackId = requirePositiveInteger(
		this.getNodeParameter('callbackId', itemIndex),
		'Callback ID',
	);
	// Convoso's pages disagree on the field name (callback_status or status); both are
	// sent, with the documented value, so either variant dismisses the callback.
	const { body } = await convosoCall(
		client,
		'/callbacks/update',
		{ callback_id: callbackId, callback_status: 'dismissed', status: 'dismissed' },
		{ idempotent: true, itemIndex },
	);
	if (!(this.getNodeParameter('simplify', itemIndex, true) as boolean)) return body;
	return {
		id: callbackId,
		provider: 'convoso',
		status: 'cancelled',
		providerStatus: 'DISMISSED',
		dismissed: true,
	};
}
