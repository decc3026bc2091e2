import { describe, expect, it } from 'vitest';
import { apportionCents, apportionTable, moneySql, splitCents, toCents, toMoney } from '../../lib/money.ts';

describe('splitCents', () => {
    it.each([
        ['123.45678901', { cents: 12345, rest: 0.678901 }],
        ['0.00000000', { cents: 0, rest: 0 }],
        ['-1.234', { cents: -124, rest: 0.6 }],
        ['-1.23', { cents: -123, rest: 0 }],
        ['7', { cents: 700, rest: 0 }],
        ['7.5', { cents: 750, rest: 0 }],
    ])('splits the decimal text %s exactly', (text, expected) => {
        const got = splitCents(text);
        expect(got.cents).toBe(expected.cents);
        expect(got.rest).toBeCloseTo(expected.rest, 12);
    });

    it('takes a number within a hair of a whole cent as that cent (0.29 × 100 is 28.999999999999996)', () => {
        expect(splitCents(0.29)).toEqual({ cents: 29, rest: 0 });
        expect(splitCents(-0.29)).toEqual({ cents: -29, rest: 0 });
        expect(splitCents(1_234_567.89)).toEqual({ cents: 123_456_789, rest: 0 });
        const third = splitCents(1 / 3);
        expect(third.cents).toBe(33);
        expect(third.rest).toBeCloseTo(1 / 3, 9);
    });

    it('refuses what is not an amount', () => {
        expect(() => splitCents('1e5')).toThrow(/not a decimal amount/);
        expect(() => splitCents(Number.NaN)).toThrow(/not an amount/);
    });
});

describe('toCents and toMoney', () => {
    it('round half away from zero, as DuckDB rounds a decimal', () => {
        expect(toCents('1.005')).toBe(101);
        expect(toCents('-1.005')).toBe(-101);
        expect(toCents('1.00499999')).toBe(100);
        expect(toCents(1.005)).toBe(101);
        expect(toCents(-2.675)).toBe(-268);
        expect(toCents(null)).toBe(0);
        expect(toMoney('1006865.90531400')).toBe(1006865.91);
        expect(toMoney(-0.004)).toBe(0);
    });

    it('say the same rounding in SQL', () => {
        expect(moneySql('sum(revenue)')).toBe('round((sum(revenue)), 2)::double');
    });
});

describe('apportionCents (largest remainder)', () => {
    it('makes the parts add up to their total: the missing cents go to the largest remainders', () => {
        // 33.333 + 33.333 + 33.334 = 100.000: rounded each is 33.33 × 3 = 99.99, a cent short. Floors 3333 each,
        // remainders 0.3, 0.3, 0.4: the cent goes to the third.
        expect(apportionCents(['33.333', '33.333', '33.334'])).toEqual([3333, 3333, 3334]);
        // Thirds of a euro: 0.3333… each, floors 33, one cent to hand out, ties: the earlier part.
        expect(apportionCents([1 / 3, 1 / 3, 1 / 3], 100)).toEqual([34, 33, 33]);
    });

    it('breaks ties by the larger part, then the earlier one, whatever the order of equal amounts', () => {
        // Remainders of half a cent each: 1.005 + 4.005 = 5.01, one cent to hand out, to the larger part.
        expect(apportionCents(['1.005', '4.005'])).toEqual([100, 401]);
        expect(apportionCents(['4.005', '1.005'])).toEqual([401, 100]);
        expect(apportionCents(['2.005', '2.005'])).toEqual([201, 200]);
        // Remainders that differ only by binary floating point are a tie too: 600.3 and 399.3 cents.
        expect(apportionCents([6.003, 3.993], 1000)).toEqual([601, 399]);
    });

    it('handles negative parts (a gain beside losses)', () => {
        // −1.234 + 3.456 + 0.778 = 3.000. Floors −124, 345, 77 (= 298); remainders 0.6, 0.6, 0.8: two cents to
        // the 0.8 and then the larger of the 0.6 ties (3.456).
        expect(apportionCents(['-1.234', '3.456', '0.778'])).toEqual([-124, 346, 78]);
        expect(apportionCents(['-1.234', '3.456', '0.778']).reduce((a, b) => a + b)).toBe(300);
        // All negative: −0.333 × 3 = −0.999 → −1.00. Floors −0.34 each, remainders 0.7 each: two cents back.
        expect(apportionCents(['-0.333', '-0.333', '-0.333'])).toEqual([-33, -33, -34]);
    });

    it('leaves parts that are already whole cents and add up as they are', () => {
        expect(apportionCents(['10.10', '20.20', '-5.05'], 2525)).toEqual([1010, 2020, -505]);
        expect(apportionCents([0.1, 0.2, 0.7])).toEqual([10, 20, 70]);
        expect(apportionCents([])).toEqual([]);
    });

    it('meets a total further away than a cent a part, cent by cent in the same order', () => {
        expect(apportionCents(['1.00', '2.00'], 305)).toEqual([102, 203]);
        expect(apportionCents(['1.00', '2.00'], 297)).toEqual([98, 199]);
        expect(apportionCents(['1.00', '2.00'], 297).reduce((a, b) => a + b)).toBe(297);
    });
});

describe('apportionTable', () => {
    it('makes every row add up to its total and every column to its total', () => {
        // Two groups × three parts of 1/3 cent each way: the rows add to 1.00 and 0.50, the columns to the whole's
        // parts apportioned from their exact sums (0.5, 0.5, 0.5 → 50, 50, 50).
        const rows = [
            ['0.33333333', '0.33333333', '0.33333334'],
            ['0.16666667', '0.16666667', '0.16666666'],
        ];
        const out = apportionTable(rows, [100, 50], [50, 50, 50]);
        expect(out.map((r) => r.reduce((a, b) => a + b))).toEqual([100, 50]);
        expect([0, 1, 2].map((j) => out[0]![j]! + out[1]![j]!)).toEqual([50, 50, 50]);
        for (const [i, r] of out.entries()) for (const [j, v] of r.entries()) expect(Math.abs(v - Number(rows[i]![j]) * 100)).toBeLessThan(1);
    });

    it('moves nothing where the rows are whole cents already', () => {
        expect(apportionTable([['1.00', '2.00'], ['3.00', '-4.00']], [300, -100], [400, -200])).toEqual([
            [100, 200],
            [300, -400],
        ]);
    });

    it('refuses totals that cannot both hold', () => {
        expect(() => apportionTable([['1.00']], [100], [101])).toThrow(/add up/);
    });
});
