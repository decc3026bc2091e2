/**
 * Named queries behind GET /api/drill/:metric: the rows behind a figure, a page at a time, with their count and
 * the sum of their amount. A part's SQL and its columns come from its definition (server/api/drill.ts); the
 * conditions are whereClause's (server/api/metric.ts), their values bound in `params`.
 */
import { ident, type Warehouse } from '../../warehouse/warehouse.ts';
import type { DrillPart } from '../api/drill.ts';

type Row = Record<string, string | number | boolean | null>;

const columnsByWarehouse = new WeakMap<Warehouse, Map<string, string[]>>();

/** The columns a part's rows have (DuckDB's describe of its SQL), asked once per warehouse and part. */
export async function partColumns(w: Warehouse, sql: string): Promise<string[]> {
    let cache = columnsByWarehouse.get(w);
    if (!cache) columnsByWarehouse.set(w, (cache = new Map()));
    let cols = cache.get(sql);
    if (!cols) {
        cols = (await w.all<{ column_name: string }>(`describe select * from (${sql})`)).map((r) => r.column_name);
        cache.set(sql, cols);
    }
    return cols;
}

/** The condition that keeps a project manager's rows: `column` names the project, the manager is bound as $manager_id. */
export function managedRows(column: string): string {
    return `${ident(column)} in (select project_id from staging.stg_projects where manager_id = $manager_id)`;
}

export interface DrillPageRequest {
    part: DrillPart;
    /** The where clause over the part's rows (our SQL, values in params). */
    where: string;
    /** A column of the part (checked against partColumns). */
    sort: string;
    order: 'asc' | 'desc';
    page: number;
    pageSize: number;
    params: Record<string, string>;
}

/**
 * A page of a part's rows, in the order asked (then by the part's key), and how many rows there are in all
 * with the sum of their amount. Values DuckDB returns as objects (lists, structs) come as JSON text.
 */
export async function drillPage(w: Warehouse, r: DrillPageRequest): Promise<{ totals: { n: number; amount: number | null }; rows: Row[] }> {
    const { part, where, sort, params } = r;
    const base = `select * from (${part.sql}) d ${where}`;
    const offset = (r.page - 1) * r.pageSize;
    const order = `order by ${ident(sort)} ${r.order} nulls last${part.key && part.key !== sort ? `, ${ident(part.key)}` : ''}`;
    let totals: { n: number; amount: number | null };
    let page = `select * from (${base}) ${order} limit ${r.pageSize} offset ${offset}`;
    let pageParams = params;
    if (part.summary && part.seek && sort === part.seek) {
        // The summary counts rows per date value, so it says which dates hold this page: the page query
        // then reads only those (a range on the column the table is stored by) instead of every row.
        const seek = await pageDates(w, `select * from (${part.summary}) d ${where}`, part, r.order, offset, r.pageSize, params);
        totals = seek;
        if (seek.window === 'empty') page = '';
        else if (seek.window) {
            pageParams = { ...params, seek_first: seek.window.first, seek_last: seek.window.last };
            const column = ident(part.seek);
            page = `select * from (${base}) where ${column} between $seek_first and $seek_last ${order} limit ${r.pageSize} offset ${offset - seek.window.skipped}`;
        }
    } else {
        totals = await drillTotals(w, part, where, params);
    }
    const rows = page ? await w.all<Row>(page, pageParams) : [];
    for (const row of rows) for (const [k, v] of Object.entries(row)) if (typeof v === 'object' && v !== null) row[k] = JSON.stringify(v);
    return { totals, rows };
}

/** How many rows a part has under a where clause, and the sum of their amount (from its summary when it has one). */
export async function drillTotals(w: Warehouse, part: DrillPart, where: string, params: Record<string, string>): Promise<{ n: number; amount: number | null }> {
    return (await w.one<{ n: number; amount: number | null }>(
        part.summary
            ? `select coalesce(sum(row_count), 0)::bigint as n, sum(${ident(part.amount)})::double as amount from (${part.summary}) d ${where}`
            : `select count(*)::bigint as n, sum(${ident(part.amount)})::double as amount from (select * from (${part.sql}) d ${where})`,
        params,
    ))!;
}

