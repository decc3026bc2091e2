/**
 * The backtest (models/quote/backtest.ts) and its scoring (models/quote/metrics.ts) on hand-worked data.
 */
import { describe, expect, it } from 'vitest';
import { backtestItems, backtestProjects, checkBands, type WorkItem } from '../../models/quote/backtest.ts';
import type { HistoryProject } from '../../models/quote/engine.ts';
import { figures, pinball, weightedMedian } from '../../models/quote/metrics.ts';
import { QuoteRng } from '../../models/quote/rng.ts';

describe('pinball loss and figures', () => {
    it('weighs every figure by the items’ weights', () => {
        // Log quantiles 0, 1, 2, 3; one actual inside (weight 3), one above P90 (weight 1): coverage 3/4, ≤ P80 3/4.
        const q = [0, 1, 2, 3];
        const f = figures([
            { q, y: 1.5, e: 1, w: 3 },
            { q, y: 4, e: 1, w: 1 },
        ]);
        expect(f.n).toBe(2);
        expect(f.coverage_p10_p90).toBe(0.75);
        expect(f.share_le_p80).toBe(0.75);
        expect(f.above_p90).toBe(0.25);
        // Pinball: (3 × (0.1·1.5 + 0.5·0.5 + 0.1·1.5) + (0.1·4 + 0.5·3 + 0.9·1)) / (3 × 4) = (1.65 + 2.8) / 12.
        expect(f.pinball).toBeCloseTo(4.45 / 12, 12);
        // The weighted median relative error of P50 is the heavy item's: |e¹ − e^1.5| / e^1.5.
        expect(f.mdre_p50).toBeCloseTo(1 - Math.exp(-0.5), 12);
        expect(weightedMedian([1, 2, 3, 4], [1, 1, 1, 1])).toBe(2.5);
        expect(weightedMedian([5, 1, 3], [1, 1, 5])).toBe(3);
    });

    it('scores a hand-worked pair of forecasts', () => {
        // Log quantiles P10..P90 = 0, 1, 2, 3 for both; log actual 1.5 (inside) and 4 (above P90).
        // Item 1: 0.1·1.5 + 0.5·0.5 + 0.1·1.5 = 0.55. Item 2: 0.1·4 + 0.5·3 + 0.9·1 = 2.8.
        // Mean over 2 items × 3 levels = 3.35 / 6 = 0.558333…
        expect(pinball(2, 1, 0.9)).toBeCloseTo(0.9, 12);
        expect(pinball(1, 2, 0.9)).toBeCloseTo(0.1, 12);
        const f = figures([
            { q: [0, 1, 2, 3], y: 1.5, e: 1 },
            { q: [0, 1, 2, 3], y: 4, e: 1 },
        ]);
        expect(f.n).toBe(2);
        expect(f.pinball).toBeCloseTo(3.35 / 6, 12);
        expect(f.coverage_p10_p90).toBe(0.5);
        expect(f.share_le_p80).toBe(0.5);
        expect(f.above_p90).toBe(0.5);
        expect(f.below_p10).toBe(0);
        // |P50 − actual| / actual = 1 − e^(1 − y): 1 − e^−0.5 and 1 − e^−3; their median is their mean.
        expect(f.mdre_p50).toBeCloseTo((1 - Math.exp(-0.5) + 1 - Math.exp(-3)) / 2, 12);
    });
});

