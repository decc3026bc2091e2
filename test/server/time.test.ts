/**
 * The timesheet through the API on the hand-made capture firm (test/fixtures/capture-firm): Ada (P1, developer)
 * logs on Acme portal (T1, managed by Grace P2); Linus (P3) on Acme data (X1, managed by Barbara P4). H1 and H2
 * are Ada's approved entries of the week of 2026-11-02, H2 invoiced on I1; H3 is on the closed Z1.
 */
import { describe, expect, it } from 'vitest';
import { useCaptureFirm } from '../helpers/capture.ts';

const served = useCaptureFirm('time');

const WEEK = '2026-11-16';
const entry = (over: Record<string, unknown> = {}) => ({ project_id: 'T1', phase: 'build', activity: 'development', work_date: '2026-11-16', duration: '1.5', ...over });

async function audit(entityId: string) {
    const rows = await served.firm.warehouse.all<{ action: string; actor: string; before: string | null; after: string | null; reason: string | null; detail: string | null }>(
        `select action, actor, before::varchar as before, after::varchar as after, reason, detail from audit.events where entity_id = $1 order by event_id`,
        [entityId],
    );
    return rows;
}

describe('options', () => {
    it('offers the active projects a person is staffed on or has logged on, with billable defaults', async () => {
        const res = await served.api('ada', 'GET', 'time/options');
        expect(res.status).toBe(200);
        const ids = res.body.projects.map((p: { project_id: string }) => p.project_id);
        // T1 and X1 plan developers; N1 has no plan and Ada never logged on it; Z1 is closed.
        expect(ids.sort()).toEqual(['T1', 'X1']);
        const t1 = res.body.projects.find((p: { project_id: string }) => p.project_id === 'T1');
        expect(t1.phases).toEqual(['build', 'design']);
        expect(t1.billable_default).toBe(true);
        expect(t1.activities.find((a: { activity: string }) => a.activity === 'admin').billable_default).toBe(false);
        expect(t1.activities.find((a: { activity: string }) => a.activity === 'meeting').billable_default).toBe(true);
        // Grace manages N1 (non-billable): offered, billable by default false.
        const grace = await served.api('grace', 'GET', 'time/options');
        const n1 = grace.body.projects.find((p: { project_id: string }) => p.project_id === 'N1');
        expect(n1.billable_default).toBe(false);
    });

    it('refuses a caller with no person, and someone else’s options, naming person_id', async () => {
        const none = await served.api('finance', 'GET', 'time/options');
        expect(none.status).toBe(403);
        expect(none.body.parameter).toBe('person_id');
        expect((await served.api('ada', 'GET', 'time/options?person_id=P3')).status).toBe(403);
        expect((await served.api('alan', 'GET', 'time/options?person_id=P3')).status).toBe(200);
        const local = await served.api('local', 'GET', 'time/options');
        expect(local.status).toBe(400);
        expect(local.body.parameter).toBe('person_id');
        expect((await served.api('local', 'GET', 'time/options?person_id=P1')).status).toBe(200);
        expect((await served.api('local', 'GET', 'time/options?person_id=NOPE')).status).toBe(400);
    });
});