export interface DrillGroupsRequest {
    part: DrillPart;
    /** The where clause over the part's rows, as drillPage takes it. */
    where: string;
    /** The column of the rows to group on (an allow-listed grouping's). */
    column: string;
    /** The columns to sum, the amount first. */
    sums: readonly string[];
    /** Sum the part's summary rather than its rows (it has the group column and every sum). */
    fromSummary: boolean;
    params: Record<string, string>;
}

/**
 * Every group of a part's rows under the same where clause as its pages: the group's value, its row count and
 * the sum of each column, largest amount first (then by the group's value). Money sums come as exact decimal
 * text (to 8 places), for lib/money.ts to apportion; others as numbers.
 */
export async function drillGroups(w: Warehouse, r: DrillGroupsRequest): Promise<Row[]> {
    const { part, where, column, sums, params } = r;
    const source = r.fromSummary ? `select * from (${part.summary}) d ${where}` : `select * from (${part.sql}) d ${where}`;
    const count = r.fromSummary ? 'coalesce(sum(row_count), 0)::bigint' : 'count(*)::bigint';
    const sum = (c: string) => (part.money.includes(c) ? `sum(${ident(c)})::decimal(38, 8)::varchar as ${ident(c)}` : `sum(${ident(c)})::double as ${ident(c)}`);
    const key = ident(column);
    const rows = await w.all<Row>(
        `select ${key}, ${count} as row_count, ${sums.map(sum).join(', ')}
        from (${source})
        group by ${key}
        order by sum(${ident(part.amount)}) desc nulls last, ${key} asc nulls last`,
        params,
    );
    for (const row of rows) if (typeof row[column] === 'object' && row[column] !== null) row[column] = String(row[column]);
    return rows;
}

/**
 * Totals of a part from its summary, and where a page sorted by the part's seek column lies: the first and
 * last value it spans, and how many rows sort before the dates of that window (so the page query's
 * offset is taken within the window). 'empty' when the page is past the last row; no window when the page
 * would reach rows without a date (they sort last, outside any range).
 */
async function pageDates(
    warehouse: Warehouse,
    summary: string,
    part: DrillPart,
    direction: 'asc' | 'desc',
    offset: number,
    size: number,
    params: Record<string, string>,
): Promise<{ n: number; amount: number | null; window?: { first: string; last: string; skipped: number } | 'empty' }> {
    const date = ident(part.seek!);
    const onPage = `before < ${offset + size} and before + n > ${offset}`;
    const found = (await warehouse.one<{ n: number; amount: number | null; lo: string | null; hi: string | null; skipped: number | null; undated: number }>(
        `with placed as (
            select *, coalesce(sum(n) over (order by k ${direction} nulls last rows between unbounded preceding and 1 preceding), 0) as before
            from (select ${date} as k, sum(row_count) as n, sum(${ident(part.amount)}) as amount from (${summary}) group by 1)
        )
        select coalesce(sum(n), 0)::bigint as n, sum(amount)::double as amount,
            (min(k) filter (where ${onPage}))::varchar as lo, (max(k) filter (where ${onPage}))::varchar as hi,
            (min(before) filter (where ${onPage}))::bigint as skipped, count(*) filter (where ${onPage} and k is null)::bigint as undated
        from placed`,
        params,
    ))!;
    const { n, amount } = found;
    if (found.lo === null || found.hi === null) return { n, amount, window: found.undated > 0 ? undefined : 'empty' };
    if (found.undated > 0) return { n, amount };
    return { n, amount, window: { first: found.lo, last: found.hi, skipped: found.skipped ?? 0 } };
}
