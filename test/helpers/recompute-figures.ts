/**
 * test/server/recompute.test.ts's side of the comparison: the API's figures recomputed from the canonical
 * CSVs (test/helpers/recompute/) as each route groups them, and the comparison of an answer with them, by
 * the kind of each figure (money to the cent, sums of figures as answered, hours, ratios).
 */
import { hours, money, Recomputation, TICKS_PER_HOUR, type Filters, type ProjectMonthFact, type UtilizationFact } from './recompute/index.ts';

/**
 * cents: money, which the API answers rounded to the cent (lib/money.ts; a metric's money measures, and a money
 * ratio such as the effective billable rate, as their .yml's `money:` says), so the exact figure rounded; sum: money
 * the API answers as the sum or difference of two figures as answered (the .yml's `sums:`: margin = revenue − cost,
 * net billed = billed − credited, a retainer's revenue = fee + overage), so that they add up on screen: within a
 * cent of the exact figure, since each of the two is within half a cent; hours;
 * credit: hours the warehouse rounds to 6 decimals per person-week slice before summing (timesheet-completeness
 * credit); ratio.
 */
type Kind = 'cents' | 'sum' | 'hours' | 'credit' | 'ratio';
type Value = number | null;
export type Row = Record<string, string | number | null>;

export function agree(kind: Kind, api: Value, mine: Value): boolean {
    if (kind === 'ratio') {
        // a ratio of sums of money kept to 6 decimals (the warehouse's entry values) is as exact as they are
        if (api === null || mine === null) return api === mine;
        return Math.abs(api - mine) <= 1e-6 * Math.max(1, Math.abs(mine));
    }
    // a sum over nothing is 0 on both sides, whichever way it is written
    const a = api ?? 0;
    const m = mine ?? 0;
    // cents: the API's figure is the exact one rounded to the cent (the 1e-6 absorbs binary floating point at
    // a half cent)
    return Math.abs(a - m) <= { cents: 0.005 + 1e-6, sum: 0.01 + 1e-6, hours: 1e-6, credit: 1e-5 }[kind];
}

/** Every disagreement between API rows and recomputed rows (keyed the same way), named. */
export function disagreements(what: string, api: Row[], keys: string[], mine: Map<string, Record<string, Value>>, fields: Record<string, Kind>): string[] {
    const out: string[] = [];
    const apiByKey = new Map(api.map((r) => [keys.map((k) => String(r[k])).join(' × '), r]));
    for (const key of new Set([...apiByKey.keys(), ...mine.keys()])) {
        const a = apiByKey.get(key);
        const m = mine.get(key);
        for (const [field, kind] of Object.entries(fields)) {
            const av = a ? ((a[field] ?? null) as Value) : null;
            const mv = m ? (m[field] ?? null) : null;
            if (!agree(kind, av, mv)) {
                out.push(`${what} [${key || 'all'}] ${field}: API ${a ? av : '(no row)'} ≠ recomputed ${m ? mv : '(no row)'}`);
            }
        }
    }
    return out;
}

export const ratio = (num: number, den: number): Value => (den === 0 ? null : num / den);

/** Sums rows into groups; `add` folds one row into its group's accumulator. */
function groupRows<R, A>(rows: readonly R[], key: (r: R) => string, init: () => A, add: (acc: A, r: R) => void): Map<string, A> {
    const out = new Map<string, A>();
    for (const r of rows) {
        const k = key(r);
        let acc = out.get(k);
        if (!acc) {
            acc = init();
            out.set(k, acc);
        }
        add(acc, r);
    }
    return out;
}

/** Adds a row's figures into a group's sums, field by field: every field the sums keep (money to money, ticks to ticks). */
function addInto<S extends { [K in keyof S]: bigint | number }>(acc: S, row: S): void {
    for (const k of Object.keys(acc) as (keyof S)[]) {
        const sum: bigint | number = acc[k];
        acc[k] = (typeof sum === 'bigint' ? sum + (row[k] as bigint) : sum + (row[k] as number)) as S[keyof S];
    }
}

const mapValues = <A, B>(m: Map<string, A>, f: (a: A) => B): Map<string, B> => new Map([...m].map(([k, v]) => [k, f(v)]));

// ---------------------------------------------------------------- the recomputed figures, grouped as the API groups them

