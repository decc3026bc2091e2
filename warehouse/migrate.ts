/**
 * Numbered SQL migrations (warehouse/migrations/NNN_name.sql), each applied once, in order, and recorded
 * in meta.migrations with its checksum. The checksum covers a migration's statements, not its comments or
 * layout: a comment may be reworded, but a changed statement in a migration already applied is an error
 * (write a new migration instead).
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const MIGRATIONS_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations');

export interface Migration {
    version: number;
    name: string;
    /** The file as written, comments included. */
    sql: string;
    checksum: string;
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/**
 * A migration's statements as its checksum reads them: comments (`-- …` to the end of the line, `/* … *\/`)
 * dropped and white space between tokens folded to one space; quoted strings and identifiers kept verbatim.
 */
export function statementsOf(sql: string): string {
    let out = '';
    let space = false;
    for (let i = 0; i < sql.length; ) {
        const c = sql[i]!;
        if (c === "'" || c === '"') {
            let end = i + 1;
            // a doubled quote inside is the quote itself
            while (end < sql.length && !(sql[end] === c && sql[end + 1] !== c)) end += sql[end] === c ? 2 : 1;
            out += (space && out ? ' ' : '') + sql.slice(i, end + 1);
            space = false;
            i = end + 1;
        } else if (c === '-' && sql[i + 1] === '-') {
            const end = sql.indexOf('\n', i);
            i = end === -1 ? sql.length : end;
        } else if (c === '/' && sql[i + 1] === '*') {
            const end = sql.indexOf('*/', i + 2);
            i = end === -1 ? sql.length : end + 2;
            space = true;
        } else if (/\s/.test(c)) {
            space = true;
            i++;
        } else {
            out += (space && out ? ' ' : '') + c;
            space = false;
            i++;
        }
    }
    return out;
}

/**
 * Checksums databases recorded before checksums covered statements only: the whole text of each migration as
 * it stood then. A migration whose text is unchanged since is recognised by its text's hash; one whose
 * comments were reworded since is listed here with its earlier text's hash (its statements were checked equal
 * when it was reworded). Either is restamped with the statements' checksum once.
 */
const TEXT_CHECKSUMS_BEFORE_REWORDING: Record<number, string> = {
    3: 'c9f8c9871130f7508ccf64d0c2b9494fcbc0fbca9ce778e5dc5cf4f3ce0adfb3',
};

function recordedBeforeStatements(migration: Migration, recorded: string): boolean {
    return recorded === sha256(migration.sql) || recorded === TEXT_CHECKSUMS_BEFORE_REWORDING[migration.version];
}

export function readMigrations(dir = MIGRATIONS_DIR): Migration[] {
    return fs
        .readdirSync(dir)
        .filter((f) => /^\d{3}_[a-z0-9_]+\.sql$/.test(f))
        .sort()
        .map((f) => {
            const sql = fs.readFileSync(path.join(dir, f), 'utf8');
            return {
                version: Number(f.slice(0, 3)),
                name: f.slice(4, -4),
                sql,
                checksum: sha256(statementsOf(sql)),
            };
        });
}

/**
 * What migrating needs of a database: Warehouse.open passes itself. Declared here rather than imported, so
 * that warehouse.ts, which applies the migrations, is not also imported by them.
 */
export interface MigrationTarget {
    readonly file: string;
    run(sql: string, params?: (string | number)[]): Promise<void>;
    all<T>(sql: string): Promise<T[]>;
    transaction<T>(fn: () => Promise<T>): Promise<T>;
}

export async function applyMigrations(warehouse: MigrationTarget, dir = MIGRATIONS_DIR): Promise<number[]> {
    await warehouse.run(`create schema if not exists meta`);
    await warehouse.run(
        `create table if not exists meta.migrations (version integer primary key, name varchar not null, checksum varchar not null, applied_at timestamptz not null default now())`,
    );
    const applied = new Map(
        (await warehouse.all<{ version: number; checksum: string; name: string }>(`select version, checksum, name from meta.migrations`)).map(
            (m) => [m.version, m],
        ),
    );
    const done: number[] = [];
    for (const migration of readMigrations(dir)) {
        const previous = applied.get(migration.version);
        if (previous) {
            if (previous.checksum === migration.checksum) continue;
            if (!recordedBeforeStatements(migration, previous.checksum)) {
                throw new Error(
                    `migration ${migration.version}_${migration.name} changed after it was applied to ${warehouse.file}; add a new migration instead`,
                );
            }
            await warehouse.run(`update meta.migrations set checksum = $1 where version = $2`, [migration.checksum, migration.version]);
            continue;
        }
        await warehouse.transaction(async () => {
            await warehouse.run(migration.sql);
            await warehouse.run(`insert into meta.migrations (version, name, checksum) values ($1, $2, $3)`, [
                migration.version,
                migration.name,
                migration.checksum,
            ]);
        });
        done.push(migration.version);
    }
    return done;
}
