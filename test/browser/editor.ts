/**
 * n8n 2.41's editor, as the browser test uses it. Every selector lives here, so an
 * n8n release that changes the markup breaks the test loudly and in one place.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

import type { Locator, Page } from 'playwright-core';

const SELECTORS = {
	signIn: {
		email: 'input[name=emailOrLdapLoginId]',
		password: 'input[name=password]',
		submit: '[data-test-id=form-submit-button]',
	},
	canvas: '[data-test-id=canvas-wrapper]',
	canvasNode: (name: string) => `[data-test-id=canvas-node][data-node-name="${name}"]`,
	executeWorkflow: '[data-test-id=execute-workflow-button]',
	nodeCreator: {
		open: '[data-test-id=node-creator-plus-button]',
		panel: '[data-test-id=node-creator]',
		search: '[data-test-id=node-creator-search-bar]',
		item: '[data-test-id=item-iterator-item]',
		itemName: '[data-test-id=node-creator-item-name]',
		itemDescription: '[data-test-id=node-creator-item-description]',
		action: '[data-test-id=item-iterator-item][data-keyboard-nav-type=action]',
	},
	ndv: {
		panel: '[data-test-id=ndv]',
		close: '[data-test-id=ndv-close-button]',
		execute: '[data-test-id=node-execute-button]',
		output: '[data-test-id=output-panel]',
		outputJson: '[data-test-id=output-panel] [data-test-id=radio-button-json]',
		parameter: (name: string) => `[data-test-id=parameter-input-${name}]`,
		parameterItem: '[data-test-id=parameter-item]',
		locator: (name: string) => `[data-test-id=resource-locator-${name}]`,
		locatorMode: '[data-test-id=rlc-mode-selector]',
		locatorModeOption: (mode: 'list' | 'id') => `[data-test-id=mode-${mode}]`,
		locatorInput: '[data-test-id=rlc-input]',
		locatorSearch: '[data-test-id=rlc-search]',
		locatorItem: '[data-test-id=rlc-item]',
		notice: 'div.notice.parameter-item[role=alert]',
	},
	credentials: {
		listItem: '[data-test-id=resources-list-item]',
		dialog: '[data-test-id=credential-edit-dialog]',
		field: (name: string) =>
			`[data-test-id=credential-connection-parameter] [data-test-id=parameter-input-${name}] input`,
		save: '[data-test-id=credential-save-button]',
		success: '[data-test-id=credentials-config-container-test-success]',
		failure:
			'.el-tag--danger:visible, [data-test-id=credentials-config-container-test-failure]:visible',
		details: 'text=More details',
		close: '[aria-label="Close this dialog"]:visible, .el-dialog__headerbtn:visible',
	},
	dropdownItem: 'li.el-select-dropdown__item[data-test-id=parameter-input-item]:visible',
	firstStep: '[data-test-id=canvas-add-button]',
};

export class Editor {
	private step = 0;

	constructor(
		readonly page: Page,
		readonly baseUrl: string,
		private readonly artifacts: string,
	) {
		fs.rmSync(artifacts, { recursive: true, force: true });
		fs.mkdirSync(artifacts, { recursive: true });
	}

	/** A screenshot of the current step, kept as an artifact of the run. */
	async screenshot(name: string): Promise<string> {
		this.step++;
		const file = path.join(this.artifacts, `${String(this.step).padStart(2, '0')}-${name}.png`);
		await this.page.screenshot({ path: file });
		return file;
	}

	async signIn(email: string, password: string): Promise<void> {
		await this.page.goto(`${this.baseUrl}/signin`);
		await this.page.fill(SELECTORS.signIn.email, email);
		await this.page.fill(SELECTORS.signIn.password, password);
		await this.page.click(SELECTORS.signIn.submit);
		await this.page.waitForURL((url) => !url.pathname.includes('signin'));
	}

	async openWorkflow(id: string): Promise<void> {
		await this.page.goto(`${this.baseUrl}/workflow/${id}`);
		await this.page.waitForSelector(SELECTORS.canvas);
	}

	async newWorkflow(): Promise<void> {
		await this.page.goto(`${this.baseUrl}/workflow/new`);
		await this.page.waitForSelector(SELECTORS.canvas);
	}

	canvasNode(name: string): Locator {
		return this.page.locator(SELECTORS.canvasNode(name));
	}

	/** Runs the whole workflow from the canvas, and waits until its last node has run. */
	async executeWorkflow(lastNode: string): Promise<void> {
		await this.page.click(SELECTORS.executeWorkflow);
		await this.canvasNode(lastNode)
			.locator('[data-test-id=canvas-node-status-success]')
			.waitFor({ timeout: 120_000 });
	}

	async openNode(name: string): Promise<Locator> {
		await this.canvasNode(name).dblclick();
		const panel = this.page.locator(SELECTORS.ndv.panel);
		await panel.waitFor();
		return panel;
	}

	async closeNode(): Promise<void> {
		await this.page.click(SELECTORS.ndv.close);
		await this.page.locator(SELECTORS.ndv.panel).waitFor({ state: 'hidden' });
	}

	/** The node's output as JSON text (the output panel in its JSON view). */
	async outputJson(): Promise<unknown> {
		await this.page.click(SELECTORS.ndv.outputJson);
		const view = this.page
			.locator(SELECTORS.ndv.output)
			.locator('.json-data, pre, .vjs-tree')
			.first();
		// The view fills in after the switch: read it until it is whole JSON (10 s at most).
		let error: unknown;
		for (let attempt = 0; attempt < 50; attempt++) {
			// The JSON view lays the text out with non-breaking spaces.
			const text = (await view.innerText()).replace(/\u00a0/g, ' ');
			try {
				return JSON.parse(text) as unknown;
			} catch (parseError) {
				error = parseError;
				await this.page.waitForTimeout(200);
			}
		}
		throw error;
	}

	/** The output panel's table: its column headers and the cells of each row shown. */
	async outputTable(): Promise<{ columns: string[]; rows: string[][] }> {
		await this.page.click(`${SELECTORS.ndv.output} [data-test-id=radio-button-table]`);
		const table = this.page.locator(SELECTORS.ndv.output).locator('table').first();
		await table.waitFor();
		const columns = (await table.locator('thead th').allInnerTexts()).map((text) => text.trim());
		const rows: string[][] = [];
		for (const row of await table.locator('tbody tr').all())
			rows.push((await row.locator('td').allInnerTexts()).map((text) => text.trim()));
		return { columns, rows };
	}

	/** Clicks the NDV's main button: Execute step, or Fetch Test Event on a trigger. */
	async executeNode(): Promise<string> {
		const button = this.page.locator(SELECTORS.ndv.execute);
		const label = (await button.innerText()).trim();
		await button.click();
		await this.page
			.locator(SELECTORS.ndv.output)
			.locator('[data-test-id=node-run-status-success], [data-test-id=ndv-items-count]')
			.first()
			.waitFor({ timeout: 120_000 });
		return label;
	}

	parameter(name: string): Locator {
		return this.page.locator(SELECTORS.ndv.parameter(name));
	}

	/** The labels of the parameters shown, with "*" after the required ones (as n8n marks them). */
	async parameterLabels(): Promise<string[]> {
		return await this.page
			.locator(
				`${SELECTORS.ndv.panel} ${SELECTORS.ndv.parameterItem} label, ${SELECTORS.ndv.panel} [data-test-id=input-label]`,
			)
			.allInnerTexts();
	}

	async notices(): Promise<string[]> {
		return (
			await this.page.locator(`${SELECTORS.ndv.panel} ${SELECTORS.ndv.notice}`).allInnerTexts()
		).map((text) => text.trim());
	}

	/** Opens an options parameter's list, types to filter it, and returns the visible entries. */
	async optionsMatching(name: string, search: string): Promise<string[]> {
		const input = this.parameter(name).locator('input').first();
		await input.click();
		await input.fill(search);
		await this.page.waitForTimeout(300);
		const entries = await this.page.locator(SELECTORS.dropdownItem).allInnerTexts();
		await this.page.keyboard.press('Escape');
		return entries.map((entry) => entry.trim()).filter(Boolean);
	}

	/** Opens a resource locator's list (loaded from the provider), searches it, returns its entries. */
	async locatorEntries(name: string, search?: string): Promise<string[]> {
		await this.page
			.locator(SELECTORS.ndv.locator(name))
			.locator(SELECTORS.ndv.locatorInput)
			.click();
		const items = this.page.locator(SELECTORS.ndv.locatorItem);
		if (search !== undefined) {
			await items.first().waitFor({ timeout: 30_000 });
			const before = await items.first().innerText();
			await this.page.fill(SELECTORS.ndv.locatorSearch, search);
			// The list reloads for the search text.
			await this.page.waitForFunction(
				`document.querySelector(${JSON.stringify(SELECTORS.ndv.locatorItem)})?.textContent?.trim() !== ${JSON.stringify(before.trim())}`,
			);
		}
		await items.first().waitFor({ timeout: 30_000 });
		return (await items.allInnerTexts()).map((text) => text.trim());
	}

	/** Picks the locator's list entry containing `text`. */
	async pickLocatorEntry(text: string): Promise<void> {
		await this.page.locator(SELECTORS.ndv.locatorItem, { hasText: text }).first().click();
	}

	/** Chooses an option of an options parameter, typing to filter its list. */
	async chooseOption(name: string, option: string): Promise<void> {
		const input = this.parameter(name).locator('input').first();
		await input.click();
		await input.fill(option);
		await this.page.locator(SELECTORS.dropdownItem, { hasText: option }).first().click();
	}

	async fillParameter(name: string, value: string): Promise<void> {
		const input = this.parameter(name).locator('input, textarea').first();
		await input.click();
		await input.fill(value);
		await input.press('Tab');
	}

	/** From an empty canvas: the first step, chosen by searching the node creator. */
	async addFirstStep(search: string): Promise<void> {
		await this.page.click(SELECTORS.firstStep);
		await this.page.locator(SELECTORS.nodeCreator.search).waitFor();
		await this.page.keyboard.type(search);
		await this.page.locator(SELECTORS.nodeCreator.item).first().waitFor();
		await this.page.keyboard.press('Enter');
		await this.page.locator(SELECTORS.nodeCreator.panel).waitFor({ state: 'hidden' });
		if (await this.page.locator(SELECTORS.ndv.panel).isVisible()) await this.closeNode();
	}

	/** Opens a credential from the Credentials page. */
	async openCredential(name: string): Promise<void> {
		await this.page.goto(`${this.baseUrl}/home/credentials`);
		await this.page.locator(SELECTORS.credentials.listItem, { hasText: name }).first().click();
		await this.page.locator(SELECTORS.credentials.dialog).waitFor();
	}

	/**
	 * Sets a credential field (a password field too), saves (n8n tests the credential
	 * on save) and returns the outcome with the message the editor shows.
	 */
	async saveCredential(fields: Record<string, string>): Promise<{ ok: boolean; message: string }> {
		for (const [name, value] of Object.entries(fields)) {
			const input = this.page.locator(SELECTORS.credentials.field(name)).first();
			await input.click();
			await input.fill(value);
		}
		const save = this.page.locator(SELECTORS.credentials.save);
		await expectChange(async () => (await save.innerText()).trim(), 'Saved');
		await save.click();
		// Saving, then testing: the outcome is shown once the button reads "Saved" again.
		await expectChange(
			async () => ((await save.innerText()).trim() === 'Saved' ? 'done' : ''),
			'',
			60_000,
		);
		const success = this.page.locator(SELECTORS.credentials.success);
		const failure = this.page.locator(SELECTORS.credentials.failure).first();
		await success
			.or(failure)
			.first()
			.waitFor({ timeout: 60_000 })
			.catch(async (error: Error) => {
				await this.screenshot('credential-test-not-shown');
				throw error;
			});
		if (await success.isVisible()) return { ok: true, message: (await success.innerText()).trim() };
		const details = this.page.locator(SELECTORS.credentials.details).first();
		if (await details.isVisible()) await details.click();
		return {
			ok: false,
			message: (await this.page.locator(SELECTORS.credentials.dialog).innerText()).trim(),
		};
	}

	async closeCredential(): Promise<void> {
		await this.page.locator(SELECTORS.credentials.close).first().click();
		await this.page.locator(SELECTORS.credentials.dialog).waitFor({ state: 'hidden' });
	}

	/** Opens the node creator and searches; returns the items' names, descriptions and whether each shows an icon. */
	async searchNodeCreator(
		text: string,
		from: 'first-step' | 'plus' = 'plus',
	): Promise<Array<{ name: string; description: string; icon: string | null }>> {
		await this.page.click(from === 'plus' ? SELECTORS.nodeCreator.open : SELECTORS.firstStep);
		const search = this.page.locator(SELECTORS.nodeCreator.search);
		await search.waitFor();
		const names = this.page.locator(
			`${SELECTORS.nodeCreator.item} ${SELECTORS.nodeCreator.itemName}`,
		);
		await names.first().waitFor();
		const unfiltered = await names.allInnerTexts();
		await search.fill(text);
		// The list has been filtered once its entries changed.
		await expectChange(async () => (await names.allInnerTexts()).join('|'), unfiltered.join('|'));
		const items = this.page.locator(SELECTORS.nodeCreator.item).filter({
			has: this.page.locator(SELECTORS.nodeCreator.itemDescription),
		});
		const found = [];
		for (const item of await items.all()) {
			found.push({
				name: (await item.locator(SELECTORS.nodeCreator.itemName).innerText()).trim(),
				description: (await item.locator(SELECTORS.nodeCreator.itemDescription).innerText()).trim(),
				icon:
					(await item.locator('img').count()) > 0
						? await item.locator('img').first().getAttribute('src')
						: null,
			});
		}
		return found;
	}

	/** Opens a node-creator item and returns its action texts. */
	async nodeCreatorActions(name: string): Promise<string[]> {
		await this.page
			.locator(SELECTORS.nodeCreator.itemName, { hasText: new RegExp(`^${name}$`) })
			.first()
			.click();
		const actions = this.page.locator(
			`${SELECTORS.nodeCreator.action} ${SELECTORS.nodeCreator.itemName}`,
		);
		await actions.first().waitFor();
		return (await actions.allInnerTexts()).map((text) => text.trim());
	}

	async pickNodeCreatorAction(text: string): Promise<void> {
		await this.page.locator(SELECTORS.nodeCreator.action, { hasText: text }).first().click();
		await this.page.locator(SELECTORS.ndv.panel).waitFor();
	}

	async closeNodeCreator(): Promise<void> {
		const panel = this.page.locator(SELECTORS.nodeCreator.panel);
		// Escape leaves an open sub-view (a node's actions) first: press it until the panel goes.
		for (let attempt = 0; attempt < 5; attempt++) {
			await this.page.keyboard.press('Escape');
			try {
				await panel.waitFor({ state: 'hidden', timeout: 3000 });
				return;
			} catch {
				// still open: once more
			}
		}
		await panel.waitFor({ state: 'hidden' });
	}
}

/** Waits (bounded) until `read` no longer returns `before`. */
async function expectChange(read: () => Promise<string>, before: string, timeoutMs = 30_000) {
	const deadline = Date.now() + timeoutMs;
	while ((await read()) === before) {
		if (Date.now() > deadline) throw new Error(`The editor did not change within ${timeoutMs} ms`);
		await new Promise((resolve) => setTimeout(resolve, 100));
	}
}
