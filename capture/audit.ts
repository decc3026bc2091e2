/**
 * The audit log writer and reader (audit.events, warehouse/migrations/007_audit_accounts.sql). Every write the
 * product makes — a captured or approved entry, an upload, a rebuild, a quote change, an account change —
 * appends one event here, INSIDE the transaction of the write, so the change and its record commit together
 * or not at all. Nothing updates or deletes an event.
 *
 * Who and from where: a route builds that part from its request with `auditActor(request)`
 * (server/plugins/auth.ts) and spreads it into the event; the CLI passes `cliActor()`.
 */
import os from 'node:os';
import type { FileReport } from '../ingest/canonical.ts';
import type { Warehouse } from '../warehouse/warehouse.ts';

/** Who made a change and from where. */
export interface AuditWho {
    /** As server/plugins/auth.ts actorOf names callers: 'local', '<role>:<person_id>', '<role>:token-<id>', 'cli:<user>'. */
    actor: string;
    /** The caller's access role (server/roles.ts) when it acted. */
    role?: string | null;
    person_id?: string | null;
    /** The request's address, or 'cli'. */
    address?: string | null;
}

export interface AuditEvent extends AuditWho {
    /** What was done: create, update, delete, submit, withdraw, approve, reject, reopen, resolve, dismiss, upload, rebuild … */
    action: string;
    /** What it was done to: time_entry, quote, batch, models, account, token, session … */
    entity: string;
    entity_id?: string | null;
    /** The values the change replaced (null for a create). */
    before?: unknown;
    /** The values it wrote (null for a delete). */
    after?: unknown;
    /** The reason given: a rejection's comment, a reopening's reason. */
    reason?: string | null;
    /** Anything else worth reading beside it. */
    detail?: string | null;
}

const COLUMNS = ['actor', 'actor_role', 'person_id', 'address', 'action', 'entity', 'entity_id', 'before', 'after', 'reason', 'detail'] as const;

/** JSON text of a value, bigints as numbers (or text beyond 2^53); null for undefined/null. */
function json(value: unknown): string | null {
    if (value === undefined || value === null) return null;
    return JSON.stringify(value, (_k, v) => (typeof v === 'bigint' ? (Number.isSafeInteger(Number(v)) ? Number(v) : String(v)) : v));
}

function values(event: AuditEvent): (string | null)[] {
    return [
        event.actor,
        event.role ?? null,
        event.person_id ?? null,
        event.address ?? null,
        event.action,
        event.entity,
        event.entity_id ?? null,
        json(event.before),
        json(event.after),
        event.reason ?? null,
        event.detail ?? null,
    ];
}

/** Appends one event. Call it inside the transaction of the write it records. */
export async function recordAudit(warehouse: Warehouse, event: AuditEvent): Promise<void> {
    await recordAudits(warehouse, [event]);
}

/** Appends several events in one statement (a person-week approved at once). Call it inside the write's transaction. */
export async function recordAudits(warehouse: Warehouse, events: readonly AuditEvent[]): Promise<void> {
    // A statement's parameters are bounded; 500 events × 11 columns stays well inside.
    for (let start = 0; start < events.length; start += 500) {
        const chunk = events.slice(start, start + 500);
        const params: (string | null)[] = [];
        const rows = chunk.map((event) => {
            const at = params.length;
            params.push(...values(event));
            return `(${COLUMNS.map((c, i) => `$${at + i + 1}${c === 'before' || c === 'after' ? '::json' : ''}`).join(', ')})`;
        });
        await warehouse.run(`insert into audit.events (${COLUMNS.join(', ')}) values ${rows.join(', ')}`, params);
    }
}

/**
 * Records an upload, one event per file: what it loaded (its batch, rows inserted, replaced, unchanged) or, for
 * a refused upload, that nothing was loaded and why. Call it inside the load's transaction (ingest's beforeCommit).
 */
export async function recordUpload(warehouse: Warehouse, who: AuditWho, files: readonly FileReport[]): Promise<void> {
    await recordAudits(
        warehouse,
        files.map((f) => ({
            ...who,
            action: 'upload',
            entity: f.entity,
            entity_id: f.batch_id === null ? null : String(f.batch_id),
            after: { file: f.file, status: f.status, rows: f.rows, inserted: f.inserted, replaced: f.replaced, unchanged: f.unchanged, rejected: f.rejected },
            detail: f.status === 'rejected' ? `refused: ${f.rejected} of ${f.rows} rows broke a rule, nothing was loaded` : `${f.file}: ${f.status}`,
        })),
    );
}

/** Who runs a CLI command that writes: the machine's user, from the command line. */
export function cliActor(): AuditWho {
    let user = process.env.USER ?? process.env.USERNAME ?? 'unknown';
    try {
        user = os.userInfo().username;
    } catch {
        // No passwd entry (a container): the environment's name, or the record still says it came from the CLI.
    }
    return { actor: `cli:${user}`, role: null, person_id: null, address: 'cli' };
}
