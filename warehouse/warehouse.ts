/**
 * The only module that talks to DuckDB. Opens (and locks) the warehouse file, applies migrations,
 * and runs SQL with bound parameters. Results are plain JSON-safe values: integers that fit become
 * numbers (larger ones fail loudly), decimals become numbers, dates 'YYYY-MM-DD' strings and
 * timestamps ISO 8601 strings in UTC.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
    DuckDBConnection,
    type DuckDBDateValue,
    DuckDBInstance,
    type DuckDBResult,
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
    /**
     * DuckDB max_temp_directory_size, e.g. '20GB': the most the spill folder (`<file>.tmp`) may hold; past it a
     * query fails as out of memory. DuckDB's default is 90 % of the free disk.
     */
    maxTempSize?: string;
    /**
     * DuckDB threads per query. Default: all cores for one connection; with several (a server answering
     * requests side by side) cores ÷ connections, at least 1 — concurrent requests use the cores better one
     * thread each than all splitting every query (measured: p95 down a quarter under 4 connections on 2
     * cores). Bulk work takes every core for its duration (withAllCores).
     */
    threads?: number;
    /** Skip migrations (tools that only read). */
    migrate?: boolean;
    /** Connections to spread reads over (a server: a few; a command: 1). */
    connections?: number;
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

/** Types whose DuckDB value already is its JSON-safe JavaScript value (number, boolean or string). */
const PLAIN = new Set<DuckDBTypeId>([
    DuckDBTypeId.BOOLEAN,
    DuckDBTypeId.TINYINT,
    DuckDBTypeId.SMALLINT,
    DuckDBTypeId.INTEGER,
    DuckDBTypeId.UTINYINT,
    DuckDBTypeId.USMALLINT,
    DuckDBTypeId.UINTEGER,
    DuckDBTypeId.FLOAT,
    DuckDBTypeId.DOUBLE,
    DuckDBTypeId.VARCHAR,
]);

/**
 * A result as row objects, read a column at a time per chunk: plain types are taken as they are, dates
 * are formatted once per distinct day, everything else goes through toJsonSafe. Same values as
 * convertRowObjects(toJsonSafe), without a converter call per cell (answers of a thousand rows × a dozen
 * columns spent more time here than in their query).
 */
async function readRows(result: DuckDBResult): Promise<Row[]> {
    const names = result.columnNames();
    const types = result.columnTypes();
    const rows: Row[] = [];
    const days = new Map<number, string>();
    for (let chunk = await result.fetchChunk(); chunk && chunk.rowCount > 0; chunk = await result.fetchChunk()) {
        const n = chunk.rowCount;
        const first = rows.length;
        for (let i = 0; i < n; i++) rows.push({});
        for (let col = 0; col < names.length; col++) {
            const name = names[col]!;
            const type = types[col]!;
            const vector = chunk.getColumnVector(col);
            if (PLAIN.has(type.typeId)) {
                for (let i = 0; i < n; i++) rows[first + i]![name] = vector.getItem(i);
            } else if (type.typeId === DuckDBTypeId.DATE) {
                for (let i = 0; i < n; i++) {
                    const value = vector.getItem(i) as DuckDBDateValue | null;
                    if (value === null) {
                        rows[first + i]![name] = null;
                        continue;
                    }
                    let text = days.get(value.days);
                    if (text === undefined) days.set(value.days, (text = String(value)));
                    rows[first + i]![name] = text;
                }
            } else {
                for (let i = 0; i < n; i++) rows[first + i]![name] = toJsonSafe(vector.getItem(i), type, JSDuckDBValueConverter as DuckDBValueConverter<unknown>);
            }
        }
    }
    return rows;
}

interface Lane {
    connection: DuckDBConnection;
    queue: Promise<unknown>;
    pending: number;
}

/** The transaction the current async call chain runs in, if any: its connection, whether it recorded a write the models read, and to which tables. */
interface OpenTransaction {
    connection: DuckDBConnection;
    marked: boolean;
    tables: Set<string>;
}

const currentTransaction = new AsyncLocalStorage<OpenTransaction>();

/** Where a transaction runs: `write`, the writers' connection (loads, capture, invoicing); `models`, the marts' builds and refreshes. */
export type TransactionLane = 'write' | 'models';

