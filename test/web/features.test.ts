/** The pages' data shaping: pure functions over API answers, with hand-worked expectations. */
import { describe, expect, it } from 'vitest';
import type { Batch, Dimensions, MetricResult } from '../../web/lib/api/types.ts';
import { applyLocalFilter, clientRows, inactiveInPeriod, projectRows, type PortfolioData } from '../../web/lib/features/clients/portfolio.ts';
import { overrunOutlook } from '../../web/lib/features/clients/overrun.ts';
import { planRows, planTable } from '../../web/lib/features/clients/plan.ts';
import { isLoss } from '../../web/lib/table.ts';
import { evidenceHeatmap, phaseOrder, ratioScale } from '../../web/lib/features/closeout/evidence.ts';
import { batchTable, flagRows, ruleDefinitions } from '../../web/lib/features/data/data.ts';
import { monthsIn, periodTotals, withPrevious } from '../../web/lib/features/overview/data.ts';
import { readCatalog } from '../../server/api/catalog.ts';
import { kpiTiles, kpiValues, metricRatios } from '../../web/lib/features/overview/kpis.ts';
import { headline, rankLeaks } from '../../web/lib/features/overview/headline.ts';
import { continuousMonths, ratioMonths } from '../../web/lib/features/overview/trends.ts';
import type { Funnel } from '../../web/lib/api/types.ts';
import { heatmapTable, latencyRows, latencyTable, peopleCount, utilizationHeatmap, weekLabel } from '../../web/lib/features/people/capacity.ts';

const result = (rows: Record<string, string | number | null>[]): MetricResult => ({ metric: 'm', grain: 'g', group_by: [], currency: 'EUR', as_of: '2026-11-26', rows });

