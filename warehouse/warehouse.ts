/**
 * The only module that talks to DuckDB. Opens (and locks) the warehouse file, applies migrations,
 * and runs SQL with bound parameters. Results are plain JSON-safe values: integers that fit become
 * numbers (larger ones fail loudly), decimals become numbers, dates 'YYYY-MM-DD' strings and
 * timestamps ISO 8601 strings in UTC.
 */
import fs from 'node:fs';
import path from 'node:path';
import {
    DuckDBConnection,
    DuckDBInstance,
    DuckDBTypeId,
    JSDuckDBValueConverter,
    type DuckDBType,
    type DuckDBValue,
    type DuckDBValueConverter,
    type JS,
} from '@duckdb/node-api';
import { applyMigrations } from './migrate.ts';

export type SqlValue = string | number | boolean | null;
export type Params = Record<string, SqlValue> | SqlValue[];
export type Row = Record<string, unknown>;

export interface OpenOptions {
    /** DuckDB memory_limit, e.g. '2GB'. Bulk loads spill to the temp directory beyond it. */
    memoryLimit?: string;
    threads?: number;
    /** Skip migrations (tools that only read). */
    migrate?: boolean;
}

/** Another process holds the DuckDB file. */
export class WarehouseLockedError extends Error {
    readonly file: string;
    readonly pid: number | null;
    readonly holder: string | null;
    constructor(file: string, pid: number | null, holder: string | null) {
        const who = pid ? `process ${pid}${holder ? ` (${holder})` : ''}` : 'another process';
        super(
            `${file} is in use by ${who}. Stop that process, or send the work to the running server instead ` +
                `(a realize server owns the file while it runs), or pass --db to use another file.`,
        );
        this.name = 'WarehouseLockedError';
        this.file = file;
        this.pid = pid;
        this.holder = holder;
    }
}

function toJsonSafe(value: DuckDBValue, type: DuckDBType, converter: DuckDBValueConverter<unknown>): unknown {
    if (value === null) return null;
    switch (type.typeId) {
        case DuckDBTypeId.BIGINT:
        case DuckDBTypeId.HUGEINT:
        case DuckDBTypeId.UBIGINT:
        case DuckDBTypeId.UHUGEINT: {
            const n = value as bigint;
            if (n > BigInt(Number.MAX_SAFE_INTEGER) || n < BigInt(Number.MIN_SAFE_INTEGER)) {
                throw new RangeError(`integer ${n} does not fit a JavaScript number; cast it in SQL`);
            }
            return Number(n);
        }
        case DuckDBTypeId.DATE:
            return String(value);
        case DuckDBTypeId.TIMESTAMP:
        case DuckDBTypeId.TIMESTAMP_TZ:
        case DuckDBTypeId.TIMESTAMP_MS:
        case DuckDBTypeId.TIMESTAMP_S:
        case DuckDBTypeId.TIMESTAMP_NS: {
            const d = JSDuckDBValueConverter(value, type, JSDuckDBValueConverter) as Date;
            return d.toISOString();
        }
        default:
            return JSDuckDBValueConverter(value, type, converter as unknown as DuckDBValueConverter<JS>);
    }
}

export class Warehouse {
    readonly file: string;
    private readonly instance: DuckDBInstance;
    private readonly connection: DuckDBConnection;
    private queue: Promise<unknown> = Promise.resolve();
    private inTransaction = false;

    private constructor(file: string, instance: DuckDBInstance, connection: DuckDBConnection) {
        this.file = file;
        this.instance = instance;
        this.connection = connection;
    }

    static async open(file: string, options: OpenOptions = {}): Promise<Warehouse> {
        if (file !== ':memory:') fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
        const config: Record<string, string> = {};
        if (options.memoryLimit) config.memory_limit = options.memoryLimit;
        if (options.threads) config.threads = String(options.threads);
        let instance: DuckDBInstance;
        try {
            instance = await DuckDBInstance.create(file, config);
        } catch (err) {
            throw lockError(file, err) ?? err;
        }
        const connection = await instance.connect();
        // Timestamps are stored and returned in UTC whatever the machine's zone.
        await connection.run(`set TimeZone = 'UTC'`);
        const warehouse = new Warehouse(file, instance, connection);
        if (options.migrate !== false) await applyMigrations(warehouse);
        return warehouse;
    }

    /** Statements run one at a time on the connection, in call order. */
    private serial<T>(work: () => Promise<T>): Promise<T> {
        if (this.inTransaction) return work();
        const next = this.queue.then(work, work);
        this.queue = next.catch(() => undefined);
        return next;
    }

    async run(sql: string, params?: Params): Promise<void> {
        await this.serial(() => this.connection.run(sql, params as never));
    }

    async all<T = Row>(sql: string, params?: Params): Promise<T[]> {
        return this.serial(async () => {
            const reader = await this.connection.runAndReadAll(sql, params as never);
            return reader.convertRowObjects(toJsonSafe) as T[];
        });
    }

    async one<T = Row>(sql: string, params?: Params): Promise<T | undefined> {
        const rows = await this.all<T>(sql, params);
        return rows[0];
    }

    /** Runs fn inside one transaction: everything it does commits together or not at all. */
    async transaction<T>(fn: () => Promise<T>): Promise<T> {
        return this.serial(async () => {
            await this.connection.run('begin transaction');
            this.inTransaction = true;
            try {
                const result = await fn();
                await this.connection.run('commit');
                return result;
            } catch (err) {
                await this.connection.run('rollback').catch(() => undefined);
                throw err;
            } finally {
                this.inTransaction = false;
            }
        });
    }

    /** Percentage (0–100) of the statement running now, or -1 when DuckDB cannot tell. */
    progress(): number {
        return this.connection.progress.percentage;
    }

    close(): void {
        this.connection.closeSync();
        this.instance.closeSync();
    }
}

/** Recognises DuckDB's lock conflict and names the holder. */
function lockError(file: string, err: unknown): WarehouseLockedError | null {
    const message = err instanceof Error ? err.message : String(err);
    if (!/Could not set lock|Conflicting lock/i.test(message)) return null;
    const match = /Conflicting lock is held in (.+?) \(PID (\d+)\)/.exec(message);
    return new WarehouseLockedError(file, match ? Number(match[2]) : null, match?.[1] ?? null);
}

/** Quotes an identifier that comes from our own allow-lists (entity and column names), never from users. */
export function ident(name: string): string {
    if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`not a safe identifier: ${name}`);
    return `"${name}"`;
}

/** A string literal for places DuckDB does not accept a bound parameter (e.g. table function file names). */
export function literal(value: string): string {
    return `'${value.replaceAll("'", "''")}'`;
}