/**
 * One DuckDB database, with one or more connections ("lanes") for reads, one for writes and one for the
 * marts' builds and refreshes. Statements on a lane run one at a time in call order; reads go to the least
 * busy read lane, so a server answers several requests at once. A transaction runs on the write connection
 * (or the models' one), and every statement issued inside it — found by async context, not by a flag — runs
 * there; reads never queue behind it and see the last committed state meanwhile (DuckDB gives each
 * connection a consistent snapshot). A refresh and a write run side by side: the refresh reads the data as
 * its transaction began, and what commits meanwhile leaves its marks for the next one.
 */
export class Warehouse {
    readonly file: string;
    private readonly instance: DuckDBInstance;
    private readonly lanes: Lane[];
    /** Transactions run here, one at a time, never a read's lane: a long load holds up no request. */
    private readonly writer: Lane;
    /** The marts' builds and refreshes run here, one at a time: a refresh holds up no write. */
    private readonly modeler: Lane;
    /** Increases with every committed transaction: caches of derived values key on it. */
    generation = 0;
    /** Committed transactions per table written (commitsTo). */
    private readonly tableCommits = new Map<string, number>();
    /** DuckDB threads per query outside bulk work. */
    private readonly threads: number;
    private bulk = 0;
    private threadChange: Promise<void> = Promise.resolve();

    private constructor(file: string, instance: DuckDBInstance, connections: DuckDBConnection[], writer: DuckDBConnection, modeler: DuckDBConnection, threads: number) {
        this.file = file;
        this.instance = instance;
        this.lanes = connections.map((connection) => ({ connection, queue: Promise.resolve(), pending: 0 }));
        this.writer = { connection: writer, queue: Promise.resolve(), pending: 0 };
        this.modeler = { connection: modeler, queue: Promise.resolve(), pending: 0 };
        this.threads = threads;
    }

    static async open(file: string, options: OpenOptions = {}): Promise<Warehouse> {
        if (file !== ':memory:') fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
        const config: Record<string, string> = {};
        if (options.memoryLimit) config.memory_limit = options.memoryLimit;
        if (options.maxTempSize) config.max_temp_directory_size = options.maxTempSize;
        const lanes = Math.max(1, options.connections ?? 1);
        const threads = options.threads ?? Math.max(1, Math.floor(os.availableParallelism() / lanes));
        config.threads = String(threads);
        let instance: DuckDBInstance;
        try {
            instance = await DuckDBInstance.create(file, config);
        } catch (err) {
            throw lockError(file, err) ?? err;
        }
        // DuckDB removes its spill files when it closes, but not those of a process that was killed: the folder
        // is this file's, and its lock is now ours.
        if (file !== ':memory:') removeSpill(`${path.resolve(file)}.tmp`);
        const connections: DuckDBConnection[] = [];
        for (let i = 0; i < lanes + 2; i++) {
            const connection = await instance.connect();
            // Timestamps are stored and returned in UTC whatever the machine's zone.
            await connection.run(`set TimeZone = 'UTC'`);
            connections.push(connection);
        }
        const modeler = connections.pop()!;
        const writer = connections.pop()!;
        const warehouse = new Warehouse(file, instance, connections, writer, modeler, threads);
        if (options.migrate !== false) await applyMigrations(warehouse);
        return warehouse;
    }

    /**
     * Runs bulk work (a model build, an ingest) with every core: DuckDB's thread count is global, so reads
     * meanwhile get them too, and the per-query count returns when the last bulk job ends.
     */
    async withAllCores<T>(fn: () => Promise<T>): Promise<T> {
        const cores = os.availableParallelism();
        if (cores <= this.threads) return fn();
        // Changes of the setting run in order, and a job starts once the last queued change (its own or the
        // running job's "every core") has been applied.
        if (this.bulk++ === 0) this.setThreads(cores);
        try {
            await this.threadChange;
            return await fn();
        } finally {
            if (--this.bulk === 0) await this.setThreads(this.threads);
        }
    }

    private setThreads(threads: number): Promise<void> {
        this.threadChange = this.threadChange.catch(() => undefined).then(() => this.run(`set threads = ${threads}`));
        return this.threadChange;
    }

    /** Runs work on the transaction's connection when inside one, else queued on a lane. */
    private use<T>(work: (connection: DuckDBConnection) => Promise<T>, lane?: Lane): Promise<T> {
        const tx = currentTransaction.getStore();
        if (tx) return work(tx.connection);
        const chosen = lane ?? this.lanes.reduce((a, b) => (b.pending < a.pending ? b : a));
        chosen.pending++;
        const run = () => work(chosen.connection);
        const next = chosen.queue.then(run, run).finally(() => chosen.pending--);
        chosen.queue = next.catch(() => undefined);
        return next;
    }

