/**
 * The time-ordered backtest of work items (backtest.ts has the project backtest and the baselines both are
 * scored against; backtest-report.ts what they report).
 *
 * WORK ITEMS (backtestItems: tasks, stories — any rows with an estimate, an actual, a class and a date).
 * Each item is forecast only from items dated strictly before it (items of one date are forecast together,
 * then learnt from). The forecast is a distribution of the log ratio s = ln(actual / estimate), so the
 * forecast hours at level τ are estimate × exp(q_τ). Three forecasters, from a plain rule to the full method,
 * are read alike (steps 1–5) and combined by what the past says of each (step 6):
 *  - global: one distribution of all past items, every item weighing 1 — the global baseline's distribution;
 *  - per_class: the item's full class, leaning on all items while it is thin (step 3) — the per-class one's;
 *  - hierarchy: every level of step 1, with recency weights (step 2).
 *  1. Hierarchy. An item's reference classes run from general to specific: all items → items of the same
 *     estimate size (size bin = ⌊log2 estimate⌋: small tasks overrun differently from large ones, in every
 *     dataset tried) → the first class column → … → the full class → the full class × size bin.
 *  2. Recency. Every past item weighs 2^(−k / halfLifeItems), k = the number of items dated after it
 *     (half-life 150 items: an item clock rather than a calendar one, so one setting suits a team closing 2
 *     tasks a day and one closing 30).
 *  3. Shrinkage. The forecast distribution of a class is the posterior predictive of a Dirichlet process
 *     whose base measure is its parent's forecast: G_k = (n_k·F_k + κ·G_{k−1}) / (n_k + κ), with F_k the
 *     recency-weighted empirical distribution of the class, n_k its effective (weighted) size and κ = 20.
 *     A thin class leans on its parent, a big one speaks for itself; no hard threshold.
 *  4. Quantiles of G (weighted Fenwick trees, O(log n) per query; mixture.ts). Each value v of G gets a PIT
 *     position w(v) = G(v−) + u·P(v): P_τ (τ = 0.8, 0.9) is the last value with w ≤ τ and P10 the first with
 *     w ≥ 0.1, so "actual above P_τ" happens exactly when w(actual) > τ. For a light value u = ½; for a heavy
 *     one (a tie: several past items, ≥ 5 % of G) u is the item's uniform draw (a hash of its index and the
 *     seed, shared by its levels so they stay ordered): a randomized PIT (Czado, Gneiting & Held 2009). Where
 *     many past items share a value — actual = estimate on 37 % of SiP tasks, on most tasks of some Jira
 *     exports — a plain quantile would put it inside every interval and over-cover; here it is inside only as
 *     often as the levels say. A heavy value the draw leaves outside is reported just beyond it (10⁻⁶ in log
 *     terms, or at the neighbouring value if that is nearer): of the values that leave it outside, the one
 *     with the least expected loss. Every reported value comes from past items only. Levels are read at the
 *     predictive level τ + (τ − ½)/W for the forecast's effective size W (engine.ts step 5a; MixtureReader
 *     setWeights): a quantile read from a few dozen past items holds a new one less often than its level.
 *  5. Online recalibration: adaptive conformal inference on the levels (QuantileTracker): P10/P80/P90 are
 *     read at τ + δ_τ, δ moved after each outcome by γ·(miss − nominal miss rate). In two layers that add
 *     up, each moved by γ/2 (γ = 0.01): each forecaster's own (per full class; the global forecaster's for
 *     all items alike), which holds coverage per class, and the combination's (all items), which holds what
 *     combining moves. It corrects what drift the recency weights leave.
 *  6. Combination, per level, by ML-Poly on the pinball loss's slope (ensemble.ts): weights learnt from the
 *     past outcomes alone, with no rate to tune; the combination competes with the best fixed mixture of
 *     the three. On a few hundred items the plain rules keep much of the weight; on thousands the full
 *     method takes it where it is sharper. This is how the method chooses its own complexity.
 *  7. P50, a point: the combination of the forecasters' plain medians (no tie broken, not recalibrated),
 *     or the raw estimate when that lies within the median's own sampling band (engine.ts step 5c: three
 *     standard errors, ½/√W each at the level's scale). Where the past cannot tell the median ratio from 1,
 *     the raw estimate is the better point: a median ratio moved by noise, recency or the level shifts of
 *     the bounds only makes the P50's relative error worse than the estimate's.
 * Items with fewer than minHistory (30) earlier items are a warm-up: not scored by any method.
 */
