/**
 * Numbered SQL migrations (warehouse/migrations/NNN_name.sql), each applied once, in order, and recorded
 * in meta.migrations with its checksum. A changed migration that was already applied is an error:
 * write a new one instead.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const MIGRATIONS_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations');

export interface Migration {
    version: number;
    name: string;
    sql: string;
    checksum: string;
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
                checksum: createHash('sha256').update(sql).digest('hex'),
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
            if (previous.checksum !== migration.checksum) {
                throw new Error(
                    `migration ${migration.version}_${migration.name} changed after it was applied to ${warehouse.file}; add a new migration instead`,
                );
            }
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
