/**
 * The weekly review's page logic, pure of the DOM: a project's entries by person (submitted first), the
 * flags an entry shows on its own line (a grouped flag is shown once, in its project × phase group), the
 * plan against the hours by phase × role with totals, and what a decision is sent as.
 */
import type { FlagGroup, QueueProject, ReviewEntry } from '../../../../server/schemas/review.ts';

export type { FlagGroup, QueueAnswer, QueueProject, ReviewEntry } from '../../../../server/schemas/review.ts';

export interface PersonWeek {
    person_id: string;
    name: string;
    entries: ReviewEntry[];
    seconds: number;
    /** Entries waiting for a decision. */
    submitted: number;
}

const ORDER: Record<ReviewEntry['status'], number> = { submitted: 0, rejected: 1, draft: 2, approved: 3 };

/** The entries by person (people with submitted time first, then by name); each person's by day and status. */
export function byPerson(project: Pick<QueueProject, 'entries' | 'people'>): PersonWeek[] {
    const out = new Map<string, PersonWeek>();
    for (const p of project.people) out.set(p.person_id, { person_id: p.person_id, name: p.name, entries: [], seconds: 0, submitted: 0 });
    for (const e of project.entries) {
        let p = out.get(e.person_id);
        if (!p) {
            p = { person_id: e.person_id, name: e.person_name ?? e.person_id, entries: [], seconds: 0, submitted: 0 };
            out.set(e.person_id, p);
        }
        p.entries.push(e);
        p.seconds += e.duration_seconds;
        if (e.status === 'submitted') p.submitted += 1;
    }
    for (const p of out.values()) p.entries.sort((a, b) => a.work_date.localeCompare(b.work_date) || ORDER[a.status] - ORDER[b.status]);
    return [...out.values()].filter((p) => p.entries.length > 0).sort((a, b) => Number(b.submitted > 0) - Number(a.submitted > 0) || a.name.localeCompare(b.name));
}

/** The flags an entry shows on its own line: those not in a group (a group is shown once for all its entries). */
export function ownFlags(entry: ReviewEntry): ReviewEntry['flags'] {
    return entry.flags.filter((f) => !f.group_id);
}

/** The groups an entry belongs to, by id (to name them beside it). */
export function groupsOf(entry: ReviewEntry, groups: FlagGroup[]): FlagGroup[] {
    const ids = new Set(entry.flags.map((f) => f.group_id).filter((g): g is string => !!g));
    return groups.filter((g) => ids.has(g.group_id));
}

export interface PlanRow {
    phase: string;
    role: string;
    planned_hours: number;
    logged_hours: number;
    week_hours: number;
    /** Logged ÷ planned; null without a plan. */
    used: number | null;
    over: boolean;
}

/** The plan by phase × role with what is logged (through the week's end) and this week's hours, and the totals. */
export function planTable(plan: QueueProject['plan']): { rows: PlanRow[]; total: PlanRow } {
    const rows = plan
        .map((p) => ({ ...p, used: p.planned_hours > 0 ? p.logged_hours / p.planned_hours : null, over: p.logged_hours > p.planned_hours }))
        .sort((a, b) => a.phase.localeCompare(b.phase) || a.role.localeCompare(b.role));
    const sum = (k: 'planned_hours' | 'logged_hours' | 'week_hours') => rows.reduce((s, r) => s + r[k], 0);
    const planned = sum('planned_hours');
    const logged = sum('logged_hours');
    return { rows, total: { phase: 'Total', role: '', planned_hours: planned, logged_hours: logged, week_hours: sum('week_hours'), used: planned > 0 ? logged / planned : null, over: logged > planned } };
}

/** Width of a bar for a share of the plan, capped so an overrun still fits (0..100, percent of the cell). */
export function barWidth(used: number | null, cap = 1.5): number {
    if (used === null || !Number.isFinite(used)) return 0;
    return Math.round((Math.min(Math.max(used, 0), cap) / cap) * 100);
}

export type Decision = { decision: 'approve' | 'reject'; comment?: string } & ({ entry_ids: string[] } | { person_week: { person_id: string; project_id: string; week: string } });

/** A person-week's decision, or one entry's. */
export function decisionFor(target: { entry_id: string } | { person_id: string; project_id: string; week: string }, decision: 'approve' | 'reject', comment: string): Decision {
    const c = comment.trim();
    const base = { decision, ...(decision === 'reject' || c ? { comment: c } : {}) };
    return 'entry_id' in target ? { ...base, entry_ids: [target.entry_id] } : { ...base, person_week: target };
}

/** The ids of a person's submitted entries (what approving their week changes). */
export function submittedIds(p: PersonWeek): string[] {
    return p.entries.filter((e) => e.status === 'submitted').map((e) => e.entry_id);
}

export interface QueueLine {
    project_id: string;
    name: string;
    waiting: number;
    not_submitted: number;
    flags: number;
}

/** The queue's list: each project with its entries waiting, people not submitted and open flags; waiting first. */
export function queueSummary(projects: QueueProject[]): QueueLine[] {
    return projects
        .map((p) => ({
            project_id: p.project_id,
            name: p.client_name ? `${p.client_name} · ${p.name}` : p.name,
            waiting: p.entries.filter((e) => e.status === 'submitted').length,
            not_submitted: p.not_submitted.length,
            flags: p.flag_groups.filter((g) => !g.resolution).length + p.entries.reduce((n, e) => n + ownFlags(e).filter((f) => !f.resolution).length, 0),
        }))
        .sort((a, b) => Number(b.waiting > 0) - Number(a.waiting > 0) || a.name.localeCompare(b.name));
}
