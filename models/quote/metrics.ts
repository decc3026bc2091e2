/**
 * Scoring rules of the backtest. Everything is on log hours: a forecast quantile q and an actual y are
 * compared as ln q and ln y, so a 2× miss costs the same on a 1-hour task and on a 1,000-hour project.
 */
import { median } from 'simple-statistics';

/** The quantile levels every forecast reports. P80 is there because sales quotes at P80. */
export const LEVELS = [0.1, 0.5, 0.8, 0.9] as const;
/** Levels scored by the pinball loss: P10, P50, P90 (the interval's ends and the point). */
export const PINBALL_LEVELS = [0.1, 0.5, 0.9] as const;

/**
 * Pinball (quantile) loss of forecast q at level tau for outcome y: tau·(y−q) when y ≥ q, else (1−tau)·(q−y).
 * Its expectation is minimised by the true tau-quantile, which is why it scores quantile forecasts.
 */
export function pinball(y: number, q: number, tau: number): number {
    const d = y - q;
    return d >= 0 ? tau * d : (tau - 1) * d;
}

/** The slope of the pinball loss in the forecast q at level tau (its subgradient, 1 − tau or −tau). */
export function pinballSlope(y: number, q: number, tau: number): number {
    return (y < q ? 1 : 0) - tau;
}

/** One scored forecast: log quantiles at LEVELS, the log actual, and the raw estimate. */
export interface Scored {
    /** ln of the forecast hours at P10, P50, P80, P90. */
    q: readonly number[];
    /** ln actual hours. */
    y: number;
    /** ln estimated hours (the raw bottom-up estimate). */
    e: number;
    /** Weight of the item in every figure (default 1): the project backtest's censoring weight. */
    w?: number;
    /**
     * The forecast hours at P10, P50, P80, P90, the actual and the estimate, as reported: when given, inside, ≤ P80 and
     * the relative error compare these, so that anyone rescoring the reported numbers finds the same figures
     * (exp(ln h) need not be h to the last bit, and a quantile may sit exactly on a past item's value).
     */
    hours?: readonly number[];
    actual?: number;
    estimate?: number;
}

export interface Figures {
    /** Items (or projects) scored. */
    n: number;
    /** Share of actuals inside [P10, P90], bounds included. Target 0.8. */
    coverage_p10_p90: number;
    /** Share of actuals ≤ P80. Target 0.8. */
    share_le_p80: number;
    /** Share of actuals below P10 and above P90 (the two ways of missing). */
    below_p10: number;
    above_p90: number;
    /** Mean pinball loss on log hours, averaged over P10, P50 and P90. */
    pinball: number;
    /** Median of |P50 − actual| / actual. */
    mdre_p50: number;
    /** Median of |estimate − actual| / actual (the raw estimate, for comparison). */
    mdre_estimate: number;
}

/**
 * The figures of scored forecasts: shares, mean pinball loss and median relative errors, each weighted by the
 * items' `w` when they carry one (n stays the count of items).
 */
export function figures(scored: readonly Scored[]): Figures {
    const n = scored.length;
    if (n === 0) {
        return { n: 0, coverage_p10_p90: NaN, share_le_p80: NaN, below_p10: NaN, above_p90: NaN, pinball: NaN, mdre_p50: NaN, mdre_estimate: NaN };
    }
    const weighted = scored.some((s) => s.w !== undefined && s.w !== 1);
    let total = 0;
    let inside = 0;
    let le80 = 0;
    let below = 0;
    let above = 0;
    let loss = 0;
    const reP50 = new Array<number>(n);
    const reEst = new Array<number>(n);
    const ws = new Array<number>(n);
    for (let i = 0; i < n; i++) {
        const { q, y, e, hours } = scored[i]!;
        const w = scored[i]!.w ?? 1;
        const q10 = q[0]!;
        const q50 = q[1]!;
        const q90 = q[3]!;
        // Compared as reported when the hours are given, else on the log scale.
        const h = hours ?? q;
        const a = hours ? scored[i]!.actual! : y;
        total += w;
        if (a < h[0]!) below += w;
        else if (a > h[3]!) above += w;
        else inside += w;
        if (a <= h[2]!) le80 += w;
        loss += w * (pinball(y, q10, 0.1) + pinball(y, q50, 0.5) + pinball(y, q90, 0.9));
        const actual = hours ? a : Math.exp(y);
        reP50[i] = Math.abs((hours ? h[1]! : Math.exp(q50)) - actual) / actual;
        reEst[i] = Math.abs((hours ? scored[i]!.estimate! : Math.exp(e)) - actual) / actual;
        ws[i] = w;
    }
    return {
        n,
        coverage_p10_p90: inside / total,
        share_le_p80: le80 / total,
        below_p10: below / total,
        above_p90: above / total,
        pinball: loss / (3 * total),
        mdre_p50: weighted ? weightedMedian(reP50, ws) : median(reP50),
        mdre_estimate: weighted ? weightedMedian(reEst, ws) : median(reEst),
    };
}

/** The value where the cumulative weight reaches half the total (midway between two values when it lands exactly on half). */
export function weightedMedian(values: readonly number[], weights: readonly number[]): number {
    const idx = values.map((_, i) => i).sort((a, b) => values[a]! - values[b]!);
    const half = weights.reduce((a, w) => a + w, 0) / 2;
    let acc = 0;
    for (let k = 0; k < idx.length; k++) {
        acc += weights[idx[k]!]!;
        if (Math.abs(acc - half) < 1e-12 * half && k + 1 < idx.length) return (values[idx[k]!]! + values[idx[k + 1]!]!) / 2;
        if (acc > half) return values[idx[k]!]!;
    }
    return values[idx[idx.length - 1]!]!;
}
