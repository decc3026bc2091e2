/**
 * The rows behind any figure. Each metric lists its parts (a funnel leak, a realization component …), each
 * a named query over the models whose `amount` column sums to the figure it explains. Requests filter and
 * page those rows; sorting is by the query's own columns only.
 */
import type { Role } from '../plugins/auth.ts';
import { apportionCents, toCents, toMoney } from '../../lib/money.ts';
import { ROLE_GROUPS } from '../roles.ts';
import { readCatalog, type Catalog, type FunnelDefinition, type FunnelPart } from './catalog.ts';
import type { FilterKey } from './filters.ts';

export interface DrillPart {
    description: string;
    /** A select over models; our SQL only. */
    sql: string;
    /** The column whose sum is the figure (money or hours). */
    amount: string;
    /**
     * Other columns that add up over rows (money in the reporting currency, hours): a group of rows
     * (group_by) answers their sums beside the amount's. Rates and amounts in a document's own currency do not.
     */
    subtotals?: readonly string[];
    /**
     * The columns of its rows that are money (amounts and rates, in the reporting currency or a document's own):
     * answered to the cent (lib/money.ts), as is the total when `amount` is one of them.
     */
    money: readonly string[];
    /** The period column, at the grain of the figure the rows explain (so a period selects the same rows). */
    date: { column: string; grain: 'day' | 'week' | 'month' };
    /** The day each row counts from, for parts of figures with accruals: as_of applies to it too (metric.ts). */
    accrued?: string;
    filters: Partial<Record<FilterKey, string>>;
    defaultSort: string;
    /** A column unique per row: the tie-break after the sort column, so consecutive pages neither repeat nor skip rows. */
    key?: string;
    /**
     * Optional: the same rows pre-aggregated (a select with every filter column, the date column, `row_count`
     * and the amount column), so the totals of a large part are read from a small table.
     */
    summary?: string;
    /**
     * A column the summary also has, by which the rows are stored: a page sorted by it is placed from the
     * summary's row counts per value and read from those values only (server/routes/drill/drill.ts).
     */
    seek?: string;
}

export interface DrillDefinition {
    metric: string;
    roles: readonly Role[];
    parts: Record<string, DrillPart>;
    defaultPart: string;
}

const projectFilters = { client_id: 'client_id', project_id: 'project_id', project_type: 'project_type' } as const;

// The funnel's rows mart is stored by metric (the part's key), largest amount first, so the default page is a
// prefix read. Keys are snake_case names checked when the .yml is read: safe to place in the SQL.
const funnelPart = (funnel: FunnelDefinition, part: FunnelPart): DrillPart => ({
    description: part.drill,
    sql: `select * exclude (metric) from ${funnel.rows.mart} where metric = '${part.key}'`,
    amount: 'amount',
    subtotals: ['hours'],
    money: ['amount'],
    date: funnel.date,
    ...(funnel.accrued ? { accrued: funnel.accrued } : {}),
    // The rows name the person of an entry or a person-week: a drill-down grouped by person opens a person's
    // rows (the funnel itself is not split by person; its summary has no person, so those totals read the rows).
    filters: { ...part.filters, person_id: 'person_id' },
    defaultSort: 'amount',
    ...(funnel.rows.summary ? { summary: `select * exclude (metric) from ${funnel.rows.summary} where metric = '${part.key}'` } : {}),
});

/** The funnel's drill-down: a part per leak and per part of a leak, as the funnel mart's .yml declares them. */
function funnelDrill(funnel: FunnelDefinition): DrillDefinition {
    const parts = funnel.leaks.flatMap((l) => [l, ...l.parts]);
    return { metric: 'funnel', roles: funnel.roles, defaultPart: parts[0]!.key, parts: Object.fromEntries(parts.map((p) => [p.key, funnelPart(funnel, p)])) };
}

