/** The audit log as GET /api/audit filters and answers it, and as the Audit log page reads it. */
import { z } from 'zod';
import { pageParam, pageSizeParam } from '../api/filters.ts';
import { isoDate } from './common.ts';

const text = z.string().trim().min(1).max(200);

/** The filters the page and the export share. */
export const auditFilter = z.strictObject({
    actor: text.optional().describe('Who: part of the actor, any case (an email, a person id, "local", "cli")'),
    action: text.optional().describe('What was done, exactly: create, update, approve, upload …'),
    entity: text.optional().describe('What it was done to, exactly: time_entry, quote, account …'),
    entity_id: text.optional(),
    from: isoDate.optional().describe('First day (inclusive, UTC)'),
    to: isoDate.optional().describe('Last day (inclusive, UTC)'),
});

export const auditQuery = auditFilter.extend({ page: pageParam, page_size: pageSizeParam(500) });

export const auditEventRow = z.object({
    event_id: z.number(),
    occurred_at: z.string().describe('When, ISO 8601 UTC'),
    actor: z.string(),
    actor_role: z.string().nullable(),
    person_id: z.string().nullable(),
    address: z.string().nullable(),
    action: z.string(),
    entity: z.string(),
    entity_id: z.string().nullable(),
    before: z.string().nullable().describe('The values the change replaced, JSON text'),
    after: z.string().nullable().describe('The values it wrote, JSON text'),
    reason: z.string().nullable(),
    detail: z.string().nullable(),
});

export const auditAnswer = z.object({
    total: z.number().describe('Events matching the filters'),
    page: z.number(),
    page_size: z.number(),
    rows: z.array(auditEventRow),
    actions: z.array(z.string()).describe('Every action in the log, for the filter’s choices'),
    entities: z.array(z.string()).describe('Every entity in the log, for the filter’s choices'),
});

export type AuditFilter = z.infer<typeof auditFilter>;
export type AuditEventRow = z.infer<typeof auditEventRow>;
export type AuditAnswer = z.infer<typeof auditAnswer>;
