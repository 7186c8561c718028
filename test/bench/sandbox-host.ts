/**
 * The provider sandbox of one benchmark worker, in a process of its own (forked by the
 * worker with an IPC channel), so the worker's CPU time and memory are the client's
 * alone, as against a real provider. It seeds what the plan asks for, sends a
 * SandboxReady message, serves on an ephemeral loopback port, and stops when the
 * worker goes away (the IPC channel closes) or after plan.exitAfterMs, whichever
 * comes first. The worker reads traffic, state and the clock through the sandbox's
 * HTTP control API, and its CPU time over the IPC channel.
 *
 *   (forked) tsx test/bench/sandbox-host.ts '<SandboxPlan as JSON>'
 */
import { DateTime } from 'luxon';

import type { AmeyoCallback } from '../sandbox/ameyo';
import type { ConvosoCallbackRecord } from '../sandbox/convoso';
import { Random } from '../sandbox/random';
import { startSandbox } from '../sandbox/server';
import type { Sandbox, SandboxOptions } from '../sandbox/server';
import type { SpekoScheduledCallback } from '../sandbox/speko';
import type { TalkdeskCallback } from '../sandbox/talkdesk';
import { AMEYO_CAMPAIGN, CONVOSO_ZONE, DAY, HOUR, MINUTE, SPEKO_STATUSES } from './shared';
import type { SandboxPlan, SandboxReady } from './shared';

const SECOND = 1000;

/** ISO 8601 UTC to the second, as Talkdesk and Speko write times. */
function isoUtc(ms: number): string {
	return `${new Date(ms).toISOString().slice(0, 19)}Z`;
}

/** Convoso's account-local 'YYYY-MM-DD HH:mm:ss', fast: the zone's offset is looked up once per hour. */
function convosoLocal(): (ms: number) => string {
	const offsets = new Map<number, number>();
	return (ms) => {
		const hour = Math.floor(ms / HOUR);
		let offset = offsets.get(hour);
		if (offset === undefined) {
			offset = DateTime.fromMillis(hour * HOUR, { zone: CONVOSO_ZONE }).offset;
			offsets.set(hour, offset);
		}
		return new Date(ms + offset * MINUTE).toISOString().slice(0, 19).replace('T', ' ');
	};
}

/**
 * A realistic spread around the clock `t0`: most callbacks are scheduled ahead (up to
 * 60 days), some ended in the last 30 days, a few are overdue and still pending. None
 * is scheduled within 30 minutes of t0 and none was created in the last hour, so the
 * poll after activation is idle: nothing new, nothing due.
 */
type Kind = 'ahead' | 'ended' | 'overdue';
interface Spread {
	kind: Kind;
	scheduledMs: number;
	createdMs: number;
}
function spreadAround(t0: number, random: Random): () => Spread {
	return () => {
		const roll = random.float();
		const kind: Kind = roll < 0.7 ? 'ahead' : roll < 0.9 ? 'ended' : 'overdue';
		const scheduledMs =
			kind === 'ahead'
				? t0 + 30 * MINUTE + random.int(0, 60 * 24 * 60) * MINUTE
				: kind === 'ended'
					? t0 - HOUR - random.int(0, 30 * 24 * 60) * MINUTE
					: t0 - 30 * MINUTE - random.int(0, 7 * 24 * 60) * MINUTE;
		const createdMs = Math.min(scheduledMs, t0) - HOUR - random.int(0, 14 * 24 * 60) * MINUTE;
		return { kind, scheduledMs, createdMs };
	};
}

const AMEYO_AGENTS = ['agent@sandbox.ameyo', 'Vinod', 'priya.sharma', 'rahul.verma'];