export type FinanceDim = 'month' | 'client' | 'project' | 'project_type';
const financeKey = (dims: FinanceDim[]) => (f: ProjectMonthFact): string =>
    dims.map((d) => ({ month: f.month, client: f.client_id, project: f.project_id, project_type: f.project_type })[d]).join(' × ');

interface FinanceSums {
    standard: bigint; tracked: bigint; unbilled_meetings: bigint; unbilled_other: bigint; untracked: bigint; recognized: bigint;
    budget_overrun: bigint; price_difference: bigint; awaiting_signoff: bigint;
    billed: bigint; billed_at_recognition: bigint; credited: bigint; collected: bigint; cost: bigint; client_ticks: number; billable_ticks: number;
}
const noSums = (): FinanceSums => ({
    standard: 0n, tracked: 0n, unbilled_meetings: 0n, unbilled_other: 0n, untracked: 0n, recognized: 0n,
    budget_overrun: 0n, price_difference: 0n, awaiting_signoff: 0n, billed: 0n, billed_at_recognition: 0n, credited: 0n, collected: 0n, cost: 0n, client_ticks: 0, billable_ticks: 0,
});
function financeSums(r: Recomputation, dims: FinanceDim[], f: Filters): Map<string, FinanceSums> {
    return groupRows(
        r.projectMonthsIn(f),
        financeKey(dims),
        noSums,
        addInto,
    );
}

export const REALIZATION_FIELDS: Record<string, Kind> = {
    standard_value: 'cents', billed_value: 'cents', credited_value: 'cents', net_billed_value: 'sum', collected_value: 'cents',
    billing_realization: 'ratio', collection_realization: 'ratio', overall_realization: 'ratio',
};
export function realization(r: Recomputation, dims: FinanceDim[], f: Filters) {
    return mapValues(financeSums(r, dims, f), (s) => {
        const netBilled = s.billed - s.credited;
        return {
            standard_value: money(s.standard), billed_value: money(s.billed), credited_value: money(s.credited),
            net_billed_value: money(netBilled), collected_value: money(s.collected),
            billing_realization: ratio(money(s.billed), money(s.standard)),
            collection_realization: ratio(money(s.collected), money(netBilled)),
            overall_realization: ratio(money(s.collected), money(s.standard)),
        };
    });
}

export const MARGIN_FIELDS: Record<string, Kind> = {
    revenue: 'cents', cost: 'cents', margin: 'sum', client_hours: 'hours', billable_hours: 'hours', margin_pct: 'ratio', effective_billable_rate: 'cents',
};
export function margin(r: Recomputation, dims: FinanceDim[], f: Filters) {
    return mapValues(financeSums(r, dims, f), (s) => ({
        revenue: money(s.recognized), cost: money(s.cost), margin: money(s.recognized - s.cost),
        client_hours: hours(s.client_ticks), billable_hours: hours(s.billable_ticks),
        margin_pct: ratio(money(s.recognized - s.cost), money(s.recognized)),
        effective_billable_rate: ratio(money(s.recognized), hours(s.client_ticks)),
    }));
}

export const BURN_FIELDS: Record<string, Kind> = { hours_used: 'hours', billable_hours_used: 'hours', budget_hours: 'hours', burn: 'ratio' };
export function burnFigures(r: Recomputation): Map<string, Record<string, Value>> {
    return new Map(
        r.burn.map((b) => [
            b.project_id,
            {
                hours_used: hours(b.hours_used_ticks),
                billable_hours_used: hours(b.billable_hours_used_ticks),
                budget_hours: b.budget_ticks === null ? null : hours(b.budget_ticks),
                burn: b.budget_ticks ? b.hours_used_ticks / b.budget_ticks : null,
            },
        ]),
    );
}

