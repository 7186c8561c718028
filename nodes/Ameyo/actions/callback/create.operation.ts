import type { INodeProperties } from 'n8n-workflow';

import type { ItemOperation } from '../../../shared/actions';
import { toE164 } from '../../../shared/callback';
import { callingHoursProperties, guardCall } from '../../../shared/callingHoursGuard';
import { requireText } from '../../../shared/validate';
import { addCallback, readCustomerId, readPhone, readTime, timeFields } from '../../create';
import { normalizeAmeyoCallback } from '../../normalize';
import { readCampaignId } from '../../search';
import { campaignIdField, countryCode, simplifyField, simplifyOn } from '../common';

export const properties: INodeProperties[] = [
	{
		displayName:
			"Experimental: Ameyo's REST API has no create. This uses Ameyo's older addCallback web command, whose time format Ameyo does not document (choose it below). Check the first callbacks you create in Ameyo.",
		name: 'experimentalNotice',
		type: 'notice',
		default: '',
	},
	campaignIdField,
	{
		displayName: 'Phone Number',
		name: 'phoneNumber',
		type: 'string',
		default: '',
		required: true,
		placeholder: '9812345678',
		description:
			'The number to call back, as Ameyo stores numbers (national, or with + and the country code)',
	},
	...timeFields,
	{
		displayName: 'Agent (User ID)',
		name: 'agentId',
		type: 'string',
		default: '',
		required: true,
		description: 'The agent who gets the callback',
	},
	{
		displayName: 'Self Callback',
		name: 'selfCallback',
		type: 'boolean',
		default: true,
		description: 'Whether the callback is for this agent only (a self callback)',
	},
	{
		displayName: 'Customer ID',
		name: 'customerId',
		type: 'string',
		default: '',
		description: 'The Ameyo customer the callback is for, when known',
	},
	...callingHoursProperties('schedule'),
	simplifyField,
];

export const execute: ItemOperation = async function (itemIndex, client) {
	const campaignId = readCampaignId(this.getNodeParameter('campaignId', itemIndex));
	const phone = readPhone(this.getNodeParameter('phoneNumber', itemIndex));
	const { time, timeFormat, serverTimeZone } = readTime(this, itemIndex, client.runtime.now());
	const userId = requireText(
		this.getNodeParameter('agentId', itemIndex),
		'Agent (User ID)',
		'an agent user ID',
	);
	const selfCallback = this.getNodeParameter('selfCallback', itemIndex, true) as boolean;
	const customerId = readCustomerId(this.getNodeParameter('customerId', itemIndex, ''));

	const code = await countryCode(client);
	const guarded = guardCall(
		this,
		itemIndex,
		{ timeMs: time.toMillis(), phone: toE164(phone, code) },
		'schedule',
	);
	const at = time.plus(guarded.timeMs - time.toMillis());
	const { id, sent } = await addCallback(
		client,
		{ campaignId, phone, time: at, userId, selfCallback, customerId, timeFormat, serverTimeZone },
		itemIndex,
	);
	const record = {
		customerCallbackId: id,
		campaignId,
		callbackTime: at.toMillis(),
		selfCallback,
		userId,
		phone,
		customerId: customerId ?? -1,
	};
	const moved = guarded.moved && { callingHours: guarded.moved };
	if (!simplifyOn(this, itemIndex)) return { ...record, sent, ...moved };
	const created = normalizeAmeyoCallback(record, code, client.runtime.now());
	return {
		...created,
		details: { ...created.details, sentCallBackTime: sent.callBackTime, ...moved },
	};
};