/**
 * Ten past items (days 1…10, class A, 10 h estimated) with ratios 0.5, 0.6, 0.7, 0.8, 0.9, 1.1, 1.2, 1.4, 1.6,
 * 2.0, then the item under test on day 11. No decay, no recalibration, every node holds the same ten items, so
 * every forecaster's distribution puts 1/10 on each ratio and their combination is that too. Each value is one
 * item's (light: no tie to break), so value k (1-based) has PIT w_k = (k − ½)/10, and the levels are read at
 * the predictive levels for W = 10 items, τ + (τ − ½)/10:
 *   P10 at 0.06 = the first value with w_k ≥ 0.06 → k = 2 → 0.6 → 6 h
 *   P80 at 0.83 = the last value with w_k ≤ 0.83 → k = 8 → 1.4 → 14 h;  P90 at 0.94 → k = 9 → 1.6 → 16 h
 *   P50: the median's band, three standard errors of ½/√10 around ½, runs from level 0.03 to 0.97 (ratios 0.5
 *   to 2.0): it holds the raw estimate (ratio 1), so the P50 is the estimate, 10 h.
 * Baselines (10 past items < 20: the per-class one falls back to the global one): type-7 quantiles of the log
 * ratios, e.g. P10 at position 0.9 → exp(ln 0.5 + 0.9·(ln 0.6 − ln 0.5)) × 10 h.
 */
const RATIOS = [0.5, 0.6, 0.7, 0.8, 0.9, 1.1, 1.2, 1.4, 1.6, 2.0];
const TEN: WorkItem[] = RATIOS.map((r, k) => ({ estimate: 10, actual: 10 * r, time: k + 1, class: ['A'] }));

