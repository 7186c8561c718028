import type { IDataObject } from 'n8n-workflow';

import {
	isPending,
	mapStatus,
	stringOrNull,
	toE164,
	withoutEmpty,
	withPastDue,
} from '../shared/callback';
import type { CallbackStatus, NormalizedCallback } from '../shared/callback';
import { isoTextToIsoUtc } from '../shared/time';

export const SPEKO_STATUSES = [
	'scheduled',
	'dispatching',
	'dispatched',
	'cancelled',
	'failed',
] as const;

const STATUS: Record<string, CallbackStatus> = {
	SCHEDULED: 'scheduled',
	DISPATCHING: 'dispatching',
	// Dispatched: the call was placed; the callback's job is done.
	DISPATCHED: 'completed',
	CANCELLED: 'cancelled',
	CANCELED: 'cancelled',
	FAILED: 'failed',
};

const iso = isoTextToIsoUtc;

export function spekoStatus(raw: unknown): CallbackStatus {
	return mapStatus(STATUS, raw);
}

/** Speko's statuses in which a callback may still fall due (by the shared rule). */
export const SPEKO_PENDING_STATUSES = SPEKO_STATUSES.filter((status) =>
	isPending(spekoStatus(status)),
);

/** A Speko record as the normalized callback; `nowMs` tells pending from past due. */
export function normalizeSpekoCallback(record: IDataObject, nowMs: number): NormalizedCallback {
	const scheduledAt = iso(record.scheduled_at);
	return {
		id: stringOrNull(record.id) ?? '',
		provider: 'speko',
		status: withPastDue(spekoStatus(record.status), scheduledAt, nowMs),
		providerStatus: stringOrNull(record.status),
		scheduledAt,
		timezone: null,
		phone: toE164(record.to_number),
		agentId: stringOrNull(record.agent_id),
		campaignId: null,
		leadId: null,
		contactId: null,
		notes: stringOrNull(record.reason),
		createdAt: iso(record.created_at),
		updatedAt: iso(record.updated_at),
		details: withoutEmpty({
			sourceSessionId: stringOrNull(record.source_session_id),
			createdSessionId: stringOrNull(record.created_session_id),
			reason: stringOrNull(record.reason),
			instructions: stringOrNull(record.instructions),
			summary: stringOrNull(record.summary),
			failureCause: stringOrNull(record.failure_cause),
			fromNumber: stringOrNull(record.from_number),
			phoneNumberId: stringOrNull(record.phone_number_id),
			attemptedAt: iso(record.attempted_at),
			dispatchedAt: iso(record.dispatched_at),
			cancelledAt: iso(record.cancelled_at),
			organizationId: stringOrNull(record.organization_id),
		}),
	};
}
