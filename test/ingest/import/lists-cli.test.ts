/**
 * `realize import harvest|clockify|auto` on clients and projects lists: recognised as lists by the command line
 * (a dry run, the import, the same list again), and handed to the server that holds the database, which reads
 * them the same way. Figures from test/fixtures/import-edge/harvest-projects-edge.csv (worked out in
 * lists.test.ts): 7 rows, 3 projects created, 1 duplicate, 3 rejected.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildModels } from '../../../warehouse/models.ts';
import { Warehouse } from '../../../warehouse/warehouse.ts';
import { realize, realizeBeside, serveHere } from '../../helpers/cli.ts';
import { tempDir } from '../../helpers/fixtures.ts';

const EDGE = path.resolve(import.meta.dirname, '../../fixtures/import-edge/harvest-projects-edge.csv');
const LATER = path.resolve(import.meta.dirname, '../../fixtures/import-edge/harvest-projects-later.csv');

describe('realize import on a projects list', () => {
    it('dry run, import, again: the list is read as a projects list, the second import changes nothing', () => {
        const db = path.join(tempDir(), 'l.duckdb');
        const dry = realize('import', 'auto', EDGE, '--db', db, '--dry-run', '--json', '--no-models');
        expect(dry.code, dry.stderr).toBe(0);
        expect(JSON.parse(dry.stdout)).toMatchObject({ status: 'dry_run', files: [{ tool: 'harvest', kind: 'projects' }], created: 3, duplicates: 1, rejected: 3 });
        const first = realize('import', 'harvest', EDGE, '--db', db, '--no-models');
        expect(first.code, first.stderr).toBe(0);
        expect(first.stdout).toContain('harvest-projects-edge.csv: harvest projects list (csv, utf-8, ","-separated), 7 rows, 3 rejected');
        expect(first.stdout).toContain('imported 3 clients and projects (3 new, 0 updated), 0 unchanged, 1 duplicate, 3 rejected of 7 rows');
        expect(first.stderr).toContain('harvest-projects-edge.csv:5: Project is empty');
        const again = realize('import', 'harvest', EDGE, '--db', db, '--json', '--no-models');
        expect(JSON.parse(again.stdout)).toMatchObject({ status: 'unchanged', imported: 0, unchanged: 3 });
    });

    it('hands the list to the server that holds the database, which imports it and refreshes its marts', async () => {
        const db = path.join(tempDir(), 'served.duckdb');
        const warehouse = await Warehouse.open(db);
        await buildModels(warehouse);
        // The server answers in this process, so the command runs beside it rather than blocking it.
        const stop = await serveHere(warehouse, db);
        const run = realizeBeside;
        try {
            const dry = await run('import', 'harvest', EDGE, '--db', db, '--json', '--dry-run');
            expect(JSON.parse(dry.stdout)).toMatchObject({ status: 'dry_run', files: [{ file: 'harvest-projects-edge.csv', kind: 'projects' }], created: 3 });
            const first = await run('import', 'harvest', EDGE, '--db', db);
            expect(first.code, first.stderr).toBe(0);
            expect(first.stderr).toMatch(/holds .*served\.duckdb; sending the files to/);
            expect(first.stdout).toContain('imported 3 clients and projects (3 new, 0 updated), 0 unchanged, 1 duplicate, 3 rejected of 7 rows');
            const later = await run('import', 'auto', LATER, '--db', db, '--json');
            expect(JSON.parse(later.stdout)).toMatchObject({ status: 'imported', updated: 1, unchanged: 1 });
            // Website Relaunch's budget, as the later list gives it, in the projects the marts serve.
            const served = await warehouse.one<{ budget: number }>(`select budget_hours::double as budget from marts.dim_projects where project_name = 'Website Relaunch'`);
            expect(served?.budget).toBe(1400);
            const audit = await warehouse.one<{ actor: string }>(`select actor from audit.events where entity = 'project' and action = 'update'`);
            expect(audit?.actor).toBe('local');
        } finally {
            await stop();
            warehouse.close();
        }
    });
});
