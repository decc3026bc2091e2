import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixtureOnce } from '../../helpers/models.ts';

/*
 * Fixture delivery-utilization (as_of 2024-02-09, a Friday; 2024-01-29 is a Monday).
 *
 * U1 developer/Engineering, from Mon 2024-01-29: 40 h/week, then 20 h/week from Wed 2024-01-31 — a
 *   capacity change mid-week. Per working day: Mon 8, Tue 8, Wed 4, Thu 4, Fri 4.
 * U2 designer/Design, part-timer from 2024-01-29: 24 h/week = 4.8 h every weekday.
 * PA is a client (time_and_materials) project, PI an internal (non_billable) one.
 *
 * Week of Mon 2024-01-29 straddles January (Mon–Wed) and February (Thu–Sun): one row per month.
 *
 * U1, week 01-29, January (Mon 29, Tue 30, Wed 31): capacity 8 + 8 + 4 = 20
 *   u1 Mon PA 6 h billable, u2 Tue PA 2 h non-billable, u3 Tue PI 3 h → billable 6, client non-billable 2,
 *   internal 3, all 11. utilization 6/20 = 0.3, logged 11/20 = 0.55, billable ratio 6/11.
 * U1, week 01-29, February (Thu 1, Fri 2): capacity 4 + 4 = 8
 *   u4 Thu PA 9 h billable, u5 Sat 3 Feb PA 1 h billable (a weekend entry, in February) → billable 10, all 10.
 *   utilization 10/8 = 1.25, billable ratio 1.
 * U1 week 01-29 as a whole: capacity 28, logged 21 → completeness min(1, 21/28) = 0.75. Credit min(21, 28) = 21
 *   shared by capacity: January 21 × 20/28 = 15, February 21 × 8/28 = 6. (Judging each fragment on its
 *   own would give min(11, 20) + min(10, 8) = 19 — not the week's completeness.)
 * U1, week 02-05 (all February): capacity 5 × 4 = 20; u6 8, u7 8, u9 4 billable on PA, u8 4 h on PI marked
 *   billable (internal work, whatever the flag) → billable 20, internal 4, all 24. utilization 1, logged 1.2,
 *   billable ratio 20/24, completeness min(1, 24/20) = 1, credit 20.
 * U2, week 01-22, January: v0 Fri 26 Jan PI 1 h — before U2's start, no capacity: capacity 0, internal 1,
 *   utilization/logged utilization/completeness null, billable ratio 0, credit 0.
 * U2, week 01-29, January: capacity 3 × 4.8 = 14.4; v1 Mon PA 4 h billable → utilization 4/14.4.
 * U2, week 01-29, February: capacity 2 × 4.8 = 9.6; v2 Thu PI 2 h → internal 2, utilization 0.
 *   Week: capacity 24, logged 6 → completeness 0.25; credit 6 → January 6 × 14.4/24 = 3.6, February 2.4.
 * U2, week 02-05: capacity 24, nothing logged → utilization 0, completeness 0, billable ratio null.
 *
 * Monthly roll-ups (ratio of sums):
 *   February: capacity 8 + 20 + 9.6 + 24 = 61.6, billable 10 + 20 = 30, all 10 + 24 + 2 = 36,
 *     credit 6 + 20 + 2.4 + 0 = 28.4 → utilization 30/61.6, logged 36/61.6, billable ratio 30/36,
 *     completeness 28.4/61.6.
 *   January: capacity 20 + 0 + 14.4 = 34.4, billable 6 + 4 = 10, all 11 + 1 + 4 = 16, credit 15 + 0 + 3.6 = 18.6.
 *   Role developer, all time: capacity 48, billable 36, all 45, credit 41.
 */

const fixture = fixtureOnce(path.resolve(import.meta.dirname, '../../fixtures/delivery-utilization'));

