import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { requirePositiveInteger } from '../../../shared/validate';
import { convosoCall } from '../../transport';
import { callbackIdField } from '../common';

const properties: INodeProperties[] = [callbackIdField];

export const description = updateDisplayOptions(
	{ show: { resource: ['callback'], operation: ['delete'] } },
	properties,
);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const callbackId = requirePositiveInteger(
		this.getNodeParameter('callbackId', itemIndex),
		'Callback ID',
	);
	await convosoCall(
		this,
		'/callbacks/delete',
		{ callback_id: callbackId },
		{ idempotent: true, itemIndex },
	);
	return { id: callbackId, provider: 'convoso', deleted: true };
}
