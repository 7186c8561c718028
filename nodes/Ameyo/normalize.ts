import type { IDataObject } from 'n8n-workflow';

import { numberOrNull, stringOrNull, toE164, withPastDueAt } from '../shared/callback';
import type { NormalizedCallback } from '../shared/callback';
import { epochMs, epochMsToIsoUtc } from '../shared/time';

/** A callback's number in E.164, national numbers with the credential's country code. */
export function ameyoPhone(record: IDataObject, countryCallingCode: string): string | null {
	const phoneInfo = (record.phoneInfo ?? {}) as IDataObject;
	return toE164(record.phone ?? phoneInfo.phone, countryCallingCode);
}

/**
 * An Ameyo callback as the normalized callback. Ameyo lists outstanding callbacks and
 * has no status: one with an actual callback time has been called (`completed`);
 * the others are `scheduled`, `past_due` once their time has passed.
 */
export function normalizeAmeyoCallback(
	record: IDataObject,
	countryCallingCode: string,
	nowMs: number,
): NormalizedCallback {
	const scheduledMs = epochMs(record.callbackTime);
	const calledAt = epochMsToIsoUtc(record.actualCallbackTime);
	const customerId = numberOrNull(record.customerId);
	const phoneInfo = (record.phoneInfo ?? {}) as IDataObject;
	return {
		id: stringOrNull(record.customerCallbackId) ?? '',
		provider: 'ameyo',
		status: calledAt ? 'completed' : withPastDueAt('scheduled', scheduledMs, nowMs),
		providerStatus: null,
		scheduledAt: epochMsToIsoUtc(scheduledMs),
		timezone: null,
		phone: ameyoPhone(record, countryCallingCode),
		agentId: stringOrNull(record.userId),
		campaignId: numberOrNull(record.campaignId),
		leadId: null,
		// -1 is Ameyo's "no customer".
		contactId: customerId === null || customerId < 0 ? null : customerId,
		notes: null,
		createdAt: epochMsToIsoUtc(record.dateAdded),
		updatedAt: null,
		details: ameyoDetails(record, phoneInfo, calledAt),
	};
}

/** The fields of `details` that have a value, stored by name (see `withoutEmpty`). */
function ameyoDetails(
	record: IDataObject,
	phoneInfo: IDataObject,
	calledAt: string | null,
): IDataObject {
	const details: IDataObject = {};
	if (typeof record.selfCallback === 'boolean') details.selfCallback = record.selfCallback;
	const lastScheduledBy = stringOrNull(record.lastScheduledBy);
	if (lastScheduledBy !== null) details.lastScheduledBy = lastScheduledBy;
	const campaignName = stringOrNull(record.campaignName);
	if (campaignName !== null) details.campaignName = campaignName;
	const displayPhone = stringOrNull(phoneInfo.displayPhone);
	if (displayPhone !== null) details.displayPhone = displayPhone;
	const maskedPhone = stringOrNull(record.maskedPhone);
	if (maskedPhone !== null) details.maskedPhone = maskedPhone;
	if (calledAt !== null) details.calledAt = calledAt;
	if (Array.isArray(record.groupIds)) details.groupIds = record.groupIds;
	if (Array.isArray(record.groupManagerIds)) details.groupManagerIds = record.groupManagerIds;
	return details;
}