function seedIdle(sandbox: Sandbox, plan: SandboxPlan, t0: number): void {
	const random = new Random(plan.seed);
	const next = spreadAround(t0, random);
	switch (plan.provider) {
		case 'convoso': {
			const local = convosoLocal();
			const leads = sandbox.convoso.leads().map((lead) => lead.id);
			sandbox.convoso.addCallbacks(plan.count, (index): Partial<ConvosoCallbackRecord> => {
				const { kind, scheduledMs, createdMs } = next();
				const created = local(createdMs);
				return {
					lead_id: leads[index % leads.length],
					callback_time: local(scheduledMs),
					created_at: created,
					modified_at: created,
					stage:
						kind === 'ahead'
							? 'PENDING'
							: kind === 'overdue'
								? 'PAST_DUE'
								: random.chance(0.6)
									? 'COMPLETED'
									: 'DISMISSED',
					recipient: random.chance(0.6) ? 'system' : 'personal',
					user_id: random.chance(0.4) ? 12345 : null,
					comments: random.chance(0.5) ? 'Customer requested callback' : '',
					campaign_id: 111 + (index % 3),
				};
			});
			return;
		}
		case 'talkdesk':
			sandbox.talkdesk.addCallbacks(plan.count, (index): Partial<TalkdeskCallback> => {
				const { kind, scheduledMs, createdMs } = next();
				const ended = kind === 'ended';
				return {
					status: ended
						? random.chance(0.7)
							? 'SUCCESS'
							: 'CANCELED'
						: kind === 'ahead' && random.chance(0.1)
							? 'TO_BE_RETRIED'
							: 'UNATTEMPTED',
					time_to_call: isoUtc(scheduledMs),
					created_at: isoUtc(createdMs),
					processed_time: ended ? isoUtc(scheduledMs + 2 * MINUTE) : null,
					phone_number: `+1201555${String(index % 10_000).padStart(4, '0')}`,
				};
			});
			return;
		case 'ameyo':
			sandbox.ameyo.addCallbacks(plan.count, (index): Partial<AmeyoCallback> => {
				const { kind, scheduledMs, createdMs } = next();
				return {
					campaignId: AMEYO_CAMPAIGN,
					callbackTime: scheduledMs,
					dateAdded: createdMs + (index % 1000),
					actualCallbackTime: kind === 'ended' ? scheduledMs + MINUTE : null,
					userId: AMEYO_AGENTS[index % AMEYO_AGENTS.length],
					selfCallback: random.chance(0.4),
					phone: `98${String(10_000_000 + index).slice(-8)}`,
				};
			});
			return;
		case 'speko':
			seedSpeko(sandbox, t0, random);
			return;
	}
}

/** As many as Speko's API lists: 100 callbacks in each of its five statuses. */
function seedSpeko(sandbox: Sandbox, t0: number, random: Random): void {
	for (const status of SPEKO_STATUSES) {
		sandbox.speko.addCallbacks(100, (index): Partial<SpekoScheduledCallback> => {
			const scheduledMs =
				status === 'scheduled'
					? t0 + 30 * MINUTE + random.int(0, 14 * 24 * 60) * MINUTE
					: status === 'dispatching'
						? t0 - HOUR - random.int(0, 60) * MINUTE
						: status === 'cancelled'
							? t0 + (random.chance(0.5) ? 1 : -1) * (HOUR + random.int(0, 7 * 24 * 60) * MINUTE)
							: t0 - HOUR - random.int(0, 7 * 24 * 60) * MINUTE;
			const createdMs = Math.min(scheduledMs, t0) - HOUR - random.int(0, 3 * 24 * 60) * MINUTE;
			const attemptedMs = scheduledMs + 10 * SECOND;
			const endedMs = Math.min(t0 - 10 * MINUTE, scheduledMs + 40 * SECOND);
			return {
				status,
				to_number: `+1201555${String(index).padStart(4, '0')}`,
				scheduled_at: isoUtc(scheduledMs),
				created_at: isoUtc(createdMs),
				updated_at: isoUtc(status === 'scheduled' ? createdMs : Math.max(createdMs, endedMs)),
				reason: 'Caller asked to be called back after 5pm',
				attempted_at: ['dispatching', 'dispatched', 'failed'].includes(status)
					? isoUtc(attemptedMs)
					: null,
				dispatched_at: status === 'dispatched' ? isoUtc(endedMs) : null,
				cancelled_at: status === 'cancelled' ? isoUtc(createdMs + MINUTE) : null,
				failure_cause: status === 'failed' ? 'no-answer' : null,
			};
		});
	}
}

