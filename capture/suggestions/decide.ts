/**
 * The person's decisions on their suggestions, and the firm's rules. Confirming (with the person's edits)
 * makes a DRAFT time entry — it is the person who submits it, with their week — and dismissing keeps the
 * suggestion dismissed so no later upload brings it back. Each decision is one transaction with the entry,
 * the marts' mark and the audit events.
 */
import { INTERNAL_CLIENT_NAME } from '../../lib/internal-work.ts';
import { literal, type Warehouse } from '../../warehouse/warehouse.ts';
import { recordAudit, type AuditWho } from '../audit.ts';
import { checkedFields, insertEntry, type Capture, type EntryInput } from '../time/entries.ts';
import { CaptureError } from '../time/errors.ts';
import type { Rule } from './propose.ts';
import { SuggestionError } from './upload.ts';

export interface SuggestionRow {
    suggestion_id: string;
    person_id: string;
    source: 'calendar' | 'git';
    work_date: string;
    starts_at: string | null;
    project_id: string | null;
    project_name: string | null;
    client_name: string | null;
    phase: string | null;
    activity: string;
    seconds: number;
    billable: boolean;
    notes: string | null;
    evidence: string;
    status: 'suggested' | 'confirmed' | 'dismissed';
    entry_id: string | null;
}

const SELECT = `
    select
        s.suggestion_id,
        s.person_id,
        s.source,
        s.work_date::varchar as work_date,
        strftime(s.starts_at at time zone 'UTC', '%Y-%m-%dT%H:%M:%SZ') as starts_at,
        s.project_id,
        p.name as project_name,
        -- a project without a client is internal work, named as lib/internal-work.ts says
        case when p.project_id is not null then coalesce(c.name, ${literal(INTERNAL_CLIENT_NAME)}) end as client_name,
        s.phase,
        s.activity,
        s.seconds,
        s.billable,
        s.notes,
        s.evidence,
        s.status,
        s.entry_id,
    from suggest.suggestions s
    left join canonical.projects p on p.project_id = s.project_id
    left join canonical.clients c on c.client_id = p.client_id`;

/** A person's suggestions dated in the week from `weekStart` (a Monday), by date and time. */
export async function listSuggestions(warehouse: Warehouse, personId: string, weekStart: string): Promise<SuggestionRow[]> {
    return warehouse.all<SuggestionRow>(
        `${SELECT}
        where s.person_id = $1 and s.work_date between $2::date and $2::date + 6
        order by s.work_date, s.starts_at nulls last, s.source, s.suggestion_id`,
        [personId, weekStart],
    );
}

async function owned(warehouse: Warehouse, personId: string, id: string): Promise<SuggestionRow> {
    const row = await warehouse.one<SuggestionRow>(`${SELECT} where s.suggestion_id = $1`, [id]);
    // Another person's suggestion is answered as missing: their calendar is theirs.
    if (!row || row.person_id !== personId) throw new SuggestionError(404, `no suggestion "${id}" of ${personId}`);
    if (row.status !== 'suggested') throw new SuggestionError(409, `the suggestion was already ${row.status}${row.entry_id ? ` (entry ${row.entry_id})` : ''}`);
    return row;
}

export interface Edits {
    project_id?: string;
    phase?: string | null;
    activity?: string;
    work_date?: string;
    duration_seconds?: number;
    billable?: boolean;
    notes?: string | null;
}

/** The entry a confirmed suggestion wrote, as the answer gives it. */
export interface DraftEntry {
    entry_id: string;
    person_id: string;
    project_id: string;
    phase: string | null;
    activity: string;
    work_date: string;
    duration_seconds: number;
    billable: boolean;
    notes: string | null;
    source: 'calendar' | 'git';
    status: 'draft';
}

/**
 * Confirms a suggestion as it is or edited: a draft time entry of the person, written as the Timesheet writes
 * one (capture/time/entries.ts: the person's projects and the firm's activities checked, the billable default,
 * the group-commit queue with its batch, marks and audit), with the suggestion's decision in the same commit.
 */
