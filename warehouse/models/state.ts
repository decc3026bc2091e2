/**
 * Whether the marts are current. A build records the fingerprint of the models it ran and the data it read
 * (meta.model_build): a warehouse built by an older version of models/, or loaded since its last build (a
 * process stopped between a load and its rebuild, `ingest --no-models`), is known to need a rebuild.
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
    if (row?.fingerprint !== modelsFingerprint(dir)) return { current: false, reason: 'the models changed since the last build' };
    // A build recorded before builds named the data they read cannot vouch for it.
    if (!row || !('loaded_batch_id' in row) || !('audit_event_id' in row)) return { current: false, reason: 'the last build did not record the data it read' };
    const now = await dataState(warehouse);
    if (now.loaded_batch_id !== row.loaded_batch_id) {
        return { current: false, reason: `data was loaded after the last build (batch ${now.loaded_batch_id}; the build read up to batch ${row.loaded_batch_id ?? 'none'})` };
    }
    if (now.audit_event_id !== row.audit_event_id) return { current: false, reason: 'time entries were changed after the last build' };
    return { current: true, reason: null };
}

/** Whether the warehouse's marts are current (false: never built, built from other models, or data loaded since). */
export async function modelsCurrent(warehouse: Warehouse, dir = MODELS_DIR): Promise<boolean> {
    return (await modelsState(warehouse, dir)).current;
}
