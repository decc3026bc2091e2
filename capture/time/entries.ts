/**
 * One entry at a time: the quick form's create, a change, a delete. Only draft and rejected entries change;
 * a submitted one needs its week withdrawn first, an approved or invoiced one is frozen (409) and the refused
 * attempt is kept (audit.time_entry_events, which the review flag edit_after_approval lists). A rejected entry
 * that is changed becomes a draft again, to be submitted with its week.
 */
import crypto from 'node:crypto';
import type { Warehouse } from '../../warehouse/warehouse.ts';
import type { AuditWho } from '../audit.ts';
import { markWritten } from '../../warehouse/models/dirty.ts';
import { recordAudit } from '../audit.ts';
import { type EntryRow, type WriteContext, type WriteQueue } from '../write-queue.ts';
import { CaptureError } from './errors.ts';
import { activityBillable, type ScopeCache } from './options.ts';
import { readEntries, readEntry, type EntryView } from './read.ts';

/** What capture needs of the server: the warehouse, the group-commit queue, the people's scopes. */
export interface Capture {
    warehouse: Warehouse;
    queue: WriteQueue;
    scope: ScopeCache;
}

export interface EntryInput {
    project_id: string;
    phase: string | null;
    activity: string;
    task?: string | null;
    work_date: string;
    duration_seconds: number;
    billable?: boolean;
    notes?: string | null;
    /** The Timesheet's own sources, or a confirmed suggestion's. */
    source: 'form' | 'grid' | 'timer' | 'calendar' | 'git';
    started_at?: string | null;
    ended_at?: string | null;
}

export const newEntryId = () => `te-${crypto.randomBytes(8).toString('hex')}`;

/** The project and activity checked against the person's scope; the billable default filled in. */
export async function checkedFields(cap: Capture, personId: string, input: { project_id: string; activity: string; billable?: boolean }, field = ''): Promise<{ billable: boolean; project_name: string }> {
    const project = await cap.scope.project(personId, input.project_id, input.activity);
    if (!project) {
        throw new CaptureError(400, `"${input.project_id}" is not a project ${personId} can log time on: an active project they are staffed on or have logged on`, `${field}project_id`);
    }
    const activity = project.activities.find((a) => a.activity === input.activity);
    if (!activity) {
        throw new CaptureError(400, `"${input.activity}" is not one of the firm's activities (${project.activities.map((a) => a.activity).join(', ')})`, `${field}activity`);
    }
    return { billable: input.billable ?? activityBillable(project.billable_default, input.activity), project_name: project.name };
}

export function entryRow(personId: string, input: EntryInput, billable: boolean, batchId: number, now: string): EntryRow {
    return {
        entry_id: newEntryId(),
        person_id: personId,
        project_id: input.project_id,
        phase: input.phase,
        task: input.task ?? null,
        activity: input.activity,
        work_date: input.work_date,
        duration_seconds: input.duration_seconds,
        billable,
        notes: input.notes ?? null,
        source: input.source,
        logged_at: now,
        status: 'draft',
        approved_by: null,
        approved_at: null,
        started_at: input.started_at ?? null,
        ended_at: input.ended_at ?? null,
        batch_id: batchId,
    };
}

/** The answer for an entry just inserted, from its row (it is committed before the answer goes out). */
export function viewOf(row: EntryRow, projectName: string | null): EntryView {
    return {
        entry_id: String(row.entry_id),
        person_id: String(row.person_id),
        project_id: String(row.project_id),
        project_name: projectName,
        phase: row.phase as string | null,
        activity: String(row.activity),
        task: row.task as string | null,
        work_date: String(row.work_date),
        duration_seconds: Number(row.duration_seconds),
        billable: Boolean(row.billable),
        notes: row.notes as string | null,
        source: row.source as string | null,
        status: 'draft',
        logged_at: String(row.logged_at),
        approved_by: null,
        approved_at: null,
        invoice_id: null,
        rejection: null,
    };
}

/** Inserts one entry inside a queued job; returns its row. */
export async function insertEntry(ctx: WriteContext, actor: AuditWho, personId: string, input: EntryInput, billable: boolean): Promise<EntryRow> {
    const row = entryRow(personId, input, billable, await ctx.batch(actor), new Date().toISOString());
    ctx.insertEntry(row);
    ctx.audit({ ...actor, action: 'create', entity: 'time_entry', entity_id: String(row.entry_id), after: row });
    return row;
}

export async function createEntry(cap: Capture, actor: AuditWho, personId: string, input: EntryInput): Promise<EntryView> {
    const { billable, project_name } = await checkedFields(cap, personId, input);
    const row = await cap.queue.write((ctx) => insertEntry(ctx, actor, personId, input, billable));
    return viewOf(row, project_name);
}

/** Why an entry cannot change, or null when it can. */
export function frozenReason(entry: Pick<EntryView, 'entry_id' | 'status' | 'invoice_id'>): { status: 409; message: string; frozen: boolean } | null {
    if (entry.invoice_id) return { status: 409, message: `entry ${entry.entry_id} is invoiced (${entry.invoice_id}): it is frozen`, frozen: true };
    if (entry.status === 'approved') return { status: 409, message: `entry ${entry.entry_id} is approved: approved time is frozen; an admin can reopen it`, frozen: true };
    if (entry.status === 'submitted') return { status: 409, message: `entry ${entry.entry_id} is submitted: withdraw the week first`, frozen: false };
    return null;
}

