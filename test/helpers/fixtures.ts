import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ENTITIES } from '../../ingest/entities.ts';
import type { Warehouse } from '../../warehouse/warehouse.ts';

export const TINY = path.resolve(import.meta.dirname, '../fixtures/tiny');
/** Hand-made exports of the time trackers and their lists, each figure worked out in the tests that read them. */
export const IMPORT_EDGE = path.resolve(import.meta.dirname, '../fixtures/import-edge');

/** A fixture folder's canonical files, file name → text (for servedFirm). */
export function fixtureFiles(dir: string): Record<string, string> {
    return Object.fromEntries(fs.readdirSync(dir).map((f) => [f, fs.readFileSync(path.join(dir, f), 'utf8')]));
}

/** The tiny firm's canonical files, file name → text (for servedFirm). */
export function tinyFiles(): Record<string, string> {
    return fixtureFiles(TINY);
}

/** A token for each caller of the tiny firm: Ada (P1) an engineer, Grace (P2) a project manager, a leader and an admin. */
export const TINY_TOKENS = [
    { token: 'ada-engineer-token-0001', person_id: 'P1', role: 'engineer' },
    { token: 'grace-manager-token-001', person_id: 'P2', role: 'project_manager' },
    { token: 'lead-leadership-token-1', person_id: null, role: 'leadership' },
    { token: 'root-admin-token-000001', person_id: null, role: 'admin' },
];

export function tempDir(prefix = 'realize-test-'): string {
    return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** A copy of the tiny firm with some files replaced (name → CSV text) or removed (name → null). */
export function tinyWith(changes: Record<string, string | null> = {}): string {
    const dir = tempDir();
    for (const f of fs.readdirSync(TINY)) fs.copyFileSync(path.join(TINY, f), path.join(dir, f));
    for (const [name, text] of Object.entries(changes)) {
        const file = path.join(dir, name);
        if (text === null) fs.rmSync(file);
        else fs.writeFileSync(file, text);
    }
    return dir;
}

/** Every row of every canonical and ingest table, in a stable order, to compare warehouse states. */
export async function snapshot(warehouse: Warehouse): Promise<Record<string, unknown[]>> {
    const out: Record<string, unknown[]> = {};
    for (const e of ENTITIES) out[e.name] = await warehouse.all(`select * from canonical.${e.name} order by all`);
    for (const t of ['batches', 'replacements', 'rejects']) out[`ingest.${t}`] = await warehouse.all(`select * from ingest.${t} order by all`);
    return out;
}
