/**
 * Migrations are applied once and never change afterwards: their checksum covers their statements, so a
 * reworded comment is accepted and a changed statement refused; databases stamped with the checksum of a
 * migration's whole text are restamped once, without being refused.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { applyMigrations, readMigrations, statementsOf } from '../../warehouse/migrate.ts';
import { Warehouse } from '../../warehouse/warehouse.ts';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

const open: Warehouse[] = [];
const dirs: string[] = [];
afterEach(() => {
    for (const w of open.splice(0)) w.close();
    for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

async function memory(migrate: boolean): Promise<Warehouse> {
    const w = await Warehouse.open(':memory:', { migrate });
    open.push(w);
    return w;
}

function folder(files: Record<string, string>): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'realize-migrations-'));
    dirs.push(dir);
    for (const [name, sql] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), sql);
    return dir;
}

const recorded = (w: Warehouse) => w.all<{ version: number; checksum: string }>(`select version, checksum from meta.migrations order by version`);

describe('statementsOf', () => {
    it('drops comments and folds white space, keeping quoted strings and identifiers as written', () => {
        const sql = `-- a table\ncreate table t (  -- trailing\n    a varchar default 'x -- not a comment',\n    "b  c" varchar default 'it''s /* kept */'\n); /* block\ncomment */ select 1;\n`;
        expect(statementsOf(sql)).toBe(`create table t ( a varchar default 'x -- not a comment', "b  c" varchar default 'it''s /* kept */' ); select 1;`);
    });

    it('tells a changed statement from a changed comment', () => {
        const base = `-- one\ncreate table t (a integer);\n`;
        expect(statementsOf(`-- reworded\ncreate   table t (a integer); -- note\n`)).toBe(statementsOf(base));
        expect(statementsOf(`-- one\ncreate table t (a bigint);\n`)).not.toBe(statementsOf(base));
        expect(statementsOf(`create table t (a varchar default 'x  y');`)).not.toBe(statementsOf(`create table t (a varchar default 'x y');`));
    });
});

describe('applyMigrations', () => {
    it('accepts a reworded comment in an applied migration and refuses a changed statement', async () => {
        const w = await memory(false);
        const first = `-- people\ncreate table t (a integer);\n`;
        await applyMigrations(w, folder({ '001_t.sql': first }));
        expect(await applyMigrations(w, folder({ '001_t.sql': `-- the people, reworded\ncreate table t (a integer);\n` }))).toEqual([]);
        await expect(applyMigrations(w, folder({ '001_t.sql': `create table t (a bigint);\n` }))).rejects.toThrow(
            /migration 1_t changed after it was applied .*add a new migration instead/,
        );
    });

    it('restamps a database that recorded whole-text checksums, and still refuses a changed statement', async () => {
        const w = await memory(false);
        const sql = `-- people\ncreate table t (a integer);\n`;
        const dir = folder({ '001_t.sql': sql });
        await applyMigrations(w, dir);
        await w.run(`update meta.migrations set checksum = $1`, [sha256(sql)]);
        expect(await applyMigrations(w, dir)).toEqual([]);
        expect(await recorded(w)).toEqual([{ version: 1, checksum: sha256(statementsOf(sql)) }]);

        await w.run(`update meta.migrations set checksum = $1`, [sha256(sql)]);
        await expect(applyMigrations(w, folder({ '001_t.sql': `-- people\ncreate table t (a bigint);\n` }))).rejects.toThrow(/changed after it was applied/);
    });

    it('restamps the product’s own migrations as databases stamped before recorded them, the reworded one included', async () => {
        const w = await memory(true);
        const migrations = readMigrations();
        // What a database migrated before checksums covered statements holds: each file's text as it stood then.
        const before = new Map(migrations.map((m) => [m.version, sha256(m.sql)]));
        before.set(3, 'c9f8c9871130f7508ccf64d0c2b9494fcbc0fbca9ce778e5dc5cf4f3ce0adfb3');
        for (const [version, checksum] of before) await w.run(`update meta.migrations set checksum = $1 where version = $2`, [checksum, version]);
        expect(await applyMigrations(w)).toEqual([]);
        expect(await recorded(w)).toEqual(migrations.map((m) => ({ version: m.version, checksum: m.checksum })));
    });
});
