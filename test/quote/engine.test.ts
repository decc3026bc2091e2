/**
 * The quote engine (models/quote/engine.ts) on tiny hand-made histories.
 *
 * Five closed 'web_app' projects, one line each (build × developer, 100 h estimated), actual 80, 90, 100, 120,
 * 150 h: project ratios 0.8, 0.9, 1.0, 1.2, 1.5. No recency decay (halfLifeDays Infinity), so each is drawn
 * with probability 1/5. A deal of 10 h build × developer therefore simulates 8, 9, 10, 12 or 15 h, about 2,000
 * draws each out of 10,000. The sorted draws put P10 (index 999.9) in the first block → 8 h, P50 (index
 * 4999.5) in the third → 10 h, P90 (index 8999.1) in the fifth → 15 h; P80 (index 7999.2) sits on the border
 * of the fourth and fifth blocks, so it is 12 h, 15 h or between.
 */
import { describe, expect, it } from 'vitest';
import {
    QuoteError,
    adjustedLevel,
    predictiveLevel,
    prepareHistory,
    projectsFromRows,
    quoteDeal,
    recalibrateSorted,
    type Deal,
    type HistoryProject,
} from '../../models/quote/engine.ts';

function project(id: string, type: string, lines: [string, string, number | null, number][], end = '2024-01-31', billing = 'fixed_fee'): HistoryProject {
    return {
        project_id: id,
        project_type: type,
        billing_model: billing,
        start_date: '2023-06-01',
        end_date: end,
        lines: lines.map(([phase, role, estimated_hours, actual_hours]) => ({ phase, role, estimated_hours, actual_hours })),
    };
}

const FIVE = [80, 90, 100, 120, 150].map((a, i) => project(`P${i}`, 'web_app', [['build', 'developer', 100, a]]));

function deal(over: Partial<Deal> = {}): Deal {
    return {
        project_type: 'web_app',
        billing_model: 'fixed_fee',
        lines: [{ phase: 'build', role: 'developer', estimated_hours: 10 }],
        cost_rates: { developer: 50 },
        target_margin: 0.2,
        confidence: 0.8,
        ...over,
    };
}

const NO_DECAY = { halfLifeDays: Infinity };

