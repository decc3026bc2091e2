/**
 * Clients and projects lists (Harvest's projects export, Clockify's projects report) on hand-made files in
 * test/fixtures/import-edge/, each figure worked out by hand below. The tools' real samples are checked the same
 * way in test/real-data/importers.check.ts.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { importFiles } from '../../../ingest/import/run.ts';
import { canonicalWarehouse } from '../../helpers/canonical.ts';
import { IMPORT_EDGE, tempDir } from '../../helpers/fixtures.ts';

const fixture = (name: string) => path.join(IMPORT_EDGE, name);
const db = canonicalWarehouse();

const written: string[] = [];
afterEach(() => {
    for (const dir of written.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});
/** A file of `text` in a temporary folder of its own, removed after the test. */
function tempFile(name: string, text: string): string {
    const dir = tempDir('realize-lists-');
    written.push(dir);
    fs.writeFileSync(path.join(dir, name), text);
    return path.join(dir, name);
}

interface ProjectRow {
    name: string;
    client: string;
    code: string | null;
    billing_model: string;
    start_date: string;
    end_date: string | null;
    status: string;
    budget_hours: number | null;
    contract_value: string | null;
}
const projects = () =>
    db.warehouse.all<ProjectRow>(
        `select p.name, c.name as client, p.code, p.billing_model, p.start_date::varchar as start_date, p.end_date::varchar as end_date, p.status,
            p.budget_hours::double as budget_hours, p.contract_value::varchar as contract_value
        from canonical.projects p join canonical.clients c using (client_id) order by p.name`,
    );
const today = () => new Date().toISOString().slice(0, 10);

