import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { requirePositiveInteger } from '../../../shared/validate';
import { convosoCall } from '../../transport';
import { callbackIdField } from '../common';
import type { ProviderClient } from '../../../shared/transport';

export const properties: INodeProperties[] = [callbackIdField];

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	client: ProviderClient,
): Promise<IDataObject> {
	const callbackId = requirePositiveInteger(
		this.getNodeParameter('callbackId', itemIndex),
		'Callback ID',
	);
	await convosoCall(
		client,
		'/callbacks/delete',
		{ callback_id: callbackId },
		{ idempotent: true, itemIndex },
	);
	return { id: callbackId, provider: 'convoso', deleted: true };
}