describe('entries', () => {
    it('creates a draft from a typed duration, attributed and audited, and shows it in the week', async () => {
        const res = await served.api('ada', 'POST', 'time/entries', entry({ duration: '1:30', notes: 'login page' }));
        expect(res.status).toBe(201);
        expect(res.body).toMatchObject({ person_id: 'P1', project_id: 'T1', duration_seconds: 5400, billable: true, status: 'draft', source: 'form', project_name: 'Acme portal' });
        const week = await served.api('ada', 'GET', `time/week?week=2026-11-19`);
        expect(week.status).toBe(200);
        expect(week.body.week_start).toBe(WEEK);
        expect(week.body.days).toHaveLength(7);
        expect(week.body.entries.map((e: { entry_id: string }) => e.entry_id)).toContain(res.body.entry_id);
        expect(week.body.totals.by_day[0]).toBe(5400);
        const events = await audit(res.body.entry_id);
        expect(events).toHaveLength(1);
        expect(events[0]).toMatchObject({ action: 'create', actor: 'engineer:P1' });
        expect(JSON.parse(events[0]!.after!)).toMatchObject({ duration_seconds: 5400, status: 'draft' });
        // The batch names who wrote it, as a file's does.
        const batch = await served.firm.warehouse.one<{ created_by: string }>(
            `select b.created_by from ingest.batches b join canonical.time_entries e on e.batch_id = b.batch_id where e.entry_id = $1`,
            [res.body.entry_id],
        );
        expect(batch?.created_by).toBe('engineer:P1');
    });

    it('answers bad input with 400 naming the field and writes nothing', async () => {
        const count = async () => (await served.firm.warehouse.one<{ n: number }>(`select count(*)::integer as n from canonical.time_entries`))!.n;
        const before = await count();
        const cases: [Record<string, unknown>, string][] = [
            [entry({ duration: '-1' }), 'duration'],
            [entry({ duration: '25' }), 'duration'],
            [entry({ duration: 'soon' }), 'duration'],
            [entry({ duration: undefined }), 'duration'],
            [entry({ work_date: '2026-02-30' }), 'work_date'],
            [entry({ project_id: 'Z1' }), 'project_id'],
            [entry({ project_id: 'NOPE' }), 'project_id'],
            [entry({ activity: 'golf' }), 'activity'],
            [entry({ status: 'approved' }), 'status'],
        ];
        for (const [body, field] of cases) {
            const res = await served.api('ada', 'POST', 'time/entries', body);
            expect(res.status, JSON.stringify(body)).toBe(400);
            expect(res.body.parameter, JSON.stringify(res.body)).toBe(field);
        }
        expect(await count()).toBe(before);
    });

    it('changes and deletes drafts; refuses submitted (withdraw first), approved and invoiced entries with 409', async () => {
        const made = (await served.api('ada', 'POST', 'time/entries', entry({ work_date: '2026-11-17', duration: '2h' }))).body;
        const changed = await served.api('ada', 'PATCH', `time/entries/${made.entry_id}`, { duration: '3', notes: 'more' });
        expect(changed.status).toBe(200);
        expect(changed.body).toMatchObject({ duration_seconds: 10800, notes: 'more', status: 'draft' });
        expect((await served.api('linus', 'PATCH', `time/entries/${made.entry_id}`, { duration: '1' })).status).toBe(404);
        const frozen = await served.api('ada', 'PATCH', 'time/entries/H1', { duration: '2' });
        expect(frozen.status).toBe(409);
        expect(frozen.body.detail).toMatch(/approved/);
        const invoiced = await served.api('ada', 'DELETE', 'time/entries/H2');
        expect(invoiced.status).toBe(409);
        expect(invoiced.body.detail).toMatch(/I1/);
        // The refused attempts are kept: the review flag edit_after_approval reads them.
        const attempts = await served.firm.warehouse.all<{ entry_id: string; outcome: string }>(`select entry_id, outcome from audit.time_entry_events order by event_id`);
        expect(attempts).toEqual([
            { entry_id: 'H1', outcome: 'refused' },
            { entry_id: 'H2', outcome: 'refused' },
        ]);
        expect((await audit('H1')).at(-1)?.detail).toMatch(/^refused/);
        const del = await served.api('ada', 'DELETE', `time/entries/${made.entry_id}`);
        expect(del.status).toBe(204);
        expect((await served.api('ada', 'DELETE', `time/entries/${made.entry_id}`)).status).toBe(404);
        expect((await audit(made.entry_id)).map((e) => e.action)).toEqual(['create', 'update', 'delete']);
    });
});

