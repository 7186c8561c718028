/**
 * The benchmarks (`npm run bench`; never part of `npm test`): every variant of every
 * benchmark in its own process (worker.ts, with the sandbox in a process of its own),
 * several rounds, the variants of a round one after another in an order that rotates
 * from round to round, ratios taken within each round, then the median and spread
 * (min–max) over rounds. Writes BENCHMARKS.md at the repository root with the machine,
 * each figure beside its target, and for each target not met what stops it.
 *
 *   npm run bench                               build, then everything (about 15 minutes on 2 cores)
 *   BENCH_ONLY=B1,B2 BENCH_ROUNDS=2 npm run bench    a quick run of some benchmarks
 *
 * Environment: BENCH_ONLY (B1, B1b, B2, B3, B4, comma-separated), BENCH_ROUNDS (rounds of
 * every benchmark), BENCH_PROFILE=0 (no CPU profiles of B1 and B3), BENCH_OUT (the report's file,
 * default BENCHMARKS.md), BENCH_CONCURRENCY (B3, default 8), BENCH_REPORT=1 (no run: the report of
 * the last run written again from its raw results in .tmp/bench/results.json).
 */
import { spawn } from 'node:child_process';
import {
	cpSync,
	existsSync,
	mkdirSync,
	readdirSync,
	readFileSync,
	rmSync,
	statSync,
	writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import type { INodeType } from 'n8n-workflow';
import ts from 'typescript';

import { DEFAULT_CONCURRENCY } from '../../nodes/shared/actions';
import { summarizeProfile } from './profile';
import type { ProfileSummary } from './profile';
import { createConcurrencyOption, DAY, HOUR, LARGEST_PAGE, MINUTE, RESULT_PREFIX } from './shared';
import type { BenchId, Provider, Result, Task } from './shared';

const ROOT = path.join(__dirname, '..', '..');
const WORK = path.join(ROOT, '.tmp', 'bench');
const SNAPSHOT = path.join(WORK, 'dist');
const PROFILES = path.join(WORK, 'profiles');
const COMPILED = path.join(WORK, 'js');
const RESULTS = path.join(WORK, 'results.json');

/** The raw results of a run, with what its report needs: BENCH_REPORT=1 renders them again. */
interface Saved {
	meta: Omit<Context, 'started'> & {
		started: string;
		benches: BenchId[];
		createConcurrency: Partial<Record<Provider, boolean>>;
		concurrency: number;
	};
	runs: Run[];
}

// --- settings ---

const ALL: BenchId[] = ['B1', 'B1b', 'B2', 'B3', 'B4'];
/** Rounds by benchmark, sized so that everything takes about 25 minutes on an idle 2-core machine. */
const DEFAULT_ROUNDS: Record<BenchId, number> = { B1: 11, B1b: 3, B2: 3, B3: 2, B4: 2 };

function settings() {
	const only = (process.env.BENCH_ONLY ?? '')
		.split(',')
		.map((part) => part.trim())
		.filter(Boolean);
	const unknown = only.filter((id) => !ALL.map((a) => a.toLowerCase()).includes(id.toLowerCase()));
	if (unknown.length > 0) throw new Error(`BENCH_ONLY: unknown ${unknown.join(', ')}`);
	const benches =
		only.length === 0
			? ALL
			: ALL.filter((id) => only.some((o) => o.toLowerCase() === id.toLowerCase()));
	const rounds = process.env.BENCH_ROUNDS ? Number(process.env.BENCH_ROUNDS) : undefined;
	if (rounds !== undefined && !(Number.isInteger(rounds) && rounds >= 1))
		throw new Error(`BENCH_ROUNDS must be a positive integer, not ${process.env.BENCH_ROUNDS}`);
	const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 8);
	return {
		benches,
		partial: only.length > 0 || rounds !== undefined,
		roundsOf: (id: BenchId) => rounds ?? DEFAULT_ROUNDS[id],
		fixedRounds: rounds !== undefined,
		profile: process.env.BENCH_PROFILE !== '0',
		out: path.resolve(ROOT, process.env.BENCH_OUT ?? 'BENCHMARKS.md'),
		concurrency: Number.isInteger(concurrency) && concurrency >= 1 ? concurrency : 8,
	};
}

/** The machine's load when the run began, for the report's words. */
const LOAD = { start: 0 };

// --- the benchmarks ---

/** One line of variants run together in each round (a provider, or a provider and event). */
interface Group {
	key: string;
	provider: Provider;
	label: string;
	variants: string[];
	task: Omit<Task, 'variant' | 'round' | 'seed' | 'bench' | 'provider'>;
	timeoutMs: number;
	/** Fewer rounds than the benchmark's default (unless BENCH_ROUNDS is set). */
	rounds?: number;
	/** B1b: what the concurrent raw loop sends at once. Default: every page after the first. */
	together?: string;
}

const B1_SIZES: Array<[Provider, number]> = [
	['convoso', 50_000],
	['talkdesk', 20_000],
	['ameyo', 20_000],
];
const B2_SIZE = 100_000;
/** Speko lists at most 100 per status: 100 in each of its five statuses. */
const SPEKO_VISIBLE = 500;
/** More than Convoso's paging reaches (55,000): the search is split by date. */
const CONVOSO_PAST_CAP = 60_000;
const B3_RATE_LIMIT = { maxInFlight: 10, perSecond: 500, retryAfterSeconds: 1 };
const B4 = { pollIntervalMs: MINUTE, minutesBefore: 15, horizonMs: 4 * HOUR };

function groupsOf(
	bench: BenchId,
	createConcurrency: Partial<Record<Provider, boolean>>,
	concurrency: number,
): Group[] {
	switch (bench) {
		case 'B1':
			return B1_SIZES.map(([provider, count]) => ({
				key: provider,
				provider,
				label: `${name(provider)} ${count.toLocaleString('en-US')}`,
				// Where pages come several at once, also one at a time (Concurrent Requests 1).
				// '-warm': a second listing, after a whole one in the same process.
				variants: [
					'raw',
					'node-on',
					'node-off',
					'helper',
					'raw-warm',
					'node-warm',
					'node-off-warm',
					'helper-warm',
					// Ameyo's session applied by its credential, through n8n's authenticated path.
					...(provider === 'ameyo' ? ['helper-auth'] : ['node-serial']),
				],
				task: { count, latencyMs: 0 },
				timeoutMs: 180_000,
			}));
		case 'B1b':
			return [
				...B1_SIZES.map(([provider, count]) => ({
					key: provider,
					provider,
					label: `${name(provider)} ${count.toLocaleString('en-US')}`,
					variants:
						provider === 'ameyo'
							? ['raw', 'node-on']
							: ['raw', 'node-on', 'node-off', 'raw-concurrent', 'helper-concurrent'],
					task: { count, latencyMs: 150 },
					timeoutMs: 240_000,
				})),
				// Independent requests other than pages: date windows past Convoso's offset
				// cap, Speko's per-status lists. 'node-serial': Concurrent Requests 1.
				{
					key: 'convoso-windows',
					provider: 'convoso',
					label: `Convoso ${CONVOSO_PAST_CAP.toLocaleString('en-US')}, past the offset cap (date windows)`,
					variants: ['raw', 'node-on', 'node-off', 'node-serial', 'raw-concurrent'],
					task: { count: CONVOSO_PAST_CAP, latencyMs: 150 },
					timeoutMs: 300_000,
					together: 'the halves of each split at once, then every page at once',
				},
				{
					key: 'speko',
					provider: 'speko',
					label: `Speko ${SPEKO_VISIBLE}, five per-status lists`,
					variants: ['raw', 'node-on', 'node-off', 'raw-concurrent'],
					task: { count: SPEKO_VISIBLE, latencyMs: 150 },
					timeoutMs: 120_000,
					together: 'the five lists at once',
				},
			];
		case 'B2': {
			const groups: Group[] = [];
			for (const provider of ['convoso', 'talkdesk', 'speko', 'ameyo'] as Provider[]) {
				for (const event of ['new', 'due']) {
					const count = provider === 'speko' ? SPEKO_VISIBLE : B2_SIZE;
					groups.push({
						key: `${provider}-${event}`,
						provider,
						label: `${name(provider)} ${event === 'new' ? 'New Callback' : 'Callback Due'}`,
						variants: [event],
						task: { count, latencyMs: 0 },
						timeoutMs: 300_000,
					});
				}
			}
			// How large an Ameyo campaign a poll covers: the idle poll by campaign size.
			for (const count of [10_000, 50_000]) {
				groups.push({
					key: `ameyo-due-${count}`,
					provider: 'ameyo',
					label: `Ameyo Callback Due, ${count.toLocaleString('en-US')}`,
					variants: ['due'],
					task: { count, latencyMs: 0 },
					timeoutMs: 180_000,
				});
			}
			return groups;
		}
		case 'B3':
			return (['convoso', 'talkdesk'] as Provider[]).map((provider) => ({
				key: provider,
				provider,
				label: `${name(provider)} create, 1,000 items`,
				variants: [
					'raw-serial',
					'node',
					...(createConcurrency[provider] ? ['node-concurrency'] : []),
					'raw-concurrent',
				],
				task: { count: 1000, latencyMs: 20, rateLimit: B3_RATE_LIMIT, concurrency },
				timeoutMs: 420_000,
			}));
		case 'B4':
			return (['convoso', 'talkdesk', 'speko', 'ameyo'] as Provider[]).map((provider) => ({
				key: provider,
				provider,
				label: name(provider),
				variants: ['due'],
				task: { count: provider === 'speko' ? 80 : 300, latencyMs: 0, ...B4 },
				timeoutMs: 300_000,
			}));
	}
}

function plural(value: number, word: string): string {
	return `${count(value)} ${word}${value === 1 ? '' : 's'}`;
}

function name(provider: Provider): string {
	return provider[0].toUpperCase() + provider.slice(1);
}