const entries = (where: string, amount: string, description: string): DrillPart => ({
    description,
    sql:
        `select entry_id, person_id, role, project_id, client_id, project_type, phase, activity, work_date, work_month as month, ` +
        `hours, billable, status, bill_rate_reporting as bill_rate, std_value, cost_value, notes from intermediate.int_entries_priced where ${where}`,
    amount,
    subtotals: ['hours', 'std_value', 'cost_value'],
    money: ['bill_rate', 'std_value', 'cost_value'],
    // The figures these rows explain are monthly: a period selects whole months here too, and a report as of
    // a day counts the entries worked by then.
    date: { column: 'month', grain: 'month' },
    accrued: 'work_date',
    filters: { ...projectFilters, person_id: 'person_id', role: 'role', phase: 'phase' },
    defaultSort: 'work_date',
    key: 'entry_id',
    summary: `select *, work_month as month from marts.fct_entries_daily where ${where}`,
    seek: 'work_date',
});

/** Entry rows of a figure that counts whole months whatever the as_of day. */
const wholeMonths = ({ accrued: _accrued, ...part }: DrillPart): DrillPart => part;

/**
 * Entries of the projects a figure dated by project start covers (estimate vs actual: a period selects
 * projects by start date, and every entry of theirs counts).
 */
const entriesByProjectStart = (where: string, amount: string, description: string): DrillPart => {
    const base = entries(where, amount, description);
    const started = (sql: string) => `select d.*, p.start_date as project_start_date from (${sql}) d join staging.stg_projects p using (project_id)`;
    return { ...wholeMonths(base), sql: started(base.sql), summary: started(base.summary!), date: { column: 'project_start_date', grain: 'day' } };
};

const billing = (documentType: string, description: string): DrillPart => ({
    description,
    sql:
        `select document_type, document_id, document_date, invoice_id, line_no, line_kind, entry_id, project_id, client_id, ` +
        `project_type, work_date, work_month as month, currency, amount_native, fx_rate, amount ` +
        `from intermediate.int_billing_attributed where document_type = '${documentType}'`,
    amount: 'amount',
    money: ['amount_native', 'amount'],
    date: { column: 'month', grain: 'month' },
    // a document counts from its own date (issue or paid date), as in the figures
    accrued: 'document_date',
    filters: projectFilters,
    defaultSort: 'amount',
    summary: `select * exclude (document_type) from marts.fct_billing_rows_summary where document_type = '${documentType}'`,
});

const ANALYSTS: readonly Role[] = ROLE_GROUPS.analysts;

