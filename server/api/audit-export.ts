/** The audit log as CSV (GET /api/audit/export): every field escaped with csvField, so no cell runs as a formula. */
import { csvField } from '../../web/lib/csv.ts';
import type { AuditEventRow } from '../schemas/audit.ts';

/** The most events one export holds: past it the export asks for a narrower filter rather than fill memory. */
export const MAX_EXPORT_EVENTS = 100_000;

const HEADER = ['event_id', 'occurred_at', 'actor', 'actor_role', 'person_id', 'address', 'action', 'entity', 'entity_id', 'before', 'after', 'reason', 'detail'] as const;

export function auditCsv(rows: readonly AuditEventRow[]): string {
    const lines = [HEADER.join(',')];
    for (const row of rows) {
        lines.push(HEADER.map((c) => (c === 'event_id' ? csvField(String(row.event_id), true) : csvField(row[c] === null ? '' : String(row[c])))).join(','));
    }
    return `${lines.join('\r\n')}\r\n`;
}
