import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildModels, readModels } from '../../../warehouse/models.ts';
import { ruleDefinitions } from '../../../web/lib/features/data/data.ts';
import { tinyWith } from '../../helpers/fixtures.ts';
import { buildFixture, buildOnce, loadFixture } from '../../helpers/models.ts';

/*
 * Fixture delivery-flags (as_of Fri 2024-03-08; Mon 2024-03-04 … Fri 2024-03-08 is the week under review).
 * R1 developer and R2 designer, 40 h/week (8 h a day) from Mon 2024-03-04.
 * PX time_and_materials 2024-03-01…2024-03-31, baseline plan: build × developer 20 h, design × designer 10 h
 *   (test × developer 5 h is a re-plan, baseline = false, so "test" is not in the baseline).
 * PC fixed_fee, closed, 2024-01-01…2024-03-06. PN non_billable (internal), no plan.
 *
 * Entries and the flags they must raise (everything else must raise nothing):
 *   Mon 04  A1 PX build 8 h (approved 05 Mar 09:00Z), A16 PX build 5 h rejected, A2 PX build 6 h
 *           → over_12h_day R1 04 Mar: 8 + 5 + 6 = 19 h > 12 (every status counts in a day's total).
 *           R2: B1 PX design 8 h.
 *   Tue 05  A3 PX build 2 h timer 09:00–11:00Z; A4 PX build 2 h, both without notes or task (empty values
 *           match) → duplicate_entry A3, A4. A17 PX build 2 h without notes but task "review" → not a duplicate.
 *           A5 PX build 3 h "ui" timer 10:30–13:30Z → overlapping_timer A3 (with A5) and A5 (with A3);
 *           A6 PX build 1 h "ui" timer 13:30–14:30Z only touches A5 → no overlap (and 3 h ≠ 1 h: no duplicate).
 *           A14 PC 2 h approved 06 Mar 09:00Z — on the closed project but within its dates and approved: no flag.
 *           R2: B2 PN 8 h timer 09:00–17:00Z overlaps A3's hours, but is another person's → no flag.
 *           R1's Tuesday: 2 + 2 + 2 + 3 + 1 + 2 = 12 h, not more than 12 → no over_12h_day.
 *   Wed 06  A7 PX phase test, activity admin, billable → billable_admin, unplanned_scope (phase not in baseline).
 *           A8 PN billable → billable_on_non_billable. A9 PX design by a developer → unplanned_scope (role).
 *   Thu 07  A10 PX build, 0 s (a zero-length timer) → zero_duration; it is R1's only entry that day, so nothing
 *           was logged: missing_day R1 07 Mar (8 h capacity).
 *   Fri 08  A11 PC, submitted, after PC's end date → closed_project and outside_project_dates.
 *           A15 PX without phase → unplanned_scope ("(no phase)" is not in the baseline).
 *   B0 R2 PX design Thu 29 Feb, before PX starts → outside_project_dates (R2 had not started: no missing day).
 *   B6 R2 PN Mon 11 Mar, after as_of → future_entry. Mon 11 Mar is past as_of: no missing day for R1.
 *   R2 logs 8 h every day of the week (B1–B5): no missing day.
 *
 * phase_over_estimate, rejected entries excluded, in order of work_date, logged_at, entry_id:
 *   build (20 h): A1 8, A2 14, A17 (logged 17:00) 16, A3 18, A4 20 (= estimate, not over), A5 23 > 20 → A5,
 *     A6 24 → A6; A10 adds 0 s → not flagged. (Counting the rejected A16 would have flagged A17, A3 and A4 too.)
 *   design (10 h): B0 2, B1 10 (= estimate, not over), A9 12 → A9.
 *
 * edit_after_approval, from the audit log (inserted below):
 *   ev 1  A14 edit   07 Mar 10:00Z by R1 refused  → flagged (A14 approved 06 Mar 09:00Z)
 *   ev 2  A14 delete 07 Mar 11:00Z by R1 refused  → flagged
 *   ev 3  A2  edit   05 Mar 10:00Z by R1 applied  → A2 is not approved: no
 *   ev 4  A14 edit   05 Mar 20:00Z by R1 applied  → before A14's approval: no
 *   ev 5  A14 approve 06 Mar 09:00Z by R2 applied → not an edit: no
 *   ev 6  A1  edit   06 Mar 10:00Z by R2 applied  → A1 approved 05 Mar 09:00Z: flagged, a breach (outcome applied)
 *
 * 22 flags in all.
 */

