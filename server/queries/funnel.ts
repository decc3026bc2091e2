/**
 * Named queries behind GET /api/funnel and /api/funnel/breakdown: the funnel mart's columns summed over a scope.
 * Money sums come back exact, as decimal text, so that rounding to the cent happens once, in server/api/funnel.ts
 * (lib/money.ts); hours as numbers to 6 decimals. `money` and `hours` are the mart's columns, from its .yml's
 * semantic block; `where` is whereClause's, its values bound in `params`.
 */
import { INTERNAL_CLIENT_NAME } from '../../lib/internal-work.ts';
import { literal, type Warehouse } from '../../warehouse/warehouse.ts';

export interface FunnelColumns {
    money: readonly string[];
    hours: readonly string[];
}

const summed = ({ money, hours }: FunnelColumns, alias = '') =>
    [
        ...money.map((c) => `coalesce(sum(${alias}${c}), 0)::decimal(38, 8)::varchar as ${c}`),
        ...hours.map((c) => `round(coalesce(sum(${alias}${c}), 0), 6)::double as ${c}`),
    ].join(', ');

export type FunnelSumsRow = Record<string, string | number>;

/** The columns summed over the scope: one row. */
export async function funnelSums(w: Warehouse, mart: string, columns: FunnelColumns, where: string, params: Record<string, string>): Promise<FunnelSumsRow> {
    return (await w.one<FunnelSumsRow>(`select ${summed(columns)} from ${mart} ${where}`, params))!;
}

/** How a breakdown groups the funnel: the group's key and its label, over the mart as f. */
const GROUPS = {
    client: { key: 'f.client_id', label: `coalesce(max(d.client_name), ${literal(INTERNAL_CLIENT_NAME)})` },
    project: { key: 'f.project_id', label: 'max(p.project_name)' },
    project_type: { key: 'f.project_type', label: 'min(f.project_type)' },
    month: { key: `f.month::varchar`, label: `strftime(min(f.month), '%Y-%m')` },
} as const;

/**
 * The columns summed by group (client, project, project type or month), each group with its key and label, and
 * the same sums over every group (`whole`: the scope's). `where` names the mart's columns as f."column".
 */
export async function funnelSumsBy(
    w: Warehouse,
    mart: string,
    by: keyof typeof GROUPS,
    columns: FunnelColumns,
    where: string,
    params: Record<string, string>,
): Promise<{ groups: FunnelSumsRow[]; whole: FunnelSumsRow }> {
    const { key, label } = GROUPS[by];
    const rows = await w.all<FunnelSumsRow & { is_whole: boolean }>(
        `select ${key} as key, ${label} as label, grouping(${key}) = 1 as is_whole, ${summed(columns, 'f.')}
         from ${mart} f
         left join marts.dim_clients d on d.client_id = f.client_id
         left join marts.dim_projects p on p.project_id = f.project_id
         ${where} group by grouping sets ((${key}), ())`,
        params,
    );
    // The empty grouping set answers one row even when no row of the mart is in the scope.
    const { is_whole: _, key: __, label: ___, ...whole } = rows.find((r) => r.is_whole)!;
    return { groups: rows.filter((r) => !r.is_whole).map(({ is_whole: _, ...r }) => r), whole };
}
