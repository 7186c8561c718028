import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { normalizeSpekoCallback } from '../../normalize';
import { callbackPath, spekoRequest } from '../../transport';
import { callbackIdField, readCallbackId, simplifyField } from '../common';

export const description = updateDisplayOptions(
	{ show: { resource: ['callback'], operation: ['get'] } },
	[callbackIdField, simplifyField] as INodeProperties[],
);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const id = readCallbackId(this.getNodeParameter('callbackId', itemIndex));
	const simplify = this.getNodeParameter('simplify', itemIndex, true) as boolean;
	const record = await spekoRequest(
		this,
		{ method: 'GET', path: callbackPath(id), idempotent: true },
		itemIndex,
	);
	return simplify ? { ...normalizeSpekoCallback(record) } : record;
}
