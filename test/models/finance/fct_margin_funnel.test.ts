import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { testModels } from '../../../warehouse/models.ts';
import { buildOnce } from '../../helpers/models.ts';
import { buildFinance, financeModelsDir, FIXTURES } from './finance.ts';

/*
 * Fixture finance-funnel (reporting EUR, as_of Wed 2024-04-10). USD→EUR 0.9 from 1 Jan, 0.95 from 25 Jan.
 * P1 developer: 40 h/week, rate 100, cost 50. P2 project_manager: 10 h/week, rate 120, cost 60.
 * T1 Acme T&M (EUR); F1 Globex fixed fee, budget 10 h, contract 1 000 USD; N1 internal (non_billable).
 *
 * Entries                                                   std     cost
 *   E01 P1 T1 Mon  8 Jan 8 h billable, approved              800     400
 *   E02 P1 T1 Tue  9 Jan 8 h billable, approved              800     400
 *   E03 P1 N1 Wed 10 Jan 8 h internal                          —       —
 *   E04 P1 T1 Thu 11 Jan 2 h meeting, not billable            200     100
 *   E05 P1 F1 Thu 11 Jan 6 h billable                         600     300
 *   E06 P2 T1 Mon  8 Jan 3 h billable, submitted              360     180
 *   E07 P2 T1 Tue  9 Jan 2 h meeting, not billable            240     120
 *   E08 P2 N1 Wed 10 Jan 5 h internal admin                    —       —
 *   E09 P2 N1 Mon 15 Jan 4 h internal admin                    —       —
 *   E10 P1 T1 Mon 29 Jan 6 h billable, draft                  600     300
 *   E11 P1 T1 Tue 30 Jan 2 h docs, not billable               200     100
 *   E12 P1 F1 Mon 22 Jan 6 h billable                         600     300
 *   E13 P2 T1 Fri  1 Mar 1 h billable, approved               120      60
 *   E14 P1 T1 Wed 10 Apr 2 h billable, draft (the as_of day)  200     100
 *
 * Untracked, per person-week (gap = capacity − all hours incl. internal; value = gap × client std ÷ client h):
 *   P1 wk  8 Jan: 40 − 32 = 8 h × 2 400/24 h = 800, shared by std: T1 (1 800) 600, F1 (600) 200
 *   P2 wk  8 Jan: 10 − 10 = 0 → nothing
 *   P2 wk 15 Jan: gap 6 h but no client hours → nothing
 *   P1 wk 22 Jan: 40 − 6 = 34 h × 600/6 = 3 400 → F1
 *   P1 wk 29 Jan: 40 − 8 = 32 h × 800/8 = 3 200 → T1 Jan
 *   P2 wk 26 Feb: 10 − 1 = 9 h × 120/1 = 1 080 → T1 Mar
 *   P1 wk  8 Apr: the as_of week counts Mon–Wed only: 24 − 2 = 22 h × 200/2 = 2 200 → T1 Apr
 *   Every other week has no client hours and adds nothing.
 * Revenue: T1 = std of billable entries by month (Jan 2 560, Mar 120, Apr 200);
 *   F1 12 h > 10 h budget → 1 000 USD × 0.9 (1 Jan) = 900.
 * Billing: I1 (issued 31 Jan, EUR) line 1 time 1 600 for E01 + E02 (800 each), line 2 adjustment −100 for January;
 *   I2 is a draft (E10) and counts for nothing; I3 (issued 20 Jan, USD) fixed fee 500 USD × 0.9 = 450, January.
 *   CN1 50 on I1: by line amount 50 × 1 600/1 500 = 53.33 on line 1 (26.67 E01, 26.66 E02), −3.33 on line 2.
 *   PAY1 1 000 on I1 (partial): 1 066.67 on line 1 (533.34 E01, 533.33 E02), −66.67 on line 2.
 *   PAY2 300 USD on I3 (28 Jan, fx 0.95) = 285 (partial).
 *   No fx difference: I3's fixed fee is recognized at the first day of January, whose rate (0.9) is also its issue date's.
 *
 * Funnel                 T1 Jan   T1 Mar   T1 Apr   F1 Jan
 *   1 potential           7 000    1 200    2 400    4 800
 *     untracked           3 800    1 080    2 200    3 600
 *   2 tracked             3 200      120      200    1 200
 *     unbilled              640        0        0        0   (T1 Jan: meetings 200 + 240 = 440, other 200)
 *   3 billable            2 560      120      200    1 200
 *     overrun                 0        0        0      300   (fixed fee over budget)
 *   4 recognized          2 560      120      200      900
 *     not invoiced        1 060      120      200      450   (T1 Jan: E06 360 + E10 600 + the −100 adjustment)
 *   5 billed              1 500        0        0      450
 *     credited               50        0        0        0
 *   6 net billed          1 450        0        0      450
 *     uncollected           450        0        0      165
 *   7 collected           1 000        0        0      285
 *   cost                  1 600       60      100      600
 *   8 realized margin      −600      −60     −100     −315
 * Check T1 Jan: 7 000 − (3 800 + 640 + 0 + 1 060 + 50 + 450) = 1 000. F1: 4 800 − (3 600 + 300 + 450 + 165) = 285.
 */

