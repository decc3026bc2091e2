/**
 * Named queries over the projects' marts (marts.dim_projects, the budget burn and estimate-vs-actual marts):
 * the routes call these, never SQL of their own. Every value is bound; identifiers come from allow-lists here.
 */
import { INTERNAL_CLIENT_NAME } from '../../lib/internal-work.ts';
import { literal, type Warehouse } from '../../warehouse/warehouse.ts';
import type { BurnMonth, BurnRow, EvidenceRow } from '../schemas/projects.ts';
import type { CloseoutAnswer } from '../schemas/quotes.ts';

/** Whether marts.dim_projects holds the project. */
export async function projectExists(w: Warehouse, projectId: string): Promise<boolean> {
    return (await w.one(`select 1 as x from marts.dim_projects where project_id = $id`, { id: projectId })) !== undefined;
}

export interface BurnFilter {
    as_of: string;
    client_id?: string;
    project_id?: string;
    project_type?: string;
    /** Only projects at or above this alert level. */
    alert?: number;
    /** Our SQL over b.project_id with its values already bound in `params` (a manager's projects), or null. */
    condition: string | null;
    params: Record<string, string | number>;
}

/** Budget burn of the budgeted projects as of a day (marts.fct_budget_burn_daily), highest burn first. */
export function budgetBurnAsOf(w: Warehouse, f: BurnFilter): Promise<BurnRow[]> {
    const params: Record<string, string | number> = { ...f.params, as_of: f.as_of };
    const where = [`b.as_of = $as_of::date`];
    for (const key of ['client_id', 'project_id', 'project_type'] as const) {
        const value = f[key];
        if (value === undefined) continue;
        params[key] = value;
        where.push(`p.${key} = $${key}`);
    }
    if (f.alert !== undefined) {
        params.alert = f.alert;
        where.push(`b.alert_level >= $alert`);
    }
    if (f.condition) where.push(f.condition);
    return w.all<BurnRow>(
        `select b.project_id, p.project_name, p.client_id, coalesce(p.client_name, ${literal(INTERNAL_CLIENT_NAME)}) as client_name, p.project_type, b.billing_model, p.status, p.start_date::varchar as start_date,
                p.end_date::varchar as end_date, b.budget_basis, b.budget_hours::double as budget_hours, b.hours_used::double as hours_used,
                b.billable_hours_used::double as billable_hours_used, b.burn, b.share_elapsed, b.share_complete, b.eac_method, b.eac_hours,
                b.alert_level
         from marts.fct_budget_burn_daily b join marts.dim_projects p using (project_id)
         where ${where.join(' and ')} order by b.burn desc nulls last`,
        params,
    );
}

/** A project's burn month by month (marts.fct_budget_burn_monthly), through the month of `asOf`. */
export function budgetBurnByMonth(w: Warehouse, projectId: string, asOf: string): Promise<BurnMonth[]> {
    return w.all<BurnMonth>(
        `select month::varchar as month, month_end::varchar as month_end, hours::double as hours, hours_used::double as hours_used,
                billable_hours_used::double as billable_hours_used, budget_basis, budget_hours::double as budget_hours,
                share_elapsed::double as share_elapsed, share_complete::double as share_complete, burn::double as burn,
                eac_method, eac_hours::double as eac_hours, alert_level
         from marts.fct_budget_burn_monthly where project_id = $1 and month <= date_trunc('month', $2::date) order by month`,
        [projectId, asOf],
    );
}

/**
 * Closeout evidence of closed projects by type and phase, and by role unless `byRole` is false (the marts
 * marts.fct_estimate_vs_actual_by_type and _by_type_phase, their rows as they are).
 */
export function estimateRatiosByType(
    w: Warehouse,
    filter: { project_type?: string; phase?: string; role?: string },
    byRole: boolean,
): Promise<EvidenceRow[]> {
    const params: Record<string, string> = {};
    const where: string[] = [];
    for (const key of ['project_type', 'phase', ...(byRole ? (['role'] as const) : [])] as const) {
        const value = filter[key];
        if (value === undefined) continue;
        params[key] = value;
        where.push(`${key} = $${key}`);
    }
    const mart = byRole ? 'marts.fct_estimate_vs_actual_by_type' : 'marts.fct_estimate_vs_actual_by_type_phase';
    return w.all<EvidenceRow>(
        `select * replace (estimated_hours::double as estimated_hours) from ${mart} ${where.length ? `where ${where.join(' and ')}` : ''} order by all`,
        params,
    );
}

/** What a closeout says of its project (marts.dim_projects); undefined when there is no such project. */
export function closeoutProject(w: Warehouse, projectId: string): Promise<CloseoutAnswer['project'] | undefined> {
    return w.one<CloseoutAnswer['project']>(
        `select project_id, project_name, coalesce(client_name, ${literal(INTERNAL_CLIENT_NAME)}) as client_name, project_type, billing_model, status, start_date::varchar as start_date, end_date::varchar as end_date
         from marts.dim_projects where project_id = $id`,
        { id: projectId },
    );
}

/** A project's baseline lines and the cells it logged without one, with their actual hours (marts.fct_estimate_vs_actual). */
export function closeoutLines(
    w: Warehouse,
    projectId: string,
): Promise<{ phase: string; role: string; estimated_hours: number | null; actual_hours: number; ratio: number | null; is_unplanned: boolean }[]> {
    return w.all(
        `select phase, role, estimated_hours::double as estimated_hours, actual_hours::double as actual_hours, ratio::double as ratio, is_unplanned
         from marts.fct_estimate_vs_actual where project_id = $id and (is_planned or is_unplanned) order by phase, role`,
        { id: projectId },
    );
}

/** Whether the project is in the reference class of quotes: closed, with a baseline plan and time logged. */
export async function inReferenceClass(w: Warehouse, projectId: string): Promise<boolean> {
    const row = await w.one<{ member: boolean }>(
        `select bool_and(project_status = 'closed' and project_has_baseline and project_has_entries) as member from marts.fct_estimate_vs_actual where project_id = $id`,
        { id: projectId },
    );
    return row?.member === true;
}
