/**
 * The metric routes: each names the mart that defines it (models/marts/…, whose .yml is the definition),
 * the dimensions and filters its grain allows, and its measures. Ratios are recomputed from summed
 * measures so any grouping is exact (ratio of sums, as the marts' .yml say).
 */
import type { Role } from '../plugins/auth.ts';
import type { MetricDefinition } from './metric.ts';

const ANALYSTS: readonly Role[] = ['leadership', 'finance', 'project_manager'];
const MONEY: readonly Role[] = ['leadership', 'finance'];

const projectMonth = {
    date: { column: 'month', grain: 'month' },
    dimensions: { month: 'month', client: 'client_id', project: 'project_id', project_type: 'project_type' },
    filters: { client_id: 'client_id', project_id: 'project_id', project_type: 'project_type' },
} as const;

export const METRICS: readonly MetricDefinition[] = [
    {
        name: 'realization',
        summary: 'Standard, billed, credited and collected value with the three realizations',
        description:
            'Billing realization = billed ÷ standard value; collection realization = collected ÷ (billed − credited); overall realization = collected ÷ standard value. Standard value = Σ hours × bill rate in force on the work date over billable client entries (marts.fct_realization).',
        roles: MONEY,
        mart: 'marts.fct_realization',
        grain: 'project × month',
        ...projectMonth,
        measures: {
            standard_value: 'sum(standard_value)',
            billed_value: 'sum(billed_value)',
            credited_value: 'sum(credited_value)',
            net_billed_value: 'sum(net_billed_value)',
            collected_value: 'sum(collected_value)',
        },
        ratios: {
            billing_realization: ['billed_value', 'standard_value'],
            collection_realization: ['collected_value', 'net_billed_value'],
            overall_realization: ['collected_value', 'standard_value'],
        },
    },
    {
        name: 'margin',
        summary: 'Revenue recognized, cost, margin, margin % and effective billable rate',
        description:
            'Revenue recognized per billing model (T&M: standard value of billable entries; fixed fee: contract value × share of budget burned; retainer: fee + overage; milestone: amount at sign-off). Cost = Σ hours × cost rate. Margin % = margin ÷ revenue; effective billable rate = revenue ÷ all client hours (marts.fct_margin).',
        roles: MONEY,
        mart: 'marts.fct_margin',
        grain: 'client project × month',
        ...projectMonth,
        // A milestone's revenue counts from its sign-off date (a report's as_of, to the day).
        accrued: 'accrued_on',
        measures: {
            revenue: 'sum(revenue)',
            cost: 'sum(cost)',
            margin: 'sum(margin)',
            client_hours: 'sum(client_hours)',
            billable_hours: 'sum(billable_hours)',
        },
        ratios: { margin_pct: ['margin', 'revenue'], effective_billable_rate: ['revenue', 'client_hours'] },
    },
    {
        name: 'retainers',
        summary: 'Retainer usage: included hours, rollover, overage, fee',
        description:
            "A month's billable hours use its included hours first, then unused included hours of the previous rollover_months months, oldest first; the rest is overage billed at the overage rate (marts.fct_retainer_usage).",
        roles: ANALYSTS,
        mart: 'marts.fct_retainer_usage',
        grain: 'retainer project × month',
        ...projectMonth,
        measures: {
            included_hours: 'sum(included_hours)',
            billable_hours: 'sum(billable_hours)',
            included_used_hours: 'sum(included_used_hours)',
            included_unused_hours: 'sum(included_unused_hours)',
            rollover_used_hours: 'sum(rollover_used_hours)',
            overage_hours: 'sum(overage_hours)',
            fee: 'sum(fee)',
            overage_amount: 'sum(overage_amount)',
            revenue: 'sum(revenue)',
        },
        ratios: { usage: ['billable_hours', 'included_hours'] },
    },
    {
        name: 'utilization',
        summary: 'Utilization, logged utilization, billable ratio and timesheet completeness',
        description:
            'Utilization = billable hours ÷ capacity hours; logged utilization = all hours ÷ capacity; billable ratio = billable ÷ all hours; timesheet completeness = Σ min(logged, capacity) per person-week ÷ capacity. Capacity = weekly hours in force ÷ 5 per working day (marts.fct_utilization).',
        roles: ANALYSTS,
        mart: 'marts.fct_utilization',
        rollups: [{ mart: 'marts.fct_utilization_by_role', dimensions: ['month', 'week', 'role'], filters: ['role'] }],
        grain: 'person × week × month',
        date: { column: 'work_month', grain: 'month' },
        dimensions: { month: 'work_month', week: 'work_week', person: 'person_id', role: 'role' },
        filters: { person_id: 'person_id', role: 'role' },
        measures: {
            capacity_hours: 'sum(capacity_hours)',
            billable_hours: 'sum(billable_hours)',
            client_hours: 'sum(client_hours)',
            internal_hours: 'sum(internal_hours)',
            all_hours: 'sum(all_hours)',
            completeness_credit_hours: 'sum(completeness_credit_hours)',
        },
        ratios: {
            utilization: ['billable_hours', 'capacity_hours'],
            logged_utilization: ['all_hours', 'capacity_hours'],
            billable_ratio: ['billable_hours', 'all_hours'],
            timesheet_completeness: ['completeness_credit_hours', 'capacity_hours'],
        },
    },
    {
        name: 'logging-latency',
        summary: 'How late time is logged, and the Friday-batch share',
        description:
            "Latency = logged_at − end of the work date, bucketed same day (≤ 1 day), ≤ 7 days, > 7 days. Friday batch = share of a person's week's hours logged on its last working day or later (marts.fct_logging_latency_weekly).",
        roles: ANALYSTS,
        mart: 'marts.fct_logging_latency_weekly',
        grain: 'person × week',
        date: { column: 'work_week', grain: 'week' },
        dimensions: { week: 'work_week', month: 'work_week', person: 'person_id', role: 'role' },
        filters: { person_id: 'person_id', role: 'role' },
        measures: {
            entries: 'sum(entries)',
            hours: 'sum(hours)',
            same_day_hours: 'sum(same_day_hours)',
            within_7_days_hours: 'sum(within_7_days_hours)',
            over_7_days_hours: 'sum(over_7_days_hours)',
            batch_hours: 'sum(batch_hours)',
        },
        ratios: {
            same_day_share: ['same_day_hours', 'hours'],
            within_7_days_share: ['within_7_days_hours', 'hours'],
            over_7_days_share: ['over_7_days_hours', 'hours'],
            friday_batch_share: ['batch_hours', 'hours'],
        },
    },
    {
        name: 'estimate-vs-actual',
        summary: 'Baseline estimate vs actual hours by project, phase and role',
        description:
            'Ratio = Σ actual hours ÷ Σ baseline estimated hours. Actuals are time entries (the time-tracker view), not task-level actuals; unplanned work has no estimate (marts.fct_estimate_vs_actual). Spread of per-project ratios over closed projects: /api/estimate-vs-actual/by-type.',
        roles: ['leadership', 'finance', 'project_manager', 'sales'],
        mart: 'marts.fct_estimate_vs_actual',
        grain: 'project × phase × role',
        date: { column: 'project_start_date', grain: 'day' },
        dimensions: { project: 'project_id', phase: 'phase', role: 'role', project_type: 'project_type', client: 'client_id' },
        filters: { client_id: 'client_id', project_id: 'project_id', phase: 'phase', role: 'role', project_type: 'project_type' },
        measures: {
            estimated_hours: 'sum(estimated_hours)',
            actual_hours: 'sum(actual_hours)',
            unplanned_hours: 'sum(actual_hours) filter (where is_unplanned)',
            projects: 'count(distinct project_id)',
        },
        ratios: { ratio: ['actual_hours', 'estimated_hours'] },
    },
    {
        name: 'review-flags',
        summary: 'Review flags by rule: the weekly PM pass',
        description:
            'One flag per entry or person-day and rule (missing days, > 12 h a day, future entries, closed projects, billable admin, unplanned scope, phase over estimate, duplicates, overlapping timers, zero duration, edits after approval). The flagged rows: /api/drill/review-flags (marts.fct_review_flags).',
        roles: ['leadership', 'project_manager'],
        mart: 'marts.fct_review_flag_counts',
        grain: 'rule × week × person × project',
        date: { column: 'work_week', grain: 'week' },
        dimensions: { rule: 'rule', week: 'work_week', month: 'work_week', person: 'person_id', project: 'project_id' },
        filters: { person_id: 'person_id', project_id: 'project_id', rule: 'rule' },
        measures: { flags: 'sum(flags)', hours: 'sum(hours)', people: 'count(distinct person_id)' },
    },
];

export const METRIC_BY_NAME: ReadonlyMap<string, MetricDefinition> = new Map(METRICS.map((m) => [m.name, m]));
