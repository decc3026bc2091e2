/**
 * Seeded PRNG for the quote engine (sfc32 seeded through splitmix32): the same seed gives the same
 * simulation on every run and platform (32-bit integer arithmetic only). Math.random is never used.
 */
export class QuoteRng {
    private a: number;
    private b: number;
    private c: number;
    private d: number;

    constructor(seed: number) {
        let s = (Math.imul((seed >>> 0) ^ 0x5bd1e995, 0x27d4eb2d) ^ Math.floor(seed / 4294967296)) >>> 0;
        const splitmix = (): number => {
            s = (s + 0x9e3779b9) | 0;
            let z = s;
            z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
            z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
            return (z ^ (z >>> 16)) >>> 0;
        };
        this.a = splitmix();
        this.b = splitmix();
        this.c = splitmix();
        this.d = splitmix();
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
}

/**
 * A uniform number in [0, 1) from (i, seed) alone: the per-item tie-break draw of the backtest, reproducible
 * whatever order the items are processed in.
 */
export function uniformHash(i: number, seed: number): number {
    let h = Math.imul((i >>> 0) ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul((seed >>> 0) + 0x632be5ab, 0xc2b2ae35);
    h = Math.imul(h ^ (h >>> 15), 0x2c1b3c6d);
    h = Math.imul(h ^ (h >>> 12), 0x297a2d39);
    h ^= h >>> 15;
    return (h >>> 0) / 4294967296;
}
