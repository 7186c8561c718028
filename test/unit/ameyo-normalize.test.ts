import type { IDataObject } from 'n8n-workflow';

import { normalizeAmeyoCallback } from '../../nodes/Ameyo/normalize';

const NOW = Date.parse('2026-06-02T10:00:00Z');

// The customer callback of Ameyo's own example (the seed's getFiltered answer), field
// for field, with times around NOW.
const EXAMPLE: IDataObject = {
	customerCallbackId: 'd741-6904fad1-cm-eEcdnIb3-50833',
	campaignId: 110,
	callbackTime: NOW + 3_600_000,
	selfCallback: true,
	userId: 'Vinod',
	phone: '7905690272',
	customerId: 4012,
	dateAdded: NOW - 86_400_000,
	maskedPhone: null,
	lastScheduledBy: 'supervisor',
	actualCallbackTime: null,
	campaignName: 'Collections',
	phoneInfo: { phone: '7905690272', displayPhone: '7905690272', uniqueIdentifier: null },
	groupIds: null,
	groupManagerIds: null,
};

describe('normalizeAmeyoCallback', () => {
	it('writes the example as the shared callback, with only the details that have a value', () => {
		expect(normalizeAmeyoCallback(EXAMPLE, '91', NOW)).toEqual({
			id: 'd741-6904fad1-cm-eEcdnIb3-50833',
			provider: 'ameyo',
			status: 'scheduled',
			providerStatus: null,
			scheduledAt: '2026-06-02T11:00:00Z',
			timezone: null,
			phone: '+917905690272',
			agentId: 'Vinod',
			campaignId: 110,
			leadId: null,
			contactId: 4012,
			notes: null,
			createdAt: '2026-06-01T10:00:00Z',
			updatedAt: null,
			details: {
				selfCallback: true,
				lastScheduledBy: 'supervisor',
				campaignName: 'Collections',
				displayPhone: '7905690272',
			},
		});
	});

	it('keeps every detail Ameyo gives, in one order whichever are present', () => {
		const full = normalizeAmeyoCallback(
			{
				...EXAMPLE,
				maskedPhone: '79XXXXXX72',
				actualCallbackTime: NOW - 60_000,
				groupIds: [3],
				groupManagerIds: [],
			},
			'91',
			NOW,
		);
		expect(full.status).toBe('completed');
		expect(Object.entries(full.details)).toEqual([
			['selfCallback', true],
			['lastScheduledBy', 'supervisor'],
			['campaignName', 'Collections'],
			['displayPhone', '7905690272'],
			['maskedPhone', '79XXXXXX72'],
			['calledAt', '2026-06-02T09:59:00Z'],
			['groupIds', [3]],
			['groupManagerIds', []],
		]);
		const sparse = normalizeAmeyoCallback(
			{ ...EXAMPLE, selfCallback: 'yes', lastScheduledBy: ' ', campaignName: null, phoneInfo: {} },
			'91',
			NOW,
		);
		expect(sparse.details).toEqual({});
	});

	it('reads past due and "no customer" as Ameyo means them', () => {
		const overdue = normalizeAmeyoCallback(
			{ ...EXAMPLE, callbackTime: String(NOW - 1), customerId: -1 },
			'91',
			NOW,
		);
		expect(overdue).toMatchObject({ status: 'past_due', contactId: null });
	});
});