const FIXTURE = path.resolve(import.meta.dirname, '../../fixtures/delivery-flags');

const EVENTS: [string, string, string, string, string, string, string | null][] = [
    // entry_id, person_id, action, attempted_at, actor_id, outcome, detail
    ['A14', 'R1', 'edit', '2024-03-07T10:00:00Z', 'R1', 'refused', 'entry is approved'],
    ['A14', 'R1', 'delete', '2024-03-07T11:00:00Z', 'R1', 'refused', 'entry is approved'],
    ['A2', 'R1', 'edit', '2024-03-05T10:00:00Z', 'R1', 'applied', null],
    ['A14', 'R1', 'edit', '2024-03-05T20:00:00Z', 'R1', 'applied', null],
    ['A14', 'R1', 'approve', '2024-03-06T09:00:00Z', 'R2', 'applied', null],
    ['A1', 'R1', 'edit', '2024-03-06T10:00:00Z', 'R2', 'applied', 'hours 8 → 7'],
];

const fixture = buildOnce(async () => {
    const warehouse = await loadFixture(FIXTURE);
    for (const [i, e] of EVENTS.entries()) {
        await warehouse.run(
            `insert into audit.time_entry_events (event_id, entry_id, person_id, action, attempted_at, actor_id, outcome, detail)
             values ($1, $2, $3, $4, $5::timestamptz, $6, $7, $8)`,
            [i + 1, ...e],
        );
    }
    await buildModels(warehouse);
    return { warehouse };
});

