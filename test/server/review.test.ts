/**
 * The weekly review through the API on the capture firm (test/fixtures/capture-firm). T1's build phase has a
 * baseline of 3 h and already 2 h approved (H1, H2), so Ada's 2 h + 2 h of the week of 2026-11-16 push it
 * over: both entries are flagged phase_over_estimate, shown as one group for T1 × build.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServedFirm } from '../helpers/server.ts';
import { client, martsInclude, servedCaptureFirm } from '../helpers/capture.ts';

let firm: ServedFirm;
let api: ReturnType<typeof client>;
const WEEK = '2026-11-16';
let ids: string[] = [];

beforeAll(async () => {
    firm = await servedCaptureFirm('review');
    api = client(firm);
    for (const day of ['2026-11-16', '2026-11-17']) {
        const res = await api('ada', 'POST', 'time/entries', { project_id: 'T1', phase: 'build', activity: 'development', work_date: day, duration: '2' });
        expect(res.status).toBe(201);
        ids.push(res.body.entry_id);
    }
    expect((await api('ada', 'POST', 'time/week/submit', { week: WEEK })).status).toBe(200);
    // Grace reads the queue as herself: her reads answer from the marts as they are, so they include Ada's week first.
    await martsInclude(firm);
});
afterAll(() => firm?.close());

const actions = async (entryId: string) =>
    firm.warehouse.all<{ action: string; actor: string; reason: string | null }>(`select action, actor, reason from audit.events where entity_id = $1 order by event_id`, [entryId]);

describe('the review queue', () => {
    it('shows a manager their project’s week: people, plan, entries with flags grouped by cause', async () => {
        const res = await api('grace', 'GET', `review/queue?week=${WEEK}`);
        expect(res.status).toBe(200);
        expect(res.body.week_start).toBe(WEEK);
        expect(res.body.projects.map((p: { project_id: string }) => p.project_id)).toEqual(['T1']);
        const t1 = res.body.projects[0];
        expect(t1.people).toEqual([{ person_id: 'P1', name: 'Ada Lovelace', submitted_seconds: 14400, status_counts: { draft: 0, submitted: 2, approved: 0, rejected: 0 } }]);
        expect(t1.plan.find((l: { phase: string }) => l.phase === 'build')).toMatchObject({ role: 'developer', planned_hours: 3, logged_hours: 6, week_hours: 4 });
        const group = t1.flag_groups.find((g: { rule: string }) => g.rule === 'phase_over_estimate');
        expect(group).toMatchObject({ group_id: 'phase_over_estimate:T1:build', phase: 'build', entry_count: 2, resolution: null });
        expect(group.entry_ids.sort()).toEqual([...ids].sort());
        expect(t1.entries[0].flags.map((f: { rule: string }) => f.rule)).toContain('phase_over_estimate');
        // Barbara manages X1 only; an engineer reviews nothing.
        expect((await api('barbara', 'GET', `review/queue?week=${WEEK}`)).body.projects).toEqual([]);
        expect((await api('barbara', 'GET', `review/queue?week=${WEEK}&project_id=T1`)).status).toBe(403);
        expect((await api('ada', 'GET', `review/queue?week=${WEEK}`)).status).toBe(403);
    });

    it('resolves a flag group once with a reason, kept with who', async () => {
        const bad = await api('grace', 'POST', 'review/flags/resolve', { group_id: 'phase_over_estimate:T1:build', resolution: 'dismissed', reason: '' });
        expect(bad.status).toBe(400);
        expect(bad.body.parameter).toBe('reason');
        expect((await api('barbara', 'POST', 'review/flags/resolve', { group_id: 'phase_over_estimate:T1:build', resolution: 'dismissed', reason: 'not mine' })).status).toBe(403);
        const res = await api('grace', 'POST', 'review/flags/resolve', { group_id: 'phase_over_estimate:T1:build', resolution: 'dismissed', reason: 'estimate raised with the client' });
        expect(res.status).toBe(200);
        expect(res.body.resolved).toBeGreaterThanOrEqual(2);
        const queue = await api('grace', 'GET', `review/queue?week=${WEEK}`);
        const group = queue.body.projects[0].flag_groups.find((g: { rule: string }) => g.rule === 'phase_over_estimate');
        expect(group.resolution).toMatchObject({ resolution: 'dismissed', reason: 'estimate raised with the client', by: 'P2' });
        expect((await actions('phase_over_estimate:T1:build'))[0]).toMatchObject({ action: 'dismiss', actor: 'project_manager:P2' });
    });
});

describe('decisions', () => {
    it('rejects with a comment only, the person fixes and resubmits, the manager approves the person-week', async () => {
        const noComment = await api('grace', 'POST', 'review/decisions', { decision: 'reject', entry_ids: [ids[0]] });
        expect(noComment.status).toBe(400);
        expect(noComment.body.parameter).toBe('comment');
        expect((await api('barbara', 'POST', 'review/decisions', { decision: 'approve', entry_ids: [ids[0]] })).status).toBe(403);
        const rejected = await api('grace', 'POST', 'review/decisions', { decision: 'reject', entry_ids: [ids[0]], comment: 'this was design work' });
        expect(rejected.status, JSON.stringify(rejected.body)).toBe(200);
        expect(rejected.body.entries[0]).toMatchObject({ status: 'rejected', rejection: { comment: 'this was design work', by: 'P2' } });
        const week = await api('ada', 'GET', `time/week?week=${WEEK}`);
        expect(week.body.entries.find((e: { entry_id: string }) => e.entry_id === ids[0]).rejection.comment).toBe('this was design work');
        expect(week.body.submitted).toBe(false);
        const fixed = await api('ada', 'PATCH', `time/entries/${ids[0]}`, { phase: 'design' });
        expect(fixed.body.status).toBe('draft');
        expect((await api('ada', 'POST', 'time/week/submit', { week: WEEK })).body.submitted).toBe(true);
        const approved = await api('grace', 'POST', 'review/decisions', { decision: 'approve', person_week: { person_id: 'P1', project_id: 'T1', week: WEEK } });
        expect(approved.status).toBe(200);
        expect(approved.body.changed).toBe(2);
        expect(approved.body.entries.every((e: { status: string; approved_by: string }) => e.status === 'approved' && e.approved_by === 'P2')).toBe(true);
        expect((await api('grace', 'POST', 'review/decisions', { decision: 'approve', entry_ids: [ids[0]] })).status).toBe(409);
        // Approved time is frozen.
        expect((await api('ada', 'PATCH', `time/entries/${ids[0]}`, { notes: 'late' })).status).toBe(409);
        expect((await api('ada', 'POST', 'time/week/withdraw', { week: WEEK })).status).toBe(409);
        expect((await actions(ids[0]!)).map((a) => `${a.action} ${a.actor}`)).toEqual([
            'create engineer:P1',
            'submit engineer:P1',
            'reject project_manager:P2',
            'update engineer:P1',
            'submit engineer:P1',
            'approve project_manager:P2',
            'update engineer:P1',
        ]);
    });

    it('nobody decides on their own time', async () => {
        const own = await api('grace', 'POST', 'time/entries', { project_id: 'T1', phase: 'build', activity: 'pm', work_date: '2026-11-18', duration: '1' });
        expect(own.status).toBe(201);
        await api('grace', 'POST', 'time/week/submit', { week: WEEK });
        const res = await api('grace', 'POST', 'review/decisions', { decision: 'approve', entry_ids: [own.body.entry_id] });
        expect(res.status).toBe(403);
        expect((await api('edsger', 'POST', 'review/decisions', { decision: 'approve', entry_ids: [own.body.entry_id] })).status).toBe(200);
    });
});

describe('reopening', () => {
    it('is an admin’s, with a reason; reopened entries are drafts again; invoiced ones stay frozen', async () => {
        expect((await api('grace', 'POST', 'time/reopen', { entry_ids: [ids[0]], reason: 'wrong phase' })).status).toBe(403);
        const noReason = await api('alan', 'POST', 'time/reopen', { entry_ids: [ids[0]], reason: '' });
        expect(noReason.status).toBe(400);
        expect(noReason.body.parameter).toBe('reason');
        const invoiced = await api('alan', 'POST', 'time/reopen', { entry_ids: ['H2'], reason: 'correction' });
        expect(invoiced.status).toBe(409);
        expect(invoiced.body.detail).toMatch(/I1/);
        const res = await api('alan', 'POST', 'time/reopen', { entry_ids: [ids[0]], reason: 'the client moved it to design' });
        expect(res.status).toBe(200);
        expect(res.body.entries[0]).toMatchObject({ status: 'draft', approved_by: null });
        expect((await actions(ids[0]!)).at(-1)).toMatchObject({ action: 'reopen', actor: 'admin:A1', reason: 'the client moved it to design' });
        expect((await api('ada', 'PATCH', `time/entries/${ids[0]}`, { notes: 'moved' })).status).toBe(200);
    });
});
