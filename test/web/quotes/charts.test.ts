/** The quote pages' option builders (web/lib/features/quotes): pure functions, hand-worked expectations. */
import { describe, expect, it } from 'vitest';
import { backtestClassTable, backtestTable, buildReliabilityOption, reliabilityTable } from '../../../web/lib/features/quotes/calibration.ts';
import { buildCloseoutOption, closeoutLinesTable, closeoutTable } from '../../../web/lib/features/quotes/closeout.ts';
import { buildDistributionOption, distributionTable } from '../../../web/lib/features/quotes/distribution.ts';
import { buildPriceCurveOption, priceCurveTable } from '../../../web/lib/features/quotes/price-curve.ts';
import { summaryTable } from '../../../web/lib/features/quotes/summary.ts';
import { linkCandidates, planLines, type CloseoutAnswer, type Figures } from '../../../web/lib/features/quotes/types.ts';

const ctx = { currency: 'EUR', locale: 'en-US' };
const quote = {
    estimated_hours: 100,
    simulations: 10,
    hours: { p10: 90, p50: 110, p80: 130, p90: 140, mean: 112 },
    cost: { p10: 9000, p50: 11000, p80: 13000, p90: 14000, mean: 11200 },
    histogram: [
        { from: 80, to: 100, count: 3 },
        { from: 100, to: 120, count: 5 },
        { from: 120, to: 140, count: 2 },
    ],
    price: { target_margin: 0.35, confidence: 0.8, price: 20000, at: { p50: 11000 / 0.65, p80: 20000, p90: 14000 / 0.65 } },
    proposal: { price: 18000, p_margin_below_target: 0.3, expected_margin: 0.38, expected_margin_amount: 6840 },
    price_curve: [
        { price: 15000, p_margin_at_least_target: 0.2 },
        { price: 20000, p_margin_at_least_target: 0.8 },
        { price: 25000, p_margin_at_least_target: 1 },
    ],
    hours_by_phase: [{ phase: 'build', estimated_hours: 100, p10: 90, p50: 110, p80: 130, p90: 140, mean: 112 }],
};

type Series = { type: string; name: string; data: unknown[]; markLine?: { data: { name?: string; xAxis?: number; yAxis?: number }[] } };
const seriesOf = (option: { series?: unknown }): Series[] => option.series as Series[];

describe('distribution chart', () => {
    it('draws each bin at its centre as a share of the simulations, and marks the estimate and the quantiles', () => {
        const s = seriesOf(buildDistributionOption(quote, ctx))[0]!;
        expect(s.data).toEqual([
            [90, 0.3],
            [110, 0.5],
            [130, 0.2],
        ]);
        expect(s.markLine!.data.map((m) => [m.name, m.xAxis])).toEqual([
            ['Estimate', 100],
            ['P10', 90],
            ['P50', 110],
            ['P80', 130],
            ['P90', 140],
        ]);
        expect(distributionTable(quote).rows).toEqual([
            { from: 80, to: 100, count: 3, share: 0.3 },
            { from: 100, to: 120, count: 5, share: 0.5 },
            { from: 120, to: 140, count: 2, share: 0.2 },
        ]);
    });
});

describe('price curve', () => {
    it('plots price against the probability of reaching the margin, marking the quoted and proposed prices and the confidence', () => {
        const s = seriesOf(buildPriceCurveOption(quote, ctx))[0]!;
        expect(s.data).toEqual([
            [15000, 0.2],
            [20000, 0.8],
            [25000, 1],
        ]);
        expect(s.markLine!.data.map((m) => m.xAxis ?? m.yAxis)).toEqual([20000, 18000, 0.8]);
        expect(s.markLine!.data[0]!.name).toBe('Quoted (80%)');
        expect(buildPriceCurveOption({ ...quote, proposal: null }, ctx).series).toHaveLength(1);
        expect(seriesOf(buildPriceCurveOption({ ...quote, proposal: null }, ctx))[0]!.markLine!.data).toHaveLength(2);
        expect(priceCurveTable(quote).rows[1]).toEqual({ price: 20000, p: 0.8 });
    });

    it('summarises hours, cost and price at P50, P80 and P90', () => {
        const t = summaryTable(quote);
        expect(t.columns.at(-1)!.label).toBe('Price for 35 % margin');
        expect(t.rows.map((r) => [r.level, r.hours, r.cost, Math.round(r.price as number)])).toEqual([
            ['P50', 110, 11000, 16923],
            ['P80', 130, 13000, 20000],
            ['P90', 140, 14000, 21538],
        ]);
    });
});

const fig = (n: number, cov: number): Figures => ({ n, coverage_p10_p90: cov, share_le_p80: 0.8, below_p10: 0.1, above_p90: 0.1, pinball: 0.1, mdre_p50: 0.2, mdre_estimate: 0.3 });