describe('overview', () => {
    it('picks the five KPIs from the three routes and states each change', () => {
        const now = kpiValues(
            result([{ billing_realization: 0.818, overall_realization: 0.706 }]),
            result([{ margin_pct: 0.426, effective_billable_rate: 103.85 }]),
            result([{ utilization: 0.659 }]),
        );
        expect(now).toEqual({ billing_realization: 0.818, overall_realization: 0.706, utilization: 0.659, margin_pct: 0.426, effective_billable_rate: 103.85 });
        const before = { billing_realization: 0.883, overall_realization: 0.849, utilization: 0.608, margin_pct: 0.424, effective_billable_rate: 100.11 };
        expect(kpiTiles(now, before, 'EUR', 'en-US').map((t) => [t.spec.key, t.value, t.previous, t.change.text])).toEqual([
            ['billing_realization', '81.8%', '88.3%', '−6.5 pp'],
            ['overall_realization', '70.6%', '84.9%', '−14.3 pp'],
            ['utilization', '65.9%', '60.8%', '+5.1 pp'],
            ['margin_pct', '42.6%', '42.4%', '+0.2 pp'],
            ['effective_billable_rate', '€103.85/h', '€100.11/h', '+3.7%'],
        ]);
        expect(kpiValues(result([]), result([]), result([]))).toEqual({ billing_realization: null, overall_realization: null, utilization: null, margin_pct: null, effective_billable_rate: null });
    });

    it('sums a period’s months and recomputes its ratios from the sums, as the route does without group_by', () => {
        const months = result([
            { month: '2025-12-01', billed_value: 50, standard_value: 100, collected_value: 10, billing_realization: 0.5, overall_realization: 0.1 },
            { month: '2026-01-01', billed_value: 90, standard_value: 100, collected_value: 60, billing_realization: 0.9, overall_realization: 0.6 },
            { month: '2026-02-01', billed_value: 30, standard_value: 0, collected_value: 0, billing_realization: null, overall_realization: null },
        ]);
        const period = { from: '2026-01-01', to: '2026-02-28', months: 2 };
        // The realization metric's ratios as the definitions carry them from its .yml (models/).
        const defs = { metrics: readCatalog().metrics.map((m) => ({ name: m.name, ratios: { ...m.ratios } })) };
        const ratios = metricRatios(defs, 'realization');
        expect(ratios).toMatchObject({ billing_realization: ['billed_value', 'standard_value'], overall_realization: ['collected_value', 'standard_value'] });
        // 2026: billed 90 + 30 = 120 of standard 100 + 0 = 100 → 1.2 (not the mean of 0.9 and null); collected 60 → 0.6;
        // collection realization is collected ÷ net billed, and these months have no net billed value: null.
        expect(periodTotals(months, period, ratios).rows).toEqual([
            { billed_value: 120, standard_value: 100, collected_value: 60, billing_realization: 1.2, collection_realization: null, overall_realization: 0.6 },
        ]);
        // December 2025 alone: the period before.
        expect(periodTotals(months, { from: '2025-12-01', to: '2025-12-31', months: 1 }, ratios).rows[0]).toMatchObject({ billing_realization: 0.5, overall_realization: 0.1 });
        // No month in the period: sums absent, ratios null (no denominator), as an ungrouped answer over nothing.
        expect(periodTotals(months, { from: '2024-01-01', to: '2024-12-31', months: 12 }, ratios).rows).toEqual([{ billing_realization: null, collection_realization: null, overall_realization: null }]);
        expect(monthsIn(months, period).rows.map((r) => r.month)).toEqual(['2026-01-01', '2026-02-01']);
        // One request covers the period and the one before it.
        expect(withPrevious({ from: '2025-11-01', to: '2026-10-31', months: 12 })).toEqual({ from: '2024-11-01', to: '2026-10-31', months: 24 });
    });

    it('gives realization over the trailing three months from sums, every month of the period, and marks the as-of month open', () => {
        const rows = ratioMonths(
            result([
                // Work in Dec and Jan, invoiced in Feb: monthly billing realization would read 0 %, 0 %, 600 %.
                { month: '2025-12-01', standard_value: 100, billed_value: 0, collected_value: 0 },
                { month: '2026-01-01', standard_value: 200, billed_value: 0, collected_value: 0 },
                { month: '2026-02-01', standard_value: 50, billed_value: 300, collected_value: 150 },
                // No March row at all (no activity); April's work is not invoiced yet.
                { month: '2026-04-01', standard_value: 100, billed_value: 0, collected_value: 0 },
            ]),
            result([
                { month: '2026-01-01', utilization: 0.7 },
                { month: '2026-02-01', utilization: 0.6 },
            ]),
            { from: '2026-01-01', to: '2026-04-30' },
            '2026-04-15',
        );
        expect(rows).toEqual([
            // Jan: (0 + 0) ÷ (100 + 200), Dec from the months before the period.
            { month: '2026-01-01', billing_realization: 0, overall_realization: 0, utilization: 0.7, open: false },
            // Feb: 300 ÷ (100 + 200 + 50) = 0.857…; collected 150 ÷ 350.
            { month: '2026-02-01', billing_realization: 300 / 350, overall_realization: 150 / 350, utilization: 0.6, open: false },
            // Mar (no row): Jan–Mar = 300 ÷ 250 = 1.2; the month is still drawn.
            { month: '2026-03-01', billing_realization: 300 / 250, overall_realization: 150 / 250, utilization: null, open: false },
            // Apr: Feb–Apr = 300 ÷ 150 = 2; April holds the as-of date: open.
            { month: '2026-04-01', billing_realization: 2, overall_realization: 1, utilization: null, open: true },
        ]);
    });

    it('keeps the calendar continuous: a month without a row is a row of gaps', () => {
        const filled = continuousMonths(result([{ month: '2026-01-01', revenue: 10 }, { month: '2026-03-01', revenue: 30 }]), { from: '2026-01-01', to: '2026-03-31' });
        expect(filled.rows).toEqual([{ month: '2026-01-01', revenue: 10 }, { month: '2026-02-01' }, { month: '2026-03-01', revenue: 30 }]);
    });

    it('names the largest leak in one sentence and ranks the leaks, parts under their leak', () => {
        const leak = (key: string, label: string, amount: number, parts: { key: string; label: string; amount: number }[] = []) => ({ key, label, amount, definition: '', parts: parts.map((p) => ({ ...p, definition: '' })) });
        const funnel = {
            currency: 'EUR',
            as_of: '2026-11-30',
            stages: [{ key: 'potential_value', label: 'Potential value', stage: 1, amount: 20_000_000 }],
            leaks: [
                leak('untracked', 'Untracked time', 1_500_000),
                leak('overrun', 'Scope creep / overrun', 2_280_000, [
                    { key: 'price_difference', label: 'Price difference', amount: -300_000 },
                    { key: 'budget_overrun', label: 'Overrun', amount: 1_900_000 },
                    { key: 'awaiting_signoff', label: 'Awaiting sign-off', amount: 680_000 },
                ]),
                leak('fx_difference', 'Fx difference', -4_000),
                leak('not_invoiced', 'Not yet invoiced', 2_000_000),
            ],
        } as unknown as Funnel;
        expect(rankLeaks(funnel).map((r) => [r.leak.key, ...r.parts.map((p) => p.key)])).toEqual([
            ['overrun', 'budget_overrun', 'awaiting_signoff', 'price_difference'],
            ['not_invoiced'],
            ['untracked'],
            ['fx_difference'],
        ]);
        // 2.28M ÷ 20M = 11.4 %; the overrun part (1.9M) is more than half of it.
        expect(headline(funnel, 'Dec 2025 – Nov 2026', 'en-US')).toEqual({
            key: 'overrun',
            amount: 2_280_000,
            text: 'Scope creep / overrun is the largest leak of Dec 2025 – Nov 2026: €2.28M, 11.4% of the potential value; mostly overrun, €1.9M.',
        });
        // Nothing leaked: no sentence.
        expect(headline({ ...funnel, leaks: [leak('fx_difference', 'Fx difference', -4_000)] } as unknown as Funnel, 'x', 'en-US')).toBeNull();
    });
});

