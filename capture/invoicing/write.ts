/**
 * How finance's writes reach the warehouse: in one transaction, the canonical rows under a batch of their own
 * (ingest.batches records who wrote them and when, as it does for a file), the tables' changes marked for the
 * marts (warehouse/models/dirty.ts) and the audit event (capture/audit.ts). Pure of HTTP: the server passes
 * who is writing.
 */
import { type AuditWho, recordAudit } from '../audit.ts';
import { markWritten } from '../../warehouse/models/dirty.ts';
import type { Warehouse } from '../../warehouse/warehouse.ts';

/** Who writes, from where: the audit log's who/where part. */
export type Actor = AuditWho;

/** A refusal the caller can act on: `status` 400 (bad input, naming `field`), 404 or 409 (frozen or taken). */
export class InvoicingError extends Error {
    readonly status: 400 | 404 | 409;
    readonly field: string | null;
    constructor(status: 400 | 404 | 409, message: string, field: string | null = null) {
        super(message);
        this.name = 'InvoicingError';
        this.status = status;
        this.field = field;
    }
}

/** A batch for one write: its rows carry its id, as a file's rows carry theirs. */
export async function writeBatch(warehouse: Warehouse, entity: string, what: string, rows: number, actor: Actor): Promise<number> {
    const batch = await warehouse.one<{ id: number }>(`select nextval('ingest.batch_seq')::integer as id`);
    await warehouse.run(
        `insert into ingest.batches
            (batch_id, entity, file_name, content_hash, status, rows_in_file, rows_inserted, rows_replaced, rows_unchanged, rows_rejected, started_at, finished_at, created_by)
        values ($1, $2, $3, '', 'loaded', $4, $4, 0, 0, 0, now(), now(), $5)`,
        [batch!.id, entity, what, rows, actor.actor],
    );
    return batch!.id;
}

/** The touched rows of each canonical table, for the marts to refresh. */
export type Touched = Record<string, object[]>;

/** Marks every table's touched rows and records the audit event; call inside the write's transaction. */
export async function finishWrite(
    warehouse: Warehouse,
    actor: Actor,
    touched: Touched,
    event: { action: string; entity: string; entity_id: string | null; before?: unknown; after?: unknown; reason?: string | null },
): Promise<void> {
    for (const [table, rows] of Object.entries(touched)) if (rows.length > 0) await markWritten(warehouse, table, rows as Record<string, unknown>[]);
    await recordAudit(warehouse, { ...actor, ...event });
}

/** A real calendar date written YYYY-MM-DD (2024-02-30 is not one). */
export function isDate(text: unknown): text is string {
    if (typeof text !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(text)) return false;
    const d = new Date(`${text}T00:00:00Z`);
    return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === text;
}

/** Money to the cent, as the warehouse's decimal(18,2) rounds (half away from zero): lib/money.ts. */
export { toMoney as cents } from '../../lib/money.ts';