const build = buildOnce(() => buildFinance(path.join(FIXTURES, 'finance-funnel')));

// Stages summed over the rows of a key: the mart holds a row per day something accrues (accrued_on).
const STAGES = `
    round(sum(potential_value), 2) as potential, round(sum(untracked_value), 2) as untracked, round(sum(tracked_value), 2) as tracked,
    round(sum(unbilled_meetings_value), 2) as meetings, round(sum(unbilled_other_value), 2) as unbilled_other,
    round(sum(billable_value), 2) as billable, round(sum(overrun_value), 2) as overrun, round(sum(recognized_revenue), 2) as recognized,
    round(sum(not_invoiced_value), 2) as not_invoiced, round(sum(billed_value), 2) as billed, round(sum(credited_value), 2) as credited,
    round(sum(net_billed_value), 2) as net_billed, round(sum(uncollected_value), 2) as uncollected,
    round(sum(collected_value), 2) as collected, round(sum(cost), 2) as cost, round(sum(realized_margin), 2) as margin`;

describe('marts.fct_margin_funnel', () => {
    it('runs from potential value to realized margin per client × project × month', async () => {
        const rows = await build.warehouse.all(`select client_id, project_id, month, ${STAGES} from marts.fct_margin_funnel group by all order by project_id, month`);
        expect(rows).toEqual([
            { client_id: 'C2', project_id: 'F1', month: '2024-01-01', potential: 4800, untracked: 3600, tracked: 1200, meetings: 0, unbilled_other: 0, billable: 1200, overrun: 300, recognized: 900, not_invoiced: 450, billed: 450, credited: 0, net_billed: 450, uncollected: 165, collected: 285, cost: 600, margin: -315 },
            { client_id: 'C1', project_id: 'T1', month: '2024-01-01', potential: 7000, untracked: 3800, tracked: 3200, meetings: 440, unbilled_other: 200, billable: 2560, overrun: 0, recognized: 2560, not_invoiced: 1060, billed: 1500, credited: 50, net_billed: 1450, uncollected: 450, collected: 1000, cost: 1600, margin: -600 },
            { client_id: 'C1', project_id: 'T1', month: '2024-03-01', potential: 1200, untracked: 1080, tracked: 120, meetings: 0, unbilled_other: 0, billable: 120, overrun: 0, recognized: 120, not_invoiced: 120, billed: 0, credited: 0, net_billed: 0, uncollected: 0, collected: 0, cost: 60, margin: -60 },
            { client_id: 'C1', project_id: 'T1', month: '2024-04-01', potential: 2400, untracked: 2200, tracked: 200, meetings: 0, unbilled_other: 0, billable: 200, overrun: 0, recognized: 200, not_invoiced: 200, billed: 0, credited: 0, net_billed: 0, uncollected: 0, collected: 0, cost: 100, margin: -100 },
        ]);
    });

    it('reconciles for the whole firm: 15 400 − 14 115 of leaks = 1 285 collected', async () => {
        // leaks: untracked 3 600 + 3 800 + 1 080 + 2 200 = 10 680; unbilled 640; overrun 300;
        // not invoiced 450 + 1 060 + 120 + 200 = 1 830; credited 50; uncollected 165 + 450 = 615 → 14 115
        expect(
            await build.warehouse.one(
                `select round(sum(potential_value), 2) as potential,
                        round(sum(untracked_value + unbilled_value + overrun_value + not_invoiced_value + fx_difference_value + credited_value + uncollected_value), 2) as leaks,
                        round(sum(collected_value), 2) as collected
                 from marts.fct_margin_funnel`,
            ),
        ).toEqual({ potential: 15400, leaks: 14115, collected: 1285 });
    });

    it('declares the invariant as an error test that catches a one-cent break', async () => {
        expect(build.failures).toEqual([]);
        const row = (await build.warehouse.one<{ id: number }>(`select min(rowid)::bigint as id from marts.fct_margin_funnel where project_id = 'F1' and collected_value <> 0`))!.id;
        await build.warehouse.run(`update marts.fct_margin_funnel set collected_value = collected_value + 0.01 where rowid = ${row}`);
        const broken = (await testModels(build.warehouse, financeModelsDir())).filter((t) => t.model === 'marts.fct_margin_funnel' && t.failures > 0);
        expect(broken.map((t) => [t.test, t.severity, t.failures])).toEqual([
            ['funnel invariant (potential − leaks of stages 1…6 = collected, to the cent)', 'error', 1],
            ['funnel invariant holds for the firm, every client and every month', 'error', 3],
            ['the funnel\'s collected value is every attributed payment', 'error', 1],
        ]);
        await build.warehouse.run(`update marts.fct_margin_funnel set collected_value = collected_value - 0.01 where rowid = ${row}`);
    });
});

