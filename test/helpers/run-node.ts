import './n8n-env';

import { ExecuteContext, LoadOptionsContext, PollContext } from 'n8n-core';
import { createRunExecutionData, NodeHelpers, Workflow } from 'n8n-workflow';
import type {
	ICredentialDataDecryptedObject,
	ICredentialsHelper,
	ICredentialType,
	IDataObject,
	IExecuteData,
	IHttpRequestHelper,
	IHttpRequestOptions,
	INode,
	INodeCredentialsDetails,
	INodeExecutionData,
	INodeType,
	INodeTypes,
	IWorkflowExecuteAdditionalData,
} from 'n8n-workflow';

/**
 * Runs an action node's execute() inside n8n-core's real ExecuteContext: real
 * parameter resolution and defaults, real credentials authentication (the
 * credential type's own `authenticate`), real HTTP through n8n's helpers. Only the
 * credential store is replaced by the values given here.
 */
export interface RunNodeOptions {
	nodeType: INodeType;
	credentialType: ICredentialType;
	credentials: ICredentialDataDecryptedObject;
	parameters: IDataObject;
	/** Input items; one empty item by default. */
	items?: IDataObject[];
	continueOnFail?: boolean;
}

export interface RunNodeResult {
	/** Items of the node's first output. */
	items: INodeExecutionData[];
	/** Execution hints the node added (warnings shown in the output pane). */
	hints: Array<{ message: string; type?: string; location?: string }>;
	/** The error thrown by the node, when it threw. */
	error?: Error & { description?: string; context?: IDataObject; httpCode?: string | null };
}

let setUps = 0;

/** A one-node workflow holding the node under test, and what n8n-core needs to run it. */
function setUp(
	options: Pick<
		RunNodeOptions,
		'nodeType' | 'credentialType' | 'credentials' | 'parameters' | 'continueOnFail'
	>,
) {
	const { nodeType, credentialType } = options;
	const typeName = `n8n-nodes-callbacks.${nodeType.description.name}`;
	const nodeTypes: INodeTypes = {
		getByName: () => nodeType,
		getByNameAndVersion: () => nodeType,
		getKnownTypes: () => ({}),
	};
	// Each set-up is its own workflow with its own credential, as in n8n: the nodes keep
	// per-trigger and per-credential state in the process (running polls, renewals).
	const instance = ++setUps;
	const node: INode = {
		id: 'node-under-test',
		name: nodeType.description.defaults.name ?? 'Node',
		type: typeName,
		typeVersion: 1,
		position: [0, 0],
		parameters: options.parameters as INode['parameters'],
		credentials: { [credentialType.name]: { id: `cred-${instance}`, name: 'Test credential' } },
		onError: options.continueOnFail ? 'continueRegularOutput' : undefined,
	};
	const workflow = new Workflow({
		id: `test-workflow-${instance}`,
		name: 'Test',
		nodes: [node],
		connections: {},
		active: false,
		nodeTypes,
		staticData: {},
	});
	// The workflow holds the node with every parameter's default filled in, as n8n does.
	const workflowNode = workflow.getNode(node.name)!;
	workflowNode.parameters =
		NodeHelpers.getNodeParameters(
			nodeType.description.properties,
			workflowNode.parameters,
			true,
			false,
			workflowNode,
			nodeType.description,
		) ?? workflowNode.parameters;

	const additionalData = {
		credentialsHelper: new TestCredentialsHelper(
			credentialType,
			options.credentials,
			workflow,
			workflowNode,
		),
		executionId: 'test-execution',
		restApiUrl: 'http://127.0.0.1/rest',
		instanceBaseUrl: 'http://127.0.0.1/',
		webhookBaseUrl: 'http://127.0.0.1/webhook',
		webhookWaitingBaseUrl: 'http://127.0.0.1/webhook-waiting',
		webhookTestBaseUrl: 'http://127.0.0.1/webhook-test',
		formWaitingBaseUrl: 'http://127.0.0.1/form-waiting',
		variables: {},
		userId: 'test-user',
		currentNodeParameters: undefined,
		executionTimeoutTimestamp: undefined,
	} as unknown as IWorkflowExecuteAdditionalData;
	return { workflow, workflowNode, additionalData };
}

export async function runNode(options: RunNodeOptions): Promise<RunNodeResult> {
	const { nodeType } = options;
	const { workflow, workflowNode, additionalData } = setUp(options);

	const items: INodeExecutionData[] = (options.items ?? [{}]).map((json, index) => ({
		json,
		pairedItem: { item: index },
	}));
	const executeData: IExecuteData = { node: workflowNode, data: { main: [items] }, source: null };
	const context = new ExecuteContext(
		workflow,
		workflowNode,
		additionalData,
		'manual',
		createRunExecutionData(),
		0,
		items,
		{ main: [items] },
		executeData,
		[],
	);
	try {
		const output = (await nodeType.execute!.call(context)) as INodeExecutionData[][];
		return { items: output[0] ?? [], hints: context.hints };
	} catch (error) {
		return { items: [], hints: context.hints, error: error as RunNodeResult['error'] };
	}
}

export interface PollRunner {
	/** One poll, as n8n runs it on a schedule ('trigger') or for "Fetch Test Event" ('manual'). */
	poll(mode?: 'trigger' | 'manual'): Promise<INodeExecutionData[][] | null>;
	/** The node's static data, kept across polls like n8n keeps it. */
	staticData(): IDataObject;
}

