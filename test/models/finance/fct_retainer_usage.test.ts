import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildOnce } from '../../helpers/models.ts';
import { buildFinance, FIXTURES } from './finance.ts';

/*
 * Fixture finance-retainer (reporting EUR, as_of 2024-06-15; an entry on 2 July makes the horizon 2024-07-02).
 * R1 (client in GBP; GBP→EUR 1.15 from 2024-01-01, 1.2 from 2024-04-15) has two terms:
 *   from 2024-01-01: fee 2 000, 10 h included, overage 150/h, rollover 2 months
 *   from 2024-04-01: fee 2 500, 12 h included, overage 160/h, rollover 2 months   (the term change)
 * Billable hours per month (E03, a 2 h non-billable meeting in January, does not count):
 *   Jan 6.5 (4 h + 2 h 30 min) · Feb 8 · Mar 15 · Apr 14 · May 5 · Jun 20 · Jul 3
 * Own hours first, then the unused hours of the previous 2 months, oldest first (unused balances after each month):
 *   Jan  own 6.5 of 10                                   unused: Jan 3.5
 *   Feb  own 8 of 10; window [Jan 3.5] not needed         unused: Jan 3.5, Feb 2
 *   Mar  own 10, needs 5 more; window [Jan 3.5, Feb 2]: Jan gives 3.5 (oldest first), Feb 1.5 → overage 0
 *                                                          unused: Jan 0, Feb 0.5, Mar 0
 *   Apr  own 12, needs 2; window [Feb 0.5, Mar 0] → 0.5 (Feb's leftover is what oldest-first kept alive;
 *        newest-first would have left Feb at 0) → overage 1.5 × 160 = 240 GBP
 *   May  own 5 of 12, window [Mar 0, Apr 0]               unused: May 7
 *   Jun  own 12, needs 8; window [Apr 0, May 7] → 7 → overage 1 × 160 = 160 GBP
 *   Jul  own 3 (after as_of: in the intermediate model only)
 * Revenue (fee + overage) × fx of the 1st of the month:
 *   Jan–Mar 2 000 × 1.15 = 2 300 · Apr 2 740 × 1.15 = 3 151 · May 2 500 × 1.2 = 3 000 · Jun 2 660 × 1.2 = 3 192
 *
 * R2 (same client) starts mid-January and ends 31 March; its second term starts mid-February (20 Feb):
 *   from 2024-01-15: fee 1 000, 5 h, overage 100, no rollover; from 2024-02-20: fee 1 200, 5 h, overage 120.
 *   A term starting mid-month governs that whole month (a month never pays two fees), fees are not prorated:
 *   Jan fee 1 000, no hours → 1 150 EUR
 *   Feb term 2: F01 5 Feb 3 h + F02 26 Feb 4 h = 7 h → 5 included, 2 × 120 = 240 overage → 1 440 GBP → 1 656 EUR
 *   Mar fee 1 200 → 1 380 EUR; nothing after the end date.
 */

const build = buildOnce(() => buildFinance(path.join(FIXTURES, 'finance-retainer')));

