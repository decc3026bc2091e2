import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixtureOnce } from '../helpers/models.ts';

/*
 * Fixture internal-project (as_of Fri 2024-03-08; reporting currency GBP): one developer, A1, from Mon 2024-03-04,
 * 40 h/week, cost 50 GBP/h; a firm rate card of 100 GBP/h. Client C1 (Acme, GBP) has PC (time_and_materials);
 * PI "Internal tooling" has no client (non_billable, budget 40 h).
 *
 *   e1 Mon PC 6 h billable          e2 Mon PI 2 h                   e3 Tue PC 4 h billable
 *   e4 Tue PI 4 h billable, admin, logged Fri 18:00 (2.75 days after the end of Tue)
 *   e5 Wed PI 8 h                   e6 Thu PC 8 h billable          Fri: nothing
 *
 * Utilization (week of 03-04, capacity 5 × 8 = 40 through the as-of Friday):
 *   billable hours = billable entries on client work = 6 + 4 + 8 = 18 (e4 is on an internal project: not billable
 *   time, whatever its flag); internal = 2 + 4 + 8 = 14; all = 32. Utilization 18/40 = 0.45, logged
 *   utilization 32/40 = 0.8, billable ratio 18/32 = 0.5625, completeness min(1, 32/40) = 0.8 (credit 32).
 * Logging latency: e4 within 7 days (4 h), the other five the same day (28 h); Friday batch 4/32 = 0.125.
 * Review flags: e4 billable_admin and billable_on_non_billable (both on PI, no client); missing_day Fri 03-08.
 * Funnel (client work is PC only; PI adds no value, only its hours to "logged, internal included"):
 *   tracked = billable = 18 × 100 = 1800; untracked gap = max(0, 40 − 32) = 8 h, valued at 1800 / 18 = 100/h
 *   → 800, all on PC; potential = 2600; revenue (T&M) = 1800; not invoiced 1800; collected 0;
 *   cost = 18 × 50 = 900 (client hours only; PI's 14 h × 50 = 700 are cost outside the funnel);
 *   realized margin = 0 − 900 = −900. Invariant: 2600 − 800 − 0 − 0 − 1800 − 0 − 0 − 0 = 0 = collected.
 * Billing loaded on it: invoice I1 to Acme (paid 03-08) has one fixed_fee line of 200 GBP on PI for March, and
 *   payment PAY1 pays it. It lands under PI with no client: potential, tracked, billable and revenue 0; not
 *   invoiced = 0 − 200 = −200; billed 200, collected 200, cost 0, realized margin 200. Invariant for PI:
 *   0 − (−200) = 200 = collected. Realization: PI billed 200, collected 200.
 * Estimate vs actual: PI tooling/developer 14 of 40 h (ratio 0.35), PC build/developer 18 of 100 h.
 */
const fixture = fixtureOnce(path.resolve(import.meta.dirname, '../fixtures/internal-project'));

