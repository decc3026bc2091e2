/**
 * Who may see which person's figures (PRODUCT.md: "People see their own entries; managers see their
 * projects; leadership sees aggregates and drill-downs"). Applies to the metrics whose grain has a person
 * (group_by=person or a person_id filter); the others have no individuals to protect.
 *
 *  - Anyone whose token names a person may ask for their own figures (person_id = themself).
 *  - project_manager: the people who logged time, between from and to (through as_of), on a project whose
 *    manager_id is the manager — "their people". Where the metric's grain has a project (review flags), the
 *    rows are also restricted to the manager's projects, plus their people's rows that belong to no
 *    project (missing days); where it has none (utilization, logging latency: person × week over all
 *    work), their people's rows are whole.
 *  - engineer: themself only, and only by asking for it (person_id = themself): an engineer's request
 *    without it would read like a firm aggregate.
 *  - leadership, finance (and sales): aggregates only (by role, department, week, month); a request for
 *    individuals is a 403 that says why and what to ask instead.
 *
 * And which projects' figures (PRODUCT.md: "managers see their projects"): leadership and finance every
 * project; a project_manager the figures of the projects whose manager_id is theirs — every metric whose
 * grain has a project (retainers, estimate vs actual, review flags), budget burn, a project's closeout and
 * the saved quotes linked to it, a project's contract value and budget hours in the labels. Aggregates that
 * single out no project (closeout evidence by type, the quote backtest, utilization by role) stay open.
 * Engineers and sales get no project's contract value or budget hours; sales keep the firm's history in
 * hours (estimate vs actual, closeouts) that quotes are made from.
 */
import { ident, type Params, type Warehouse } from '../../warehouse/warehouse.ts';
import type { Caller, Role } from '../plugins/auth.ts';
import { HttpProblem } from '../plugins/problem.ts';
import type { Dimension, FilterKey, MetricQuery } from './filters.ts';

/** The rule, as the OpenAPI description and the README state it. */
export const PERSON_ACCESS_RULE =
    'Individuals (group_by=person or person_id): everyone may ask for their own figures (person_id = the person their token names). ' +
    'A project_manager gets the people who logged time, between from and to, on a project they manage (projects.manager_id); ' +
    'where the grain has a project the rows are restricted to those projects (plus their people’s rows that belong to no project), ' +
    'elsewhere a person’s rows cover all their work. An engineer gets themself only and must ask with person_id. ' +
    'Leadership and finance get aggregates (group by role, department, week or month): asking them for individuals is a 403.';

/** The project rule, as the OpenAPI descriptions and the README state it. */
export const PROJECT_ACCESS_RULE =
    'Projects: leadership and finance see every project; a project_manager sees the figures of the projects they manage (projects.manager_id), other projects are left out or a 403.';

/**
 * What the rule reads of a metric (server/api/metric.ts's MetricDefinition has it all). Stated here, not
 * imported: metric.ts applies this rule, so importing its types back would tie the two modules together.
 */
export interface ScopedMetric {
    name: string;
    /** Who may call it. */
    roles: readonly Role[];
    /** Dimension → mart column. */
    dimensions: Partial<Record<Dimension, string>>;
    /** Filter → mart column. */
    filters: Partial<Record<FilterKey, string>>;
}

/** True when the metric's grain can single out a person. */
export function hasPersonGrain(def: Pick<ScopedMetric, 'dimensions' | 'filters'>): boolean {
    return Boolean(def.dimensions.person || def.filters.person_id);
}

/** Where a person-level answer was narrowed, in words (the response's `scope`). */
export interface PersonScope {
    /** Extra SQL condition over the mart (our SQL; values bound into `params`). */
    condition: string | null;
    /** What the rows cover, for the client to say. */
    scope: string | null;
}

/**
 * How a metric request is checked and narrowed for its caller: the metric, the request's person and period,
 * who asks, and the bound parameters the answer's condition adds to (`params` already holds `as_of`).
 */
type Scoping = (
    warehouse: Warehouse,
    def: ScopedMetric,
    q: Pick<MetricQuery, 'person_id' | 'group_by' | 'from' | 'to'>,
    caller: Caller,
    params: Params & Record<string, string>,
) => Promise<PersonScope>;

const forbidden = (detail: string) => new HttpProblem(403, 'Not allowed: individual figures', detail);
const notTheirs = (detail: string) => new HttpProblem(403, 'Not allowed: not your project', detail);

/** The projects a manager manages, over a bound $viewer. */
const MANAGED = `select project_id from marts.dim_projects where manager_id = $viewer`;

/** True when the caller sees only the projects they manage. */
export function managesOwnOnly(caller: Caller): boolean {
    return caller.role === 'project_manager';
}

/** The manager's person id; a 403 when their token names none (no project can be theirs). */
function managerOf(caller: Caller): string {
    if (!caller.person_id) throw notTheirs('Your token names no person, so no project is yours: a project manager sees the figures of the projects they manage.');
    return caller.person_id;
}

/**
 * For a project_manager, the condition that keeps the rows of the projects they manage (`column` is our SQL,
 * the manager bound as $viewer in `params`); null for the roles that see every project.
 */