describe('marts.fct_review_flags', () => {
    it('raises exactly the flags worked out by hand, each naming its entry or person-day', async () => {
        const rows = await fixture.warehouse.all(
            `select rule, subject, entry_id, person_id, project_id, manager_id, work_date, hours, entry_status
             from marts.fct_review_flags order by rule, flag_key`,
        );
        const entry = (rule: string, entry_id: string, person_id: string, project_id: string, manager_id: string | null, work_date: string, hours: number, entry_status: string) =>
            ({ rule, subject: 'entry', entry_id, person_id, project_id, manager_id, work_date, hours, entry_status });
        const day = (rule: string, person_id: string, work_date: string, hours: number) =>
            ({ rule, subject: 'person_day', entry_id: null, person_id, project_id: null, manager_id: null, work_date, hours, entry_status: null });
        expect(rows).toEqual([
            entry('billable_admin', 'A7', 'R1', 'PX', 'R2', '2024-03-06', 3, 'submitted'),
            entry('billable_on_non_billable', 'A8', 'R1', 'PN', null, '2024-03-06', 1, 'submitted'),
            entry('closed_project', 'A11', 'R1', 'PC', 'R2', '2024-03-08', 2, 'submitted'),
            entry('duplicate_entry', 'A3', 'R1', 'PX', 'R2', '2024-03-05', 2, 'submitted'),
            entry('duplicate_entry', 'A4', 'R1', 'PX', 'R2', '2024-03-05', 2, 'submitted'),
            entry('edit_after_approval', 'A14', 'R1', 'PC', 'R2', '2024-03-05', 2, 'approved'),
            entry('edit_after_approval', 'A14', 'R1', 'PC', 'R2', '2024-03-05', 2, 'approved'),
            entry('edit_after_approval', 'A1', 'R1', 'PX', 'R2', '2024-03-04', 8, 'approved'),
            entry('future_entry', 'B6', 'R2', 'PN', null, '2024-03-11', 1, 'submitted'),
            day('missing_day', 'R1', '2024-03-07', 0),
            entry('outside_project_dates', 'A11', 'R1', 'PC', 'R2', '2024-03-08', 2, 'submitted'),
            entry('outside_project_dates', 'B0', 'R2', 'PX', 'R2', '2024-02-29', 2, 'submitted'),
            day('over_12h_day', 'R1', '2024-03-04', 19),
            entry('overlapping_timer', 'A3', 'R1', 'PX', 'R2', '2024-03-05', 2, 'submitted'),
            entry('overlapping_timer', 'A5', 'R1', 'PX', 'R2', '2024-03-05', 3, 'submitted'),
            entry('phase_over_estimate', 'A5', 'R1', 'PX', 'R2', '2024-03-05', 3, 'submitted'),
            entry('phase_over_estimate', 'A6', 'R1', 'PX', 'R2', '2024-03-05', 1, 'submitted'),
            entry('phase_over_estimate', 'A9', 'R1', 'PX', 'R2', '2024-03-06', 2, 'submitted'),
            entry('unplanned_scope', 'A15', 'R1', 'PX', 'R2', '2024-03-08', 1, 'submitted'),
            entry('unplanned_scope', 'A7', 'R1', 'PX', 'R2', '2024-03-06', 3, 'submitted'),
            entry('unplanned_scope', 'A9', 'R1', 'PX', 'R2', '2024-03-06', 2, 'submitted'),
            entry('zero_duration', 'A10', 'R1', 'PX', 'R2', '2024-03-07', 0, 'draft'),
        ]);
    });

    it('gives every rule at least one flag and keys that are stable', async () => {
        const keys = (await fixture.warehouse.all<{ flag_key: string }>(`select flag_key from marts.fct_review_flags order by flag_key`)).map((r) => r.flag_key);
        expect(keys).toEqual([
            'billable_admin:A7',
            'billable_on_non_billable:A8',
            'closed_project:A11',
            'duplicate_entry:A3',
            'duplicate_entry:A4',
            'edit_after_approval:1',
            'edit_after_approval:2',
            'edit_after_approval:6',
            'future_entry:B6',
            'missing_day:R1:2024-03-07',
            'outside_project_dates:A11',
            'outside_project_dates:B0',
            'over_12h_day:R1:2024-03-04',
            'overlapping_timer:A3',
            'overlapping_timer:A5',
            'phase_over_estimate:A5',
            'phase_over_estimate:A6',
            'phase_over_estimate:A9',
            'unplanned_scope:A15',
            'unplanned_scope:A7',
            'unplanned_scope:A9',
            'zero_duration:A10',
        ]);
        const rules = new Set(keys.map((k) => k.split(':')[0]));
        expect(rules.size).toBe(13);
    });

    it('has each rule as its own model, which the mart unions and its .yml defines', async () => {
        const models = readModels();
        const ruleModels = models.filter((m) => /^int_review_flag_/.test(m.name));
        const rules = ruleModels.map((m) => m.name.replace(/^int_review_flag_/, '')).sort();
        const mart = models.find((m) => m.relation === 'marts.fct_review_flags')!;
        const accepted = mart.spec!.columns!.find((c) => c.name === 'rule')!.tests!.find((t) => typeof t === 'object') as { accepted_values: string[] };
        expect(rules).toHaveLength(13);
        expect(mart.dependsOn).toEqual(expect.arrayContaining(ruleModels.map((m) => m.relation)));
        expect([...accepted.accepted_values].sort()).toEqual(rules);
        // The Data page shows each rule's paragraph of the mart's description.
        expect(Object.keys(ruleDefinitions(mart.spec!.description!)).sort()).toEqual(rules);
        for (const m of ruleModels) {
            const rule = m.name.replace(/^int_review_flag_/, '');
            const own = await fixture.warehouse.all<{ flag_key: string; rule: string }>(`select flag_key, rule from ${m.relation} order by flag_key`);
            const inMart = await fixture.warehouse.all<{ flag_key: string; rule: string }>(`select flag_key, rule from marts.fct_review_flags where rule = $1 order by flag_key`, [rule]);
            expect(own.length, rule).toBeGreaterThan(0);
            expect(own, rule).toEqual(inMart);
        }
    });

    it('states the evidence of each flag', async () => {
        const rows = await fixture.warehouse.all<{ flag_key: string; evidence: string; details: string }>(
            `select flag_key, evidence, details from marts.fct_review_flags order by flag_key`,
        );
        const evidence = Object.fromEntries(rows.map((r) => [r.flag_key, { evidence: r.evidence, details: JSON.parse(r.details) }]));
        expect(evidence).toEqual({
            'billable_admin:A7': { evidence: 'billable entry with activity admin', details: { activity: 'admin', billable: true } },
            'billable_on_non_billable:A8': { evidence: 'billable entry on non_billable project PN', details: { billable: true, billing_model: 'non_billable' } },
            'closed_project:A11': {
                evidence: 'submitted entry on closed project PC',
                details: { entry_status: 'submitted', project_status: 'closed', project_end_date: '2024-03-06' },
            },
            'duplicate_entry:A3': { evidence: 'same person, project, date, duration, notes, phase, task and activity as A4', details: { duplicate_of: ['A4'] } },
            'duplicate_entry:A4': { evidence: 'same person, project, date, duration, notes, phase, task and activity as A3', details: { duplicate_of: ['A3'] } },
            'edit_after_approval:1': {
                evidence: 'edit refused at 2024-03-07T10:00:00Z by R1; the entry was approved at 2024-03-06T09:00:00Z',
                details: { event_id: 1, action: 'edit', outcome: 'refused', actor_id: 'R1', attempted_at: '2024-03-07T10:00:00Z', approved_at: '2024-03-06T09:00:00Z', detail: 'entry is approved' },
            },
            'edit_after_approval:2': {
                evidence: 'delete refused at 2024-03-07T11:00:00Z by R1; the entry was approved at 2024-03-06T09:00:00Z',
                details: { event_id: 2, action: 'delete', outcome: 'refused', actor_id: 'R1', attempted_at: '2024-03-07T11:00:00Z', approved_at: '2024-03-06T09:00:00Z', detail: 'entry is approved' },
            },
            'edit_after_approval:6': {
                evidence: 'edit applied at 2024-03-06T10:00:00Z by R2; the entry was approved at 2024-03-05T09:00:00Z',
                details: { event_id: 6, action: 'edit', outcome: 'applied', actor_id: 'R2', attempted_at: '2024-03-06T10:00:00Z', approved_at: '2024-03-05T09:00:00Z', detail: 'hours 8 → 7' },
            },
            'future_entry:B6': { evidence: 'work date 2024-03-11 is after the as-of date 2024-03-08', details: { work_date: '2024-03-11', as_of: '2024-03-08' } },
            'missing_day:R1:2024-03-07': {
                evidence: 'no time logged on a working day with 8 h capacity',
                details: { capacity_hours: 8, zero_duration_entry_ids: ['A10'] },
            },
            'outside_project_dates:A11': {
                evidence: "work date 2024-03-08 is after the project's end date 2024-03-06",
                details: { work_date: '2024-03-08', project_start_date: '2024-01-01', project_end_date: '2024-03-06' },
            },
            'outside_project_dates:B0': {
                evidence: "work date 2024-02-29 is before the project's start date 2024-03-01",
                details: { work_date: '2024-02-29', project_start_date: '2024-03-01', project_end_date: '2024-03-31' },
            },
            'over_12h_day:R1:2024-03-04': {
                evidence: '19 h logged in one day (entries A1, A16, A2)',
                details: { hours: 19, limit_hours: 12, entry_ids: ['A1', 'A16', 'A2'] },
            },
            'overlapping_timer:A3': {
                evidence: 'timer 2024-03-05T09:00:00Z–2024-03-05T11:00:00Z overlaps A5',
                details: { started_at: '2024-03-05T09:00:00Z', ended_at: '2024-03-05T11:00:00Z', overlaps: ['A5'] },
            },
            'overlapping_timer:A5': {
                evidence: 'timer 2024-03-05T10:30:00Z–2024-03-05T13:30:00Z overlaps A3',
                details: { started_at: '2024-03-05T10:30:00Z', ended_at: '2024-03-05T13:30:00Z', overlaps: ['A3'] },
            },
            'phase_over_estimate:A5': {
                evidence: 'phase build at 23 h of its 20 h estimate with this entry',
                details: { phase: 'build', estimated_hours: 20, cumulative_hours: 23, phase_hours: 24 },
            },
            'phase_over_estimate:A6': {
                evidence: 'phase build at 24 h of its 20 h estimate with this entry',
                details: { phase: 'build', estimated_hours: 20, cumulative_hours: 24, phase_hours: 24 },
            },
            'phase_over_estimate:A9': {
                evidence: 'phase design at 12 h of its 10 h estimate with this entry',
                details: { phase: 'design', estimated_hours: 10, cumulative_hours: 12, phase_hours: 12 },
            },
            'unplanned_scope:A15': {
                evidence: "phase (no phase) is not in the project's baseline plan",
                details: { phase: '(no phase)', role: 'developer', phase_planned: false },
            },
            'unplanned_scope:A7': {
                evidence: "phase test is not in the project's baseline plan",
                details: { phase: 'test', role: 'developer', phase_planned: false },
            },
            'unplanned_scope:A9': {
                evidence: 'role developer is not planned for phase design',
                details: { phase: 'design', role: 'developer', phase_planned: true },
            },
            'zero_duration:A10': { evidence: 'entry of zero duration', details: { duration_seconds: 0 } },
        });
    });
});

