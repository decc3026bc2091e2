/**
 * The seeded random generator of the demo firm (ingest/demo) and the quote engine (models/quote): sfc32,
 * seeded through splitmix32. Deterministic across runs and platforms: only 32-bit integer arithmetic;
 * the float helpers use IEEE operations and V8's fdlibm-based Math. Math.random is never used.
 *
 * Why lib/: ingest/ and models/ both draw from it, and neither layer should import the other for it (the
 * quote engine reading the demo generator's folder, or the demo reaching into models/). lib/ holds code
 * that imports nothing of the project, does no I/O and knows nothing of the firm, so any layer may use it
 * without bending the one-way flow ingest → warehouse → models → server → web.
 */
export class Rng {
    private a: number;
    private b: number;
    private c: number;
    private d: number;

    /**
     * `stream` gives independent sequences for the same seed (the demo's planning, staffing, flags, entries,
     * billing, fx); without one the sequence is the seed's alone (the quote engine's draws).
     */
    constructor(seed: number, stream?: number) {
        const mix = stream === undefined ? 0 : Math.imul(stream + 1, 0x9e3779b9);
        let s = (Math.imul((seed >>> 0) ^ 0x5bd1e995, 0x27d4eb2d) ^ mix ^ Math.floor(seed / 4294967296)) >>> 0;
        const sm = (): number => {
            s = (s + 0x9e3779b9) | 0;
            let z = s;
            z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
            z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
            return (z ^ (z >>> 16)) >>> 0;
        };
        this.a = sm();
        this.b = sm();
        this.c = sm();
        this.d = sm();
        for (let i = 0; i < 15; i++) this.u32();
    }

    u32(): number {
        const t0 = (this.a + this.b) | 0;
        this.a = this.b ^ (this.b >>> 9);
        this.b = (this.c + (this.c << 3)) | 0;
        this.c = (this.c << 21) | (this.c >>> 11);
        this.d = (this.d + 1) | 0;
        const t = (t0 + this.d) | 0;
        this.c = (this.c + t) | 0;
        return t >>> 0;
    }

    /** Uniform in [0, 1). */
    next(): number {
        return this.u32() / 4294967296;
    }

    /** Integer in [0, n). */
    int(n: number): number {
        return Math.floor(this.next() * n);
    }

    /** Integer in [lo, hi] inclusive. */
    intIn(lo: number, hi: number): number {
        return lo + Math.floor(this.next() * (hi - lo + 1));
    }

    range(lo: number, hi: number): number {
        return lo + this.next() * (hi - lo);
    }

    chance(p: number): boolean {
        return this.next() < p;
    }

    /** Standard normal (Box-Muller, no caching). */
    normal(): number {
        const u = 1 - this.next();
        const v = this.next();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    }

    lognormal(mu: number, sigma: number): number {
        return Math.exp(mu + sigma * this.normal());
    }

    pick<T>(arr: readonly T[]): T {
        return arr[Math.floor(this.next() * arr.length)] as T;
    }

    /** Index drawn with probability proportional to weights. */
    weighted(weights: readonly number[]): number {
        let total = 0;
        for (const w of weights) total += w;
        let x = this.next() * total;
        for (let i = 0; i < weights.length; i++) {
            x -= weights[i] as number;
            if (x < 0) return i;
        }
        return weights.length - 1;
    }

    shuffle<T>(arr: T[]): T[] {
        for (let i = arr.length - 1; i > 0; i--) {
            const j = Math.floor(this.next() * (i + 1));
            const t = arr[i] as T;
            arr[i] = arr[j] as T;
            arr[j] = t;
        }
        return arr;
    }
}

/** A cheap deterministic hash of two integers to [0, 2^32). */
export function hash2(x: number, y: number): number {
    let h = Math.imul(x ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(y + 0x632be5ab, 0xc2b2ae35);
    h = Math.imul(h ^ (h >>> 15), 0x2c1b3c6d);
    h = Math.imul(h ^ (h >>> 12), 0x297a2d39);
    return (h ^ (h >>> 15)) >>> 0;
}

/**
 * A uniform number in [0, 1) from (i, seed) alone: a per-item draw (the quote backtest's tie-break) that is
 * the same whatever order the items are processed in.
 */
export function uniformHash(i: number, seed: number): number {
    return hash2(i, seed >>> 0) / 4294967296;
}
