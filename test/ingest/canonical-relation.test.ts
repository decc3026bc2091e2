/**
 * Canonical ingest of rows already staged in the warehouse (InputFile.relation, what an import hands it): the
 * same rules, report and batches as the same rows in a file, without writing the file unless a report needs
 * its lines.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ingestFiles } from '../../ingest/canonical.ts';
import type { EntityName } from '../../ingest/entities.ts';
import { resolveInputs, type InputFile } from '../../ingest/files.ts';
import { literal, Warehouse } from '../../warehouse/warehouse.ts';
import { tempDir, TINY } from '../helpers/fixtures.ts';

const ENTITIES: EntityName[] = ['people', 'clients', 'projects', 'time_entries'];

let warehouse: Warehouse;
let dir: string;
beforeEach(async () => {
    warehouse = await Warehouse.open(':memory:');
    dir = tempDir();
});
afterEach(() => {
    warehouse.close();
    fs.rmSync(dir, { recursive: true, force: true });
});

/** The tiny firm's file of an entity as a typed temp table (DuckDB's own types for its columns). */
async function staged(entity: EntityName, from = path.join(TINY, `${entity}.csv`)): Promise<InputFile> {
    const relation = `staged_${entity}`;
    // Temp tables are the connection's: created where transactions (the load's) run.
    await warehouse.transaction(() => warehouse.run(`create or replace temp table ${relation} as select * from read_csv(${literal(from)}, header = true)`));
    return { path: path.join(dir, `${entity}.csv`), entity, format: 'csv', relation };
}

const tables = async (w: Warehouse) => {
    const out: Record<string, unknown[]> = {};
    for (const e of ENTITIES) out[e] = await w.all(`select * from canonical.${e} order by all`);
    return out;
};

describe('staged rows', () => {
    it('load exactly as the same rows from their files, as batches, and again change nothing', async () => {
        const inputs = [];
        for (const e of ENTITIES) inputs.push(await staged(e));
        const report = await ingestFiles(warehouse, inputs, { actor: 'test' });
        expect(report.ok).toBe(true);
        expect(report.files.map((f) => [f.entity, f.status, f.rows, f.inserted])).toEqual([
            ['people', 'loaded', 2, 2],
            ['clients', 'loaded', 2, 2],
            ['projects', 'loaded', 4, 4],
            ['time_entries', 'loaded', 3, 3],
        ]);
        expect(report.files.every((f) => f.content_hash.startsWith('rows:') && f.batch_id !== null)).toBe(true);
        // Nothing was written to disk: the rows went in from where they were.
        for (const f of inputs) expect(fs.existsSync(f.path)).toBe(false);

        const fromFiles = await Warehouse.open(':memory:');
        try {
            const files = resolveInputs(ENTITIES.map((e) => path.join(TINY, `${e}.csv`))).files;
            expect((await ingestFiles(fromFiles, files)).ok).toBe(true);
            expect(await tables(warehouse)).toEqual(await tables(fromFiles));
        } finally {
            fromFiles.close();
        }

        const again = await ingestFiles(warehouse, inputs, { actor: 'test' });
        expect(again.status).toBe('unchanged');
        expect(again.files.every((f) => f.status === 'unchanged' && f.inserted === 0)).toBe(true);
    });

    it('that break a rule are written as the file they stand for and named by its line; nothing loads', async () => {
        const csv = path.join(dir, 'source.csv');
        const [head, ...rows] = fs.readFileSync(path.join(TINY, 'time_entries.csv'), 'utf8').trimEnd().split('\n');
        // The tiny firm's entries (one with a two-line note), then one of minus a minute and one without a day.
        const bad = ['E9,P1,PRJ1,build,,development,2024-01-04,-60,true,,timer,2024-01-04T18:00:00+01:00,submitted,,,,', 'E10,P1,PRJ1,build,,development,,60,true,,timer,2024-01-04T18:00:00+01:00,submitted,,,,'];
        fs.writeFileSync(csv, [head, ...rows, ...bad].join('\n') + '\n');
        const inputs = [await staged('people'), await staged('clients'), await staged('projects'), await staged('time_entries', csv)];
        const report = await ingestFiles(warehouse, inputs, { names: { [inputs[3]!.path]: 'import: time_entries' } });
        expect(report.ok).toBe(false);
        expect(report.rejects).toEqual([
            { file: 'import: time_entries', line: 6, column: 'duration_seconds', value: '-60', reason: 'must be ≥ 0' },
            { file: 'import: time_entries', line: 7, column: 'work_date', value: null, reason: 'missing value' },
        ]);
        expect(report.files.map((f) => f.status)).toEqual(['not_loaded', 'not_loaded', 'not_loaded', 'rejected']);
        expect(fs.readFileSync(inputs[3]!.path, 'utf8')).toContain('E9,');
        for (const e of ENTITIES) expect((await warehouse.one<{ n: number }>(`select count(*)::integer as n from canonical.${e}`))!.n, e).toBe(0);
    });
});
