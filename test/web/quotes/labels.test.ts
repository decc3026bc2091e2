/** Marker labels of the quote charts never overlap (web/lib/features/quotes/mark-labels.ts and the option builders that use it). */
import { describe, expect, it } from 'vitest';
import { buildDistributionOption } from '../../../web/lib/features/quotes/distribution.ts';
import { NARROWEST_PLOT_PX, placeMarkLabels } from '../../../web/lib/features/quotes/mark-labels.ts';
import { buildPriceCurveOption } from '../../../web/lib/features/quotes/price-curve.ts';

const ctx = { currency: 'EUR', locale: 'en-US' };

describe('marker labels', () => {
    it('keeps labels of far-apart lines centred on one row', () => {
        expect(placeMarkLabels([10, 90], ['P10', 'P90'], [0, 100])).toEqual([
            { row: 0, align: 'center' },
            { row: 0, align: 'center' },
        ]);
    });

    it('separates two lines close together: aligned away from each other, or on rows of their own', () => {
        // "Quoted (80%)" (12 characters, ~74 px) at 50 and "Proposed" (~50 px) at 52 on a 0…100 axis: 8 px apart at 420 px.
        const [quoted, proposed] = placeMarkLabels([50, 52], ['Quoted (80%)', 'Proposed'], [0, 100]);
        const box = (x: number, n: number, p: { align: string }) => {
            const c = (x / 100) * NARROWEST_PLOT_PX;
            const w = n * 6.2;
            return p.align === 'center' ? [c - w / 2, c + w / 2] : p.align === 'left' ? [c, c + w] : [c - w, c];
        };
        const a = box(50, 12, quoted!);
        const b = box(52, 8, proposed!);
        const overlap = quoted!.row === proposed!.row && a[0]! < b[1]! && b[0]! < a[1]!;
        expect(overlap).toBe(false);
        expect([quoted, proposed]).not.toEqual([
            { row: 0, align: 'center' },
            { row: 0, align: 'center' },
        ]);
    });

    it('gives the price curve’s quoted and proposed labels distinct places when the prices are close, and room above the plot', () => {
        const q = {
            price: { target_margin: 0.3, confidence: 0.8, price: 20000, at: { p50: 18000, p80: 20000, p90: 21000 } },
            proposal: { price: 20300, p_margin_below_target: 0.18, expected_margin: 0.33, expected_margin_amount: 6700 },
            price_curve: [
                { price: 10000, p_margin_at_least_target: 0 },
                { price: 20000, p_margin_at_least_target: 0.8 },
                { price: 30000, p_margin_at_least_target: 1 },
            ],
        };
        const o = buildPriceCurveOption(q, ctx);
        const marks = (o.series as { markLine: { data: { name?: string; label?: { align: string; distance: number } }[] } }[])[0]!.markLine.data;
        const [quoted, proposed] = marks;
        expect([quoted!.label!.align, quoted!.label!.distance]).not.toEqual([proposed!.label!.align, proposed!.label!.distance]);
        expect((o.xAxis as { min: number; max: number }).min).toBe(10000);
        expect((o.xAxis as { min: number; max: number }).max).toBe(30000);
        // Far apart, both are centred on the first row and the plot keeps its usual top.
        const far = buildPriceCurveOption({ ...q, proposal: { ...q.proposal, price: 12000 } }, ctx);
        const farMarks = (far.series as { markLine: { data: { label?: { align: string; distance: number } }[] } }[])[0]!.markLine.data;
        expect(farMarks.slice(0, 2).map((m) => [m.label!.align, m.label!.distance])).toEqual([
            ['center', 4],
            ['center', 4],
        ]);
        expect((far.grid as { top: number }).top).toBe(40);
    });

    it('keeps the distribution’s P80 and P90 labels apart when the two are close', () => {
        const o = buildDistributionOption(
            {
                estimated_hours: 100,
                simulations: 10,
                hours: { p10: 90, p50: 110, p80: 150, p90: 151, mean: 115 },
                histogram: [
                    { from: 80, to: 120, count: 6 },
                    { from: 120, to: 160, count: 4 },
                ],
            },
            ctx,
        );
        const labels = (o.series as { markLine: { data: { name: string; label: { align?: string; distance?: number } }[] } }[])[0]!.markLine.data;
        const p80 = labels.find((m) => m.name === 'P80')!.label;
        const p90 = labels.find((m) => m.name === 'P90')!.label;
        expect([p80.align, p80.distance]).not.toEqual([p90.align, p90.distance]);
    });
});
