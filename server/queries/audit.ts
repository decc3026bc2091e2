/**
 * Named queries over the audit log (audit.events): read only. Nothing in the product updates or deletes an
 * event; capture/audit.ts is the one writer, and it only appends.
 */
import type { Warehouse } from '../../warehouse/warehouse.ts';
import type { AuditEventRow, AuditFilter } from '../schemas/audit.ts';

/** The filter as a where clause over audit.events, its values bound in `params`. */
function where(f: AuditFilter, params: Record<string, string | number>): string {
    const parts = ['true'];
    if (f.actor !== undefined) {
        params.actor = f.actor.toLowerCase();
        parts.push(`contains(lower(actor), $actor)`);
    }
    for (const key of ['action', 'entity', 'entity_id'] as const) {
        if (f[key] === undefined) continue;
        params[key] = f[key]!;
        parts.push(`${key} = $${key}`);
    }
    if (f.from !== undefined) {
        params.from = f.from;
        parts.push(`occurred_at >= $from::timestamptz`);
    }
    if (f.to !== undefined) {
        params.to = f.to;
        parts.push(`occurred_at < $to::timestamptz + interval 1 day`);
    }
    return parts.join(' and ');
}

const COLUMNS = `event_id::double as event_id, strftime(occurred_at, '%Y-%m-%dT%H:%M:%S.%gZ') as occurred_at, actor, actor_role, person_id, address,
           action, entity, entity_id, before::varchar as before, after::varchar as after, reason, detail`;

export async function countAuditEvents(w: Warehouse, f: AuditFilter): Promise<number> {
    const params: Record<string, string | number> = {};
    const row = await w.one<{ n: number }>(`select count(*)::double as n from audit.events where ${where(f, params)}`, params);
    return row!.n;
}

/** A page of events, newest first. */
export function auditEvents(w: Warehouse, f: AuditFilter, limit: number, offset: number): Promise<AuditEventRow[]> {
    const params: Record<string, string | number> = { limit, offset };
    return w.all<AuditEventRow>(
        `select ${COLUMNS} from audit.events where ${where(f, params)} order by event_id desc limit $limit offset $offset`,
        params,
    );
}

/** The actions and entities the log holds, for the page's filter choices. */
export async function auditVocabulary(w: Warehouse): Promise<{ actions: string[]; entities: string[] }> {
    const rows = await w.all<{ kind: string; value: string }>(
        `select 'action' as kind, action as value from (select distinct action from audit.events)
         union all
         select 'entity', entity from (select distinct entity from audit.events)
         order by kind, value`,
    );
    return { actions: rows.filter((r) => r.kind === 'action').map((r) => r.value), entities: rows.filter((r) => r.kind === 'entity').map((r) => r.value) };
}
