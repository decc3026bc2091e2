/**
 * The fine grains the figures are computed at before a test sums them for its grouping and filters
 * (index.ts), and the one way a fact of a grain is made: on first use, at zero.
 */

/** What a piece of money is attributed to: a project and a month (first day), and the entry's work date if it bills one. */
export interface Part { project: string; month: string; weight: bigint; workDate?: string }

export interface Filters {
    client_id?: string;
    project_id?: string;
    project_type?: string;
    person_id?: string;
    role?: string;
    phase?: string;
    /** The API selects whole months (its marts are monthly): month ≥ the month of `from`, month ≤ `to`. */
    from?: string;
    to?: string;
}

export interface ProjectMonthFact {
    client_id: string;
    project_id: string;
    project_type: string;
    billing_model: string;
    month: string;
    /** std of all client entries (funnel stage 2). */
    tracked: bigint;
    /** std of billable client entries = standard value (stage 3). */
    standard: bigint;
    unbilled_meetings: bigint;
    unbilled_other: bigint;
    untracked: bigint;
    recognized: bigint;
    /** The leak below stage 3, standard − recognized, in its three parts (they add up to it). */
    budget_overrun: bigint;
    price_difference: bigint;
    awaiting_signoff: bigint;
    billed: bigint;
    /** The same invoice lines at the fx rate of the date their revenue was recognized at (stage 4's fx difference). */
    billed_at_recognition: bigint;
    credited: bigint;
    collected: bigint;
    cost: bigint;
    client_ticks: number;
    billable_ticks: number;
}

export interface UtilizationFact {
    person_id: string;
    role: string;
    week: string;
    month: string;
    capacity_ticks: number;
    billable_ticks: number;
    client_ticks: number;
    internal_ticks: number;
    all_ticks: number;
    /** min(week's logged, week's capacity) × this slice's capacity ÷ week's capacity, in ticks (fractional). */
    completeness_credit_ticks: number;
}

export interface PhaseFact {
    client_id: string;
    project_id: string;
    project_type: string;
    project_start: string;
    phase: string;
    /** Σ baseline estimated hours in ticks; null when the baseline has no line for the phase. */
    estimated_ticks: number | null;
    actual_ticks: number;
}

export interface RetainerMonth {
    client_id: string;
    project_id: string;
    project_type: string;
    month: string;
    included_ticks: number;
    billable_ticks: number;
    included_used_ticks: number;
    rollover_used_ticks: number;
    overage_ticks: number;
    fee: bigint;
    overage_amount: bigint;
    revenue: bigint;
}

export interface BurnRow {
    project_id: string;
    client_id: string;
    budget_ticks: number | null;
    hours_used_ticks: number;
    billable_hours_used_ticks: number;
}

/** The fact of `key` in `facts`, made by `make` (and kept) the first time it is asked for. */
export function factOf<F>(facts: Map<string, F>, key: string, make: () => F): F {
    let f = facts.get(key);
    if (!f) {
        f = make();
        facts.set(key, f);
    }
    return f;
}