/** The entry, when it is the person's; 404 otherwise (someone else's entry is not shown to exist). */
async function ownEntry(cap: Capture, ctx: WriteContext, personId: string, entryId: string): Promise<EntryView> {
    await ctx.flush();
    const entry = await readEntry(cap.warehouse, entryId);
    if (!entry || entry.person_id !== personId) throw new CaptureError(404, `no entry "${entryId}" of ${personId}`);
    return entry;
}

/** Keeps a refused attempt to change a frozen entry, in its own transaction (the change itself is not made). */
export async function recordRefused(warehouse: Warehouse, actor: AuditWho, entry: Pick<EntryView, 'entry_id' | 'person_id'>, action: 'edit' | 'delete', detail: string): Promise<void> {
    await warehouse.transaction(async () => {
        const row = { entry_id: entry.entry_id };
        await warehouse.run(
            `insert into audit.time_entry_events (entry_id, person_id, action, attempted_at, actor_id, outcome, detail) values ($1, $2, $3, now(), $4, 'refused', $5)`,
            [entry.entry_id, entry.person_id, action, actor.actor, detail],
        );
        await markWritten(warehouse, 'audit.time_entry_events', [row]);
        await recordAudit(warehouse, { ...actor, action: action === 'edit' ? 'update' : 'delete', entity: 'time_entry', entity_id: entry.entry_id, detail: `refused: ${detail}` });
    });
}

async function refuseFrozen(cap: Capture, actor: AuditWho, entry: EntryView, action: 'edit' | 'delete'): Promise<void> {
    const reason = frozenReason(entry);
    if (!reason) return;
    if (reason.frozen) await recordRefused(cap.warehouse, actor, entry, action, reason.message);
    throw new CaptureError(409, reason.message, 'entry_id');
}

export interface EntryChange {
    project_id?: string;
    phase?: string | null;
    activity?: string;
    task?: string | null;
    work_date?: string;
    duration_seconds?: number;
    billable?: boolean;
    notes?: string | null;
}

const CHANGEABLE = ['project_id', 'phase', 'activity', 'task', 'work_date', 'duration_seconds', 'billable', 'notes'] as const;

export async function updateEntry(cap: Capture, actor: AuditWho, personId: string, entryId: string, change: EntryChange): Promise<EntryView> {
    // Checked before queueing (a refusal never costs the others a retry), and again in the transaction.
    const before = await readEntry(cap.warehouse, entryId);
    if (!before || before.person_id !== personId) throw new CaptureError(404, `no entry "${entryId}" of ${personId}`);
    await refuseFrozen(cap, actor, before, 'edit');
    const project_id = change.project_id ?? before.project_id;
    const activity = change.activity ?? before.activity;
    if (change.project_id !== undefined || change.activity !== undefined) await checkedFields(cap, personId, { project_id, activity, billable: true });
    const result = await cap.queue.write(async (ctx) => {
        const current = await ownEntry(cap, ctx, personId, entryId);
        const reason = frozenReason(current);
        if (reason) throw new CaptureError(409, reason.message, 'entry_id');
        const next = { ...current };
        for (const key of CHANGEABLE) if (change[key] !== undefined) (next as Record<string, unknown>)[key] = change[key];
        const status = current.status === 'rejected' ? 'draft' : current.status;
        await cap.warehouse.run(
            `update canonical.time_entries
             set project_id = $2, phase = $3, activity = $4, task = $5, work_date = $6, duration_seconds = $7, billable = $8, notes = $9, status = $10, logged_at = now()
             where entry_id = $1`,
            [entryId, next.project_id, next.phase, next.activity, next.task, next.work_date, next.duration_seconds, next.billable, next.notes, status],
        );
        ctx.touch('time_entries', [current, next]);
        ctx.audit({ ...actor, action: 'update', entity: 'time_entry', entity_id: entryId, before: pick(current), after: { ...pick(next), status } });
        return entryId;
    });
    return (await readEntries(cap.warehouse, `select $1::varchar as entry_id`, [result]))[0]!;
}

export async function deleteEntry(cap: Capture, actor: AuditWho, personId: string, entryId: string): Promise<void> {
    const before = await readEntry(cap.warehouse, entryId);
    if (!before || before.person_id !== personId) throw new CaptureError(404, `no entry "${entryId}" of ${personId}`);
    await refuseFrozen(cap, actor, before, 'delete');
    await cap.queue.write(async (ctx) => {
        const current = await ownEntry(cap, ctx, personId, entryId);
        const reason = frozenReason(current);
        if (reason) throw new CaptureError(409, reason.message, 'entry_id');
        await cap.warehouse.run(`delete from canonical.time_entries where entry_id = $1`, [entryId]);
        ctx.touch('time_entries', [current]);
        ctx.audit({ ...actor, action: 'delete', entity: 'time_entry', entity_id: entryId, before: pick(current) });
    });
}

/** An entry's values as the audit log keeps them. */
export function pick(e: Omit<EntryView, 'rejection' | 'project_name' | 'invoice_id'> | EntryView): Record<string, unknown> {
    return {
        person_id: e.person_id,
        project_id: e.project_id,
        phase: e.phase,
        activity: e.activity,
        task: e.task,
        work_date: e.work_date,
        duration_seconds: e.duration_seconds,
        billable: e.billable,
        notes: e.notes,
        source: e.source,
        status: e.status,
    };
}
