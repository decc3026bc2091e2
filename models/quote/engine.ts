/**
 * The quote engine: reference-class forecasting of a deal's hours, cost and price from the actual ÷ estimate
 * ratios of closed projects (PRODUCT.md "Calibrated quotes"). Plain rows in, plain objects out: no DuckDB here;
 * the caller reads history from the warehouse (see projectsFromRows for the mart's row shape).
 *
 * Method, for a deal dated as_of (history = closed projects that ended strictly before as_of):
 *  1. Each closed project with a baseline plan becomes a set of ratios: per phase × role line
 *     (actual / estimate of lines with an estimate > 0), per phase (Σ actual / Σ estimate of its planned lines),
 *     for the project (Σ planned actual / Σ estimate), and an unplanned uplift (hours logged on phase × role
 *     cells the baseline did not plan ÷ Σ estimate). If a deal were exactly a past project's plan, that
 *     project's simulated total would be exactly its actual total.
 *  2. Reference class: the closed projects of the deal's project_type and billing_model when there are at least
 *     minClassProjects (default 20) of them; else those of its project_type when at least minClassProjects;
 *     else all closed projects.
 *  3. Ratio level per deal line, decided once from the reference class: the phase × role ratio when at least
 *     minCellProjects (default 5) reference projects planned that cell; else the phase ratio when at least
 *     minPhaseProjects (default 5) planned that phase; else the project ratio. A drawn project that lacks the
 *     chosen cell falls back the same way (phase, then project) for that draw only.
 *  4. Simulation: `simulations` draws of a whole reference project (weighted bootstrap, weight
 *     2^(−age/halfLifeDays), age = as_of − end_date), so all of a deal's lines move with the same project:
 *     a project that overran its build also overran its test. Hours = Σ line estimate × ratio, plus the drawn
 *     project's unplanned uplift × the deal's total estimate (reported as the phase "(unplanned)").
 *     Cost = Σ line hours × the role's cost rate (unplanned hours at the deal's estimate-weighted blended rate).
 *  5. Levels. (a) Predictive levels: the simulated totals are the reference projects' outcomes, each with
 *     its recency weight w_i (Σ w_i = W); the deal is one more draw, of weight 1 (it ends now). Its τ-quantile
 *     is read from the sample at level c(τ) = τ + (τ − ½)/W: with equal weights that is the plotting position
 *     k/(n + 1) (Hyndman & Fan type 6), at which a new draw from the same distribution falls below the k-th of
 *     n values with probability exactly k/(n + 1); with recency weights it is the weighted form of the same
 *     (the new point's mass 1/(W + 1) shared between the tails, as in non-exchangeable conformal prediction,
 *     Barber et al. 2023). A plug-in quantile of 20 projects puts P10…P90 around x_(2)…x_(18), which holds a
 *     new project only 16/21 = 76 % of the time; c puts them around x_(2.1)…x_(18.9): 80 %. It matters for
 *     small reference classes (W = 10…80 on the demo firm), not for thousands of items.
 *     (b) Optional recalibration (a Calibration from backtestProjects): the time-ordered backtest learns
 *     adjusted levels (adaptive conformal inference: P90 read at 0.9 + δ_90, …) that made past quotes hit
 *     their nominal coverage — a firm-wide offset plus one per project_type, for P10, P80 and P90 (the P50
 *     is a point, step c; its offset stays 0). Both are applied to the whole
 *     simulated sample: the k-th smallest of S totals (and costs) becomes the sample's quantile at level
 *     c(g((k + ½)/S)), g the level map through (0, 0), (0.1, 0.1 + δ_10), …, (0.9, 0.9 + δ_90), (1, 1), linear in
 *     between. By-phase figures get c but not g (the backtest scores totals).
 *     (c) The P50 (pointEstimate): the raw estimate (Σ line estimates; for cost, Σ line estimate × rate; for
 *     a phase, its estimate) when it lies within the median's sampling band — the sample read at
 *     ½ ∓ 3·½/√W, W the Kish effective number of reference projects — else, once the backtest has shown the
 *     median the better point there (Calibration.p50 = 'median'), the median; kept within [P10, P80].
 *  6. Price at confidence c for target margin m: the price whose margin (price − cost)/price ≥ m with
 *     probability c, i.e. Q_c(cost) / (1 − m). For a proposed price P: P(margin < m) = P(cost > P·(1 − m)),
 *     expected margin = 1 − E[cost]/P. For time-and-materials deals the price is the fixed-price equivalent.
 * Deterministic for a seed (models/quote/rng.ts).
 */