describe('backtestItems', () => {
    it('gives the hand-worked quantiles of a ten-item history', () => {
        const items = [...TEN, { estimate: 10, actual: 10, time: 11, class: ['A'] }];
        for (const sizeBins of [false, true]) {
            const r = backtestItems(items, { minHistory: 10, gamma: 0, halfLifeItems: Infinity, sizeBins, keepForecasts: true });
            expect(r.scored).toBe(1);
            expect(r.warmup).toBe(10);
            expect(r.forecasts![0]!.index).toBe(10);
            r.forecasts![0]!.hours.forEach((h, j) => expect(h).toBeCloseTo([6, 10, 14, 16][j]!, 9));
        }
        // Ratios 2.0 … 3.8: the band (ratios 2.0 to 3.8) leaves the estimate out; the P50 is the median, the fifth
        // value (the first whose cumulative weight reaches ½): 2.8 → 28 h.
        const high = TEN.map((it, k) => ({ ...it, actual: 10 * (2 + 0.2 * k) }));
        const shifted = backtestItems([...high, { estimate: 10, actual: 10, time: 11, class: ['A'] }], { minHistory: 10, gamma: 0, halfLifeItems: Infinity, keepForecasts: true });
        expect(shifted.forecasts![0]!.hours[1]).toBeCloseTo(28, 9);
        const r = backtestItems(items, { minHistory: 10, gamma: 0, halfLifeItems: Infinity });
        const ln = RATIOS.map(Math.log);
        const type7 = (p: number) => {
            const at = 9 * p;
            const lo = Math.floor(at);
            return 10 * Math.exp(ln[lo]! + (at - lo) * ((ln[lo + 1] ?? ln[lo]!) - ln[lo]!));
        };
        // Pinball of the global baseline on the actual 10 h (log 10), against its P10/P50/P90.
        const expected = [0.1, 0.5, 0.9].reduce((s, tau) => s + pinball(Math.log(10), Math.log(type7(tau)), tau), 0) / 3;
        expect(r.overall.global.pinball).toBeCloseTo(expected, 12);
        expect(r.overall.per_class.pinball).toBeCloseTo(expected, 12);
        // The method: 10 h is inside [6, 16] and ≤ 14, and the P50 is exact; pinball = (0.1·ln(10/6) + 0.1·ln(16/10)) / 3.
        expect(r.overall.method.coverage_p10_p90).toBe(1);
        expect(r.overall.method.pinball).toBeCloseTo((0.1 * Math.log(10 / 6) + 0.1 * Math.log(1.6)) / 3, 9);
        expect(r.overall.method.mdre_p50).toBe(0);
    });

    it('breaks ties so that a shared value is not inside every interval', () => {
        // 200 items, all with actual = estimate, then 400 more: a plain quantile puts ratio 1 inside every
        // [P10, P90]; the randomized PIT puts it below P10 about 10 % and above P90 about 10 % of the time.
        const items: WorkItem[] = Array.from({ length: 600 }, (_, i) => ({ estimate: 8, actual: 8, time: i, class: ['T'] }));
        const r = backtestItems(items, { gamma: 0 });
        expect(r.overall.global.coverage_p10_p90).toBe(1);
        expect(r.overall.method.coverage_p10_p90).toBeGreaterThan(0.74);
        expect(r.overall.method.coverage_p10_p90).toBeLessThan(0.86);
        expect(r.overall.method.share_le_p80).toBeGreaterThan(0.74);
        expect(r.overall.method.share_le_p80).toBeLessThan(0.86);
    });

    it('is deterministic for a seed', () => {
        const items = synthetic(400, 3);
        const a = backtestItems(items, { keepForecasts: true, seed: 5 });
        const b = backtestItems(items, { keepForecasts: true, seed: 5 });
        expect(b.forecasts).toEqual(a.forecasts);
        expect(b.overall).toEqual(a.overall);
    });

    it('forecasts each item only from items dated strictly before it', () => {
        const items = synthetic(600, 11);
        const cut = 60; // days
        const base = backtestItems(items, { keepForecasts: true });
        // Rewrite everything after the cut: forecasts up to the cut must not move.
        const future = items.map((it) => (it.time > cut ? { ...it, actual: it.actual * 50, class: ['Z'] } : it));
        const changed = backtestItems(future, { keepForecasts: true });
        const upTo = (r: typeof base) => r.forecasts!.filter((f) => items[f.index]!.time <= cut);
        expect(upTo(changed)).toEqual(upTo(base));
        // …and the test could fail: forecasts after the cut did move.
        const after = (r: typeof base) => r.forecasts!.filter((f) => items[f.index]!.time > cut + 1).map((f) => f.hours);
        expect(after(changed)).not.toEqual(after(base));
        // Also when the recalibration drives levels to 0 and 1 (a huge step): the ends are past values too.
        const shrunk = items.map((it) => (it.time > cut ? { ...it, actual: it.actual / 50 } : it));
        const wild = backtestItems(items, { keepForecasts: true, gamma: 0.5 });
        const wildChanged = backtestItems(shrunk, { keepForecasts: true, gamma: 0.5 });
        expect(upTo(wildChanged)).toEqual(upTo(wild));
        // Items of one date do not see each other: change one item, the others of its date keep their forecast.
        const day = items[300]!.time;
        const sameDay = items.map((it, i) => (i !== 300 && it.time === day ? i : -1)).filter((i) => i >= 0);
        expect(sameDay.length).toBeGreaterThan(0);
        const poked = backtestItems(items.map((it, i) => (i === 300 ? { ...it, actual: it.actual * 100 } : it)), { keepForecasts: true });
        for (const i of sameDay) {
            expect(poked.forecasts!.find((f) => f.index === i)).toEqual(base.forecasts!.find((f) => f.index === i));
        }
    });

    it('holds coverage per class under drift where plain quantiles do not', () => {
        // Class B's overruns grow over time; class A is stable. 3,000 items.
        const rng = new QuoteRng(9);
        const items: WorkItem[] = Array.from({ length: 3000 }, (_, i) => {
            const cls = rng.next() < 0.5 ? 'A' : 'B';
            const drift = cls === 'B' ? (1.2 * i) / 3000 : 0;
            const noise = Math.sqrt(-2 * Math.log(1 - rng.next())) * Math.cos(2 * Math.PI * rng.next());
            const estimate = 1 + Math.floor(rng.next() * 20);
            return { estimate, actual: estimate * Math.exp(drift + 0.5 * noise), time: Math.floor(i / 3), class: [cls] };
        });
        const r = backtestItems(items);
        const bands = checkBands(r);
        expect(bands.filter((b) => !b.ok)).toEqual([]);
        const b = r.classes.find((c) => c.class === 'B')!;
        expect(Math.abs(b.per_class.coverage_p10_p90 - 0.8)).toBeGreaterThan(0.06);
    });
});