describe('reliability chart', () => {
    const levels = [0.1, 0.5, 0.9];
    const r = { n: 20, method: [0.1, 0.45, 0.9], global: [0.05, 0.6, 1], per_class: [0.2, null, 0.85] };
    it('draws the diagonal and one line per method at the nominal levels, gaps where nothing was scored', () => {
        const s = seriesOf(buildReliabilityOption(levels, r, ctx));
        expect(s.map((x) => x.name)).toEqual(['Perfect calibration', 'This method', 'One global distribution', 'Plain per-type quantiles']);
        expect(s[0]!.data).toEqual([
            [0, 0],
            [1, 1],
        ]);
        expect(s[1]!.data).toEqual([
            [0.1, 0.1],
            [0.5, 0.45],
            [0.9, 0.9],
        ]);
        expect(s[3]!.data[1]).toEqual([0.5, null]);
        expect(reliabilityTable(levels, r).rows[2]).toEqual({ level: 0.9, method: 0.9, global: 1, per_class: 0.85 });
    });

    it('tabulates the backtest figures per method and per project type', () => {
        const t = backtestTable({ method: fig(20, 0.8), global: fig(20, 0.9), per_class: fig(20, 0.7) });
        expect(t.rows.map((x) => [x.method, x.coverage_p10_p90])).toEqual([
            ['This method', 0.8],
            ['One global distribution', 0.9],
            ['Plain per-type quantiles', 0.7],
        ]);
        const c = backtestClassTable({ classes: [{ class: 'web_app', n: 5, method: fig(5, 0.8), global: fig(5, 0.6), per_class: fig(5, 1) }] });
        expect(c.rows).toEqual([
            { class: 'web_app', n: 5, method_cov: 0.8, global_cov: 0.6, per_class_cov: 1, method_p80: 0.8, method_pinball: 0.1, global_pinball: 0.1, per_class_pinball: 0.1 },
        ]);
    });
});