const dims = {
    currency: 'EUR',
    as_of: '2026-11-26',
    first_month: '2024-11-01',
    last_month: '2026-11-01',
    clients: [
        { client_id: 'C1', client_name: 'Acme', currency: 'EUR', projects: 2, active_projects: 1 },
        { client_id: 'C2', client_name: 'Borealis', currency: 'EUR', projects: 1, active_projects: 0 },
    ],
    projects: [
        { project_id: 'P1', code: null, project_name: 'Portal', client_id: 'C1', client_name: 'Acme', billing_model: 'fixed_fee', is_client_work: true, project_type: 'web_app', manager_id: null, manager_name: null, start_date: '2026-01-01', end_date: null, status: 'active', budget_hours: 100, contract_value: 10000, currency: 'EUR' },
        { project_id: 'P2', code: null, project_name: 'Support', client_id: 'C1', client_name: 'Acme', billing_model: 'retainer', is_client_work: true, project_type: 'maintenance', manager_id: null, manager_name: null, start_date: '2025-01-01', end_date: null, status: 'closed', budget_hours: null, contract_value: null, currency: 'EUR' },
        { project_id: 'P3', code: null, project_name: 'Internal', client_id: 'C2', client_name: 'Borealis', billing_model: 'non_billable', is_client_work: false, project_type: 'internal', manager_id: null, manager_name: null, start_date: '2025-01-01', end_date: null, status: 'active', budget_hours: null, contract_value: null, currency: 'EUR' },
    ],
    roles: [],
    departments: [],
    project_types: ['internal', 'maintenance', 'web_app'],
    people: [],
} satisfies Dimensions;

