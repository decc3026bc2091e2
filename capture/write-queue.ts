/**
 * Group commit for the capture writes. A transaction per request would hold every person's save behind the
 * previous one's commit (each a WAL flush); instead writes queue here, and whatever queued while the last
 * transaction committed runs together in the next one: each job's statements, then — once for all of them —
 * the batch rows, the marts' marks (markWritten) and the audit events. Each job is acknowledged (its promise
 * settles) only after that commit, so an answer never promises what a crash could take back.
 *
 * A job that fails fails only itself: when a shared transaction fails, it is rolled back and its jobs run
 * again one by one, each in its own transaction; the failing one rejects with its own error and the others
 * commit. Jobs therefore do nothing outside the warehouse before their commit (they are run again), and
 * callers validate input before queueing so that a retry is rare.
 */
import { type AuditEvent, recordAudits } from './audit.ts';
import { markWritten } from '../warehouse/models/dirty.ts';
import type { SqlValue, Warehouse } from '../warehouse/warehouse.ts';
import type { Actor } from './invoicing/write.ts';

/** The canonical time entry's columns, in the order inserts list them. */
export const ENTRY_COLUMNS = [
    'entry_id',
    'person_id',
    'project_id',
    'phase',
    'task',
    'activity',
    'work_date',
    'duration_seconds',
    'billable',
    'notes',
    'source',
    'logged_at',
    'status',
    'approved_by',
    'approved_at',
    'started_at',
    'ended_at',
    'batch_id',
] as const;

export type EntryRow = { [K in (typeof ENTRY_COLUMNS)[number]]: SqlValue };

/** What a job may do besides its own statements; the queue writes it all at the commit. */
export class WriteContext {
    private readonly warehouse: Warehouse;
    private readonly touched = new Map<string, object[]>();
    private readonly events: AuditEvent[] = [];
    private readonly batches = new Map<string, { id: number; rows: number }>();
    private inserts: EntryRow[] = [];
    /** The jobs of the transaction: at most as many writers, so as many batch ids are drawn at once. */
    private readonly jobs: number;
    /** Batch ids drawn and not yet given (a sequence may skip those left over). */
    private ids: number[] = [];

    constructor(warehouse: Warehouse, jobs = 1) {
        this.warehouse = warehouse;
        this.jobs = jobs;
    }

    /**
     * The batch the writer's canonical rows carry: one per writer per transaction, as a file's rows carry theirs.
     * The ids of a transaction's batches are drawn in one statement, and their rows written at the commit.
     */
    async batch(actor: Actor, rows = 1): Promise<number> {
        let batch = this.batches.get(actor.actor);
        if (!batch) {
            if (this.ids.length === 0) {
                const wanted = Math.max(1, this.jobs - this.batches.size);
                const drawn = await this.warehouse.all<{ id: number }>(`select nextval('ingest.batch_seq')::integer as id from range(${wanted})`);
                this.ids = drawn.map((r) => r.id).sort((a, b) => a - b);
            }
            batch = { id: this.ids.shift()!, rows: 0 };
            this.batches.set(actor.actor, batch);
        }
        batch.rows += rows;
        return batch.id;
    }

    /** Rows of a table the marts read that the job inserted, changed (old and new) or deleted. */
    touch(table: string, rows: readonly object[]): void {
        const list = this.touched.get(table) ?? [];
        list.push(...rows);
        this.touched.set(table, list);
    }

    audit(...events: AuditEvent[]): void {
        this.events.push(...events);
    }

    /** A new entry, inserted with the others of the transaction in one statement (before any read of entries). */
    insertEntry(row: EntryRow): void {
        this.inserts.push(row);
        this.touch('time_entries', [row]);
    }

    /** Writes the entries queued so far; a job that reads or changes entries calls it first. */
    async flush(): Promise<void> {
        if (this.inserts.length === 0) return;
        const rows = this.inserts;
        this.inserts = [];
        // A statement's parameters are bounded: 18 columns × 500 rows stays well inside.
        for (let start = 0; start < rows.length; start += 500) {
            const chunk = rows.slice(start, start + 500);
            const params: SqlValue[] = [];
            const values = chunk.map((row) => {
                const at = params.length;
                for (const c of ENTRY_COLUMNS) params.push(row[c]);
                return `(${ENTRY_COLUMNS.map((_c, i) => `$${at + i + 1}`).join(', ')})`;
            });
            await this.warehouse.run(`insert into canonical.time_entries (${ENTRY_COLUMNS.join(', ')}) values ${values.join(', ')}`, params);
        }
    }

