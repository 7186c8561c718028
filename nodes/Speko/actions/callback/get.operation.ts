import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { normalizeSpekoCallback } from '../../normalize';
import { callbackPath } from '../../transport';
import { callbackIdField, readCallbackId, simplifyField } from '../common';
import type { ProviderClient } from '../../../shared/transport';

export const properties: INodeProperties[] = [callbackIdField, simplifyField];

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	client: ProviderClient,
): Promise<IDataObject> {
	const id = readCallbackId(this.getNodeParameter('callbackId', itemIndex));
	const simplify = this.getNodeParameter('simplify', itemIndex, true) as boolean;
	const record = await client.body(
		{ method: 'GET', url: callbackPath(id), idempotent: true },
		itemIndex,
	);
	return simplify ? { ...normalizeSpekoCallback(record) } : record;
}