describe('clients and projects', () => {
    const data: PortfolioData = {
        marginByProject: result([{ project: 'P1', revenue: 1000, cost: 600, margin: 400, margin_pct: 0.4 }]),
        realizationByProject: result([{ project: 'P1', billing_realization: 0.9, overall_realization: 0.8 }]),
        marginByClient: result([{ client: 'C1', revenue: 1500, cost: 900, margin: 600, margin_pct: 0.4 }]),
        realizationByClient: result([{ client: 'C1', billing_realization: 0.95, overall_realization: 0.85 }]),
        burn: [{ project_id: 'P1', project_name: 'Portal', client_id: 'C1', client_name: 'Acme', project_type: 'web_app', billing_model: 'fixed_fee', status: 'active', start_date: '2026-01-01', end_date: null, budget_basis: 'budget_hours', budget_hours: 100, hours_used: 92, billable_hours_used: 90, burn: 0.92, share_elapsed: 0.5, share_complete: null, eac_method: 'linear', eac_hours: 184, alert_level: 90 }],
    };

    it('lists client projects with their period figures and burn; internal projects are not client work', () => {
        const rows = projectRows(data, dims, { period: '12m' });
        expect(rows.map((r) => r.key)).toEqual(['P1', 'P2']);
        expect(rows[0]).toEqual({ key: 'P1', project: 'Portal', client: 'Acme', billing_model: 'fixed_fee', project_type: 'web_app', status: 'active', revenue: 1000, cost: 600, margin: 400, margin_pct: 0.4, billing_realization: 0.9, overall_realization: 0.8, burn: 0.92, eac_hours: 184, alert: 90 });
        expect(rows[1]!.revenue).toBeNull();
        expect(projectRows(data, dims, { period: '12m', project_type: 'maintenance' }).map((r) => r.key)).toEqual(['P2']);
    });

    it('filters the table by text, billing model, status and alerts', () => {
        const rows = projectRows(data, dims, { period: '12m' });
        expect(applyLocalFilter(rows, { text: 'sup', billing_model: '', status: '', alertsOnly: false, showInactive: true }).map((r) => r.key)).toEqual(['P2']);
        expect(applyLocalFilter(rows, { text: 'acme', billing_model: 'fixed_fee', status: '', alertsOnly: false, showInactive: true }).map((r) => r.key)).toEqual(['P1']);
        expect(applyLocalFilter(rows, { text: '', billing_model: '', status: 'closed', alertsOnly: false, showInactive: true }).map((r) => r.key)).toEqual(['P2']);
        expect(applyLocalFilter(rows, { text: '', billing_model: '', status: '', alertsOnly: true, showInactive: true }).map((r) => r.key)).toEqual(['P1']);
    });

    it('hides projects without activity in the period (a row of dashes) unless asked for', () => {
        const rows = projectRows(data, dims, { period: '12m' });
        expect(rows.map(inactiveInPeriod)).toEqual([false, true]);
        const all = { text: '', billing_model: '', status: '', alertsOnly: false };
        expect(applyLocalFilter(rows, { ...all, showInactive: false }).map((r) => r.key)).toEqual(['P1']);
        expect(applyLocalFilter(rows, { ...all, showInactive: true }).map((r) => r.key)).toEqual(['P1', 'P2']);
        // A cost alone in the period is activity.
        expect(inactiveInPeriod({ ...rows[1]!, cost: 12.5 })).toBe(false);
    });

    it('sets a fixed price’s overrun so far beside the hours its estimate at completion puts beyond the budget', () => {
        const months = [
            { month: '2026-06-01', billable_value: 1000, recognized_revenue: 1200, overrun: -200 },
            { month: '2026-07-01', billable_value: null, recognized_revenue: null, overrun: null },
            { month: '2026-08-01', billable_value: 1000, recognized_revenue: 1100, overrun: -100 },
        ];
        const ctx = { currency: 'EUR', locale: 'en-US' };
        // 2,000 of standard value over 20 billable hours: 100 an hour; 130 h forecast − 100 h budget = 30 h → 3,000.
        const over = overrunOutlook(months, { budget_hours: 100, eac_hours: 130, billable_hours_used: 20 }, ctx);
        expect([over.to_date, over.hours_beyond, over.value_beyond]).toEqual([-300, 30, 3000]);
        expect(over.text).toBe('So far a gain of €300.00 (revenue recognized ahead of the hours’ standard value); but the estimate at completion, 130 h, is 30 h over the budget of 100 h: hours beyond the budget earn no revenue (about €3K at its standard value per hour so far).');
        expect(overrunOutlook(months, { budget_hours: 100, eac_hours: 90, billable_hours_used: 20 }, ctx).text).toBe('So far a gain of €300.00 (revenue recognized ahead of the hours’ standard value); the estimate at completion, 90 h, stays within the budget of 100 h.');
        expect(overrunOutlook(months, undefined, ctx).value_beyond).toBeNull();
    });

    it('rolls up by client with the client routes and the highest alert of its projects; a client with only internal work is left out', () => {
        expect(clientRows(data, dims, { period: '12m' })).toEqual([
            { key: 'C1', client: 'Acme', projects: 2, active_projects: 1, revenue: 1500, cost: 900, margin: 600, margin_pct: 0.4, billing_realization: 0.95, overall_realization: 0.85, alert: 90 },
        ]);
        const withWork = { ...dims, projects: [...dims.projects, { ...dims.projects[2]!, project_id: 'P4', billing_model: 'time_and_materials', is_client_work: true }] };
        expect(clientRows(data, withWork, { period: '12m' })[1]).toEqual({ key: 'C2', client: 'Borealis', projects: 1, active_projects: 0, revenue: null, cost: null, margin: null, margin_pct: null, billing_realization: null, overall_realization: null, alert: null });
    });

    it('lays out plan against actual in delivery order with phase subtotals and a total', () => {
        const rows = planRows([
            { phase: 'test', role: 'qa_engineer', estimated_hours: 40, actual_hours: 50, unplanned_hours: 0 },
            { phase: 'build', role: 'developer', estimated_hours: 100, actual_hours: 120, unplanned_hours: 0 },
            { phase: 'build', role: 'architect', estimated_hours: 20, actual_hours: 10, unplanned_hours: 0 },
            { phase: '(no phase)', role: 'developer', estimated_hours: null, actual_hours: 3, unplanned_hours: 3 },
        ]);
        expect(rows.map((r) => [r.phase, r.role, r.estimated_hours, r.actual_hours, r.variance_hours, r.ratio, r.level])).toEqual([
            ['build', 'architect', 20, 10, -10, 0.5, 'line'],
            ['build', 'developer', 100, 120, 20, 1.2, 'line'],
            ['build', 'All roles', 120, 130, 10, 130 / 120, 'phase'],
            ['test', 'qa_engineer', 40, 50, 10, 1.25, 'line'],
            ['(no phase)', 'developer', 0, 3, 3, null, 'line'],
            ['All phases', 'All roles', 160, 183, 23, 183 / 160, 'total'],
        ]);
        // Hours under plan are good news: not shown in red.
        const variance = planTable([]).columns.find((c) => c.key === 'variance_hours')!;
        expect(isLoss(variance, { variance_hours: -10 })).toBe(false);
    });
});