describe('marts.fct_funnel_rows', () => {
    it('lists the rows behind every leak, summing to the funnel', async () => {
        const rows = await build.warehouse.all(
            `select metric, project_id as project, month, row_type as type,
                    coalesce(entry_id, person_id || ' ' || work_week, invoice_id || '/' || line_no, 'revenue') as ref,
                    document_id as doc, round(sum(amount), 2) as amount
             from marts.fct_funnel_rows
             -- an untracked person-week piece has a row per day its gap grows: summed here, by day below
             group by all
             order by metric, project_id, month, type, ref, doc`,
        );
        expect(rows).toEqual([
            // F1's overrun in parts: the budget of 10 h is crossed on 22 Jan (6 h + 6 h), so 2 h of E12 are beyond it
            { metric: 'budget_overrun', project: 'F1', month: '2024-01-01', type: 'entry', ref: 'E12', doc: null, amount: 200 },
            { metric: 'credited', project: 'T1', month: '2024-01-01', type: 'credit_note', ref: 'E01', doc: 'CN1', amount: 26.67 },
            { metric: 'credited', project: 'T1', month: '2024-01-01', type: 'credit_note', ref: 'E02', doc: 'CN1', amount: 26.66 },
            { metric: 'credited', project: 'T1', month: '2024-01-01', type: 'credit_note', ref: 'I1/2', doc: 'CN1', amount: -3.33 },
            // F1: revenue 900 not yet matched by the 450 invoiced
            { metric: 'not_invoiced', project: 'F1', month: '2024-01-01', type: 'invoice_line', ref: 'I3/1', doc: 'I3', amount: -450 },
            { metric: 'not_invoiced', project: 'F1', month: '2024-01-01', type: 'revenue', ref: 'revenue', doc: null, amount: 900 },
            // T1: E01 and E02 are billed at their std value (I1, 31 Jan) and net to nothing — their two rows, the work
            // on its day and the invoice on its, are summed here; E06 and E10 are not billed (E10 only on a draft)
            { metric: 'not_invoiced', project: 'T1', month: '2024-01-01', type: 'entry', ref: 'E01', doc: null, amount: 0 },
            { metric: 'not_invoiced', project: 'T1', month: '2024-01-01', type: 'entry', ref: 'E02', doc: null, amount: 0 },
            { metric: 'not_invoiced', project: 'T1', month: '2024-01-01', type: 'entry', ref: 'E06', doc: null, amount: 360 },
            { metric: 'not_invoiced', project: 'T1', month: '2024-01-01', type: 'entry', ref: 'E10', doc: null, amount: 600 },
            { metric: 'not_invoiced', project: 'T1', month: '2024-01-01', type: 'invoice_line', ref: 'I1/2', doc: 'I1', amount: 100 },
            { metric: 'not_invoiced', project: 'T1', month: '2024-03-01', type: 'entry', ref: 'E13', doc: null, amount: 120 },
            { metric: 'not_invoiced', project: 'T1', month: '2024-04-01', type: 'entry', ref: 'E14', doc: null, amount: 200 },
            { metric: 'overrun', project: 'F1', month: '2024-01-01', type: 'entry', ref: 'E05', doc: null, amount: 600 },
            { metric: 'overrun', project: 'F1', month: '2024-01-01', type: 'entry', ref: 'E12', doc: null, amount: 600 },
            { metric: 'overrun', project: 'F1', month: '2024-01-01', type: 'revenue', ref: 'revenue', doc: null, amount: -900 },
            // and the 10 h within it, 1 000 at the rate card, against the 900 the contract pays for them
            { metric: 'price_difference', project: 'F1', month: '2024-01-01', type: 'entry', ref: 'E05', doc: null, amount: 600 },
            { metric: 'price_difference', project: 'F1', month: '2024-01-01', type: 'entry', ref: 'E12', doc: null, amount: 400 },
            { metric: 'price_difference', project: 'F1', month: '2024-01-01', type: 'revenue', ref: 'revenue', doc: null, amount: -900 },
            { metric: 'unbilled_meetings', project: 'T1', month: '2024-01-01', type: 'entry', ref: 'E04', doc: null, amount: 200 },
            { metric: 'unbilled_meetings', project: 'T1', month: '2024-01-01', type: 'entry', ref: 'E07', doc: null, amount: 240 },
            { metric: 'unbilled_other', project: 'T1', month: '2024-01-01', type: 'entry', ref: 'E11', doc: null, amount: 200 },
            // uncollected per invoice-line piece and document, each on its own date: 800 − 26.67 − 533.34;
            // 800 − 26.66 − 533.33; −100 + 3.33 + 66.67; 450 − 285
            { metric: 'uncollected', project: 'F1', month: '2024-01-01', type: 'invoice_line', ref: 'I3/1', doc: 'I3', amount: 450 },
            { metric: 'uncollected', project: 'F1', month: '2024-01-01', type: 'payment', ref: 'I3/1', doc: 'PAY2', amount: -285 },
            { metric: 'uncollected', project: 'T1', month: '2024-01-01', type: 'credit_note', ref: 'E01', doc: 'CN1', amount: -26.67 },
            { metric: 'uncollected', project: 'T1', month: '2024-01-01', type: 'credit_note', ref: 'E02', doc: 'CN1', amount: -26.66 },
            { metric: 'uncollected', project: 'T1', month: '2024-01-01', type: 'credit_note', ref: 'I1/2', doc: 'CN1', amount: 3.33 },
            { metric: 'uncollected', project: 'T1', month: '2024-01-01', type: 'invoice_line', ref: 'E01', doc: 'I1', amount: 800 },
            { metric: 'uncollected', project: 'T1', month: '2024-01-01', type: 'invoice_line', ref: 'E02', doc: 'I1', amount: 800 },
            { metric: 'uncollected', project: 'T1', month: '2024-01-01', type: 'invoice_line', ref: 'I1/2', doc: 'I1', amount: -100 },
            { metric: 'uncollected', project: 'T1', month: '2024-01-01', type: 'payment', ref: 'E01', doc: 'PAY1', amount: -533.34 },
            { metric: 'uncollected', project: 'T1', month: '2024-01-01', type: 'payment', ref: 'E02', doc: 'PAY1', amount: -533.33 },
            { metric: 'uncollected', project: 'T1', month: '2024-01-01', type: 'payment', ref: 'I1/2', doc: 'PAY1', amount: 66.67 },
            { metric: 'untracked', project: 'F1', month: '2024-01-01', type: 'person_week', ref: 'P1 2024-01-08', doc: null, amount: 200 },
            { metric: 'untracked', project: 'F1', month: '2024-01-01', type: 'person_week', ref: 'P1 2024-01-22', doc: null, amount: 3400 },
            { metric: 'untracked', project: 'T1', month: '2024-01-01', type: 'person_week', ref: 'P1 2024-01-08', doc: null, amount: 600 },
            { metric: 'untracked', project: 'T1', month: '2024-01-01', type: 'person_week', ref: 'P1 2024-01-29', doc: null, amount: 3200 },
            { metric: 'untracked', project: 'T1', month: '2024-03-01', type: 'person_week', ref: 'P2 2024-02-26', doc: null, amount: 1080 },
            { metric: 'untracked', project: 'T1', month: '2024-04-01', type: 'person_week', ref: 'P1 2024-04-08', doc: null, amount: 2200 },
        ]);
    });
});

