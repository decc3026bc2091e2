import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { testModels } from '../../../warehouse/models.ts';
import { buildOnce } from '../../helpers/models.ts';
import { buildFinance, financeModelsDir, FIXTURES } from './finance.ts';

/*
 * Fixture funnel-parts (reporting EUR, as_of Sun 2024-03-31; no capacity, so no untracked time): the leak
 * below stage 3 (billable value − revenue recognized) in its three parts.
 * Cards: developer 100 EUR, designer 80 EUR, P3 (a developer) 50 EUR by person card, T1 110 USD by project card.
 * USD→EUR 0.90 from 1 Jan, 0.88 from 15 Jan, 0.80 from 1 Feb, 0.85 from 1 Mar.
 *
 * F1 fixed fee (Acme, EUR), budget 10 h, contract 800. Billable hours in work-date order:
 *   E01 P1 Mon  8 Jan 6 h (600)         through  6 h
 *   E02 P1 Tue  9 Jan 3 h (300)         through  9 h   (E03 that day: 1 h meeting, not billable — not budget)
 *   E04 P1 Wed 10 Jan 2 h (200) ┐       through 13 h: the day crosses the budget; its 4 h share the 3 h
 *   E05 P2 Wed 10 Jan 2 h (160) ┘       beyond it pro rata: 1.5 h each, E04 150 and E05 120 beyond
 *   E06 P1 Mon  5 Feb 2 h (200)         through 15 h: all beyond
 *   Revenue: January 13 h ≥ 10 h → 800; February 800 − 800 = 0.
 *   Jan: billable 1 260 − revenue 800 = 460 = overrun 150 + 120 = 270, price difference (600 + 300 + 50 + 40)
 *        − 800 = 190 (the 10 h within budget are worth 990 at the card, the contract pays 800).
 *   Feb: billable 200 − revenue 0 = 200 = overrun 200.
 * R1 retainer (Acme, EUR) from 1 Jan: fee 1 000, 10 h included, overage 60 /h, no rollover.
 *   Jan: E10 P1 Tue 2 Jan 4 h (400), E11 P1 Wed 17 Jan 5 h (500), E12 P1 Wed 31 Jan 3 h (300), E13 P2 Wed
 *        31 Jan 1 h (80): 13 h, 3 h overage = the last 3 h: 31 Jan's 4 h share them, E12 2.25 h (225), E13
 *        0.75 h (60) → their std value 285 − overage revenue 3 × 60 = 180 → overrun 105; price difference
 *        (1 280 − 285) − fee 1 000 = −5. Check: 1 280 − 1 180 = 100 = 105 − 5.
 *   Feb: no hours; the fee 1 000 is a price difference of −1 000.
 *   Mar: E14 P1 Mon 4 Mar 10 h (1 000), E15 P3 Fri 29 Mar 2 h (100): 2 h overage (E15) worth 100 at the
 *        card against 120 of overage revenue → overrun max(0, −20) = 0, never netted: price difference
 *        1 100 − 1 120 = −20.
 * M1 milestone (Globex, USD): MS1 1 000 USD signed off Thu 15 Feb (0.80) → 800; MS2 500 USD not signed off.
 *   E20 P1 Wed 10 Jan 5 h (500); E21 P1 Mon 12 Feb 3 h (300).
 *   Jan: awaiting sign-off 500. Feb: 300 of work (from 1 Feb) and the sign-off releases 800 (from 15 Feb) → −500.
 * T1 time and materials (Globex, USD): E30 P1 Mon 15 Jan 8 h × 110 USD × 0.88 = 774.40, recognized as such: no gap.
 *
 * Stage 3 leak        overrun   price difference   awaiting sign-off   = billable − recognized
 *   F1 Jan                270                190                   0       1 260 − 800     =   460
 *   F1 Feb                200                  0                   0         200 − 0       =   200
 *   R1 Jan                105                 −5                   0       1 280 − 1 180   =   100
 *   R1 Feb                  0             −1 000                   0           0 − 1 000   = −1 000
 *   R1 Mar                  0                −20                   0       1 100 − 1 120   =   −20
 *   M1 Jan                  0                  0                 500         500 − 0       =   500
 *   M1 Feb                  0                  0                −500         300 − 800     =  −500
 *   T1 Jan                  0                  0                   0      774.40 − 774.40  =     0
 *   total                 575               −835                   0                          −260
 *
 * Below stage 4 (invoices in USD; I4 is void and counts for nothing):
 *   I1 issued Mon 5 Feb (0.80): line 1 time 880 USD for E30 → billed 704; its revenue was recognized at E30's
 *      work date, 15 Jan (0.88) → 774.40. Line 2 adjustment −20 USD for 10 Jan → billed −16; a line not billed
 *      by entry is recognized at the first day of its month, 1 Jan (0.90) → −18.
 *   I2 issued Sun 10 Mar (0.85): MS1 1 000 USD, no period → March; billed 850; MS1 was signed off 15 Feb,
 *      before the invoice → its sign-off date's rate 0.80 → 800.
 *   I3 issued Sat 20 Jan (0.88): MS2 500 USD, billed before its sign-off → the first day of the line's month,
 *      1 Jan (0.90) → 450; billed 440.
 *                   recognized   billed at recognition   billed   not yet invoiced   fx difference
 *   T1 Jan              774.40          774.40 − 18 = 756.40     688               18            68.40
 *   M1 Jan                   0                         450      440             −450               10
 *   M1 Mar                   0                         800      850             −800              −50
 *   (F1, R1 and M1 Feb are not invoiced: not yet invoiced = recognized, fx difference 0.)
 *   Check T1: 774.40 − (18 + 68.40) = 688 billed; the stage-4 leak is recognized − billed as before.
 */

