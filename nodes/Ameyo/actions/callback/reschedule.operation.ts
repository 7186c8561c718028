import type { IDataObject, INodeProperties } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import type { ItemOperation } from '../../../shared/actions';
import { toE164 } from '../../../shared/callback';
import { callingHoursProperties, guardCall } from '../../../shared/callingHoursGuard';
import { locatorValue } from '../../../shared/locators';
import { epochMsToIsoUtc } from '../../../shared/time';
import { optionalText } from '../../../shared/validate';
import { addCallback, readTime, timeFields } from '../../create';
import { normalizeAmeyoCallback } from '../../normalize';
import { findCallback, readCampaignId } from '../../search';
import {
	callbackIdField,
	campaignIdField,
	countryCode,
	readCallbackId,
	simplifyField,
	simplifyOn,
} from '../common';
import { deleteCallback } from './delete.operation';

export const properties: INodeProperties[] = [
	{
		displayName:
			"Ameyo has no reschedule: the node deletes the callback, then creates it again at the new time (with Ameyo's experimental addCallback command). The callback gets a new ID; the output has both. If creating fails, the error gives the deleted callback's details.",
		name: 'rescheduleNotice',
		type: 'notice',
		default: '',
	},
	campaignIdField,
	callbackIdField,
	...timeFields,
	{
		displayName: 'New Agent (User ID)',
		name: 'agentId',
		type: 'string',
		default: '',
		description: 'Give the callback to another agent; empty keeps its agent',
	},
	...callingHoursProperties('schedule'),
	simplifyField,
];

/** What a builder needs to create the callback again by hand. */
function describeOriginal(record: IDataObject): string {
	return JSON.stringify({
		customerCallbackId: record.customerCallbackId,
		campaignId: record.campaignId,
		phone: record.phone,
		callbackTime: epochMsToIsoUtc(record.callbackTime),
		userId: record.userId,
		selfCallback: record.selfCallback,
		customerId: record.customerId,
	});
}

export const execute: ItemOperation = async function (itemIndex, client) {
	const campaignId = readCampaignId(this.getNodeParameter('campaignId', itemIndex));
	const id = readCallbackId(locatorValue(this, 'callbackId', itemIndex));
	const { time, timeFormat, serverTimeZone } = readTime(this, itemIndex, client.runtime.now());
	const newAgent = optionalText(this.getNodeParameter('agentId', itemIndex, ''));

	const { record: original } = await findCallback(client, campaignId, id, itemIndex);
	if (!original)
		throw new NodeOperationError(
			this.getNode(),
			`No callback ${id} in Ameyo campaign ${campaignId}`,
			{
				itemIndex,
				description: 'Nothing was changed.',
			},
		);

	const code = await countryCode(client);
	// Checked before anything changes: a refused time deletes nothing.
	const guarded = guardCall(
		this,
		itemIndex,
		{ timeMs: time.toMillis(), phone: toE164(original.phone, code) },
		'schedule',
	);
	const at = time.plus(guarded.timeMs - time.toMillis());

	// Delete first: a customer must never get two calls. If the new one cannot be
	// created, the error carries everything needed to create it again.
	await deleteCallback(client, id, itemIndex);
	let created: { id: string; sent: IDataObject };
	try {
		created = await addCallback(
			client,
			{
				campaignId,
				phone: String(original.phone ?? ''),
				time: at,
				userId: newAgent ?? String(original.userId ?? ''),
				selfCallback: original.selfCallback === true,
				customerId:
					typeof original.customerId === 'number' && original.customerId >= 0
						? original.customerId
						: undefined,
				timeFormat,
				serverTimeZone,
			},
			itemIndex,
		);
	} catch (error) {
		const cause = error as { message?: string; description?: string };
		throw new NodeApiError(
			this.getNode(),
			{ message: cause.message ?? String(error) },
			{
				itemIndex,
				message: `Callback ${id} was deleted, but creating it again at the new time failed: ${cause.message ?? String(error)}`,
				description: `${cause.description ? `${cause.description} ` : ''}The deleted callback was ${describeOriginal(original)}. Create it again (for example with Create) so it is not lost.`,
			},
		);
	}
	const record = {
		...original,
		customerCallbackId: created.id,
		callbackTime: at.toMillis(),
		userId: newAgent ?? original.userId,
	};
	const moved = guarded.moved && { callingHours: guarded.moved };
	if (!simplifyOn(this, itemIndex)) return { ...record, previousCustomerCallbackId: id, ...moved };
	const rescheduled = normalizeAmeyoCallback(record, code, client.runtime.now());
	return { ...rescheduled, details: { ...rescheduled.details, previousId: id, ...moved } };
};
