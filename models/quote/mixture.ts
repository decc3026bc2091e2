/**
 * Quantiles of a work item's forecast distribution (backtest.ts steps 3–4): a mixture of the recency-weighted
 * distributions of its reference classes, read with ties broken at random. One reader per set of class
 * distributions (with recency weights, or with every past item weighing 1); a forecaster picks which of the
 * item's classes take part (setWeights) and reads the levels it needs (read).
 */
import type { WeightedValues } from './ratio-distribution.ts';

export interface MixtureOptions {
    /** A value holding at least this share of the mixture is a tie broken at random. */
    heavyAtom: number;
    /** How far (log units) a quantile moves off a value to leave it outside: the neighbouring value if closer. */
    nudge: number;
}

/** At most this many classes in an item's chain (root included). */
export const MAX_CHAIN = 16;

export class MixtureReader {
    private readonly nodes: readonly WeightedValues[];
    private readonly root: WeightedValues;
    private readonly values: Float64Array;
    private readonly o: MixtureOptions;
    /** Per chain position: the weight of one unit of that class's distribution in the mixture (0 = not used). */
    private readonly coef = new Float64Array(MAX_CHAIN);
    private readonly from = new Int32Array(MAX_CHAIN);
    private readonly to = new Int32Array(MAX_CHAIN);
    private readonly atom = new Float64Array(1);
    private atIndexMass = 0;
    private heavy = false;

    constructor(nodes: readonly WeightedValues[], o: MixtureOptions) {
        this.nodes = nodes;
        this.root = nodes[0]!;
        this.values = this.root.values;
        this.o = o;
    }

    /**
     * Step 3: Dirichlet-process weights over the chain positions in `use` (the root always takes part), from the
     * most specific class up: G_k = (n_k·F_k + κ·G_{k−1}) / (n_k + κ), n_k = the class's weight × `decay` (its
     * weight in items, the latest item weighing 1). Returns the mixture's effective size: how many equally
     * weighted past items the forecast is worth, for the predictive levels and the P50's band. W = 1 / Σ_k a_k²/m_k
     * (a_k the share of class k, m_k its Kish effective size) counts the classes as if disjoint, which holds for
     * a small class inside a big parent; nested classes share items, so W is capped at the root's size.
     */
    setWeights(chain: Int32Array, use: readonly boolean[], kappa: number, decay: number): number {
        let carry = 1;
        let inverse = 0;
        for (let k = chain.length - 1; k >= 1; k--) {
            const node = this.nodes[chain[k]!]!;
            if (!use[k] || !(node.total > 0)) {
                this.coef[k] = 0;
                continue;
            }
            const neff = node.total * decay;
            const w = neff / (neff + kappa);
            const share = carry * w;
            this.coef[k] = share / node.total;
            inverse += (share * share) / node.effective();
            carry *= 1 - w;
        }
        this.coef[0] = carry / this.root.total;
        inverse += (carry * carry) / this.root.effective();
        return Math.min(1 / inverse, this.root.effective());
    }

    /** The mixture's CDF G at root value i; its weight at that value goes to atIndexMass. */
    private cdfAt(chain: Int32Array, i: number, narrowed: boolean): number {
        const v = this.values[i]!;
        let F = this.coef[0]! * this.root.prefix(i + 1);
        let m = this.coef[0]! * this.root.mass[i]!;
        for (let k = 1; k < chain.length; k++) {
            if (this.coef[k] === 0) continue;
            const node = this.nodes[chain[k]!]!;
            F += this.coef[k]! * node.cdfAndMassWithin(v, narrowed ? this.from[k]! : 0, narrowed ? this.to[k]! : node.values.length, this.atom);
            m += this.coef[k]! * this.atom[0]!;
        }
        this.atIndexMass = m;
        return F;
    }

    /** The first root value index i with G(value_i) ≥ target (D when none). */
    private firstIndex(chain: Int32Array, target: number): number {
        const D = this.values.length;
        // At the ends: the smallest / largest value of past items (never one only a later item has).
        if (target <= 0) return this.root.lowerBound(this.supportAbove(chain, -Infinity));
        if (target > 1 - 1e-12) return target > 1 + 1e-12 ? D : this.root.lowerBound(this.supportBelow(chain, Infinity));
        // The mixture's quantile lies between the smallest and the largest of its parts' quantiles: bisect
        // over the values in that bracket, each part's rank search narrowed to the bracket too.
        let lo = Infinity;
        let hi = -Infinity;
        for (let k = 0; k < chain.length; k++) {
            if (this.coef[k] === 0) continue;
            const node = this.nodes[chain[k]!]!;
            const v = node.quantileAt(target * node.total);
            if (v < lo) lo = v;
            if (v > hi) hi = v;
        }
        let a = this.root.lowerBound(lo);
        let b = this.root.lowerBound(hi);
        for (let k = 1; k < chain.length; k++) {
            if (this.coef[k] === 0) continue;
            const node = this.nodes[chain[k]!]!;
            this.from[k] = node.lowerBound(lo);
            this.to[k] = node.upperBound(hi);
        }
        const goal = target - 1e-12;
        while (a < b) {
            const mid = (a + b) >>> 1;
            if (this.cdfAt(chain, mid, true) >= goal) b = mid;
            else a = mid + 1;
        }
        return a;
    }