/** The drill-downs of the metrics whose rows are not declared in a mart's .yml. */
const METRIC_DRILLS: readonly DrillDefinition[] = [
    {
        metric: 'realization',
        roles: ROLE_GROUPS.money,
        defaultPart: 'standard_value',
        parts: {
            standard_value: entries('is_billable_client', 'std_value', 'Billable client entries at the bill rate in force on the work date'),
            billed_value: billing('invoice_line', 'Invoice lines of issued and paid invoices, attributed to entries or to the months of their period'),
            credited_value: billing('credit_note', 'Credit notes, attributed through their invoice’s lines'),
            collected_value: billing('payment', 'Payments, attributed through their invoice’s lines'),
        },
    },
    {
        metric: 'margin',
        roles: ROLE_GROUPS.money,
        defaultPart: 'cost',
        parts: {
            cost: entries('is_client_work', 'cost_value', 'Client entries at the person’s cost rate'),
            revenue: {
                description: 'Revenue recognized by billing model',
                sql:
                    `select r.project_id, p.client_id, p.project_type, r.billing_model, r.revenue_month as month, r.milestone_id, r.recognized_on, ` +
                    `r.billable_hours, r.revenue_native, r.contract_currency, r.fx_rate, r.revenue from intermediate.int_revenue_recognized r ` +
                    `left join marts.dim_projects p using (project_id)`,
                amount: 'revenue',
                subtotals: ['billable_hours'],
                money: ['revenue_native', 'revenue'],
                date: { column: 'month', grain: 'month' },
                accrued: 'recognized_on',
                filters: projectFilters,
                defaultSort: 'month',
            },
        },
    },
    {
        metric: 'utilization',
        roles: ANALYSTS,
        defaultPart: 'billable_hours',
        parts: {
            billable_hours: entries('is_billable_client', 'hours', 'Billable client entries'),
            all_hours: entries('true', 'hours', 'Every entry'),
        },
    },
    {
        metric: 'logging-latency',
        roles: ANALYSTS,
        defaultPart: 'entries',
        parts: {
            entries: {
                description: 'Entries with their logging latency and bucket',
                sql: `select * from marts.fct_logging_latency`,
                amount: 'hours',
                money: [],
                // The metric's period is whole weeks (from → its week's Monday): the rows follow it.
                date: { column: 'work_week', grain: 'week' },
                filters: { person_id: 'person_id', role: 'role' },
                summary: `select person_id, role, work_week, entries as row_count, hours from marts.fct_logging_latency_weekly`,
                // The mart is stored latest-logged first; an integer sort key lets DuckDB's top-N skip row groups.
                defaultSort: 'latency_seconds',
                key: 'entry_id',
            },
        },
    },
    {
        metric: 'estimate-vs-actual',
        // Entries name people: sales quote from the aggregates (GET /api/estimate-vs-actual), not from them.
        roles: ROLE_GROUPS.analysts,
        defaultPart: 'actual_hours',
        parts: { actual_hours: entriesByProjectStart(`status <> 'rejected'`, 'hours', 'The entries counted as actuals (rejected entries are not)') },
    },
    {
        metric: 'budget-burn',
        roles: ANALYSTS,
        defaultPart: 'hours_used',
        // Burn is cumulative through the as_of day (GET /api/budget-burn): the rows too, to the day.
        parts: {
            hours_used: {
                ...entries(`billing_model in ('fixed_fee', 'milestone', 'retainer')`, 'hours', 'Hours used on budgeted projects, through the as_of day'),
                date: { column: 'work_date', grain: 'day' },
            },
        },
    },
    {
        metric: 'retainers',
        roles: ANALYSTS,
        defaultPart: 'billable_hours',
        // a retainer month's usage is the month's, as the figure is (its fee accrues with the month)
        parts: { billable_hours: wholeMonths(entries(`billing_model = 'retainer' and is_billable_client`, 'hours', 'Billable hours on retainers')) },
    },
    {
        metric: 'review-flags',
        roles: ROLE_GROUPS.review,
        defaultPart: 'flags',
        parts: {
            flags: {
                description: 'Each flag with its rule and evidence',
                sql: `select * replace (details::varchar as details) from marts.fct_review_flags`,
                amount: 'hours',
                money: [],
                date: { column: 'work_date', grain: 'day' },
                filters: { person_id: 'person_id', project_id: 'project_id', client_id: 'client_id', project_type: 'project_type', rule: 'rule' },
                defaultSort: 'work_date',
                key: 'flag_key',
            },
        },
    },
];

/** Every drill-down of a catalog: the funnel's (from its mart's .yml) first, then the metrics'. */
export function drillsOf(catalog: Catalog): readonly DrillDefinition[] {
    return [...(catalog.funnel ? [funnelDrill(catalog.funnel)] : []), ...METRIC_DRILLS];
}

/** The drill-downs of models/ (the server's route reads those of the models it serves, app.catalog). */
export const DRILLS: readonly DrillDefinition[] = drillsOf(readCatalog());
export const DRILL_BY_METRIC: ReadonlyMap<string, DrillDefinition> = new Map(DRILLS.map((d) => [d.metric, d]));

/**
 * A page of a part's rows and its total as the API answers them: money columns to the cent, and the total too
 * when it sums money. A page that holds every row shows parts beside their total: its amounts are apportioned
 * to the total (largest remainder) so that they add up to it to the cent; other pages are rounded row by row.
 */
export function drillMoney<R extends Record<string, unknown>>(part: DrillPart, rows: R[], total: { n: number; amount: number | null }): { rows: R[]; total_amount: number } {
    const exactTotal = total.amount ?? 0;
    const moneyTotal = part.money.includes(part.amount);
    const totalCents = moneyTotal ? toCents(exactTotal) : null;
    const complete = totalCents !== null && rows.length === total.n && rows.every((r) => typeof r[part.amount] === 'number' || r[part.amount] === null);
    const shared = complete ? apportionCents(rows.map((r) => (r[part.amount] as number | null) ?? 0), totalCents) : null;
    const out = rows.map((r, i) => {
        const row: Record<string, unknown> = { ...r };
        for (const c of part.money) if (typeof row[c] === 'number') row[c] = toMoney(row[c] as number);
        if (shared && row[part.amount] !== null) row[part.amount] = shared[i]! / 100;
        return row as R;
    });
    return { rows: out, total_amount: totalCents === null ? Math.round(exactTotal * 1e6) / 1e6 : totalCents / 100 };
}