describe('an internal project (no client) in the marts', () => {
    it('keeps its row in dim_projects, without a client, in the reporting currency', async () => {
        expect(await fixture.warehouse.all(`select project_id, client_id, client_name, billing_model, is_client_work, currency from marts.dim_projects order by project_id`)).toEqual([
            { project_id: 'PC', client_id: 'C1', client_name: 'Acme', billing_model: 'time_and_materials', is_client_work: true, currency: 'GBP' },
            { project_id: 'PI', client_id: null, client_name: null, billing_model: 'non_billable', is_client_work: false, currency: 'GBP' },
        ]);
        expect(await fixture.warehouse.all(`select client_id, projects, active_projects from marts.dim_clients`)).toEqual([{ client_id: 'C1', projects: 1, active_projects: 1 }]);
    });

    it('counts its hours in utilization as internal time: in logged utilization, not in billable hours', async () => {
        const row = await fixture.warehouse.one(
            `select sum(capacity_hours)::double as capacity, sum(billable_hours)::double as billable, sum(client_hours)::double as client,
                    sum(internal_hours)::double as internal, sum(all_hours)::double as logged, sum(completeness_credit_hours)::double as credit,
                    (sum(billable_hours) / sum(capacity_hours))::double as utilization, (sum(all_hours) / sum(capacity_hours))::double as logged_utilization,
                    (sum(billable_hours) / sum(all_hours))::double as billable_ratio
             from marts.fct_utilization where person_id = 'A1' and work_week = '2024-03-04'`,
        );
        expect(row).toEqual({ capacity: 40, billable: 18, client: 18, internal: 14, logged: 32, credit: 32, utilization: 0.45, logged_utilization: 0.8, billable_ratio: 0.5625 });
        expect(await fixture.warehouse.all(`select project_id, client_id, sum(hours)::double as hours from marts.fct_entries_daily group by all order by project_id`)).toEqual([
            { project_id: 'PC', client_id: 'C1', hours: 18 },
            { project_id: 'PI', client_id: null, hours: 14 },
        ]);
    });

    it('counts its entries in logging latency and in the review flags', async () => {
        expect(
            await fixture.warehouse.all(
                `select entries::integer as entries, hours::double as hours, same_day_hours::double as same_day, within_7_days_hours::double as within_7,
                        batch_hours::double as batch, batch_share::double as batch_share from marts.fct_logging_latency_weekly`,
            ),
        ).toEqual([{ entries: 6, hours: 32, same_day: 28, within_7: 4, batch: 4, batch_share: 0.125 }]);
        expect(await fixture.warehouse.all(`select rule, entry_id, project_id, client_id, work_date::varchar as work_date from marts.fct_review_flags order by rule`)).toEqual([
            { rule: 'billable_admin', entry_id: 'e4', project_id: 'PI', client_id: null, work_date: '2024-03-05' },
            { rule: 'billable_on_non_billable', entry_id: 'e4', project_id: 'PI', client_id: null, work_date: '2024-03-05' },
            { rule: 'missing_day', entry_id: null, project_id: null, client_id: null, work_date: '2024-03-08' },
        ]);
    });

    it('adds no potential value or revenue to the funnel: its hours only shrink the untracked gap; billing loaded on it shows under no client', async () => {
        expect(
            await fixture.warehouse.all(
                `select client_id, project_id, sum(potential_value)::double as potential, sum(untracked_value)::double as untracked,
                        sum(tracked_value)::double as tracked, sum(billable_value)::double as billable, sum(recognized_revenue)::double as revenue,
                        sum(not_invoiced_value)::double as not_invoiced, sum(collected_value)::double as collected, sum(cost)::double as cost,
                        sum(realized_margin)::double as realized_margin, sum(client_hours)::double as client_hours
                 from marts.fct_margin_funnel group by all order by project_id`,
            ),
        ).toEqual([
            { client_id: 'C1', project_id: 'PC', potential: 2600, untracked: 800, tracked: 1800, billable: 1800, revenue: 1800, not_invoiced: 1800, collected: 0, cost: 900, realized_margin: -900, client_hours: 18 },
            { client_id: null, project_id: 'PI', potential: 0, untracked: 0, tracked: 0, billable: 0, revenue: 0, not_invoiced: -200, collected: 200, cost: 0, realized_margin: 200, client_hours: 0 },
        ]);
        expect(await fixture.warehouse.all(`select client_id, project_id, sum(billed_value)::double as billed, sum(collected_value)::double as collected from marts.fct_realization group by all order by project_id`)).toEqual([
            { client_id: 'C1', project_id: 'PC', billed: 0, collected: 0 },
            { client_id: null, project_id: 'PI', billed: 200, collected: 200 },
        ]);
        expect(await fixture.warehouse.all(`select distinct project_id from (select project_id from intermediate.int_revenue_recognized union all select project_id from marts.fct_margin)`)).toEqual([
            { project_id: 'PC' },
        ]);
    });

    it('has its estimate vs actual', async () => {
        expect(await fixture.warehouse.all(`select project_id, client_id, phase, estimated_hours::double as estimated, actual_hours::double as actual, ratio from marts.fct_estimate_vs_actual order by project_id`)).toEqual([
            { project_id: 'PC', client_id: 'C1', phase: 'build', estimated: 100, actual: 18, ratio: 0.18 },
            { project_id: 'PI', client_id: null, phase: 'tooling', estimated: 40, actual: 14, ratio: 0.35 },
        ]);
    });
});