    /** w_i = G(value_i−) + u·(mass at value_i): the randomized PIT the item would have at value i. */
    private pitAt(chain: Int32Array, i: number, u: number): number {
        const G = this.cdfAt(chain, i, false);
        // Only a heavy value (a tie: several past items, ≥ heavyAtom of G) needs the random draw; a light one
        // takes its middle (randomness would only add pinball loss, which is convex).
        this.heavy = this.atIndexMass >= this.o.heavyAtom && this.root.countAt(i) >= 2;
        return G - (1 - (this.heavy ? u : 0.5)) * this.atIndexMass;
    }

    /** The mixture's support (values of past items) just below / just above v. */
    private supportBelow(chain: Int32Array, v: number): number {
        let best = -Infinity;
        for (let k = 0; k < chain.length; k++) if (this.coef[k] !== 0) best = Math.max(best, this.nodes[chain[k]!]!.lastBelow(v));
        return best;
    }

    private supportAbove(chain: Int32Array, v: number): number {
        let best = Infinity;
        for (let k = 0; k < chain.length; k++) if (this.coef[k] !== 0) best = Math.min(best, this.nodes[chain[k]!]!.firstAbove(v));
        return best;
    }

    /** The mixture's plain τ-quantile: its first value whose cumulative weight reaches τ (no random tie-break: see read). */
    quantile(chain: Int32Array, tau: number): number {
        const i = this.firstIndex(chain, Math.min(1, Math.max(0, tau)));
        return i >= this.values.length ? this.supportBelow(chain, Infinity) : this.values[i]!;
    }

    /**
     * Step 4 with ties: the reported quantiles make "y above P_τ" happen exactly when the item's randomized
     * PIT w(y) = G(y−) + u·P(y) exceeds the level (and "y below the first level" when it is below it), so a value
     * shared by many past items (actual = estimate for most tasks of a Jira export) is inside an interval only
     * as often as the levels say, not always. The item's draw u is shared by its levels, which keeps them
     * ordered; where the lower bound and an upper level bracket the same value from both sides they meet
     * half-way. Every reported value is a value of a past item, or just off one: nothing comes from the future.
     * levels[0] is the lower bound (P10), the others upper levels.
     */
    read(chain: Int32Array, levels: ArrayLike<number>, u: number, out: Float64Array): void {
        const D = this.values.length;
        const nudge = this.o.nudge;
        for (let j = 0; j < levels.length; j++) {
            const tau = levels[j]!;
            if (j === 0) {
                // P10: the first value whose PIT reaches the level.
                const i = this.firstIndex(chain, tau);
                if (i >= D) out[j] = this.supportBelow(chain, Infinity) + nudge;
                else if (this.pitAt(chain, i, u) >= tau) out[j] = this.values[i]!;
                else {
                    const next = this.supportAbove(chain, this.values[i]!);
                    out[j] = Math.min(next, this.heavy || !Number.isFinite(next) ? this.values[i]! + nudge : Infinity);
                }
            } else {
                // Upper levels: the last value whose PIT stays within the level.
                const i = this.firstIndex(chain, tau + 2e-12);
                if (i >= D) out[j] = this.supportBelow(chain, Infinity);
                else if (!(this.pitAt(chain, i, u) > tau)) out[j] = this.values[i]!;
                else {
                    const prev = this.supportBelow(chain, this.values[i]!);
                    out[j] = Math.max(prev, this.heavy || !Number.isFinite(prev) ? this.values[i]! - nudge : -Infinity);
                }
            }
        }
        // Upper levels below P10 all sit on the one value P10 brackets (both rules cannot hold for it otherwise).
        const low = out[0]!;
        let crossing = Infinity;
        for (let j = 1; j < levels.length; j++) if (out[j]! < low) crossing = Math.min(crossing, out[j]!);
        if (Number.isFinite(crossing)) {
            const mid = (crossing + low) / 2;
            for (let j = 1; j < levels.length; j++) if (out[j]! < low) out[j] = mid;
            out[0] = mid;
        }
    }
}
