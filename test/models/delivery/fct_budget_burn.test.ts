import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixtureOnce } from '../../helpers/models.ts';

/*
 * Fixture delivery-budget (as_of Fri 2024-03-15; the latest entry, f11 on 2024-03-20, makes March the
 * horizon month). Share elapsed = (as_of − start + 1) / (end − start + 1) days; EAC = used / share complete
 * when milestones are signed off, else used / share elapsed; alert = highest of 75/90/100 % reached.
 *
 * FF1 fixed_fee 2024-01-01…2024-05-29 (150 days), budget 100 h. Jan 30 h, Feb 40 h (5 h of it non-billable),
 *   Mar 1–15 20 h (f10 on the as-of date counts), f11 on 20 Mar is after as_of.
 *   used 90 (billable 85), burn 0.9 → alert 90; elapsed 1 Jan…15 Mar = 75/150 = 0.5; EAC linear 90/0.5 = 180.
 * FF2 fixed_fee 2024-01-01…2024-03-31 (91 days), budget 50 h: Jan 30 h, Feb 30 h → used 60, burn 1.2 → alert 100
 *   (over budget), remaining −10; elapsed 75/91; EAC 60 / (75/91) = 72.8.
 * MS1 milestone 2024-02-01…2024-05-31 (121 days), budget 40 h, 4 milestones: M1 signed 20 Feb, M4 signed 1 Mar,
 *   M2 signed 20 Mar (after as_of), M3 open → share complete 2/4 = 0.5. Hours 12 (Feb) + 12 (Mar) = 24, burn 0.6
 *   (no alert); elapsed 44/121; EAC 24/0.5 = 48.
 * MS2 milestone 2024-03-01…2024-03-30 (30 days), budget 20 h, one milestone not signed off → share complete 0,
 *   which says nothing about the pace: EAC falls back to linear, 16 / (15/30) = 32. burn 16/20 = 0.8 → alert 75.
 * RT1 retainer from 2024-01-15, no end, no budget_hours; terms: 10 h/month from 2024-01-01, 20 h/month from
 *   2024-03-01. Budget to date = Jan 10 + Feb 10 + Mar 20 = 40 h. Hours 8 + 12 + 14 = 34, burn 0.85 → alert 75.
 *   No end date, no milestones → no share elapsed, no EAC.
 * RT2 retainer with budget_hours 100 (used as is): 5 h → burn 0.05.
 * TM1 is time_and_materials: not in the mart.
 *
 * Month ends (fct_budget_burn_monthly), hours used cumulative through the month:
 *   FF1 Jan 30 (elapsed 31/150, EAC 30·150/31), Feb 70 (60/150 = 0.4, EAC 175), Mar 100 incl. f11 (burn 1.0 → 100,
 *     elapsed 91/150, EAC 100·150/91).
 *   FF2 Jan 30 (0.6), Feb 60 (1.2 → 100), Mar 60 (elapsed 1 → EAC 60).
 *   MS1 Feb 12 (1 of 4 signed by 29 Feb → 0.25, EAC 48), Mar 24 (M1, M4, M2 by 31 Mar → 0.75, EAC 32).
 *   MS2 Mar 16 (burn 0.8 → 75; none signed → linear, elapsed 1 at 31 Mar → EAC 16).
 *   RT1 Jan 8 of 10 (0.8 → 75), Feb 20 of 20 (1.0 → 100), Mar 34 of 40 (0.85 → 75).
 *   RT2 Jan–Mar 5 of 100.
 *
 * Days (fct_budget_burn_daily, what GET /api/budget-burn?as_of=<day> reads). On 15 Mar exactly the figures
 * above at as_of, not March's month end (FF1 90 h, not 100: f11 on 20 Mar is later; MS1 2 of 4 signed, not 3:
 * M2 is signed on 20 Mar). On Sun 10 Mar:
 *   FF1 f1–f8 only (f9 is 14 Mar): used 70 (billable 65), burn 0.7 (< 0.75: no alert), remaining 30;
 *     elapsed 1 Jan…10 Mar = 31 + 29 + 10 = 70 days → 70/150; EAC linear 70 / (70/150) = 150, EAC burn 1.5.
 *   FF2 used 60 (Jan, Feb), burn 1.2 → 100, remaining −10; elapsed 70/91; EAC 60·91/70 = 78, EAC burn 1.56.
 *   MS1 used 24 (14 Feb, 5 Mar), burn 0.6; M1 (20 Feb) and M4 (1 Mar) signed → 2/4 = 0.5, EAC 24/0.5 = 48, EAC
 *     burn 1.2; elapsed 1 Feb…10 Mar = 29 + 10 = 39 → 39/121.
 *   MS2 used 16 (4, 5 Mar), burn 0.8 → 75; none signed → linear: elapsed 10/30, EAC 16·30/10 = 48, EAC burn 2.4.
 *   RT1 used 8 + 12 = 20 (r3 is 11 Mar) of 40 (March's 20 included hours count from its first day), burn 0.5,
 *     no alert; remaining 20.
 *   RT2 5 of 100.
 * On 10 Jan only the projects whose first month is January are listed (MS1 starts in February, MS2 in March):
 *   FF1 nothing yet (f1 is 15 Jan): used 0 of 100, elapsed 10/150, EAC linear 0 / (10/150) = 0.
 *   FF2 g1 on the day counts: 15 of 50 = 0.3, elapsed 10/91, EAC 15·91/10 = 136.5.
 *   RT1 starts 15 Jan, but its first month is January: 0 of January's 10 included hours, burn 0.
 *   RT2 s1 on 9 Jan: 5 of 100.
 */