/** A poll trigger in n8n-core's real PollContext, polled as often as the test likes. */
export function pollRunner(
	options: Pick<RunNodeOptions, 'nodeType' | 'credentialType' | 'credentials' | 'parameters'> & {
		pollBudgetMs?: number;
	},
): PollRunner {
	const { workflow, workflowNode, additionalData } = setUp(options);
	return {
		async poll(mode = 'trigger') {
			const context = new PollContext(
				workflow,
				workflowNode,
				additionalData,
				mode,
				mode === 'manual' ? 'manual' : 'activate',
				undefined,
				undefined,
				undefined,
				undefined,
				undefined,
				options.pollBudgetMs === undefined ? undefined : () => options.pollBudgetMs!,
			);
			return await options.nodeType.poll!.call(context);
		},
		staticData: () => workflow.getStaticData('node', workflowNode),
	};
}

/**
 * Stands in for n8n's credential store (the CLI's CredentialsHelper): it keeps the
 * credential's data, stores what renewal writes back (OAuth2 token data, a
 * preAuthentication session), reports the credential type's parents (so an OAuth2
 * credential takes n8n-core's real OAuth2 path) and applies generic authentication.
 * n8n-core decides when to authenticate, refresh and repeat a request.
 */
class TestCredentialsHelper implements Partial<ICredentialsHelper> {
	constructor(
		private readonly type: ICredentialType,
		private readonly data: ICredentialDataDecryptedObject,
		private readonly workflow: Workflow,
		private readonly node: INode,
	) {}

	getParentTypes(typeName: string): string[] {
		return typeName === this.type.name ? [...(this.type.extends ?? [])] : [];
	}

	isCredentialUsableByNode(): boolean {
		return true;
	}

	async getDecrypted(
		_additionalData: unknown,
		_nodeCredentials: INodeCredentialsDetails,
		typeName: string,
	) {
		if (typeName !== this.type.name) throw new Error(`No test credential of type ${typeName}`);
		// Like n8n, fields left unset read as their defaults (an empty hidden session, say).
		const withDefaults: ICredentialDataDecryptedObject = {};
		for (const property of this.type.properties) {
			if (typeof property.default !== 'object' || property.default === null)
				withDefaults[property.name] = property.default as string;
		}
		return { ...withDefaults, ...this.data };
	}

	/**
	 * As n8n's CLI does it: runs preAuthentication when the hidden expirable field is
	 * empty or the caller says it expired, and stores the result with the credential.
	 */
	async preAuthentication(
		helpers: IHttpRequestHelper,
		credentials: ICredentialDataDecryptedObject,
		_typeName: string,
		_node: INode,
		expired: boolean,
	): Promise<ICredentialDataDecryptedObject | undefined> {
		const expirable = this.type.properties.find(
			(property) => property.type === 'hidden' && property.typeOptions?.expirable === true,
		);
		if (!this.type.preAuthentication || !expirable) return undefined;
		if (!expired && credentials[expirable.name] !== '' && credentials[expirable.name] !== undefined)
			return undefined;
		const output = (await this.type.preAuthentication.call(
			helpers,
			credentials,
		)) as ICredentialDataDecryptedObject;
		if (output[expirable.name] === undefined) return undefined;
		Object.assign(this.data, output);
		return Object.assign(credentials, output);
	}

	async runPreAuthentication(
		helpers: IHttpRequestHelper,
		credentials: ICredentialDataDecryptedObject,
	) {
		return (await this.type.preAuthentication?.call(helpers, credentials)) as
			| ICredentialDataDecryptedObject
			| undefined;
	}

	async updateCredentials() {}

	/** n8n stores a fetched or refreshed OAuth2 token with the credential. */
	async updateCredentialsOauthTokenData(
		_nodeCredentials: INodeCredentialsDetails,
		_typeName: string,
		credentials: ICredentialDataDecryptedObject,
	) {
		this.data.oauthTokenData = credentials.oauthTokenData;
	}

	getCredentialsProperties() {
		return this.type.properties;
	}

	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		_typeName: string,
		requestOptions: IHttpRequestOptions,
	) {
		const authenticate = this.type.authenticate;
		if (typeof authenticate === 'function') return await authenticate(credentials, requestOptions);
		if (!authenticate || authenticate.type !== 'generic') return requestOptions;
		const resolve = (value: unknown) =>
			this.workflow.expression.getParameterValue(
				value as string,
				null,
				0,
				0,
				this.node.name,
				[],
				'internal',
				{ $credentials: credentials } as never,
				undefined,
				false,
			);
		const updated = requestOptions as unknown as Record<string, Record<string, unknown>>;
		for (const [outerKey, entries] of Object.entries(authenticate.properties)) {
			updated[outerKey] = { ...(updated[outerKey] ?? {}) };
			for (const [key, value] of Object.entries(entries as IDataObject)) {
				updated[outerKey][resolve(key) as string] = resolve(value);
			}
		}
		return requestOptions;
	}
}

/** Runs one of a node's `methods.listSearch` (a picker's list) in n8n-core's real LoadOptionsContext. */
export async function runListSearch(
	options: Pick<RunNodeOptions, 'nodeType' | 'credentialType' | 'credentials' | 'parameters'> & {
		method: string;
		filter?: string;
		paginationToken?: string;
	},
) {
	const { workflow, workflowNode, additionalData } = setUp(options);
	const search = options.nodeType.methods?.listSearch?.[options.method];
	if (!search) throw new Error(`The node has no listSearch method ${options.method}`);
	// As the editor does: the node's parameters as they are now, for getCurrentNodeParameter.
	additionalData.currentNodeParameters = options.parameters as never;
	const context = new LoadOptionsContext(workflow, workflowNode, additionalData, 'parameters');
	return await search.call(context, options.filter, options.paginationToken);
}
