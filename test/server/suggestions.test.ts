/**
 * Capture suggestions through the API, on the tiny firm: Ada (P1, engineer) uploads her calendar and a git
 * log, confirms, edits and dismisses; Grace (P2, project manager) may not see or decide Ada's; leadership
 * edits the firm's rules. Uploads are idempotent; confirming makes a draft entry, audited, that the marts
 * count once refreshed.
 *
 * Rules: attendee domain acme.com → client C1 (its only active project is PRJ1, time and materials);
 * repository acme-portal → PRJ1, phase build.
 * Calendar (all in March 2024, read in UTC):
 *   m-acme     Mon 4th 10:00–11:00 with bob@acme.com          → PRJ1, 3600 s, billable (T&M)
 *   m-intern   Tue 5th 09:00–09:20 with grace@tiny.example    → no project (internal), 1200 s, not billable
 *   m-holiday  all day Wed 6th                                → skipped: all-day event
 * Git: Ada's three commits on Mon 4th, 09:00, 09:40 and 13:00 (gap 200 min): sessions 40 + 30 min and 0 + 30
 * min = 100 min = 6000 s; Grace's commit is not read.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TINY_TOKENS, tinyFiles } from '../helpers/fixtures.ts';
import { servedFirm, type ServedFirm } from '../helpers/server.ts';

const FILES = tinyFiles();
const TOKENS = TINY_TOKENS;
const [ADA, GRACE, LEAD, ADMIN] = TOKENS.map((t) => t.token) as [string, string, string, string];

const ics = (events: string[]) => ['BEGIN:VCALENDAR', 'VERSION:2.0', ...events, 'END:VCALENDAR'].join('\r\n');
const CALENDAR = ics([
    'BEGIN:VEVENT\r\nUID:m-acme\r\nSUMMARY:Acme portal review\r\nDTSTART:20240304T100000Z\r\nDTEND:20240304T110000Z\r\nATTENDEE;PARTSTAT=ACCEPTED:mailto:ada@tiny.example\r\nATTENDEE:mailto:bob@acme.com\r\nEND:VEVENT',
    'BEGIN:VEVENT\r\nUID:m-intern\r\nSUMMARY:One to one\r\nDTSTART:20240305T090000Z\r\nDTEND:20240305T092000Z\r\nATTENDEE:mailto:ada@tiny.example\r\nATTENDEE:mailto:grace@tiny.example\r\nEND:VEVENT',
    'BEGIN:VEVENT\r\nUID:m-holiday\r\nSUMMARY:Day off\r\nDTSTART;VALUE=DATE:20240306\r\nEND:VEVENT',
]);
const LOG = [
    'aaaaaaa1|ada@tiny.example|2024-03-04T09:00:00+00:00|Portal: search',
    'aaaaaaa2|ada@tiny.example|2024-03-04T09:40:00+00:00|Portal: search tests',
    'aaaaaaa3|ada@tiny.example|2024-03-04T13:00:00+00:00|Portal: fix',
    'bbbbbbb1|grace@tiny.example|2024-03-04T10:00:00+00:00|Not Ada’s',
].join('\n');

let firm: ServedFirm;
const send = async (token: string | null, method: 'GET' | 'POST' | 'PUT', url: string, body?: unknown) => {
    const app = token ? firm.app : firm.local;
    const res = await app.inject({ method, url: `/api/${url}`, headers: token ? { authorization: `Bearer ${token}` } : {}, ...(body === undefined ? {} : { payload: body as object }) });
    return { status: res.statusCode, body: res.json() as any };
};
const upload = (token: string, body: object = {}) => send(token, 'POST', 'suggestions/calendar', { ics: CALENDAR, from: '2024-03-01', to: '2024-03-31', ...body });
const week = async (token: string) => (await send(token, 'GET', 'suggestions?week=2024-03-06')).body.suggestions as any[];

beforeAll(async () => {
    firm = await servedFirm('suggestions', FILES, TOKENS);
});
afterAll(async () => firm?.close());

describe('the firm’s rules', () => {
    it('are leadership’s and admins’ to edit, and must name clients and projects that exist', async () => {
        const rules = [
            { kind: 'domain', pattern: '@ACME.com', client_id: 'C1' },
            { kind: 'repository', pattern: 'acme-portal', project_id: 'PRJ1', phase: 'build' },
        ];
        expect((await send(ADA, 'PUT', 'suggestions/rules', { rules })).status).toBe(403);
        expect((await send(ADA, 'GET', 'suggestions/rules')).status).toBe(403);
        const bad = await send(LEAD, 'PUT', 'suggestions/rules', { rules: [{ kind: 'domain', pattern: 'x.com', client_id: 'NOPE' }] });
        expect([bad.status, bad.body.parameter, bad.body.detail]).toEqual([400, 'rules.0.client_id', 'rules.0.client_id: no client "NOPE"']);
        const noProject = await send(LEAD, 'PUT', 'suggestions/rules', { rules: [{ kind: 'repository', pattern: 'r', client_id: 'C1' }] });
        expect([noProject.status, noProject.body.parameter]).toEqual([400, 'rules.0.project_id']);
        const ok = await send(LEAD, 'PUT', 'suggestions/rules', { rules });
        expect(ok.status).toBe(200);
        expect(ok.body.rules.map((r: any) => [r.kind, r.pattern, r.client_id, r.project_id, r.client_name, r.project_name])).toEqual([
            ['domain', 'acme.com', 'C1', null, 'Acme, Inc.', null],
            ['repository', 'acme-portal', 'C1', 'PRJ1', 'Acme, Inc.', 'Acme portal'],
        ]);
        expect((await send(ADMIN, 'GET', 'suggestions/rules')).body.rules).toHaveLength(2);
    });
});

describe('a calendar', () => {
    it('becomes the person’s suggestions, and the same file again changes nothing', async () => {
        const first = await upload(ADA);
        expect(first.status).toBe(200);
        expect([first.body.read, first.body.created, first.body.unchanged]).toEqual([3, 2, 0]);
        expect(first.body.skipped.map((s: any) => [s.what, s.reason])).toEqual([['Day off', 'all-day event']]);
        const again = await upload(ADA);
        expect([again.body.created, again.body.updated, again.body.unchanged]).toEqual([0, 0, 2]);
        const rows = await week(ADA);
        expect(rows.map((r) => [r.work_date, r.source, r.project_id, r.seconds, r.billable, r.activity, r.status])).toEqual([
            ['2024-03-04', 'calendar', 'PRJ1', 3600, true, 'meeting', 'suggested'],
            ['2024-03-05', 'calendar', null, 1200, false, 'meeting', 'suggested'],
        ]);
        expect(rows[0].evidence).toBe('Meeting "Acme portal review" (10:00, 60 min) with 1 other; project Acme portal from attendee bob@acme.com');
    });

    it('is the person’s own: others neither see nor decide it', async () => {
        const [acme] = await week(ADA);
        expect((await week(GRACE))).toEqual([]);
        expect((await send(GRACE, 'GET', 'suggestions?person_id=P1')).status).toBe(403);
        expect((await send(GRACE, 'POST', `suggestions/${acme.suggestion_id}/confirm`, {})).status).toBe(404);
        expect((await send(LEAD, 'GET', 'suggestions')).status).toBe(403);
        // Local mode names the person; an admin may act for anyone.
        const local = await send(null, 'GET', 'suggestions');
        expect([local.status, local.body.parameter]).toEqual([400, 'person_id']);
        expect((await send(ADMIN, 'GET', 'suggestions?week=2024-03-04&person_id=P1')).body.suggestions).toHaveLength(2);
    });

    it('refuses what is not a calendar, naming the field', async () => {
        const res = await send(ADA, 'POST', 'suggestions/calendar', { ics: 'hello' });
        expect([res.status, res.body.parameter]).toEqual([400, 'ics']);
        const zone = await send(ADA, 'POST', 'suggestions/calendar', { ics: CALENDAR, time_zone: 'Mars/Base' });
        expect([zone.status, zone.body.parameter]).toEqual([400, 'time_zone']);
    });
});

describe('deciding', () => {
    it('confirms a suggestion as a draft entry the marts count, audited', async () => {
        const [acme] = await week(ADA);
        const res = await send(ADA, 'POST', `suggestions/${acme.suggestion_id}/confirm`);
        expect(res.status).toBe(200);
        expect(res.body.entry).toMatchObject({ person_id: 'P1', project_id: 'PRJ1', activity: 'meeting', work_date: '2024-03-04', duration_seconds: 3600, billable: true, status: 'draft', source: 'calendar' });
        expect(res.body.suggestion.status).toBe('confirmed');
        const entry = await firm.warehouse.one<any>(`select status, duration_seconds, notes from canonical.time_entries where entry_id = $1`, [res.body.entry.entry_id]);
        expect(entry).toEqual({ status: 'draft', duration_seconds: 3600, notes: 'Acme portal review' });
        // The answer came once the entry was committed; the writer's next read waits for the refresh that brings it
        // to the marts, and then the logging-latency mart (every entry, every status) has it.
        await week(ADA);
        const latency = await firm.warehouse.one<any>(`select hours::double as hours, project_id from marts.fct_logging_latency where entry_id = $1`, [res.body.entry.entry_id]);
        expect(latency).toEqual({ hours: 1, project_id: 'PRJ1' });
        const audit = await firm.warehouse.all<any>(`select action, entity, actor from audit.events where entity in ('suggestion', 'time_entry', 'suggestions') order by event_id`);
        expect(audit.map((a) => `${a.action} ${a.entity} ${a.actor}`)).toEqual([
            'upload suggestions engineer:P1',
            'upload suggestions engineer:P1',
            'create time_entry engineer:P1',
            'confirm suggestion engineer:P1',
        ]);
        const twice = await send(ADA, 'POST', `suggestions/${acme.suggestion_id}/confirm`);
        expect(twice.status).toBe(409);
    });

    it('asks for a project where none matched, takes edits, and dismisses', async () => {
        const [, intern] = await week(ADA);
        const none = await send(ADA, 'POST', `suggestions/${intern.suggestion_id}/confirm`, {});
        expect([none.status, none.body.parameter]).toEqual([400, 'project_id']);
        const badDuration = await send(ADA, 'POST', `suggestions/${intern.suggestion_id}/confirm`, { project_id: 'PRJ1', duration: '25h' });
        expect([badDuration.status, badDuration.body.parameter]).toEqual([400, 'duration']);
        const closed = await send(ADA, 'POST', `suggestions/${intern.suggestion_id}/confirm`, { project_id: 'PRJ2' });
        expect([closed.status, closed.body.parameter]).toEqual([400, 'project_id']);
        // Checked as the Timesheet checks an entry: one of the firm's activities.
        const activity = await send(ADA, 'POST', `suggestions/${intern.suggestion_id}/confirm`, { project_id: 'PRJ1', activity: 'juggling' });
        expect([activity.status, activity.body.parameter]).toEqual([400, 'activity']);
        expect(activity.body.detail).toContain('is not one of the firm');
        const dismissed = await send(ADA, 'POST', `suggestions/${intern.suggestion_id}/dismiss`);
        expect([dismissed.status, dismissed.body.suggestion.status]).toEqual([200, 'dismissed']);
        expect((await send(ADA, 'POST', `suggestions/${intern.suggestion_id}/confirm`, { project_id: 'PRJ1' })).status).toBe(409);
        // Uploading again brings back neither.
        const again = await upload(ADA);
        expect([again.body.created, again.body.decided]).toEqual([0, 2]);
        expect((await week(ADA)).map((r) => r.status)).toEqual(['confirmed', 'dismissed']);
    });
});

describe('a git log', () => {
    it('becomes a day of sessions per repository, from the person’s own commits, once', async () => {
        const res = await send(ADA, 'POST', 'suggestions/git', { repository: 'acme-portal', log: LOG });
        expect(res.status).toBe(200);
        expect([res.body.read, res.body.created, res.body.skipped[0].what]).toEqual([3, 1, '1 commit']);
        const git = (await week(ADA)).find((r) => r.source === 'git');
        expect([git.work_date, git.seconds, git.project_id, git.phase, git.activity, git.billable]).toEqual(['2024-03-04', 6000, 'PRJ1', 'build', 'development', true]);
        const again = await send(ADA, 'POST', 'suggestions/git', { repository: 'acme-portal', log: LOG });
        expect([again.body.created, again.body.unchanged]).toEqual([0, 1]);
        // A later log overlapping the first: one more commit at 13:45 extends the second session by 45 min.
        const more = await send(ADA, 'POST', 'suggestions/git', { repository: 'acme-portal', log: `${LOG}\naaaaaaa4|ada@tiny.example|2024-03-04T13:45:00+00:00|Portal: more` });
        expect([more.body.created, more.body.updated]).toEqual([0, 1]);
        expect((await week(ADA)).find((r) => r.source === 'git').seconds).toBe(6000 + 45 * 60);
    });

    it('needs the log or a repository path, and says why a path does not read', async () => {
        const neither = await send(ADA, 'POST', 'suggestions/git', { repository: 'x' });
        expect([neither.status, neither.body.parameter]).toEqual([400, 'log']);
        const missing = await send(ADA, 'POST', 'suggestions/git', { path: '/no/such/repository' });
        expect([missing.status, missing.body.parameter, missing.body.detail]).toEqual([400, 'path', 'no directory /no/such/repository on the server']);
        const relative = await send(ADA, 'POST', 'suggestions/git', { path: 'relative/repo' });
        expect([relative.status, relative.body.parameter]).toEqual([400, 'path']);
    });

    it('reads a repository on the server with git log', async () => {
        // This product's own checkout is a repository; its commits are nobody's in the tiny firm, so none are read.
        const root = path.resolve(import.meta.dirname, '../..');
        const res = await send(ADA, 'POST', 'suggestions/git', { path: root, since: '2000-01-01' });
        expect(res.status).toBe(200);
        expect(res.body.read).toBe(0);
        expect(res.body.problems).toEqual([]);
    });
});
