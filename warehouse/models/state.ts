/**
 * Whether the marts are current. A build records the fingerprint of the models it ran and the data it read
 * (meta.model_build, and the data generation of every table it read in meta.build_generations): a warehouse
 * built by an older version of models/, or written since its last build or refresh (a process stopped between
 * a load and its rebuild, `ingest --no-models`, a form's write before its refresh), is known to be behind.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Warehouse } from '../warehouse.ts';
import { MODELS_DIR } from './read.ts';

/** A hash of a models directory (its .sql and .yml files, names and contents). */
export function modelsFingerprint(dir = MODELS_DIR): string {
    const hash = crypto.createHash('sha256');
    const walk = (d: string) => {
        for (const name of fs.readdirSync(d).sort()) {
            const file = path.join(d, name);
            if (fs.statSync(file).isDirectory()) walk(file);
            else if (/\.(sql|yml)$/.test(name)) hash.update(path.relative(dir, file)).update(fs.readFileSync(file));
        }
    };
    walk(dir);
    return hash.digest('hex');
}

/**
 * What canonical data a build reads, by the changes that made it: the latest loaded batch (a load records
 * its batch in its own transaction, and only when a row changed) and the latest time-entry audit event.
 */
export interface DataState {
    loaded_batch_id: number | null;
    audit_event_id: number | null;
}

export async function dataState(warehouse: Warehouse): Promise<DataState> {
    const row = await warehouse.one<DataState>(
        `select (select max(batch_id) from ingest.batches where status = 'loaded')::bigint as loaded_batch_id,
                (select max(event_id) from audit.time_entry_events)::bigint as audit_event_id`,
    );
    return { loaded_batch_id: row?.loaded_batch_id ?? null, audit_event_id: row?.audit_event_id ?? null };
}

export interface ModelsState {
    /** The marts were built by these models from the canonical data as it is now. */
    current: boolean;
    /** Why not, in words (null when current). */
    reason: string | null;
}

/** Whether the warehouse's marts are current: built from these models and from the data loaded since. */
export async function modelsState(warehouse: Warehouse, dir = MODELS_DIR): Promise<ModelsState> {
    const recorded = await warehouse.one(`select 1 as found from information_schema.tables where table_schema = 'meta' and table_name = 'model_build'`);
    if (!recorded) return { current: false, reason: 'never built' };
    const row = await warehouse.one<Partial<DataState> & { fingerprint: string }>(`select * exclude (built_at) from meta.model_build`);
    if (row) delete (row as Record<string, unknown>).generations_recorded;
    if (row?.fingerprint !== modelsFingerprint(dir)) return { current: false, reason: 'the models changed since the last build' };
    // A build recorded before builds named the data they read cannot vouch for it.
    if (!row || !('loaded_batch_id' in row) || !('audit_event_id' in row)) return { current: false, reason: 'the last build did not record the data it read' };
    const now = await dataState(warehouse);
    if (now.loaded_batch_id !== row.loaded_batch_id) {
        return { current: false, reason: `data was loaded after the last build (batch ${now.loaded_batch_id}; the build read up to batch ${row.loaded_batch_id ?? 'none'})` };
    }
    if (now.audit_event_id !== row.audit_event_id) return { current: false, reason: 'time entries were changed after the last build' };
    const behind = await tablesBehind(warehouse);
    if (behind.length > 0) return { current: false, reason: `data was written after the last build (${behind.join(', ')})` };
    return { current: true, reason: null };
}

/**
 * The tables written since the marts last read them: their data generation (bumped by every committed write,
 * markWritten) is past the one the last build or refresh recorded. Empty on a warehouse without the record.
 */
export async function tablesBehind(warehouse: Warehouse): Promise<string[]> {
    if (!(await hasGenerations(warehouse))) return [];
    const rows = await warehouse.all<{ table_name: string }>(
        `select g.table_name
         from meta.data_generations g
         left join meta.build_generations b on b.table_name = g.table_name
         where g.generation <> coalesce(b.generation, 0)
         order by g.table_name`,
    );
    return rows.map((r) => r.table_name);
}

async function hasGenerations(warehouse: Warehouse): Promise<boolean> {
    const found = await warehouse.one(`select 1 as found from information_schema.tables where table_schema = 'meta' and table_name = 'build_generations'`);
    return found !== undefined;
}

/**
 * Records, inside a build's or refresh's transaction, that the marts now include every write committed
 * before it: the generations read, and the dirty records consumed. A write that commits while the build or
 * refresh runs (on the writers' connection, beside it) is not in its snapshot: neither its rows, nor its
 * records, nor its generation, which stay for the next refresh.
 */
export async function recordGenerationsRead(warehouse: Warehouse): Promise<void> {
    if (!(await hasGenerations(warehouse))) return;
    await warehouse.run(`delete from meta.build_generations`);
    await warehouse.run(`insert into meta.build_generations select table_name, generation from meta.data_generations`);
    await warehouse.run(`delete from meta.dirty`);
}

/** How current the marts are, for /api/health: when they were last built or refreshed, and when data was last written. */
export interface MartsAge {
    built_at: string | null;
    written_at: string | null;
}

export async function martsAge(warehouse: Warehouse): Promise<MartsAge> {
    const built = await warehouse.one(`select 1 as found from information_schema.tables where table_schema = 'meta' and table_name = 'model_build'`);
    const gens = await hasGenerations(warehouse);
    const row = await warehouse.one<MartsAge>(
        `select ${built ? '(select max(built_at) from meta.model_build)' : 'null::timestamptz'} as built_at,
                ${gens ? '(select max(written_at) from meta.data_generations)' : 'null::timestamptz'} as written_at`,
    );
    return { built_at: row?.built_at ?? null, written_at: row?.written_at ?? null };
}

/** Whether the warehouse's marts are current (false: never built, built from other models, or data loaded since). */
export async function modelsCurrent(warehouse: Warehouse, dir = MODELS_DIR): Promise<boolean> {
    return (await modelsState(warehouse, dir)).current;
}

/**
 * Whether the marts may be brought up to date incrementally: built by these models, by a build that recorded
 * the data generations it read (so that every write since has left its record in meta.dirty).
 */
export async function refreshableIncrementally(warehouse: Warehouse, dir = MODELS_DIR): Promise<boolean> {
    const recorded = await warehouse.one(
        `select 1 as found from information_schema.columns where table_schema = 'meta' and table_name = 'model_build' and column_name = 'generations_recorded'`,
    );
    if (!recorded || !(await hasGenerations(warehouse))) return false;
    const row = await warehouse.one<{ fingerprint: string }>(`select fingerprint from meta.model_build where generations_recorded`);
    return row?.fingerprint === modelsFingerprint(dir);
}
