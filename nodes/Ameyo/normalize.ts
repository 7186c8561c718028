import type { IDataObject } from 'n8n-workflow';

import {
	numberOrNull,
	stringOrNull,
	toE164,
	withoutEmpty,
	withPastDueAt,
} from '../shared/callback';
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
	const scheduledAt = epochMsToIsoUtc(scheduledMs);
	const calledAt = epochMsToIsoUtc(record.actualCallbackTime);
	const customerId = numberOrNull(record.customerId);
	const phoneInfo = (record.phoneInfo ?? {}) as IDataObject;
	return {
		id: stringOrNull(record.customerCallbackId) ?? '',
		provider: 'ameyo',
		status: calledAt ? 'completed' : withPastDueAt('scheduled', scheduledMs, nowMs),
		providerStatus: null,
		scheduledAt,
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
		details: withoutEmpty({
			selfCallback: typeof record.selfCallback === 'boolean' ? record.selfCallback : null,
			lastScheduledBy: stringOrNull(record.lastScheduledBy),
			campaignName: stringOrNull(record.campaignName),
			displayPhone: stringOrNull(phoneInfo.displayPhone),
			maskedPhone: stringOrNull(record.maskedPhone),
			calledAt,
			groupIds: Array.isArray(record.groupIds) ? record.groupIds : null,
			groupManagerIds: Array.isArray(record.groupManagerIds) ? record.groupManagerIds : null,
		}),
	};
}
