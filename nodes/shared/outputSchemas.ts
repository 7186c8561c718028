import type { IDataObject } from 'n8n-workflow';

/**
 * JSON Schemas of what operations output with Simplify on. The build writes them
 * where n8n looks for a node's output schemas (`__schema__/v1.0.0/<resource>/<operation>.json`
 * next to the node), so the editor shows the fields before the first run.
 */

const text = { type: ['string', 'null'] };
const id = { type: ['number', 'string', 'null'] };
const isoTime = { type: ['string', 'null'], format: 'date-time' };

/** The normalized callback (see NormalizedCallback). */
export const callbackSchema: IDataObject = {
	type: 'object',
	properties: {
		id: { type: ['number', 'string'] },
		provider: { type: 'string' },
		status: {
			type: 'string',
			enum: ['scheduled', 'past_due', 'dispatching', 'completed', 'cancelled', 'failed', 'unknown'],
		},
		providerStatus: text,
		scheduledAt: isoTime,
		timezone: text,
		phone: text,
		agentId: id,
		campaignId: id,
		leadId: id,
		contactId: id,
		notes: text,
		createdAt: isoTime,
		updatedAt: isoTime,
		details: { type: 'object' },
	},
	required: ['id', 'provider', 'status', 'details'],
};

/** What an operation that leaves no callback returns. */
export const deletedSchema: IDataObject = {
	type: 'object',
	properties: {
		id: { type: ['number', 'string'] },
		provider: { type: 'string' },
		deleted: { type: 'boolean' },
	},
	required: ['id', 'provider', 'deleted'],
};