import { mean, quantileRankSorted, quantileSorted } from 'simple-statistics';
import { cellKey, isoDay, prepareHistory } from './history.ts';
import { QuoteRng } from './rng.ts';
import {
    QUOTE_DEFAULTS,
    QuoteError,
    UNPLANNED_PHASE,
    type Deal,
    type HistoryProject,
    type PlanLine,
    type PreparedHistory,
    type PreparedProject,
    type QuoteOptions,
    type QuoteResult,
    type Quantiles,
    type RatioLevel,
    type ReferenceLevel,
} from './types.ts';

export * from './types.ts';
export { isoDay, prepareHistory, prepareProject, projectsFromRows, type EstimateVsActualRow } from './history.ts';

interface Reference {
    level: ReferenceLevel;
    projects: PreparedProject[];
    /** Usable closed projects (a baseline plan, time logged, ended before the deal) of the deal's type, and of its type and billing model. */
    ofType: number;
    ofTypeAndBilling: number;
}

/** Step 2. */
export function referenceClass(eligible: readonly PreparedProject[], type: string, billing: string | null, minClass: number): Reference {
    const ofType = eligible.filter((p) => p.type === type);
    const both = billing ? ofType.filter((p) => p.billing === billing) : [];
    const counts = { ofType: ofType.length, ofTypeAndBilling: both.length };
    if (billing && both.length >= minClass) return { level: 'project_type_billing_model', projects: both, ...counts };
    if (ofType.length >= minClass) return { level: 'project_type', projects: ofType, ...counts };
    return { level: 'all', projects: [...eligible], ...counts };
}

interface Simulation {
    /** Sorted simulated totals. */
    totals: Float64Array;
    /** The reference project drawn by each simulation. */
    draws: Int32Array;
    /** Per reference project: hours of each deal line (project-major, L per project) and unplanned hours. */
    lineHours: Float64Array;
    unplanned: Float64Array;
    levels: RatioLevel[];
    cellCounts: number[];
    effective: number;
    /** Σ of the reference projects' recency weights (a project that ended at the deal's date weighs 1): W of step 5. */
    weight: number;
}

/**
 * Steps 3 and 4: simulate a deal's lines over a reference class. A draw picks a whole reference project, so
 * every quantity of a draw (line hours, unplanned hours, cost) is worked out once per reference project and
 * the draws only pick among them.
 */
export function simulate(
    lines: readonly PlanLine[],
    reference: readonly PreparedProject[],
    asOf: number,
    o: { simulations: number; seed: number; halfLifeDays: number; minCellProjects: number; minPhaseProjects: number },
): Simulation {
    const n = reference.length;
    const L = lines.length;
    // Step 3: one level per line from the reference class.
    const levels: RatioLevel[] = [];
    const cellCounts: number[] = [];
    const keys = lines.map((l) => cellKey(l.phase, l.role));
    for (const [j, l] of lines.entries()) {
        const k = keys[j]!;
        let cells = 0;
        let phases = 0;
        for (const p of reference) {
            if (p.cell.has(k)) cells++;
            if (p.phase.has(l.phase)) phases++;
        }
        cellCounts.push(cells);
        levels.push(cells >= o.minCellProjects ? 'phase_role' : phases >= o.minPhaseProjects ? 'phase' : 'project');
    }
    let estimate = 0;
    for (const l of lines) estimate += l.estimated_hours;
    // Hours per reference project × line, with the per-project fallback; totals per project.
    const lineHours = new Float64Array(n * L);
    const unplanned = new Float64Array(n);
    const projectTotal = new Float64Array(n);
    for (let i = 0; i < n; i++) {
        const p = reference[i]!;
        let total = 0;
        for (let j = 0; j < L; j++) {
            const l = lines[j]!;
            const lv = levels[j];
            const r =
                (lv === 'phase_role' ? p.cell.get(keys[j]!) : undefined) ??
                (lv !== 'project' ? p.phase.get(l.phase) : undefined) ??
                p.total;
            const h = l.estimated_hours * r;
            lineHours[i * L + j] = h;
            total += h;
        }
        unplanned[i] = p.uplift * estimate;
        projectTotal[i] = total + unplanned[i]!;
    }
    // Recency weights → cumulative distribution for the draws.
    const cum = new Float64Array(n);
    let acc = 0;
    let acc2 = 0;
    const lambda = Number.isFinite(o.halfLifeDays) ? Math.LN2 / o.halfLifeDays : 0;
    for (let i = 0; i < n; i++) {
        const w = Math.exp(-lambda * Math.max(0, asOf - reference[i]!.end));
        acc += w;
        acc2 += w * w;
        cum[i] = acc;
    }
    const S = o.simulations;
    const rng = new QuoteRng(o.seed);
    const draws = new Int32Array(S);
    const totals = new Float64Array(S);
    for (let s = 0; s < S; s++) {
        const u = rng.next() * acc;
        let lo = 0;
        let hi = n - 1;
        while (lo < hi) {
            const mid = (lo + hi) >>> 1;
            if (cum[mid]! <= u) lo = mid + 1;
            else hi = mid;
        }
        draws[s] = lo;
        totals[s] = projectTotal[lo]!;
    }
    totals.sort();
    return { totals, draws, lineHours, unplanned, levels, cellCounts, effective: (acc * acc) / acc2, weight: acc };
}