export async function confirmSuggestion(cap: Capture, personId: string, id: string, edits: Edits, who: AuditWho): Promise<{ suggestion: SuggestionRow; entry: DraftEntry }> {
    const s = await owned(cap.warehouse, personId, id);
    const projectId = edits.project_id ?? s.project_id;
    if (!projectId) throw new SuggestionError(400, 'project_id: no project was matched for this suggestion; choose one', 'project_id');
    const seconds = edits.duration_seconds ?? s.seconds;
    if (!Number.isInteger(seconds) || seconds < 1 || seconds > 86_400) throw new SuggestionError(400, 'duration: from a second up to 24 hours', 'duration');
    const activity = edits.activity ?? s.activity;
    if (activity.trim() === '') throw new SuggestionError(400, 'activity: required', 'activity');
    // The rule's billable stands while the project is the suggested one; another project brings its own default.
    const billable = edits.billable ?? (edits.project_id && edits.project_id !== s.project_id ? undefined : s.billable);
    let checked: { billable: boolean };
    try {
        checked = await checkedFields(cap, personId, { project_id: projectId, activity, billable });
    } catch (err) {
        if (err instanceof CaptureError) throw new SuggestionError(err.status, err.message, err.field);
        throw err;
    }
    const workDate = edits.work_date ?? s.work_date;
    const startedAt = workDate === s.work_date ? s.starts_at : null;
    const input: EntryInput = {
        project_id: projectId,
        phase: edits.phase === undefined ? s.phase : edits.phase,
        activity,
        work_date: workDate,
        duration_seconds: seconds,
        notes: edits.notes === undefined ? s.notes : edits.notes,
        source: s.source,
        started_at: startedAt,
        ended_at: startedAt === null ? null : new Date(Date.parse(startedAt) + seconds * 1000).toISOString(),
    };
    const row = await cap.queue.write(async (ctx) => {
        // Decided meanwhile (another tab): nothing is written.
        await owned(cap.warehouse, personId, id);
        const written = await insertEntry(ctx, who, personId, input, checked.billable);
        await cap.warehouse.run(`update suggest.suggestions set status = 'confirmed', entry_id = $2, decided_at = now(), decided_by = $3, updated_at = now() where suggestion_id = $1`, [
            id,
            String(written.entry_id),
            who.actor,
        ]);
        ctx.audit({ ...who, action: 'confirm', entity: 'suggestion', entity_id: id, before: { status: 'suggested' }, after: { status: 'confirmed', entry_id: String(written.entry_id), edits } });
        return written;
    });
    const entry: DraftEntry = {
        entry_id: String(row.entry_id),
        person_id: personId,
        project_id: projectId,
        phase: input.phase,
        activity,
        work_date: workDate,
        duration_seconds: seconds,
        billable: checked.billable,
        notes: input.notes ?? null,
        source: s.source,
        status: 'draft',
    };
    return { suggestion: { ...s, status: 'confirmed' as const, entry_id: entry.entry_id }, entry };
}

/** Dismisses a suggestion: it stays dismissed whatever is uploaded later. */
export async function dismissSuggestion(warehouse: Warehouse, personId: string, id: string, who: AuditWho): Promise<SuggestionRow> {
    return warehouse.transaction(async () => {
        const s = await owned(warehouse, personId, id);
        await warehouse.run(`update suggest.suggestions set status = 'dismissed', decided_at = now(), decided_by = $2, updated_at = now() where suggestion_id = $1`, [id, who.actor]);
        await recordAudit(warehouse, { ...who, action: 'dismiss', entity: 'suggestion', entity_id: id, before: { status: 'suggested' }, after: { status: 'dismissed' } });
        return { ...s, status: 'dismissed' as const };
    });
}