describe('people and capacity', () => {
    const rows = [
        { week: '2026-08-31', role: 'developer', utilization: 0.8, billable_hours: 32, capacity_hours: 40, logged_utilization: 0.9 },
        { week: '2026-08-24', role: 'developer', utilization: 1.25, billable_hours: 50, capacity_hours: 40, logged_utilization: 1.3 },
        { week: '2026-08-24', role: 'analyst', utilization: null, billable_hours: 0, capacity_hours: 0, logged_utilization: null },
    ];

    it('builds the week × group heatmap, its scale stretching past 100 % when someone is above capacity', () => {
        const spec = utilizationHeatmap(rows, 'role', 'en-US');
        expect(spec.xs).toEqual(['2026-08-24', '2026-08-31']);
        expect(spec.ys).toEqual(['analyst', 'developer']);
        expect(spec.max).toBe(1.3);
        expect(spec.xLabel!('2026-08-24')).toBe('Aug 24');
        expect(spec.cells[0]!.details).toEqual([
            ['Billable hours', '32.00 h'],
            ['Capacity hours', '40.00 h'],
            ['Logged utilization', '90.0%'],
        ]);
        expect(heatmapTable(spec, 'Role').rows).toEqual([
            { key: 'analyst', group: 'Analyst', '2026-08-24': null, '2026-08-31': null },
            { key: 'developer', group: 'Developer', '2026-08-24': 1.25, '2026-08-31': 0.8 },
        ]);
        expect(weekLabel('2026-08-31', 'de-DE')).toBe('31. Aug.');
    });

    it('orders latency by role with its shares', () => {
        expect(latencyRows([{ role: 'qa_engineer', same_day_share: 0.5, within_7_days_share: 0.5, over_7_days_share: 0, friday_batch_share: 0.2, hours: 10, entries: 4 }])).toEqual([
            { key: 'qa_engineer', group: 'QA engineer', same_day_share: 0.5, within_7_days_share: 0.5, over_7_days_share: 0, friday_batch_share: 0.2, hours: 10, entries: 4 },
        ]);
    });

    it('labels a manager’s people by name, sorted, and counts the heatmap’s rows', () => {
        const names = new Map([
            ['P2', 'Zoë Jensen'],
            ['P1', 'Bruno Dubois'],
        ]);
        const rows = [
            { person: 'P2', same_day_share: 1, within_7_days_share: 0, over_7_days_share: 0, friday_batch_share: 0, hours: 8, entries: 1 },
            { person: 'P1', same_day_share: 0.25, within_7_days_share: 0.75, over_7_days_share: 0, friday_batch_share: 0.75, hours: 4, entries: 2 },
        ];
        expect(latencyRows(rows, 'person', (id) => names.get(id) ?? id).map((r) => [r.key, r.group, r.same_day_share])).toEqual([
            ['P1', 'Bruno Dubois', 0.25],
            ['P2', 'Zoë Jensen', 1],
        ]);
        expect(latencyTable(latencyRows(rows, 'person'), 'Person').columns[0]).toEqual({ key: 'group', label: 'Person', kind: 'text' });
        expect(peopleCount([{ person: 'P1', week: '2026-01-05' }, { person: 'P1', week: '2026-01-12' }, { person: 'P2', week: '2026-01-05' }])).toBe(2);
    });
});

