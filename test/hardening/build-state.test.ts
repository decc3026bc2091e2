/**
 * Whether the marts are current with the canonical data (warehouse/models.ts modelsState), and the server's
 * start-up decision that reads it (bin/commands/serve.ts bringModelsUpToDate). A process stopped after its
 * load committed but before the rebuild (SIGKILL, a crash, `ingest --no-models`) used to leave the marts
 * behind for good: the build record held only the models' fingerprint, which a load does not change.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { bringModelsUpToDate } from '../../bin/commands/serve.ts';
import { ingestFiles } from '../../ingest/canonical.ts';
import { resolveInputs } from '../../ingest/files.ts';
import { buildModels, modelsCurrent, modelsState } from '../../warehouse/models.ts';
import { Warehouse } from '../../warehouse/warehouse.ts';
import { tempDir, TINY, tinyWith } from '../helpers/fixtures.ts';

let warehouse: Warehouse | undefined;
const dirs: string[] = [];
afterEach(() => {
    warehouse?.close();
    warehouse = undefined;
    for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

/** A one-model models/ that counts the canonical time entries: a mart whose figure a load changes. */
function countingModels(): string {
    const dir = tempDir('realize-build-state-');
    dirs.push(dir);
    fs.mkdirSync(path.join(dir, 'marts'));
    fs.writeFileSync(path.join(dir, 'marts/fct_entry_count.sql'), 'select count(*)::integer as entries from canonical.time_entries');
    fs.writeFileSync(path.join(dir, 'marts/fct_entry_count.yml'), 'grain: one row\n');
    return dir;
}

const load = async (w: Warehouse, dir: string) => ingestFiles(w, resolveInputs([dir]).files);
const martCount = async (w: Warehouse) => (await w.one<{ entries: number }>('select entries from marts.fct_entry_count'))!.entries;
const canonicalCount = async (w: Warehouse) => (await w.one<{ n: number }>('select count(*)::integer as n from canonical.time_entries'))!.n;

/** The tiny firm in a fresh in-memory warehouse (the file's `warehouse`, closed after the test), built with countingModels(). */
async function builtTiny(): Promise<{ w: Warehouse; models: string }> {
    const models = countingModels();
    const w = await Warehouse.open(':memory:');
    warehouse = w;
    await load(w, TINY);
    await buildModels(w, { dir: models });
    return { w, models };
}

const ONE_MORE_ENTRY =
    fs.readFileSync(path.join(TINY, 'time_entries.csv'), 'utf8').trimEnd() +
    '\nE4,P1,PRJ1,build,,development,2024-01-04,3600,true,,timer,2024-01-04T18:00:00+00:00,submitted,,,,\n';

describe('whether the marts are current', () => {
    it('is not, after a load that changed rows and no build; it is again after the build', async () => {
        const models = countingModels();
        warehouse = await Warehouse.open(':memory:');
        expect(await modelsState(warehouse, models)).toEqual({ current: false, reason: 'never built' });
        expect((await load(warehouse, TINY)).status).toBe('loaded');
        await buildModels(warehouse, { dir: models });
        expect(await modelsCurrent(warehouse, models)).toBe(true);

        // The load commits; the process "dies" before its rebuild.
        const more = tinyWith({ 'time_entries.csv': ONE_MORE_ENTRY });
        dirs.push(more);
        expect((await load(warehouse, more)).status).toBe('loaded');
        expect(await martCount(warehouse)).toBe(3);
        expect(await canonicalCount(warehouse)).toBe(4);
        const state = await modelsState(warehouse, models);
        expect(state.current).toBe(false);
        expect(state.reason).toMatch(/^data was loaded after the last build \(batch \d+; the build read up to batch \d+\)$/);

        await buildModels(warehouse, { dir: models });
        expect(await modelsState(warehouse, models)).toEqual({ current: true, reason: null });
        expect(await martCount(warehouse)).toBe(4);
    });

    it('stays current when a load changes nothing or is rejected (no needless rebuild on start)', async () => {
        const { w, models } = await builtTiny();
        expect((await load(w, TINY)).status).toBe('unchanged');
        expect(await modelsCurrent(w, models)).toBe(true);
        const bad = tinyWith({ 'time_entries.csv': ONE_MORE_ENTRY.replace('E4,P1,PRJ1', 'E4,NOBODY,PRJ1') });
        dirs.push(bad);
        expect((await load(w, bad)).status).toBe('rejected');
        expect(await modelsCurrent(w, models)).toBe(true);
    });

    it('is not, when time entries were changed through the audit trail after the build', async () => {
        const { w, models } = await builtTiny();
        await w.run(
            `insert into audit.time_entry_events (entry_id, person_id, action, attempted_at, actor_id, outcome) values ('E1', 'P1', 'edit', now(), 'P1', 'applied')`,
        );
        expect(await modelsState(w, models)).toEqual({ current: false, reason: 'time entries were changed after the last build' });
    });

    it('is not, for a build recorded before builds named the data they read (an upgrade rebuilds once)', async () => {
        const { w, models } = await builtTiny();
        const { fingerprint } = (await w.one<{ fingerprint: string }>('select fingerprint from meta.model_build'))!;
        await w.run(`create or replace table meta.model_build as select $1::varchar as fingerprint, now() as built_at`, [fingerprint]);
        expect(await modelsState(w, models)).toEqual({ current: false, reason: 'the last build did not record the data it read' });
    });

    it('is not, when the models changed (the fingerprint check is kept)', async () => {
        const { w, models } = await builtTiny();
        fs.writeFileSync(path.join(models, 'marts/fct_entry_count.yml'), 'grain: one row, the whole firm\n');
        expect(await modelsState(w, models)).toEqual({ current: false, reason: 'the models changed since the last build' });
    });
});

describe('the server on start', () => {
    it('rebuilds the marts of a database loaded after its last build, without being asked', async () => {
        // The real models/: what `realize serve` runs.
        const dir = tempDir('realize-build-state-db-');
        dirs.push(dir);
        const file = path.join(dir, 'x.duckdb');
        warehouse = await Warehouse.open(file);
        await load(warehouse, TINY);
        await buildModels(warehouse);
        const more = tinyWith({ 'time_entries.csv': ONE_MORE_ENTRY });
        dirs.push(more);
        await load(warehouse, more);
        const rows = async () => (await warehouse!.one<{ n: number }>('select sum(row_count)::integer as n from marts.fct_entries_daily'))!.n;
        expect(await rows()).toBe(3);

        const said: string[] = [];
        const log = { log: (m: string) => said.push(m), error: (m: string) => said.push(m) };
        expect(await bringModelsUpToDate(warehouse, log)).toBe(true);
        // The build recorded what it read: only what the load touched is refreshed.
        expect(said).toEqual([expect.stringMatching(/^refreshing the marts \(data was loaded after the last build/), expect.stringMatching(/^refreshed \d+ models in /)]);
        expect(await rows()).toBe(4);
        // Current now: the next start builds nothing.
        said.length = 0;
        expect(await bringModelsUpToDate(warehouse, log)).toBe(true);
        expect(said).toEqual([]);
    });
});
