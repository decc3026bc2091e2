/**
 * The Review page's logic: entries by person (those waiting for a decision first), a grouped flag shown
 * once (not on every entry), the plan against the hours with totals, the queue's list, and what a decision
 * is sent as — checked with the API's own schema (a rejection without a comment is refused beside it).
 */
import { describe, expect, it } from 'vitest';
import { decisionBody } from '../../server/schemas/review.ts';
import { barWidth, byPerson, decisionFor, groupsOf, ownFlags, planTable, queueSummary, submittedIds, type FlagGroup, type QueueProject, type ReviewEntry } from '../../web/lib/features/review/review.ts';
import { fieldErrors } from '../../web/lib/features/signin/fields.ts';
import { timeEntry } from '../helpers/time-entry.ts';

function entry(over: Partial<ReviewEntry>): ReviewEntry {
    const waiting = timeEntry({ person_id: 'P1', project_id: 'PR', status: 'submitted', logged_at: '2026-11-30T17:00:00Z' });
    return { ...waiting, person_name: 'Ana', flags: [], ...over };
}

const group: FlagGroup = { group_id: 'phase_over_estimate:PR:Build', rule: 'phase_over_estimate', label: 'Phase over estimate', phase: 'Build', detail: null, entry_count: 2, entry_ids: ['a', 'b'], resolution: null };
const overFlag = (id: string) => ({ flag_id: `phase_over_estimate:${id}`, rule: 'phase_over_estimate', label: 'Phase over estimate', detail: null, group_id: group.group_id, resolution: null });

const project: QueueProject = {
    project_id: 'PR',
    name: 'Alpha',
    client_name: 'Acme',
    not_submitted: [{ person_id: 'P3', name: 'Cy' }],
    plan: [
        { phase: 'Build', role: 'engineer', planned_hours: 100, logged_hours: 120, week_hours: 30 },
        { phase: 'Design', role: 'architect', planned_hours: 40, logged_hours: 10, week_hours: 2 },
        { phase: 'Build', role: 'architect', planned_hours: 0, logged_hours: 5, week_hours: 5 },
    ],
    people: [
        { person_id: 'P1', name: 'Ana', submitted_seconds: 7200, status_counts: { draft: 0, submitted: 1, approved: 1, rejected: 0 } },
        { person_id: 'P2', name: 'Bo', submitted_seconds: 3600, status_counts: { draft: 0, submitted: 1, approved: 0, rejected: 0 } },
        { person_id: 'P3', name: 'Cy', submitted_seconds: 0, status_counts: { draft: 0, submitted: 0, approved: 0, rejected: 0 } },
    ],
    entries: [
        entry({ entry_id: 'a', work_date: '2026-12-01', flags: [overFlag('a'), { flag_id: 'weekend:a', rule: 'weekend', label: 'Weekend', detail: 'Saturday', group_id: null, resolution: null }] }),
        entry({ entry_id: 'c', status: 'approved' }),
        entry({ entry_id: 'b', person_id: 'P2', person_name: 'Bo', flags: [overFlag('b')] }),
    ],
    flag_groups: [group],
};

describe('the review of a project’s week', () => {
    it('lists each person’s entries by day, people with time waiting first; nobody without entries', () => {
        const people = byPerson(project);
        expect(people.map((p) => p.name)).toEqual(['Ana', 'Bo']);
        expect(people[0]!.entries.map((e) => e.entry_id)).toEqual(['c', 'a']);
        expect(people[0]!.seconds).toBe(7200);
        expect(submittedIds(people[0]!)).toEqual(['a']);
        const onlyBoWaits = byPerson({ ...project, entries: project.entries.map((e) => (e.person_id === 'P1' ? { ...e, status: 'approved' as const } : e)) });
        expect(onlyBoWaits.map((p) => p.name)).toEqual(['Bo', 'Ana']);
    });

    it('shows a grouped flag once, in its group, and an entry’s own flags beside it', () => {
        const a = project.entries[0]!;
        expect(ownFlags(a).map((f) => f.rule)).toEqual(['weekend']);
        expect(groupsOf(a, project.flag_groups).map((g) => g.group_id)).toEqual([group.group_id]);
        expect(groupsOf(project.entries[1]!, project.flag_groups)).toEqual([]);
    });

    it('sets the plan against the hours by phase × role, with totals and what ran over', () => {
        const { rows, total } = planTable(project.plan);
        expect(rows.map((r) => `${r.phase}/${r.role}`)).toEqual(['Build/architect', 'Build/engineer', 'Design/architect']);
        expect(rows[1]).toMatchObject({ used: 1.2, over: true });
        expect(rows[0]).toMatchObject({ used: null, over: true }); // no plan, hours logged
        expect(rows[2]).toMatchObject({ used: 0.25, over: false });
        expect(total).toMatchObject({ planned_hours: 140, logged_hours: 135, week_hours: 37, over: false });
        expect(total.used).toBeCloseTo(135 / 140, 10);
        expect([barWidth(0.75), barWidth(1.5), barWidth(3), barWidth(null), barWidth(-1)]).toEqual([50, 100, 100, 0, 0]);
    });

    it('lists the queue with what waits, who has not submitted and the open flags (a group counts once)', () => {
        const quiet: QueueProject = { ...project, project_id: 'Q', name: 'Quiet', client_name: null, not_submitted: [], entries: [entry({ entry_id: 'z', project_id: 'Q', status: 'approved' })], flag_groups: [] };
        expect(queueSummary([quiet, project])).toEqual([
            { project_id: 'PR', name: 'Acme · Alpha', waiting: 2, not_submitted: 1, flags: 2 },
            { project_id: 'Q', name: 'Quiet', waiting: 0, not_submitted: 0, flags: 0 },
        ]);
    });
});

describe('a decision', () => {
    it('is sent for an entry or a person’s week, and a rejection needs a comment (the API’s own message)', () => {
        expect(decisionFor({ entry_id: 'a' }, 'approve', '  ')).toEqual({ decision: 'approve', entry_ids: ['a'] });
        const week = { person_id: 'P1', project_id: 'PR', week: '2026-11-30' };
        expect(decisionFor(week, 'reject', ' wrong phase ')).toEqual({ decision: 'reject', comment: 'wrong phase', person_week: week });
        expect(fieldErrors(decisionBody, decisionFor({ entry_id: 'a' }, 'approve', ''))).toEqual({});
        expect(fieldErrors(decisionBody, decisionFor({ entry_id: 'a' }, 'reject', '   '))).toEqual({ comment: 'say why: a rejection needs a comment' });
        expect(fieldErrors(decisionBody, decisionFor(week, 'reject', 'logged on the wrong phase'))).toEqual({});
    });
});