import { P50_BAND, predictiveLevel } from './engine.ts';
import { MLPoly } from './ensemble.ts';
import { LEVELS, figures, pinballSlope, type Scored } from './metrics.ts';
import { MAX_CHAIN, MixtureReader } from './mixture.ts';
import { QuantileTracker, SortedSample, WeightedValues, rearrange } from './ratio-distribution.ts';
import { uniformHash } from './rng.ts';
import { SEP, TRACKED, empirical, perClass, type BacktestReport, type Method } from './backtest-report.ts';

/**
 * The forecasters the item backtest combines (step 6), from the plainest to the fullest. Each is a mixture of
 * some of an item's reference classes (chain positions: 0 the root, then the size bin, the class columns, the
 * class × size bin), read with ties broken and at predictive levels alike, and recalibrated (step 5).
 */
export type ForecasterName = 'global' | 'per_class' | 'hierarchy';

interface Forecaster {
    /** Recency weights (else every past item weighs 1). */
    recent: boolean;
    /** Recalibrated per full class (else one set of offsets for all items). */
    perClass: boolean;
    /** Whether chain position k (≥ 1) takes part; firstClass = the first class column's position. */
    uses(k: number, firstClass: number, classes: number): boolean;
}


const FORECASTERS: Record<ForecasterName, Forecaster> = {
    /** One distribution of all past items: the global baseline's, read as the method reads. */
    global: { recent: false, perClass: false, uses: () => false },
    /** The item's full class, leaning on all items while it is thin: the per-class baseline's. */
    per_class: { recent: false, perClass: true, uses: (k, firstClass, classes) => classes > 0 && k === firstClass + classes - 1 },
    /** Every level of the hierarchy, with recency weights. */
    hierarchy: { recent: true, perClass: true, uses: () => true },
};

export interface WorkItem {
    estimate: number;
    actual: number;
    /** Ordering time (days since 1970-01-01 for dates; any number works: only the order matters). */
    time: number;
    /** Class values, general to specific (e.g. [Category, SubCategory]). */
    class: readonly string[];
    /** Rows of one group are one unit (a project and its lines). */
    group?: string | null;
}

export interface ItemBacktestOptions {
    /** Dirichlet-process concentration: the weight, in items, of a class's parent. */
    kappa?: number;
    /** Recency half-life in items (Infinity: no decay). */
    halfLifeItems?: number;
    /** Adaptive-conformal step on the quantile levels (0: no recalibration). */
    gamma?: number;
    /** Seed of the per-item tie-break draws. */
    seed?: number;
    /** A value holding at least this share of a forecast distribution is a tie broken at random. */
    heavyAtom?: number;
    /** How far (log units) a quantile moves off a value to leave it outside: the neighbouring value if closer. */
    nudge?: number;
    /** Items needing at least this many earlier items to be scored. */
    minHistory?: number;
    /** Baseline (b) uses the class once it has this many past items. */
    baselineMinClass?: number;
    /** Use estimate-size bins in the hierarchy. */
    sizeBins?: boolean;
    /** Return every scored forecast (for charts and tests). */
    keepForecasts?: boolean;
    /** The forecasters combined (step 6); one alone is that forecaster, recalibrated. */
    forecasters?: readonly ForecasterName[];
    /** Read at predictive levels for the forecast's effective size (step 4). */
    predictive?: boolean;
    /** Standard errors of the median within which the P50 is the raw estimate (step 7; 0: always the median). */
    p50Band?: number;
}

export const ITEM_DEFAULTS = {
    kappa: 20,
    halfLifeItems: 150,
    gamma: 0.01,
    seed: 1,
    heavyAtom: 0.05,
    nudge: 1e-6,
    minHistory: 30,
    baselineMinClass: 20,
    sizeBins: true,
    keepForecasts: false,
    forecasters: ['global', 'per_class', 'hierarchy'] as readonly ForecasterName[],
    predictive: true,
    p50Band: P50_BAND,
};