describe('quoteDeal', () => {
    it('quotes the estimate as P50 unless the median is clearly off it and the backtest has shown the median the better point', () => {
        // FIVE (ratios 0.8 … 1.5, median 1.0): the estimate, 10 h, is the P50.
        expect(quoteDeal(deal(), FIVE, NO_DECAY).hours.p50).toBe(10);
        // Thirty projects at ratios 2.00, 2.02, … 2.58: the median's band (levels ½ ∓ 3·½/√30, ratios about 2.1 to
        // 2.5) leaves the estimate far out. Without a calibration saying otherwise the P50 stays at the estimate,
        // held up to P10 (a P50 below P10 is no quote); with one that has seen the median win, it is the median.
        const thirty = Array.from({ length: 30 }, (_, k) => project(`T${k}`, 'web_app', [['build', 'developer', 100, 100 * (2 + 0.02 * k)]]));
        const held = quoteDeal(deal(), thirty, NO_DECAY);
        expect(held.hours.p50).toBe(held.hours.p10);
        expect(held.cost.p50).toBe(held.cost.p10);
        const calibration = { levels: [0.1, 0.5, 0.8, 0.9], offsets: {}, firm: [0, 0, 0, 0], p50: 'median' as const };
        const median = quoteDeal(deal(), thirty, { ...NO_DECAY, calibration });
        expect(median.hours.p50).toBeGreaterThan(median.hours.p10);
        expect(median.hours.p50).toBeCloseTo(22.9, 0);
        expect(median.cost.p50).toBeCloseTo(22.9 * 50, -1);
    });

    it('gives the hand-worked quantiles of a five-project history', () => {
        const q = quoteDeal(deal(), FIVE, NO_DECAY);
        expect(q.hours.p10).toBe(8);
        expect(q.hours.p50).toBe(10);
        expect(q.hours.p90).toBe(15);
        expect(q.hours.p80).toBeGreaterThanOrEqual(12);
        expect(q.hours.p80).toBeLessThanOrEqual(15);
        // Mean of 8, 9, 10, 12, 15 = 10.8, within sampling error of 10,000 draws.
        expect(q.hours.mean).toBeCloseTo(10.8, 0);
        expect(q.cost.p50).toBe(500);
        expect(q.reference).toMatchObject({ level: 'all', projects: 5 });
        expect(q.hours_by_phase).toEqual([expect.objectContaining({ phase: 'build', estimated_hours: 10, p10: 8, p50: 10, p90: 15 })]);
        expect(q.histogram.reduce((s, b) => s + b.count, 0)).toBe(10_000);
    });

    it('is deterministic for a seed and changes with it', () => {
        const a = quoteDeal(deal(), FIVE, { ...NO_DECAY, seed: 7 });
        const b = quoteDeal(deal(), FIVE, { ...NO_DECAY, seed: 7 });
        const c = quoteDeal(deal(), FIVE, { ...NO_DECAY, seed: 8 });
        expect(b).toEqual(a);
        expect(c.hours.mean).not.toBe(a.hours.mean);
    });

    it('prices for the target margin at the confidence, and scores a proposed price', () => {
        // One reference project with ratio exactly 1: every draw costs 100 h × 50 = 5,000.
        const one = [project('A', 'web_app', [['build', 'developer', 100, 100]])];
        const q = quoteDeal(deal({ lines: [{ phase: 'build', role: 'developer', estimated_hours: 100 }], price: 6250 }), one);
        // Margin ≥ 20 % ⇔ price ≥ cost / (1 − 0.2) = 5,000 / 0.8 = 6,250.
        expect(q.price.price).toBeCloseTo(6250, 9);
        expect(q.proposal).toMatchObject({ price: 6250, p_margin_below_target: 0, expected_margin_amount: 1250 });
        expect(q.proposal!.expected_margin).toBeCloseTo(0.2, 12);
        const low = quoteDeal(deal({ lines: [{ phase: 'build', role: 'developer', estimated_hours: 100 }], price: 6000 }), one);
        expect(low.proposal!.p_margin_below_target).toBe(1);
        // With the five-project history: cost = 10 h × ratio × 50, P80 of cost is 600 (12 h) to 750 (15 h).
        const five = quoteDeal(deal({ price: 1000 }), FIVE, NO_DECAY);
        expect(five.price.price).toBeCloseTo(five.cost.p80 / 0.8, 9);
        // 1,000 × 0.8 = 800 ≥ every cost (≤ 750): never below target; expected margin 1 − 540/1000 ≈ 0.46.
        expect(five.proposal!.p_margin_below_target).toBe(0);
        expect(five.proposal!.expected_margin).toBeCloseTo(1 - five.cost.mean / 1000, 12);
        // The curve rises from about 0.02 to about 0.98 probability of reaching the margin.
        expect(five.price_curve[0]!.p_margin_at_least_target).toBeLessThan(0.25);
        expect(five.price_curve.at(-1)!.p_margin_at_least_target).toBeGreaterThan(0.75);
    });

    it('falls back from project_type to all projects below minClassProjects', () => {
        const many = Array.from({ length: 20 }, (_, i) => project(`B${i}`, 'data_platform', [['build', 'developer', 100, 200]]));
        const history = [...FIVE, ...many];
        // 20 data_platform projects (≥ 20): their own class, ratio 2 every time.
        const dp = quoteDeal(deal({ project_type: 'data_platform' }), history);
        expect(dp.reference).toMatchObject({ level: 'project_type_billing_model', projects: 20 });
        expect(dp.hours.p10).toBe(20);
        // Another billing model: not 20 of type × billing, but 20 of the type.
        const tm = quoteDeal(deal({ project_type: 'data_platform', billing_model: 'time_and_materials' }), history);
        expect(tm.reference).toMatchObject({ level: 'project_type', projects: 20 });
        // 5 web_app projects (< 20): all 25 projects.
        const web = quoteDeal(deal(), history);
        expect(web.reference).toMatchObject({ level: 'all', projects: 25, project_type: null });
        // A lower threshold keeps the five.
        expect(quoteDeal(deal(), history, { minClassProjects: 5 }).reference.level).toBe('project_type_billing_model');
    });

    it('falls back from phase × role to phase to project, and moves a project’s lines together', () => {
        // Six projects: build × developer ratio 2 and build × qa ratio 1 in all; test × qa only in two.
        // Project ratio (planned) = (200 + 100 + test) / (100 + 100 + test estimate).
        const history = Array.from({ length: 6 }, (_, i) =>
            project(`X${i}`, 'web_app', [
                ['build', 'developer', 100, 200],
                ['build', 'qa', 100, 100],
                ...(i < 2 ? ([['test', 'qa', 100, 300]] as [string, string, number, number][]) : []),
            ]),
        );
        const q = quoteDeal(
            deal({
                lines: [
                    { phase: 'build', role: 'developer', estimated_hours: 10 }, // 6 projects have the cell → phase_role, ratio 2
                    { phase: 'build', role: 'designer', estimated_hours: 10 }, // no cell, build in 6 → phase: (200+100)/200 = 1.5
                    { phase: 'test', role: 'qa', estimated_hours: 10 }, // cell in 2, phase in 2 (< 5) → project ratio
                ],
                cost_rates: { developer: 50, designer: 50, qa: 50 },
            }),
            history,
            { minClassProjects: 1 },
        );
        expect(q.lines.map((l) => l.ratio_level)).toEqual(['phase_role', 'phase', 'project']);
        // Project ratio: 300/200 = 1.5 for four projects, 600/300 = 2 for two. Totals: 20 + 15 + 15 = 50 or
        // 20 + 15 + 20 = 55 h.
        const byPhase = Object.fromEntries(q.hours_by_phase.map((p) => [p.phase, p]));
        expect(byPhase.build!.p10).toBe(35);
        expect(byPhase.build!.p90).toBe(35);
        expect(q.hours.p10).toBe(50);
        expect(q.hours.p90).toBe(55);
    });

    it('adds unplanned work as an uplift on the deal’s estimate', () => {
        // 100 h planned, 100 h actual on it, and 50 h on a phase the baseline did not plan: uplift 0.5.
        const history = [project('U', 'web_app', [['build', 'developer', 100, 100], ['hypercare', 'developer', null, 50]])];
        const q = quoteDeal(deal(), history);
        expect(q.hours.p50).toBe(15);
        expect(q.hours_by_phase.map((p) => [p.phase, p.p50])).toEqual([['build', 10], ['(unplanned)', 5]]);
        expect(q.cost.p50).toBe(750);
    });

    it('uses only projects that ended before the deal’s date', () => {
        const history = [project('old', 'web_app', [['build', 'developer', 100, 100]], '2024-01-31'), project('new', 'web_app', [['build', 'developer', 100, 300]], '2024-06-30')];
        expect(quoteDeal(deal({ as_of: '2024-06-30' }), history).hours.p90).toBe(10);
        expect(quoteDeal(deal({ as_of: '2024-07-01' }), history).hours.p90).toBe(30);
        expect(() => quoteDeal(deal({ as_of: '2024-01-31' }), history)).toThrow(QuoteError);
    });

    it('rejects what it cannot quote', () => {
        expect(() => quoteDeal(deal({ cost_rates: {} }), FIVE)).toThrow(/no cost rate for role\(s\): developer/);
        expect(() => quoteDeal(deal({ lines: [] }), FIVE)).toThrow(/no lines/);
        expect(() => quoteDeal(deal({ target_margin: 1 }), FIVE)).toThrow(/target_margin/);
        expect(() => quoteDeal(deal({ confidence: 1 }), FIVE)).toThrow(/confidence/);
    });

    it('reads the estimation mart’s rows and skips projects without a baseline', () => {
        const rows = [
            { project_id: 'A', project_type: 't', billing_model: 'fixed_fee', project_start_date: '2024-01-01', project_end_date: '2024-02-01', phase: 'build', role: 'dev', estimated_hours: 10, actual_hours: 12 },
            { project_id: 'A', project_type: 't', billing_model: 'fixed_fee', project_start_date: '2024-01-01', project_end_date: '2024-02-01', phase: 'test', role: 'dev', estimated_hours: null, actual_hours: 3 },
            { project_id: 'B', project_type: 't', billing_model: 'fixed_fee', project_start_date: '2024-01-01', project_end_date: '2024-02-01', phase: 'build', role: 'dev', estimated_hours: null, actual_hours: 5 },
        ];
        const history = projectsFromRows(rows);
        expect(history.map((h) => [h.project_id, h.lines.length])).toEqual([['A', 2], ['B', 1]]);
        const prepared = prepareHistory(history);
        expect(prepared.excluded).toBe(1);
        expect(prepared.projects[0]).toMatchObject({ id: 'A', estimate: 10, actual: 15, total: 1.2, uplift: 0.3 });
    });
});