const fixture = fixtureOnce(path.resolve(import.meta.dirname, '../../fixtures/delivery-budget'));

/** Exact for everything but ratios computed in floating point, which must agree to 9 decimals. */
function expectRows(actual: Record<string, unknown>[], expected: Record<string, unknown>[]): void {
    expect(actual.map((r) => Object.keys(r))).toEqual(expected.map((r) => Object.keys(r)));
    actual.forEach((row, i) => {
        for (const [key, want] of Object.entries(expected[i]!)) {
            const got = row[key];
            if (typeof want === 'number' && !Number.isInteger(want)) expect(got, `row ${i} ${key}`).toBeCloseTo(want, 9);
            else expect(got, `row ${i} ${key}`).toEqual(want);
        }
    });
}

/** The firm's as_of, Fri 2024-03-15 (worked out above). */
const AT_AS_OF = [
    { project_id: 'FF1', budget_basis: 'budget_hours', budget_hours: 100, hours_used: 90, billable_hours_used: 85, remaining_hours: 10, burn: 0.9, share_elapsed: 0.5, milestones: 0, milestones_signed_off: 0, share_complete: null, eac_method: 'linear', eac_hours: 180, eac_burn: 1.8, alert_level: 90, last_work_date: '2024-03-15' },
    { project_id: 'FF2', budget_basis: 'budget_hours', budget_hours: 50, hours_used: 60, billable_hours_used: 60, remaining_hours: -10, burn: 1.2, share_elapsed: 75 / 91, milestones: 0, milestones_signed_off: 0, share_complete: null, eac_method: 'linear', eac_hours: 72.8, eac_burn: 1.456, alert_level: 100, last_work_date: '2024-02-13' },
    { project_id: 'MS1', budget_basis: 'budget_hours', budget_hours: 40, hours_used: 24, billable_hours_used: 24, remaining_hours: 16, burn: 0.6, share_elapsed: 44 / 121, milestones: 4, milestones_signed_off: 2, share_complete: 0.5, eac_method: 'share_complete', eac_hours: 48, eac_burn: 1.2, alert_level: null, last_work_date: '2024-03-05' },
    { project_id: 'MS2', budget_basis: 'budget_hours', budget_hours: 20, hours_used: 16, billable_hours_used: 16, remaining_hours: 4, burn: 0.8, share_elapsed: 0.5, milestones: 1, milestones_signed_off: 0, share_complete: 0, eac_method: 'linear', eac_hours: 32, eac_burn: 1.6, alert_level: 75, last_work_date: '2024-03-05' },
    { project_id: 'RT1', budget_basis: 'retainer_included_hours', budget_hours: 40, hours_used: 34, billable_hours_used: 34, remaining_hours: 6, burn: 0.85, share_elapsed: null, milestones: 0, milestones_signed_off: 0, share_complete: null, eac_method: null, eac_hours: null, eac_burn: null, alert_level: 75, last_work_date: '2024-03-11' },
    { project_id: 'RT2', budget_basis: 'budget_hours', budget_hours: 100, hours_used: 5, billable_hours_used: 5, remaining_hours: 95, burn: 0.05, share_elapsed: null, milestones: 0, milestones_signed_off: 0, share_complete: null, eac_method: null, eac_hours: null, eac_burn: null, alert_level: null, last_work_date: '2024-01-09' },
];