describe('marts.fct_utilization', () => {
    // The mart holds days; these are its sums per person × week × month slice.
    const SLICES = `select person_id, role, department, work_week, work_month, any_value(week_straddles_months) as straddles,
                sum(working_days)::integer as days, sum(capacity_hours) as cap, sum(billable_hours) as bill,
                sum(client_non_billable_hours) as cnb, sum(client_hours) as client, sum(internal_hours) as internal,
                sum(all_hours) as logged, sum(entries)::integer as entries, any_value(week_capacity_hours) as week_cap,
                any_value(week_all_hours) as week_logged, sum(completeness_credit_hours) as credit,
                sum(billable_hours) / nullif(sum(capacity_hours), 0) as utilization,
                sum(all_hours) / nullif(sum(capacity_hours), 0) as logged_utilization,
                sum(billable_hours) / nullif(sum(all_hours), 0) as billable_ratio, any_value(timesheet_completeness) as timesheet_completeness
             from marts.fct_utilization group by person_id, role, department, work_week, work_month`;

    it('has one row per person × day, whose sums per person × week × month slice are worked out by hand', async () => {
        const rows = await fixture.warehouse.all(
            `select * exclude (utilization, logged_utilization, billable_ratio, timesheet_completeness) from (${SLICES}) order by person_id, work_week, work_month`,
        );
        const base = { role: 'developer', department: 'Engineering' };
        const designer = { role: 'designer', department: 'Design' };
        expect(rows).toEqual([
            { person_id: 'U1', ...base, work_week: '2024-01-29', work_month: '2024-01-01', straddles: true, days: 3, cap: 20, bill: 6, cnb: 2, client: 8, internal: 3, logged: 11, entries: 3, week_cap: 28, week_logged: 21, credit: 15 },
            { person_id: 'U1', ...base, work_week: '2024-01-29', work_month: '2024-02-01', straddles: true, days: 2, cap: 8, bill: 10, cnb: 0, client: 10, internal: 0, logged: 10, entries: 2, week_cap: 28, week_logged: 21, credit: 6 },
            { person_id: 'U1', ...base, work_week: '2024-02-05', work_month: '2024-02-01', straddles: false, days: 5, cap: 20, bill: 20, cnb: 0, client: 20, internal: 4, logged: 24, entries: 4, week_cap: 20, week_logged: 24, credit: 20 },
            { person_id: 'U2', ...designer, work_week: '2024-01-22', work_month: '2024-01-01', straddles: false, days: 0, cap: 0, bill: 0, cnb: 0, client: 0, internal: 1, logged: 1, entries: 1, week_cap: 0, week_logged: 1, credit: 0 },
            { person_id: 'U2', ...designer, work_week: '2024-01-29', work_month: '2024-01-01', straddles: true, days: 3, cap: 14.4, bill: 4, cnb: 0, client: 4, internal: 0, logged: 4, entries: 1, week_cap: 24, week_logged: 6, credit: 3.6 },
            { person_id: 'U2', ...designer, work_week: '2024-01-29', work_month: '2024-02-01', straddles: true, days: 2, cap: 9.6, bill: 0, cnb: 0, client: 0, internal: 2, logged: 2, entries: 1, week_cap: 24, week_logged: 6, credit: 2.4 },
            { person_id: 'U2', ...designer, work_week: '2024-02-05', work_month: '2024-02-01', straddles: false, days: 5, cap: 24, bill: 0, cnb: 0, client: 0, internal: 0, logged: 0, entries: 0, week_cap: 24, week_logged: 0, credit: 0 },
        ]);
    });

    it('computes the slices\' ratios, null where the denominator is 0', async () => {
        const rows = await fixture.warehouse.all<{ utilization: number | null; logged_utilization: number | null; billable_ratio: number | null; timesheet_completeness: number | null }>(
            `select utilization, logged_utilization, billable_ratio, timesheet_completeness
             from (${SLICES}) order by person_id, work_week, work_month`,
        );
        const expected = [
            [0.3, 0.55, 6 / 11, 0.75],
            [1.25, 1.25, 1, 0.75],
            [1, 1.2, 20 / 24, 1],
            [null, null, 0, null],
            [4 / 14.4, 4 / 14.4, 1, 0.25],
            [0, 2 / 9.6, 0, 0.25],
            [0, 0, null, 0],
        ];
        expect(rows).toHaveLength(expected.length);
        rows.forEach((r, i) => {
            const got = [r.utilization, r.logged_utilization, r.billable_ratio, r.timesheet_completeness];
            expected[i]!.forEach((want, j) => {
                if (want === null) expect(got[j], `row ${i} col ${j}`).toBeNull();
                else expect(got[j], `row ${i} col ${j}`).toBeCloseTo(want, 12);
            });
        });
    });

    it('re-aggregates to months exactly as ratios of sums, completeness included', async () => {
        const rows = await fixture.warehouse.all<Record<string, number | string>>(
            `select work_month, sum(capacity_hours)::double as cap, sum(billable_hours)::double as bill,
                sum(all_hours)::double as logged, sum(completeness_credit_hours)::double as credit,
                sum(billable_hours) / sum(capacity_hours) as utilization,
                sum(completeness_credit_hours) / sum(capacity_hours) as completeness
             from marts.fct_utilization group by work_month order by work_month`,
        );
        expect(rows.map(({ utilization, completeness, ...sums }) => sums)).toEqual([
            { work_month: '2024-01-01', cap: 34.4, bill: 10, logged: 16, credit: 18.6 },
            { work_month: '2024-02-01', cap: 61.6, bill: 30, logged: 36, credit: 28.4 },
        ]);
        expect(rows[0]!.utilization).toBeCloseTo(10 / 34.4, 12);
        expect(rows[0]!.completeness).toBeCloseTo(18.6 / 34.4, 12);
        expect(rows[1]!.utilization).toBeCloseTo(30 / 61.6, 12);
        expect(rows[1]!.completeness).toBeCloseTo(28.4 / 61.6, 12);
    });

    it('re-aggregates a straddling week back to the person-week and a role to its totals', async () => {
        const week = await fixture.warehouse.one(
            `select sum(capacity_hours)::double as cap, sum(billable_hours)::double as bill, sum(all_hours)::double as logged,
                sum(completeness_credit_hours)::double as credit
             from marts.fct_utilization where person_id = 'U1' and work_week = '2024-01-29'`,
        );
        // Σ credit / Σ capacity = 21/28 = 0.75, the week's completeness.
        expect(week).toEqual({ cap: 28, bill: 16, logged: 21, credit: 21 });
        const role = await fixture.warehouse.one(
            `select sum(capacity_hours)::double as cap, sum(billable_hours)::double as bill, sum(all_hours)::double as logged,
                sum(completeness_credit_hours)::double as credit
             from marts.fct_utilization where role = 'developer'`,
        );
        expect(role).toEqual({ cap: 48, bill: 36, logged: 45, credit: 41 });
    });

    /*
     * As of a day, a report counts the days through it (PRODUCT.md). The completeness credit it reads is the
     * week's, judged on its days through the as-of day (completeness_credit_<isodow>) for the running week.
     *   U1 as of Wed 31 Jan: Mon 8 + Tue 8 + Wed 4 = 20 h capacity; u1 6 h, u2 2 h, u3 3 h = 11 h logged,
     *     6 billable (u4's 9 h on Thursday do not count yet) → utilization 0.3; completeness 11/20 = 0.55
     *     (judged on the whole week — 21 h of 28 — it would read 0.75).
     *   U1 as of Mon 5 Feb: 4 h capacity, u6 8 h billable → utilization 2, completeness 1 (not 8/20 of the week).
     *   U1 as of Thu 1 Feb: the week so far has 24 h capacity and 20 h logged → completeness 20/24 for both its
     *     slices: January's 20 h of capacity → credit 16.67, February's 4 h (Thursday) → 3.33.
     */
    const asOf = (person: string, day: string) =>
        fixture.warehouse.all(
            `select work_month, sum(capacity_hours)::double as cap, sum(billable_hours)::double as bill, sum(all_hours)::double as logged,
                    round(sum(case when work_week + 6 <= $day::date then completeness_credit_7 else case isodow($day::date)
                        when 1 then completeness_credit_1 when 2 then completeness_credit_2 when 3 then completeness_credit_3
                        when 4 then completeness_credit_4 when 5 then completeness_credit_5 when 6 then completeness_credit_6
                        else completeness_credit_7 end end), 2)::double as credit
             from marts.fct_utilization where person_id = $person and work_date <= $day::date and work_week = date_trunc('week', $day::date)
             group by work_month order by work_month`,
            { person, day },
        );

    it('counts capacity and hours through the as-of day, and judges the running week on its days so far', async () => {
        expect(await asOf('U1', '2024-01-31')).toEqual([{ work_month: '2024-01-01', cap: 20, bill: 6, logged: 11, credit: 11 }]);
        expect(await asOf('U1', '2024-02-05')).toEqual([{ work_month: '2024-02-01', cap: 4, bill: 8, logged: 8, credit: 4 }]);
        expect(await asOf('U1', '2024-02-01')).toEqual([
            { work_month: '2024-01-01', cap: 20, bill: 6, logged: 11, credit: 16.67 },
            { work_month: '2024-02-01', cap: 4, bill: 9, logged: 9, credit: 3.33 },
        ]);
    });

    it('judges a week that has ended on all of it: the credit as of its Sunday is the week\'s', async () => {
        expect(await asOf('U1', '2024-02-04')).toEqual([
            { work_month: '2024-01-01', cap: 20, bill: 6, logged: 11, credit: 15 },
            { work_month: '2024-02-01', cap: 8, bill: 10, logged: 10, credit: 6 },
        ]);
    });
});
