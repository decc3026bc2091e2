/**
 * What a person may log time on: the active projects they are staffed on — they manage it, or its plan has a
 * line for their role — or have logged time on before; for each, the phases (the plan's, then those logged),
 * and the firm's activities with their billable default (the project's, except admin, which is never billed).
 */
import { clientNameOf } from '../../lib/internal-work.ts';
import type { Warehouse } from '../../warehouse/warehouse.ts';

/** The activities every firm has (PRODUCT.md); a firm's own come from its logged time. */
export const BASE_ACTIVITIES = ['development', 'meeting', 'qa', 'pm', 'admin'] as const;

export interface ProjectOption {
    project_id: string;
    name: string;
    /** The client's name, or lib/internal-work.ts's name for internal work. */
    client_name: string;
    billable_default: boolean;
    phases: string[];
    activities: { activity: string; billable_default: boolean }[];
}

export const activityBillable = (projectBillable: boolean, activity: string) => projectBillable && activity !== 'admin';

export async function firmActivities(warehouse: Warehouse): Promise<string[]> {
    const rows = await warehouse.all<{ activity: string }>(`select distinct activity from canonical.time_entries where activity is not null`);
    return [...new Set([...BASE_ACTIVITIES, ...rows.map((r) => r.activity)])].sort();
}

export async function captureOptions(warehouse: Warehouse, personId: string, activities?: Promise<string[]>): Promise<ProjectOption[]> {
    const rows = await warehouse.all<{ project_id: string; name: string; client_name: string | null; billable_default: boolean; phases: string[] | null }>(
        `with person as (
            select person_id, role from canonical.people where person_id = $1
        ),
        staffed as (
            select project_id from canonical.projects where manager_id = $1
            union
            select pl.project_id from canonical.plan_lines pl join person on pl.role = person.role
            union
            select distinct project_id from canonical.time_entries where person_id = $1
        ),
        projects as (
            select p.project_id, p.name, c.name as client_name, p.billing_model <> 'non_billable' as billable_default
            from canonical.projects p
            left join canonical.clients c on c.client_id = p.client_id
            where p.status = 'active' and p.project_id in (select project_id from staffed)
        ),
        phases as (
            select project_id, phase, min(rank) as rank
            from (
                select project_id, phase, 0 as rank from canonical.plan_lines where project_id in (select project_id from projects)
                union all
                select project_id, phase, 1 from canonical.time_entries
                where person_id = $1 and phase is not null and project_id in (select project_id from projects)
            )
            group by project_id, phase
        ),
        final as (
            select p.*, (select list(ph.phase order by ph.rank, ph.phase) from phases ph where ph.project_id = p.project_id) as phases
            from projects p
        )
        select * from final order by name, project_id`,
        [personId],
    );
    const firm = await (activities ?? firmActivities(warehouse));
    return rows.map((r) => ({
        project_id: r.project_id,
        name: r.name,
        client_name: clientNameOf(r.client_name),
        billable_default: r.billable_default,
        phases: [...(r.phases ?? [])],
        activities: firm.map((activity) => ({ activity, billable_default: activityBillable(r.billable_default, activity) })),
    }));
}

interface Scope {
    at: number;
    projects: Map<string, ProjectOption>;
}

/** The tables a person's scope reads besides their own entries: a committed write to one of them empties the cache. */
const SCOPE_TABLES = ['projects', 'clients', 'people', 'plan_lines'] as const;

/**
 * The options per person, kept while the firm's projects, clients, people and plans are unchanged (for at most
 * `ttlMs`): every save checks its project and activity against them, and at a few thousand saves a second a
 * query per save — each scanning the person's entries — would take the cores from the saves. What a save
 * finds missing is looked up again before it is refused (a project just logged on by an import, an activity an
 * import brought), so the cache can only be late in allowing, never in refusing, and only until the next write
 * to those tables or `ttlMs`.
 */
export class ScopeCache {
    private readonly warehouse: Warehouse;
    private readonly ttlMs: number;
    private readonly scopes = new Map<string, Promise<Scope>>();
    private activities: { at: number; list: Promise<string[]> } | null = null;
    /** The tables' commit count the cached scopes were read at. */
    private epoch = -1;

    constructor(warehouse: Warehouse, ttlMs = 60_000) {
        this.warehouse = warehouse;
        this.ttlMs = ttlMs;
    }

    /**
     * The project if the person may log time on it (and, given `activity`, that activity is one of the firm's);
     * what the kept copy lacks is read again before the answer is no.
     */
    async project(personId: string, projectId: string, activity?: string): Promise<ProjectOption | undefined> {
        const epoch = this.warehouse.commitsTo(SCOPE_TABLES);
        if (epoch !== this.epoch) {
            this.forget();
            this.epoch = epoch;
        }
        let scope = this.scopes.get(personId);
        if (scope && Date.now() - (await scope).at > this.ttlMs) scope = undefined;
        if (!scope) {
            scope = captureOptions(this.warehouse, personId, this.firmActivities()).then((projects) => ({ at: Date.now(), projects: new Map(projects.map((p) => [p.project_id, p])) }));
            scope.catch(() => this.scopes.delete(personId));
            this.scopes.set(personId, scope);
            if (this.scopes.size > 10_000) this.scopes.delete(this.scopes.keys().next().value!);
        }
        const found = (await scope).projects.get(projectId);
        const known = (p: ProjectOption) => activity === undefined || p.activities.some((a) => a.activity === activity);
        if (found && known(found)) return found;
        // Logging on a project adds it to the person's scope (a project just staffed is looked up again at once);
        // an import may bring an activity: the firm's list is read again too.
        this.scopes.delete(personId);
        if (found) this.activities = null;
        return (await captureOptions(this.warehouse, personId, this.firmActivities())).find((p) => p.project_id === projectId);
    }

    /** The firm's activities, read once for every person's scope. */
    private firmActivities(): Promise<string[]> {
        if (!this.activities || Date.now() - this.activities.at > this.ttlMs) {
            const list = firmActivities(this.warehouse);
            list.catch(() => (this.activities = null));
            this.activities = { at: Date.now(), list };
        }
        return this.activities.list;
    }

    /** Reads everything again on the next save. */
    private forget(): void {
        this.scopes.clear();
        this.activities = null;
    }
}