const build = buildOnce(() => buildFinance(path.join(FIXTURES, 'funnel-parts')));

const PARTS = `round(sum(billable_value), 2) as billable, round(sum(recognized_revenue), 2) as recognized, round(sum(overrun_value), 2) as overrun,
    round(sum(budget_overrun_value), 2) as budget_overrun, round(sum(price_difference_value), 2) as price_difference,
    round(sum(awaiting_signoff_value), 2) as awaiting_signoff`;

describe('the overrun below stage 3, in three parts', () => {
    it('builds with every finance test passing', () => {
        expect(build.failures).toEqual([]);
    });

    it('splits billable value − revenue recognized per project × month into overrun, price difference and awaiting sign-off', async () => {
        const rows = await build.warehouse.all(
            `select project_id, month, ${PARTS} from marts.fct_margin_funnel
             where billable_value <> 0 or recognized_revenue <> 0 group by all order by project_id, month`,
        );
        expect(rows).toEqual([
            { project_id: 'F1', month: '2024-01-01', billable: 1260, recognized: 800, overrun: 460, budget_overrun: 270, price_difference: 190, awaiting_signoff: 0 },
            { project_id: 'F1', month: '2024-02-01', billable: 200, recognized: 0, overrun: 200, budget_overrun: 200, price_difference: 0, awaiting_signoff: 0 },
            { project_id: 'M1', month: '2024-01-01', billable: 500, recognized: 0, overrun: 500, budget_overrun: 0, price_difference: 0, awaiting_signoff: 500 },
            { project_id: 'M1', month: '2024-02-01', billable: 300, recognized: 800, overrun: -500, budget_overrun: 0, price_difference: 0, awaiting_signoff: -500 },
            { project_id: 'R1', month: '2024-01-01', billable: 1280, recognized: 1180, overrun: 100, budget_overrun: 105, price_difference: -5, awaiting_signoff: 0 },
            { project_id: 'R1', month: '2024-02-01', billable: 0, recognized: 1000, overrun: -1000, budget_overrun: 0, price_difference: -1000, awaiting_signoff: 0 },
            { project_id: 'R1', month: '2024-03-01', billable: 1100, recognized: 1120, overrun: -20, budget_overrun: 0, price_difference: -20, awaiting_signoff: 0 },
            { project_id: 'T1', month: '2024-01-01', billable: 774.4, recognized: 774.4, overrun: 0, budget_overrun: 0, price_difference: 0, awaiting_signoff: 0 },
        ]);
    });

    it('adds overruns only: the firm overruns 575, not the 555 that netting R1 March’s gain would give', async () => {
        expect(await build.warehouse.one(`select ${PARTS} from marts.fct_margin_funnel`)).toEqual({
            billable: 5414.4, recognized: 5674.4, overrun: -260, budget_overrun: 575, price_difference: -835, awaiting_signoff: 0,
        });
    });

    it('dates a sign-off on its day: as of 14 Feb M1 awaits 800, from 15 Feb the milestone releases it', async () => {
        const asOf = (day: string) =>
            build.warehouse.one(`select round(sum(awaiting_signoff_value), 2) as awaiting from marts.fct_margin_funnel where project_id = 'M1' and month <= '${day}'::date and accrued_on <= '${day}'::date`);
        expect(await asOf('2024-02-14')).toEqual({ awaiting: 800 });
        expect(await asOf('2024-02-15')).toEqual({ awaiting: 0 });
    });

    it('drills each part to entries (their share of the crossing day) and revenue rows', async () => {
        const rows = await build.warehouse.all(
            // a fixed-fee project's revenue is recognized day by day: its rows are summed per month here
            `select metric, project_id as project, month, row_type as type, coalesce(entry_id, milestone_id, 'revenue') as ref, sum(hours) as hours, round(sum(amount), 2) as amount
             from marts.fct_funnel_rows where metric in ('budget_overrun', 'price_difference', 'awaiting_signoff')
             group by all order by metric, project_id, month, type, ref`,
        );
        expect(rows).toEqual([
            { metric: 'awaiting_signoff', project: 'M1', month: '2024-01-01', type: 'entry', ref: 'E20', hours: 5, amount: 500 },
            { metric: 'awaiting_signoff', project: 'M1', month: '2024-02-01', type: 'entry', ref: 'E21', hours: 3, amount: 300 },
            { metric: 'awaiting_signoff', project: 'M1', month: '2024-02-01', type: 'revenue', ref: 'MS1', hours: null, amount: -800 },
            { metric: 'budget_overrun', project: 'F1', month: '2024-01-01', type: 'entry', ref: 'E04', hours: 1.5, amount: 150 },
            { metric: 'budget_overrun', project: 'F1', month: '2024-01-01', type: 'entry', ref: 'E05', hours: 1.5, amount: 120 },
            { metric: 'budget_overrun', project: 'F1', month: '2024-02-01', type: 'entry', ref: 'E06', hours: 2, amount: 200 },
            { metric: 'budget_overrun', project: 'R1', month: '2024-01-01', type: 'entry', ref: 'E12', hours: 2.25, amount: 225 },
            { metric: 'budget_overrun', project: 'R1', month: '2024-01-01', type: 'entry', ref: 'E13', hours: 0.75, amount: 60 },
            // the overage revenue pays for part of the overage hours
            { metric: 'budget_overrun', project: 'R1', month: '2024-01-01', type: 'revenue', ref: 'revenue', hours: null, amount: -180 },
            { metric: 'price_difference', project: 'F1', month: '2024-01-01', type: 'entry', ref: 'E01', hours: 6, amount: 600 },
            { metric: 'price_difference', project: 'F1', month: '2024-01-01', type: 'entry', ref: 'E02', hours: 3, amount: 300 },
            { metric: 'price_difference', project: 'F1', month: '2024-01-01', type: 'entry', ref: 'E04', hours: 0.5, amount: 50 },
            { metric: 'price_difference', project: 'F1', month: '2024-01-01', type: 'entry', ref: 'E05', hours: 0.5, amount: 40 },
            { metric: 'price_difference', project: 'F1', month: '2024-01-01', type: 'revenue', ref: 'revenue', hours: null, amount: -800 },
            // February's revenue row: nothing more is earned once the budget is used up
            { metric: 'price_difference', project: 'F1', month: '2024-02-01', type: 'revenue', ref: 'revenue', hours: null, amount: 0 },
            { metric: 'price_difference', project: 'R1', month: '2024-01-01', type: 'entry', ref: 'E10', hours: 4, amount: 400 },
            { metric: 'price_difference', project: 'R1', month: '2024-01-01', type: 'entry', ref: 'E11', hours: 5, amount: 500 },
            { metric: 'price_difference', project: 'R1', month: '2024-01-01', type: 'entry', ref: 'E12', hours: 0.75, amount: 75 },
            { metric: 'price_difference', project: 'R1', month: '2024-01-01', type: 'entry', ref: 'E13', hours: 0.25, amount: 20 },
            // the fee against the included hours
            { metric: 'price_difference', project: 'R1', month: '2024-01-01', type: 'revenue', ref: 'revenue', hours: null, amount: -1000 },
            { metric: 'price_difference', project: 'R1', month: '2024-02-01', type: 'revenue', ref: 'revenue', hours: null, amount: -1000 },
            // no overrun in March: every hour against fee and overage revenue together
            { metric: 'price_difference', project: 'R1', month: '2024-03-01', type: 'entry', ref: 'E14', hours: 10, amount: 1000 },
            { metric: 'price_difference', project: 'R1', month: '2024-03-01', type: 'entry', ref: 'E15', hours: 2, amount: 100 },
            { metric: 'price_difference', project: 'R1', month: '2024-03-01', type: 'revenue', ref: 'revenue', hours: null, amount: -1120 },
        ]);
    });

    it('declares the parts as error tests that catch a one-cent break and a netted overrun', async () => {
        const modelTests = async () =>
            (await testModels(build.warehouse, financeModelsDir())).filter((t) => t.model === 'marts.fct_margin_funnel' && t.failures > 0).map((t) => [t.test, t.severity, t.failures]);
        // one row of the project × month (the mart has a row per day something counts from)
        const oneRow = async (month: string) =>
            `rowid = ${(await build.warehouse.one<{ id: number }>(`select min(rowid)::bigint as id from marts.fct_margin_funnel where project_id = 'R1' and month = '${month}'`))!.id}`;
        const row = await oneRow('2024-01-01');
        // a cent moved from the price difference to the overrun: the parts no longer add up to the overrun
        await build.warehouse.run(`update marts.fct_margin_funnel set budget_overrun_value = budget_overrun_value + 0.01 where ${row}`);
        expect(await modelTests()).toEqual([['the overrun is its three parts', 'error', 1]]);
        // R1 March's gain of 20 netted against January's overrun, as overrun − 20 and price difference + 20
        await build.warehouse.run(`update marts.fct_margin_funnel set budget_overrun_value = budget_overrun_value - 0.01 where ${row}`);
        const march = await oneRow('2024-03-01');
        await build.warehouse.run(`update marts.fct_margin_funnel set budget_overrun_value = budget_overrun_value - 20, price_difference_value = price_difference_value + 20 where ${march}`);
        expect(await modelTests()).toEqual([['overruns are never netted against gains (no project × month overruns less than nothing)', 'error', 1]]);
        await build.warehouse.run(`update marts.fct_margin_funnel set budget_overrun_value = budget_overrun_value + 20, price_difference_value = price_difference_value - 20 where ${march}`);
        expect(await modelTests()).toEqual([]);
    });
});