/** The level map g of step 5: linear through (0, 0), (τ_j, τ_j + δ_j) and (1, 1), clamped to [0, 1]. */
export function adjustedLevel(levels: readonly number[], offsets: readonly number[], tau: number): number {
    const xs = [0, ...levels, 1];
    const ys = [0, ...levels.map((l, j) => l + offsets[j]!), 1];
    let g = tau;
    for (let j = 1; j < xs.length; j++) {
        if (tau <= xs[j]!) {
            const t = (tau - xs[j - 1]!) / (xs[j]! - xs[j - 1]!);
            g = ys[j - 1]! + t * (ys[j]! - ys[j - 1]!);
            break;
        }
    }
    return Math.min(1, Math.max(0, g));
}

/** Standard errors of the median within which the P50 is the raw estimate (step 5c). */
export const P50_BAND = 3;

export interface PointEstimate {
    p50: number;
    /** The sample's median. */
    median: number;
    /** The raw estimate lies within the median's band. */
    inBand: boolean;
}

/**
 * Step 5c, the P50: the raw estimate when it lies within the median's own sampling band; outside it, the
 * median once the past has shown it the better point there (`medianShown`, backtest.ts P50Gate), else still
 * the estimate; kept within [P10, P80]. The level of a sample median from W equally weighted values has a
 * standard error of ½/√W: the band is the sample read at ½ ∓ P50_BAND·½/√W (W = the Kish effective size).
 * The P50 is a point, not recalibrated: a seller reads it as the best guess, and where the past cannot tell the
 * median ratio from 1 (estimates right on the median, a tie at actual = estimate) the raw estimate is that
 * guess — a median ratio read from a few dozen projects would only add its noise to it.
 */
export function pointEstimate(sorted: ArrayLike<number>, effective: number, estimate: number, p10: number, p80: number, medianShown: boolean): PointEstimate {
    const x = sorted as unknown as number[];
    const h = (P50_BAND * 0.5) / Math.sqrt(Math.max(1, effective));
    const inBand = quantileSorted(x, Math.max(0, 0.5 - h)) <= estimate && estimate <= quantileSorted(x, Math.min(1, 0.5 + h));
    const median = quantileSorted(x, 0.5);
    const p50 = !inBand && medianShown ? median : estimate;
    return { p50: Math.min(p80, Math.max(p10, p50)), median, inBand };
}

/** Step 5a: the sample level at which to read the predictive τ-quantile, for reference weights summing to W (ρ = 1/W). */
export function predictiveLevel(tau: number, rho: number): number {
    return Math.min(1, Math.max(0, tau + (tau - 0.5) * rho));
}

/**
 * Step 5: the sample read at predictive, recalibrated levels, sorted (a new array): the k-th of S becomes the
 * sample's quantile at c(g((k + ½)/S)). Without offsets g is the identity; ρ = 0 leaves c the identity.
 */