    /** Everything queued for the commit: entries, batch counts, marks, audit events. */
    async finish(): Promise<void> {
        await this.flush();
        if (this.batches.size > 0) {
            const params: SqlValue[] = [];
            const rows = [...this.batches].map(([actor, batch]) => {
                params.push(batch.id, batch.rows, actor);
                const at = params.length - 2;
                return `($${at}, 'time_entries', 'time capture', '', 'loaded', $${at + 1}, $${at + 1}, 0, 0, 0, now(), now(), $${at + 2})`;
            });
            await this.warehouse.run(
                `insert into ingest.batches
                    (batch_id, entity, file_name, content_hash, status, rows_in_file, rows_inserted, rows_replaced, rows_unchanged, rows_rejected, started_at, finished_at, created_by)
                values ${rows.join(', ')}`,
                params,
            );
        }
        for (const [table, rows] of this.touched) if (rows.length > 0) await markWritten(this.warehouse, table, rows as Record<string, unknown>[]);
        if (this.events.length > 0) await recordAudits(this.warehouse, this.events);
    }
}

export type Job<T> = (ctx: WriteContext) => Promise<T>;

interface Pending {
    job: Job<unknown>;
    resolve: (value: unknown) => void;
    reject: (err: unknown) => void;
}

export interface WriteQueueOptions {
    /** The most jobs one transaction takes. */
    maxBatch?: number;
    /** Called after every commit that wrote something the marts read (the server refreshes them, coalesced). */
    afterCommit?: () => void;
}

export class WriteQueue {
    private readonly warehouse: Warehouse;
    private readonly maxBatch: number;
    private readonly afterCommit?: () => void;
    private pending: Pending[] = [];
    private running: Promise<void> | null = null;
    /**
     * Transactions committed and jobs in them, for the benchmark's report; and the time they spent waiting for
     * the write connection (behind a refresh, say) and then running their statements and commit, in ms.
     */
    readonly stats = { transactions: 0, jobs: 0, retried: 0, wait_ms: 0, commit_ms: 0 };

    constructor(warehouse: Warehouse, options: WriteQueueOptions = {}) {
        this.warehouse = warehouse;
        this.maxBatch = options.maxBatch ?? 1000;
        this.afterCommit = options.afterCommit;
    }

    /** Runs `job` in the next shared transaction; settles once that transaction committed (or the job failed). */
    write<T>(job: Job<T>): Promise<T> {
        return new Promise<T>((resolve, reject) => {
            this.pending.push({ job, resolve: resolve as (value: unknown) => void, reject });
            if (!this.running) this.running = this.drain();
        });
    }

    /** Resolves when everything queued so far has been written or has failed. */
    async idle(): Promise<void> {
        while (this.running) await this.running;
    }

    private async drain(): Promise<void> {
        try {
            while (this.pending.length > 0) {
                const group = this.pending.splice(0, this.maxBatch);
                await this.commit(group);
            }
        } finally {
            this.running = null;
        }
    }

    private async commit(group: Pending[]): Promise<void> {
        try {
            const results = await this.runTogether(group);
            group.forEach((item, i) => item.resolve(results[i]));
        } catch (err) {
            if (group.length === 1) {
                group[0]!.reject(err);
                return;
            }
            // One of them failed the transaction: each runs again on its own, and fails or commits alone.
            this.stats.retried += group.length;
            for (const item of group) {
                try {
                    item.resolve((await this.runTogether([item]))[0]);
                } catch (own) {
                    item.reject(own);
                }
            }
        }
    }

    private async runTogether(group: Pending[]): Promise<unknown[]> {
        const queued = performance.now();
        let began = queued;
        const results = await this.warehouse.transaction(async () => {
            began = performance.now();
            const ctx = new WriteContext(this.warehouse, group.length);
            const out: unknown[] = [];
            for (const item of group) out.push(await item.job(ctx));
            await ctx.finish();
            return out;
        });
        this.stats.transactions++;
        this.stats.jobs += group.length;
        this.stats.wait_ms += began - queued;
        this.stats.commit_ms += performance.now() - began;
        this.afterCommit?.();
        return results;
    }
}