describe('intermediate.int_untracked_allocated', () => {
    it('values each person-week gap at the week\'s client std rate and shares it by std value', async () => {
        const rows = await build.warehouse.all(
            `select person_id, work_week, project_id, max(capacity_hours) as cap, logged_hours as logged, max(gap_hours) as gap,
                    week_client_hours as client_h, std_value as std, round(sum(untracked_value), 2) as value
             from intermediate.int_untracked_allocated group by all order by work_week, person_id, project_id`,
        );
        expect(rows).toEqual([
            { person_id: 'P1', work_week: '2024-01-08', project_id: 'F1', cap: 40, logged: 32, gap: 8, client_h: 24, std: 600, value: 200 },
            { person_id: 'P1', work_week: '2024-01-08', project_id: 'T1', cap: 40, logged: 32, gap: 8, client_h: 24, std: 1800, value: 600 },
            { person_id: 'P1', work_week: '2024-01-22', project_id: 'F1', cap: 40, logged: 6, gap: 34, client_h: 6, std: 600, value: 3400 },
            { person_id: 'P1', work_week: '2024-01-29', project_id: 'T1', cap: 40, logged: 8, gap: 32, client_h: 8, std: 800, value: 3200 },
            { person_id: 'P2', work_week: '2024-02-26', project_id: 'T1', cap: 10, logged: 1, gap: 9, client_h: 1, std: 120, value: 1080 },
            { person_id: 'P1', work_week: '2024-04-08', project_id: 'T1', cap: 24, logged: 2, gap: 22, client_h: 2, std: 200, value: 2200 },
        ]);
    });
});

