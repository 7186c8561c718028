import type { IDataObject } from 'n8n-workflow';

import {
	isPending,
	mapStatus,
	numberOrNull,
	stringOrNull,
	toE164,
	withoutEmpty,
	withPastDue,
} from '../shared/callback';
import type { CallbackStatus, NormalizedCallback } from '../shared/callback';
import { isoTextToIsoUtc } from '../shared/time';

export const TALKDESK_STATUSES = [
	'UNATTEMPTED',
	'TO_BE_RETRIED',
	'EXHAUSTED',
	'SUCCESS',
	'CANCELED',
	'INVALID_NUMBER',
] as const;

export const TALKDESK_ASSIGN_TYPES = [
	'MYSELF_ONLY',
	'SPECIFIC_AGENT',
	'SPECIFIC_RING_GROUP',
	'MYSELF_IF_AVAILABLE',
	'ANY_ELIGIBLE_AGENT',
] as const;

export const TALKDESK_FROM_CALL_TYPES = [
	'INBOUND',
	'MANUAL_OUTBOUND',
	'PROACTIVE_OUTBOUND',
] as const;

const STATUS: Record<string, CallbackStatus> = {
	UNATTEMPTED: 'scheduled',
	// Tried, and waiting for its next time to call: still to ring.
	TO_BE_RETRIED: 'scheduled',
	SUCCESS: 'completed',
	CANCELED: 'cancelled',
	CANCELLED: 'cancelled',
	// Out of attempts, or a number that cannot be called: it will not ring again.
	EXHAUSTED: 'failed',
	INVALID_NUMBER: 'failed',
};

export function talkdeskStatus(raw: unknown): CallbackStatus {
	return mapStatus(STATUS, raw);
}

/** Talkdesk's statuses in which a callback may still fall due (by the shared rule). */
export const TALKDESK_PENDING_STATUSES = TALKDESK_STATUSES.filter((status) =>
	isPending(talkdeskStatus(status)),
);

/** When the callback rings next: `next_time_to_call`, moved by retries, else the scheduled time. */
export function talkdeskScheduledAt(record: IDataObject): unknown {
	return record.next_time_to_call ?? record.scheduled_time_to_call ?? record.time_to_call;
}

/** The values of one key in a list of objects (`agents: [{agent_id}]` → ids). */
function listOf(value: unknown, key: string): string[] {
	if (!Array.isArray(value)) return [];
	const result: string[] = [];
	for (const entry of value) {
		const text = stringOrNull(
			typeof entry === 'object' && entry !== null ? (entry as IDataObject)[key] : entry,
		);
		if (text !== null) result.push(text);
	}
	return result;
}

/** "09:00" from the 2000-01-01 date-times Talkdesk uses for a daily window. */
function timeOfDay(value: unknown): string | null {
	const text = stringOrNull(value);
	const match = text === null ? null : /T(\d{2}:\d{2})/.exec(text);
	return match ? match[1] : null;
}

/** A Talkdesk record as the normalized callback; `nowMs` tells pending from past due. */
export function normalizeTalkdeskCallback(record: IDataObject, nowMs: number): NormalizedCallback {
	const scheduledAt = isoTextToIsoUtc(talkdeskScheduledAt(record));
	const agents = listOf(record.agents, 'agent_id');
	const windowStart = timeOfDay(record.preferred_start_time);
	const windowEnd = timeOfDay(record.preferred_end_time);
	return {
		id: stringOrNull(record.id) ?? stringOrNull(record.callback_id) ?? '',
		provider: 'talkdesk',
		status: withPastDue(talkdeskStatus(record.status), scheduledAt, nowMs),
		providerStatus: stringOrNull(record.status),
		scheduledAt,
		timezone: stringOrNull(record.timezone),
		phone: toE164(record.phone_number),
		agentId: stringOrNull(record.agent_id) ?? agents[0] ?? null,
		campaignId: stringOrNull(record.campaign_id),
		leadId: stringOrNull(record.record_id),
		contactId: stringOrNull(record.contact_id),
		notes: stringOrNull(record.notes),
		createdAt: isoTextToIsoUtc(record.created_at),
		updatedAt: isoTextToIsoUtc(record.processed_time),
		details: withoutEmpty({
			assignType: stringOrNull(record.assign_type),
			agents: agents.length > 0 ? agents : null,
			teams: nonEmpty(listOf(record.teams, 'team_id')),
			ringGroups: nonEmpty(listOf(record.ring_groups, 'ring_group')),
			fromCallType: stringOrNull(record.from_call_type),
			dialingModel: stringOrNull(record.dialing_model),
			callerId: toE164(record.caller_id),
			originalTimeToCall: isoTextToIsoUtc(record.time_to_call),
			callingWindow: windowStart && windowEnd ? `${windowStart}-${windowEnd}` : null,
			retryAttempts: numberOrNull(record.current_retry_attempts),
			rescheduledAttempts: numberOrNull(record.current_rescheduled_attempts),
			maxRescheduledAttempts: numberOrNull(record.max_rescheduled_attempts),
			recordListId: stringOrNull(record.record_list_id),
			recordListName: stringOrNull(record.record_list_name),
			firstName: stringOrNull(record.record_first_name),
			lastName: stringOrNull(record.record_last_name),
			interactionId: stringOrNull(record.interaction_id),
			exclusiveToAgent:
				typeof record.exclusive_to_agent === 'boolean' ? record.exclusive_to_agent : null,
			createdBy: stringOrNull(record.created_by),
		}),
	};
}

function nonEmpty(values: string[]): string[] | null {
	return values.length > 0 ? values : null;
}
