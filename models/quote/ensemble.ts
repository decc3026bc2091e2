/**
 * How the item backtest combines its forecasters (backtest.ts step 6): ML-Poly (Gaillard, Stoltz & van Erven
 * 2014) on linearized losses, the gradient trick of Wintenberger (2017) and of Berrisch & Ziel (2023) for
 * quantile forecasts. Per quantile level, the combined forecast is q̂ = Σ w_k q_k; after the outcome y, the
 * pinball loss's slope g at q̂ (1 − τ below, −τ above) makes r_k = g·(q̂ − q_k) the regret against forecaster
 * k, and w_k ∝ η_k·(R_k)₊ with R_k = Σ r_k and η_k = 1/(1 + Σ r_k²); the weights are equal while no R_k is
 * positive. The pinball loss being convex in the forecast, this competes with the best fixed convex combination
 * of the forecasters, not only with the best one — a plain rule and the full method averaged can beat both —
 * with no learning rate to tune: the data set every weight, from the past only.
 */
import { SortedSample } from './ratio-distribution.ts';

export class MLPoly {
    readonly experts: number;
    private readonly regret: Float64Array;
    private readonly squares: Float64Array;

    constructor(experts: number) {
        this.experts = experts;
        this.regret = new Float64Array(experts);
        this.squares = new Float64Array(experts);
    }

    /** The current weights (summing to 1) into out. */
    weights(out: Float64Array): Float64Array {
        let sum = 0;
        for (let k = 0; k < this.experts; k++) {
            const w = Math.max(0, this.regret[k]!) / (1 + this.squares[k]!);
            out[k] = w;
            sum += w;
        }
        for (let k = 0; k < this.experts; k++) out[k] = sum > 0 ? out[k]! / sum : 1 / this.experts;
        return out;
    }

    /** g: the loss's slope at the combined forecast qhat; q: the forecasters' forecasts. */
    update(g: number, q: ArrayLike<number>, qhat: number): void {
        for (let k = 0; k < this.experts; k++) {
            const r = g * (qhat - q[k]!);
            this.regret[k]! += r;
            this.squares[k]! += r * r;
        }
    }
}

/** Count of values ≤ t in a sorted sample. */
function countAtMost(s: SortedSample, t: number): number {
    const v = s.view();
    let lo = 0;
    let hi = s.n;
    while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (v[mid]! <= t) lo = mid + 1;
        else hi = mid;
    }
    return lo;
}

function medianOf(s: SortedSample): number {
    const v = s.view();
    return s.n % 2 ? v[(s.n - 1) / 2]! : (v[s.n / 2 - 1]! + v[s.n / 2]!) / 2;
}

/**
 * Whether the forecast's median has shown, on past outcomes, that it is a better point than the raw estimate
 * where the two differ (engine.ts step 5c: the estimate outside the median's band). The criterion is the
 * P50's own: its median relative error. With t halfway between the two past medians of relative errors, the
 * median gains the outcomes it has within t and the estimate has not (G) and loses the reverse (L); it has
 * shown it when G − L > z·√(G + L), McNemar's test at z = 2 standard errors. G − L = #{e_median ≤ t} −
 * #{e_estimate ≤ t} and G + L = that sum less twice #{max(e_median, e_estimate) ≤ t}: rank counts in sorted
 * samples, O(log n) per decision.
 */
export class P50Gate {
    private readonly median = new SortedSample(64);
    private readonly estimate = new SortedSample(64);
    private readonly both = new SortedSample(64);
    private readonly z: number;

    constructor(z = 2) {
        this.z = z;
    }

    get open(): boolean {
        if (this.estimate.n === 0) return false;
        const t = (medianOf(this.median) + medianOf(this.estimate)) / 2;
        const cm = countAtMost(this.median, t);
        const ce = countAtMost(this.estimate, t);
        return cm - ce > this.z * Math.sqrt(cm + ce - 2 * countAtMost(this.both, t));
    }

    /** Learns one outcome: m the median's log ratio to the estimate, y the actual's (both ln(· / estimate)). */
    update(m: number, y: number): void {
        const em = Math.abs(Math.exp(m - y) - 1);
        const ee = Math.abs(Math.exp(-y) - 1);
        this.median.add(em);
        this.estimate.add(ee);
        this.both.add(Math.max(em, ee));
    }
}
