/**
 * GET /api/drill/:metric — the rows behind a figure, paged and sortable, with the sum of their amount so a
 * client can check it equals the figure. JSON or Arrow.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ident, type Warehouse } from '../../../warehouse/warehouse.ts';
import { drillsOf, type DrillPart } from '../../api/drill.ts';
import { drillQuery, periodProblem } from '../../api/filters.ts';
import { firmContext, whereClause } from '../../api/metric.ts';
import { sendArrow, wantsArrow } from '../../plugins/arrow.ts';
import { badRequest, HttpProblem } from '../../plugins/problem.ts';
import { ROLE_GROUPS } from '../../roles.ts';
import { drillAnswer } from '../../schemas/drill.ts';

export const drillRoutes: FastifyPluginAsyncZod = async (app) => {
    // The funnel's parts are those its mart's .yml declares, in the models this server serves.
    const drills = drillsOf(app.catalog);
    const drillByMetric = new Map(drills.map((d) => [d.metric, d]));
    const columnsCache = new Map<string, string[]>();
    const columnsOf = async (sql: string): Promise<string[]> => {
        let cols = columnsCache.get(sql);
        if (!cols) {
            cols = (await app.warehouse.all<{ column_name: string }>(`describe select * from (${sql})`)).map((r) => r.column_name);
            columnsCache.set(sql, cols);
        }
        return cols;
    };
    app.get(
        '/drill/:metric',
        {
            config: { roles: ROLE_GROUPS.history },
            schema: {
                summary: 'The rows behind a figure',
                description: `Metrics and their parts: ${drills.map((d) => `${d.metric} (${Object.keys(d.parts).join(', ')})`).join('; ')}. The sum of the rows' amount over all pages is \`total_amount\`.`,
                tags: ['drill'],
                params: z.strictObject({ metric: z.string() }),
                querystring: drillQuery,
                response: { 200: drillAnswer },
            },
        },
        async (request, reply) => {
            const def = drillByMetric.get(request.params.metric);
            if (!def) throw new HttpProblem(404, 'No such drill-down', `no drill-down for "${request.params.metric}"; available: ${drills.map((d) => d.metric).join(', ')}`);
            if (!def.roles.includes(request.caller.role)) throw new HttpProblem(403, 'Not allowed', `${request.caller.role} may not drill into ${def.metric}`);
            const q = request.query;
            const problem = periodProblem(q);
            if (problem) throw badRequest(...problem);
            if (q.month && q.as_of && q.as_of < q.month) throw badRequest('month', `month ${q.month.slice(0, 7)} begins after as_of (${q.as_of}); its rows are not counted yet`);
            const partName = q.part ?? def.defaultPart;
            // Own parts only: a part named like an Object member (constructor, __proto__) is not one.
            const part = Object.hasOwn(def.parts, partName) ? def.parts[partName] : undefined;
            if (!part) throw badRequest('part', `${def.metric} has parts ${Object.keys(def.parts).join(', ')}`);
            const columns = await columnsOf(part.sql);
            const sort = q.sort ?? part.defaultSort;
            if (!columns.includes(sort)) throw badRequest('sort', `sort by one of: ${columns.join(', ')}`);
            const firm = await firmContext(app.warehouse);
            const params: Record<string, string> = {};
            const range = q.month ? { from: q.month, to: lastDayOfMonth(q.month) } : {};
            const where = whereClause(
                { name: `drill/${def.metric}`, grain: partName, date: part.date, accrued: part.accrued, filters: part.filters },
                { ...q, ...clip(q, range) },
                q.as_of ?? firm.as_of,
                params,
                firm.horizon,
            );
            // PRODUCT.md: managers see their projects. A project manager's rows are those of the projects they
            // manage; leadership and finance see every row (the drill-downs are theirs).
            let scoped = where;
            if (request.caller.role === 'project_manager') {
                const projectColumn = part.filters.project_id;
                if (!projectColumn || !request.caller.person_id) {
                    throw new HttpProblem(403, 'Not allowed', `a project manager drills into the rows of their own projects; ${def.metric} (${partName}) has no project to restrict it to`);
                }
                params.manager_id = request.caller.person_id;
                scoped += ` and ${ident(projectColumn)} in (select project_id from staging.stg_projects where manager_id = $manager_id)`;
            }
            const base = `select * from (${part.sql}) d ${scoped}`;
            const offset = (q.page - 1) * q.page_size;
            const order = `order by ${ident(sort)} ${q.order} nulls last${part.key && part.key !== sort ? `, ${ident(part.key)}` : ''}`;
            let totals: { n: number; amount: number | null };
            let page = `select * from (${base}) ${order} limit ${q.page_size} offset ${offset}`;
            let pageParams = params;
            if (part.summary && part.seek && sort === part.seek) {
                // The summary counts rows per date value, so it says which dates hold this page: the page query
                // then reads only those (a range on the column the table is stored by) instead of every row.
                const seek = await pageDates(app.warehouse, `select * from (${part.summary}) d ${scoped}`, part, q.order, offset, q.page_size, params);
                totals = seek;
                if (seek.window === 'empty') page = '';
                else if (seek.window) {
                    pageParams = { ...params, seek_first: seek.window.first, seek_last: seek.window.last };
                    const column = ident(part.seek);
                    page = `select * from (${base}) where ${column} between $seek_first and $seek_last ${order} limit ${q.page_size} offset ${offset - seek.window.skipped}`;
                }
            } else {
                totals = (await app.warehouse.one<{ n: number; amount: number | null }>(
                    part.summary
                        ? `select coalesce(sum(row_count), 0)::bigint as n, sum(${ident(part.amount)})::double as amount from (${part.summary}) d ${scoped}`
                        : `select count(*)::bigint as n, sum(${ident(part.amount)})::double as amount from (${base})`,
                    params,
                ))!;
            }
            const rows = page ? await app.warehouse.all<Record<string, string | number | boolean | null>>(page, pageParams) : [];
            for (const r of rows) for (const [k, v] of Object.entries(r)) if (typeof v === 'object' && v !== null) r[k] = JSON.stringify(v);
            if (wantsArrow(request)) {
                return sendArrow(reply, rows, { metric: def.metric, part: partName, 'total-rows': String(totals.n), 'total-amount': String(totals.amount ?? 0) });
            }
            return reply.serializer(JSON.stringify).send({
                metric: def.metric,
                part: partName,
                description: part.description,
                amount_column: part.amount,
                currency: firm.currency,
                total_rows: totals.n,
                total_amount: Math.round((totals.amount ?? 0) * 1e6) / 1e6,
                page: q.page,
                page_size: q.page_size,
                columns,
                rows,
            });
        },
    );
};

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

function lastDayOfMonth(first: string): string {
    const d = new Date(`${first}T00:00:00Z`);
    return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).toISOString().slice(0, 10);
}

/** A month narrows the period: the later start and the earlier end win. */
function clip(q: { from?: string; to?: string }, range: { from?: string; to?: string }): { from?: string; to?: string } {
    const from = [q.from, range.from].filter(Boolean).sort().at(-1);
    const to = [q.to, range.to].filter(Boolean).sort()[0];
    return { from, to };
}
