/**
 * The time-ordered backtest: the proof that quote intervals hold their nominal coverage. Two units: work items
 * (item-backtest.ts) and projects, here.
 *
 * PROJECTS (backtestProjects; and backtestItems' sibling backtestGroups, each group being a project whose
 * rows are its lines): each project is quoted by the engine (engine.ts) from the projects that ended
 * strictly before it started, its baseline lines as the deal, and scored on its actual total hours, its
 * quantiles read at the engine's predictive levels (engine.ts step 5a), its P50 by engine.ts step 5c: outside
 * the median's band, the median only once P50Gate has shown it the better point on the projects already
 * closed (a reference class mixes project types until one has 20 projects, so the band, which counts
 * sampling error only, understates how far a median can be off). The same level recalibration runs in
 * two layers, firm-wide and per project_type, added up (δ = δ_firm + δ_type, each moved by γ/2 after every
 * outcome, so the total step is γ as with one layer): a firm has only a dozen or two projects of a type, too
 * few for a per-type tracker to learn a shift all types share, which the firm-wide layer learns from every
 * outcome. An outcome updates them only from the project's end date on, so no quote uses an outcome that was
 * not known when it was made. The final level offsets are returned as the Calibration for live quotes
 * (quoteDeal's `calibration`).
 * Censoring weights. Only projects that had closed by the time the data was taken (T) can be scored, and of
 * those that started late, only the quick ones had: a project started at s with duration D is there only if
 * s + D ≤ T. Long projects are the ones that overran (a schedule stretches with the overrun), so unweighted
 * figures over-state how often actuals stay low (on the demo firm, +2 pp at P80 over the projects started in
 * the last months). Each scored project is weighed by 1/π(D), π(D) = (T − D − s0) / (T − s0) the share of the
 * scoring window [s0, T] (s0 = the first scored start) in which a project of its duration could start and
 * still be closed by T, assuming starts spread evenly over the window (π floored at minCensoringShare, 0.1).
 * Every figure, per class and the reliability shares are weighted alike (Horvitz–Thompson); n stays the
 * count. With a history long against project durations every π is near 1 and the weights change nothing.
 *
 * Baselines, scored on the same items: (a) one global ratio distribution — empirical quantiles
 * (simple-statistics quantileSorted) of all past ratios; (b) plain per-class empirical quantiles of past
 * ratios, falling back to (a) while the class has fewer than baselineMinClass (20) past items (projects:
 * minClassProjects).
 */
import { quantileSorted } from 'simple-statistics';
import {
    QUOTE_DEFAULTS,
    adjustedLevel,
    isoDay,
    pointEstimate,
    predictiveLevel,
    prepareHistory,
    prepareProject,
    referenceClass,
    simulate,
    type HistoryProject,
    type PreparedProject,
    type QuoteOptions,
} from './engine.ts';
import { P50Gate } from './ensemble.ts';
import { LEVELS, figures, type Scored } from './metrics.ts';
import { QuantileTracker, rearrange } from './ratio-distribution.ts';
import { SEP, TRACKED, empirical, perClass, reliability, type BacktestReport, type Method, type ProjectBacktestReport } from './backtest-report.ts';
import type { WorkItem } from './item-backtest.ts';

export * from './backtest-report.ts';
export * from './item-backtest.ts';

export interface ProjectBacktestOptions extends QuoteOptions {
    /** Projects needing at least this many projects ended before their start to be scored. */
    minHistory?: number;
    /** Adaptive-conformal step on the quantile levels, split equally between the firm-wide and the per-project_type layer (0: no recalibration). */
    gamma?: number;
    /** Return every scored forecast (for charts and tests). */
    keepForecasts?: boolean;
    /**
     * Nominal levels (e.g. 0.1, 0.2, …, 0.9) at which to also read each scored forecast and report the observed
     * share of actuals at or below it (a reliability diagram), for the method and both baselines, overall and per
     * project_type. The method's level τ is read at the recalibrated level g(τ) of its project_type (engine.ts
     * step 5, the map through the learnt offsets at LEVELS). Off by default: it changes no other figure.
     */
    reliabilityLevels?: readonly number[];
    /**
     * Weigh each scored project by the inverse of its chance to have finished by the time the data was taken
     * (Horvitz–Thompson; see the header). Default true.
     */
    censoringWeights?: boolean;
    /** When the data was taken (YYYY-MM-DD): the end of the observation window. Default: the latest end date. */
    asOf?: string | null;
    /** The smallest chance a censoring weight divides by (caps a weight at its inverse). */
    minCensoringShare?: number;
}