export function recalibrateSorted(sorted: Float64Array, levels: readonly number[], offsets: readonly number[] | null, rho = 0): Float64Array {
    const S = sorted.length;
    const x = sorted as unknown as number[];
    const out = new Float64Array(S);
    let prev = -Infinity;
    for (let k = 0; k < S; k++) {
        const u = (k + 0.5) / S;
        prev = Math.max(prev, quantileSorted(x, predictiveLevel(offsets ? adjustedLevel(levels, offsets, u) : u, rho)));
        out[k] = prev;
    }
    return out;
}

/** The quantiles of a sorted sample, its P50 by step 5c for the raw estimate `estimate`. */
function quantiles(sorted: Float64Array, effective: number, estimate: number, medianShown: boolean): Quantiles {
    const x = sorted as unknown as number[];
    const p10 = quantileSorted(x, 0.1);
    const p80 = quantileSorted(x, 0.8);
    return {
        p10,
        p50: pointEstimate(x, effective, estimate, p10, p80, medianShown).p50,
        p80,
        p90: quantileSorted(x, 0.9),
        mean: mean(x),
    };
}

function histogram(sorted: Float64Array, bins: number): { from: number; to: number; count: number }[] {
    const x = sorted as unknown as number[];
    const lo = quantileSorted(x, 0.005);
    const hi = quantileSorted(x, 0.995);
    if (!(hi > lo)) return [{ from: sorted[0]!, to: sorted[sorted.length - 1]!, count: sorted.length }];
    const width = (hi - lo) / bins;
    const out = Array.from({ length: bins }, (_, i) => ({ from: lo + i * width, to: i === bins - 1 ? hi : lo + (i + 1) * width, count: 0 }));
    for (const v of sorted) out[Math.min(bins - 1, Math.max(0, Math.floor((v - lo) / width)))]!.count++;
    return out;
}

function validateDeal(deal: Deal): void {
    if (!deal.lines.length) throw new QuoteError('the deal has no lines');
    for (const l of deal.lines) {
        if (!(l.estimated_hours > 0)) throw new QuoteError(`line ${l.phase} × ${l.role}: estimated_hours must be > 0`);
    }
    const missing = [...new Set(deal.lines.map((l) => l.role))].filter((r) => !(deal.cost_rates[r]! >= 0));
    if (missing.length) throw new QuoteError(`no cost rate for role(s): ${missing.join(', ')}`);
    if (!(deal.target_margin >= 0 && deal.target_margin < 1)) throw new QuoteError('target_margin must be in [0, 1)');
    if (!(deal.confidence > 0 && deal.confidence < 1)) throw new QuoteError('confidence must be in (0, 1)');
    if (deal.price != null && !(deal.price > 0)) throw new QuoteError('price must be > 0');
}

