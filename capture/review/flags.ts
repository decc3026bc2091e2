/**
 * Flags a manager acts on: each resolved (fixed) or dismissed (accepted as it is) with a reason, kept with
 * who and when (capture.flag_resolutions). A rule that fires on many entries for one cause — a phase over its
 * estimate, scope the plan does not have — is shown and resolved once per project × phase: its group.
 */
import type { AuditWho } from '../audit.ts';
import type { Capture } from '../time/entries.ts';
import { CaptureError } from '../time/errors.ts';
import { IDS } from '../time/read.ts';
import type { Reviewer } from './decisions.ts';
import { managedProjects } from './decisions.ts';

export const FLAG_LABELS: Record<string, string> = {
    missing_day: 'Missing day',
    over_12h_day: 'Over 12 h in a day',
    future_entry: 'Future date',
    closed_project: 'Closed project',
    outside_project_dates: 'Outside the project’s dates',
    billable_admin: 'Billable admin',
    billable_on_non_billable: 'Billable on a non-billable project',
    unplanned_scope: 'Unplanned scope',
    phase_over_estimate: 'Phase over estimate',
    duplicate_entry: 'Duplicate entry',
    overlapping_timer: 'Overlapping timer',
    zero_duration: 'Zero duration',
    edit_after_approval: 'Edit after approval',
};

/** Rules shown once per project × phase: one cause behind all their entries. */
export const GROUPED_RULES: readonly string[] = ['phase_over_estimate', 'unplanned_scope'];

export const groupIdOf = (rule: string, projectId: string, phase: string | null) => `${rule}:${projectId}:${phase ?? ''}`;

/** The SQL of a group's id over the flags mart `f` joined to its entry `e`. */
export const GROUP_ID_SQL = `f.rule || ':' || f.project_id || ':' || coalesce(e.phase, '')`;

interface FlagRow {
    flag_key: string;
    rule: string;
    project_id: string | null;
    person_id: string;
}

async function inScope(cap: Capture, reviewer: Reviewer, flags: FlagRow[], field: string): Promise<void> {
    const managed = await managedProjects(cap, reviewer);
    if (!managed) return;
    const people = new Set(
        (
            await cap.warehouse.all<{ person_id: string }>(
                `select distinct person_id from canonical.time_entries where project_id in (select unnest(from_json($1::json, '["VARCHAR"]')))`,
                [JSON.stringify([...managed])],
            )
        ).map((r) => r.person_id),
    );
    const others = flags.filter((f) => (f.project_id ? !managed.has(f.project_id) : !people.has(f.person_id)));
    if (others.length > 0) throw new CaptureError(403, `you act on the flags of the projects you manage; not ${others.slice(0, 5).map((f) => f.flag_key).join(', ')}`, field);
}

export interface ResolveInput {
    flag_ids?: readonly string[];
    group_id?: string;
    resolution: 'resolved' | 'dismissed';
    reason: string;
}

export async function resolveFlags(cap: Capture, actor: AuditWho, reviewer: Reviewer, input: ResolveInput): Promise<{ resolved: number; flag_ids: string[]; group_id: string | null }> {
    const reason = input.reason.trim();
    if (reason.length < 3) throw new CaptureError(400, 'give a reason', 'reason');
    let flags: FlagRow[];
    const field = input.group_id ? 'group_id' : 'flag_ids';
    if (input.group_id) {
        flags = await cap.warehouse.all<FlagRow>(
            `select f.flag_key, f.rule, f.project_id, f.person_id
             from marts.fct_review_flags f left join canonical.time_entries e on e.entry_id = f.entry_id
             where f.rule in (select unnest(from_json($2::json, '["VARCHAR"]'))) and f.project_id is not null and ${GROUP_ID_SQL} = $1`,
            [input.group_id, JSON.stringify(GROUPED_RULES)],
        );
        if (flags.length === 0) throw new CaptureError(404, `no flag group "${input.group_id}"`, 'group_id');
    } else {
        const ids = [...new Set(input.flag_ids ?? [])];
        flags = await cap.warehouse.all<FlagRow>(`select flag_key, rule, project_id, person_id from marts.fct_review_flags where flag_key in (${IDS('$1')})`, [JSON.stringify(ids)]);
        const missing = ids.filter((id) => !flags.some((f) => f.flag_key === id));
        if (missing.length > 0) throw new CaptureError(404, `no flag ${missing.slice(0, 10).join(', ')}`, 'flag_ids');
    }
    await inScope(cap, reviewer, flags, field);
    const by = reviewer.person_id ?? actor.actor;
    const keys = flags.map((f) => f.flag_key);
    await cap.queue.write(async (ctx) => {
        const now = new Date().toISOString();
        const rows = input.group_id ? [input.group_id, ...keys] : keys;
        await cap.warehouse.run(
            `insert into capture.flag_resolutions (flag_key, group_id, resolution, reason, resolved_by, resolved_at)
             select unnest(from_json($1::json, '["VARCHAR"]')), $2, $3, $4, $5, $6::timestamptz`,
            [JSON.stringify(rows), input.group_id ?? null, input.resolution, reason, by, now],
        );
        const action = input.resolution === 'resolved' ? 'resolve' : 'dismiss';
        if (input.group_id) {
            ctx.audit({ ...actor, action, entity: 'flag_group', entity_id: input.group_id, after: { resolution: input.resolution, flags: keys.length }, reason });
        } else {
            ctx.audit(...keys.map((key) => ({ ...actor, action, entity: 'flag', entity_id: key, after: { resolution: input.resolution }, reason })));
        }
    });
    return { resolved: keys.length, flag_ids: keys.slice(0, 10_000), group_id: input.group_id ?? null };
}