export const PROJECT_BACKTEST_DEFAULTS = {
    simulations: 2000,
    minHistory: 10,
    gamma: 0.02,
    keepForecasts: false,
    censoringWeights: true,
    asOf: null,
    minCensoringShare: 0.1,
} as const;


/**
 * Work items with a group: each group is one project — its rows are its lines (phase = first class column,
 * role = the other class columns), it starts at its earliest row's time and ends at its latest — and the
 * project backtest runs over them. One reference class (groups carry no project type).
 */
export function backtestGroups(items: readonly WorkItem[], options: ProjectBacktestOptions = {}): ProjectBacktestReport {
    const by = new Map<string, WorkItem[]>();
    for (const it of items) {
        const g = it.group ?? '';
        (by.get(g) ?? by.set(g, []).get(g)!).push(it);
    }
    const projects: PreparedProject[] = [];
    let excluded = 0;
    for (const [id, rows] of by) {
        let start = Infinity;
        let end = -Infinity;
        for (const r of rows) {
            start = Math.min(start, r.time);
            end = Math.max(end, r.time);
        }
        const prepared = prepareProject({
            id,
            type: 'all',
            billing: '',
            start,
            end,
            lines: rows.map((r) => ({ phase: r.class[0] ?? '', role: r.class.slice(1).join(SEP), estimated_hours: r.estimate, actual_hours: r.actual })),
        });
        if (prepared) projects.push(prepared);
        else excluded++;
    }
    return backtestPrepared(projects, excluded, options);
}

/** Backtests closed projects: each quoted from the projects that ended before it started (see the header). */
export function backtestProjects(history: readonly HistoryProject[], options: ProjectBacktestOptions = {}): ProjectBacktestReport {
    for (const h of history) isoDay(h.start_date, `project ${h.project_id} start_date`);
    const { projects, excluded } = prepareHistory(history);
    return backtestPrepared(projects, excluded, options);
}

