/**
 * A reviewer's decisions: approve or reject submitted entries, by id or a person's week on a project. A
 * rejection keeps its comment (capture.review_comments), which the person reads beside each entry; approval
 * freezes the entries (approved_by, approved_at) until an admin reopens them. A project manager decides on
 * the projects they manage; nobody decides on their own time.
 */
import type { AuditWho } from '../audit.ts';
import type { Capture } from '../time/entries.ts';
import { CaptureError } from '../time/errors.ts';
import { IDS, readEntries, type EntryView } from '../time/read.ts';
import { addDays, weekStart } from '../time/week.ts';

/** Who reviews: their person, and whether they review every project (leadership, admin) or those they manage. */
export interface Reviewer {
    person_id: string | null;
    allProjects: boolean;
}

export interface DecisionInput {
    decision: 'approve' | 'reject';
    entry_ids?: readonly string[];
    person_week?: { person_id: string; project_id: string; week: string };
    comment?: string;
}

export async function managedProjects(cap: Capture, reviewer: Reviewer): Promise<Set<string> | null> {
    if (reviewer.allProjects) return null;
    if (!reviewer.person_id) return new Set();
    const rows = await cap.warehouse.all<{ project_id: string }>(`select project_id from canonical.projects where manager_id = $1`, [reviewer.person_id]);
    return new Set(rows.map((r) => r.project_id));
}

async function pick(cap: Capture, reviewer: Reviewer, input: DecisionInput): Promise<EntryView[]> {
    let entries: EntryView[];
    if (input.entry_ids) {
        const ids = [...new Set(input.entry_ids)];
        entries = await readEntries(cap.warehouse, IDS('$1'), [JSON.stringify(ids)]);
        const missing = ids.filter((id) => !entries.some((e) => e.entry_id === id));
        if (missing.length > 0) throw new CaptureError(404, `no entr${missing.length === 1 ? 'y' : 'ies'} ${missing.slice(0, 10).join(', ')}`, 'entry_ids');
    } else {
        const pw = input.person_week!;
        const monday = weekStart(pw.week);
        entries = (
            await readEntries(
                cap.warehouse,
                `select entry_id from canonical.time_entries where person_id = $1 and project_id = $2 and work_date between $3::date and $4::date and status = 'submitted'`,
                [pw.person_id, pw.project_id, monday, addDays(monday, 6)],
            )
        ).filter((e) => !e.invoice_id);
        if (entries.length === 0) throw new CaptureError(409, `${pw.person_id} has nothing submitted on ${pw.project_id} in the week of ${monday}`, 'person_week');
    }
    const managed = await managedProjects(cap, reviewer);
    if (managed) {
        const others = entries.filter((e) => !managed.has(e.project_id));
        if (others.length > 0) {
            throw new CaptureError(403, `you review the projects you manage; not ${[...new Set(others.map((e) => e.project_id))].slice(0, 5).join(', ')}`, input.entry_ids ? 'entry_ids' : 'person_week');
        }
    }
    const own = entries.filter((e) => reviewer.person_id && e.person_id === reviewer.person_id);
    if (own.length > 0) throw new CaptureError(403, `nobody decides on their own time: ${own.slice(0, 5).map((e) => e.entry_id).join(', ')} ${own.length === 1 ? 'is' : 'are'} yours`, 'entry_ids');
    const frozen = entries.filter((e) => e.invoice_id);
    if (frozen.length > 0) throw new CaptureError(409, `invoiced entries are frozen: ${frozen.slice(0, 5).map((e) => `${e.entry_id} (invoice ${e.invoice_id})`).join(', ')}`, 'entry_ids');
    const notSubmitted = entries.filter((e) => e.status !== 'submitted');
    if (notSubmitted.length > 0) {
        throw new CaptureError(409, `only submitted entries are approved or rejected: ${notSubmitted.slice(0, 10).map((e) => `${e.entry_id} is ${e.status}`).join(', ')}`, 'entry_ids');
    }
    return entries;
}

export async function decide(cap: Capture, actor: AuditWho, reviewer: Reviewer, input: DecisionInput): Promise<{ changed: number; entries: EntryView[] }> {
    const comment = input.comment?.trim() || null;
    if (input.decision === 'reject' && !comment) throw new CaptureError(400, 'say why: a rejection needs a comment', 'comment');
    await pick(cap, reviewer, input);
    const ids = await cap.queue.write(async (ctx) => {
        await ctx.flush();
        const entries = await pick(cap, reviewer, input);
        const ids = JSON.stringify(entries.map((e) => e.entry_id));
        const now = new Date().toISOString();
        const by = reviewer.person_id ?? actor.actor;
        if (input.decision === 'approve') {
            await cap.warehouse.run(`update canonical.time_entries set status = 'approved', approved_by = $2, approved_at = $3::timestamptz where entry_id in (${IDS('$1')})`, [ids, by, now]);
        } else {
            await cap.warehouse.run(`update canonical.time_entries set status = 'rejected', approved_by = null, approved_at = null where entry_id in (${IDS('$1')})`, [ids]);
        }
        if (comment) {
            await cap.warehouse.run(
                `insert into capture.review_comments (entry_id, decision, comment, decided_by, decided_at) select unnest(from_json($1::json, '["VARCHAR"]')), $2, $3, $4, $5::timestamptz`,
                [ids, input.decision, comment, by, now],
            );
        }
        const status = input.decision === 'approve' ? 'approved' : 'rejected';
        ctx.touch('time_entries', entries);
        ctx.audit(
            ...entries.map((e) => ({
                ...actor,
                action: input.decision,
                entity: 'time_entry',
                entity_id: e.entry_id,
                before: { status: e.status },
                after: { status, ...(status === 'approved' ? { approved_by: by, approved_at: now } : {}) },
                reason: comment,
            })),
        );
        return entries.map((e) => e.entry_id);
    });
    const entries = await readEntries(cap.warehouse, IDS('$1'), [JSON.stringify(ids)]);
    return { changed: entries.length, entries };
}