describe('a Harvest projects list with decimal commas, thousands dots and day-first dates', () => {
    it('creates each project once with its code, dates and budget; rejects what cannot be a project, by line', async () => {
        const report = await importFiles(db.warehouse, [fixture('harvest-projects-edge.csv')], { tool: 'harvest' });
        expect(report.files[0]).toMatchObject({ tool: 'harvest', kind: 'projects', rows: 7, rejected: 3 });
        // 15.01.2025 and 30.06.2025 can only be day-first; "1.250,5" and "12.500,00" have decimal commas.
        expect([report.date_order, report.decimal_mark]).toEqual(['dmy', ',']);
        // 7 rows: 3 projects created, line 7 repeats line 2 (a duplicate), lines 5, 6 and 8 rejected.
        expect([report.rows_read, report.created, report.updated, report.unchanged, report.duplicates, report.rejected]).toEqual([7, 3, 0, 0, 1, 3]);
        expect(report.rejects.map((r) => [r.line, r.reason.replace(/ \(hours: .*\)$/, ' (…)'), r.value])).toEqual([
            [5, 'Project is empty', 'Acme GmbH, 03.03.2025, Hours, 8,0'],
            [6, 'Budget By "Per sprint" is not a budget in hours or in fees (…)', 'Beta AG, Sprint Work, 01.04.2025, Per sprint, 80,0'],
            [8, 'End Date 2025-04-01 is before Start Date 2025-05-01', 'Beta AG, Backwards, 01.05.2025, 01.04.2025, Hours, 10,0'],
        ]);
        // Only Acme GmbH's rows are imported: Beta AG, named by rejected rows alone, is not created.
        expect(report.created_entities.map((e) => `${e.kind} ${e.name}`)).toEqual(['client Acme GmbH', 'project Internal Tools', 'project Support 2025', 'project Website Relaunch']);
        expect(await projects()).toEqual([
            // "No budget"; 5,0 hours tracked, 0,0 of them billable: non-billable.
            { name: 'Internal Tools', client: 'Acme GmbH', code: null, billing_model: 'non_billable', start_date: '2025-03-03', end_date: null, status: 'active', budget_hours: null, contract_value: null },
            // "Total project fees" of "12.500,00": a contract value of 12,500.00.
            { name: 'Support 2025', client: 'Acme GmbH', code: 'AC-02', billing_model: 'time_and_materials', start_date: '2025-02-01', end_date: null, status: 'active', budget_hours: null, contract_value: '12500.00' },
            // Budget By Hours, "1.250,5": 1,250.5 hours, 15 January to 30 June 2025.
            { name: 'Website Relaunch', client: 'Acme GmbH', code: 'AC-01', billing_model: 'time_and_materials', start_date: '2025-01-15', end_date: '2025-06-30', status: 'active', budget_hours: 1250.5, contract_value: null },
        ]);
        // Remembered as a time import remembers them: the client by name, each project as <client>/<project>.
        const remembered = await db.warehouse.all<{ kind: string; source_key: string }>(`select kind, source_key from import.mappings order by kind, source_key`);
        expect(remembered.map((m) => `${m.kind} ${m.source_key}`)).toEqual([
            'client acme gmbh',
            'project acme gmbh/internal tools',
            'project acme gmbh/support 2025',
            'project acme gmbh/website relaunch',
        ]);
    });

    it('a later list updates the fields it gives, audited before and after; the same list again changes nothing', async () => {
        await importFiles(db.warehouse, [fixture('harvest-projects-edge.csv')], { tool: 'auto' });
        const before = await db.warehouse.one<{ n: number }>(`select count(*)::integer as n from audit.events`);
        // Website Relaunch: end 30.06 → 31.07.2025, budget 1.250,5 → 1.400,0 h. Support 2025: as it was.
        const later = await importFiles(db.warehouse, [fixture('harvest-projects-later.csv')], { tool: 'auto' });
        expect([later.status, later.created, later.updated, later.unchanged]).toEqual(['imported', 0, 1, 1]);
        const relaunch = (await projects()).find((p) => p.name === 'Website Relaunch');
        expect(relaunch).toMatchObject({ end_date: '2025-07-31', budget_hours: 1400, start_date: '2025-01-15', code: 'AC-01' });
        const events = await db.warehouse.all<{ action: string; entity: string; actor: string; before: string; after: string }>(
            `select action, entity, actor, before::varchar as before, after::varchar as after from audit.events where entity = 'project'`,
        );
        expect(events).toHaveLength(1);
        expect(events[0]!.actor).toMatch(/^cli:/);
        expect(JSON.parse(events[0]!.before)).toEqual({ code: 'AC-01', start_date: '2025-01-15', end_date: '2025-06-30', status: 'active', budget_hours: 1250.5, contract_value: null });
        expect(JSON.parse(events[0]!.after)).toEqual({ code: 'AC-01', start_date: '2025-01-15', end_date: '2025-07-31', status: 'active', budget_hours: 1400, contract_value: null });
        // The load is audited as every import is: the import, its upload of projects.csv, the change above.
        const added = await db.warehouse.all<{ action: string; entity: string }>(`select action, entity from audit.events order by event_id offset $1`, [before!.n]);
        expect(added.map((e) => `${e.action} ${e.entity}`).sort()).toEqual(['import import', 'update project', 'upload projects']);
        const replaced = await db.warehouse.one<{ n: number }>(`select count(*)::integer as n from ingest.replacements where entity = 'projects'`);
        expect(replaced?.n).toBe(1);

        const again = await importFiles(db.warehouse, [fixture('harvest-projects-later.csv')], { tool: 'harvest' });
        expect([again.status, again.imported, again.unchanged, again.ingest]).toEqual(['unchanged', 0, 2, null]);
        const edgeAgain = await importFiles(db.warehouse, [fixture('harvest-projects-edge.csv')], { tool: 'harvest', dryRun: true });
        // The first list again would put the older end date and budget back on Website Relaunch: 1 update.
        expect([edgeAgain.status, edgeAgain.updated, edgeAgain.unchanged]).toEqual(['dry_run', 1, 2]);
        expect((await projects()).find((p) => p.name === 'Website Relaunch')?.budget_hours).toBe(1400);
    });
});

describe('a project the list gives no start date', () => {
    it('starts on the day of the import, or on its end date when that is earlier', async () => {
        const list = tempFile(
            'projects.csv',
            'Client,Project,Project Code,Start Date,End Date,Total Hours,Billable Hours,Budget By,Budget\n' +
                'Delta,Finished,,,2024-03-31,0.0,0.0,Hours,0.0\n' +
                'Delta,Open Ended,,,,0.0,0.0,No budget,\n',
        );
        const report = await importFiles(db.warehouse, [list], { tool: 'harvest' });
        expect([report.created, report.rejected]).toEqual([2, 0]);
        expect((await projects()).map((p) => [p.name, p.start_date, p.end_date, p.budget_hours])).toEqual([
            ['Finished', '2024-03-31', '2024-03-31', null],
            ['Open Ended', today(), null, null],
        ]);
    });
});

