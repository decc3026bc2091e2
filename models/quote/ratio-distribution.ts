/**
 * The building blocks of the work-item forecaster (backtest.ts): recency-weighted empirical distributions
 * of log(actual / estimate) that can be added to one item at a time and queried in O(log n), and the online
 * quantile tracker that recalibrates them.
 *
 * simple-statistics has no weighted or incremental quantile, so the weighted inverse CDF is a Fenwick-tree
 * descent here; unweighted quantiles of sorted samples (the baselines, the simulation) use its
 * quantileSorted.
 */

/**
 * Weighted counts over a fixed, sorted set of distinct values (a Fenwick tree): the values a backtest will
 * ever insert are known up front, their weights arrive one item at a time. Weights only matter relative to
 * each other, so the whole tree may be rescaled (recency decay) without changing any quantile.
 */
export class WeightedValues {
    readonly values: Float64Array;
    /** Weight at each value (the atoms). */
    readonly mass: Float64Array;
    private readonly tree: Float64Array;
    /** Fenwick tree of how many items sit at each value (exact, unaffected by decay). */
    private readonly counts: Int32Array;
    private readonly top: number;
    total = 0;
    count = 0;
    /** Σ of the squared weights (for the Kish effective size). */
    private squares = 0;

    constructor(values: Float64Array) {
        this.values = values;
        this.tree = new Float64Array(values.length + 1);
        this.mass = new Float64Array(values.length);
        this.counts = new Int32Array(values.length + 1);
        let top = 1;
        while (top * 2 <= values.length) top *= 2;
        this.top = top;
    }

    /** Index of the first value ≥ v. */
    lowerBound(v: number): number {
        let lo = 0;
        let hi = this.values.length;
        while (lo < hi) {
            const mid = (lo + hi) >>> 1;
            if (this.values[mid]! < v) lo = mid + 1;
            else hi = mid;
        }
        return lo;
    }

    /** Index of the first value > v. */
    upperBound(v: number): number {
        let lo = 0;
        let hi = this.values.length;
        while (lo < hi) {
            const mid = (lo + hi) >>> 1;
            if (this.values[mid]! <= v) lo = mid + 1;
            else hi = mid;
        }
        return lo;
    }

    add(value: number, weight: number): void {
        const at = this.lowerBound(value);
        if (this.values[at] !== value) throw new Error(`value ${value} is not one of this distribution's values`);
        for (let i = at + 1; i < this.tree.length; i += i & -i) this.tree[i]! += weight;
        this.mass[at]! += weight;
        for (let i = at + 1; i < this.counts.length; i += i & -i) this.counts[i]!++;
        this.total += weight;
        this.squares += weight * weight;
        this.count++;
    }

    /** Kish effective size (Σw)² / Σw²: how many equally weighted items the weighted ones are worth. */
    effective(): number {
        return this.squares > 0 ? (this.total * this.total) / this.squares : 0;
    }

    scale(factor: number): void {
        for (let i = 1; i < this.tree.length; i++) this.tree[i]! *= factor;
        for (let i = 0; i < this.mass.length; i++) this.mass[i]! *= factor;
        this.total *= factor;
        this.squares *= factor * factor;
    }

    /** Σ weights of the values ≤ v. */
    cdf(v: number): number {
        return this.prefix(this.upperBound(v));
    }

    /** Σ weights of the first k values. */
    prefix(k: number): number {
        let s = 0;
        for (let i = k; i > 0; i -= i & -i) s += this.tree[i]!;
        return s;
    }

    /**
     * Σ weights of the values ≤ v, and the weight at v itself, when the caller knows that
     * from ≤ upperBound(v) ≤ to (a narrowed search). Returns the cdf; the weight at v goes to `atom[0]`.
     */
    cdfAndMassWithin(v: number, from: number, to: number, atom: Float64Array): number {
        let lo = from;
        let hi = to;
        while (lo < hi) {
            const mid = (lo + hi) >>> 1;
            if (this.values[mid]! <= v) lo = mid + 1;
            else hi = mid;
        }
        atom[0] = lo > 0 && this.values[lo - 1] === v ? this.mass[lo - 1]! : 0;
        return this.prefix(lo);
    }

    private countPrefix(k: number): number {
        let s = 0;
        for (let i = k; i > 0; i -= i & -i) s += this.counts[i]!;
        return s;
    }

    /** How many items were added at the index-th value. */
    countAt(index: number): number {
        return this.countPrefix(index + 1) - this.countPrefix(index);
    }

    /** The k-th smallest value added so far (1-based, counting items). */
    private kth(k: number): number {
        return this.values[this.descend(this.counts, k)]!;
    }