describe('below stage 4: not yet invoiced at the rates revenue was recognized at, and the fx difference', () => {
    it('converts each invoice line again at the date its revenue was recognized at', async () => {
        const rows = await build.warehouse.all(
            `select invoice_id, line_no, coalesce(entry_id, '') as entry, work_month as month, fx_rate, amount, recognition_date, recognition_fx_rate, amount_at_recognition
             from intermediate.int_billing_attributed where document_type = 'invoice_line' order by invoice_id, line_no`,
        );
        expect(rows).toEqual([
            { invoice_id: 'I1', line_no: 1, entry: 'E30', month: '2024-01-01', fx_rate: 0.8, amount: 704, recognition_date: '2024-01-15', recognition_fx_rate: 0.88, amount_at_recognition: 774.4 },
            { invoice_id: 'I1', line_no: 2, entry: '', month: '2024-01-01', fx_rate: 0.8, amount: -16, recognition_date: '2024-01-01', recognition_fx_rate: 0.9, amount_at_recognition: -18 },
            { invoice_id: 'I2', line_no: 1, entry: '', month: '2024-03-01', fx_rate: 0.85, amount: 850, recognition_date: '2024-02-15', recognition_fx_rate: 0.8, amount_at_recognition: 800 },
            { invoice_id: 'I3', line_no: 1, entry: '', month: '2024-01-01', fx_rate: 0.88, amount: 440, recognition_date: '2024-01-01', recognition_fx_rate: 0.9, amount_at_recognition: 450 },
        ]);
    });

    it('splits recognized − billed into not yet invoiced and the fx difference, and the funnel still reconciles', async () => {
        const rows = await build.warehouse.all(
            `select project_id, month, round(sum(recognized_revenue), 2) as recognized, round(sum(billed_at_recognition), 2) as at_recognition,
                    round(sum(billed_value), 2) as billed, round(sum(not_invoiced_value), 2) as not_invoiced, round(sum(fx_difference_value), 2) as fx_difference,
                    round(sum(potential_value - untracked_value - unbilled_value - overrun_value - not_invoiced_value - fx_difference_value
                        - credited_value - uncollected_value - collected_value), 2) as unreconciled
             from marts.fct_margin_funnel where recognized_revenue <> 0 or billed_value <> 0 group by all order by project_id, month`,
        );
        expect(rows).toEqual([
            { project_id: 'F1', month: '2024-01-01', recognized: 800, at_recognition: 0, billed: 0, not_invoiced: 800, fx_difference: 0, unreconciled: 0 },
            { project_id: 'M1', month: '2024-01-01', recognized: 0, at_recognition: 450, billed: 440, not_invoiced: -450, fx_difference: 10, unreconciled: 0 },
            { project_id: 'M1', month: '2024-02-01', recognized: 800, at_recognition: 0, billed: 0, not_invoiced: 800, fx_difference: 0, unreconciled: 0 },
            { project_id: 'M1', month: '2024-03-01', recognized: 0, at_recognition: 800, billed: 850, not_invoiced: -800, fx_difference: -50, unreconciled: 0 },
            { project_id: 'R1', month: '2024-01-01', recognized: 1180, at_recognition: 0, billed: 0, not_invoiced: 1180, fx_difference: 0, unreconciled: 0 },
            { project_id: 'R1', month: '2024-02-01', recognized: 1000, at_recognition: 0, billed: 0, not_invoiced: 1000, fx_difference: 0, unreconciled: 0 },
            { project_id: 'R1', month: '2024-03-01', recognized: 1120, at_recognition: 0, billed: 0, not_invoiced: 1120, fx_difference: 0, unreconciled: 0 },
            { project_id: 'T1', month: '2024-01-01', recognized: 774.4, at_recognition: 756.4, billed: 688, not_invoiced: 18, fx_difference: 68.4, unreconciled: 0 },
        ]);
    });

    it('drills not yet invoiced and the fx difference to their rows: E30 billed in full nets to nothing', async () => {
        const rows = await build.warehouse.all(
            // summed per source: revenue recognized day by day, and an entry and the invoice that billed it later
            // (two rows, each counting from its own date)
            `select metric, project_id as project, month, row_type as type, coalesce(entry_id, invoice_id || '/' || line_no, milestone_id, 'revenue') as ref,
                    document_id as doc, round(sum(amount), 2) as amount
             from marts.fct_funnel_rows where metric in ('not_invoiced', 'fx_difference') group by all order by metric, project_id, month, type, ref`,
        );
        expect(rows).toEqual([
            { metric: 'fx_difference', project: 'M1', month: '2024-01-01', type: 'invoice_line', ref: 'I3/1', doc: 'I3', amount: 10 },
            { metric: 'fx_difference', project: 'M1', month: '2024-03-01', type: 'invoice_line', ref: 'I2/1', doc: 'I2', amount: -50 },
            { metric: 'fx_difference', project: 'T1', month: '2024-01-01', type: 'invoice_line', ref: 'E30', doc: 'I1', amount: 70.4 },
            { metric: 'fx_difference', project: 'T1', month: '2024-01-01', type: 'invoice_line', ref: 'I1/2', doc: 'I1', amount: -2 },
            { metric: 'not_invoiced', project: 'F1', month: '2024-01-01', type: 'revenue', ref: 'revenue', doc: null, amount: 800 },
            { metric: 'not_invoiced', project: 'M1', month: '2024-01-01', type: 'invoice_line', ref: 'I3/1', doc: 'I3', amount: -450 },
            { metric: 'not_invoiced', project: 'M1', month: '2024-02-01', type: 'revenue', ref: 'MS1', doc: null, amount: 800 },
            { metric: 'not_invoiced', project: 'M1', month: '2024-03-01', type: 'invoice_line', ref: 'I2/1', doc: 'I2', amount: -800 },
            { metric: 'not_invoiced', project: 'R1', month: '2024-01-01', type: 'revenue', ref: 'revenue', doc: null, amount: 1180 },
            { metric: 'not_invoiced', project: 'R1', month: '2024-02-01', type: 'revenue', ref: 'revenue', doc: null, amount: 1000 },
            { metric: 'not_invoiced', project: 'R1', month: '2024-03-01', type: 'revenue', ref: 'revenue', doc: null, amount: 1120 },
            { metric: 'not_invoiced', project: 'T1', month: '2024-01-01', type: 'entry', ref: 'E30', doc: null, amount: 0 },
            { metric: 'not_invoiced', project: 'T1', month: '2024-01-01', type: 'invoice_line', ref: 'I1/2', doc: 'I1', amount: 18 },
        ]);
    });

    it('declares the split as an error test that catches a cent moved between its two leaks', async () => {
        const broken = async () =>
            (await testModels(build.warehouse, financeModelsDir())).filter((t) => t.model === 'marts.fct_margin_funnel' && t.failures > 0).map((t) => [t.test, t.severity, t.failures]);
        const row = `rowid = ${(await build.warehouse.one<{ id: number }>(`select min(rowid)::bigint as id from marts.fct_margin_funnel where project_id = 'T1' and month = '2024-01-01'`))!.id}`;
        await build.warehouse.run(`update marts.fct_margin_funnel set fx_difference_value = fx_difference_value + 0.01 where ${row}`);
        expect(await broken()).toEqual([
            ['funnel invariant (potential − leaks of stages 1…6 = collected, to the cent)', 'error', 1],
            ['funnel invariant holds for the firm, every client and every month', 'error', 3],
            ['what is not invoiced and the fx difference add up to recognized − billed', 'error', 1],
        ]);
        await build.warehouse.run(`update marts.fct_margin_funnel set fx_difference_value = fx_difference_value - 0.01 where ${row}`);
        expect(await broken()).toEqual([]);
    });
});
