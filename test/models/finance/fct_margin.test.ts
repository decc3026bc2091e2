import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildOnce } from '../../helpers/models.ts';
import { buildFinance, FIXTURES } from './finance.ts';

/*
 * Fixture finance-margin (reporting EUR, as_of 2024-03-31). USD→EUR: 0.9 from 2024-01-01, 0.95 from 2024-02-10.
 * Rates: developer 100 EUR/h through 2024-01-14, 120 from 2024-01-15 (a change mid-January); designer 80.
 * Cost: P1 (developer) 50/h, P2 (designer) 40/h.
 *
 * T1 Acme, time_and_materials (EUR)
 *   E01 P1 Wed 10 Jan 8 h billable   std 8 × 100 = 800    cost 400
 *   E02 P1 Tue 16 Jan 8 h billable   std 8 × 120 = 960    cost 400   (new rate)
 *   E03 P2 Tue 16 Jan 2 h meeting, not billable  std 160 (no revenue)  cost 80
 *   E04 P1 Mon 05 Feb 5 h billable, draft        std 600               cost 250
 *   revenue Jan = 800 + 960 = 1760; Feb = 600
 *   margin Jan = 1760 − 880 = 880, 50 %; all client hours 18 → effective rate 1760 / 18 = 97.78
 *   margin Feb = 600 − 250 = 350, 58.33 %; 5 h → 120
 * F1 Globex, fixed_fee, budget 20 h, contract 10 000 USD
 *   Jan: E05 8 h → cumulative 8 h, 8/20 = 0.4 → earned 4 000 USD; minus 0 = 4 000 × 0.9 (fx 1 Jan) = 3 600 EUR
 *   Feb: E06 10 h → 18 h, 0.9 → 9 000; 9 000 − 4 000 = 5 000 USD × 0.9 (fx 1 Feb; 0.95 starts 10 Feb) = 4 500
 *   Mar: E07 6 h + E08 4 h → 28 h > budget → min(1, 28/20) = 1 → 10 000; +1 000 USD × 0.95 = 950   (over budget)
 *   cost Jan 8 × 50 = 400; Feb 10 × 50 = 500; Mar 6 × 50 + 4 × 40 = 460
 *   margin Jan 3 200 (88.89 %, 3 600 / 8 h = 450/h); Feb 4 000 (88.89 %, 450/h); Mar 490 (51.58 %, 950 / 10 h = 95/h)
 * M1 Globex, milestone (USD)
 *   MS1 5 000 USD signed off 20 Mar → fx 0.95 → 4 750 EUR in March
 *   MS2 3 000 USD signed off 5 Apr (after as_of): 2 850 EUR in int_revenue_recognized, not in the mart
 *   MS3 not signed off: nothing
 *   E09 P2 14 Feb 10 h → Feb: revenue 0, cost 400, margin −400, margin % null, rate 0 / 10 h = 0
 *   March: revenue 4 750, no hours → margin 4 750, 100 %, rate null
 * N1 internal (non_billable): E10 4 h — not client work, no row.
 */

const build = buildOnce(() => buildFinance(path.join(FIXTURES, 'finance-margin')));

describe('intermediate.int_revenue_recognized', () => {
    it('recognizes each billing model its own way, through the horizon', async () => {
        // Time and fixed fee by work date (a report as of a day counts the work through it), summed per month.
        const rows = await build.warehouse.all(
            `select project_id, revenue_month, milestone_id, max(recognized_on) as last_recognized_on, max(cumulative_billable_hours) as cum_hours,
                    round(sum(revenue_native), 2) as native, any_value(fx_rate) as fx_rate, round(sum(revenue), 2) as revenue
             from intermediate.int_revenue_recognized group by all order by project_id, revenue_month`,
        );
        expect(rows).toEqual([
            { project_id: 'F1', revenue_month: '2024-01-01', milestone_id: null, last_recognized_on: '2024-01-22', cum_hours: 8, native: 4000, fx_rate: 0.9, revenue: 3600 },
            { project_id: 'F1', revenue_month: '2024-02-01', milestone_id: null, last_recognized_on: '2024-02-12', cum_hours: 18, native: 5000, fx_rate: 0.9, revenue: 4500 },
            { project_id: 'F1', revenue_month: '2024-03-01', milestone_id: null, last_recognized_on: '2024-03-05', cum_hours: 28, native: 1000, fx_rate: 0.95, revenue: 950 },
            { project_id: 'M1', revenue_month: '2024-03-01', milestone_id: 'MS1', last_recognized_on: '2024-03-20', cum_hours: null, native: 5000, fx_rate: 0.95, revenue: 4750 },
            { project_id: 'M1', revenue_month: '2024-04-01', milestone_id: 'MS2', last_recognized_on: '2024-04-05', cum_hours: null, native: 3000, fx_rate: 0.95, revenue: 2850 },
            { project_id: 'T1', revenue_month: '2024-01-01', milestone_id: null, last_recognized_on: '2024-01-16', cum_hours: null, native: null, fx_rate: null, revenue: 1760 },
            { project_id: 'T1', revenue_month: '2024-02-01', milestone_id: null, last_recognized_on: '2024-02-05', cum_hours: null, native: null, fx_rate: null, revenue: 600 },
        ]);
    });

    it('recognizes time and fixed fee day by day: F1 crosses its budget on 4 March, T1 earns 800 on 10 January', async () => {
        // F1: 18 h by February's end; E07 6 h on Mon 4 Mar → 24 h ≥ 20 → 10 000 − 9 000 = 1 000 USD × 0.95 on 4 Mar;
        // E08 4 h on 5 Mar adds nothing. T1: E01 800 on 10 Jan, E02 960 on 16 Jan.
        const rows = await build.warehouse.all(
            `select project_id, recognized_on, cumulative_billable_hours as cum_hours, round(revenue, 2) as revenue
             from intermediate.int_revenue_recognized
             where (project_id = 'F1' and revenue_month = '2024-03-01') or (project_id = 'T1' and revenue_month = '2024-01-01')
             order by project_id, recognized_on`,
        );
        expect(rows).toEqual([
            { project_id: 'F1', recognized_on: '2024-03-04', cum_hours: 24, revenue: 950 },
            { project_id: 'F1', recognized_on: '2024-03-05', cum_hours: 28, revenue: 0 },
            { project_id: 'T1', recognized_on: '2024-01-10', cum_hours: null, revenue: 800 },
            { project_id: 'T1', recognized_on: '2024-01-16', cum_hours: null, revenue: 960 },
        ]);
    });

    it('never recognizes more than the contract value of a fixed-fee project over budget', async () => {
        expect(await build.warehouse.one(`select sum(revenue_native)::double as usd from intermediate.int_revenue_recognized where project_id = 'F1'`)).toEqual({ usd: 10000 });
    });
});

