import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ENTITIES } from '../../ingest/entities.ts';
import type { Warehouse } from '../../warehouse/warehouse.ts';

export const TINY = path.resolve(import.meta.dirname, '../fixtures/tiny');

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
