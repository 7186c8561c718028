import type { DateTime } from 'luxon';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions, INodeProperties, JsonObject } from 'n8n-workflow';

import { InputError } from '../shared/errors';
import { assertZone, parseDateTimeInput } from '../shared/time';
import type { ProviderClient } from '../shared/transport';
import { optionalText, requireText } from '../shared/validate';
import { timeZoneOptions } from '../shared/zones';
import { ADD_CALLBACK_PATH, ameyoSpec, LIST_PATH } from './transport';

/**
 * Ameyo's legacy `addCallback` command, shared by Create and Reschedule. It is not
 * part of Ameyo's documented REST API: its time format is undocumented, so it is a
 * choice (server-local "YYYY-MM-DD HH:mm:ss" in the server's zone, or epoch ms).
 */

export const timeFields: INodeProperties[] = [
	{
		displayName: 'Callback Time',
		name: 'callbackTime',
		type: 'dateTime',
		default: '',
		required: true,
		description:
			'When to call back. A time without an offset (e.g. 2026-03-05T14:30:00) is a wall-clock time in the Time Zone below; one with an offset or Z is that exact instant.',
	},
	{
		displayName: 'Time Zone',
		name: 'timeZone',
		type: 'options',
		options: timeZoneOptions({
			name: "The Workflow's Time Zone",
			description: 'The time zone set in the workflow settings (or the n8n instance default)',
		}),
		default: '',
		description: 'The IANA zone in which a Callback Time without an offset is read',
	},
	{
		displayName: 'Time Format Sent',
		name: 'timeFormat',
		type: 'options',
		options: [
			{
				name: 'Server Local Time',
				value: 'serverLocal',
				description:
					'"YYYY-MM-DD HH:mm:ss" on the Ameyo server\'s clock (the format its web commands use)',
			},
			{
				name: 'Epoch Milliseconds',
				value: 'epochMs',
				description: 'As Ameyo lists callback times',
			},
		],
		default: 'serverLocal',
		description:
			'Ameyo does not document the format of addCallback’s time: pick what your server takes',
	},
	{
		displayName: 'Server Time Zone',
		name: 'serverTimeZone',
		type: 'options',
		options: timeZoneOptions(),
		default: 'Asia/Kolkata',
		description: 'The zone of the Ameyo server’s clock',
		displayOptions: { show: { timeFormat: ['serverLocal'] } },
	},
];

export interface NewCallback {
	campaignId: number;
	phone: string;
	time: DateTime;
	userId: string;
	selfCallback: boolean;
	customerId?: number;
	timeFormat: 'serverLocal' | 'epochMs';
	serverTimeZone: string;
}

/** Reads and checks the time fields of an item. */
export function readTime(ctx: IExecuteFunctions, itemIndex: number, nowMs: number) {
	const zoneChoice = ctx.getNodeParameter('timeZone', itemIndex, '') as string;
	const zone =
		zoneChoice === ''
			? assertZone(ctx.getTimezone(), "Workflow's time zone")
			: assertZone(zoneChoice, 'Time Zone');
	const time = parseDateTimeInput(
		ctx.getNodeParameter('callbackTime', itemIndex),
		zone,
		'Callback Time',
	).startOf('second');
	if (time.toMillis() <= nowMs)
		throw new InputError('Callback Time', time.toISO(), 'a time in the future');
	const timeFormat = ctx.getNodeParameter('timeFormat', itemIndex, 'serverLocal') as string;
	if (timeFormat !== 'serverLocal' && timeFormat !== 'epochMs')
		throw new InputError('Time Format Sent', timeFormat, '"serverLocal" or "epochMs"');
	const serverTimeZone =
		timeFormat === 'serverLocal'
			? assertZone(
					ctx.getNodeParameter('serverTimeZone', itemIndex, 'Asia/Kolkata'),
					'Server Time Zone',
				)
			: 'UTC';
	return { time, timeFormat: timeFormat as NewCallback['timeFormat'], serverTimeZone };
}

/** A phone number as Ameyo stores it: digits, with a leading + kept. */
export function readPhone(value: unknown): string {
	const text = requireText(value, 'Phone Number', 'a phone number').replace(/[\s().-]/g, '');
	if (!/^\+?\d{5,15}$/.test(text))
		throw new InputError(
			'Phone Number',
			value,
			'a phone number: digits, optionally + and the country code',
		);
	return text;
}

export function readCustomerId(value: unknown): number | undefined {
	const text = optionalText(value);
	if (text === undefined) return undefined;
	if (!/^\d{1,15}$/.test(text)) throw new InputError('Customer ID', value, 'a numeric customer ID');
	return Number(text);
}

/** The time as sent to Ameyo. */
export function wireTime(
	callback: Pick<NewCallback, 'time' | 'timeFormat' | 'serverTimeZone'>,
): string | number {
	return callback.timeFormat === 'epochMs'
		? callback.time.toMillis()
		: callback.time.setZone(callback.serverTimeZone).toFormat('yyyy-MM-dd HH:mm:ss');
}

/**
 * Adds a callback and returns its new id. A cheap list request first makes sure a
 * session exists (the command carries the session id in its body) and that the
 * campaign does. Never repeated when its outcome is unknown.
 */
export async function addCallback(
	client: ProviderClient,
	callback: NewCallback,
	itemIndex?: number,
): Promise<{ id: string; sent: IDataObject }> {
	await client.request(
		{
			method: 'GET',
			url: LIST_PATH,
			qs: { offset: 0, campaignId: callback.campaignId, limit: 1 },
			idempotent: true,
		},
		itemIndex,
	);
	const data: IDataObject = {
		sessionId: '',
		campaignId: callback.campaignId,
		callBackTime: wireTime(callback),
		isSelfCallBack: String(callback.selfCallback),
		userId: callback.userId,
		callBackHandlerType: 'voice.campaign.callback.handler',
		callBackProperties: {
			phone: callback.phone,
			...(callback.customerId !== undefined && { customerId: callback.customerId }),
		},
	};
	// The command carries the session in its body, read fresh from the credential.
	const send = async () => {
		data.sessionId = String(
			(await client.ctx.getCredentials(ameyoSpec.credentialType)).sessionId ?? '',
		);
		return await client.body(
			{
				method: 'POST',
				url: ADD_CALLBACK_PATH,
				qs: { command: 'addCallback' },
				body: { data: JSON.stringify(data) },
				contentType: 'application/x-www-form-urlencoded',
				idempotent: false,
			},
			itemIndex,
		);
	};
	let body: IDataObject;
	try {
		body = await send();
	} catch (error) {
		// A refused session: the command surely did nothing. n8n has logged in again by
		// now (the transport renews once), so it is sent once more with the new session.
		if (!(error instanceof NodeApiError) || !/invalid session id/i.test(error.message))
			throw new NodeApiError(client.ctx.getNode(), error as JsonObject);
		body = await send();
	}
	const id = typeof body.customerCallbackId === 'string' ? body.customerCallbackId : undefined;
	if (!id)
		throw new NodeOperationError(
			client.ctx.getNode(),
			'Ameyo accepted the callback without giving its ID',
			{
				itemIndex,
				description:
					'Check the campaign in Ameyo before running this again: the callback may exist.',
			},
		);
	// What was sent, for the output: everything but the session.
	const sent = { ...data };
	delete sent.sessionId;
	return { id, sent };
}