describe('the week grid', () => {
    const W = '2026-11-23';
    it('sets cell totals, changing and clearing only its own draft entries', async () => {
        const form = (await served.api('ada', 'POST', 'time/entries', entry({ work_date: '2026-11-24', duration: '1' }))).body;
        const put = await served.api('ada', 'PUT', 'time/week', {
            week: W,
            rows: [
                { project_id: 'T1', phase: 'build', activity: 'development', days: ['2', '3:30', null, '', null, null, null] },
                { project_id: 'T1', phase: 'design', activity: 'meeting', billable: false, days: [null, null, '0.5', null, null, null, null] },
            ],
        });
        expect(put.status, JSON.stringify(put.body)).toBe(200);
        // Tuesday's cell: 3.5 h in total, the form's hour kept and a grid entry of 2.5 h beside it.
        expect(put.body.totals.by_day).toEqual([7200, 12600, 1800, 0, 0, 0, 0]);
        const tuesday = put.body.entries.filter((e: { work_date: string }) => e.work_date === '2026-11-24');
        expect(tuesday.map((e: { source: string; duration_seconds: number }) => [e.source, e.duration_seconds]).sort()).toEqual([
            ['form', 3600],
            ['grid', 9000],
        ]);
        expect(tuesday.some((e: { entry_id: string }) => e.entry_id === form.entry_id)).toBe(true);
        expect(put.body.entries.find((e: { activity: string }) => e.activity === 'meeting').billable).toBe(false);
        // Change one cell, clear another: the grid entries follow; the form's entry stays.
        const again = await served.api('ada', 'PUT', 'time/week', { week: W, rows: [{ project_id: 'T1', phase: 'build', activity: 'development', days: ['', '1', null, null, null, null, null] }] });
        expect(again.status).toBe(200);
        expect(again.body.totals.by_day).toEqual([0, 3600, 1800, 0, 0, 0, 0]);
        expect(again.body.entries.filter((e: { source: string }) => e.source === 'grid').map((e: { work_date: string }) => e.work_date)).toEqual(['2026-11-25']);
        // Below what the form logged: refused for that cell.
        const less = await served.api('ada', 'PUT', 'time/week', { week: W, rows: [{ project_id: 'T1', phase: 'build', activity: 'development', days: [null, '0:30', null, null, null, null, null] }] });
        expect(less.status).toBe(400);
        expect(less.body.errors[0]).toMatchObject({ row: 0, day: 1 });
    });

    it('answers every unreadable cell at once and writes nothing', async () => {
        const before = await served.api('ada', 'GET', `time/week?week=${W}`);
        const bad = await served.api('ada', 'PUT', 'time/week', {
            week: W,
            rows: [
                { project_id: 'T1', phase: 'build', activity: 'development', days: ['8', 'x', null, '-1', null, null, null] },
                { project_id: 'Z1', phase: 'build', activity: 'development', days: ['1', null, null, null, null, null, null] },
                { project_id: 'T1', phase: 'design', activity: 'development', days: ['13', '30', null, null, null, null, null] },
            ],
        });
        expect(bad.status).toBe(400);
        expect(bad.body.errors.map((e: { row: number; day: number | null }) => [e.row, e.day])).toEqual([
            [0, 1],
            [0, 3],
            [1, null],
            [2, 1],
        ]);
        expect(bad.body.parameter).toBe('rows.0.days.1');
        const after = await served.api('ada', 'GET', `time/week?week=${W}`);
        expect(after.body.entries).toEqual(before.body.entries);
        // A day over 24 h across rows is refused too.
        const long = await served.api('ada', 'PUT', 'time/week', {
            week: W,
            rows: [
                { project_id: 'T1', phase: 'build', activity: 'development', days: ['13', null, null, null, null, null, null] },
                { project_id: 'T1', phase: 'design', activity: 'development', days: ['12', null, null, null, null, null, null] },
            ],
        });
        expect(long.status).toBe(400);
        expect(long.body.errors.find((e: { message: string }) => /a day has 24/.test(e.message))).toMatchObject({ day: 0, field: 'days.0' });
    });

    it('copies last week’s rows, and with hours their time into empty cells', async () => {
        const rows = await served.api('ada', 'POST', 'time/week/copy', { week: '2026-11-30' });
        expect(rows.status).toBe(200);
        expect(rows.body.rows.map((r: { phase: string; activity: string }) => `${r.phase}/${r.activity}`).sort()).toEqual(['build/development', 'design/meeting']);
        expect(rows.body.entries).toEqual([]);
        const hours = await served.api('ada', 'POST', 'time/week/copy', { week: '2026-11-30', hours: true });
        // Last week: Tuesday's hour from the form, Wednesday's half hour of meeting from the grid.
        expect(hours.body.totals.by_day).toEqual([0, 3600, 1800, 0, 0, 0, 0]);
        expect(hours.body.entries.every((e: { status: string; source: string }) => e.status === 'draft' && e.source === 'grid')).toBe(true);
    });
});