function backtestPrepared(projects: readonly PreparedProject[], excluded: number, options: ProjectBacktestOptions): ProjectBacktestReport {
    const started = performance.now();
    const o = { ...QUOTE_DEFAULTS, ...PROJECT_BACKTEST_DEFAULTS, ...options };
    const byStart = [...projects].sort((a, b) => a.start - b.start || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    const byEnd = [...projects].sort((a, b) => a.end - b.end || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    // Recalibration in two layers: firm-wide (one key) and per project_type; a quote uses their sum.
    const firm = new QuantileTracker(LEVELS, TRACKED);
    const tracker = new QuantileTracker(LEVELS, TRACKED);
    const offsetsOf = (type: string): Float64Array => {
        const f = firm.get('');
        const t = tracker.get(type);
        return Float64Array.from(f, (v, k) => v + t[k]!);
    };
    const gate = new P50Gate();
    const learn = (w: { key: string; y: number; q: Float64Array; ratio: number; median: number; inBand: boolean }): void => {
        if (!w.inBand) gate.update(w.median, w.ratio);
        firm.update('', w.y, w.q, o.gamma / 2);
        tracker.update(w.key, w.y, w.q, o.gamma / 2);
    };
    const scoredKeys: string[] = [];
    const scored: Record<Method, Scored[]> = { method: [], global: [], per_class: [] };
    // Outcomes wait until their project's end before the trackers learn them.
    const waiting: { end: number; key: string; y: number; q: Float64Array; ratio: number; median: number; inBand: boolean }[] = [];
    let warmup = 0;
    let known = 0;
    const forecasts: BacktestReport['forecasts'] = o.keepForecasts ? [] : undefined;
    const relLevels = o.reliabilityLevels ? [...o.reliabilityLevels] : null;
    // Per scored project and method: 1 when the actual is at or below the forecast at each reliability level.
    const relHits: Record<Method, Uint8Array[]> = { method: [], global: [], per_class: [] };
    // Censoring weights: T is when the data was taken; s0, once known, the first scored project's start.
    const T = o.asOf ? isoDay(o.asOf, 'asOf') : byEnd.length ? byEnd[byEnd.length - 1]!.end : 0;
    let s0 = NaN;
    const weightOf = (p: PreparedProject): number => {
        if (!o.censoringWeights || !(T > s0)) return 1;
        return 1 / Math.max(o.minCensoringShare, Math.min(1, (T - (p.end - p.start) - s0) / (T - s0)));
    };
    const weights: number[] = [];
    for (let j = 0; j < byStart.length; j++) {
        const target = byStart[j]!;
        while (known < byEnd.length && byEnd[known]!.end < target.start) known++;
        waiting.sort((a, b) => a.end - b.end);
        while (waiting.length && waiting[0]!.end < target.start) {
            learn(waiting.shift()!);
        }
        const eligible = byEnd.slice(0, known);
        if (eligible.length < o.minHistory) {
            warmup++;
            continue;
        }
        const ref = referenceClass(eligible, target.type, target.billing || null, o.minClassProjects);
        const sim = simulate(target.plan, ref.projects, target.start, { ...o, seed: o.seed + j });
        const x = sim.totals as unknown as number[];
        const rho = 1 / sim.weight;
        const delta = offsetsOf(target.type);
        const levels = LEVELS.map((tau, k) => Math.min(1, Math.max(0, tau + delta[k]!)));
        // The forecast hours as reported (q: their logs, for the pinball loss and the recalibration).
        const hours = Float64Array.from(levels, (tau) => quantileSorted(x, predictiveLevel(tau, rho)));
        rearrange(hours);
        const point = pointEstimate(x, sim.effective, target.estimate, hours[0]!, hours[2]!, gate.open);
        hours[1] = point.p50;
        const q = Float64Array.from(hours, Math.log);
        const e = Math.log(target.estimate);
        const y = Math.log(target.actual);
        const logRatios = Float64Array.from(eligible, (p) => Math.log(p.actual / p.estimate)).sort();
        const glob = empirical(logRatios, e);
        const same = Float64Array.from(
            eligible.filter((p) => p.type === target.type),
            (p) => Math.log(p.actual / p.estimate),
        ).sort();
        const cls = same.length >= o.minClassProjects ? empirical(same, e) : glob;
        if (Number.isNaN(s0)) s0 = target.start;
        const w = weightOf(target);
        weights.push(w);
        scored.method.push({ q: Array.from(q), y, e, w, hours: Array.from(hours), actual: target.actual, estimate: target.estimate });
        scored.global.push({ q: glob, y, e, w });
        scored.per_class.push({ q: cls, y, e, w });
        scoredKeys.push(target.type);
        if (relLevels) {
            const hit = (qs: (tau: number) => number) => Uint8Array.from(relLevels, (tau) => (y <= qs(tau) ? 1 : 0));
            const lr = logRatios as unknown as number[];
            const sr = same as unknown as number[];
            relHits.method.push(hit((tau) => Math.log(quantileSorted(x, predictiveLevel(adjustedLevel(LEVELS, Array.from(delta), tau), rho)))));
            relHits.global.push(hit((tau) => e + quantileSorted(lr, tau)));
            relHits.per_class.push(hit((tau) => e + quantileSorted(same.length >= o.minClassProjects ? sr : lr, tau)));
        }
        if (forecasts) forecasts.push({ index: j, id: target.id, hours: Array.from(hours), actual: target.actual, estimate: target.estimate, weight: w });
        waiting.push({ end: target.end, key: target.type, y, q, ratio: y - e, median: Math.log(point.median) - e, inBand: point.inBand });
    }
    // Every outcome is known by now: the calibration for live quotes learns all of them.
    waiting.sort((a, b) => a.end - b.end);
    for (const w of waiting) learn(w);
    const offsets: Record<string, number[]> = {};
    for (const type of Object.keys(tracker.snapshot())) offsets[type] = Array.from(offsetsOf(type));
    const { calibration: _c, reliabilityLevels: _r, ...plain } = o;
    return {
        unit: 'project',
        units: projects.length,
        scored: scored.method.length,
        warmup,
        overall: { method: figures(scored.method), global: figures(scored.global), per_class: figures(scored.per_class) },
        classes: perClass(scoredKeys, scored),
        options: plain as unknown as Record<string, number | boolean | string>,
        runtime_ms: performance.now() - started,
        calibration: { levels: [...LEVELS], offsets, firm: Array.from(firm.get('')), p50: gate.open ? 'median' : 'estimate' },
        excluded_without_estimate: excluded,
        ...(forecasts ? { forecasts } : {}),
        ...(relLevels ? { reliability: reliability(relLevels, scoredKeys, relHits, weights) } : {}),
    };
}
