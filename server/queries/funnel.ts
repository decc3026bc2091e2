/**
 * Named queries behind GET /api/funnel and /api/funnel/breakdown: the funnel mart's columns summed over a scope,
 * each rounded to the cent in SQL (sums stay decimal until then). `columns` are the mart's, from its .yml's
 * semantic block; `where` is whereClause's, its values bound in `params`.
 */
import type { Warehouse } from '../../warehouse/warehouse.ts';

const summed = (columns: readonly string[], alias = '') => columns.map((c) => `round(coalesce(sum(${alias}${c}), 0), 2)::double as ${c}`).join(', ');

/** The columns summed over the scope: one row. */
export async function funnelSums(w: Warehouse, mart: string, columns: readonly string[], where: string, params: Record<string, string>): Promise<Record<string, number>> {
    return (await w.one<Record<string, number>>(`select ${summed(columns)} from ${mart} ${where}`, params))!;
}

/** How a breakdown groups the funnel: the group's key and its label, over the mart as f. */
const GROUPS = {
    client: { key: 'f.client_id', label: 'max(d.client_name)' },
    project: { key: 'f.project_id', label: 'max(p.project_name)' },
    project_type: { key: 'f.project_type', label: 'min(f.project_type)' },
    month: { key: `f.month::varchar`, label: `strftime(min(f.month), '%Y-%m')` },
} as const;

/**
 * The columns summed by group (client, project, project type or month), each group with its key and label.
 * `where` names the mart's columns as f."column".
 */
export function funnelSumsBy(
    w: Warehouse,
    mart: string,
    by: keyof typeof GROUPS,
    columns: readonly string[],
    where: string,
    params: Record<string, string>,
): Promise<Record<string, string | number>[]> {
    const { key, label } = GROUPS[by];
    return w.all<Record<string, string | number>>(
        `select ${key} as key, ${label} as label, ${summed(columns, 'f.')}
         from ${mart} f
         left join marts.dim_clients d on d.client_id = f.client_id
         left join marts.dim_projects p on p.project_id = f.project_id
         ${where} group by ${key}`,
        params,
    );
}
