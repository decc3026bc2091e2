/**
 * A confirmed suggestion's draft time entry: a canonical.time_entries row of status `draft` and source
 * `calendar` or `git`, under a batch of its own, marked for the marts and audited, inside the caller's
 * transaction. The person submits it with their week; nothing here submits.
 */
import { writeBatch } from '../invoicing/write.ts';
import { markWritten } from '../../warehouse/models/dirty.ts';
import type { Warehouse } from '../../warehouse/warehouse.ts';
import { recordAudit, type AuditWho } from '../audit.ts';
import { SuggestionError } from './upload.ts';

export interface DraftInput {
    entry_id: string;
    person_id: string;
    project_id: string;
    phase: string | null;
    activity: string;
    work_date: string;
    duration_seconds: number;
    /** null: the project's rule (billable unless the project is non-billable). */
    billable: boolean | null;
    notes: string | null;
    source: 'calendar' | 'git';
    started_at: string | null;
}

/** The entry as written and audited: billable decided, a draft, without the start time. */
export interface DraftEntry extends Omit<DraftInput, 'billable' | 'started_at'> {
    billable: boolean;
    status: 'draft';
}

export async function createDraftEntry(warehouse: Warehouse, input: DraftInput, who: AuditWho): Promise<DraftEntry> {
    const project = await warehouse.one<{ billing_model: string; status: string; name: string }>(`select billing_model, status, name from canonical.projects where project_id = $1`, [input.project_id]);
    if (!project) throw new SuggestionError(400, `project_id: no project "${input.project_id}"`, 'project_id');
    if (project.status !== 'active') throw new SuggestionError(400, `project_id: ${project.name} is closed; choose an active project`, 'project_id');
    if (!Number.isInteger(input.duration_seconds) || input.duration_seconds < 1 || input.duration_seconds > 86_400) {
        throw new SuggestionError(400, 'duration: from a second up to 24 hours', 'duration');
    }
    if (input.activity.trim() === '') throw new SuggestionError(400, 'activity: required', 'activity');
    const taken = await warehouse.one(`select 1 as taken from canonical.time_entries where entry_id = $1`, [input.entry_id]);
    if (taken) throw new SuggestionError(409, `entry ${input.entry_id} exists already`);
    const row = {
        ...input,
        billable: input.billable ?? project.billing_model !== 'non_billable',
        status: 'draft' as const,
    };
    const batch = await writeBatch(warehouse, 'time_entries', `suggestion ${input.source}`, 1, who);
    await warehouse.run(
        `insert into canonical.time_entries
            (entry_id, person_id, project_id, phase, task, activity, work_date, duration_seconds, billable, notes, source, logged_at, status, approved_by, approved_at, started_at, ended_at, batch_id)
        values ($1, $2, $3, $4, null, $5, $6::date, $7, $8, $9, $10, now(), 'draft', null, null, $11::timestamptz, $11::timestamptz + to_seconds($7), $12)`,
        [row.entry_id, row.person_id, row.project_id, row.phase, row.activity, row.work_date, row.duration_seconds, row.billable, row.notes, row.source, row.started_at, batch],
    );
    await markWritten(warehouse, 'time_entries', [{ project_id: row.project_id, work_date: row.work_date }]);
    const { started_at: _s, ...after } = row;
    await recordAudit(warehouse, { ...who, action: 'create', entity: 'time_entry', entity_id: row.entry_id, before: null, after });
    return after;
}
