/**
 * A tiny deterministic PRNG for the sandbox's seeded data. Same seed, same data:
 * tests can rely on ids, names and times without storing fixtures.
 */

// Looked up once: inside Jest's VM context every global lookup is slow, and
// seeding 100,000 callbacks makes millions of these calls.
const { imul, floor } = Math;

/** mulberry32: a 32-bit generator, fast and good enough for test data. Returns [0, 1). */
export function mulberry32(seed: number): () => number {
	let state = seed >>> 0;
	return () => {
		state = (state + 0x6d2b79f5) >>> 0;
		let t = state;
		t = imul(t ^ (t >>> 15), t | 1);
		t ^= t + imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

/**
 * Mixes a label into a seed (FNV-1a), so each provider module draws from its own
 * stream: adding a provider, or changing how one generates data, leaves the others'
 * data unchanged.
 */
export function deriveSeed(seed: number, label: string): number {
	let hash = 0x811c9dc5 ^ (seed >>> 0);
	for (let i = 0; i < label.length; i++) {
		hash = imul(hash ^ label.charCodeAt(i), 0x01000193);
	}
	return hash >>> 0;
}

export class Random {
	private readonly next: () => number;

	constructor(seed: number) {
		this.next = mulberry32(seed);
	}

	/** A float in [0, 1). */
	float(): number {
		return this.next();
	}

	/** An integer in [min, max], both inclusive. */
	int(min: number, max: number): number {
		return min + floor(this.next() * (max - min + 1));
	}

	pick<T>(items: readonly T[]): T {
		return items[floor(this.next() * items.length)];
	}

	/** True with the given probability. */
	chance(probability: number): boolean {
		return this.next() < probability;
	}

	/** A string of `length` decimal digits. */
	digits(length: number): string {
		let text = '';
		for (let i = 0; i < length; i++) text += `${this.int(0, 9)}`;
		return text;
	}
}
