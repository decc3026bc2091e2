/**
 * The weekly review queue (GET /api/review/queue): per project the caller reviews, who has not submitted, the
 * week's hours against the baseline plan by phase × role, the people's submitted time, the entries (submitted,
 * approved, rejected — drafts are their person's own) with their flags, and the flags grouped by cause.
 */
import { FLAG_LABELS, GROUP_ID_SQL, GROUPED_RULES, groupIdOf } from '../../capture/review/flags.ts';
import { IDS, readEntries } from '../../capture/time/read.ts';
import { addDays, weekDays, weekStart } from '../../capture/time/week.ts';
import { clientNameOf } from '../../lib/internal-work.ts';
import type { Warehouse } from '../../warehouse/warehouse.ts';
import type { QueueAnswer, QueueProject } from '../schemas/review.ts';

interface Resolution {
    flag_key: string;
    resolution: 'resolved' | 'dismissed';
    reason: string;
    by: string;
    at: string;
}

/** `managed`: the projects a manager reviews; null for every project. */
export async function reviewQueue(warehouse: Warehouse, week: string, projectId: string | null, managed: ReadonlySet<string> | null): Promise<QueueAnswer> {
    const monday = weekStart(week);
    const sunday = addDays(monday, 6);
    const scope = managed ? JSON.stringify([...managed]) : null;
    const projects = await warehouse.all<{ project_id: string; name: string; client_name: string | null }>(
        `with week_projects as (
            select distinct project_id from canonical.time_entries
            where work_date between $1::date and $2::date and status <> 'draft'
        ),
        final as (
            select p.project_id, p.name, c.name as client_name
            from canonical.projects p left join canonical.clients c on c.client_id = p.client_id
            where ($3::varchar is null and p.project_id in (select project_id from week_projects) or p.project_id = $3)
                and ($4::json is null or p.project_id in (select unnest(from_json($4::json, '["VARCHAR"]'))))
        )
        select * from final order by name, project_id`,
        [monday, sunday, projectId, scope],
    );
    if (projects.length === 0) return { week_start: monday, days: weekDays(monday), projects: [] };
    const ids = JSON.stringify(projects.map((p) => p.project_id));

    const entries = await readEntries(
        warehouse,
        `select entry_id from canonical.time_entries where project_id in (${IDS('$1')}) and work_date between $2::date and $3::date and status <> 'draft'`,
        [ids, monday, sunday],
    );
    const names = new Map(
        (
            await warehouse.all<{ person_id: string; name: string }>(
                `select person_id, name from canonical.people where person_id in (
                    select distinct person_id from canonical.time_entries
                    where project_id in (${IDS('$1')}) and work_date between $2::date - 28 and $3::date
                )`,
                [ids, monday, sunday],
            )
        ).map((r) => [r.person_id, r.name]),
    );
    const recent = await warehouse.all<{ project_id: string; person_id: string }>(
        `select distinct project_id, person_id from canonical.time_entries where project_id in (${IDS('$1')}) and work_date between $2::date - 28 and $3::date`,
        [ids, monday, sunday],
    );
    const plan = await warehouse.all<{ project_id: string; phase: string; role: string; planned_hours: number; logged_hours: number; week_hours: number }>(
        `with plan as (
            select project_id, phase, role, sum(estimated_hours)::double as planned_hours
            from canonical.plan_lines where baseline and project_id in (${IDS('$1')})
            group by all
        ),
        logged as (
            select e.project_id, coalesce(e.phase, '(no phase)') as phase, pe.role,
                sum(e.duration_seconds)::double / 3600 as logged_hours,
                sum(case when e.work_date >= $2::date then e.duration_seconds else 0 end)::double / 3600 as week_hours
            from canonical.time_entries e join canonical.people pe on pe.person_id = e.person_id
            where e.project_id in (${IDS('$1')}) and e.work_date <= $3::date and e.status <> 'rejected'
            group by all
        ),
        final as (
            select coalesce(p.project_id, l.project_id) as project_id, coalesce(p.phase, l.phase) as phase, coalesce(p.role, l.role) as role,
                coalesce(p.planned_hours, 0) as planned_hours, coalesce(l.logged_hours, 0) as logged_hours, coalesce(l.week_hours, 0) as week_hours
            from plan p full outer join logged l on l.project_id = p.project_id and l.phase = p.phase and l.role = p.role
        )
        select * from final where planned_hours > 0 or week_hours > 0 order by project_id, phase, role`,
        [ids, monday, sunday],
    );
    const flags = await warehouse.all<{ flag_key: string; rule: string; entry_id: string; project_id: string; phase: string | null; evidence: string; group_id: string | null }>(
        `select f.flag_key, f.rule, f.entry_id, f.project_id, e.phase, f.evidence,
            case when f.rule in (select unnest(from_json($4::json, '["VARCHAR"]'))) then ${GROUP_ID_SQL} end as group_id
         from marts.fct_review_flags f join canonical.time_entries e on e.entry_id = f.entry_id
         where f.project_id in (${IDS('$1')}) and f.work_date between $2::date and $3::date and f.entry_id is not null and e.status <> 'draft'`,
        [ids, monday, sunday, JSON.stringify(GROUPED_RULES)],
    );
    const groupIds = [...new Set(flags.map((f) => f.group_id).filter((g): g is string => g !== null))];
    const resolutions = new Map(
        (
            await warehouse.all<Resolution>(
                `select flag_key, arg_max(resolution, resolved_at) as resolution, arg_max(reason, resolved_at) as reason,
                    arg_max(resolved_by, resolved_at) as by, max(resolved_at) as at
                 from capture.flag_resolutions where flag_key in (${IDS('$1')}) group by flag_key`,
                [JSON.stringify([...flags.map((f) => f.flag_key), ...groupIds])],
            )
        ).map((r) => [r.flag_key, r]),
    );

    const out: QueueProject[] = projects.map((p) => {
        const mine = entries.filter((e) => e.project_id === p.project_id);
        const people = [...new Set(mine.map((e) => e.person_id))].sort().map((person_id) => {
            const theirs = mine.filter((e) => e.person_id === person_id);
            const status_counts = { draft: 0, submitted: 0, approved: 0, rejected: 0 };
            for (const e of theirs) status_counts[e.status]++;
            return {
                person_id,
                name: names.get(person_id) ?? person_id,
                submitted_seconds: theirs.filter((e) => e.status === 'submitted' || e.status === 'approved').reduce((s, e) => s + e.duration_seconds, 0),
                status_counts,
            };
        });
        const submitted = new Set(people.map((x) => x.person_id));
        const not_submitted = [...new Set(recent.filter((r) => r.project_id === p.project_id && !submitted.has(r.person_id)).map((r) => r.person_id))]
            .sort()
            .map((person_id) => ({ person_id, name: names.get(person_id) ?? person_id }));
        const projectFlags = flags.filter((f) => f.project_id === p.project_id);
        const flagsOf = new Map<string, QueueProject['entries'][number]['flags']>();
        for (const f of projectFlags) {
            const list = flagsOf.get(f.entry_id) ?? [];
            const own = resolutions.get(f.flag_key) ?? (f.group_id ? resolutions.get(f.group_id) : undefined);
            list.push({ flag_id: f.flag_key, rule: f.rule, label: FLAG_LABELS[f.rule] ?? f.rule, detail: f.evidence, group_id: f.group_id, resolution: own?.resolution ?? null });
            flagsOf.set(f.entry_id, list);
        }
        const groups = new Map<string, QueueProject['flag_groups'][number]>();
        for (const f of projectFlags) {
            if (!f.group_id) continue;
            const group = groups.get(f.group_id) ?? {
                group_id: groupIdOf(f.rule, f.project_id, f.phase),
                rule: f.rule,
                label: FLAG_LABELS[f.rule] ?? f.rule,
                phase: f.phase,
                detail: f.evidence,
                entry_count: 0,
                entry_ids: [],
                resolution: (() => {
                    const r = resolutions.get(f.group_id);
                    return r ? { resolution: r.resolution, reason: r.reason, by: r.by, at: r.at } : null;
                })(),
            };
            group.entry_count++;
            group.entry_ids.push(f.entry_id);
            groups.set(f.group_id, group);
        }
        return {
            project_id: p.project_id,
            name: p.name,
            client_name: clientNameOf(p.client_name),
            not_submitted,
            plan: plan.filter((l) => l.project_id === p.project_id).map(({ project_id: _p, ...l }) => l),
            people,
            entries: mine.map((e) => ({ ...e, person_name: names.get(e.person_id) ?? null, flags: flagsOf.get(e.entry_id) ?? [] })),
            flag_groups: [...groups.values()],
        };
    });
    return { week_start: monday, days: weekDays(monday), projects: out };
}
