import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

/**
 * A picker for something a builder would otherwise paste an id for: a searchable
 * list loaded from the provider, or an id (typed, or given by an expression).
 */
export function idLocator(options: {
	displayName: string;
	name: string;
	description: string;
	/** The node's `methods.listSearch` entry that fills the list. */
	searchListMethod: string;
	placeholder: string;
	/** What a typed id must look like, checked in the editor (the node checks again). */
	idPattern?: { regex: string; message: string };
	/** Default true; false for filters. */
	required?: boolean;
}): INodeProperties {
	return {
		displayName: options.displayName,
		name: options.name,
		type: 'resourceLocator',
		default: { mode: 'list', value: '' },
		required: options.required ?? true,
		description: options.description,
		modes: [
			{
				displayName: 'From List',
				name: 'list',
				type: 'list',
				typeOptions: { searchListMethod: options.searchListMethod, searchable: true },
			},
			{
				displayName: 'By ID',
				name: 'id',
				type: 'string',
				placeholder: options.placeholder,
				...(options.idPattern && {
					validation: [
						{
							type: 'regex',
							properties: {
								regex: options.idPattern.regex,
								errorMessage: options.idPattern.message,
							},
						},
					],
				}),
			},
		],
	};
}

/** The id chosen in a locator (or a plain value, as older workflows and AI tools give). */
export function locatorValue(ctx: IExecuteFunctions, name: string, itemIndex: number): unknown {
	return ctx.getNodeParameter(name, itemIndex, undefined, { extractValue: true });
}

/**
 * The id inside a locator value found in a collection (filters, update fields),
 * where n8n hands over the locator object itself; plain values pass unchanged.
 */
export function idOf(value: unknown): unknown {
	if (typeof value === 'object' && value !== null && (value as { __rl?: unknown }).__rl === true)
		return (value as { value?: unknown }).value;
	return value;
}
