/**
 * Scoring rules of the backtest. Everything is on log hours: a forecast quantile q and an actual y are
 * compared as ln q and ln y, so a 2× miss costs the same on a 1-hour task and on a 1,000-hour project.
 */
import { median } from 'simple-statistics';

/** The quantile levels every forecast reports. P80 is there because sales quotes at P80. */
export const LEVELS = [0.1, 0.5, 0.8, 0.9] as const;
/** Levels scored by the pinball loss (the issue: P10, P50, P90). */
export const PINBALL_LEVELS = [0.1, 0.5, 0.9] as const;

/**
 * Pinball (quantile) loss of forecast q at level tau for outcome y: tau·(y−q) when y ≥ q, else (1−tau)·(q−y).
 * Its expectation is minimised by the true tau-quantile, which is why it scores quantile forecasts.
 */
export function pinball(y: number, q: number, tau: number): number {
    const d = y - q;
    return d >= 0 ? tau * d : (tau - 1) * d;
}

/** One scored forecast: log quantiles at LEVELS, the log actual, and the raw estimate. */
export interface Scored {
    /** ln of the forecast hours at P10, P50, P80, P90. */
    q: readonly number[];
    /** ln actual hours. */
    y: number;
    /** ln estimated hours (the raw bottom-up estimate). */
    e: number;
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

export function figures(scored: readonly Scored[]): Figures {
    const n = scored.length;
    if (n === 0) {
        return { n: 0, coverage_p10_p90: NaN, share_le_p80: NaN, below_p10: NaN, above_p90: NaN, pinball: NaN, mdre_p50: NaN, mdre_estimate: NaN };
    }
    let inside = 0;
    let le80 = 0;
    let below = 0;
    let above = 0;
    let loss = 0;
    const reP50 = new Array<number>(n);
    const reEst = new Array<number>(n);
    for (let i = 0; i < n; i++) {
        const { q, y, e } = scored[i]!;
        const q10 = q[0]!;
        const q50 = q[1]!;
        const q80 = q[2]!;
        const q90 = q[3]!;
        if (y < q10) below++;
        else if (y > q90) above++;
        else inside++;
        if (y <= q80) le80++;
        loss += pinball(y, q10, 0.1) + pinball(y, q50, 0.5) + pinball(y, q90, 0.9);
        const actual = Math.exp(y);
        reP50[i] = Math.abs(Math.exp(q50) - actual) / actual;
        reEst[i] = Math.abs(Math.exp(e) - actual) / actual;
    }
    return {
        n,
        coverage_p10_p90: inside / n,
        share_le_p80: le80 / n,
        below_p10: below / n,
        above_p90: above / n,
        pinball: loss / (3 * n),
        mdre_p50: median(reP50),
        mdre_estimate: median(reEst),
    };
}