/** Quotes a deal from closed projects. `history` may be raw (HistoryProject[]) or prepared once with prepareHistory. */
export function quoteDeal(deal: Deal, history: readonly HistoryProject[] | PreparedHistory, options: QuoteOptions = {}): QuoteResult {
    const o = { ...QUOTE_DEFAULTS, ...options };
    validateDeal(deal);
    const prepared = Array.isArray(history) ? prepareHistory(history as HistoryProject[]) : (history as PreparedHistory);
    const asOf = deal.as_of ? isoDay(deal.as_of, 'as_of') : Infinity;
    const eligible = prepared.projects.filter((p) => p.end < asOf);
    if (eligible.length === 0) throw new QuoteError('no closed project with a baseline plan ended before the deal: nothing to learn from');
    const ref = referenceClass(eligible, deal.project_type, deal.billing_model ?? null, o.minClassProjects);
    const now = Number.isFinite(asOf) ? asOf : Math.max(...ref.projects.map((p) => p.end));
    const sim = simulate(deal.lines, ref.projects, now, o);
    const S = o.simulations;
    const L = deal.lines.length;
    const n = ref.projects.length;

    // Cost per reference project, then per draw.
    const rates = deal.lines.map((l) => deal.cost_rates[l.role]!);
    let estimate = 0;
    let rated = 0;
    for (let j = 0; j < L; j++) {
        estimate += deal.lines[j]!.estimated_hours;
        rated += deal.lines[j]!.estimated_hours * rates[j]!;
    }
    const blended = rated / estimate;
    const projectCost = new Float64Array(n);
    for (let i = 0; i < n; i++) {
        let c = sim.unplanned[i]! * blended;
        for (let j = 0; j < L; j++) c += sim.lineHours[i * L + j]! * rates[j]!;
        projectCost[i] = c;
    }
    const costs = new Float64Array(S);
    for (let s = 0; s < S; s++) costs[s] = projectCost[sim.draws[s]!]!;
    const rho = 1 / sim.weight;
    const offsets = o.calibration?.offsets[deal.project_type] ?? o.calibration?.firm ?? null;
    const levels = o.calibration?.levels ?? [];
    const totals = recalibrateSorted(sim.totals, levels, offsets, rho);
    const shown = o.calibration?.p50 === 'median';
    const sortedCosts = recalibrateSorted(costs.sort(), levels, offsets, rho);

    // By phase, in the order phases first appear in the deal.
    const phases = [...new Set(deal.lines.map((l) => l.phase))];
    const byPhase = phases.map((phase) => {
        const perProject = new Float64Array(n);
        let est = 0;
        deal.lines.forEach((l, j) => {
            if (l.phase !== phase) return;
            est += l.estimated_hours;
            for (let i = 0; i < n; i++) perProject[i]! += sim.lineHours[i * L + j]!;
        });
        const h = new Float64Array(S);
        for (let s = 0; s < S; s++) h[s] = perProject[sim.draws[s]!]!;
        return { phase, estimated_hours: est, ...quantiles(recalibrateSorted(h.sort(), [], null, rho), sim.effective, est, shown) };
    });
    const up = new Float64Array(S);
    for (let s = 0; s < S; s++) up[s] = sim.unplanned[sim.draws[s]!]!;
    up.sort();
    if (up[S - 1]! > 0) byPhase.push({ phase: UNPLANNED_PHASE, estimated_hours: 0, ...quantiles(recalibrateSorted(up, [], null, rho), sim.effective, 0, true) });

    const m = deal.target_margin;
    const costQ = sortedCosts as unknown as number[];
    const priceAt = (c: number): number => quantileSorted(costQ, c) / (1 - m);
    const meanCost = mean(costQ);
    const curve: QuoteResult['price_curve'] = [];
    const lo = priceAt(0.02);
    const hi = priceAt(0.98);
    for (let i = 0; i < o.curvePoints; i++) {
        const price = o.curvePoints === 1 ? lo : lo + ((hi - lo) * i) / (o.curvePoints - 1);
        curve.push({ price, p_margin_at_least_target: quantileRankSorted(costQ, price * (1 - m)) });
    }
    let proposal: QuoteResult['proposal'] = null;
    if (deal.price != null) {
        const P = deal.price;
        // P(cost > P(1 − m)): count of draws strictly above, by binary search over the sorted costs.
        const x = P * (1 - m);
        let a = 0;
        let b = S;
        while (a < b) {
            const mid = (a + b) >>> 1;
            if (sortedCosts[mid]! <= x) a = mid + 1;
            else b = mid;
        }
        proposal = {
            price: P,
            p_margin_below_target: (S - a) / S,
            expected_margin: 1 - meanCost / P,
            expected_margin_amount: P - meanCost,
        };
    }
    return {
        reference: {
            level: ref.level,
            project_type: ref.level === 'all' ? null : deal.project_type,
            billing_model: ref.level === 'project_type_billing_model' ? (deal.billing_model ?? null) : null,
            projects: ref.projects.length,
            effective_projects: sim.effective,
            excluded_without_estimate: prepared.excluded,
            of_type: ref.ofType,
            of_type_and_billing: ref.ofTypeAndBilling,
            min_class_projects: o.minClassProjects,
        },
        lines: deal.lines.map((l, j) => ({ ...l, ratio_level: sim.levels[j]!, reference_projects_with_cell: sim.cellCounts[j]! })),
        estimated_hours: estimate,
        hours: quantiles(totals, sim.effective, estimate, shown),
        hours_by_phase: byPhase,
        cost: quantiles(sortedCosts, sim.effective, rated, shown),
        price: {
            target_margin: m,
            confidence: deal.confidence,
            price: priceAt(deal.confidence),
            at: { p50: priceAt(0.5), p80: priceAt(0.8), p90: priceAt(0.9) },
        },
        proposal,
        histogram: histogram(totals, o.histogramBins),
        price_curve: curve,
        simulations: S,
        seed: o.seed,
        calibration_offsets: offsets,
    };
}