describe('untracked time accrues day by day, so a report of any as_of reads it from the same rows', () => {
    it('stores each person-week piece as the increments of the days its gap grows', async () => {
        // P1 wk 8 Apr (T1, 2 h logged, 100/h): capacity through Mon 8 h → gap 6 h (600); through Tue 16 h →
        // 14 h (1 400, +800); through Wed 24 h → 22 h (2 200, +800); the horizon is Wed 10 Apr.
        // P1 wk 22 Jan (F1, 6 h logged): Mon 8 − 6 = 2 h, then +8 h a day to 34 h (200, then +800 each day).
        // P1 wk 8 Jan logged 32 h: the gap opens only with Friday's capacity (40 − 32 = 8 h).
        const rows = await build.warehouse.all(
            `select work_week, accrued_on, project_id, gap_hours as gap, round(untracked_value, 2) as value
             from intermediate.int_untracked_allocated where person_id = 'P1' and work_week in ('2024-01-08', '2024-01-22', '2024-04-08')
             order by work_week, accrued_on, project_id`,
        );
        expect(rows).toEqual([
            { work_week: '2024-01-08', accrued_on: '2024-01-12', project_id: 'F1', gap: 8, value: 200 },
            { work_week: '2024-01-08', accrued_on: '2024-01-12', project_id: 'T1', gap: 8, value: 600 },
            { work_week: '2024-01-22', accrued_on: '2024-01-22', project_id: 'F1', gap: 2, value: 200 },
            { work_week: '2024-01-22', accrued_on: '2024-01-23', project_id: 'F1', gap: 10, value: 800 },
            { work_week: '2024-01-22', accrued_on: '2024-01-24', project_id: 'F1', gap: 18, value: 800 },
            { work_week: '2024-01-22', accrued_on: '2024-01-25', project_id: 'F1', gap: 26, value: 800 },
            { work_week: '2024-01-22', accrued_on: '2024-01-26', project_id: 'F1', gap: 34, value: 800 },
            { work_week: '2024-04-08', accrued_on: '2024-04-08', project_id: 'T1', gap: 6, value: 600 },
            { work_week: '2024-04-08', accrued_on: '2024-04-09', project_id: 'T1', gap: 14, value: 800 },
            { work_week: '2024-04-08', accrued_on: '2024-04-10', project_id: 'T1', gap: 22, value: 800 },
        ]);
    });

    it('gives the funnel as of any day: as of Tue 9 Apr the as-of week counts Monday and Tuesday', async () => {
        const asOf = async (day: string) =>
            build.warehouse.all(
                `select month, ${STAGES} from marts.fct_margin_funnel
                 where project_id = 'T1' and month <= '${day}'::date and accrued_on <= '${day}'::date group by all order by month`,
            );
        const tuesday = await asOf('2024-04-09');
        // E14 is worked on Wed 10 Apr: as of Tuesday it has not happened yet.
        expect(tuesday.at(-1)).toMatchObject({ month: '2024-04-01', untracked: 1400, tracked: 0, potential: 1400 });
        // Wed 24 Jan: P1 wk 22 Jan has accrued Mon–Wed on F1 (not T1); T1's January pieces accrued on Fri 12 Jan.
        const january = await asOf('2024-01-24');
        expect(january).toEqual([expect.objectContaining({ month: '2024-01-01', untracked: 600 })]);
        // The firm's as_of (Wed 10 Apr) gives the figures above.
        expect((await asOf('2024-04-10')).map((r) => r.untracked)).toEqual([3800, 1080, 2200]);
    });
});