export type UtilDim = 'month' | 'week' | 'role' | 'person';
export const UTILIZATION_FIELDS: Record<string, Kind> = {
    capacity_hours: 'hours', billable_hours: 'hours', client_hours: 'hours', internal_hours: 'hours', all_hours: 'hours', completeness_credit_hours: 'credit',
    utilization: 'ratio', logged_utilization: 'ratio', billable_ratio: 'ratio', timesheet_completeness: 'ratio',
};
export function utilization(r: Recomputation, dims: UtilDim[], f: Filters) {
    const sums = groupRows(
        r.utilizationIn(f),
        (x: UtilizationFact) => dims.map((d) => ({ month: x.month, week: x.week, role: x.role, person: x.person_id })[d]).join(' × '),
        () => ({ capacity_ticks: 0, billable_ticks: 0, client_ticks: 0, internal_ticks: 0, all_ticks: 0, completeness_credit_ticks: 0 }),
        addInto,
    );
    return mapValues(sums, (s) => ({
        capacity_hours: hours(s.capacity_ticks), billable_hours: hours(s.billable_ticks), client_hours: hours(s.client_ticks),
        internal_hours: hours(s.internal_ticks), all_hours: hours(s.all_ticks), completeness_credit_hours: s.completeness_credit_ticks / TICKS_PER_HOUR,
        utilization: ratio(s.billable_ticks, s.capacity_ticks), logged_utilization: ratio(s.all_ticks, s.capacity_ticks),
        billable_ratio: ratio(s.billable_ticks, s.all_ticks), timesheet_completeness: ratio(s.completeness_credit_ticks, s.capacity_ticks),
    }));
}

export const ESTIMATE_FIELDS: Record<string, Kind> = { estimated_hours: 'hours', actual_hours: 'hours', ratio: 'ratio' };
export function estimateVsActual(r: Recomputation, f: Filters) {
    return new Map(
        r.phasesIn(f).map((p) => [
            `${p.project_id} × ${p.phase}`,
            {
                estimated_hours: p.estimated_ticks === null ? null : hours(p.estimated_ticks),
                actual_hours: hours(p.actual_ticks),
                ratio: p.estimated_ticks ? p.actual_ticks / p.estimated_ticks : null,
            },
        ]),
    );
}

export const STAGES = ['potential_value', 'tracked_value', 'billable_value', 'recognized_revenue', 'billed_value', 'net_billed_value', 'collected_value'] as const;
export const LEAKS = ['untracked', 'unbilled_meetings', 'unbilled_other', 'overrun', 'not_invoiced', 'fx_difference', 'credited', 'uncollected'] as const;
/** The overrun's parts, in the order the funnel lists them (they add up to it). */
export const OVERRUN_PARTS = ['budget_overrun', 'price_difference', 'awaiting_signoff'] as const;
export function funnel(r: Recomputation, f: Filters) {
    const s = financeSums(r, [], f).get('') ?? noSums();
    const stages: Record<(typeof STAGES)[number], bigint> = {
        potential_value: s.tracked + s.untracked,
        tracked_value: s.tracked,
        billable_value: s.standard,
        recognized_revenue: s.recognized,
        billed_value: s.billed,
        net_billed_value: s.billed - s.credited,
        collected_value: s.collected,
    };
    const leaks: Record<(typeof LEAKS)[number], bigint> = {
        untracked: s.untracked,
        unbilled_meetings: s.unbilled_meetings,
        unbilled_other: s.unbilled_other,
        overrun: s.standard - s.recognized,
        // not yet invoiced at the rates the revenue was recognized at; the fx difference is the rest
        not_invoiced: s.recognized - s.billed_at_recognition,
        fx_difference: s.billed_at_recognition - s.billed,
        credited: s.credited,
        uncollected: s.billed - s.credited - s.collected,
    };
    // the leak below stage 3 in its parts, which add up to it
    const overrunParts: Record<(typeof OVERRUN_PARTS)[number], bigint> = {
        budget_overrun: s.budget_overrun, price_difference: s.price_difference, awaiting_signoff: s.awaiting_signoff,
    };
    return { stages, leaks, overrunParts, cost: s.cost, clientTicks: s.client_ticks };
}

export interface FunnelBody {
    stages: { key: string; amount: number }[];
    leaks: { key: string; amount: number; parts?: { key: string; amount: number }[] }[];
    cost: number;
    realized_margin: number;
    client_hours: number;
    reconciles: { potential_less_leaks: number; collected: number };
}

