import { NodeOperationError } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { checkCallingHours, nextCallingTime, resolveCallee } from './callingHours';
import type { Callee, CallingHoursRules, CallingRuleSet, Refusal } from './callingHours';
import { InputError } from './errors';
import { assertZone, msToIsoUtc } from './time';
import { timeZoneOptions } from './zones';

/**
 * The Calling Hours option of every operation that schedules or places a call, and
 * its check, run before any request. Refuse is the default: a builder who never
 * opened the option (or an AI agent filling the fields) gets an error rather than a
 * call at night, and never a time silently moved.
 */

export type CallKind = 'schedule' | 'dispatch';

const DAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];

export function callingHoursProperties(kind: CallKind): INodeProperties[] {
	return [
		{
			displayName: 'Calling Hours',
			name: 'callingHours',
			type: 'options',
			options: [
				{
					name: 'Refuse Outside Calling Hours',
					value: 'refuse',
					description:
						"Fail the item, before anything is sent, when the call would ring outside the callee's calling hours",
				},
				...(kind === 'schedule'
					? [
							{
								name: 'Move to the Next Allowed Time',
								value: 'move',
								description:
									'Schedule it at the start of the next allowed window in the callee’s zone; the output says so',
							},
						]
					: []),
				{
					name: 'Off',
					value: 'off',
					description: 'No check (the platform’s own dialer rules still apply)',
				},
			],
			default: 'refuse',
			description:
				'A safety net against calls at night, not legal advice: see the README for the rules and their sources',
		},
		callingHoursOptionsProperty({ hide: { callingHours: ['off'] } }),
	];
}

/** The rules and the callee's zone: shared by the actions' option and the trigger's filter. */
export function callingHoursOptionsProperty(
	displayOptions: INodeProperties['displayOptions'],
): INodeProperties {
	return {
		displayName: 'Calling Hours Options',
		name: 'callingHoursOptions',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions,
		options: [
			{
				displayName: 'Blocked Dates',
				name: 'blockedDates',
				type: 'string',
				default: '',
				placeholder: '2026-12-25, 2027-01-01',
				description:
					'Dates (YYYY-MM-DD, in the callee’s zone) with no calls at all, separated by commas',
			},
			{
				displayName: 'Callee Time Zone',
				name: 'calleeTimeZone',
				type: 'options',
				options: timeZoneOptions({
					name: 'From the Provider or the Phone Number',
					description: "The zone the provider keeps for the callback, else the number's",
				}),
				default: '',
				description: 'Where the callee is, when the number or the provider does not tell it right',
			},
			{
				displayName: 'Custom Days',
				name: 'days',
				type: 'multiOptions',
				options: DAYS.map((name, index) => ({ name, value: index + 1 })),
				default: [1, 2, 3, 4, 5],
				description: 'For Custom rules: the days calls are allowed',
			},
			{
				displayName: 'Custom Window End',
				name: 'windowEnd',
				type: 'string',
				default: '20:00',
				placeholder: '20:00',
				description: 'For Custom rules: the last minute calls are allowed, HH:mm',
			},
			{
				displayName: 'Custom Window Start',
				name: 'windowStart',
				type: 'string',
				default: '09:00',
				placeholder: '09:00',
				description:
					'For Custom rules: the first minute calls are allowed, HH:mm in the callee’s zone',
			},
			{
				displayName: 'Rules',
				name: 'ruleSet',
				type: 'options',
				options: [
					{
						name: "By the Callee's Country",
						value: 'auto',
						description: 'United States, Canada or India by the number; elsewhere 08:00-21:00',
					},
					{
						name: 'Canada',
						value: 'canada',
						description: 'Weekdays 09:00-21:30, weekends 10:00-18:00',
					},
					{ name: 'Custom', value: 'custom', description: 'The window and days below' },
					{ name: 'India', value: 'india', description: '09:00-21:00' },
					{
						name: 'United States (Federal, With State Rules)',
						value: 'us',
						description: '08:00-21:00; Florida, Oklahoma and Washington 08:00-20:00',
					},
				],
				default: 'auto',
			},
		],
	};
}

