/**
 * The time-ordered backtest: the proof that quote intervals hold their nominal coverage. Two units:
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
    P50_BAND,
    pointEstimate,
    predictiveLevel,
    prepareHistory,
    prepareProject,
    referenceClass,
    simulate,
    type Calibration,
    type HistoryProject,
    type PreparedProject,
    type QuoteOptions,
} from './engine.ts';
import { MLPoly, P50Gate } from './ensemble.ts';
import { LEVELS, figures, pinballSlope, type Figures, type Scored } from './metrics.ts';
import { MAX_CHAIN, MixtureReader } from './mixture.ts';
import { QuantileTracker, SortedSample, WeightedValues, rearrange } from './ratio-distribution.ts';
import { uniformHash } from './rng.ts';

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

/** Levels recalibrated: the bounds and P80; the P50 is read as the plain median (step 7). */
const TRACKED = LEVELS.map((tau) => tau !== 0.5);

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

/** Observed share of actuals at or below the forecast at each nominal level, per method. */
export interface ReliabilityFigures {
    n: number;
    method: number[];
    global: number[];
    per_class: number[];
}

export interface Reliability {
    levels: number[];
    overall: ReliabilityFigures;
    classes: (ReliabilityFigures & { class: string })[];
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

export type Method = 'method' | 'global' | 'per_class';

export interface ClassFigures {
    class: string;
    n: number;
    method: Figures;
    global: Figures;
    per_class: Figures;
}

export interface BacktestReport {
    unit: 'item' | 'project';
    /** Units given, scored, and not scored for lack of history (warm-up). */
    units: number;
    scored: number;
    warmup: number;
    overall: Record<Method, Figures>;
    /** Per class (full class; project_type for projects), largest first. */
    classes: ClassFigures[];
    options: Record<string, number | boolean | string>;
    runtime_ms: number;
    /**
     * With keepForecasts: each scored unit's forecast hours at P10/P50/P80/P90 (index = position in the input;
     * projects: `id`), in scoring order.
     */
    forecasts?: { index: number; id?: string; hours: number[]; actual: number; estimate: number; weight?: number }[];
}

export interface ProjectBacktestReport extends BacktestReport {
    /** The recalibration offsets after the last outcome (per type: firm-wide + the type's; firm: firm-wide): pass to quoteDeal for live quotes. */
    calibration: Calibration & { firm: number[]; p50: 'median' | 'estimate' };
    /** Closed projects without a baseline estimate (not usable). */
    excluded_without_estimate: number;
    /** With reliabilityLevels: nominal vs observed share at or below each level. */
    reliability?: Reliability;
}

const SEP = ' / ';

function perClass(keys: readonly string[], scored: Record<Method, Scored[]>): ClassFigures[] {
    const by = new Map<string, number[]>();
    keys.forEach((k, i) => (by.get(k) ?? by.set(k, []).get(k)!).push(i));
    const pick = (m: Method, idx: number[]) => figures(idx.map((i) => scored[m][i]!));
    return [...by]
        .map(([k, idx]) => ({ class: k, n: idx.length, method: pick('method', idx), global: pick('global', idx), per_class: pick('per_class', idx) }))
        .sort((a, b) => b.n - a.n || (a.class < b.class ? -1 : 1));
}

/** Log-space baseline quantiles from a sorted sample of past log ratios, shifted by the log estimate. */
function empirical(sorted: Float64Array, e: number): number[] {
    const x = sorted as unknown as number[];
    return LEVELS.map((tau) => e + quantileSorted(x, tau));
}

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

function reliability(levels: number[], keys: readonly string[], hits: Record<Method, Uint8Array[]>, weights: readonly number[]): Reliability {
    const share = (m: Method, idx: readonly number[]) => {
        const total = idx.reduce((a, i) => a + weights[i]!, 0);
        return levels.map((_, k) => (idx.length ? idx.reduce((a, i) => a + weights[i]! * hits[m][i]![k]!, 0) / total : NaN));
    };
    const of = (idx: readonly number[]): ReliabilityFigures => ({ n: idx.length, method: share('method', idx), global: share('global', idx), per_class: share('per_class', idx) });
    const by = new Map<string, number[]>();
    keys.forEach((k, i) => (by.get(k) ?? by.set(k, []).get(k)!).push(i));
    return {
        levels,
        overall: of(keys.map((_, i) => i)),
        classes: [...by].map(([k, idx]) => ({ class: k, ...of(idx) })).sort((a, b) => b.n - a.n || (a.class < b.class ? -1 : 1)),
    };
}

export interface BandCheck {
    /** What the band checks, in words. */
    what: string;
    value: number;
    low: number;
    high: number;
    /** 'share': a share of items (shown as a percentage); 'loss': a mean pinball loss. */
    unit: 'share' | 'loss';
    ok: boolean;
}

/**
 * The acceptance bands: [P10, P90] coverage and the share at or below P80 within 80 ± 3 pp over all items;
 * [P10, P90] coverage within 80 ± 6 pp for every class with at least minClassItems scored items; mean pinball
 * loss at most the better baseline's; the P50's median relative error at most the raw estimate's.
 */
export function checkBands(report: Pick<BacktestReport, 'overall' | 'classes'>, minClassItems = 300): BandCheck[] {
    const m = report.overall.method;
    const band = (what: string, value: number, low: number, high: number, unit: BandCheck['unit'] = 'share'): BandCheck => ({
        what,
        value,
        low,
        high,
        unit,
        ok: value >= low && value <= high,
    });
    const out: BandCheck[] = [band('[P10, P90] coverage, all items', m.coverage_p10_p90, 0.77, 0.83), band('share at or below P80, all items', m.share_le_p80, 0.77, 0.83)];
    for (const c of report.classes.filter((x) => x.n >= minClassItems)) {
        out.push(band(`[P10, P90] coverage, class "${c.class}" (n=${c.n})`, c.method.coverage_p10_p90, 0.74, 0.86));
    }
    const better = Math.min(report.overall.global.pinball, report.overall.per_class.pinball);
    out.push(band('mean pinball loss at most the better baseline’s', m.pinball, -Infinity, better, 'loss'));
    out.push(band('median relative error of P50 at most the raw estimate’s', m.mdre_p50, -Infinity, m.mdre_estimate));
    return out;
}
