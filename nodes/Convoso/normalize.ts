import type { IDataObject } from 'n8n-workflow';

import {
	idOrNull,
	mapStatus,
	numberOrNull,
	stringOrNull,
	toE164,
	withoutEmpty,
	withPastDueAt,
} from '../shared/callback';
import type { CallbackStatus, NormalizedCallback } from '../shared/callback';
import { msToIsoUtc } from '../shared/time';
import { convosoLocalTimeToIso, convosoLocalTimeToMs } from './time';

/** Account settings that shape how Convoso records read: stored in the credential. */
export interface ConvosoAccount {
	/** IANA zone in which Convoso's zone-less times are read. */
	timezone: string;
	countryCallingCode: string;
}

// Convoso's stage words vary by document ("PAST_DUE", "PASTDUE", "Past Due", "MISSED").
const STAGE_TO_STATUS: Record<string, CallbackStatus> = {
	PENDING: 'scheduled',
	NEW: 'scheduled',
	SCHEDULED: 'scheduled',
	PAST_DUE: 'past_due',
	PASTDUE: 'past_due',
	MISSED: 'past_due',
	COMPLETED: 'completed',
	DONE: 'completed',
	DISMISSED: 'cancelled',
	CANCELLED: 'cancelled',
	DELETED: 'cancelled',
};

// Used only when a record has no stage.
const RECORD_STATUS_TO_STATUS: Record<string, CallbackStatus> = {
	ACTIVE: 'scheduled',
	LIVE: 'scheduled',
	PENDING: 'scheduled',
	DISMISSED: 'cancelled',
	COMPLETED: 'completed',
};

export function convosoStatus(record: IDataObject): CallbackStatus {
	const stage = stringOrNull(record.stage);
	const status = stage
		? mapStatus(STAGE_TO_STATUS, stage)
		: mapStatus(RECORD_STATUS_TO_STATUS, record.status);
	// A pending callback whose time has passed is shown by Convoso in the past-due class.
	if (status === 'scheduled' && stringOrNull(record.class)?.toLowerCase() === 'past_due')
		return 'past_due';
	return status;
}

/** A Convoso record as the normalized callback; `nowMs` tells pending from past due. */
export function normalizeConvosoCallback(
	record: IDataObject,
	account: ConvosoAccount,
	nowMs: number,
): NormalizedCallback {
	const scheduledMs = convosoLocalTimeToMs(record.callback_time, account.timezone);
	const scheduledAt = scheduledMs === null ? null : msToIsoUtc(scheduledMs);
	return {
		id: idOrNull(record.id) ?? '',
		provider: 'convoso',
		status: withPastDueAt(convosoStatus(record), scheduledMs, nowMs),
		providerStatus: stringOrNull(record.stage) ?? stringOrNull(record.status),
		scheduledAt,
		timezone: account.timezone,
		phone: convosoPhone(record, account),
		agentId: idOrNull(record.user_id ?? record.user),
		campaignId: idOrNull(record.campaign_id),
		leadId: idOrNull(record.lead_id),
		contactId: null,
		notes: stringOrNull(record.comments),
		createdAt: convosoLocalTimeToIso(record.created_at, account.timezone),
		updatedAt: convosoLocalTimeToIso(record.modified_at, account.timezone),
		details: withoutEmpty({
			recipient: stringOrNull(record.recipient),
			stage: stringOrNull(record.stage),
			recordStatus: stringOrNull(record.status),
			class: stringOrNull(record.class),
			listId: numberOrNull(record.list_id),
			agentName: stringOrNull(record.user_name),
			campaignName: stringOrNull(record.campaign_name),
			campaignType: stringOrNull(record.campaign_type),
			directoryName: stringOrNull(record.directory_name),
			context: stringOrNull(record.context),
			seenAt: convosoLocalTimeToIso(record.callback_seen, account.timezone),
			localCallbackTime: stringOrNull(record.callback_time),
		}),
	};
}

/** JSON Schema of a simplified lead (Lead → Search), for the editor. */
export const leadSchema: IDataObject = {
	type: 'object',
	properties: Object.fromEntries(
		[
			['id', ['number', 'string', 'null']],
			['provider', 'string'],
			...['firstName', 'lastName', 'phone', 'email', 'status'].map((f) => [f, ['string', 'null']]),
			['listId', ['number', 'null']],
			['agentId', ['number', 'string', 'null']],
			...['city', 'state', 'postalCode', 'country'].map((f) => [f, ['string', 'null']]),
			['createdAt', ['string', 'null']],
			['updatedAt', ['string', 'null']],
		].map(([field, type]) => [field as string, { type }]),
	),
	required: ['id', 'provider'],
};

/** A lead's or a callback's number in E.164, with the lead's own country code when it has one. */
export function convosoPhone(record: IDataObject, account: ConvosoAccount): string | null {
	return toE164(record.phone_number, stringOrNull(record.phone_code) ?? account.countryCallingCode);
}

/** A lead, with numbers as numbers and the phone in E.164 where possible. */
export function normalizeConvosoLead(record: IDataObject, account: ConvosoAccount): IDataObject {
	return {
		id: idOrNull(record.id ?? record.lead_id),
		provider: 'convoso',
		firstName: stringOrNull(record.first_name),
		lastName: stringOrNull(record.last_name),
		phone: convosoPhone(record, account),
		email: stringOrNull(record.email),
		status: stringOrNull(record.status),
		listId: numberOrNull(record.list_id),
		agentId: idOrNull(record.user_id),
		city: stringOrNull(record.city),
		state: stringOrNull(record.state),
		postalCode: stringOrNull(record.postal_code),
		country: stringOrNull(record.country),
		createdAt: convosoLocalTimeToIso(record.created_at, account.timezone),
		updatedAt: convosoLocalTimeToIso(record.modified_at ?? record.updated_at, account.timezone),
	};
}
