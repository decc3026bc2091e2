/**
 * The shared generator (lib/rng.ts) gives the sequences the demo firm's and the quote engine's own copies
 * gave: the values below were drawn from those copies (ingest/demo/rng.ts with a stream, models/quote/rng.ts
 * without one) before they became this one module, so the demo files and the quote backtests stay the same.
 */
import { describe, expect, it } from 'vitest';
import { Rng, hash2, uniformHash } from '../../lib/rng.ts';
import { QuoteRng, uniformHash as quoteUniformHash } from '../../models/quote/rng.ts';

const take = (r: { u32(): number }, n = 4): number[] => Array.from({ length: n }, () => r.u32());

describe('shared random generator', () => {
    it('gives each demo stream the sequence it had', () => {
        expect(take(new Rng(42, 1))).toEqual([3826166990, 3832989054, 986242897, 4226317043]);
        expect(take(new Rng(42, 4))).toEqual([662075927, 739534514, 2715131758, 496995720]);
        expect(take(new Rng(7, 0))).toEqual([2783022388, 851181502, 2170776085, 1904160402]);
        // seeds beyond 32 bits and negative ones mix their high part in
        expect(take(new Rng(2 ** 40 + 5, 2))).toEqual([2906420513, 2210418204, 2206755922, 1478315955]);
        expect(take(new Rng(-3, 6))).toEqual([2445991142, 2952765166, 1916077722, 2464035536]);
    });

    it('gives the quote engine, which names no stream, the sequence it had', () => {
        const quote = [
            [9, [149473834, 3375901880, 2912879171, 2632762380]],
            [42, [1360251391, 3021879186, 2378854234, 1530622960]],
            [-3, [2099049743, 1159597112, 2857075329, 3917069960]],
            [2 ** 33 + 1, [2344759503, 2481828272, 1809529760, 1247305182]],
        ] as const;
        for (const [seed, values] of quote) {
            expect(take(new Rng(seed))).toEqual(values);
            expect(take(new QuoteRng(seed))).toEqual(values);
        }
        expect(new QuoteRng(9).next()).toBe(149473834 / 4294967296);
    });

    it('keeps the float helpers and the hashes', () => {
        const r = new Rng(42, 3);
        expect([r.normal(), r.lognormal(0, 0.2), r.intIn(3, 9), r.pick(['a', 'b', 'c']), r.weighted([1, 2, 3]), r.shuffle([1, 2, 3, 4, 5])]).toEqual([
            -0.2526263524778688, 1.1564522463151965, 4, 'b', 0, [2, 5, 4, 3, 1],
        ]);
        expect([hash2(0, 0), hash2(1, 42), hash2(123456, 7), hash2(-5, 3)]).toEqual([2102831971, 1175169619, 3864480973, 1868395081]);
        const pairs = [[0, 0], [1, 42], [123456, 7], [3, -5], [2 ** 35 + 1, 2 ** 33 + 3]] as const;
        const expected = [0.4896037213038653, 0.27361549879424274, 0.8997695923317224, 0.9777948036789894, 0.8271005521528423];
        expect(pairs.map(([i, seed]) => uniformHash(i, seed))).toEqual(expected);
        expect(pairs.map(([i, seed]) => quoteUniformHash(i, seed))).toEqual(expected);
    });
});
