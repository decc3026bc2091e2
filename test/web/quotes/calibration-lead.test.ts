/**
 * The calibration page for a seller: the sentence it leads with (how many past projects landed inside the range
 * a quote would have given), and reliability lines that lie on one another kept visible.
 */
import { describe, expect, it } from 'vitest';
import { buildReliabilityOption, coincidence, COINCIDENT_NUDGE, sellerSummary } from '../../../web/lib/features/quotes/calibration.ts';
import type { Figures } from '../../../web/lib/features/quotes/types.ts';

const ctx = { currency: 'EUR', locale: 'en-US' };

const fig = (n: number, cov: number | null, p80: number | null = 0.8): Figures => ({ n, coverage_p10_p90: cov, share_le_p80: p80, below_p10: 0.1, above_p90: 0.1, pinball: 0.09, mdre_p50: 0.18, mdre_estimate: 0.18 });

describe('the calibration page', () => {
    it('leads with how many past projects landed inside the range a quote would have given', () => {
        // 85.6 % of 51 → 9 in 10; 79.1 % at or below P80.
        const all = sellerSummary(fig(51, 0.856, 0.791), null, 'en-US');
        expect(all.headline).toBe('9 in 10 past projects landed inside the range we would have quoted.');
        expect(all.detail).toBe('86% of 51 backtested projects inside [P10, P90] (target 80 %). 79% finished at or below the P80 hours a price at 80 % confidence covers.');
        // Per type, few projects: a count (0.813 × 16 = 13.0 → 13 of 16), flagged as a rough guide.
        const discovery = sellerSummary(fig(16, 0.813), 'discovery', 'en-US');
        expect(discovery.headline).toBe('8 in 10 past discovery projects landed inside the range we would have quoted.');
        expect(discovery.detail).toContain('With 16 projects this is a rough guide.');
        expect(sellerSummary(fig(3, 1), 'data_platform', 'en-US').headline).toBe('3 of 3 past data platform projects landed inside the range we would have quoted.');
        expect(sellerSummary(fig(0, null, null), 'maintenance', 'en-US').headline).toBe('No past maintenance project could be quoted again yet: too few had ended before the others started.');
    });

    it('keeps a reliability line that lies on another visible: nudged, dashed, hollow, and named as the same in the legend', () => {
        const levels = [0.1, 0.5, 0.9];
        // The two baselines are equal at every level (as on the demo firm); the method differs.
        const r = { n: 51, method: [0.05, 0.55, 0.9], global: [0.08, 0.66, 0.88], per_class: [0.08, 0.66, 0.88] };
        expect(coincidence(levels, r)).toEqual({ sameAs: [null, null, 'One global distribution'], nudge: [0, 0, 2 * COINCIDENT_NUDGE] });
        const s = buildReliabilityOption(levels, r, ctx).series as { name: string; data: [number, number | null][]; symbol: string; lineStyle: { type: string } }[];
        expect(s.map((x) => x.name)).toEqual(['Perfect calibration', 'This method', 'One global distribution', 'Plain per-type quantiles (same as One global distribution)']);
        expect(s[3]!.data[0]![0]).toBeCloseTo(0.1 + 2 * COINCIDENT_NUDGE, 10);
        expect(s[3]!.data[0]![1]).toBe(0.08);
        expect([s[2]!.symbol, s[2]!.lineStyle.type]).toEqual(['triangle', 'solid']);
        expect([s[3]!.symbol, s[3]!.lineStyle.type]).toEqual(['emptyRect', 'dashed']);
        // Lines that never meet are drawn where they are.
        expect(coincidence(levels, { n: 5, method: [0.1, 0.5, 0.9], global: [0.2, 0.6, 1], per_class: [0.3, null, 0.7] }).nudge).toEqual([0, 0, 0]);
    });
});