/*
 * One cut-off for everything (PRODUCT.md): as of a day, entries worked, invoices and credit notes issued and
 * payments paid by then count, whatever work month they are attributed to.
 *   T1 January, as of Mon 8 Jan: E01 800 + E06 360 billable, E01…E06 of that day only → tracked 1 160;
 *     recognized 1 160 (time by work date), nothing billed.
 *   as of Tue 30 Jan: every January entry (tracked 3 200, billable and recognized 2 560); I1 is issued on
 *     31 Jan → billed 0, not invoiced 2 560.
 *   as of Wed 31 Jan: billed 1 500 (1 600 − 100), not invoiced 1 060, uncollected 1 500, nothing credited or paid.
 *   as of Sat 10 Feb: CN1 50 → net billed 1 450, uncollected 1 450.  As of Thu 15 Feb: PAY1 1 000 → 450.
 *   F1 January, as of 25 Jan: I3 (20 Jan) billed 450, PAY2 (28 Jan) not yet → collected 0, uncollected 450;
 *     as of 28 Jan collected 285, uncollected 165.
 */
describe('a report as of a day counts only what had happened by then', () => {
    const asOf = async (project: string, day: string) =>
        build.warehouse.one(
            `select ${STAGES} from marts.fct_margin_funnel
             where project_id = $project and month = '2024-01-01' and month <= $day::date and accrued_on <= $day::date`,
            { project, day },
        );
    it('counts January\'s entries through the as-of day, not the whole month', async () => {
        expect(await asOf('T1', '2024-01-08')).toMatchObject({ tracked: 1160, billable: 1160, recognized: 1160, billed: 0, not_invoiced: 1160 });
    });

    it('counts invoices, credit notes and payments from their own dates, not the work month\'s', async () => {
        expect(await asOf('T1', '2024-01-30')).toMatchObject({ tracked: 3200, recognized: 2560, billed: 0, not_invoiced: 2560, credited: 0, collected: 0 });
        expect(await asOf('T1', '2024-01-31')).toMatchObject({ billed: 1500, not_invoiced: 1060, credited: 0, uncollected: 1500, collected: 0 });
        expect(await asOf('T1', '2024-02-10')).toMatchObject({ billed: 1500, credited: 50, net_billed: 1450, uncollected: 1450, collected: 0 });
        expect(await asOf('T1', '2024-02-15')).toMatchObject({ credited: 50, uncollected: 450, collected: 1000 });
        expect(await asOf('F1', '2024-01-25')).toMatchObject({ billed: 450, collected: 0, uncollected: 450 });
        expect(await asOf('F1', '2024-01-28')).toMatchObject({ billed: 450, collected: 285, uncollected: 165 });
    });

    it('drills to rows that add up to the funnel as of any day', async () => {
        for (const day of ['2024-01-08', '2024-01-30', '2024-01-31', '2024-02-10', '2024-02-15']) {
            const funnel = await asOf('T1', day);
            const drill = await build.warehouse.one(
                `select round(sum(amount) filter (where metric = 'not_invoiced'), 2) as not_invoiced,
                        round(sum(amount) filter (where metric = 'uncollected'), 2) as uncollected
                 from marts.fct_funnel_rows where project_id = 'T1' and month = '2024-01-01' and accrued_on <= $day::date`,
                { day },
            );
            expect({ day, ...drill }).toEqual({ day, not_invoiced: funnel!.not_invoiced, uncollected: funnel!.uncollected === 0 ? null : funnel!.uncollected });
        }
    });
});

describe('marts.fct_unbilled_time', () => {
    it('ages billable T&M time not on an issued invoice by work date, approved or not', async () => {
        // as_of 10 Apr: E06 8 Jan → 93 days; E10 29 Jan → 72; E13 1 Mar → 40; E14 10 Apr → 0.
        const rows = await build.warehouse.all(`select entry_id, approval, age_days, age_bucket, hours, std_value from marts.fct_unbilled_time order by entry_id`);
        expect(rows).toEqual([
            { entry_id: 'E06', approval: 'unapproved', age_days: 93, age_bucket: '>90', hours: 3, std_value: 360 },
            { entry_id: 'E10', approval: 'unapproved', age_days: 72, age_bucket: '61-90', hours: 6, std_value: 600 },
            { entry_id: 'E13', approval: 'approved', age_days: 40, age_bucket: '31-60', hours: 1, std_value: 120 },
            { entry_id: 'E14', approval: 'unapproved', age_days: 0, age_bucket: '0-30', hours: 2, std_value: 200 },
        ]);
    });
});