/** B4: `count` pending callbacks at random seconds from 20 minutes to the horizon ahead of t0. */
function seedAhead(
	sandbox: Sandbox,
	plan: SandboxPlan,
	t0: number,
): Array<{ id: string; scheduledMs: number }> {
	const random = new Random(plan.seed);
	const horizon = plan.horizonMs ?? 4 * HOUR;
	const times = Array.from(
		{ length: plan.count },
		() => t0 + 20 * MINUTE + random.int(0, Math.floor((horizon - 20 * MINUTE) / SECOND)) * SECOND,
	);
	const created = (index: number) => t0 - HOUR - ((index * 7919) % DAY);
	let ids: string[];
	switch (plan.provider) {
		case 'convoso': {
			const local = convosoLocal();
			ids = sandbox.convoso
				.addCallbacks(plan.count, (index) => ({
					lead_id: 1001 + (index % 40),
					callback_time: local(times[index]),
					created_at: local(created(index)),
					modified_at: local(created(index)),
				}))
				.map(String);
			break;
		}
		case 'talkdesk':
			ids = sandbox.talkdesk.addCallbacks(plan.count, (index) => ({
				time_to_call: isoUtc(times[index]),
				created_at: isoUtc(created(index)),
			}));
			break;
		case 'ameyo':
			ids = sandbox.ameyo.addCallbacks(plan.count, (index) => ({
				campaignId: AMEYO_CAMPAIGN,
				callbackTime: times[index],
				dateAdded: created(index),
			}));
			break;
		case 'speko':
			ids = sandbox.speko.addCallbacks(plan.count, (index) => ({
				scheduled_at: isoUtc(times[index]),
				created_at: isoUtc(created(index)),
				updated_at: isoUtc(created(index)),
			}));
			break;
	}
	return ids.map((id, index) => ({ id, scheduledMs: times[index] }));
}

async function main(): Promise<void> {
	const plan = JSON.parse(process.argv[2] ?? '') as SandboxPlan;
	const lifetime = setTimeout(() => process.exit(3), plan.exitAfterMs);
	const empty = { convoso: { callbacks: 0, leads: 40 }, speko: { callbacks: 0 } };
	const options: SandboxOptions = {
		seed: plan.seed,
		latencyMs: plan.latencyMs,
		...(plan.rateLimit && { rateLimits: { [plan.provider]: plan.rateLimit } }),
		...(plan.nowMs !== undefined && { now: () => plan.nowMs! }),
		...empty,
		talkdesk: { callbacks: 0 },
		ameyo: { callbacks: 0 },
	};
	if (plan.scenario === 'b1') {
		// The sandbox's own seeded data, as varied as it makes it.
		if (plan.provider === 'convoso') options.convoso = { callbacks: plan.count };
		if (plan.provider === 'talkdesk') options.talkdesk = { callbacks: plan.count };
		// Seeded over campaigns 110 and 111 in turn: `count` in 110.
		if (plan.provider === 'ameyo') options.ameyo = { callbacks: 2 * plan.count };
	}
	const started = process.hrtime.bigint();
	const sandbox = await startSandbox(options);
	// The clock the nodes are told; setNow keeps it controllable over the control API.
	if (plan.nowMs !== undefined) sandbox.setNow(plan.nowMs);
	let scheduled: SandboxReady['scheduled'];
	if (plan.scenario === 'b2') seedIdle(sandbox, plan, plan.nowMs ?? Date.now());
	// As many as Speko's lists can show, 100 in each status.
	if (plan.scenario === 'b1' && plan.provider === 'speko')
		seedSpeko(sandbox, Date.now(), new Random(plan.seed));
	if (plan.scenario === 'b4') scheduled = seedAhead(sandbox, plan, plan.nowMs ?? Date.now());
	const ready: SandboxReady = {
		url: sandbox.url,
		baseUrls: sandbox.baseUrls,
		scheduled,
		seedMs: Number(process.hrtime.bigint() - started) / 1e6,
	};

	let stopping = false;
	const stop = (code: number) => {
		if (stopping) return;
		stopping = true;
		clearTimeout(lifetime);
		sandbox.close().finally(() => process.exit(code));
	};
	// The worker asks for this process's CPU time, to tell the server's share of a run.
	process.on('message', (message: { type?: string; id?: number }) => {
		if (message?.type === 'cpu') {
			const usage = process.cpuUsage();
			process.send?.({ type: 'cpu', id: message.id, ms: (usage.user + usage.system) / 1000 });
		}
	});
	process.on('disconnect', () => stop(0));
	process.on('SIGTERM', () => stop(0));
	process.send?.(ready);
}

main().catch((error: unknown) => {
	process.send?.({
		error: error instanceof Error ? (error.stack ?? error.message) : String(error),
	});
	process.exit(1);
});