describe('marts.fct_retainer_usage', () => {
    it('uses included hours first, then rolled-over hours oldest first, then bills overage', async () => {
        const rows = await build.warehouse.all(
            `select month, term_effective_from as term, included_hours as incl, billable_hours as used,
                    included_used_hours as own, included_unused_hours as left_over, rollover_available_hours as avail,
                    rollover_used_hours as rolled, overage_hours as over, fee_native as fee_gbp,
                    round(overage_amount_native, 2) as over_gbp, fx_rate as fx, round(fee, 2) as fee,
                    round(overage_amount, 2) as over_eur, round(revenue, 2) as revenue
             from marts.fct_retainer_usage where project_id = 'R1' and month <= (select as_of from intermediate.int_firm) order by month`,
        );
        expect(rows).toEqual([
            { month: '2024-01-01', term: '2024-01-01', incl: 10, used: 6.5, own: 6.5, left_over: 3.5, avail: 0, rolled: 0, over: 0, fee_gbp: 2000, over_gbp: 0, fx: 1.15, fee: 2300, over_eur: 0, revenue: 2300 },
            { month: '2024-02-01', term: '2024-01-01', incl: 10, used: 8, own: 8, left_over: 2, avail: 3.5, rolled: 0, over: 0, fee_gbp: 2000, over_gbp: 0, fx: 1.15, fee: 2300, over_eur: 0, revenue: 2300 },
            { month: '2024-03-01', term: '2024-01-01', incl: 10, used: 15, own: 10, left_over: 0, avail: 5.5, rolled: 5, over: 0, fee_gbp: 2000, over_gbp: 0, fx: 1.15, fee: 2300, over_eur: 0, revenue: 2300 },
            { month: '2024-04-01', term: '2024-04-01', incl: 12, used: 14, own: 12, left_over: 0, avail: 0.5, rolled: 0.5, over: 1.5, fee_gbp: 2500, over_gbp: 240, fx: 1.15, fee: 2875, over_eur: 276, revenue: 3151 },
            { month: '2024-05-01', term: '2024-04-01', incl: 12, used: 5, own: 5, left_over: 7, avail: 0, rolled: 0, over: 0, fee_gbp: 2500, over_gbp: 0, fx: 1.2, fee: 3000, over_eur: 0, revenue: 3000 },
            { month: '2024-06-01', term: '2024-04-01', incl: 12, used: 20, own: 12, left_over: 0, avail: 7, rolled: 7, over: 1, fee_gbp: 2500, over_gbp: 160, fx: 1.2, fee: 3000, over_eur: 192, revenue: 3192 },
        ]);
    });

    it('keeps the months after as_of, through the horizon, for other as_of dates', async () => {
        expect(await build.warehouse.all(`select project_id, month, billable_hours, round(revenue, 2) as revenue from marts.fct_retainer_usage where month > '2024-06-01'`)).toEqual([
            { project_id: 'R1', month: '2024-07-01', billable_hours: 3, revenue: 3000 },
        ]);
        expect(
            await build.warehouse.all(
                `select project_id, month, billable_hours, round(revenue, 2) as revenue from intermediate.int_retainer_usage where month > '2024-06-01'`,
            ),
        ).toEqual([{ project_id: 'R1', month: '2024-07-01', billable_hours: 3, revenue: 3000 }]);
    });

    it('gives a month to the term that starts in it, whole, and stops at the end date', async () => {
        const rows = await build.warehouse.all(
            `select month, term_effective_from as term, billable_hours as used, overage_hours as over,
                    fee_native as fee_gbp, round(overage_amount_native, 2) as over_gbp, round(revenue, 2) as revenue
             from marts.fct_retainer_usage where project_id = 'R2' order by month`,
        );
        expect(rows).toEqual([
            { month: '2024-01-01', term: '2024-01-15', used: 0, over: 0, fee_gbp: 1000, over_gbp: 0, revenue: 1150 },
            { month: '2024-02-01', term: '2024-02-20', used: 7, over: 2, fee_gbp: 1200, over_gbp: 240, revenue: 1656 },
            { month: '2024-03-01', term: '2024-02-20', used: 0, over: 0, fee_gbp: 1200, over_gbp: 0, revenue: 1380 },
        ]);
    });

    it('is the retainer revenue recognized, month by month', async () => {
        // 2 300 × 3 + 3 151 + 3 000 + 3 192 = 16 243 through June; July's 3 000 is recognized on 1 Jul, after as_of.
        expect(
            await build.warehouse.one(
                `select round(sum(revenue) filter (where recognized_on <= '2024-06-15'), 2) as as_of_june,
                        round(sum(revenue), 2) as horizon
                 from intermediate.int_revenue_recognized where project_id = 'R1'`,
            ),
        ).toEqual({ as_of_june: 16243, horizon: 19243 });
        // with R2's 1 150 + 1 656 + 1 380 = 4 186: 20 429 in the funnel
        expect(
            await build.warehouse.one(
                `select round(sum(recognized_revenue), 2) as funnel from marts.fct_margin_funnel
                 where month <= (select as_of from intermediate.int_firm) and accrued_on <= (select as_of from intermediate.int_firm)`,
            ),
        ).toEqual({ funnel: 20429 });
        // the marts run through the horizon: a report as of July reads July's fee too
        expect(await build.warehouse.one(`select round(sum(recognized_revenue), 2) as funnel from marts.fct_margin_funnel`)).toEqual({ funnel: 23429 });
    });

    it('passes every finance test of the build, warnings included', async () => {
        expect(build.failures).toEqual([]);
    });
});