describe('a Clockify projects report', () => {
    it('reads its status and billability, thousands commas in its estimate, and its currency for the new client', async () => {
        const report = await importFiles(db.warehouse, [fixture('clockify-projects-edge.csv')], { tool: 'clockify' });
        expect(report.files[0]).toMatchObject({ tool: 'clockify', kind: 'projects' });
        expect([report.decimal_mark, report.created, report.rejected]).toEqual(['.', 2, 1]);
        expect(report.rejects).toEqual([{ file: fixture('clockify-projects-edge.csv'), line: 4, reason: 'Status "Paused" is not a status (active: Active; closed: Archived)', value: 'Gamma Ltd, Paused Thing, Paused' }]);
        // No dates in the report: new projects start on the day of the import.
        expect(await projects()).toEqual([
            { name: 'Mobile App', client: 'Gamma Ltd', code: null, billing_model: 'time_and_materials', start_date: today(), end_date: null, status: 'active', budget_hours: 1250.5, contract_value: null },
            { name: 'Old Site', client: 'Gamma Ltd', code: null, billing_model: 'non_billable', start_date: today(), end_date: null, status: 'closed', budget_hours: null, contract_value: null },
        ]);
        const client = await db.warehouse.one<{ currency: string }>(`select currency from canonical.clients where name = 'Gamma Ltd'`);
        expect(client?.currency).toBe('EUR');
    });

    it('with create off, rejects rows whose client or project it does not know, naming them', async () => {
        await db.warehouse.run(`insert into canonical.clients values ('c-gamma', 'gamma ltd', 'EUR', 0)`);
        const report = await importFiles(db.warehouse, [fixture('clockify-projects-edge.csv')], { tool: 'auto', create: false });
        // The client is found by name (any case); its two projects are not there.
        expect(report.rejects.map((r) => [r.line, r.reason])).toEqual([
            [2, 'unknown project "Mobile App" of "Gamma Ltd" (not created: map it, or allow creating)'],
            [3, 'unknown project "Old Site" of "Gamma Ltd" (not created: map it, or allow creating)'],
            [4, 'Status "Paused" is not a status (active: Active; closed: Archived)'],
        ]);
        expect([report.created, report.status]).toEqual([0, 'unchanged']);
        expect(await projects()).toEqual([]);
    });
});

describe('lists and time reports resolve clients and projects the same way', () => {
    it('a time entry without a client lands on the project a list made without one, and keeps its budget', async () => {
        const list = tempFile(
            'projects.csv',
            '"Project","Client","Status","Visibility","Billability","Task","Tracked (h)","Estimated (h)","Billable Rate (USD)","Amount (USD)","Project members","Project manager","Note"\n' +
                '"Bench Time","","Active","Public","No","","0.00","40.00","","0.00","","",""\n',
        );
        const time = tempFile(
            'time.csv',
            'User,Email,Client,Project,Task,Description,Billable,Start date,Start time,End date,End time,Duration,Tags\n' +
                'Ada Lovelace,ada@example.com,,Bench Time,,Reading,No,2024-05-06,09:00:00,2024-05-06,10:00:00,01:00:00,\n',
        );
        const first = await importFiles(db.warehouse, [list], { tool: 'auto' });
        expect(first.created).toBe(1);
        const second = await importFiles(db.warehouse, [time], { tool: 'toggl' });
        // The entry's project is the list's: no project is created.
        expect(second.created_entities.map((e) => e.kind)).toEqual(['person']);
        const rows = await db.warehouse.all<{ n: number; budget: number }>(
            `select count(distinct p.project_id)::integer as n, any_value(p.budget_hours)::double as budget from canonical.time_entries e join canonical.projects p using (project_id)`,
        );
        expect(rows).toEqual([{ n: 1, budget: 40 }]);
        // A time report and a list in one import are refused, saying to import the list first.
        await expect(importFiles(db.warehouse, [list, time], { tool: 'auto' })).rejects.toThrow(/import the clients and projects lists first, then the time reports/);
        // A list named as another tool's export is not that tool's time report.
        await expect(importFiles(db.warehouse, [list], { tool: 'toggl' })).rejects.toThrow(/not a toggl time export/);
    });
});