export interface RuleRow extends Rule {
    client_name: string | null;
    project_name: string | null;
}

/** The firm's rules with the names they point at. */
export async function listRules(warehouse: Warehouse): Promise<RuleRow[]> {
    return warehouse.all<RuleRow>(
        `select r.kind, r.pattern, r.client_id, r.project_id, r.phase, r.billable,
            coalesce(c.name, case when p.project_id is not null then ${literal(INTERNAL_CLIENT_NAME)} end) as client_name, p.name as project_name,
        from suggest.rules r
        left join canonical.projects p on p.project_id = r.project_id
        left join canonical.clients c on c.client_id = coalesce(r.client_id, p.client_id)
        order by r.kind, r.pattern`,
    );
}

/** Replaces the firm's rules with `rules` (checked first: every client and project must exist). */
export async function replaceRules(warehouse: Warehouse, rules: readonly Rule[], who: AuditWho): Promise<RuleRow[]> {
    const keys = new Set<string>();
    rules.forEach((r, i) => {
        const key = `${r.kind}\n${r.pattern.toLowerCase()}`;
        if (keys.has(key)) throw new SuggestionError(400, `rules.${i}.pattern: "${r.pattern}" is already a ${r.kind} rule`, `rules.${i}.pattern`);
        keys.add(key);
        if (r.kind === 'repository' && !r.project_id) throw new SuggestionError(400, `rules.${i}.project_id: a repository rule names a project`, `rules.${i}.project_id`);
        if (!r.client_id && !r.project_id) throw new SuggestionError(400, `rules.${i}.client_id: a rule names a client or a project`, `rules.${i}.client_id`);
    });
    return warehouse.transaction(async () => {
        const projects = new Map((await warehouse.all<{ project_id: string; client_id: string }>(`select project_id, client_id from canonical.projects`)).map((p) => [p.project_id, p.client_id]));
        const clients = new Set((await warehouse.all<{ client_id: string }>(`select client_id from canonical.clients`)).map((c) => c.client_id));
        rules.forEach((r, i) => {
            if (r.project_id && !projects.has(r.project_id)) throw new SuggestionError(400, `rules.${i}.project_id: no project "${r.project_id}"`, `rules.${i}.project_id`);
            if (r.client_id && !clients.has(r.client_id)) throw new SuggestionError(400, `rules.${i}.client_id: no client "${r.client_id}"`, `rules.${i}.client_id`);
            if (r.client_id && r.project_id && projects.get(r.project_id) !== r.client_id) {
                throw new SuggestionError(400, `rules.${i}.project_id: project ${r.project_id} is not client ${r.client_id}'s`, `rules.${i}.project_id`);
            }
        });
        const before = await listRules(warehouse);
        await warehouse.run(`delete from suggest.rules`);
        if (rules.length > 0) {
            const normalized = rules.map((r) => ({
                kind: r.kind,
                pattern: r.kind === 'domain' ? r.pattern.trim().toLowerCase().replace(/^@/, '') : r.pattern.trim(),
                client_id: r.client_id ?? (r.project_id ? projects.get(r.project_id)! : null),
                project_id: r.project_id,
                phase: r.phase,
                billable: r.billable,
            }));
            await warehouse.run(
                `insert into suggest.rules (kind, pattern, client_id, project_id, phase, billable, changed_at, changed_by)
                select kind, pattern, client_id, project_id, phase, billable, now(), $2
                from (select unnest(from_json($1::json, '[{"kind":"VARCHAR","pattern":"VARCHAR","client_id":"VARCHAR","project_id":"VARCHAR","phase":"VARCHAR","billable":"BOOLEAN"}]'), recursive := true))`,
                [JSON.stringify(normalized), who.actor],
            );
        }
        const after = await listRules(warehouse);
        await recordAudit(warehouse, { ...who, action: 'update', entity: 'suggestion_rules', entity_id: null, before, after });
        return after;
    });
}
