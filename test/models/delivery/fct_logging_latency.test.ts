import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixtureOnce } from '../../helpers/models.ts';

/*
 * Fixture delivery-latency (as_of Wed 2024-01-31, which is also the horizon). End of a work date =
 * work_date + 1 day at 00:00 UTC; latency = logged_at − that. Buckets: ≤ 1 day same_day, ≤ 7 days
 * within_7_days, beyond over_7_days.
 *
 * L1 (40 h/week from Mon 2024-01-08), week of 2024-01-08 — last working day Fri 2024-01-12:
 *   E1 Mon 08  8 h logged 08 Jan 17:30Z            → end 09 Jan 00:00Z, latency  −6.5 h  same_day
 *   E2 Tue 09  8 h logged 11 Jan 01:00+01:00 (=00:00Z) → end 10 Jan,  latency   24 h   same_day (boundary)
 *   E3 Wed 10  6 h logged 12 Jan 16:00Z            → end 11 Jan,       latency   40 h   within_7_days, batch
 *   E4 Thu 11  8 h logged 12 Jan 16:00Z            → end 12 Jan,       latency   16 h   same_day, batch
 *   E5 Fri 12  8 h logged 23 Jan 00:00Z            → end 13 Jan,       latency  240 h = 10 days, over_7_days, batch
 *   E6 Wed 10  2 h logged 18 Jan 00:00Z            → end 11 Jan,       latency  168 h = 7 days (boundary) within_7_days, batch
 *   Week: 6 entries, 40 h; same_day 3 / 24 h; within_7_days 2 / 8 h; over_7_days 1 / 8 h.
 *   Batch = logged on or after Fri 12 Jan 00:00Z: E3 + E4 + E5 + E6 = 6 + 8 + 8 + 2 = 24 h → share 24/40 = 0.6.
 * L2 (40 h/week, employed 08–10 Jan: leaves on a Wednesday), week of 2024-01-08 — last working day Wed 10 Jan:
 *   F1 Mon 08 4 h logged 08 Jan 18:00Z → −6 h; F2 Tue 09 8 h logged 10 Jan 17:00Z → 17 h; F3 Wed 10 4 h logged
 *   10 Jan 17:00Z → −7 h: all same_day. Batch (on or after Wed 10 Jan 00:00Z) = F2 + F3 = 12 of 16 h → 0.75
 *   (with Friday as the last working day it would be 0).
 * L1, week of 2024-01-29 — still running at the horizon (Wed 31 Jan), so its last working day is Fri 2 Feb:
 *   G1 Mon 29 8 h logged 31 Jan 09:00Z → end 30 Jan, latency 33 h within_7_days, not batch (share 0).
 *   (L1's last day with capacity so far is Wed 31 Jan, which would have made it a batch.)
 */

const fixture = fixtureOnce(path.resolve(import.meta.dirname, '../../fixtures/delivery-latency'));

describe('marts.fct_logging_latency', () => {
    it('measures every entry from the end of its work date (UTC) and buckets it', async () => {
        const rows = await fixture.warehouse.all(
            `select entry_id, work_date_end, latency_hours, latency_bucket, last_working_day, is_batch
             from marts.fct_logging_latency order by entry_id`,
        );
        expect(rows).toEqual([
            { entry_id: 'E1', work_date_end: '2024-01-09T00:00:00.000Z', latency_hours: -6.5, latency_bucket: 'same_day', last_working_day: '2024-01-12', is_batch: false },
            { entry_id: 'E2', work_date_end: '2024-01-10T00:00:00.000Z', latency_hours: 24, latency_bucket: 'same_day', last_working_day: '2024-01-12', is_batch: false },
            { entry_id: 'E3', work_date_end: '2024-01-11T00:00:00.000Z', latency_hours: 40, latency_bucket: 'within_7_days', last_working_day: '2024-01-12', is_batch: true },
            { entry_id: 'E4', work_date_end: '2024-01-12T00:00:00.000Z', latency_hours: 16, latency_bucket: 'same_day', last_working_day: '2024-01-12', is_batch: true },
            { entry_id: 'E5', work_date_end: '2024-01-13T00:00:00.000Z', latency_hours: 240, latency_bucket: 'over_7_days', last_working_day: '2024-01-12', is_batch: true },
            { entry_id: 'E6', work_date_end: '2024-01-11T00:00:00.000Z', latency_hours: 168, latency_bucket: 'within_7_days', last_working_day: '2024-01-12', is_batch: true },
            { entry_id: 'F1', work_date_end: '2024-01-09T00:00:00.000Z', latency_hours: -6, latency_bucket: 'same_day', last_working_day: '2024-01-10', is_batch: false },
            { entry_id: 'F2', work_date_end: '2024-01-10T00:00:00.000Z', latency_hours: 17, latency_bucket: 'same_day', last_working_day: '2024-01-10', is_batch: true },
            { entry_id: 'F3', work_date_end: '2024-01-11T00:00:00.000Z', latency_hours: -7, latency_bucket: 'same_day', last_working_day: '2024-01-10', is_batch: true },
            { entry_id: 'G1', work_date_end: '2024-01-30T00:00:00.000Z', latency_hours: 33, latency_bucket: 'within_7_days', last_working_day: '2024-02-02', is_batch: false },
        ]);
    });

    it('E5, logged 10 days late, is over 7 days by exactly 10 days', async () => {
        expect(await fixture.warehouse.one(`select latency_seconds, latency_days from marts.fct_logging_latency where entry_id = 'E5'`)).toEqual({
            latency_seconds: 864_000,
            latency_days: 10,
        });
    });
});

describe('marts.fct_logging_latency_weekly', () => {
    it('counts entries and hours per bucket and the Friday-batch share per person-week', async () => {
        const rows = await fixture.warehouse.all(
            `select person_id, role, work_week, last_working_day, entries, hours,
                same_day_entries, same_day_hours, within_7_days_entries, within_7_days_hours,
                over_7_days_entries, over_7_days_hours, batch_entries, batch_hours, batch_share, max_latency_days
             from marts.fct_logging_latency_weekly order by person_id, work_week`,
        );
        expect(rows).toEqual([
            {
                person_id: 'L1', role: 'developer', work_week: '2024-01-08', last_working_day: '2024-01-12', entries: 6, hours: 40,
                same_day_entries: 3, same_day_hours: 24, within_7_days_entries: 2, within_7_days_hours: 8,
                over_7_days_entries: 1, over_7_days_hours: 8, batch_entries: 4, batch_hours: 24, batch_share: 0.6, max_latency_days: 10,
            },
            {
                person_id: 'L1', role: 'developer', work_week: '2024-01-29', last_working_day: '2024-02-02', entries: 1, hours: 8,
                same_day_entries: 0, same_day_hours: 0, within_7_days_entries: 1, within_7_days_hours: 8,
                over_7_days_entries: 0, over_7_days_hours: 0, batch_entries: 0, batch_hours: 0, batch_share: 0, max_latency_days: 33 / 24,
            },
            {
                person_id: 'L2', role: 'designer', work_week: '2024-01-08', last_working_day: '2024-01-10', entries: 3, hours: 16,
                same_day_entries: 3, same_day_hours: 16, within_7_days_entries: 0, within_7_days_hours: 0,
                over_7_days_entries: 0, over_7_days_hours: 0, batch_entries: 2, batch_hours: 12, batch_share: 0.75, max_latency_days: 17 / 24,
            },
        ]);
    });
});
