import type { INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { ItemOperation } from '../../../shared/actions';
import { locatorValue } from '../../../shared/locators';
import { normalizeAmeyoCallback } from '../../normalize';
import { AMEYO_PAGE_SIZE, findCallback, readCampaignId } from '../../search';
import {
	callbackIdField,
	campaignIdField,
	countryCode,
	readCallbackId,
	simplifyField,
	simplifyOn,
} from '../common';

export const properties: INodeProperties[] = [
	{
		displayName: `Ameyo has no way to read one callback: the node reads the campaign's callbacks (${AMEYO_PAGE_SIZE.toLocaleString('en-US')} per request) until it finds this one`,
		name: 'getNotice',
		type: 'notice',
		default: '',
	},
	campaignIdField,
	callbackIdField,
	simplifyField,
];

export const execute: ItemOperation = async function (itemIndex, client) {
	const campaignId = readCampaignId(this.getNodeParameter('campaignId', itemIndex));
	const id = readCallbackId(locatorValue(this, 'callbackId', itemIndex));
	const found = await findCallback(client, campaignId, id, itemIndex);
	if (!found.record) {
		throw new NodeOperationError(
			this.getNode(),
			`No callback ${id} in Ameyo campaign ${campaignId}`,
			{
				itemIndex,
				description: `The campaign's ${found.read} callbacks were read (${found.requests} request(s)); the callback may have been called, deleted, or belong to another campaign.`,
			},
		);
	}
	return simplifyOn(this, itemIndex)
		? { ...normalizeAmeyoCallback(found.record, await countryCode(client), client.runtime.now()) }
		: found.record;
};