describe('marts.fct_budget_burn', () => {
    it('evaluates budget, burn, elapsed and complete shares, EAC and alert at as_of', async () => {
        const rows = await fixture.warehouse.all(
            `select project_id, budget_basis, budget_hours, hours_used, billable_hours_used, remaining_hours, burn,
                share_elapsed, milestones, milestones_signed_off, share_complete, eac_method, eac_hours, eac_burn,
                alert_level, last_work_date
             from marts.fct_budget_burn order by project_id`,
        );
        expectRows(rows, AT_AS_OF);
    });
});

describe('marts.fct_budget_burn_monthly', () => {
    it('has the burn-up at every month end through the horizon month', async () => {
        const rows = await fixture.warehouse.all(
            `select project_id, month, hours, hours_used, billable_hours_used, budget_hours, burn, share_elapsed,
                milestones_signed_off, share_complete, eac_method, eac_hours, alert_level
             from marts.fct_budget_burn_monthly order by project_id, month`,
        );
        const row = (project_id: string, month: string, hours: number, hours_used: number, billable_hours_used: number, budget_hours: number, burn: number, share_elapsed: number | null, milestones_signed_off: number, share_complete: number | null, eac_method: string | null, eac_hours: number | null, alert_level: number | null) =>
            ({ project_id, month, hours, hours_used, billable_hours_used, budget_hours, burn, share_elapsed, milestones_signed_off, share_complete, eac_method, eac_hours, alert_level });
        expectRows(rows, [
            row('FF1', '2024-01-01', 30, 30, 30, 100, 0.3, 31 / 150, 0, null, 'linear', (30 * 150) / 31, null),
            row('FF1', '2024-02-01', 40, 70, 65, 100, 0.7, 0.4, 0, null, 'linear', 175, null),
            row('FF1', '2024-03-01', 30, 100, 95, 100, 1, 91 / 150, 0, null, 'linear', (100 * 150) / 91, 100),
            row('FF2', '2024-01-01', 30, 30, 30, 50, 0.6, 31 / 91, 0, null, 'linear', (30 * 91) / 31, null),
            row('FF2', '2024-02-01', 30, 60, 60, 50, 1.2, 60 / 91, 0, null, 'linear', 91, 100),
            row('FF2', '2024-03-01', 0, 60, 60, 50, 1.2, 1, 0, null, 'linear', 60, 100),
            row('MS1', '2024-02-01', 12, 12, 12, 40, 0.3, 29 / 121, 1, 0.25, 'share_complete', 48, null),
            row('MS1', '2024-03-01', 12, 24, 24, 40, 0.6, 60 / 121, 3, 0.75, 'share_complete', 32, null),
            row('MS2', '2024-03-01', 16, 16, 16, 20, 0.8, 1, 0, 0, 'linear', 16, 75),
            row('RT1', '2024-01-01', 8, 8, 8, 10, 0.8, null, 0, null, null, null, 75),
            row('RT1', '2024-02-01', 12, 20, 20, 20, 1, null, 0, null, null, null, 100),
            row('RT1', '2024-03-01', 14, 34, 34, 40, 0.85, null, 0, null, null, null, 75),
            row('RT2', '2024-01-01', 5, 5, 5, 100, 0.05, null, 0, null, null, null, null),
            row('RT2', '2024-02-01', 0, 5, 5, 100, 0.05, null, 0, null, null, null, null),
            row('RT2', '2024-03-01', 0, 5, 5, 100, 0.05, null, 0, null, null, null, null),
        ]);
    });
});