/*
 * Large groups: a duplicate group and overlapping timers are counted exactly but name at most 20 others
 * (a day of 200,000 identical entries named 200,000 ids on each row: the build ran out of memory).
 * Tiny firm; only duplicate_entry and overlapping_timer are read.
 *   D01…D25 (P1, PRJ1, 2024-01-03, 1 h, same notes): each a duplicate of 24 others; D01 names D02…D21
 *     "and 4 more", D25 names D01…D20.
 *   L0 (P1, 2024-01-04) 08:00–18:00 and S01…S30 one minute each from 09:00, two minutes apart: L0 overlaps
 *     all 30 (names S01…S20, "and 10 more"); each S overlaps L0 only, which starts 1 to 30 places before it.
 *   P2, 2024-01-05: 90 timers from a seeded generator — starts on the minute between 08:00 and 10:00,
 *     lengths 0, 1, 5, 30 or 120 minutes (zero-length ones, shared starts and touching ends included) —
 *     checked against every pair compared in JS: who is flagged, how many they overlap, and the names
 *     (all of them in order of start when 20 or fewer, else 20 of them).
 */
describe('marts.fct_review_flags with large groups', () => {
    const head = 'entry_id,person_id,project_id,phase,task,activity,work_date,duration_seconds,billable,notes,source,logged_at,status,approved_by,approved_at,started_at,ended_at\n';
    const at = (day: string, minute: number) => `${day}T${String(Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}:00Z`;
    const entry = (id: string, person: string, day: string, notes: string, from?: number, to?: number) =>
        `${id},${person},PRJ1,build,,development,${day},3600,true,${notes},timer,${day}T19:00:00Z,submitted,,,${from === undefined ? '' : at(day, from)},${to === undefined ? '' : at(day, to)}\n`;
    const pad = (n: number) => String(n).padStart(2, '0');

    // P2's timers: a small linear congruential generator, so the case is the same on every run.
    let seed = 42;
    const random = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
    const timers = Array.from({ length: 90 }, (_, i) => {
        const start = 8 * 60 + random(120);
        return { id: `R${pad(i)}`, start, end: start + [0, 1, 5, 30, 120][random(5)]! };
    });

    const large = buildOnce(async () => {
        let csv = head;
        for (let i = 1; i <= 25; i++) csv += entry(`D${pad(i)}`, 'P1', '2024-01-03', 'same');
        csv += entry('L0', 'P1', '2024-01-04', 'long', 8 * 60, 18 * 60);
        for (let i = 1; i <= 30; i++) csv += entry(`S${pad(i)}`, 'P1', '2024-01-04', `short ${i}`, 9 * 60 + 2 * (i - 1), 9 * 60 + 2 * (i - 1) + 1);
        for (const t of timers) csv += entry(t.id, 'P2', '2024-01-05', t.id, t.start, t.end);
        const dir = tinyWith({ 'time_entries.csv': csv, 'invoice_line_entries.csv': 'invoice_id,line_no,entry_id\n' });
        try {
            return { warehouse: await buildFixture(dir) };
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });

    const read = async (rule: string) =>
        new Map(
            (await large.warehouse.all<{ entry_id: string; evidence: string; details: string }>(`select entry_id, evidence, details from marts.fct_review_flags where rule = $1`, [rule])).map(
                (r) => [r.entry_id, { evidence: r.evidence, details: JSON.parse(r.details) as Record<string, unknown> }],
            ),
        );

    it('a duplicate group of 25: every entry flagged, 20 others named, all counted', async () => {
        const dup = await read('duplicate_entry');
        expect([...dup.keys()].sort()).toEqual(Array.from({ length: 25 }, (_, i) => `D${pad(i + 1)}`));
        const others = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => `D${pad(from + i)}`);
        expect(dup.get('D01')).toEqual({
            evidence: `same person, project, date, duration, notes, phase, task and activity as ${others(2, 21).join(', ')} and 4 more`,
            details: { duplicate_of: others(2, 21), duplicates: 24 },
        });
        expect(dup.get('D25')!.details).toEqual({ duplicate_of: others(1, 20), duplicates: 24 });
    });

    it('overlaps are counted exactly and named up to 20, in order of start', async () => {
        const overlaps = await read('overlapping_timer');
        const shorts = Array.from({ length: 30 }, (_, i) => `S${pad(i + 1)}`);
        expect(overlaps.get('L0')).toEqual({
            evidence: `timer 2024-01-04T08:00:00Z–2024-01-04T18:00:00Z overlaps ${shorts.slice(0, 20).join(', ')} and 10 more`,
            details: { started_at: '2024-01-04T08:00:00Z', ended_at: '2024-01-04T18:00:00Z', overlaps: shorts.slice(0, 20), overlap_count: 30 },
        });
        for (const s of shorts) expect(overlaps.get(s)!.details.overlaps, s).toEqual(['L0']);

        // P2: every pair compared.
        const order = [...timers].sort((a, b) => a.start - b.start || a.id.localeCompare(b.id));
        const expected = new Map(
            timers
                .map((t) => [t.id, order.filter((o) => o.id !== t.id && o.start < t.end && t.start < o.end).map((o) => o.id)] as const)
                .filter(([, with_]) => with_.length > 0),
        );
        const found = new Map([...overlaps].filter(([id]) => id.startsWith('R')));
        expect([...found.keys()].sort()).toEqual([...expected.keys()].sort());
        let large = 0;
        for (const [id, with_] of expected) {
            const { details } = found.get(id)!;
            const named = details.overlaps as string[];
            if (with_.length <= 20) {
                expect(named, id).toEqual(with_);
                expect(details.overlap_count, id).toBeUndefined();
            } else {
                large++;
                expect(details.overlap_count, id).toBe(with_.length);
                expect(named.length, id).toBe(20);
                expect(with_, id).toEqual(expect.arrayContaining(named));
                expect(named, id).toEqual([...named].sort((a, b) => with_.indexOf(a) - with_.indexOf(b)));
            }
        }
        // The generator gives both kinds: entries with a few overlaps and entries with more than 20.
        expect(large).toBeGreaterThan(5);
        expect(expected.size - large).toBeGreaterThan(5);
    });
});