describe('backtestItems: its own complexity, and its P50', () => {
    /** Lognormal ratios (σ 0.5) whose median depends on the class by `spread` (0: classes are noise). */
    function classed(n: number, seed: number, classes: number, spread: number): WorkItem[] {
        const rng = new QuoteRng(seed);
        return Array.from({ length: n }, (_, i) => {
            const c = Math.floor(rng.next() * classes);
            const estimate = 1 + Math.floor(rng.next() * 40);
            return { estimate, actual: estimate * Math.exp(spread * (c / (classes - 1) - 0.5) + 0.5 * normal(rng)), time: i, class: [`c${c}`] };
        });
    }

    it('leans on the plain rules where the classes are noise, and on the full method where they matter', () => {
        // 400 items, 40 classes that do not change the ratio: the hierarchy alone chases noise.
        const noise = classed(400, 1, 40, 0);
        const combined = backtestItems(noise);
        expect(combined.overall.method.pinball).toBeLessThan(backtestItems(noise, { forecasters: ['hierarchy'] }).overall.method.pinball);
        // 1,500 items, 4 classes whose median ratios run from e^−1 to e^1: one global distribution is far off.
        const structure = classed(1500, 2, 4, 2);
        const both = backtestItems(structure);
        expect(both.overall.method.pinball).toBeLessThan(0.7 * backtestItems(structure, { forecasters: ['global'] }).overall.method.pinball);
        expect(both.overall.method.pinball).toBeLessThan(both.overall.global.pinball);
        for (const r of [combined, both]) expect(checkBands(r).filter((b) => b.what.includes('coverage') || b.what.includes('P80')).every((b) => b.ok)).toBe(true);
    });

    it('gives a P50 no worse than the raw estimate where the estimates are right on the median', () => {
        // 40 % of the items take exactly their estimate (a tie, as on SiP), the others a lognormal ratio whose median
        // is 1.05 for bugs and 0.95 for features: the median ratio cannot be told from 1 by class and size, and
        // a P50 moved off the estimate only moves it away from the tie.
        const rng = new QuoteRng(2);
        const items: WorkItem[] = Array.from({ length: 1500 }, (_, i) => {
            const estimate = [2, 4, 8, 16][Math.floor(rng.next() * 4)]!;
            const cls = rng.next() < 0.5 ? 'bug' : 'feature';
            const exact = rng.next() < 0.4;
            const actual = exact ? estimate : Math.max(0.25, Math.round(estimate * Math.exp((cls === 'bug' ? 0.05 : -0.05) + 0.5 * normal(rng)) * 4) / 4);
            return { estimate, actual, time: Math.floor(i / 3), class: [cls] };
        });
        const r = backtestItems(items);
        expect(r.overall.method.mdre_p50).toBeLessThanOrEqual(r.overall.method.mdre_estimate);
        expect(checkBands(r).find((b) => b.what.startsWith('median relative error of P50'))!.ok).toBe(true);
    });

    it('names its bands by what they check, and a pinball loss equal to the better baseline’s is within its band', () => {
        const f = (coverage: number, pinballLoss: number, mdre: number) => ({
            n: 400,
            coverage_p10_p90: coverage,
            share_le_p80: 0.8,
            below_p10: 0.1,
            above_p90: 0.1,
            pinball: pinballLoss,
            mdre_p50: mdre,
            mdre_estimate: 0.2,
        });
        const bands = checkBands({
            overall: { method: f(0.8, 0.2, 0.2), global: f(0.9, 0.2, 0.2), per_class: f(0.8, 0.25, 0.2) },
            classes: [{ class: 'Bug', n: 400, method: f(0.7, 0.2, 0.21), global: f(0.8, 0.2, 0.2), per_class: f(0.8, 0.2, 0.2) }],
        });
        expect(bands.map((b) => [b.what, b.ok])).toEqual([
            ['[P10, P90] coverage, all items', true],
            ['share at or below P80, all items', true],
            ['[P10, P90] coverage, class "Bug" (n=400)', false],
            ['mean pinball loss at most the better baseline’s', true],
            ['median relative error of P50 at most the raw estimate’s', true],
        ]);
        expect(bands.some((b) => /issue/i.test(b.what))).toBe(false);
    });
});