/**
 * An output item with its calling-hours note (a move, a hold): in `details` of a
 * normalized callback, else at the top of the provider's record.
 */
export function withCallingHours(item: IDataObject, note: IDataObject | undefined): IDataObject {
	if (!note) return item;
	const details = item.details;
	return typeof details === 'object' && details !== null && !Array.isArray(details)
		? { ...item, details: { ...(details as IDataObject), callingHours: note } }
		: { ...item, callingHours: note };
}

export interface CallToCheck {
	/** When it would ring: the scheduled time, or now for a dispatch. */
	timeMs: number;
	/** The callee's number in E.164, when known. */
	phone?: string | null;
	/** The zone the provider keeps for the callee (Talkdesk's timezone). */
	providerZone?: string | null;
}

export interface GuardedCall {
	timeMs: number;
	/** Set when the time was moved: what the output says. */
	moved?: IDataObject;
}

/** Whether the guard is on for this item (it may then need the callee's number). */
export function callingHoursOn(ctx: IExecuteFunctions, itemIndex: number): boolean {
	return ctx.getNodeParameter('callingHours', itemIndex, 'refuse') !== 'off';
}

const HH_MM = /^([01]\d|2[0-3]):[0-5]\d$/;

function readRules(options: IDataObject, phone: string | null | undefined): CallingHoursRules {
	const chosen = String(options.ruleSet ?? 'auto');
	const blockedDates = String(options.blockedDates ?? '')
		.split(',')
		.map((date) => date.trim())
		.filter(Boolean);
	for (const date of blockedDates)
		if (!/^\d{4}-\d{2}-\d{2}$/.test(date))
			throw new InputError(
				'Blocked Dates',
				options.blockedDates,
				'dates as YYYY-MM-DD, separated by commas',
			);
	if (chosen === 'custom') {
		const start = String(options.windowStart ?? '09:00').trim();
		const end = String(options.windowEnd ?? '20:00').trim();
		if (!HH_MM.test(start))
			throw new InputError('Custom Window Start', start, 'a time as HH:mm, e.g. "09:00"');
		if (!HH_MM.test(end) || end <= start)
			throw new InputError('Custom Window End', end, `a time as HH:mm after the start (${start})`);
		const days = (Array.isArray(options.days) ? options.days : [1, 2, 3, 4, 5]).map(Number);
		if (days.length === 0) throw new InputError('Custom Days', days, 'at least one day');
		return { ruleSet: 'custom', custom: { start, end, days }, blockedDates };
	}
	const ruleSet: CallingRuleSet | 'auto' = ['us', 'canada', 'india', 'auto'].includes(chosen)
		? (chosen as CallingRuleSet | 'auto')
		: 'auto';
	return { ruleSet: ruleSet === 'auto' ? ruleSetOfPhone(phone) : ruleSet, blockedDates };
}

/** The rules of the callee's country, by the number: US, Canada or India, else the general window. */
function ruleSetOfPhone(phone: string | null | undefined): CallingRuleSet {
	const callee = phone ? resolveCallee({ phone }) : undefined;
	const digits = (phone ?? '').replace(/[^\d]/g, '');
	if (digits.startsWith('91')) return 'india';
	if (digits.startsWith('1') && callee?.region)
		return CANADIAN_REGIONS.includes(callee.region) ? 'canada' : 'us';
	return 'general';
}

const CANADIAN_REGIONS = [
	'AB',
	'BC',
	'MB',
	'NB',
	'NL',
	'NS',
	'ON',
	'PE',
	'QC',
	'SK',
	'YT',
	'NT',
	'NU',
];

/** The callee and the rules for one call, from the Calling Hours Options; undefined callee: no zone found. */
function calleeAndRules(options: IDataObject, call: CallToCheck) {
	const zoneChoice = String(options.calleeTimeZone ?? '');
	const callee = resolveCallee({
		zone: zoneChoice === '' ? undefined : assertZone(zoneChoice, 'Callee Time Zone'),
		providerZone: call.providerZone,
		phone: call.phone,
	});
	return { callee, rules: readRules(options, call.phone) };
}