export function managedProjectsCondition(caller: Caller, params: Record<string, unknown>, column = '"project_id"'): string | null {
    if (!managesOwnOnly(caller)) return null;
    params.viewer = managerOf(caller);
    return `${column} in (${MANAGED})`;
}

/** The projects whose figures the caller sees: null for all, else the ids a project_manager manages. */
export async function visibleProjects(warehouse: Warehouse, caller: Caller): Promise<ReadonlySet<string> | null> {
    if (!managesOwnOnly(caller)) return null;
    const rows = await warehouse.all<{ project_id: string }>(MANAGED, { viewer: managerOf(caller) });
    return new Set(rows.map((r) => r.project_id));
}

/** A 403 naming the project when it is not the caller's (`rule`: e.g. "sees the closeout of their own projects only"). */
export async function checkProject(warehouse: Warehouse, caller: Caller, projectId: string, rule: string): Promise<void> {
    const visible = await visibleProjects(warehouse, caller);
    if (visible && !visible.has(projectId)) throw notTheirs(`${projectId} is not a project you manage; a project manager ${rule}.`);
}

/**
 * Where a metric's answer is narrowed for the caller: individuals as personScope allows, and for a
 * project_manager the projects they manage wherever the grain has a project (review flags keep their
 * people's rows that belong to no project, as personScope does).
 */
export const metricScope: Scoping = async (warehouse, def, q, caller, params) => {
    if (hasPersonGrain(def)) return personScope(warehouse, def, q, caller, params);
    const condition = def.dimensions.project ? managedProjectsCondition(caller, params, ident(def.dimensions.project)) : null;
    return condition ? { condition, scope: 'the projects you manage' } : { condition: null, scope: null };
};

/** The people who logged time on the manager's projects in the period (a subquery over bound parameters). */
function teamSql(q: Pick<MetricQuery, 'from' | 'to'>, params: Record<string, string>): string {
    const period = [`e.work_date <= $as_of::date`];
    if (q.from) {
        params.team_from = q.from;
        period.push(`e.work_date >= $team_from::date`);
    }
    if (q.to) {
        params.team_to = q.to;
        period.push(`e.work_date <= $team_to::date`);
    }
    return (
        `select distinct e.person_id from intermediate.int_entries_priced e ` +
        `where e.project_id in (select project_id from marts.dim_projects where manager_id = $viewer) and ${period.join(' and ')}`
    );
}

/**
 * Checks a metric request against the rule above and returns the condition that narrows it. Throws 403
 * problem details that say why. `params` must already hold `as_of` (whereClause sets it).
 */
export const personScope: Scoping = async (warehouse, def, q, caller, params) => {
    const open: PersonScope = { condition: null, scope: null };
    const self = caller.person_id;
    const own = self !== null && q.person_id === self;
    if (own) return { condition: null, scope: 'your own figures' };
    const individual = hasPersonGrain(def) && (q.person_id !== undefined || q.group_by.includes('person'));
    const ownHint = self ? ` Your own figures: person_id=${self}.` : '';
    if (!def.roles.includes(caller.role)) {
        // The route is open to every role for their own figures only.
        throw new HttpProblem(
            403,
            'Not allowed',
            `${caller.role} may not call ${def.name} except for their own figures; its other answers serve ${def.roles.join(', ')}.${ownHint}`,
        );
    }
    // A manager's aggregates over a grain with a project are narrowed as their individuals are.
    const managerAggregate = !individual && managesOwnOnly(caller) && Boolean(def.dimensions.project);
    if (!individual && !managerAggregate) return open;
    switch (caller.role) {
        case 'project_manager': {
            if (!self) {
                throw (individual ? forbidden : notTheirs)(
                    `Your token names no person, so no project is yours: a project manager sees the ${individual ? 'people' : 'figures'} of the projects they manage.`,
                );
            }
            params.viewer = self;
            const team = teamSql(q, params);
            if (q.person_id !== undefined) {
                const check: Record<string, string> = { as_of: params.as_of!, viewer: self, person_asked: q.person_id };
                const found = await warehouse.one(`select 1 as found from (${teamSql(q, check)}) t where t.person_id = $person_asked`, check);
                if (!found) {
                    throw forbidden(
                        `${q.person_id} has logged no time${q.from || q.to ? ` between ${q.from ?? 'the start'} and ${q.to ?? 'as_of'}` : ''} on a project you manage; a project manager sees only the people of their projects.`,
                    );
                }
            }
            if (def.dimensions.project) {
                return {
                    condition: `("project_id" in (select project_id from marts.dim_projects where manager_id = $viewer) or ("project_id" is null and "person_id" in (${team})))`,
                    scope: 'the projects you manage, and the people who logged time on them',
                };
            }
            return { condition: `"person_id" in (${team})`, scope: 'the people who logged time on the projects you manage (all their work)' };
        }
        case 'engineer':
            throw forbidden(self ? `An engineer sees their own figures only: ask with person_id=${self}.` : 'An engineer sees their own figures only, and your token names no person.');
        default:
            throw forbidden(
                `${caller.role} sees people in aggregate — group by role or department (/api/utilization/by-department) — not one by one: individual figures are for the person themself and for the managers of the projects they work on.${ownHint}`,
            );
    }
};
