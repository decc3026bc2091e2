/**
 * The importers on hand-made exports (test/fixtures/import-edge/), each figure worked out by hand below.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { importFiles } from '../../../ingest/import/run.ts';
import { Warehouse } from '../../../warehouse/warehouse.ts';
import { canonicalWarehouse } from '../../helpers/canonical.ts';
import { IMPORT_EDGE } from '../../helpers/fixtures.ts';

const fixture = (name: string) => path.join(IMPORT_EDGE, name);
const db = canonicalWarehouse();

const entries = () =>
    db.warehouse.all<{ entry_id: string; person_id: string; work_date: string; duration_seconds: number; activity: string; notes: string | null; started_at: string | null; ended_at: string | null }>(
        `select entry_id, person_id, work_date, duration_seconds, activity, notes, started_at, ended_at from canonical.time_entries order by work_date, started_at`,
    );

describe('a Kimai export in Windows-1252, ";"-separated, day-first, with a totals row', () => {
    it('reads every row: two entries (2:45 across midnight, 1:30), the totals row reported', async () => {
        const report = await importFiles(db.warehouse, [fixture('kimai-windows-1252.csv')], { tool: 'auto' });
        expect(report.files[0]).toMatchObject({ tool: 'kimai', encoding: 'windows-1252', delimiter: ';', rows: 3 });
        // 24.03 and 13.03 can only be day-first.
        expect(report.date_order).toBe('dmy');
        // 2:45 = 9,900 s and 1:30 = 5,400 s: 15,300 s.
        expect(report.seconds_imported).toBe(15_300);
        expect(report.rejects).toEqual([{ file: fixture('kimai-windows-1252.csv'), line: 5, reason: 'totals row (not an entry)', value: 'Summe, 4:15' }]);
        const rows = await entries();
        expect(rows.map((r) => [r.work_date, r.duration_seconds, r.activity])).toEqual([
            ['2025-03-13', 5_400, 'meeting'],
            ['2025-03-24', 9_900, 'development'],
        ]);
        // The night shift stays on the day it starts and ends the next day; the multi-line description is whole.
        expect(rows[1]).toMatchObject({ started_at: '2025-03-24T22:30:00.000Z', ended_at: '2025-03-25T01:15:00.000Z', notes: 'Nachtschicht\r\nzweite Zeile' });
        const people = await db.warehouse.all<{ name: string }>(`select name from canonical.people`);
        expect(people).toEqual([{ name: 'Jürgen Müller' }]);
        const clients = await db.warehouse.all<{ name: string }>(`select name from canonical.clients`);
        expect(clients).toEqual([{ name: 'Bäckerei Süß' }]);
    });
});

describe('dates that could be day-first or month-first', () => {
    it('are asked for, naming the choice, and read as told', async () => {
        await expect(importFiles(db.warehouse, [fixture('clockify-ambiguous.csv')], { tool: 'clockify' })).rejects.toThrow(/--date-order dmy or --date-order mdy/);
        expect(await entries()).toEqual([]);
        const report = await importFiles(db.warehouse, [fixture('clockify-ambiguous.csv')], { tool: 'clockify', dateOrder: 'mdy' });
        expect(report.date_order).toBe('mdy');
        // 11:50 PM on 4 March to 12:20 AM on 5 March (month-first): 30 minutes, on the 4th.
        expect((await entries()).map((r) => [r.work_date, r.duration_seconds, r.started_at, r.ended_at])).toEqual([
            ['2024-03-04', 1_800, '2024-03-04T23:50:00.000Z', '2024-03-05T00:20:00.000Z'],
        ]);
    });
});

describe('durations in every form', () => {
    it('35m, 1h 30m, 1,5 (decimal comma), 0:45, 2:00:30; over 24 h and a wrong date are rejected by line', async () => {
        const report = await importFiles(db.warehouse, [fixture('generic-durations.csv')], { tool: 'generic' });
        expect(report.decimal_mark).toBe(',');
        // 2,100 + 5,400 + 5,400 + 2,700 + 7,230 = 22,830 s.
        expect(report.seconds_imported).toBe(22_830);
        expect(report.created).toBe(5);
        expect(report.rejects.map((r) => [r.line, r.reason])).toEqual([
            [7, 'more than 24 h in one entry (90000 s)'],
            [8, 'date "2024-05-32" is not a date'],
        ]);
        // The rejected rows' seconds: 25:00:00 = 90,000 and the wrongly dated 1h = 3,600: 93,600.
        expect(report.seconds_rejected).toBe(93_600);
    });
});

describe('idempotency', () => {
    it('the same export twice changes nothing; identical rows of one file stay two entries', async () => {
        const first = await importFiles(db.warehouse, [fixture('toggl-may-a.csv')], { tool: 'toggl' });
        expect([first.created, first.seconds_imported]).toEqual([2, 7_200]);
        const again = await importFiles(db.warehouse, [fixture('toggl-may-a.csv')], { tool: 'toggl' });
        expect([again.status, again.imported, again.unchanged]).toEqual(['unchanged', 0, 2]);
        expect(await entries()).toHaveLength(2);
    });

    it('overlapping exports give each entry once, imported together or one after the other', async () => {
        // a: Ada's 1 h twice; b: the same two and Grace's 15 min. Distinct: 3 entries, 2 h 15 min = 8,100 s.
        const together = await importFiles(db.warehouse, [fixture('toggl-may-a.csv'), fixture('toggl-may-b.csv')], { tool: 'toggl' });
        expect([together.created, together.duplicates, together.seconds_imported]).toEqual([3, 2, 8_100]);
        const other = await Warehouse.open(':memory:');
        try {
            await importFiles(other, [fixture('toggl-may-a.csv')], { tool: 'toggl' });
            const second = await importFiles(other, [fixture('toggl-may-b.csv')], { tool: 'toggl' });
            expect([second.created, second.unchanged]).toEqual([1, 2]);
            const n = await other.one<{ n: number }>(`select count(*)::integer as n from canonical.time_entries`);
            expect(n?.n).toBe(3);
        } finally {
            other.close();
        }
    });
});

describe('entity resolution', () => {
    it('finds people by e-mail, then name, remembers what it resolved, and with create off rejects the unknown', async () => {
        await db.warehouse.run(`insert into canonical.people values ('p-ada', 'A. Lovelace', 'ADA@example.com', 'engineer', null, null, null, 0)`);
        const refused = await importFiles(db.warehouse, [fixture('toggl-may-b.csv')], { tool: 'toggl', create: false });
        // Ada is found by e-mail; nothing else is known.
        expect(refused.created).toBe(0);
        // Ada's two rows: her client Acme is unknown; Grace's: she is.
        expect(refused.rejects.map((r) => [r.line, r.reason])).toEqual([
            [2, 'unknown client "Acme" (not created: map it, or allow creating)'],
            [3, 'unknown client "Acme" (not created: map it, or allow creating)'],
            [4, 'unknown person "Grace Hopper" (not created: map it to someone, or allow creating)'],
        ]);
        expect(refused.rejected).toBe(3);
        const done = await importFiles(db.warehouse, [fixture('toggl-may-b.csv')], { tool: 'toggl' });
        expect(done.created).toBe(3);
        const people = await db.warehouse.all<{ person_id: string }>(`select distinct person_id from canonical.time_entries order by 1`);
        expect(people.map((p) => p.person_id)).toContain('p-ada');
        const remembered = await db.warehouse.one<{ target_id: string }>(`select target_id from import.mappings where kind = 'person' and source_key = 'ada@example.com'`);
        expect(remembered?.target_id).toBe('p-ada');
    });
});

describe('internal work (no client in the export)', () => {
    // toggl-internal.csv: Ada 1:00 on Acme/Site (billable); with no client, Ada 2:30 on Tooling (billable) and
    // Grace 0:45 on Tooling, Grace 0:20 on no project. One client (Acme) and three projects: Site (Acme,
    // time_and_materials), Tooling and "(no project)", internal: no client, non_billable whatever their entries say.
    const projects = () =>
        db.warehouse.all<{ name: string; client_id: string | null; billing_model: string; seconds: number }>(
            `select p.name, p.client_id, p.billing_model, sum(e.duration_seconds)::integer as seconds
             from canonical.projects p join canonical.time_entries e using (project_id) group by all order by p.name`,
        );

    it('becomes projects without a client, resolved the same way on every import', async () => {
        const first = await importFiles(db.warehouse, [fixture('toggl-internal.csv')], { tool: 'toggl' });
        expect([first.created, first.rejected]).toEqual([4, 0]);
        expect(first.created_entities.filter((e) => e.kind !== 'person').map((e) => [e.kind, e.name, e.client])).toEqual([
            ['client', 'Acme', null],
            ['project', '(no project)', 'Internal'],
            ['project', 'Site', 'Acme'],
            ['project', 'Tooling', 'Internal'],
        ]);
        expect(await db.warehouse.all(`select name from canonical.clients`)).toEqual([{ name: 'Acme' }]);
        const acme = (await db.warehouse.one<{ client_id: string }>(`select client_id from canonical.clients`))!.client_id;
        expect(await projects()).toEqual([
            { name: '(no project)', client_id: null, billing_model: 'non_billable', seconds: 20 * 60 },
            { name: 'Site', client_id: acme, billing_model: 'time_and_materials', seconds: 3600 },
            { name: 'Tooling', client_id: null, billing_model: 'non_billable', seconds: 150 * 60 + 45 * 60 },
        ]);
        const again = await importFiles(db.warehouse, [fixture('toggl-internal.csv')], { tool: 'toggl' });
        expect([again.created, again.unchanged, again.rejected]).toEqual([0, 4, 0]);
        expect(await db.warehouse.one(`select count(*)::integer as n from canonical.projects`)).toEqual({ n: 3 });
        const remembered = await db.warehouse.one<{ target_id: string }>(`select target_id from import.mappings where kind = 'project' and source_key = '(no client)/tooling'`);
        expect(remembered?.target_id).toBe((await db.warehouse.one<{ project_id: string }>(`select project_id from canonical.projects where name = 'Tooling'`))!.project_id);
    });

    it('resolves an existing internal project by name, and a remembered mapping first', async () => {
        await db.warehouse.run(`insert into canonical.projects (project_id, client_id, name, billing_model, project_type, start_date, status, batch_id)
            values ('int-tools', null, 'tooling', 'non_billable', 'internal', '2024-01-01', 'active', 0),
                   ('int-old', null, 'Old inbox', 'non_billable', 'internal', '2024-01-01', 'active', 0)`);
        // An earlier import remembered work without client or project under this key.
        await db.warehouse.run(`insert into import.mappings values ('project', '(no client)/(no project)', 'int-old', now(), 'test')`);
        const report = await importFiles(db.warehouse, [fixture('toggl-internal.csv')], { tool: 'toggl' });
        expect(report.rejected).toBe(0);
        expect(
            await db.warehouse.all(`select project_id, sum(duration_seconds)::integer as seconds from canonical.time_entries where project_id like 'int-%' group by all order by 1`),
        ).toEqual([
            { project_id: 'int-old', seconds: 20 * 60 },
            { project_id: 'int-tools', seconds: 195 * 60 },
        ]);
    });

    it('with create off, an unknown internal project is rejected by name', async () => {
        const refused = await importFiles(db.warehouse, [fixture('toggl-internal.csv')], { tool: 'toggl', create: false });
        expect(refused.rejects.map((r) => [r.line, r.reason])).toEqual([
            [2, 'unknown person "Ada Lovelace" (not created: map it to someone, or allow creating)'],
            [3, 'unknown person "Ada Lovelace" (not created: map it to someone, or allow creating)'],
            [4, 'unknown person "Grace Hopper" (not created: map it to someone, or allow creating)'],
            [5, 'unknown person "Grace Hopper" (not created: map it to someone, or allow creating)'],
        ]);
        await db.warehouse.run(`insert into canonical.people values ('p-grace', 'Grace Hopper', 'grace@example.com', 'engineer', null, null, null, 0)`);
        const again = await importFiles(db.warehouse, [fixture('toggl-internal.csv')], { tool: 'toggl', create: false });
        expect(again.rejects.filter((r) => (r.line ?? 0) >= 4).map((r) => [r.line, r.reason])).toEqual([
            [4, 'unknown internal project "Tooling" (not created: map it, or allow creating)'],
            [5, 'unknown internal project "(no project)" (not created: map it, or allow creating)'],
        ]);
    });
});