/** Why a call is outside the window: the callee's zone and local time, and the rule. */
function refusalText(callee: Callee, refusal: Refusal): string {
	// The number's state names the place only when the number gave the zone too.
	const region = callee.from === 'the phone number' ? callee.region : undefined;
	const where = `${refusal.zone}${region ? ` (${region})` : ''}`;
	return `it would ring at ${refusal.local} in ${where}, the callee's zone from ${callee.from}; allowed: ${refusal.rule}`;
}

/**
 * Checks a call against the item's Calling Hours option, before any request:
 * returns the time to use (moved when the option says so), or throws an error
 * naming the callee's zone, the local time and the rule.
 */
export function guardCall(
	ctx: IExecuteFunctions,
	itemIndex: number,
	call: CallToCheck,
	kind: CallKind,
): GuardedCall {
	const mode = ctx.getNodeParameter('callingHours', itemIndex, 'refuse') as string;
	if (mode === 'off') return { timeMs: call.timeMs };
	const options = ctx.getNodeParameter('callingHoursOptions', itemIndex, {}) as IDataObject;
	const { callee, rules } = calleeAndRules(options, call);
	const node = ctx.getNode();
	if (!callee) {
		throw new NodeOperationError(
			node,
			`Calling hours: the callee's time zone cannot be told from "${call.phone ?? 'no number'}"`,
			{
				itemIndex,
				description:
					'Set Callee Time Zone in Calling Hours Options, give the number in E.164 form (+ and the country code), or set Calling Hours to Off.',
			},
		);
	}
	const refusal = checkCallingHours(call.timeMs, callee, rules);
	if (!refusal) return { timeMs: call.timeMs };
	const why = refusalText(callee, refusal);
	if (mode === 'move' && kind === 'schedule') {
		const next = nextCallingTime(call.timeMs, callee, rules);
		if (next !== undefined) {
			return {
				timeMs: next,
				moved: {
					from: msToIsoUtc(call.timeMs),
					to: msToIsoUtc(next),
					reason: `Outside calling hours: ${why}`,
				},
			};
		}
	}
	throw new NodeOperationError(node, `Outside calling hours: ${why}`, {
		itemIndex,
		description:
			mode === 'move'
				? 'No allowed time was found in the next 14 days for every zone the callee may be in. Change the rules, or set Callee Time Zone.'
				: kind === 'dispatch'
					? 'Nothing was sent. Dispatch later, or schedule the callback instead.'
					: 'Nothing was sent. Choose a time inside the window, or set Calling Hours to "Move to the Next Allowed Time".',
	});
}

/** When a due callback may be emitted, and what its item then says about calling hours. */
export interface Callable {
	atMs: number;
	note?: IDataObject;
}

/**
 * The trigger's "Only Emit When Callable" filter, from its Calling Hours Options
 * (checked once per poll, so bad options fail the poll before any request): for a
 * callback due at `timeMs`, the first instant its callee may be called. A callee
 * whose zone cannot be told, or with no allowed time in the next 14 days, is not held
 * back: it is emitted when due, and its item says why it was not checked.
 */
export function callableAtFrom(options: IDataObject): (call: CallToCheck) => Callable {
	calleeAndRules(options, { timeMs: 0 });
	return (call) => {
		const { callee, rules } = calleeAndRules(options, call);
		if (!callee)
			return {
				atMs: call.timeMs,
				note: {
					checked: false,
					reason: `The callee's time zone cannot be told from "${call.phone ?? 'no number'}": set Callee Time Zone`,
				},
			};
		const refusal = checkCallingHours(call.timeMs, callee, rules);
		if (!refusal) return { atMs: call.timeMs };
		const next = nextCallingTime(call.timeMs, callee, rules);
		const why = refusalText(callee, refusal);
		if (next === undefined)
			return {
				atMs: call.timeMs,
				note: { checked: false, reason: `No allowed time in the next 14 days: ${why}` },
			};
		return {
			atMs: next,
			note: {
				dueAt: msToIsoUtc(call.timeMs),
				heldUntil: msToIsoUtc(next),
				reason: `Held back outside calling hours: ${why}`,
			},
		};
	};
}