    /** Binary lifting down a Fenwick tree: the last position whose prefix sum in `tree` stays below `target`. */
    private descend(tree: ArrayLike<number>, target: number): number {
        let pos = 0;
        let rem = target;
        for (let step = this.top; step > 0; step >>= 1) {
            const next = pos + step;
            if (next < tree.length && tree[next]! < rem) {
                pos = next;
                rem -= tree[next]!;
            }
        }
        return pos;
    }

    /** The largest value added so far that is < v, or −Infinity. */
    lastBelow(v: number): number {
        const c = this.countPrefix(this.lowerBound(v));
        return c > 0 ? this.kth(c) : -Infinity;
    }

    /** The smallest value added so far that is > v, or +Infinity. */
    firstAbove(v: number): number {
        const c = this.countPrefix(this.upperBound(v));
        return c < this.count ? this.kth(c + 1) : Infinity;
    }

    /** The smallest value whose cumulative weight reaches `target` (inverse of the weighted empirical CDF). */
    quantileAt(target: number): number {
        const pos = this.descend(this.tree, target * (1 - 1e-12));
        return this.values[Math.min(pos, this.values.length - 1)]!;
    }
}

/**
 * Adaptive conformal inference (Gibbs & Candès 2021) on the quantile levels, one state per key (class).
 * The forecast for nominal level τ is read at the adjusted level τ + δ_τ; after each outcome δ moves by
 * δ_τ += γ·(1{y > q_τ} − (1 − τ)) for the upper quantiles (P50, P80, P90) and δ_τ += γ·(τ − 1{y < q_τ}) for
 * the lower bound P10. Whatever the base forecast, the long-run share of misses then tends to its nominal
 * value for every key — |mean miss rate − (1 − τ)| ≤ (max|δ| + γ)/(γ·T) — which is what holds coverage per
 * class when estimation habits drift. backtestItems and backtestProjects both use it.
 */
export class QuantileTracker {
    readonly levels: readonly number[];
    private readonly offsets = new Map<string, Float64Array>();
    private readonly zero: Float64Array;

    /** Per level: whether it is recalibrated (a level read otherwise, such as a plain median, keeps δ = 0). */
    private readonly tracked: readonly boolean[];

    constructor(levels: readonly number[], tracked: readonly boolean[] = levels.map(() => true)) {
        this.levels = levels;
        this.tracked = tracked;
        this.zero = new Float64Array(levels.length);
    }

    get(key: string): Float64Array {
        return this.offsets.get(key) ?? this.zero;
    }

    /** y: the outcome; q: the forecast that was reported for it (offsets included). The first level is the lower bound. */
    update(key: string, y: number, q: ArrayLike<number>, step: number): void {
        let theta = this.offsets.get(key);
        if (!theta) {
            theta = new Float64Array(this.levels.length);
            this.offsets.set(key, theta);
        }
        for (let j = 0; j < this.levels.length; j++) {
            if (!this.tracked[j]) continue;
            const tau = this.levels[j]!;
            if (j === 0) theta[j]! += step * (tau - (y < q[j]! ? 1 : 0));
            else theta[j]! += step * ((y > q[j]! ? 1 : 0) - (1 - tau));
        }
    }

    /** Offsets by key, for saving with a calibration. */
    snapshot(): Record<string, number[]> {
        const out: Record<string, number[]> = {};
        for (const [k, v] of [...this.offsets].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) out[k] = Array.from(v);
        return out;
    }
}

/** Sorts a few numbers in place (monotone rearrangement of quantiles: never increases the pinball loss). */
export function rearrange(q: Float64Array | number[]): void {
    for (let i = 1; i < q.length; i++) {
        const v = q[i]!;
        let j = i - 1;
        while (j >= 0 && q[j]! > v) {
            q[j + 1] = q[j]!;
            j--;
        }
        q[j + 1] = v;
    }
}

/** Keeps a growing sorted sample (insertion by binary search: memmove-fast at these sizes). */
export class SortedSample {
    private data: Float64Array;
    n = 0;
    constructor(capacity: number) {
        this.data = new Float64Array(Math.max(1, capacity));
    }
    add(v: number): void {
        if (this.n === this.data.length) {
            const bigger = new Float64Array(this.data.length * 2);
            bigger.set(this.data);
            this.data = bigger;
        }
        let lo = 0;
        let hi = this.n;
        while (lo < hi) {
            const mid = (lo + hi) >>> 1;
            if (this.data[mid]! <= v) lo = mid + 1;
            else hi = mid;
        }
        this.data.copyWithin(lo + 1, lo, this.n);
        this.data[lo] = v;
        this.n++;
    }
    view(): Float64Array {
        return this.data.subarray(0, this.n);
    }
}
