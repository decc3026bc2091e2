/**
 * Named queries over the dimension marts (marts.dim_clients, dim_projects, dim_people) and the funnel's months:
 * the labels behind the filters, the people directory, and who a token's person is.
 */
import { INTERNAL_CLIENT_NAME } from '../../lib/internal-work.ts';
import { literal, type Warehouse } from '../../warehouse/warehouse.ts';
import type { ClientDim, Dimensions, PersonDim, ProjectDim } from '../schemas/dimensions.ts';

/** The first and last month with funnel figures, through `asOf`. */
export function monthRange(w: Warehouse, asOf: string): Promise<{ first_month: string | null; last_month: string | null } | undefined> {
    return w.one<{ first_month: string | null; last_month: string | null }>(
        `select min(month)::varchar as first_month, max(month)::varchar as last_month from marts.fct_margin_funnel where month <= $1::date`,
        [asOf],
    );
}

export function clientLabels(w: Warehouse): Promise<ClientDim[]> {
    return w.all<ClientDim>(`select client_id, client_name, currency, projects, active_projects from marts.dim_clients order by client_name`);
}

/** Every project with its terms (contract value, budget hours): the caller's view leaves out what is not theirs. */
export function projectLabels(w: Warehouse): Promise<ProjectDim[]> {
    return w.all<ProjectDim>(
        `select project_id, code, project_name, client_id, coalesce(client_name, ${literal(INTERNAL_CLIENT_NAME)}) as client_name, billing_model,
                is_client_work, project_type, manager_id, manager_name,
                start_date::varchar as start_date, end_date::varchar as end_date, status, budget_hours::double as budget_hours,
                contract_value::double as contract_value, currency
         from marts.dim_projects order by client_name nulls last, project_name`,
    );
}

export function roleHeadcounts(w: Warehouse): Promise<Dimensions['roles']> {
    return w.all<Dimensions['roles'][number]>(`select role, count(*)::integer as people from marts.dim_people group by role order by role`);
}

export function departmentHeadcounts(w: Warehouse): Promise<Dimensions['departments']> {
    return w.all<Dimensions['departments'][number]>(
        `select coalesce(nullif(department, ''), '(none)') as department, count(*)::integer as people from marts.dim_people group by 1 order by 1`,
    );
}

export async function projectTypes(w: Warehouse): Promise<string[]> {
    return (await w.all<{ project_type: string }>(`select distinct project_type from marts.dim_projects order by 1`)).map((t) => t.project_type);
}

/** The people directory: everyone, by role and name. */
export function peopleDirectory(w: Warehouse): Promise<PersonDim[]> {
    return w.all<PersonDim>(
        `select person_id, name, role, coalesce(nullif(department, ''), '(none)') as department, is_active,
                current_weekly_hours::double as weekly_hours
         from marts.dim_people order by role, name`,
    );
}

/** The person a token names, as /api/me tells them; undefined when dim_people has no such person. */
export function personOf(w: Warehouse, personId: string): Promise<{ name: string; role: string; department: string | null } | undefined> {
    return w.one<{ name: string; role: string; department: string | null }>(`select name, role, department from marts.dim_people where person_id = $1`, [personId]);
}