describe('recalibration of a quote', () => {
    it('maps levels through (0,0), (τ, τ+δ), (1,1)', () => {
        const levels = [0.1, 0.5, 0.8, 0.9];
        const offsets = [-0.05, 0, 0.02, 0.05];
        expect(adjustedLevel(levels, offsets, 0.1)).toBeCloseTo(0.05, 12);
        expect(adjustedLevel(levels, offsets, 0.05)).toBeCloseTo(0.025, 12);
        expect(adjustedLevel(levels, offsets, 0.9)).toBeCloseTo(0.95, 12);
        expect(adjustedLevel(levels, offsets, 0.95)).toBeCloseTo(0.975, 12);
        // 101 sorted values 0…100: the value at rank k is read at level g((k + ½)/101).
        const x = Float64Array.from({ length: 101 }, (_, i) => i);
        const y = recalibrateSorted(x, levels, offsets);
        expect(y[50]).toBeCloseTo(50, 9);
        expect(y[100]).toBeCloseTo(100 * adjustedLevel(levels, offsets, 100.5 / 101), 9);
    });

    it('reads a small reference class at predictive levels: the k-th of n values is the k/(n + 1) quantile', () => {
        // n = 20 equal weights (ρ = 1/20): P90 at 0.9 + 0.4/20 = 0.92, P80 at 0.815, P50 at 0.5, P10 at 0.08.
        expect(predictiveLevel(0.9, 1 / 20)).toBeCloseTo(0.92, 12);
        expect(predictiveLevel(0.8, 1 / 20)).toBeCloseTo(0.815, 12);
        expect(predictiveLevel(0.5, 1 / 20)).toBe(0.5);
        expect(predictiveLevel(0.1, 1 / 20)).toBeCloseTo(0.08, 12);
        // A new draw is below the k-th of n values with probability k/(n + 1); reading at level (τ(n + 1) − ½)/n
        // (Hazen position of the k-th, k = τ(n + 1)) is the same map.
        expect(predictiveLevel(0.9, 1 / 20)).toBeCloseTo((0.9 * 21 - 0.5) / 20, 12);
        expect(predictiveLevel(0.02, 1)).toBe(0);
        expect(predictiveLevel(0.98, 1)).toBe(1);
        // Twenty web_app projects with ratios 0.1, 0.2, …, 2.0, no decay: a 10 h deal draws 1, 2, …, 20 h, about 500
        // of the 10,000 draws each. P90 read at 0.92 (draw 9,199: the 19th block) → 19 h, where a plug-in P90
        // (draw 8,999) would sit on the border of the 18th and 19th; P80 at 0.815 (draw 8,149) → 17 h; P10 at
        // 0.08 (draw 800) → 2 h.
        const twenty = Array.from({ length: 20 }, (_, i) => project(`T${i}`, 'web_app', [['build', 'developer', 100, 10 * (i + 1)]]));
        const q = quoteDeal(deal(), twenty, NO_DECAY);
        expect(q.hours.p90).toBeCloseTo(19, 9);
        expect(q.hours.p80).toBeCloseTo(17, 9);
        expect(q.hours.p10).toBeCloseTo(2, 9);
        // By phase too (the only phase is the total here).
        expect(q.hours_by_phase[0]).toMatchObject({ p10: q.hours.p10, p80: q.hours.p80, p90: q.hours.p90 });
    });

    it('uses the firm-wide offsets for a type the backtest has not scored', () => {
        const firm = [-0.09, 0, 0.1, 0.09];
        const q = quoteDeal(deal(), FIVE, { ...NO_DECAY, calibration: { levels: [0.1, 0.5, 0.8, 0.9], offsets: { data_platform: [0, 0, 0, 0] }, firm } });
        expect(q.calibration_offsets).toEqual(firm);
        expect(q.hours.p80).toBe(15);
        const own = quoteDeal(deal({ project_type: 'data_platform' }), FIVE, { ...NO_DECAY, calibration: { levels: [0.1, 0.5, 0.8, 0.9], offsets: { data_platform: [0, 0, 0, 0] }, firm } });
        expect(own.calibration_offsets).toEqual([0, 0, 0, 0]);
    });

    it('widens a quote whose type under-covered', () => {
        const plain = quoteDeal(deal(), FIVE, NO_DECAY);
        const wide = quoteDeal(deal(), FIVE, { ...NO_DECAY, calibration: { levels: [0.1, 0.5, 0.8, 0.9], offsets: { web_app: [-0.09, 0, 0.1, 0.09] } } });
        // P10 read at level 0.01 (first block, 8 h), P90 at 0.99 (fifth block, 15 h), P80 at 0.9 → 15 h.
        expect(wide.hours.p10).toBe(8);
        expect(wide.hours.p90).toBe(15);
        expect(wide.hours.p80).toBe(15);
        expect(wide.calibration_offsets).toEqual([-0.09, 0, 0.1, 0.09]);
        expect(plain.calibration_offsets).toBeNull();
    });
});
