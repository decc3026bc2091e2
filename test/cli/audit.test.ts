/**
 * The command line's writes are in the audit log too: `realize ingest` records an upload per file (a refused
 * load included) and `realize models build` a rebuild, each as the CLI's user.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ingestCommand } from '../../bin/commands/ingest.ts';
import { modelsCommand } from '../../bin/commands/models.ts';
import { Warehouse } from '../../warehouse/warehouse.ts';
import { tempDir, TINY, tinyWith } from '../helpers/fixtures.ts';

let dir: string;
let db: string;
beforeAll(() => {
    dir = tempDir('realize-cli-audit-');
    db = path.join(dir, 'firm.duckdb');
    // The commands print reports; the test reads the log.
    vi.spyOn(console, 'log').mockImplementation(() => undefined);
    vi.spyOn(console, 'error').mockImplementation(() => undefined);
});
afterAll(() => {
    vi.restoreAllMocks();
    fs.rmSync(dir, { recursive: true, force: true });
});

async function events(): Promise<{ actor: string; address: string; action: string; entity: string; entity_id: string | null; detail: string }[]> {
    const w = await Warehouse.open(db);
    try {
        return await w.all(`select actor, address, action, entity, entity_id, detail from audit.events order by event_id`);
    } finally {
        w.close();
    }
}

describe('the CLI’s writes', () => {
    it('realize ingest records each file loaded, and a refused load, as the CLI’s user', async () => {
        expect(await ingestCommand([TINY, '--db', db, '--no-models'])).toBe(0);
        const loaded = await events();
        const files = fs.readdirSync(TINY).filter((f) => f.endsWith('.csv'));
        // One upload per file of the tiny firm, each naming its batch.
        expect(loaded.filter((e) => e.action === 'upload')).toHaveLength(files.length);
        expect(loaded[0]).toMatchObject({ actor: `cli:${os.userInfo().username}`, address: 'cli', action: 'upload' });
        expect(loaded.every((e) => e.entity_id !== null)).toBe(true);
        // A person without a name: refused, nothing loaded, and recorded so.
        const bad = tinyWith({ 'people.csv': 'person_id,name,email,role,department,start_date,end_date\nP1,,ada@tiny.example,developer,Engineering,2024-01-01,\n' });
        expect(await ingestCommand([path.join(bad, 'people.csv'), '--db', db, '--no-models'])).toBe(1);
        const refused = (await events()).at(-1)!;
        expect(refused).toMatchObject({ action: 'upload', entity: 'people', entity_id: null });
        expect(refused.detail).toMatch(/^refused: 1 of 1 rows broke a rule/);
    });

    it('realize models build records the rebuild', async () => {
        expect(await modelsCommand(['build', '--db', db])).toBe(0);
        const last = (await events()).at(-1)!;
        expect(last).toMatchObject({ action: 'rebuild', entity: 'models', address: 'cli' });
        expect(last.detail).toMatch(/^\d+ models built in \d+ ms$/);
    });
});