describe('submitting', () => {
    const W = '2026-11-09';
    it('submits, freezes for changes until withdrawn, and withdraws', async () => {
        const e = (await served.api('ada', 'POST', 'time/entries', entry({ work_date: '2026-11-10', duration: '4' }))).body;
        const sub = await served.api('ada', 'POST', 'time/week/submit', { week: W });
        expect(sub.status).toBe(200);
        expect(sub.body.submitted).toBe(true);
        expect(sub.body.status_counts).toMatchObject({ submitted: 1 });
        const refused = await served.api('ada', 'PATCH', `time/entries/${e.entry_id}`, { duration: '5' });
        expect(refused.status).toBe(409);
        expect(refused.body.detail).toMatch(/withdraw the week first/);
        expect((await served.api('ada', 'POST', 'time/week/submit', { week: W })).status).toBe(409);
        const back = await served.api('ada', 'POST', 'time/week/withdraw', { week: W });
        expect(back.status).toBe(200);
        expect(back.body.status_counts).toMatchObject({ draft: 1, submitted: 0 });
        expect((await served.api('ada', 'PATCH', `time/entries/${e.entry_id}`, { duration: '5' })).status).toBe(200);
        expect((await audit(e.entry_id)).map((x) => x.action)).toEqual(['create', 'submit', 'withdraw', 'update']);
    });
});

describe('the timer', () => {
    it('runs one per person, stops into an entry, and is discarded', async () => {
        expect((await served.api('linus', 'GET', 'time/timer')).body).toEqual({ running: null });
        const start = await served.api('linus', 'POST', 'time/timer/start', { project_id: 'X1', phase: 'build', activity: 'development', notes: 'pipeline' });
        expect(start.status).toBe(200);
        expect(start.body.running).toMatchObject({ project_id: 'X1', billable: true });
        const second = await served.api('linus', 'POST', 'time/timer/start', { project_id: 'X1', phase: 'build', activity: 'meeting' });
        expect(second.body.stopped).toHaveLength(1);
        expect(second.body.stopped[0]).toMatchObject({ source: 'timer', activity: 'development', notes: 'pipeline' });
        expect((await served.firm.warehouse.one<{ n: number }>(`select count(*)::integer as n from capture.timers where person_id = 'P3'`))!.n).toBe(1);
        const stop = await served.api('linus', 'POST', 'time/timer/stop', {});
        expect(stop.status).toBe(200);
        expect(stop.body.entry).toMatchObject({ activity: 'meeting', source: 'timer', status: 'draft' });
        expect((await served.api('linus', 'POST', 'time/timer/stop', {})).status).toBe(409);
        await served.api('linus', 'POST', 'time/timer/start', { project_id: 'X1', phase: null, activity: 'qa' });
        expect((await served.api('linus', 'DELETE', 'time/timer')).status).toBe(204);
        expect((await served.api('linus', 'GET', 'time/timer')).body).toEqual({ running: null });
        expect((await served.api('linus', 'POST', 'time/timer/start', { project_id: 'T9', phase: null, activity: 'qa' })).body.parameter).toBe('project_id');
    });
});