/** Every disagreement between GET /api/funnel's answer and the recomputed funnel of the same scope. */
export function funnelDisagreements(url: string, body: FunnelBody, mine: ReturnType<typeof funnel>): string[] {
    const problems: string[] = [];
    const stage = (k: string) => body.stages.find((s) => s.key === k)?.amount ?? null;
    const leak = (k: string) => body.leaks.find((l) => l.key === k)?.amount ?? null;
    // Stages are rounded to the cent by the API.
    for (const k of STAGES) {
        if (!agree('cents', stage(k), money(mine.stages[k]))) problems.push(`${url} stage ${k}: API ${stage(k)} ≠ recomputed ${money(mine.stages[k])}`);
    }
    // The leaks on screen are apportioned (largest remainder) to the difference of the two stages around them,
    // each rounded to the cent (so the screen reconciles); each is therefore within a cent of the exact leak.
    for (const k of LEAKS) {
        const a = leak(k);
        if (a === null || Math.abs(a - money(mine.leaks[k])) > 0.01 + 1e-6) problems.push(`${url} leak ${k}: API ${a} ≠ recomputed ${money(mine.leaks[k])}`);
    }
    // The overrun's parts as served: apportioned to the leak on screen by the largest remainder, so they add up to
    // it exactly; each is the exact part rounded down or up to the cent, or a cent further when the leak on screen
    // is itself a cent from its exact sum.
    const parts = body.leaks.find((l) => l.key === 'overrun')?.parts ?? [];
    if (parts.map((p) => p.key).join() !== OVERRUN_PARTS.join()) problems.push(`${url} overrun parts: ${parts.map((p) => p.key).join()}`);
    for (const p of parts) {
        const exact = money(mine.overrunParts[p.key as (typeof OVERRUN_PARTS)[number]] ?? 0n);
        if (Math.abs(p.amount - exact) > 0.02 + 1e-6) problems.push(`${url} part ${p.key}: API ${p.amount} ≠ recomputed ${exact}`);
    }
    const partCents = parts.reduce((sum, p) => sum + Math.round(p.amount * 100), 0);
    if (parts.length > 0 && partCents !== Math.round((leak('overrun') ?? NaN) * 100)) problems.push(`${url}: the overrun's parts add up to ${partCents / 100}, not ${leak('overrun')}`);
    const { budget_overrun, price_difference, awaiting_signoff } = mine.overrunParts;
    if (budget_overrun + price_difference + awaiting_signoff !== mine.leaks.overrun) problems.push(`${url}: the recomputed parts do not add up to the overrun`);
    if (budget_overrun < 0n) problems.push(`${url}: a negative overrun (${money(budget_overrun)})`);
    const cents = (v: number | null) => Math.round((v ?? NaN) * 100);
    const others: [string, number, number, Kind][] = [
        ['cost', body.cost, money(mine.cost), 'cents'],
        ['client_hours', body.client_hours, hours(mine.clientTicks), 'hours'],
    ];
    for (const [name, a, m, kind] of others) if (!agree(kind, a, m)) problems.push(`${url} ${name}: API ${a} ≠ recomputed ${m}`);
    // Realized margin is shown as collected − cost, both on screen to the cent, so that they add up: within a cent
    // of the exact margin.
    const margin = money(mine.stages.collected_value - mine.cost);
    if (Math.abs(body.realized_margin - margin) > 0.01 + 1e-6) problems.push(`${url} realized_margin: API ${body.realized_margin} ≠ recomputed ${margin}`);
    if (Math.round(body.realized_margin * 100) !== cents(stage('collected_value')) - Math.round(body.cost * 100)) {
        problems.push(`${url}: realized margin ${body.realized_margin} ≠ collected ${stage('collected_value')} − cost ${body.cost}`);
    }
    // The invariant, in whole cents, on the figures as served.
    const leaksCents = LEAKS.reduce((sum, k) => sum + cents(leak(k)), 0);
    if (cents(stage('potential_value')) - leaksCents !== cents(stage('collected_value'))) {
        problems.push(`${url}: potential ${stage('potential_value')} − Σ leaks ${leaksCents / 100} ≠ collected ${stage('collected_value')}`);
    }
    if (body.reconciles.potential_less_leaks !== body.reconciles.collected) problems.push(`${url}: reconciles ${JSON.stringify(body.reconciles)}`);
    // and on the recomputation, exactly
    const mineLeaks = LEAKS.reduce((sum, k) => sum + mine.leaks[k], 0n);
    if (mine.stages.potential_value - mineLeaks !== mine.stages.collected_value) problems.push(`${url}: the recomputation does not reconcile`);
    return problems;
}
