import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeDemo } from '../../../ingest/demo/index.ts';
import { tempDir } from '../../helpers/fixtures.ts';
import { buildOnce } from '../../helpers/models.ts';
import { buildFinance } from './finance.ts';

/*
 * The funnel invariant on a generated firm (ingest/demo, ~30 000 entries, 24 months to 2024-06-30, as_of
 * set to that end so nothing depends on today): potential − Σ leaks of stages 1…6 = collected, to the cent,
 * for the whole firm and for every client, project and month; and each stage agrees with its sources.
 */

const END = '2024-06-30';
const build = buildOnce(async () => {
    const dir = tempDir('realize-funnel-demo-');
    try {
        await writeDemo({ outDir: dir, seed: 7, end: END, entries: 30_000 });
        // The demo writes as_of = its end date into settings.csv, so nothing depends on today.
        return await buildFinance(dir);
    } finally {
        fs.rmSync(dir, { recursive: true, force: true });
    }
});

const LEAKS = 'untracked_value + unbilled_value + overrun_value + not_invoiced_value + fx_difference_value + credited_value + uncollected_value';

describe('the margin funnel on the demo firm', () => {
    it('builds with every finance test passing, warnings included', () => {
        expect(build.failures).toEqual([]);
    });

    it('has something in every stage and leak, over the 24 months', async () => {
        const firm = await build.warehouse.one(
            `select count(distinct month) >= 24 as months, min(potential_value) >= 0 as potential, sum(untracked_value) > 0 as untracked,
                    sum(unbilled_value) > 0 as unbilled, sum(overrun_value) <> 0 as overrun, sum(recognized_revenue) > 0 as recognized,
                    sum(not_invoiced_value) <> 0 as not_invoiced, sum(billed_value) > 0 as billed, sum(credited_value) > 0 as credited,
                    sum(uncollected_value) > 0 as uncollected, sum(collected_value) > 0 as collected,
                    sum(budget_overrun_value) > 0 as budget_overrun, sum(price_difference_value) <> 0 as price_difference,
                    sum(awaiting_signoff_value) <> 0 as awaiting_signoff, sum(fx_difference_value) <> 0 as fx_difference
             from marts.fct_margin_funnel`,
        );
        expect(firm).toEqual({
            months: true, potential: true, untracked: true, unbilled: true, overrun: true, recognized: true,
            not_invoiced: true, billed: true, credited: true, uncollected: true, collected: true,
            budget_overrun: true, price_difference: true, awaiting_signoff: true, fx_difference: true,
        });
    });

    for (const [scope, key] of [
        ['the whole firm', `'firm'`],
        ['every client', 'client_id'],
        ['every project', 'project_id'],
        ['every month', `month::varchar`],
        ['every client × month', `client_id || ' ' || month::varchar`],
    ] as const) {
        it(`reconciles to the cent for ${scope}`, async () => {
            const broken = await build.warehouse.all(
                `select ${key} as scope_key, sum(potential_value) - sum(${LEAKS}) - sum(collected_value) as gap
                 from marts.fct_margin_funnel group by 1
                 having abs(sum(potential_value) - sum(${LEAKS}) - sum(collected_value)) >= 0.005`,
            );
            expect(broken).toEqual([]);
        });
    }

    it('agrees with its sources: tracked value, billed, credited and collected', async () => {
        const check = await build.warehouse.one(
            `with fx as (select * from staging.stg_fx_rates),
             firm as (select * from intermediate.int_firm),
             docs as (
                 select 'billed' as what, l.amount, i.currency, i.issue_date as d from staging.stg_invoice_lines l join staging.stg_invoices i using (invoice_id) where i.counts_as_billed
                 union all select 'credited', c.amount, i.currency, c.issue_date from staging.stg_credit_notes c join staging.stg_invoices i using (invoice_id) where i.counts_as_billed
                 union all select 'collected', p.amount, i.currency, p.paid_date from staging.stg_payments p join staging.stg_invoices i using (invoice_id) where i.counts_as_billed
             ),
             converted as (
                 select what, amount * case when docs.currency = firm.reporting_currency then 1 else fx.rate_to_reporting end as eur
                 from docs cross join firm asof left join fx on fx.currency = docs.currency and docs.d >= fx.rate_date
             ),
             sources as (
                 select
                     (select sum(std_value) from intermediate.int_entries_priced where is_client_work) as tracked,
                     (select sum(eur) from converted where what = 'billed') as billed,
                     (select sum(eur) from converted where what = 'credited') as credited,
                     (select sum(eur) from converted where what = 'collected') as collected
             ),
             funnel as (
                 select sum(tracked_value) as tracked, sum(billed_value) as billed, sum(credited_value) as credited,
                        sum(collected_value) as collected
                 from marts.fct_margin_funnel
             )
             select round(abs(s.tracked - f.tracked), 2) as tracked, round(abs(s.billed - f.billed), 2) as billed,
                    round(abs(s.credited - f.credited), 2) as credited, round(abs(s.collected - f.collected), 2) as collected
             from sources s cross join funnel f`,
        );
        expect(check).toEqual({ tracked: 0, billed: 0, credited: 0, collected: 0 });
    });

    it('drills down: the rows of every leak sum to the funnel for every client × project × month × accrued_on', async () => {
        const mismatches = await build.warehouse.one<{ n: number }>(
            `with funnel as (
                 select client_id, project_id, month, accrued_on, 'untracked' as metric, untracked_value as amount from marts.fct_margin_funnel
                 union all select client_id, project_id, month, accrued_on, 'unbilled', unbilled_value from marts.fct_margin_funnel
                 union all select client_id, project_id, month, accrued_on, 'overrun', overrun_value from marts.fct_margin_funnel
                 union all select client_id, project_id, month, accrued_on, 'budget_overrun', budget_overrun_value from marts.fct_margin_funnel
                 union all select client_id, project_id, month, accrued_on, 'price_difference', price_difference_value from marts.fct_margin_funnel
                 union all select client_id, project_id, month, accrued_on, 'awaiting_signoff', awaiting_signoff_value from marts.fct_margin_funnel
                 union all select client_id, project_id, month, accrued_on, 'not_invoiced', not_invoiced_value from marts.fct_margin_funnel
                 union all select client_id, project_id, month, accrued_on, 'fx_difference', fx_difference_value from marts.fct_margin_funnel
                 union all select client_id, project_id, month, accrued_on, 'credited', credited_value from marts.fct_margin_funnel
                 union all select client_id, project_id, month, accrued_on, 'uncollected', uncollected_value from marts.fct_margin_funnel
             ),
             drill as (
                 select client_id, project_id, month, accrued_on, case when metric like 'unbilled_%' then 'unbilled' else metric end as metric,
                        sum(amount) as amount
                 from marts.fct_funnel_rows group by all
             )
             select count(*)::integer as n from funnel f full join drill d using (client_id, project_id, month, accrued_on, metric)
             where abs(coalesce(f.amount, 0) - coalesce(d.amount, 0)) >= 0.005`,
        );
        expect(mismatches).toEqual({ n: 0 });
    });
});