/** Backtests work items; with a group on the items, each group is a project (see backtestGroups). */
export function backtestItems(items: readonly WorkItem[], options: ItemBacktestOptions = {}): BacktestReport {
    const started = performance.now();
    const o = { ...ITEM_DEFAULTS, ...options };
    const N = items.length;
    for (const it of items) {
        if (!(it.estimate > 0) || !(it.actual > 0) || !Number.isFinite(it.time)) {
            throw new Error('backtestItems: every item needs estimate > 0, actual > 0 and a finite time (filter them first)');
        }
    }
    const order = items.map((_, i) => i).sort((a, b) => items[a]!.time - items[b]!.time || a - b);
    const score = new Float64Array(N);
    const logE = new Float64Array(N);
    const classKey: string[] = new Array(N);
    for (let i = 0; i < N; i++) {
        const it = items[i]!;
        score[i] = Math.log(it.actual / it.estimate);
        logE[i] = Math.log(it.estimate);
        classKey[i] = it.class.join(SEP);
    }

    // Step 1: each item's chain of reference classes below the root (node 0 = all items).
    const nodeIndex = new Map<string, number>([['', 0]]);
    const chains: Int32Array[] = new Array(N);
    const nodeValues: number[][] = [[]];
    for (let i = 0; i < N; i++) {
        const it = items[i]!;
        const keys: string[] = [];
        const bin = Math.floor(Math.log2(it.estimate));
        if (o.sizeBins) keys.push(`s\u0001${bin}`);
        for (let d = 1; d <= it.class.length; d++) keys.push(`c\u0001${it.class.slice(0, d).join('\u0001')}`);
        if (o.sizeBins && it.class.length > 0) keys.push(`x\u0001${it.class.join('\u0001')}\u0001${bin}`);
        const chain = new Int32Array(keys.length + 1);
        keys.forEach((k, j) => {
            let id = nodeIndex.get(k);
            if (id === undefined) {
                id = nodeValues.length;
                nodeIndex.set(k, id);
                nodeValues.push([]);
            }
            chain[j + 1] = id;
        });
        chains[i] = chain;
        for (const id of chain) nodeValues[id]!.push(score[i]!);
    }
    const values = nodeValues.map((v) => Float64Array.from(new Set(v)).sort());
    const forecasters = o.forecasters.map((name) => FORECASTERS[name]);
    const K = forecasters.length;
    const J = LEVELS.length;
    // Class distributions with recency weights, and (for the forecasters without) with every item weighing 1.
    const recent = values.map((v) => new WeightedValues(v));
    const flat = forecasters.some((f) => !f.recent) ? values.map((v) => new WeightedValues(v)) : null;
    const mixture = { heavyAtom: o.heavyAtom, nudge: o.nudge };
    const readers = forecasters.map((f) => new MixtureReader(f.recent ? recent : flat!, mixture));
    // Step 5: each forecaster's own offsets, and the combination's (all items), the step γ split between them.
    const own = forecasters.map(() => new QuantileTracker(LEVELS, TRACKED));
    const combined = new QuantileTracker(LEVELS, TRACKED);
    const step = K > 1 ? o.gamma / 2 : o.gamma;
    const combiners = LEVELS.map(() => new MLPoly(K));
    const firstClass = o.sizeBins ? 2 : 1;

    const lambda = Number.isFinite(o.halfLifeItems) ? Math.LN2 / o.halfLifeItems : 0;
    let inserted = 0;
    let reference = 0;
    const globalSample = new SortedSample(N);
    const classSamples = new Map<string, SortedSample>();

    const scoredKeys: string[] = [];
    const scored: Record<Method, Scored[]> = { method: [], global: [], per_class: [] };
    let warmup = 0;
    const use: boolean[] = new Array(MAX_CHAIN).fill(false);
    const adjusted = new Float64Array(J);
    const weight = new Float64Array(K);
    const column = new Float64Array(K);
    const lo = new Float64Array(K);
    const hi = new Float64Array(K);

    const forecasts: BacktestReport['forecasts'] = o.keepForecasts ? [] : undefined;
    let p = 0;
    // Per item of the current date, learnt once the date is over: each forecaster's quantiles (K × J, as
    // reported to it), the combination per level before its ordering, and the reported quantiles.
    const pending: { i: number; q: Float64Array; blend: Float64Array; reported: Float64Array }[] = [];
    while (p < N) {
        const t = items[order[p]!]!.time;
        let p2 = p;
        while (p2 < N && items[order[p2]!]!.time === t) p2++;
        if (inserted >= o.minHistory) {
            const decay = Math.exp(-lambda * (inserted - reference));
            const shared = combined.get('');
            for (let b = p; b < p2; b++) {
                const i = order[b]!;
                const chain = chains[i]!;
                const u = uniformHash(i, o.seed);
                const q = new Float64Array(K * J);
                for (let f = 0; f < K; f++) {
                    const spec = forecasters[f]!;
                    for (let k = 1; k < chain.length; k++) use[k] = spec.uses(k, firstClass, items[i]!.class.length);
                    const W = readers[f]!.setWeights(chain, use, o.kappa, spec.recent ? decay : 1);
                    // Steps 4–5: the recalibrated levels (kept in order), read at the predictive levels for W.
                    const delta = own[f]!.get(spec.perClass ? classKey[i]! : '');
                    for (let j = 0; j < J; j++) adjusted[j] = LEVELS[j]! + delta[j]! + shared[j]!;
                    rearrange(adjusted);
                    if (o.predictive) for (let j = 0; j < J; j++) adjusted[j] = predictiveLevel(adjusted[j]!, 1 / W);
                    const qf = q.subarray(f * J, (f + 1) * J);
                    readers[f]!.read(chain, adjusted, u, qf);
                    rearrange(qf);
                    // The P50 is the plain median (a point, not a bound: no tie broken, not recalibrated), with
                    // its own uncertainty band (step 7).
                    qf[1] = Math.min(qf[2]!, Math.max(qf[0]!, readers[f]!.quantile(chain, 0.5)));
                    const h = (o.p50Band * 0.5) / Math.sqrt(W);
                    lo[f] = readers[f]!.quantile(chain, 0.5 - h);
                    hi[f] = readers[f]!.quantile(chain, 0.5 + h);
                }
                // Step 6: the forecasters combined per level.
                const blend = new Float64Array(J);
                for (let j = 0; j < J; j++) {
                    combiners[j]!.weights(weight);
                    for (let f = 0; f < K; f++) blend[j]! += weight[f]! * q[f * J + j]!;
                }
                const out = Float64Array.from(blend);
                rearrange(out);
                // Step 7: the raw estimate (log ratio 0) when the median's band holds it.
                combiners[1]!.weights(weight);
                let a = 0;
                let z = 0;
                for (let f = 0; f < K; f++) {
                    a += weight[f]! * lo[f]!;
                    z += weight[f]! * hi[f]!;
                }
                if (a <= 0 && z >= 0) out[1] = Math.min(out[2]!, Math.max(out[0]!, 0));
                pending.push({ i, q, blend, reported: Float64Array.from(out) });
                const e = logE[i]!;
                const y = e + score[i]!;
                // The forecast hours as reported: estimate × ratio (exactly the estimate at ratio 1).
                const hours = Array.from(out, (v) => items[i]!.estimate * Math.exp(v));
                const mine = Array.from(out, (v) => v + e);
                const glob = empirical(globalSample.view(), e);
                const cs = classSamples.get(classKey[i]!);
                const cls = cs && cs.n >= o.baselineMinClass ? empirical(cs.view(), e) : glob;
                scored.method.push({ q: mine, y, e, hours, actual: items[i]!.actual, estimate: items[i]!.estimate });
                scored.global.push({ q: glob, y, e });
                scored.per_class.push({ q: cls, y, e });
                scoredKeys.push(classKey[i]!);
                if (forecasts) forecasts.push({ index: i, hours, actual: items[i]!.actual, estimate: items[i]!.estimate });
            }
        } else {
            warmup += p2 - p;
        }
        // Learn the date's outcomes, after every item of the date was forecast.
        for (const { i, q, blend, reported } of pending) {
            const y = score[i]!;
            for (let f = 0; f < K; f++) own[f]!.update(forecasters[f]!.perClass ? classKey[i]! : '', y, q.subarray(f * J, (f + 1) * J), step);
            if (K > 1) combined.update('', y, reported, step);
            for (let j = 0; j < J; j++) {
                for (let f = 0; f < K; f++) column[f] = q[f * J + j]!;
                combiners[j]!.update(pinballSlope(y, blend[j]!, LEVELS[j]!), column, blend[j]!);
            }
        }
        pending.length = 0;
        if (lambda * (inserted - reference) > 300) {
            const f = Math.exp(-lambda * (inserted - reference));
            for (const node of recent) node.scale(f);
            reference = inserted;
        }
        const w = Math.exp(lambda * (inserted - reference));
        for (let b = p; b < p2; b++) {
            const i = order[b]!;
            for (const id of chains[i]!) {
                recent[id]!.add(score[i]!, w);
                flat?.[id]!.add(score[i]!, 1);
            }
            globalSample.add(score[i]!);
            let cs = classSamples.get(classKey[i]!);
            if (!cs) classSamples.set(classKey[i]!, (cs = new SortedSample(16)));
            cs.add(score[i]!);
        }
        inserted += p2 - p;
        p = p2;
    }
    return {
        unit: 'item',
        units: N,
        scored: scored.method.length,
        warmup,
        overall: { method: figures(scored.method), global: figures(scored.global), per_class: figures(scored.per_class) },
        classes: perClass(scoredKeys, scored),
        options: { ...o, forecasters: o.forecasters.join(', ') },
        runtime_ms: performance.now() - started,
        ...(forecasts ? { forecasts } : {}),
    };
}