/**
 * The controlled clock of round `round` (B2, B4): a different date each round (about
 * 41 days and 7 hours apart), so "whatever the date" is measured, not assumed.
 */
function clockOf(start: number, round: number): number {
	return start + round * (41 * DAY + 7 * HOUR + 13 * MINUTE);
}

/** Does the built node's create operation take a `concurrency` option? */
function hasCreateConcurrency(provider: Provider): boolean {
	const file = path.join(SNAPSHOT, 'nodes', name(provider), `${name(provider)}.node.js`);
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	const module = require(file) as Record<string, new () => INodeType>;
	return createConcurrencyOption(new module[name(provider)]()) !== undefined;
}

// --- running one variant ---

interface Run {
	bench: BenchId;
	group: string;
	variant: string;
	round: number;
	result: Result;
	profile?: ProfileSummary;
}

/**
 * The worker and the sandbox host as plain JavaScript (TypeScript's transpileModule, once
 * per run, following their relative imports): each of the many processes then starts
 * without a TypeScript loader.
 */
function compileWorker(): string {
	const pending = [path.join(__dirname, 'worker.ts'), path.join(__dirname, 'sandbox-host.ts')];
	const done = new Set<string>();
	while (pending.length > 0) {
		const file = pending.pop()!;
		if (done.has(file)) continue;
		done.add(file);
		const { outputText } = ts.transpileModule(readFileSync(file, 'utf8'), {
			fileName: file,
			compilerOptions: {
				module: ts.ModuleKind.CommonJS,
				target: ts.ScriptTarget.ES2022,
				esModuleInterop: true,
			},
		});
		const out = path.join(COMPILED, path.relative(ROOT, file)).replace(/\.ts$/, '.js');
		mkdirSync(path.dirname(out), { recursive: true });
		writeFileSync(out, outputText);
		// Type-only imports are gone from the output: what is left is loaded at run time.
		for (const match of outputText.matchAll(/require\((['"])(\.{1,2}\/[^'"]+)\1\)/g)) {
			const target = path.resolve(path.dirname(file), match[2]);
			for (const candidate of [`${target}.ts`, path.join(target, 'index.ts')]) {
				if (existsSync(candidate)) pending.push(candidate);
			}
		}
	}
	return path.join(COMPILED, 'test', 'bench', 'worker.js');
}

let WORKER = '';

function runWorker(task: Task, timeoutMs: number, profileName?: string): Promise<Result> {
	const flags = ['--expose-gc'];
	if (profileName) {
		// A folder per run: every thread (the loader's too) writes a profile of its own.
		mkdirSync(path.join(PROFILES, profileName), { recursive: true });
		flags.push('--cpu-prof', `--cpu-prof-dir=${path.join(PROFILES, profileName)}`);
	}
	return new Promise((resolve) => {
		// eslint-disable-next-line @n8n/community-nodes/no-dangerous-functions -- the benchmark's own worker: argv array, no shell
		const child = spawn(process.execPath, [...flags, WORKER, JSON.stringify(task)], {
			cwd: ROOT,
			env: { ...process.env, BENCH_DIST: SNAPSHOT },
			stdio: ['ignore', 'pipe', 'pipe'],
		});
		let stdout = '';
		let stderr = '';
		child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
		child.stderr.on('data', (chunk: Buffer) => {
			stderr = (stderr + chunk.toString()).slice(-4000);
		});
		let timedOut = false;
		const timer = setTimeout(() => {
			timedOut = true;
			// This run's own worker, by its pid; its sandbox host exits when the worker is gone.
			child.kill('SIGKILL');
		}, timeoutMs);
		child.on('close', (code) => {
			clearTimeout(timer);
			const line = stdout
				.split('\n')
				.reverse()
				.find((text) => text.startsWith(RESULT_PREFIX));
			if (line) {
				try {
					resolve(JSON.parse(line.slice(RESULT_PREFIX.length)) as Result);
					return;
				} catch {
					// reported below
				}
			}
			const why = timedOut
				? `timed out after ${Math.round(timeoutMs / 1000)} s`
				: `exited with code ${code} and no result`;
			resolve({ ok: false, error: `${why}${stderr ? `: ${lastLines(stderr)}` : ''}` });
		});
	});
}

function lastLines(text: string): string {
	return text.trim().split('\n').slice(-3).join(' / ').slice(0, 400);
}

/** The main thread's profile of a run: the largest (the loader thread's is small). */
function mainThreadProfile(folder: string): string {
	const files = readdirSync(folder)
		.filter((file) => file.endsWith('.cpuprofile'))
		.map((file) => path.join(folder, file))
		.sort((a, b) => statSync(b).size - statSync(a).size);
	if (files.length === 0) throw new Error(`No profile in ${folder}`);
	return files[0];
}

// --- statistics ---

interface Stat {
	median: number;
	min: number;
	max: number;
	n: number;
}

function stat(values: Array<number | undefined | null>): Stat | undefined {
	const numbers = values.filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
	if (numbers.length === 0) return undefined;
	const sorted = [...numbers].sort((a, b) => a - b);
	const middle = Math.floor(sorted.length / 2);
	const median = sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
	return { median, min: sorted[0], max: sorted[sorted.length - 1], n: sorted.length };
}

// --- the report ---

type Format = (value: number) => string;
const times: Format = (v) => `${v.toFixed(2)}×`;
const ms: Format = (v) =>
	v >= 100 ? `${Math.round(v).toLocaleString('en-US')} ms` : `${v.toFixed(1)} ms`;
const count: Format = (v) => (Number.isInteger(v) ? v.toLocaleString('en-US') : v.toFixed(1));
const bytes: Format = (v) =>
	v >= 1e6
		? `${(v / 1e6).toFixed(1)} MB`
		: v >= 1e3
			? `${(v / 1e3).toFixed(1)} KB`
			: `${Math.round(v)} B`;
const mib: Format = (v) => `${v.toFixed(1)} MiB`;
const us: Format = (v) => `${v.toFixed(1)} µs`;
const minutes: Format = (v) => `${(v / 1000).toFixed(1)} s`;

interface Target {
	text: string;
	met: (median: number, figure: Stat) => boolean;
}

interface Row {
	label: string;
	figure?: Stat;
	format: Format;
	target?: Target;
	/** Shown instead of met / not met (for example "not met (API)"). */
	status?: string;
	note?: string;
}

interface Section {
	id: BenchId | 'B2-scale';
	title: string;
	intro: string[];
	tables: Array<{ title: string; rows: Row[] }>;
	limits: string[];
	extra: string[];
}

function statusOf(row: Row): string {
	if (row.status) return row.status;
	if (!row.target) return '';
	if (!row.figure) return 'failed';
	return row.target.met(row.figure.median, row.figure) ? 'met' : '**not met**';
}

function spread(row: Row): string {
	if (!row.figure) return '';
	return row.figure.n > 1 ? `${row.format(row.figure.min)} – ${row.format(row.figure.max)}` : '';
}

function renderTable(rows: Row[]): string[] {
	const lines = [
		'| Figure | Median | Spread (min – max) | Rounds | Target | Status |',
		'| --- | --- | --- | --- | --- | --- |',
	];
	for (const row of rows) {
		const median = row.figure ? row.format(row.figure.median) : 'failed';
		const label = row.note ? `${row.label} (${row.note})` : row.label;
		lines.push(
			`| ${label} | ${median} | ${spread(row)} | ${row.figure?.n ?? 0} | ${row.target?.text ?? ''} | ${statusOf(row)} |`,
		);
	}
	return lines;
}

const atMost = (limit: number, text = `≤ ${limit}×`): Target => ({ text, met: (m) => m <= limit });
const below = (limit: number, text: string): Target => ({ text, met: (m) => m < limit });
const atLeast = (limit: number, text: string): Target => ({ text, met: (m) => m >= limit });
const exactly = (value: number, text: string): Target => ({ text, met: (m) => m === value });

class Results {
	constructor(readonly runs: Run[]) {}

	of(bench: BenchId, group: string, variant: string): Run[] {
		return this.runs.filter((r) => r.bench === bench && r.group === group && r.variant === variant);
	}

	ok(bench: BenchId, group: string, variant: string): Result[] {
		return this.of(bench, group, variant)
			.filter((run) => run.result.ok)
			.map((run) => run.result);
	}

	/** A figure per round from two variants of the same round, when both succeeded. */
	perRound(
		bench: BenchId,
		group: string,
		a: string,
		b: string,
		figure: (x: Result, y: Result) => number | undefined,
	): Stat | undefined {
		const values: Array<number | undefined> = [];
		for (const x of this.of(bench, group, a)) {
			const y = this.of(bench, group, b).find((run) => run.round === x.round);
			if (x.result.ok && y?.result.ok) values.push(figure(x.result, y.result));
		}
		return stat(values);
	}

	single(
		bench: BenchId,
		group: string,
		variant: string,
		figure: (x: Result) => number | undefined | null,
	) {
		return stat(this.ok(bench, group, variant).map(figure));
	}

	failures(bench: BenchId): Run[] {
		return this.runs.filter((r) => r.bench === bench && !r.result.ok && !r.result.extra?.skipped);
	}
}

const ratio = (key: 'wallMs' | 'cpuMs' | 'heapPeakMiB') => (x: Result, y: Result) =>
	x[key] !== undefined && y[key] !== undefined && y[key]! > 0 ? x[key]! / y[key]! : undefined;

type Pick = (r: Result) => number | undefined | null;
const wall: Pick = (r) => r.wallMs;
const cpu: Pick = (r) => r.cpuMs;
const heap: Pick = (r) => r.heapPeakMiB;
const retained: Pick = (r) => r.heapRetainedMiB;
const largeObjects: Pick = (r) => r.largeObjectsEndMiB;

/** The sandbox process's CPU time per list request, over the measured part of a variant. */
function serverPerRequest(results: Results, bench: BenchId, group: string, variant: string) {
	return results.single(bench, group, variant, (r) => {
		const cpu = extraNumber(r, 'serverCpuMs');
		return cpu !== undefined && r.listRequests ? cpu / r.listRequests : undefined;
	});
}

/**
 * What second listings show, each side after a whole one in its process (its code
 * optimized by V8 by then): whether the first listing's excess is the node's steady
 * cost, n8n's request helper's, or the first run of code.
 */
function steadyOn(warmOn?: Stat, warmHelper?: Stat, overHelper?: Stat): string {
	if (!warmOn) return '';
	const helper =
		warmHelper && overHelper
			? ` (n8n's request helper alone ${times(warmHelper.median)}, the node ${times(overHelper.median)} that helper loop)`
			: '';
	return ` Second listings, each side after a whole one in its process: the node takes ${times(warmOn.median)} the raw loop${helper}${
		warmOn.median <= 1.2
			? ": once V8 has optimized both, the target is met; the first listing's excess is the first run of the package's code and of n8n's request path"
			: ''
	}.`;
}

function steadyOff(warmOff?: Stat, warmHelper?: Stat, overHelper?: Stat): string {
	if (!warmOff || !warmHelper || !overHelper) return '';
	const figures = ` Second listings, each side after a whole one in its process: Simplify off takes ${times(warmOff.median)} the raw loop, n8n's request helper alone ${times(warmHelper.median)}, the node ${times(overHelper.median)} that helper loop`;
	if (warmOff.median <= 1.05) return `${figures}: once V8 has optimized both, the target is met.`;
	if (warmHelper.median > 1.05 && overHelper.median <= 1.05)
		return `${figures}: once V8 has optimized both, the node adds nothing measurable to n8n's request helper, which alone is over the target (n8n's limit: a new connection per request, axios); the first listing's excess over that helper is the first run of the package's code.`;
	return `${figures}.`;
}

function extraNumber(result: Result, key: string): number | undefined {
	const value = result.extra?.[key];
	return typeof value === 'number' ? value : undefined;
}

function sameRequests(
	results: Results,
	bench: BenchId,
	group: string,
	variant: string,
	reference: string,
): string {
	const pairs: boolean[] = [];
	let example = '';
	for (const x of results.of(bench, group, variant)) {
		const y = results.of(bench, group, reference).find((run) => run.round === x.round);
		if (!x.result.ok || !y?.result.ok) continue;
		const mine = x.result.signatures ?? [];
		const theirs = y.result.signatures ?? [];
		const same = [...mine].sort().join('\n') === [...theirs].sort().join('\n');
		pairs.push(same);
		if (!same && !example) {
			const onlyMine = mine.filter((entry) => !theirs.includes(entry));
			const onlyTheirs = theirs.filter((entry) => !mine.includes(entry));
			example = `; ${mine.length} requests against ${theirs.length}${onlyMine[0] ? `, the node's \`${cell(onlyMine[0])}\`` : ''}${onlyTheirs[0] ? `, the raw loop's \`${cell(onlyTheirs[0])}\`` : ''}`;
		}
	}
	if (pairs.length === 0) return 'not compared';
	return pairs.every(Boolean)
		? 'yes'
		: `no (${pairs.filter((p) => !p).length} of ${pairs.length} rounds differ${example}; the raw loop pages 5,000, 500 or 1,000 at a time to the end)`;
}

/** Text safe inside a table cell and a code span. */
function cell(text: string): string {
	const short = text.length > 90 ? `${text.slice(0, 87)}...` : text;
	return short.replace(/`/g, "'").replace(/\|/g, '\\|');
}

function profileLines(run: Run | undefined, label: string): string[] {
	if (!run?.profile) return [];
	const p = run.profile;
	const lines = [
		`**Where the time goes, ${label}** (one extra run under \`--cpu-prof\`, self time ${p.windowed ? 'within the measured part' : 'of the whole process'}: ${Math.round(p.totalMs).toLocaleString('en-US')} ms; the profile is in \`.tmp/bench/profiles/\`):`,
		'',
		'| Function | Self time | Share |',
		'| --- | --- | --- |',
		...p.functions.map(
			(f) => `| \`${cell(f.name)}\` | ${Math.round(f.ms)} ms | ${(f.share * 100).toFixed(1)}% |`,
		),
		'',
		'By file: ' +
			p.files
				.slice(0, 6)
				.map((f) => `\`${f.name}\` ${(f.share * 100).toFixed(0)}%`)
				.join(', ') +
			'.',
		'',
		...(p.owners
			? [
					'By whose code: ' +
						p.owners.map((o) => `${o.name} ${(o.share * 100).toFixed(0)}%`).join(', ') +
						'.',
					'',
				]
			: []),
	];
	return lines;
}

function sectionB1(results: Results, groups: Group[], latency: boolean): Section {
	const bench: BenchId = latency ? 'B1b' : 'B1';
	const tables: Section['tables'] = [];
	const limits: string[] = [];
	const extra: string[] = [];
	for (const group of groups) {
		const { key, provider } = group;
		const n = group.task.count;
		const rows: Row[] = [];
		/** A row showing one figure of one variant's runs. */
		const row = (label: string, variant: string, pick: Pick, format: Format): Row => ({
			label,
			figure: results.single(bench, key, variant, pick),
			format,
		});
		const expected = Math.ceil(n / LARGEST_PAGE[provider]);
		const rawMs = results.single(bench, key, 'raw', wall);
		const nodeMs = results.single(bench, key, 'node-on', wall);
		/** Wall time of one variant over another's, per round. */
		const wallRatio = (variant: string, reference = 'raw') =>
			results.perRound(bench, key, variant, reference, ratio('wallMs'));
		if (!latency) {
			const on = wallRatio('node-on');
			const off = wallRatio('node-off');
			const cpuOn = results.perRound(bench, key, 'node-on', 'raw', ratio('cpuMs'));
			const helper = wallRatio('helper');
			const offOverHelper = wallRatio('node-off', 'helper');
			// The same loop with the provider's credential applying its session (Ameyo).
			const helperAuth = wallRatio('helper-auth');
			const offOverHelperAuth = wallRatio('node-off', 'helper-auth');
			const memOn = results.perRound(bench, key, 'node-on', 'raw', ratio('heapPeakMiB'));
			const memOff = results.perRound(bench, key, 'node-off', 'raw', ratio('heapPeakMiB'));
			const memHelper = results.perRound(bench, key, 'helper', 'raw', ratio('heapPeakMiB'));
			// Second listings, each side after a whole one: code that V8 has optimized by then.
			const warmOn = wallRatio('node-warm', 'raw-warm');
			const warmOff = wallRatio('node-off-warm', 'raw-warm');
			const warmHelper = wallRatio('helper-warm', 'raw-warm');
			const warmOffOverHelper = wallRatio('node-off-warm', 'helper-warm');
			const warmOnOverHelper = wallRatio('node-warm', 'helper-warm');
			const serialWall = wallRatio('node-serial');
			const serialMem = results.perRound(bench, key, 'node-serial', 'raw', ratio('heapPeakMiB'));
			const listed = results.single(bench, key, 'node-on', (r) => r.listRequests);
			const rawListed = results.single(bench, key, 'raw', (r) => r.listRequests);
			const items = results.single(bench, key, 'node-on', (r) => r.items);
			rows.push(
				{
					label: 'Simplify on ÷ raw loop, wall time',
					figure: on,
					format: times,
					target: atMost(1.2),
				},
				{
					label: 'Simplify off ÷ raw loop, wall time',
					figure: off,
					format: times,
					target: atMost(1.05),
				},
				{
					label: 'Second listings (each after a whole one): Simplify on ÷ raw loop, wall time',
					figure: warmOn,
					format: times,
				},
				{
					label: 'Second listings: Simplify off ÷ raw loop, wall time',
					figure: warmOff,
					format: times,
				},
				{
					label: "Second listings: raw loop through n8n's request helper ÷ raw loop, wall time",
					figure: warmHelper,
					format: times,
				},
				{
					label: "Second listings: Simplify off ÷ raw loop through n8n's request helper, wall time",
					figure: warmOffOverHelper,
					format: times,
				},
				{
					label: 'Simplify on ÷ raw loop, CPU time of the client process',
					figure: cpuOn,
					format: times,
				},
				{
					label: "Raw loop through n8n's request helper ÷ raw loop, wall time",
					figure: helper,
					format: times,
				},
				{
					label: "Simplify off ÷ raw loop through n8n's request helper, wall time",
					figure: offOverHelper,
					format: times,
				},
				...(helperAuth
					? [
							{
								label:
									"Raw loop through n8n's authenticated request path (the credential applies the session) ÷ raw loop, wall time",
								figure: helperAuth,
								format: times,
							},
							{
								label:
									"Simplify off ÷ raw loop through n8n's authenticated request path, wall time",
								figure: offOverHelperAuth,
								format: times,
							},
						]
					: []),
				{
					label: 'Peak heap, Simplify on ÷ raw loop',
					figure: memOn,
					format: times,
					target: atMost(2),
				},
				{ label: 'Peak heap, Simplify off ÷ raw loop', figure: memOff, format: times },
				{
					label: "Peak heap, raw loop through n8n's request helper ÷ raw loop",
					figure: memHelper,
					format: times,
				},
				...(serialMem
					? [
							{
								label: 'Concurrent Requests 1 (Simplify on) ÷ raw loop, wall time',
								figure: serialWall,
								format: times,
							},
							{
								label: 'Concurrent Requests 1 (Simplify on) ÷ raw loop, peak heap',
								figure: serialMem,
								format: times,
							},
						]
					: []),
				{
					label: 'List requests (node)',
					figure: listed,
					format: count,
					target: exactly(
						expected,
						`= ${expected} (⌈${n.toLocaleString('en-US')} ÷ ${LARGEST_PAGE[provider].toLocaleString('en-US')}⌉)`,
					),
					status:
						provider === 'ameyo' &&
						listed &&
						listed.median === expected + 1 &&
						rawListed?.median === expected + 1
							? '**not met** (API)'
							: undefined,
				},
				{
					label: 'Items returned (node)',
					figure: items,
					format: count,
					target: exactly(n, `= ${n.toLocaleString('en-US')}`),
				},
				{ label: 'Raw loop, wall time', figure: rawMs, format: ms },
				row('Raw loop, second listing, wall time', 'raw-warm', wall, ms),
				row("Raw loop through n8n's request helper, wall time", 'helper', wall, ms),
				{ label: 'Node, Simplify on, wall time', figure: nodeMs, format: ms },
				row('Node, Simplify off, wall time', 'node-off', wall, ms),
				row('Node, Simplify on, per callback', 'node-on', (r) => (r.wallMs! * 1000) / n, us),
				row('Raw loop, CPU time', 'raw', cpu, ms),
				row("Raw loop through n8n's request helper, CPU time", 'helper', cpu, ms),
				...(helperAuth
					? [
							row(
								"Raw loop through n8n's authenticated request path, CPU time",
								'helper-auth',
								cpu,
								ms,
							),
						]
					: []),
				row('Node, Simplify on, CPU time', 'node-on', cpu, ms),
				row('Node, Simplify off, CPU time', 'node-off', cpu, ms),
				row('Raw loop, peak heap above baseline', 'raw', heap, mib),
				row('Node, Simplify on, peak heap above baseline', 'node-on', heap, mib),
				row('Node, Simplify off, peak heap above baseline', 'node-off', heap, mib),
				row('Raw loop, heap kept by its records (after a full GC)', 'raw', retained, mib),
				row(
					'Node, Simplify on, heap kept by its items (after a full GC)',
					'node-on',
					retained,
					mib,
				),
				row('Raw loop, old large-object space at the end', 'raw', largeObjects, mib),
				row(
					"Raw loop through n8n's request helper, old large-object space at the end",
					'helper',
					largeObjects,
					mib,
				),
				row('Node, Simplify on, old large-object space at the end', 'node-on', largeObjects, mib),
				row('Downloaded (answer bodies)', 'node-on', (r) => r.responseBytes, bytes),
				{
					label: "Sandbox's CPU time per list request (raw loop run)",
					figure: serverPerRequest(results, bench, key, 'raw'),
					format: ms,
				},
			);
			tables.push({ title: `${group.label}: Return All`, rows });
			const same = sameRequests(results, bench, key, 'node-on', 'raw');
			extra.push(
				`- ${group.label}: the node (Simplify on) sent the same requests as the raw loop: ${same}.`,
			);
			const nodeCpu = results.single(bench, key, 'node-on', cpu);
			const rawCpu = results.single(bench, key, 'raw', cpu);
			const onOverHelper = wallRatio('node-on', 'helper');
			if (on && on.median > 1.2 && nodeCpu && rawCpu && rawMs && nodeMs) {
				limits.push(
					`${group.label}, Simplify on ${times(on.median)} the raw loop: not the API (the raw loop gets the same ${n.toLocaleString('en-US')} callbacks with the same requests in ${ms(rawMs.median)}). The node's client process spends ${ms(nodeCpu.median)} of CPU against the raw loop's ${ms(rawCpu.median)} (${times(nodeCpu.median / rawCpu.median)}), ${us(((nodeCpu.median - rawCpu.median) * 1000) / n)} more per callback: its own processing of the answers (see the profile above)${onOverHelper ? `; it takes ${times(onOverHelper.median)} the raw loop sent through n8n's request helper` : ''}.${steadyOn(warmOn, warmHelper, warmOnOverHelper)}`,
				);
			}
			if (off && off.median > 1.05 && rawMs) {
				const offCpu = results.single(bench, key, 'node-off', cpu);
				const cpuOff = results.perRound(bench, key, 'node-off', 'raw', ratio('cpuMs'));
				const helperCpu = results.single(bench, key, 'helper', cpu);
				const helperAuthCpu = results.single(bench, key, 'helper-auth', cpu);
				const authenticatedShare =
					helperAuth && offOverHelperAuth
						? ` The same loop on n8n's authenticated path (the credential applying the session to each request, as for any node) takes ${times(helperAuth.median)} the raw loop${helperAuthCpu ? ` (${ms(helperAuthCpu.median)} of CPU)` : ''}${helperAuth.median > 1.05 ? ", over the target before any of the package's code runs (n8n's limit)" : ''}; the node takes ${times(offOverHelperAuth.median)} that loop: the package's own share.`
						: '';
				const shares =
					helper && offOverHelper
						? ` Of that, n8n's request helper alone (the raw loop sent through it in n8n-core's context, its records returned as items, nothing else) takes ${times(helper.median)} the raw loop${helperCpu ? ` (${ms(helperCpu.median)} of CPU)` : ''}${helper.median > 1.05 ? ": more than the target before any of the package's code runs (n8n's limit: a new connection per request, axios)" : ''}; the node takes ${times(offOverHelper.median)} that helper loop: n8n's authenticated request path, which the helper loop does not take (the credential's session or token applied to each request), and the package's own (its transport, paging and output items${provider === 'ameyo' ? ', and the check that no callback comes twice, which Ameyo needs: it pages by offset over a campaign that may change while it is read, in an order it does not document' : ''}).`
						: '';
				limits.push(
					`${group.label}, Simplify off ${times(off.median)} the raw loop (per round) for the same requests: not the API. Its client process spends ${offCpu ? ms(offCpu.median) : '?'} of CPU against the raw loop's ${rawCpu ? ms(rawCpu.median) : '?'}${cpuOff ? ` (${times(cpuOff.median)} per round)` : ''}.${shares}${authenticatedShare}${steadyOff(warmOff, warmHelper, warmOffOverHelper)}`,
				);
			}
			if (memOn && memOn.median > 2) {
				const peak = results.single(bench, key, 'node-on', heap);
				const rawPeak = results.single(bench, key, 'raw', heap);
				const kept = results.single(bench, key, 'node-on', retained);
				const rawKept = results.single(bench, key, 'raw', retained);
				const split =
					kept && rawKept
						? ` Its output items, kept, take ${mib(kept.median)} against the raw loop's parsed records' ${mib(rawKept.median)} (${times(kept.median / rawKept.median)}: the simplified callback has more fields than the record it is read from); the rest of the peak is the answers fetched ahead (${DEFAULT_CONCURRENCY} asked for at once, the default of Concurrent Requests, against the raw loop's one) and the garbage of reading them, not yet collected when the peak is sampled.`
						: '';
				const rawLarge = results.single(bench, key, 'raw', largeObjects);
				const helperLarge = results.single(bench, key, 'helper', largeObjects);
				const helperShare =
					memHelper && rawLarge && helperLarge
						? ` n8n's request helper alone, its answers' records returned as they are, peaks at ${times(memHelper.median)} the raw loop's: the text of the answers it hands over outlives young-generation collections and ends in the old generation's large-object space (${mib(helperLarge.median)} of it at the end, against the raw loop's ${mib(rawLarge.median)}), where only a full collection frees it.`
						: '';
				const tradeOff =
					serialMem && serialWall
						? ` Pages one at a time (Concurrent Requests 1) hold less, ${times(serialMem.median)} the raw loop's peak, and take ${times(serialWall.median)} its time: the default trades that memory for speed.`
						: '';
				limits.push(
					`${group.label}, peak heap ${times(memOn.median)} the raw loop's: ${peak ? mib(peak.median) : '?'} against ${rawPeak ? mib(rawPeak.median) : '?'} for the same ${n.toLocaleString('en-US')} records; not the API.${split}${helperShare}${tradeOff}`,
				);
			}
			if (provider === 'ameyo' && listed && listed.median > expected) {
				limits.push(
					`${group.label}, ${count(listed.median)} list requests for ⌈${n.toLocaleString('en-US')} ÷ 1,000⌉ = ${expected}: Ameyo's list answers a bare array with no total, so the end is only known from a short page or its empty-list 500; for an exact multiple of the page size that takes one request more. The raw loop needs ${rawListed ? count(rawListed.median) : '?'} as well (API limit).`,
				);
			}
		} else {
			const rel = wallRatio('node-on');
			const rawConcurrent = wallRatio('raw-concurrent');
			const helperConcurrent = wallRatio('helper-concurrent');
			const offRel = wallRatio('node-off');
			const serialRel = wallRatio('node-serial');
			// What can be asked for together is known from the first answer (a total) or
			// from the start (Speko's lists); Ameyo's next page only once a page is full.
			const knownAhead = provider !== 'ameyo';
			const together = group.together ?? 'all pages after the first at once';
			const runs = (variant: string) => group.variants.includes(variant);
			rows.push(
				{
					label: 'Node (Simplify on) ÷ sequential raw loop, wall time',
					figure: rel,
					format: times,
					target: knownAhead ? below(0.5, '< 0.5×') : undefined,
					status: knownAhead ? undefined : 'no target (no total)',
				},
				...(knownAhead
					? [
							{
								label: 'Node (Simplify off) ÷ sequential raw loop, wall time',
								figure: offRel,
								format: times,
							},
							...(runs('node-serial')
								? [
										{
											label: 'Node, Concurrent Requests 1 ÷ sequential raw loop, wall time',
											figure: serialRel,
											format: times,
										},
									]
								: []),
							{
								label: `Raw loop, ${together} ÷ sequential raw loop`,
								figure: rawConcurrent,
								format: times,
							},
							...(runs('helper-concurrent')
								? [
										{
											label: `The same through n8n's request helper, ${together} ÷ sequential raw loop`,
											figure: helperConcurrent,
											format: times,
										},
									]
								: []),
						]
					: []),
				{ label: 'Sequential raw loop, wall time', figure: rawMs, format: ms },
				{ label: 'Node, wall time', figure: nodeMs, format: ms },
				...(knownAhead
					? [
							row('Node (Simplify off), wall time', 'node-off', wall, ms),
							row('Node, CPU time', 'node-on', cpu, ms),
							row('Node (Simplify off), CPU time', 'node-off', cpu, ms),
						]
					: []),
				...(knownAhead
					? [row('Raw loop, all at once, wall time', 'raw-concurrent', wall, ms)]
					: []),
				row('List requests (node)', 'node-on', (r) => r.listRequests, count),
				row('Most requests in flight (node)', 'node-on', (r) => r.maxInFlight, count),
				{
					label: "Sandbox's CPU time per list request (raw loop run)",
					figure: serverPerRequest(results, bench, key, 'raw'),
					format: ms,
				},
			);
			tables.push({ title: `${group.label} at 150 ms per answer`, rows });
			if (group.together) {
				extra.push(
					`- ${group.label}: the node (Simplify on) sent the same requests as the raw loop: ${sameRequests(results, bench, key, 'node-on', 'raw')}.`,
				);
			}
			const listed = results.single(bench, key, 'node-on', (r) => r.listRequests);
			const server = serverPerRequest(results, bench, key, 'raw');
			if (knownAhead && rel && rel.median >= 0.5) {
				const cpuPerPage = (variant: string) =>
					results.single(bench, key, variant, (r) =>
						r.cpuMs !== undefined && r.listRequests ? r.cpuMs / r.listRequests : undefined,
					);
				const nodePage = cpuPerPage('node-on');
				const rawPage = cpuPerPage('raw');
				const inFlight = results.single(bench, key, 'node-on', (r) => r.maxInFlight);
				const node = `the node takes ${times(rel.median)} the sequential raw loop, with at most ${inFlight ? count(inFlight.median) : '?'} requests in flight and ${nodePage ? ms(nodePage.median) : '?'} of its own CPU per page (a plain client: ${rawPage ? ms(rawPage.median) : '?'})`;
				const hides =
					nodePage && nodePage.median > 150
						? `; its CPU per page is more than the 150 ms of waiting it could overlap, so its processing of the pages, not the API, stops it`
						: `; its paging (${inFlight ? count(inFlight.median) : '?'} at a time) and its processing stop it, not the API`;
				const offPage = cpuPerPage('node-off');
				const layers =
					helperConcurrent && offRel
						? ` Through n8n's request helper, the same pages all at once take ${times(helperConcurrent.median)}, and the node with Simplify off ${times(offRel.median)}${offPage ? ` (${ms(offPage.median)} of CPU per page)` : ''}${helperConcurrent.median < 0.5 && offRel.median < 0.5 ? ": neither n8n nor the node's paging stops it; what Simplify on adds, the normalization of every record, does" : ''}.`
						: '';
				limits.push(
					(rawConcurrent && rawConcurrent.median >= 0.5
						? `${group.label} at 150 ms: ${node}${hides}. Even the raw loop sending every page after the first at once takes ${times(rawConcurrent.median)} here: once the waits overlap, what is left is CPU (${server ? ms(server.median) : '?'} of the sandbox's and ${rawPage ? ms(rawPage.median) : '?'} of the client's per page of ${LARGEST_PAGE[provider].toLocaleString('en-US')}) on 2 cores shared with other processes (load average ${LOAD.start.toFixed(1)} at the start): on this machine the sandbox and the client's parsing, not the latency, bound it.`
						: `${group.label} at 150 ms: ${node}${hides}. The same requests with every page after the first sent at once take ${rawConcurrent ? times(rawConcurrent.median) : '?'}: the API gives the total in the first answer and serves pages in parallel.`) +
						layers,
				);
			}
			if (!knownAhead && listed) {
				limits.push(
					`${group.label} at 150 ms: Ameyo gives no total, so each page can only be asked for once the previous one came back full: ${count(listed.median)} round trips of at least 150 ms, ${minutes(listed.median * 150)} at the least (API limit); the node takes ${nodeMs ? ms(nodeMs.median) : '?'}, the sequential raw loop ${rawMs ? ms(rawMs.median) : '?'}.`,
				);
			}
		}
	}
	if (!latency) {
		for (const group of groups) {
			const run = results.runs.find((r) => r.bench === 'B1' && r.group === group.key && r.profile);
			extra.push('', ...profileLines(run, `${group.label}, Simplify on`));
		}
	}
	return {
		id: bench,
		title: latency ? 'B1b: Return All at 150 ms per answer' : 'B1: Return All on loopback',
		intro: latency
			? [
					"The same listings with every answer of the sandbox delayed by 150 ms (in parallel for concurrent requests). The reference is the raw loop asking for pages one after another; the raw loop that sends every page after the first at once shows what the API allows where it gives a total (Convoso, Talkdesk), and the same loop sent through n8n's request helper what n8n allows. The node runs with Simplify on and, as a reference, off. Two more listings send independent requests that are not a provider's pages: Convoso past its offset cap (60,000 callbacks, more than the 55,000 one search can page through), where the search is split by date, the two halves of each split asked for their totals together (one row each) and then every window's pages together, and the node also runs with Concurrent Requests 1; and Speko's five per-status lists (its API has no paging and at most 100 per request), asked for together. Their raw loops send the same requests, one after another or all at once.",
				]
			: [
					"Get Many with Return All against the sandbox's own seeded data (Convoso 50,000, Talkdesk 20,000, Ameyo 20,000 in one campaign), against a raw `fetch` loop sending the same requests (same route, parameters and page size) one after another, JSON.parse-ing each page and keeping every record (a node that asks for several pages at once overlaps the sandbox's work with its own, which the wall-time ratio shows and the CPU-time ratio does not). The same loop is also sent through n8n's request helper (in n8n-core's context, the answer read as text, n8n's usual way, where the node asks for the bytes and decodes them itself just before parsing; the records returned as output items): the least any n8n node does for the same data. For Ameyo it is also sent through n8n's authenticated path, the session (the one the node opened: Ameyo allows one per user) applied to each request by the package's credential, as for the node's own requests. The raw loop, the helper loop and the node (Simplify on and off) are also measured on a second listing in their process, each after a whole first one that is not measured (its code optimized by V8 by then); those figures compare second listings with each other, since the raw loop's own code gains from that too. Where pages come several at once, the node also runs with Concurrent Requests 1, one page after another as the raw loop does. All warm up with a one-item request first (the connection, and Talkdesk's token or Ameyo's session), then the full listing is measured. Peak heap is the most heapUsed above the heap just before the run (after a full GC), sampled every 2 ms; the heap kept is what remains of it after the run, the result still held, after a full GC; the old large-object space at the end is how much the old generation's space for objects over 128 KiB (such as a page's answer text) grew over the run, read before that GC; the client's CPU time excludes the sandbox, which runs in a process of its own.",
				],
		tables,
		limits,
		extra,
	};
}

function sectionB2(results: Results, groups: Group[]): Section[] {
	const main = groups.filter((g) => !/-\d+$/.test(g.key));
	const rows: Row[] = [];
	const limits: string[] = [];
	const tables: Section['tables'] = [];
	for (const group of main) {
		const { key, provider } = group;
		const event = group.variants[0];
		const n = group.task.count;
		const requests = results.single('B2', key, event, (r) => r.requests);
		const downloaded = results.single('B2', key, event, (r) => r.responseBytes);
		const state = results.single('B2', key, event, (r) => extraNumber(r, 'stateBytes'));
		const forced = Math.floor(n / 1000) + 1;
		const groupRows: Row[] = [
			provider === 'ameyo'
				? {
						label: 'Requests',
						figure: requests,
						format: count,
						target: exactly(
							forced,
							`= ${forced} (forced: ⌊${n.toLocaleString('en-US')} ÷ 1,000⌋ + 1 pages)`,
						),
					}
				: { label: 'Requests', figure: requests, format: count, target: atMost(2, '≤ 2') },
			provider === 'ameyo'
				? { label: 'Downloaded', figure: downloaded, format: bytes }
				: {
						label: 'Downloaded',
						figure: downloaded,
						format: bytes,
						target: below(100_000, '< 100 KB'),
					},
			{
				label: 'State (static data JSON)',
				figure: state,
				format: bytes,
				target: below(65_536, '< 64 KiB (65,536 B)'),
			},
			{
				label: 'Idle poll, wall time',
				figure: results.single('B2', key, event, wall),
				format: ms,
			},
			{
				label: 'Idle poll, CPU time',
				figure: results.single('B2', key, event, cpu),
				format: ms,
			},
			{
				label: 'Emitted by the idle poll',
				figure: results.single('B2', key, event, (r) => r.items),
				format: count,
				target: exactly(0, '= 0'),
			},
			{
				label: 'Activation (baseline) poll, requests',
				figure: results.single('B2', key, event, (r) => extraNumber(r, 'baselineRequests')),
				format: count,
			},
			{
				label: 'Activation (baseline) poll, wall time',
				figure: results.single('B2', key, event, (r) => extraNumber(r, 'baselineMs')),
				format: ms,
			},
		];
		tables.push({
			title: `${group.label}, ${n.toLocaleString('en-US')} callbacks`,
			rows: groupRows,
		});
		rows.push(...groupRows);
		const sample = results.ok('B2', key, event)[0]?.signatures?.[0];
		if (requests && provider !== 'ameyo' && requests.median > 2) {
			limits.push(
				`${group.label}: ${count(requests.median)} requests and ${downloaded ? bytes(downloaded.median) : '?'} for a poll that finds nothing${sample ? ` (the first: \`${sample}\`)` : ''}. ${limitWordsB2(provider, event)}`,
			);
		} else if (downloaded && provider !== 'ameyo' && downloaded.median >= 100_000) {
			limits.push(
				`${group.label}: ${bytes(downloaded.median)} downloaded by ${requests ? plural(requests.median, 'request') : '?'}${requests && requests.median > 0 ? `, ${bytes(downloaded.median / requests.median)} each: the answers carry whole records (up to ${LARGEST_PAGE[provider].toLocaleString('en-US')} a page) and the sandbox's API offers no smaller answer` : ''}. ${limitWordsB2(provider, event)}`,
			);
		}
		if (provider === 'ameyo' && requests) {
			limits.push(
				`${group.label}: ${count(requests.median)} requests whatever changed: Ameyo's list has no date filter and no total, so every poll reads each watched campaign to its end (⌊${n.toLocaleString('en-US')} ÷ 1,000⌋ + 1 = ${forced} pages, the last one short or the empty-list 500). This is the page count its API forces.`,
			);
		}
		if (state && state.median >= 65_536) {
			limits.push(`${group.label}: the state is ${bytes(state.median)}, over 64 KiB.`);
		}
	}
	const sections: Section[] = [
		{
			id: 'B2',
			title: 'B2: the idle poll of every trigger',
			intro: [
				`Each trigger and event against ${B2_SIZE.toLocaleString('en-US')} callbacks (Speko: ${SPEKO_VISIBLE}, as many as its API lists: 100 in each of its five statuses) spread realistically around a controlled clock: 70% scheduled up to 60 days ahead, 20% ended in the last 30 days, 10% overdue and still pending, none scheduled within 30 minutes of the clock or created in its last hour. The trigger is activated (its baseline poll), the clock (the nodes' and the sandbox's) moves one minute, and the next poll, which finds nothing, is measured: requests, bytes of the answers, time, and the size of the node's static data as JSON. Every round runs on another date (41 days and 7 hours apart), the data seeded around it.`,
			],
			tables,
			limits,
			extra: [],
		},
	];
	const scale = groups
		.filter((g) => g.provider === 'ameyo' && g.variants[0] === 'due')
		.sort((a, b) => a.task.count - b.task.count);
	const lines = [
		'| Campaign size | Requests | Idle poll | Per page | Campaign a 5-minute poll budget covers at that pace |',
		'| --- | --- | --- | --- | --- |',
	];
	for (const group of scale) {
		const requests = results.single('B2', group.key, 'due', (r) => r.requests);
		const idle = results.single('B2', group.key, 'due', wall);
		const perPage = results.single('B2', group.key, 'due', (r) =>
			r.requests ? r.wallMs! / r.requests : undefined,
		);
		const covered = perPage ? Math.floor((5 * 60_000) / perPage.median) * 1000 : undefined;
		lines.push(
			`| ${group.task.count.toLocaleString('en-US')} | ${requests ? count(requests.median) : 'failed'} | ${idle ? ms(idle.median) : 'failed'} | ${perPage ? ms(perPage.median) : ''} | ${covered ? `about ${covered.toLocaleString('en-US')} callbacks` : ''} |`,
		);
	}
	sections.push({
		id: 'B2-scale',
		title: 'B2, Ameyo: the idle poll by campaign size',
		intro: [
			"Ameyo's trigger reads every page of every watched campaign on every poll (Callback Due, one campaign; medians over the rounds). n8n's default poll budget is 5 minutes; against a real server, divide by its time per page.",
		],
		tables: [],
		limits: [],
		extra: lines,
	});
	return sections;
}

function limitWordsB2(provider: Provider, event: string): string {
	switch (provider) {
		case 'convoso':
			return event === 'new'
				? "The poll reads every callback its date window matches (scheduled from yesterday on); Convoso's search filters by callback date only (no creation-time filter) and pages at most 5,000 per request."
				: "The poll reads every callback its date window matches (scheduled from a day before the last poll to a day after the lead time); Convoso's search filters by callback date (whole days in the account zone) and pages at most 5,000.";
		case 'talkdesk':
			return event === 'new'
				? "The poll reads every callback whose next time to call is from a day before the window floor on; Talkdesk's list filters by next time to call, not by creation, and pages at most 500."
				: 'The poll reads the open callbacks whose next time to call falls in its window; Talkdesk pages at most 500.';
		case 'speko':
			return "Speko's list takes one status per request, at most 100, with no paging and no creation-time filter: seeing what changed status between two polls means asking each status the event covers.";
		case 'ameyo':
			return '';
	}
}

/** The CPU profile of a benchmark's group, when one was taken. */
function profileOf(results: Results, bench: BenchId, group: string): ProfileSummary | undefined {
	return results.runs.find((r) => r.bench === bench && r.group === group && r.profile)?.profile;
}

function sectionB3(results: Results, groups: Group[], concurrency: number): Section {
	const tables: Section['tables'] = [];
	const limits: string[] = [];
	const extra: string[] = [];
	for (const group of groups) {
		const { key } = group;
		const hasOption = group.variants.includes('node-concurrency');
		const judged = hasOption ? 'node-concurrency' : 'node';
		const speedup = (variant: string) =>
			results.perRound('B3', key, 'raw-serial', variant, (x, y) =>
				y.wallMs ? x.wallMs! / y.wallMs : undefined,
			);
		const checks = (variant: string, field: string) =>
			results.single('B3', key, variant, (r) => extraNumber(r, field));
		const rows: Row[] = [
			{
				label: `Node as it is, speed-up over one at a time`,
				figure: speedup('node'),
				format: times,
				target: judged === 'node' ? atLeast(4, '≥ 4×') : undefined,
			},
			...(hasOption
				? [
						{
							label: `Node with concurrency ${concurrency}, speed-up over one at a time`,
							figure: speedup('node-concurrency'),
							format: times,
							target: atLeast(4, '≥ 4×'),
						},
					]
				: []),
			{
				label: `Raw loop, ${concurrency} at a time, speed-up over one at a time`,
				figure: speedup('raw-concurrent'),
				format: times,
			},
			{
				label: 'One at a time (raw loop), wall time',
				figure: results.single('B3', key, 'raw-serial', wall),
				format: ms,
			},
			{
				label: 'Node as it is, wall time',
				figure: results.single('B3', key, 'node', wall),
				format: ms,
			},
			...(hasOption
				? [
						{
							label: `Node with concurrency ${concurrency}, wall time`,
							figure: results.single('B3', key, 'node-concurrency', wall),
							format: ms,
						},
					]
				: []),
			{
				label: `Raw loop ${concurrency} at a time, wall time`,
				figure: results.single('B3', key, 'raw-concurrent', wall),
				format: ms,
			},
			{
				label: 'Requests per item (node)',
				figure: results.single('B3', key, judged, (r) => (r.requests ?? 0) / 1000),
				format: count,
			},
			{
				label: 'Requests per item (one at a time)',
				figure: results.single('B3', key, 'raw-serial', (r) => (r.requests ?? 0) / 1000),
				format: count,
			},
		];
		for (const variant of ['node', ...(hasOption ? ['node-concurrency'] : [])]) {
			const label = variant === 'node' ? 'node as it is' : `node, concurrency ${concurrency}`;
			rows.push(
				{
					label: `429s seen (requests over the rate limit), ${label}`,
					figure: checks(variant, 'rateLimited'),
					format: count,
					target: variant === judged ? exactly(0, '= 0 (within the limit)') : undefined,
				},
				{
					label: `Most requests in flight, ${label}`,
					figure: checks(variant, 'maxInFlight'),
					format: count,
				},
				{
					label: `Connections opened (n8n's request helper), ${label}`,
					figure: checks(variant, 'newConnections'),
					format: count,
				},
				{
					label: `Outputs in input order, ${label}`,
					figure: checks(variant, 'orderKept'),
					format: count,
					target: exactly(1000, '= 1,000'),
				},
				{
					label: `Outputs paired with their input, ${label}`,
					figure: checks(variant, 'pairingKept'),
					format: count,
					target: exactly(1000, '= 1,000'),
				},
				{
					label: `Error items, ${label}`,
					figure: checks(variant, 'errors'),
					format: count,
					target: exactly(0, '= 0'),
				},
				{
					label: `Inputs without a callback (lost), ${label}`,
					figure: checks(variant, 'lost'),
					format: count,
					target: exactly(0, '= 0'),
				},
				{
					label: `Callbacks created twice, ${label}`,
					figure: checks(variant, 'duplicates'),
					format: count,
					target: exactly(0, '= 0'),
				},
			);
		}
		rows.push(
			{
				label: `429s seen, raw loop ${concurrency} at a time`,
				figure: checks('raw-concurrent', 'rateLimited'),
				format: count,
			},
			{
				label: `Connections opened, raw loop ${concurrency} at a time`,
				figure: checks('raw-concurrent', 'newConnections'),
				format: count,
			},
		);
		tables.push({ title: group.label, rows });
		if (!hasOption) {
			extra.push(
				`- ${group.label}: the built node has no \`concurrency\` option for create (a field of that name, or one in a collection, shown for Create); only the node as it is was measured.`,
			);
		}
		const best = speedup(judged);
		const reference = speedup('raw-concurrent');
		const perItem = results.single('B3', key, 'raw-serial', (r) => r.wallMs! / 1000);
		const requestsPerItem = results.single(
			'B3',
			key,
			'raw-serial',
			(r) => (r.requests ?? 0) / 1000,
		);
		if (best && best.median < 4) {
			const ceiling = Math.min(
				B3_RATE_LIMIT.maxInFlight,
				(B3_RATE_LIMIT.perSecond * (perItem?.median ?? 0)) / 1000 / (requestsPerItem?.median ?? 1),
			);
			const cpuPerItem = (variant: string) =>
				results.single('B3', key, variant, (r) => (r.cpuMs ?? 0) / 1000);
			const serverPerItem = (variant: string) =>
				results.single('B3', key, variant, (r) => (extraNumber(r, 'serverCpuMs') ?? 0) / 1000);
			const nodeCpu = cpuPerItem(judged);
			const rawCpu = cpuPerItem('raw-concurrent');
			const inFlight = results.single('B3', key, judged, (r) => extraNumber(r, 'maxInFlight'));
			const limited = results.single('B3', key, judged, (r) => extraNumber(r, 'rateLimited'));
			const rawLimited = results.single('B3', key, 'raw-concurrent', (r) =>
				extraNumber(r, 'rateLimited'),
			);
			const server = serverPerItem(judged);
			const connections = (variant: string) =>
				results.single('B3', key, variant, (r) => extraNumber(r, 'newConnections'));
			const nodeConnections = connections(judged);
			const rawConnections = connections('raw-concurrent');
			const words = [
				`${group.label}: ${times(best.median)} one at a time (${judged === 'node' ? 'the node as it is' : `the node with concurrency ${concurrency}`}), with at most ${inFlight ? count(inFlight.median) : '?'} requests in flight and ${limited ? plural(limited.median, '429') : '? 429s'}.`,
				`One at a time, an item takes ${perItem ? ms(perItem.median) : '?'} (${requestsPerItem ? count(requestsPerItem.median) : '?'} requests of 20 ms and the client's work); the sandbox's rate limit (${B3_RATE_LIMIT.maxInFlight} requests in flight, ${B3_RATE_LIMIT.perSecond} per second) would allow about ${times(ceiling)}, and the raw loop ${concurrency} at a time gets ${reference ? times(reference.median) : '?'}${rawLimited ? ` with ${plural(rawLimited.median, '429')}` : ''}.`,
				`The node's process spends ${nodeCpu ? ms(nodeCpu.median) : '?'} of CPU per item, the raw loop's ${rawCpu ? ms(rawCpu.median) : '?'}, the sandbox ${server ? ms(server.median) : '?'}${nodeConnections && rawConnections ? `; n8n's request helper opened ${count(nodeConnections.median)} connections for the node's ${count(requestsPerItem ? requestsPerItem.median * 1000 : 0)} requests (a new one per request), the raw loop ${count(rawConnections.median)} (kept alive)` : ''}:`,
			];
			if (inFlight && inFlight.median < Math.min(concurrency, B3_RATE_LIMIT.maxInFlight))
				words.push(
					'the node keeps fewer requests in flight than it may, so its concurrency stops it, not the API.',
				);
			else if (reference && reference.median >= 4) {
				const owners = profileOf(results, 'B3', key)?.owners;
				const share = (owner: string) =>
					`${(((owners ?? []).find((o) => o.name === owner)?.share ?? 0) * 100).toFixed(0)}%`;
				words.push(
					owners
						? `with the waits overlapped, the node's process is busy with the items: of its CPU time (the profile below), n8n's code takes ${share('n8n')} (each item's parameters and expressions, the request helper), other libraries ${share('other libraries (axios, luxon, ...)')}, Node.js ${share('Node.js (node:, native, garbage collector)')}, and the package's own code ${share('the package')}: n8n's per-item work, not the API nor its rate limit.`
						: `with the waits overlapped, the node's own work per item (n8n's per-item parameters and request helper, the transport, ${group.provider === 'convoso' ? 'the read back, ' : ''}normalizing) is what is left: not the API nor its rate limit.`,
				);
			} else
				words.push(
					`${nodeCpu && rawCpu && nodeCpu.median > 1.5 * rawCpu.median ? `the node's own work per item (${times(nodeCpu.median / rawCpu.median)} the raw loop's CPU) costs it the difference to the raw loop, and ` : ''}even the raw loop stays under 4× with ${rawLimited && rawLimited.median > 0 ? 'the rate limit turning requests away' : 'no 429: the CPU of the machine (the sandbox and the client on 2 cores shared with other processes, load average ' + LOAD.start.toFixed(1) + ' at the start) bounds it here'}.`,
				);
			limits.push(words.join(' '));
		}
		const profiled = profileOf(results, 'B3', key);
		if (profiled)
			extra.push(
				'',
				...profileLines(
					{ profile: profiled } as Run,
					`${group.label}, the node with concurrency ${concurrency}`,
				),
			);
	}
	return {
		id: 'B3',
		title: 'B3: bulk create, 1,000 items at 20 ms per answer',
		intro: [
			`1,000 input items (lead or number, time and comment by expression, a distinct comment each) through Create, every sandbox answer delayed by 20 ms, the sandbox's rate limit on: at most ${B3_RATE_LIMIT.maxInFlight} requests in flight and ${B3_RATE_LIMIT.perSecond} per second (429 with Retry-After: ${B3_RATE_LIMIT.retryAfterSeconds} beyond). The reference "one at a time" is a raw fetch loop sending the node's requests for one item after the other (Convoso: the insert, then the read back by id; Talkdesk: the POST); the speed-up is its time over the variant's, taken per round. Talkdesk's token is fetched before the measured part, by the node (a one-callback listing, as in B1) and by the raw loops alike. Convoso's Calling Hours are off (with them on, the node first reads the lead: one more request per item). After each run the sandbox's callbacks are checked: each input's callback once, none lost, none twice; and the node's outputs: in input order, each paired with its input item.`,
		],
		tables,
		limits,
		extra,
	};
}

function sectionB4(results: Results, groups: Group[]): Section {
	const tables: Section['tables'] = [];
	const limits: string[] = [];
	const rows: Row[] = [];
	for (const group of groups) {
		const { key } = group;
		const figure = (field: string) =>
			results.single('B4', key, 'due', (r) => extraNumber(r, field));
		const runs = results.ok('B4', key, 'due');
		const sum = (field: string) =>
			runs.reduce((total, r) => total + (extraNumber(r, field) ?? 0), 0);
		const all = (field: string, pick: (values: number[]) => number) => {
			const values = runs
				.map((r) => extraNumber(r, field))
				.filter((v): v is number => v !== undefined);
			return values.length ? pick(values) : undefined;
		};
		const maxLate = all('maxLatenessMs', (v) => Math.max(...v));
		const minLate = all('minLatenessMs', (v) => Math.min(...v));
		const groupRows: Row[] = [
			{
				label: 'Latest emission after (scheduled − lead), worst round',
				figure:
					maxLate === undefined
						? undefined
						: { median: maxLate, min: maxLate, max: maxLate, n: runs.length },
				format: minutes,
				target: atMost(B4.pollIntervalMs, `≤ ${minutes(B4.pollIntervalMs)} (one poll interval)`),
			},
			{
				label: 'Earliest emission after (scheduled − lead), worst round',
				figure:
					minLate === undefined
						? undefined
						: { median: minLate, min: minLate, max: minLate, n: runs.length },
				format: minutes,
				target: { text: '≥ 0 s (never early)', met: (m) => m >= 0 },
			},
			{
				label: 'Latest emission, median over rounds',
				figure: figure('maxLatenessMs'),
				format: minutes,
			},
			{
				label: 'Emitted early, all rounds',
				figure: runs.length
					? { median: sum('early'), min: sum('early'), max: sum('early'), n: runs.length }
					: undefined,
				format: count,
				target: exactly(0, '= 0'),
			},
			{
				label: 'Never emitted, all rounds',
				figure: runs.length
					? { median: sum('missed'), min: sum('missed'), max: sum('missed'), n: runs.length }
					: undefined,
				format: count,
				target: exactly(0, '= 0'),
			},
			{
				label: 'Emitted twice, all rounds',
				figure: runs.length
					? {
							median: sum('duplicates'),
							min: sum('duplicates'),
							max: sum('duplicates'),
							n: runs.length,
						}
					: undefined,
				format: count,
				target: exactly(0, '= 0'),
			},
			{ label: 'Callbacks per round', figure: figure('scheduled'), format: count },
			{ label: 'Polls per round', figure: figure('polls'), format: count },
		];
		tables.push({ title: group.label, rows: groupRows });
		rows.push(...groupRows);
		if (maxLate !== undefined && maxLate > B4.pollIntervalMs)
			limits.push(
				`${group.label}: a callback fired ${minutes(maxLate)} after its time minus the lead, more than one poll interval.`,
			);
		if (minLate !== undefined && minLate < 0)
			limits.push(`${group.label}: a callback fired ${minutes(-minLate)} early.`);
		if (sum('missed') > 0) limits.push(`${group.label}: ${sum('missed')} callbacks never fired.`);
	}
	return {
		id: 'B4',
		title: 'B4: Callback Due precision',
		intro: [
			`Callback Due with Minutes Before Due ${B4.minutesBefore}, polled every ${B4.pollIntervalMs / 1000} s over a controlled clock (the node's and the sandbox's) for ${B4.horizonMs / HOUR} hours; callbacks (Speko 80, the others 300) scheduled at random seconds from 20 minutes to ${B4.horizonMs / HOUR} hours ahead. Lateness is the clock of the poll that emitted a callback minus (its scheduled time − ${B4.minutesBefore} minutes): it must lie in [0, one poll interval]. Every round another date and other times.`,
		],
		tables,
		limits,
		extra: [],
	};
}

interface Context {
	started: Date;
	loadStart: number[];
	loadEnd: number[];
	elapsedMs: number;
	rounds: Partial<Record<BenchId, number>>;
	partial: boolean;
}

function machine({ started, loadStart, loadEnd, elapsedMs }: Context): string[] {
	const cpus = os.cpus();
	return [
		`- Cores: ${cpus.length} (${cpus[0]?.model.trim() ?? 'unknown'})`,
		`- Memory: ${(os.totalmem() / 1024 ** 3).toFixed(1)} GiB`,
		`- Node.js: ${process.version} (${process.platform} ${process.arch})`,
		`- Date: ${started.toISOString().slice(0, 16).replace('T', ' ')} UTC; the run took ${minutes(elapsedMs)}`,
		`- Load average (1 min): ${loadStart[0].toFixed(2)} at the start, ${loadEnd[0].toFixed(2)} at the end${
			Math.max(loadStart[0], loadEnd[0]) > cpus.length
				? ' (above the core count, other processes were competing for the CPU: compare ratios taken within a round rather than absolute times)'
				: ''
		}`,
	];
}

function render(sections: Section[], results: Results, context: Context): string {
	const lines: string[] = [
		'# Benchmarks',
		'',
		'Written by `npm run bench` (`test/bench/run.ts`): do not edit by hand, run it again. Speed is measured here, never asserted in tests.',
		'',
		...(context.partial
			? [
					'> A partial run (BENCH_ONLY or BENCH_ROUNDS was set): only the benchmarks below, with the rounds given.',
					'',
				]
			: []),
		'## Machine',
		'',
		...machine(context),
		'',
		'## Method',
		'',
		"- The nodes run from a copy of `dist/` taken at the start of the run (the built JavaScript, as n8n loads it), in n8n-core's real execution and poll contexts (`test/helpers/run-node.ts`), against the provider sandbox on 127.0.0.1.",
		"- Every variant of every round runs in its own process (`node --expose-gc`), with the sandbox in a process of its own, so the CPU time and memory measured are the client's alone. The variants of a round run one after another, in an order that rotates from round to round; ratios are taken within a round (each against the same round's reference), then the median and the spread (min – max) over the rounds.",
		`- Rounds: ${Object.entries(context.rounds)
			.map(([id, n]) => `${id} ${n}`)
			.join(
				', ',
			)}. Tools: Node's timers (\`process.hrtime\`, \`process.cpuUsage\`), \`process.memoryUsage\` and V8's heap statistics, and \`--cpu-prof\`. Bytes are the answers' bodies as the sandbox sent them.`,
		'- Statuses are judged on the median.',
		'',
		'## Summary',
		'',
	];
	const judged: Array<{ line: string; met: boolean }> = [];
	for (const section of sections) {
		for (const table of section.tables) {
			for (const row of table.rows) {
				if (!row.target && !row.status) continue;
				const status = statusOf(row);
				if (status.startsWith('no target')) continue;
				judged.push({
					met: status === 'met',
					line: `| ${section.id} ${table.title} | ${row.label} | ${row.figure ? row.format(row.figure.median) : 'failed'} | ${row.target?.text ?? ''} | ${status} |`,
				});
			}
		}
	}
	const header = [
		'| Benchmark | Figure | Median | Target | Status |',
		'| --- | --- | --- | --- | --- |',
	];
	const unmet = judged.filter((j) => !j.met);
	lines.push(
		`${judged.length - unmet.length} of ${judged.length} targets met. Where a target is not met, its section says what limits it.`,
		'',
		...(unmet.length > 0 ? ['### Not met', '', ...header, ...unmet.map((j) => j.line), ''] : []),
		'### Met',
		'',
		...header,
		...judged.filter((j) => j.met).map((j) => j.line),
		'',
	);
	for (const section of sections) {
		lines.push(`## ${section.title}`, '', ...section.intro, '');
		for (const table of section.tables)
			lines.push(`### ${table.title}`, '', ...renderTable(table.rows), '');
		if (section.extra.length > 0) lines.push(...section.extra, '');
		if (section.limits.length > 0) {
			lines.push(
				'**What limits it** (from the figures above):',
				'',
				...section.limits.map((l) => `- ${l}`),
				'',
			);
		}
		const failures = section.id === 'B2-scale' ? [] : results.failures(section.id);
		if (failures.length > 0) {
			lines.push(
				'**Failed variants**:',
				'',
				...failures.map(
					(f) =>
						`- ${f.group} ${f.variant}, round ${f.round + 1}: ${(f.result.error ?? 'failed').replace(/\|/g, '/')}`,
				),
				'',
			);
		}
	}
	return `${lines
		.join('\n')
		.replace(/\n{3,}/g, '\n\n')
		.trimEnd()}\n`;
}

// --- main ---

function sectionsOf(
	results: Results,
	benches: BenchId[],
	groupsByBench: Map<BenchId, Group[]>,
	concurrency: number,
): Section[] {
	const sections: Section[] = [];
	for (const bench of benches) {
		const groups = groupsByBench.get(bench)!;
		if (bench === 'B1') sections.push(sectionB1(results, groups, false));
		if (bench === 'B1b') sections.push(sectionB1(results, groups, true));
		if (bench === 'B2') sections.push(...sectionB2(results, groups));
		if (bench === 'B3') sections.push(sectionB3(results, groups, concurrency));
		if (bench === 'B4') sections.push(sectionB4(results, groups));
	}
	return sections;
}

/** BENCH_REPORT=1: the report of the last run, written again from its raw results (no run). */
function reportAgain(out: string): void {
	const saved = JSON.parse(readFileSync(RESULTS, 'utf8')) as Saved;
	const { meta } = saved;
	LOAD.start = meta.loadStart[0];
	const groupsByBench = new Map(
		meta.benches.map((bench) => [bench, groupsOf(bench, meta.createConcurrency, meta.concurrency)]),
	);
	const results = new Results(saved.runs);
	const context: Context = { ...meta, started: new Date(meta.started) };
	writeFileSync(
		out,
		render(sectionsOf(results, meta.benches, groupsByBench, meta.concurrency), results, context),
	);
	console.log(`Wrote ${path.relative(ROOT, out)} again from ${path.relative(ROOT, RESULTS)}.`);
}

async function main(): Promise<void> {
	const config = settings();
	if (process.env.BENCH_REPORT === '1') {
		reportAgain(config.out);
		return;
	}
	const started = new Date();
	const loadStart = os.loadavg();
	LOAD.start = loadStart[0];
	if (!existsSync(path.join(ROOT, 'dist', 'nodes')))
		throw new Error('dist/ is missing: run npm run build first');
	// Every round measures the same build, whatever is rebuilt meanwhile.
	rmSync(WORK, { recursive: true, force: true });
	mkdirSync(WORK, { recursive: true });
	cpSync(path.join(ROOT, 'dist'), SNAPSHOT, { recursive: true });
	WORKER = compileWorker();
	const createConcurrency: Partial<Record<Provider, boolean>> = {};
	for (const provider of ['convoso', 'talkdesk'] as Provider[]) {
		try {
			createConcurrency[provider] = hasCreateConcurrency(provider);
		} catch {
			createConcurrency[provider] = false;
		}
	}
	const clockStart = Math.floor(started.getTime() / MINUTE) * MINUTE;

	const runs: Run[] = [];
	const rounds: Partial<Record<BenchId, number>> = {};
	const groupsByBench = new Map<BenchId, Group[]>();
	let done = 0;
	const plan: Array<{
		bench: BenchId;
		group: Group;
		variant: string;
		round: number;
		profile?: boolean;
	}> = [];
	for (const bench of config.benches) {
		const groups = groupsOf(bench, createConcurrency, config.concurrency);
		groupsByBench.set(bench, groups);
		rounds[bench] = config.roundsOf(bench);
		for (let round = 0; round < config.roundsOf(bench); round++) {
			for (const group of groups) {
				if (!config.fixedRounds && group.rounds !== undefined && round >= group.rounds) continue;
				const order = group.variants.map(
					(_, i) => group.variants[(i + round) % group.variants.length],
				);
				for (const variant of order) plan.push({ bench, group, variant, round });
			}
		}
		if (bench === 'B1' && config.profile) {
			for (const group of groups)
				plan.push({ bench, group, variant: 'node-on', round: -1, profile: true });
		}
		if (bench === 'B3' && config.profile) {
			for (const group of groups)
				if (group.variants.includes('node-concurrency'))
					plan.push({ bench, group, variant: 'node-concurrency', round: -1, profile: true });
		}
	}

	const sectionsFor = () =>
		sectionsOf(new Results(runs), config.benches, groupsByBench, config.concurrency);
	const write = () => {
		const context: Context = {
			started,
			loadStart,
			loadEnd: os.loadavg(),
			elapsedMs: Date.now() - started.getTime(),
			rounds,
			partial: config.partial,
		};
		writeFileSync(config.out, render(sectionsFor(), new Results(runs), context));
		const saved: Saved = {
			meta: {
				...context,
				started: started.toISOString(),
				benches: config.benches,
				createConcurrency,
				concurrency: config.concurrency,
			},
			runs,
		};
		writeFileSync(RESULTS, JSON.stringify(saved, null, 1));
	};

	console.log(
		`${plan.length} runs: ${config.benches.map((b) => `${b} × ${rounds[b]} rounds`).join(', ')}`,
	);
	for (const step of plan) {
		const { bench, group, variant, round } = step;
		const task: Task = {
			bench,
			provider: group.provider,
			variant,
			round: Math.max(0, round),
			seed: 1 + Math.max(0, round),
			...group.task,
			...((bench === 'B2' || bench === 'B4') && { nowMs: clockOf(clockStart, Math.max(0, round)) }),
			...(step.profile && { profile: true }),
		};
		const profileName = step.profile ? `${bench}-${group.key}-${variant}` : undefined;
		const began = Date.now();
		const result = await runWorker(task, group.timeoutMs, profileName);
		const run: Run = {
			bench,
			group: group.key,
			variant: step.profile ? `${variant}-profile` : variant,
			round,
			result,
		};
		if (profileName && result.ok) {
			try {
				run.profile = summarizeProfile(
					mainThreadProfile(path.join(PROFILES, profileName)),
					result.windowUs,
				);
			} catch {
				// A profile that could not be read is left out of the report.
			}
		}
		runs.push(run);
		done += 1;
		const what = result.ok
			? `${ms(result.wallMs ?? 0)}${result.requests !== undefined ? `, ${result.requests} requests` : ''}`
			: result.extra?.skipped
				? 'skipped'
				: `FAILED: ${result.error}`;
		console.log(
			`[${done}/${plan.length}] ${bench} ${group.key} ${variant}${step.profile ? ' (profile)' : ` round ${round + 1}`}: ${what} (${minutes(Date.now() - began)} in all)`,
		);
		// The report is rewritten as results come in: an interrupted run still leaves one.
		const next = plan[done];
		if (!next || next.bench !== bench) write();
	}
	write();
	console.log(
		`Wrote ${path.relative(ROOT, config.out)} in ${minutes(Date.now() - started.getTime())}.`,
	);
}

main().catch((error: unknown) => {
	console.error(error);
	process.exitCode = 1;
});