describe('marts.fct_budget_burn_daily', () => {
    /** What GET /api/budget-burn?as_of=<day> reads: the rows at that day. */
    const at = (day: string) =>
        fixture.warehouse.all(
            `select project_id, budget_basis, budget_hours, hours_used, billable_hours_used, remaining_hours, burn,
                share_elapsed, milestones, milestones_signed_off, share_complete, eac_method, eac_hours, eac_burn,
                alert_level, last_work_date
             from marts.fct_budget_burn_daily where as_of = $1::date order by project_id`,
            [day],
        );

    it('at a mid-month day: hours used through it, share elapsed and milestones signed off at it', async () => {
        expectRows(await at('2024-03-10'), [
            { project_id: 'FF1', budget_basis: 'budget_hours', budget_hours: 100, hours_used: 70, billable_hours_used: 65, remaining_hours: 30, burn: 0.7, share_elapsed: 70 / 150, milestones: 0, milestones_signed_off: 0, share_complete: null, eac_method: 'linear', eac_hours: 150, eac_burn: 1.5, alert_level: null, last_work_date: '2024-02-08' },
            { project_id: 'FF2', budget_basis: 'budget_hours', budget_hours: 50, hours_used: 60, billable_hours_used: 60, remaining_hours: -10, burn: 1.2, share_elapsed: 70 / 91, milestones: 0, milestones_signed_off: 0, share_complete: null, eac_method: 'linear', eac_hours: 78, eac_burn: 1.56, alert_level: 100, last_work_date: '2024-02-13' },
            { project_id: 'MS1', budget_basis: 'budget_hours', budget_hours: 40, hours_used: 24, billable_hours_used: 24, remaining_hours: 16, burn: 0.6, share_elapsed: 39 / 121, milestones: 4, milestones_signed_off: 2, share_complete: 0.5, eac_method: 'share_complete', eac_hours: 48, eac_burn: 1.2, alert_level: null, last_work_date: '2024-03-05' },
            { project_id: 'MS2', budget_basis: 'budget_hours', budget_hours: 20, hours_used: 16, billable_hours_used: 16, remaining_hours: 4, burn: 0.8, share_elapsed: 10 / 30, milestones: 1, milestones_signed_off: 0, share_complete: 0, eac_method: 'linear', eac_hours: 48, eac_burn: 2.4, alert_level: 75, last_work_date: '2024-03-05' },
            { project_id: 'RT1', budget_basis: 'retainer_included_hours', budget_hours: 40, hours_used: 20, billable_hours_used: 20, remaining_hours: 20, burn: 0.5, share_elapsed: null, milestones: 0, milestones_signed_off: 0, share_complete: null, eac_method: null, eac_hours: null, eac_burn: null, alert_level: null, last_work_date: '2024-02-12' },
            { project_id: 'RT2', budget_basis: 'budget_hours', budget_hours: 100, hours_used: 5, billable_hours_used: 5, remaining_hours: 95, burn: 0.05, share_elapsed: null, milestones: 0, milestones_signed_off: 0, share_complete: null, eac_method: null, eac_hours: null, eac_burn: null, alert_level: null, last_work_date: '2024-01-09' },
        ]);
    });

    it('at the firm’s as_of gives marts.fct_budget_burn’s figures, not the month end’s', async () => {
        expectRows(await at('2024-03-15'), AT_AS_OF);
    });

    it('lists a project from the first day of the month it starts (or of its first entry)', async () => {
        const rows = await fixture.warehouse.all(
            `select project_id, budget_hours, hours_used, burn, share_elapsed, eac_hours
             from marts.fct_budget_burn_daily where as_of = '2024-01-10' order by project_id`,
        );
        expectRows(rows, [
            { project_id: 'FF1', budget_hours: 100, hours_used: 0, burn: 0, share_elapsed: 10 / 150, eac_hours: 0 },
            { project_id: 'FF2', budget_hours: 50, hours_used: 15, burn: 0.3, share_elapsed: 10 / 91, eac_hours: 136.5 },
            { project_id: 'RT1', budget_hours: 10, hours_used: 0, burn: 0, share_elapsed: null, eac_hours: null },
            { project_id: 'RT2', budget_hours: 100, hours_used: 5, burn: 0.05, share_elapsed: null, eac_hours: null },
        ]);
        const days = await fixture.warehouse.one<{ first: string; last: string; n: number }>(
            `select min(as_of)::varchar as first, max(as_of)::varchar as last, count(*)::integer as n from marts.fct_budget_burn_daily where project_id = 'MS2'`,
        );
        // MS2: 1 Mar through the end of the horizon month (horizon 20 Mar, the last work date)
        expect(days).toEqual({ first: '2024-03-01', last: '2024-03-31', n: 31 });
    });
});
