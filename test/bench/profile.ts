/**
 * Reads a V8 CPU profile (as `node --cpu-prof` writes it) and sums self time by
 * function and by file over a time window (process.hrtime in µs: the same monotonic
 * clock as the profile's timestamps), so a profile of a whole worker process can be
 * cut to its measured part.
 */
import { readFileSync } from 'node:fs';

interface ProfileNode {
	id: number;
	callFrame: { functionName: string; url: string; lineNumber: number };
}

interface CpuProfile {
	nodes: ProfileNode[];
	startTime: number;
	endTime: number;
	samples: number[];
	timeDeltas: number[];
}

export interface ProfileEntry {
	name: string;
	ms: number;
	share: number;
}

export interface ProfileSummary {
	totalMs: number;
	/** False when the window was not inside the profile (then the whole profile is summed). */
	windowed: boolean;
	functions: ProfileEntry[];
	files: ProfileEntry[];
	/** The same time by whose code ran: the package's, n8n's, other libraries', Node's. */
	owners: ProfileEntry[];
}

/** Whose code a profiled file is. */
export function ownerOf(where: string): string {
	if (where.startsWith('dist/')) return 'the package';
	if (/^node_modules\/(n8n-core|n8n-workflow|@n8n)\//.test(where)) return 'n8n';
	if (where.startsWith('node_modules/')) return 'other libraries (axios, luxon, ...)';
	return 'Node.js (node:, native, garbage collector)';
}

/** A script's URL without anything of the machine it ran on: from dist/, node_modules/ or node:. */
export function shortUrl(url: string): string {
	if (url === '') return '(native)';
	if (url.startsWith('node:')) return url;
	const clean = url.replace(/^file:\/\//, '');
	const modules = clean.lastIndexOf('/node_modules/');
	if (modules >= 0) return clean.slice(modules + 1);
	const dist = clean.lastIndexOf('/dist/');
	if (dist >= 0) return clean.slice(dist + 1);
	for (const folder of ['/test/', '/nodes/']) {
		const at = clean.lastIndexOf(folder);
		if (at >= 0) return clean.slice(at + 1);
	}
	return clean.split('/').pop() ?? clean;
}

export function summarizeProfile(
	file: string,
	windowUs: [number, number] | undefined,
	top = 10,
): ProfileSummary {
	const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
	const byId = new Map(profile.nodes.map((node) => [node.id, node]));
	const windowed =
		windowUs !== undefined && windowUs[0] >= profile.startTime && windowUs[1] <= profile.endTime;
	const functions = new Map<string, number>();
	const files = new Map<string, number>();
	let total = 0;
	let at = profile.startTime;
	for (let i = 0; i < profile.samples.length; i++) {
		at += profile.timeDeltas[i] ?? 0;
		// A sample stands for the time until the next one.
		const weight = profile.timeDeltas[i + 1] ?? 0;
		if (windowed && (at < windowUs[0] || at > windowUs[1])) continue;
		const node = byId.get(profile.samples[i]);
		if (!node) continue;
		const { functionName, url } = node.callFrame;
		if (functionName === '(idle)') continue;
		const where = shortUrl(url);
		const name =
			`${functionName || '(anonymous)'} ${where === '(native)' ? '' : `(${where})`}`.trim();
		functions.set(name, (functions.get(name) ?? 0) + weight);
		files.set(where, (files.get(where) ?? 0) + weight);
		total += weight;
	}
	const ranked = (entries: Map<string, number>) =>
		[...entries]
			.sort((a, b) => b[1] - a[1])
			.slice(0, top)
			.map(([name, us]) => ({ name, ms: us / 1000, share: total > 0 ? us / total : 0 }));
	const owners = new Map<string, number>();
	for (const [where, us] of files)
		owners.set(ownerOf(where), (owners.get(ownerOf(where)) ?? 0) + us);
	return {
		totalMs: total / 1000,
		windowed,
		functions: ranked(functions),
		files: ranked(files),
		owners: ranked(owners),
	};
}