    async run(sql: string, params?: Params): Promise<void> {
        await this.use((c) => c.run(sql, params as never));
    }

    /** Called after each read with its SQL and time (the benchmarks use it to replay the API's queries). */
    onQuery?: (sql: string, params: Params | undefined, ms: number) => void;

    async all<T = Row>(sql: string, params?: Params): Promise<T[]> {
        return this.use(async (c) => {
            const started = performance.now();
            const rows = (await readRows(await c.run(sql, params as never))) as T[];
            this.onQuery?.(sql, params, performance.now() - started);
            return rows;
        });
    }

    /**
     * The rows of `select` as JSON text (an array of objects, ordered by `orderBy`, columns in the query's
     * order), written by DuckDB. For answers of text, numbers, booleans and dates it parses to exactly what
     * all() returns (doubles in shortest round-trip form; -0 keeps its sign), without a JS object per row:
     * a thousand-row answer spent more time in readRows and JSON.stringify than in its query. Timestamps
     * come out in DuckDB's format rather than all()'s ISO 8601, so answers with them use all(); and no
     * column may be named __row.
     */
    async allJson(select: string, orderBy: readonly string[], params?: Params): Promise<string> {
        // The subquery's alias names its whole row; a column of the same name would shadow it.
        const order = orderBy.map((name) => `__row.${ident(name)}`).join(', ');
        const row = await this.one<{ rows: string | null }>(
            `select to_json(list(__row${order ? ` order by ${order}` : ''}))::varchar as rows from (${select}) __row`,
            params,
        );
        return row?.rows ?? '[]';
    }

    async one<T = Row>(sql: string, params?: Params): Promise<T | undefined> {
        const rows = await this.all<T>(sql, params);
        return rows[0];
    }

    /**
     * Runs fn inside one transaction: everything it does commits together or not at all. `modelInputs: false`
     * says it writes nothing the models or cached answers read (a saved quote and its audit event), so the
     * commit leaves `generation` as it was; `'marked'`, that it changes what they read only when it records a
     * write (markWritten): a load that found every row unchanged leaves the cached answers in place. `lane:
     * 'models'` runs it on the marts' connection (builds and refreshes), beside the writes.
     */
    async transaction<T>(fn: () => Promise<T>, options: { modelInputs?: boolean | 'marked'; lane?: TransactionLane } = {}): Promise<T> {
        if (currentTransaction.getStore()) return fn();
        return this.use(async (connection) => {
            await connection.run('begin transaction');
            const tx: OpenTransaction = { connection, marked: false, tables: new Set() };
            try {
                const result = await currentTransaction.run(tx, fn);
                await connection.run('commit');
                if (options.modelInputs === 'marked' ? tx.marked : options.modelInputs !== false) this.generation++;
                for (const table of tx.tables) this.tableCommits.set(table, (this.tableCommits.get(table) ?? 0) + 1);
                return result;
            } catch (err) {
                await connection.run('rollback').catch(() => undefined);
                throw err;
            }
        }, options.lane === 'models' ? this.modeler : this.writer);
    }

    /** Called by markWritten inside a transaction: its commit changes what the models and cached answers read (in `table`). */
    noteModelInputsWritten(table?: string): void {
        const tx = currentTransaction.getStore();
        if (!tx) throw new Error('noteModelInputsWritten outside a transaction');
        tx.marked = true;
        if (table) tx.tables.add(table);
    }

    /**
     * How many committed transactions of this process recorded a write to any of `tables` (markWritten's names:
     * 'projects', 'people', …): a cache of what those tables hold is current while the count stays the same.
     */
    commitsTo(tables: readonly string[]): number {
        return tables.reduce((sum, t) => sum + (this.tableCommits.get(t) ?? 0), 0);
    }

    /** Whether the current async call chain runs inside a transaction (writers check before recording a write). */
    inTransaction(): boolean {
        return currentTransaction.getStore() !== undefined;
    }

    /** Percentage (0–100) of the statement running on the write connection (where loads run), or -1. */
    progress(): number {
        return this.writer.connection.progress.percentage;
    }

    close(): void {
        for (const lane of [...this.lanes, this.writer, this.modeler]) lane.connection.closeSync();
        this.instance.closeSync();
    }
}

function removeSpill(dir: string): void {
    if (!fs.existsSync(dir)) return;
    for (const name of fs.readdirSync(dir)) if (name.startsWith('duckdb_temp_')) fs.rmSync(path.join(dir, name), { force: true });
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