describe('closeout and data', () => {
    it('orders phases as work is delivered and colours Σ actual ÷ Σ estimate around 1.0', () => {
        expect(['pm', 'test', '(no phase)', 'zeta', 'build', 'discovery'].sort(phaseOrder)).toEqual(['discovery', 'build', 'test', 'zeta', 'pm', '(no phase)']);
        const spec = evidenceHeatmap(
            [
                { project_type: 'web_app', phase: 'test', role: 'qa_engineer', projects: 3, ratio_projects: 3, unplanned_projects: 0, estimated_hours: 100, actual_hours: 130, unplanned_actual_hours: 0, ratio_of_sums: 1.3, planned_ratio_of_sums: 1.3, ratio_median: 1.2, ratio_p10: 1.0, ratio_p90: 1.6 },
                { project_type: 'web_app', phase: '(no phase)', role: 'developer', projects: 1, ratio_projects: 0, unplanned_projects: 1, estimated_hours: 0, actual_hours: 2, unplanned_actual_hours: 2, ratio_of_sums: null, planned_ratio_of_sums: null, ratio_median: null, ratio_p10: null, ratio_p90: null },
            ],
            'en-US',
        );
        expect([spec.xs, spec.ys, spec.min, spec.max, spec.scale]).toEqual([['test'], ['qa_engineer'], 0.5, 1.5, 'diverging']);
        // The scale covers the data, centred on 1.0: 1.77× widens it to 0.20× – 1.80×; never below 0.
        expect([ratioScale([1.3, null]), ratioScale([1.77, 0.9]), ratioScale([1.51]), ratioScale([0.1]), ratioScale([3.2])]).toEqual([
            { min: 0.5, max: 1.5 },
            { min: 0.2, max: 1.8 },
            { min: 0.4, max: 1.6 },
            { min: 0.1, max: 1.9 },
            { min: 0, max: 3.2 },
        ]);
        expect(spec.cells[0]!.details!.slice(0, 3)).toEqual([
            ['P10 of projects', '1.00×'],
            ['Median', '1.20×'],
            ['P90', '1.60×'],
        ]);
    });

    it('reads each review rule’s meaning from the model description', () => {
        // As YAML folds the model's description: one line per paragraph.
        const defs = ruleDefinitions('The review flags.\nmissing_day — a working day with capacity  and no entries.\nover_12h_day — a person-day over 12 h.\n');
        expect(defs).toEqual({ missing_day: 'a working day with capacity and no entries.', over_12h_day: 'a person-day over 12 h.' });
        expect(flagRows([{ rule: 'over_12h_day', flags: 2, people: 1, hours: 26 }, { rule: 'missing_day', flags: 5, people: 2, hours: 0 }], defs).map((r) => [r.rule, r.flags, r.meaning])).toEqual([
            ['Missing day', 5, 'a working day with capacity and no entries.'],
            ['Over 12 h day', 2, 'a person-day over 12 h.'],
        ]);
    });

    it('shows a batch by its file name, not the path it was loaded from', () => {
        const batch: Batch = { batch_id: 3, entity: 'people', file_name: '/tmp/x/people.csv', content_hash: 'h', status: 'rejected', rows_in_file: 5, rows_inserted: 0, rows_replaced: 0, rows_unchanged: 0, rows_rejected: 2, started_at: '2026-11-26 04:19:23.881+00', finished_at: '2026-11-26 04:19:23.885983+00', created_by: 'local' };
        expect(batchTable([batch]).rows[0]).toMatchObject({ key: '3', file: 'people.csv', finished_at: '2026-11-26 04:19:23', status: 'rejected' });
    });
});