/** The rows a report as of the firm's as_of reads (the mart runs through the horizon). */
const AS_OF = `month <= (select as_of from intermediate.int_firm) and accrued_on <= (select as_of from intermediate.int_firm)`;

describe('marts.fct_margin', () => {
    it('sets revenue recognized as of the as_of date against the cost of all client hours', async () => {
        const rows = await build.warehouse.all(
            // As a report reads the mart: rows counting by the as_of (a milestone from its sign-off date), ratios
            // from the sums of a project-month's rows.
            `select project_id, month, round(sum(revenue), 2) as revenue, round(sum(cost), 2) as cost, round(sum(margin), 2) as margin,
                    round(sum(margin) / nullif(sum(revenue), 0), 4) as margin_pct, sum(client_hours) as client_hours, sum(billable_hours) as billable_hours,
                    round(sum(revenue) / nullif(sum(client_hours), 0), 2) as rate
             from marts.fct_margin where ${AS_OF} group by all order by project_id, month`,
        );
        expect(rows).toEqual([
            { project_id: 'F1', month: '2024-01-01', revenue: 3600, cost: 400, margin: 3200, margin_pct: 0.8889, client_hours: 8, billable_hours: 8, rate: 450 },
            { project_id: 'F1', month: '2024-02-01', revenue: 4500, cost: 500, margin: 4000, margin_pct: 0.8889, client_hours: 10, billable_hours: 10, rate: 450 },
            { project_id: 'F1', month: '2024-03-01', revenue: 950, cost: 460, margin: 490, margin_pct: 0.5158, client_hours: 10, billable_hours: 10, rate: 95 },
            { project_id: 'M1', month: '2024-02-01', revenue: 0, cost: 400, margin: -400, margin_pct: null, client_hours: 10, billable_hours: 10, rate: 0 },
            { project_id: 'M1', month: '2024-03-01', revenue: 4750, cost: 0, margin: 4750, margin_pct: 1, client_hours: 0, billable_hours: 0, rate: null },
            { project_id: 'T1', month: '2024-01-01', revenue: 1760, cost: 880, margin: 880, margin_pct: 0.5, client_hours: 18, billable_hours: 16, rate: 97.78 },
            { project_id: 'T1', month: '2024-02-01', revenue: 600, cost: 250, margin: 350, margin_pct: 0.5833, client_hours: 5, billable_hours: 5, rate: 120 },
        ]);
    });

    it('re-aggregates from sums: the firm earned 16 160 against 2 890 of cost', async () => {
        // revenue 3 600 + 4 500 + 950 + 4 750 + 1 760 + 600 = 16 160; cost 400 + 500 + 460 + 400 + 880 + 250 = 2 890
        expect(
            await build.warehouse.one(
                `select round(sum(revenue), 2) as revenue, round(sum(cost), 2) as cost, round(sum(margin) / sum(revenue), 4) as margin_pct
                 from marts.fct_margin where ${AS_OF}`,
            ),
        ).toEqual({ revenue: 16160, cost: 2890, margin_pct: 0.8212 });
    });

    it('passes every finance test of the build, warnings included', async () => {
        expect(build.failures).toEqual([]);
    });
});
