/**
 * What the quote engine takes and gives (engine.ts has the method): a deal, the closed projects it is quoted
 * from, the options, and the result the quote routes serve (server/schemas/quotes.ts infers from these).
 */

export interface PlanLine {
    phase: string;
    role: string;
    estimated_hours: number;
}

export interface ClosedLine {
    phase: string;
    role: string;
    /** Baseline estimate; null or 0 for work the baseline did not plan. */
    estimated_hours: number | null;
    actual_hours: number;
}

export interface HistoryProject {
    project_id: string;
    project_type: string;
    billing_model?: string | null;
    /** ISO dates YYYY-MM-DD. A project is in a deal's history once end_date < the deal's as_of. */
    start_date: string;
    end_date: string;
    lines: ClosedLine[];
}

export interface Deal {
    project_type: string;
    billing_model?: string | null;
    lines: PlanLine[];
    /** Hourly cost by role. Every role of the deal's lines needs one. */
    cost_rates: Record<string, number>;
    /** Target margin as a fraction of price, 0 ≤ m < 1 (0.3 = 30 %). */
    target_margin: number;
    /** Probability of reaching the target margin the price must give, 0 < c < 1 (e.g. 0.8). */
    confidence: number;
    /** A proposed price to evaluate (optional). */
    price?: number | null;
    /** The deal's date (YYYY-MM-DD): only projects that ended before it are used. Default: all history. */
    as_of?: string | null;
}

/**
 * Level offsets δ at `levels`, learnt by backtestProjects (see QuantileTracker): per project_type (the firm-wide
 * offset plus the type's own), and firm-wide alone for a type the backtest has not scored.
 */
export interface Calibration {
    levels: number[];
    offsets: Record<string, number[]>;
    firm?: number[];
    /**
     * The P50 where the raw estimate lies outside the median's band (step 5c): 'median' once the backtest has
     * shown the median the better point there, else (and when absent) 'estimate'.
     */
    p50?: 'median' | 'estimate';
}

export interface QuoteOptions {
    simulations?: number;
    seed?: number;
    /** Recency: a project that closed this many days before the deal weighs half. Infinity = no decay. */
    halfLifeDays?: number;
    minClassProjects?: number;
    minCellProjects?: number;
    minPhaseProjects?: number;
    calibration?: Calibration | null;
    histogramBins?: number;
    curvePoints?: number;
}

export const QUOTE_DEFAULTS = {
    simulations: 10_000,
    seed: 1,
    halfLifeDays: 730,
    minClassProjects: 20,
    minCellProjects: 5,
    minPhaseProjects: 5,
    histogramBins: 30,
    curvePoints: 41,
} as const;

export const UNPLANNED_PHASE = '(unplanned)';

export interface Quantiles {
    p10: number;
    p50: number;
    p80: number;
    p90: number;
    mean: number;
}

export type RatioLevel = 'phase_role' | 'phase' | 'project';
export type ReferenceLevel = 'project_type_billing_model' | 'project_type' | 'all';

export interface QuoteResult {
    reference: {
        level: ReferenceLevel;
        project_type: string | null;
        billing_model: string | null;
        projects: number;
        /** Kish effective sample size of the recency weights. */
        effective_projects: number;
        /** Closed projects in the history that had no baseline estimate and could not be used. */
        excluded_without_estimate: number;
        /**
         * Why the class is what it is (step 2): the usable closed projects (a baseline plan with hours, time
         * logged, ended before the deal) of the deal's type, and of its type and billing model, against the
         * minClassProjects a class needs on its own.
         */
        of_type: number;
        of_type_and_billing: number;
        min_class_projects: number;
    };
    lines: (PlanLine & { ratio_level: RatioLevel; reference_projects_with_cell: number })[];
    estimated_hours: number;
    hours: Quantiles;
    hours_by_phase: (Quantiles & { phase: string; estimated_hours: number })[];
    cost: Quantiles;
    price: { target_margin: number; confidence: number; price: number; at: { p50: number; p80: number; p90: number } };
    proposal: null | { price: number; p_margin_below_target: number; expected_margin: number; expected_margin_amount: number };
    /** Simulated total hours, read at predictive (and recalibrated) levels (step 5): equal-width bins over P0.5…P99.5, the tails counted in the end bins. */
    histogram: { from: number; to: number; count: number }[];
    /** Price vs probability that the margin reaches the target. */
    price_curve: { price: number; p_margin_at_least_target: number }[];
    simulations: number;
    seed: number;
    calibration_offsets: number[] | null;
}

export class QuoteError extends Error {
    constructor(message: string) {
        super(message);
        this.name = 'QuoteError';
    }
}

/** A closed project reduced to its ratios (step 1). Times are days since 1970-01-01. */
export interface PreparedProject {
    id: string;
    type: string;
    billing: string;
    start: number;
    end: number;
    estimate: number;
    actual: number;
    /** Σ planned actual / Σ estimate. */
    total: number;
    /** Unplanned actual / Σ estimate. */
    uplift: number;
    phase: Map<string, number>;
    cell: Map<string, number>;
    /** The baseline lines (estimate > 0): what the project would have been quoted from. */
    plan: PlanLine[];
}

export interface PreparedHistory {
    projects: PreparedProject[];
    excluded: number;
}