/** A standard normal draw. */
function normal(rng: QuoteRng): number {
    return Math.sqrt(-2 * Math.log(1 - rng.next())) * Math.cos(2 * Math.PI * rng.next());
}

/** Items with a per-class lognormal ratio, a few per day. */
function synthetic(n: number, seed: number): WorkItem[] {
    const rng = new QuoteRng(seed);
    return Array.from({ length: n }, (_, i) => {
        const cls = ['x', 'y', 'z'][Math.floor(rng.next() * 3)]!;
        const estimate = 1 + Math.floor(rng.next() * 16);
        const z = Math.sqrt(-2 * Math.log(1 - rng.next())) * Math.cos(2 * Math.PI * rng.next());
        return { estimate, actual: Math.max(0.25, Math.round(estimate * Math.exp(0.1 + 0.6 * z) * 4) / 4), time: Math.floor(i / 4), class: [cls] };
    });
}

describe('backtestProjects', () => {
    /** n projects, one started every 9 days, 60–120 days long, all lines overrunning by one factor (× `over`). */
    function history(n: number, seed: number, over = 1): HistoryProject[] {
        const rng = new QuoteRng(seed);
        return Array.from({ length: n }, (_, i) => {
            const start = Date.UTC(2020, 0, 1) + i * 9 * 86_400_000;
            const end = start + (60 + Math.floor(rng.next() * 60)) * 86_400_000;
            const factor = over * Math.exp(0.3 * (rng.next() - 0.4));
            return {
                project_id: `P${String(i).padStart(3, '0')}`,
                project_type: i % 2 ? 'web_app' : 'integration',
                billing_model: 'fixed_fee',
                start_date: new Date(start).toISOString().slice(0, 10),
                end_date: new Date(end).toISOString().slice(0, 10),
                lines: [
                    { phase: 'build', role: 'developer', estimated_hours: 100 + i, actual_hours: (100 + i) * factor * (0.9 + 0.2 * rng.next()) },
                    { phase: 'test', role: 'qa', estimated_hours: 40, actual_hours: 40 * factor * (0.8 + 0.4 * rng.next()) },
                ],
            };
        });
    }

    it('quotes each project only from projects that ended before it started', () => {
        const h = history(60, 4);
        const base = backtestProjects(h, { keepForecasts: true, simulations: 500 });
        expect(base.scored).toBeGreaterThan(30);
        const target = base.forecasts![10]!;
        const start = h.find((p) => p.project_id === target.id)!.start_date;
        // Change every project that had not ended by the target's start: its forecast stays.
        const later = h.map((p) => (p.end_date >= start ? { ...p, lines: p.lines.map((l) => ({ ...l, actual_hours: l.actual_hours * 9 })) } : p));
        const again = backtestProjects(later, { keepForecasts: true, simulations: 500 });
        expect(again.forecasts!.find((f) => f.id === target.id)!.hours).toEqual(target.hours);
        // Change one that had ended: it moves (the test can fail).
        const earlier = h.map((p) => (p.end_date < start ? { ...p, lines: p.lines.map((l) => ({ ...l, actual_hours: l.actual_hours * 9 })) } : p));
        const moved = backtestProjects(earlier, { keepForecasts: true, simulations: 500 });
        expect(moved.forecasts!.find((f) => f.id === target.id)!.hours).not.toEqual(target.hours);
    });

    it('reads each forecast at the predictive levels of its reference class', () => {
        // Ten web_app projects, ratios 1.0, 1.1, …, 1.9 (one line, 100 h), all ended before the eleventh starts; no
        // decay, no recalibration: the eleventh's forecast draws each ratio about 200 times of 2,000. W = 10, so P90
        // is read at 0.9 + 0.4/10 = 0.94 (draw 1,879: the tenth block) → 1.9 × 100 h, P80 at 0.83 (draw 1,659: the
        // ninth) → 1.8, P10 at 0.06 (draw 120: the first) → 1.0. Plug-in P90 and P80 (draws 1,799 and 1,599) sit on
        // block borders.
        const day = (d: number) => new Date(Date.UTC(2022, 0, 1) + d * 86_400_000).toISOString().slice(0, 10);
        const ten: HistoryProject[] = Array.from({ length: 11 }, (_, i) => ({
            project_id: `R${i}`,
            project_type: 'web_app',
            billing_model: 'fixed_fee',
            start_date: day(i < 10 ? i : 100),
            end_date: day(i < 10 ? 50 + i : 150),
            lines: [{ phase: 'build', role: 'developer', estimated_hours: 100, actual_hours: i < 10 ? 100 * (1 + i / 10) : 130 }],
        }));
        const r = backtestProjects(ten, { keepForecasts: true, halfLifeDays: Infinity, gamma: 0 });
        expect(r.scored).toBe(1);
        const [p10, , p80, p90] = r.forecasts![0]!.hours;
        expect(p10).toBeCloseTo(100, 9);
        expect(p80).toBeCloseTo(180, 9);
        expect(p90).toBeCloseTo(190, 9);
    });

    it('weighs each scored project by the inverse of its chance to have closed by the as-of date', () => {
        // The ten projects above (ratios 1.0 … 1.9, ended by day 59), then three scored ones quoted from them alone:
        // A day 100–150 (50 days) and C day 120–170 (50 days) at ratio 1.45, inside [P10, P90] = [1.0, 1.9] × 100 h;
        // B day 110–310 (200 days) at ratio 3.0, above P90. Data taken on day 400: the scoring window is [100, 400],
        // 300 days. A 50-day project could start in 250 of them and be closed by day 400 (π = 5/6, weight 1.2); a
        // 200-day one in 100 (π = 1/3, weight 3). Coverage: (1.2 + 1.2) / (1.2 + 3 + 1.2) = 4/9, not 2/3.
        const day = (d: number) => new Date(Date.UTC(2022, 0, 1) + d * 86_400_000).toISOString().slice(0, 10);
        const p = (id: string, start: number, end: number, ratio: number): HistoryProject => ({
            project_id: id,
            project_type: 'web_app',
            billing_model: 'fixed_fee',
            start_date: day(start),
            end_date: day(end),
            lines: [{ phase: 'build', role: 'developer', estimated_hours: 100, actual_hours: 100 * ratio }],
        });
        const h = [...Array.from({ length: 10 }, (_, i) => p(`R${i}`, i, 50 + i, 1 + i / 10)), p('A', 100, 150, 1.45), p('B', 110, 310, 3), p('C', 120, 170, 1.45)];
        const o = { keepForecasts: true, halfLifeDays: Infinity, gamma: 0, reliabilityLevels: [0.5, 0.9] };
        const r = backtestProjects(h, { ...o, asOf: day(400) });
        expect(r.forecasts!.map((f) => [f.id, f.weight])).toEqual([
            ['A', expect.closeTo(1.2, 12)],
            ['B', expect.closeTo(3, 12)],
            ['C', expect.closeTo(1.2, 12)],
        ]);
        expect(r.overall.method.n).toBe(3);
        expect(r.overall.method.coverage_p10_p90).toBeCloseTo(4 / 9, 12);
        expect(r.overall.method.share_le_p80).toBeCloseTo(4 / 9, 12);
        expect(r.overall.method.above_p90).toBeCloseTo(5 / 9, 12);
        expect(r.classes[0]!.method.coverage_p10_p90).toBeCloseTo(4 / 9, 12);
        expect(r.reliability!.overall.method[1]).toBeCloseTo(4 / 9, 12);
        // Without a date, the window ends at the latest end (day 310): B could have started in 10 of its 210 days
        // (π = 1/21, floored at 0.1: weight 10), A and C in 160 (weight 21/16).
        const latest = backtestProjects(h, o);
        expect(latest.forecasts!.map((f) => f.weight)).toEqual([expect.closeTo(21 / 16, 12), expect.closeTo(10, 12), expect.closeTo(21 / 16, 12)]);
        // Unweighted: the plain share.
        const plain = backtestProjects(h, { ...o, censoringWeights: false });
        expect(plain.forecasts!.map((f) => f.weight)).toEqual([1, 1, 1]);
        expect(plain.overall.method.coverage_p10_p90).toBeCloseTo(2 / 3, 12);
    });

    it('recalibrates in two layers, firm-wide and per type, that add up', () => {
        // One type: both layers learn the same misses with γ/2 each, so the type's offsets are twice the firm's —
        // and what one tracker with step γ would have learnt.
        const one = backtestProjects(history(80, 5).map((p) => ({ ...p, project_type: 'web_app' })), { simulations: 500 });
        expect(Object.keys(one.calibration.offsets)).toEqual(['web_app']);
        expect(one.calibration.firm.some((d) => d !== 0)).toBe(true);
        one.calibration.offsets.web_app!.forEach((d, k) => expect(d).toBeCloseTo(2 * one.calibration.firm[k]!, 12));
        // Two types: each type's offsets are the firm's plus its own, which differ.
        const two = backtestProjects(history(80, 5), { simulations: 500 });
        const own = (t: string) => two.calibration.offsets[t]!.map((d, k) => d - two.calibration.firm[k]!);
        expect(own('web_app')).not.toEqual(own('integration'));
    });

    it('gives the estimate as P50 until the median has shown itself the better point, and tells live quotes which', () => {
        // Overruns of 0.89 to 1.2: the estimate lies within every median's band, and is every P50.
        const near = backtestProjects(history(80, 5), { keepForecasts: true, simulations: 500 });
        expect(near.forecasts!.every((f) => f.hours[1] === f.estimate)).toBe(true);
        expect(near.overall.method.mdre_p50).toBe(near.overall.method.mdre_estimate);
        expect(near.calibration.p50).toBe('estimate');
        // Twice that: the estimate is outside the band; the first P50s stay at it (held up to P10), then the
        // median, once it has shown itself the better point on projects already closed.
        const far = backtestProjects(history(80, 5, 2), { keepForecasts: true, simulations: 500 });
        const ratios = far.forecasts!.map((f) => f.hours[1]! / f.estimate);
        expect(ratios.at(-1)).toBeGreaterThan(1.9);
        expect(far.forecasts!.every((f) => f.hours[1]! >= f.hours[0]! && f.hours[1]! <= f.hours[2]!)).toBe(true);
        expect(far.calibration.p50).toBe('median');
        expect(far.overall.method.mdre_p50).toBeLessThan(far.overall.method.mdre_estimate / 3);
        // The P50 is a point: its level is not recalibrated.
        for (const r of [near, far]) expect(r.calibration.firm[1]).toBe(0);
    });

    it('returns a calibration for live quotes and the baselines', () => {
        const r = backtestProjects(history(80, 5), { simulations: 500 });
        expect(r.calibration.levels).toEqual([0.1, 0.5, 0.8, 0.9]);
        expect(r.calibration.firm).toHaveLength(4);
        expect(Object.keys(r.calibration.offsets).sort()).toEqual(['integration', 'web_app']);
        expect(r.overall.global.n).toBe(r.scored);
        expect(r.classes.map((c) => c.class).sort()).toEqual(['integration', 'web_app']);
    });
});
