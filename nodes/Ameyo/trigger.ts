import type { PollCandidate, PollSource } from '../shared/poll';
import type { TriggerAdapter } from '../shared/trigger';
import { numberOrNull } from '../shared/callback';
import { ameyoPhone, normalizeAmeyoCallback } from './normalize';
import { AMEYO_PAGE_SIZE, campaignPages, readCampaignIds } from './search';
import { ameyoSpec } from './transport';

/** Where a listing goes on: the campaign (by position) and the offset in it. */
interface AmeyoResume {
	campaign: number;
	offset: number;
}

/**
 * Ameyo Trigger: Ameyo lists a campaign's callbacks without any filter, so every poll
 * reads each campaign's pages (1,000 per request). Ameyo's "500 when nothing matches"
 * may as well be an outage: such a listing is marked uncertain, so the window does
 * not move until a listing surely came back whole.
 */
export const ameyoTrigger: TriggerAdapter = {
	displayName: 'Ameyo',
	summary:
		'Find, schedule, reschedule and delete Ameyo campaign callbacks, and start workflows when one is created or falls due',
	spec: ameyoSpec,
	filterProperties: [
		{
			displayName: 'Campaign IDs',
			name: 'campaignIds',
			type: 'string',
			default: '',
			required: true,
			placeholder: '110, 111',
			description:
				"The campaigns to watch, separated by commas. Every poll reads each campaign's callbacks (Ameyo has no date filter): one request per 1,000.",
		},
	],

	readFilters(ctx) {
		return { campaignIds: readCampaignIds(ctx.getNodeParameter('campaignIds', '')) };
	},

	async source(client, filters, simplify): Promise<PollSource> {
		const campaignIds = filters.campaignIds as number[];
		const code = String((await client.credentials()).countryCallingCode ?? '');
		return async function* (query) {
			const resume = query.resume as AmeyoResume | undefined;
			for (let index = resume?.campaign ?? 0; index < campaignIds.length; index++) {
				const startOffset = index === resume?.campaign ? resume.offset : 0;
				for await (const page of campaignPages(client, campaignIds[index], { startOffset })) {
					const candidates = page.items.map(
						(record): PollCandidate => ({
							key: String(record.customerCallbackId),
							createdAtMs: numberOrNull(record.dateAdded),
							scheduledAtMs: numberOrNull(record.callbackTime),
							// Listed means still to be called, unless Ameyo says it was called.
							status: record.actualCallbackTime ? 'completed' : 'scheduled',
							callee: () => ({ phone: ameyoPhone(record, code) }),
							toItem: () =>
								simplify
									? { ...normalizeAmeyoCallback(record, code, client.runtime.now()) }
									: record,
						}),
					);
					const full = page.items.length === AMEYO_PAGE_SIZE;
					const next: AmeyoResume | undefined = full
						? { campaign: index, offset: page.offset + AMEYO_PAGE_SIZE }
						: index + 1 < campaignIds.length
							? { campaign: index + 1, offset: 0 }
							: undefined;
					yield {
						candidates,
						uncertain: page.emptyBy500,
						resume: next && { ...next },
					};
				}
			}
		};
	},
};