describe('closeout', () => {
    const phases = [
        { phase: 'build', estimated_hours: 100, actual_hours: 130.004, ratio: 1.30004, quote_p50: 110, quote_p80: 128, quote_p90: 140 },
        { phase: '(unplanned)', estimated_hours: 0, actual_hours: 12, ratio: null, quote_p50: null, quote_p80: null, quote_p90: null },
    ];
    it('shows estimate and actual bars, and the quote markers only when a quote is linked', () => {
        const s = buildCloseoutOption(phases, ctx).series as Series[];
        expect(s.map((x) => x.name)).toEqual(['Baseline estimate', 'Actual', 'Quote P50', 'Quote P80']);
        expect(s[1]!.data).toEqual([130, 12]);
        expect(s[2]!.data).toEqual([110, null]);
        const none = phases.map((p) => ({ ...p, quote_p50: null, quote_p80: null, quote_p90: null }));
        expect((buildCloseoutOption(none, ctx).series as Series[]).map((x) => x.name)).toEqual(['Baseline estimate', 'Actual']);
        expect(closeoutTable(none).columns.map((c) => c.key)).toEqual(['phase', 'estimated_hours', 'actual_hours', 'ratio']);
        expect(closeoutTable(phases).columns).toHaveLength(7);
    });

    it('takes a past project’s planned cells as deal lines', () => {
        expect(
            planLines({
                lines: [
                    { phase: 'build', role: 'developer', estimated_hours: 80, actual_hours: 90, ratio: 1.125, is_unplanned: false, quote_estimated_hours: null },
                    { phase: 'build', role: 'designer', estimated_hours: 0, actual_hours: 3, ratio: null, is_unplanned: false, quote_estimated_hours: null },
                    { phase: 'test', role: 'developer', estimated_hours: null, actual_hours: 5, ratio: null, is_unplanned: true, quote_estimated_hours: null },
                    // A cell only the linked quote had: not part of the project's plan.
                    { phase: 'deploy', role: 'developer', estimated_hours: null, actual_hours: 0, ratio: null, is_unplanned: false, quote_estimated_hours: 8 },
                ],
            }),
        ).toEqual([{ phase: 'build', role: 'developer', estimated_hours: 80 }]);
    });

    it('compares the linked quote and the baseline with the actuals by phase × role, a subtotal per phase against its P80', () => {
        // build: plan 80 + 20 = 100 h, actual 90 + 10 = 100 h ≤ the phase's P80 105 → within; deploy: only the quote had it (8 h
        // quoted, nothing logged, 0 ≤ 9 → within); unplanned: 5 h logged on test × developer, above the phase's P80 of 4;
        // total: 105 h actual against the plan's 100 (ratio 1.05) and the quote's P80 118 → within.
        const c: Pick<CloseoutAnswer, 'lines' | 'phases' | 'quote' | 'estimated_hours' | 'actual_hours'> = {
            estimated_hours: 100,
            actual_hours: 105,
            lines: [
                { phase: 'build', role: 'tester', estimated_hours: 20, actual_hours: 10, ratio: 0.5, is_unplanned: false, quote_estimated_hours: 20 },
                { phase: 'build', role: 'developer', estimated_hours: 80, actual_hours: 90, ratio: 1.125, is_unplanned: false, quote_estimated_hours: 70 },
                { phase: 'deploy', role: 'developer', estimated_hours: null, actual_hours: 0, ratio: null, is_unplanned: false, quote_estimated_hours: 8 },
                { phase: 'test', role: 'developer', estimated_hours: null, actual_hours: 5, ratio: null, is_unplanned: true, quote_estimated_hours: null },
            ],
            phases: [
                { phase: 'build', estimated_hours: 100, actual_hours: 100, ratio: 1, quote_estimated_hours: 90, quote_p50: 95, quote_p80: 105, quote_p90: 120 },
                { phase: 'deploy', estimated_hours: 0, actual_hours: 0, ratio: null, quote_estimated_hours: 8, quote_p50: 8, quote_p80: 9, quote_p90: 10 },
                { phase: '(unplanned)', estimated_hours: 0, actual_hours: 5, ratio: null, quote_estimated_hours: 0, quote_p50: 2, quote_p80: 4, quote_p90: 6 },
            ],
            quote: {
                quote_id: 7,
                created_at: '2024-01-02T10:00:00Z',
                name: null,
                estimated_hours: 98,
                hours: { p10: 90, p50: 106, p80: 118, p90: 130, mean: 107 },
                price: 20000,
                target_margin: 0.3,
                confidence: 0.8,
                actual_vs: { inside_p10_p90: true, at_or_below_p50: true, at_or_below_p80: true, actual_over_p50: 105 / 106, actual_over_p80: 105 / 118 },
            },
        };
        const t = closeoutLinesTable(c);
        expect(t.columns.map((x) => x.key)).toEqual(['phase', 'role', 'estimated_hours', 'quote_estimated_hours', 'actual_hours', 'ratio', 'quote_p50', 'quote_p80', 'quote_p90', 'verdict']);
        const pick = (keys: string[]) => t.rows.map((r) => keys.map((k) => r[k]));
        expect(pick(['phase', 'role', 'level', 'estimated_hours', 'quote_estimated_hours', 'actual_hours', 'ratio'])).toEqual([
            ['build', 'Developer', 'line', 80, 70, 90, 1.125],
            ['build', 'Tester', 'line', 20, 20, 10, 0.5],
            ['build', 'All roles', 'phase', 100, 90, 100, 1],
            ['deploy', 'Developer', 'line', null, 8, 0, null],
            ['deploy', 'All roles', 'phase', 0, 8, 0, null],
            ['(unplanned)', 'Test × Developer', 'line', null, null, 5, null],
            ['(unplanned)', 'All roles', 'phase', 0, 0, 5, null],
            ['All phases', 'All roles', 'total', 100, 98, 105, 1.05],
        ]);
        expect(pick(['quote_p50', 'quote_p80', 'quote_p90', 'verdict'])).toEqual([
            [null, null, null, null],
            [null, null, null, null],
            [95, 105, 120, 'within P80'],
            [null, null, null, null],
            [8, 9, 10, 'within P80'],
            [null, null, null, null],
            [2, 4, 6, 'above P80'],
            [106, 118, 130, 'within P80'],
        ]);
        // Without a linked quote: no quote columns, the same lines and subtotals.
        const bare = closeoutLinesTable({ ...c, quote: null, lines: c.lines.filter((l) => l.estimated_hours !== null || l.actual_hours > 0), phases: c.phases.filter((p) => p.phase !== 'deploy') });
        expect(bare.columns.map((x) => x.key)).toEqual(['phase', 'role', 'estimated_hours', 'actual_hours', 'ratio']);
        expect(bare.rows.map((r) => `${r.phase}|${r.role}`)).toEqual(['build|Developer', 'build|Tester', 'build|All roles', '(unplanned)|Test × Developer', '(unplanned)|All roles', 'All phases|All roles']);
    });

    it('lists the projects a quote may be linked to: its type first, latest started first, client work only', () => {
        const p = (project_id: string, project_type: string, start_date: string, is_client_work = true) => ({ project_id, project_type, start_date, is_client_work });
        const { sameType, others } = linkCandidates([p('A', 'web_app', '2023-01-01'), p('B', 'mobile', '2024-01-01'), p('C', 'web_app', '2023-06-01'), p('D', 'internal', '2020-01-01', false), p('E', 'web_app', '2023-06-01')], 'web_app');
        expect(sameType.map((x) => x.project_id)).toEqual(['C', 'E', 'A']);
        expect(others.map((x) => x.project_id)).toEqual(['B']);
    });
});
