/**
 * GET /api/drill/:metric — the rows behind a figure, paged and sortable, with the sum of their amount so a
 * client can check it equals the figure. JSON or Arrow.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { drillMoney, drillsOf } from '../../api/drill.ts';
import { groupColumns, groupingsOf, groupMoney, groupsFromSummary, pageOfGroups, readableFor, subtotalColumns } from '../../api/drill-groups.ts';
import { drillQuery, periodProblem } from '../../api/filters.ts';
import { firmContext, whereClause } from '../../api/metric.ts';
import { sendArrow, wantsArrow } from '../../plugins/arrow.ts';
import { badRequest, HttpProblem } from '../../plugins/problem.ts';
import { drillGroups, drillPage, drillTotals, managedRows, partColumns } from '../../queries/drill.ts';
import { ROLE_GROUPS } from '../../roles.ts';
import { DRILL_GROUPINGS, drillAnswer } from '../../schemas/drill.ts';

export const drillRoutes: FastifyPluginAsyncZod = async (app) => {
    // The funnel's parts are those its mart's .yml declares, in the models this server serves.
    const drills = drillsOf(app.catalog);
    const drillByMetric = new Map(drills.map((d) => [d.metric, d]));
    app.get(
        '/drill/:metric',
        {
            config: { roles: ROLE_GROUPS.history },
            schema: {
                summary: 'The rows behind a figure',
                description: `Metrics and their parts: ${drills.map((d) => `${d.metric} (${Object.keys(d.parts).join(', ')})`).join('; ')}. The sum of the rows' amount over all pages is \`total_amount\`; \`money_columns\` are answered to the cent (and \`total_amount\` when it sums one of them), and a page that holds every row has amounts that add up to \`total_amount\` to the cent. With \`group_by\` the rows are groups (those \`groupings\` lists), each with its row count and subtotals, largest amount first; their money subtotals add up to \`total_amount\` (and \`group_totals\`) to the cent, and a group opens as the same drill-down filtered to it.`,
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
            const columns = await partColumns(app.warehouse, part.sql);
            const groupings = groupingsOf(part, columns);
            const grouping = q.group_by ?? null;
            if (grouping && !groupings.includes(grouping)) {
                throw badRequest('group_by', `${def.metric} (${partName}) rows can be grouped by ${groupings.length ? groupings.join(', ') : 'nothing: they have no project, person, client or month to group on'}`);
            }
            const shown = grouping ? groupColumns(part, columns, grouping) : columns;
            const sort = q.sort ?? (grouping ? part.amount : part.defaultSort);
            if (!shown.includes(sort)) throw badRequest('sort', `sort by one of: ${shown.join(', ')}`);
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
                scoped += ` and ${managedRows(projectColumn)}`;
            }
            const summaryColumns = part.summary ? await partColumns(app.warehouse, part.summary) : [];
            const readable = readableFor(part, q, summaryColumns);
            const head = { metric: def.metric, part: partName, description: part.description, amount_column: part.amount, currency: firm.currency, page: q.page, page_size: q.page_size, groupings };
            if (grouping) {
                // The groups of the very rows the pages hold (the same where clause), their money to the cent.
                const sums = subtotalColumns(part, columns);
                const column = DRILL_GROUPINGS[grouping];
                const fromSummary = groupsFromSummary(readable, summaryColumns, grouping, sums);
                const [totals, found] = await Promise.all([
                    drillTotals(app.warehouse, readable, scoped, params),
                    drillGroups(app.warehouse, { part: readable, where: scoped, column, sums, fromSummary, params }),
                ]);
                const { groups, totals: line } = groupMoney(part, sums, found, totals);
                const rows = pageOfGroups(groups, sort, q.order, q.page, q.page_size);
                const total_amount = (line[part.amount] as number | null) ?? 0;
                if (wantsArrow(request)) {
                    return sendArrow(reply, rows, { metric: def.metric, part: partName, 'group-by': grouping, 'total-groups': String(groups.length), 'total-rows': String(totals.n), 'total-amount': String(total_amount) });
                }
                return reply.serializer(JSON.stringify).send({
                    ...head,
                    money_columns: sums.filter((c) => part.money.includes(c)),
                    total_rows: totals.n,
                    total_amount,
                    columns: shown,
                    rows,
                    group_by: grouping,
                    total_groups: groups.length,
                    group_totals: line,
                });
            }
            const page = await drillPage(app.warehouse, { part: readable, where: scoped, sort, order: q.order, page: q.page, pageSize: q.page_size, params });
            const { totals } = page;
            // Money to the cent; a page of every row adds up to its total (server/api/drill.ts drillMoney).
            const { rows, total_amount } = drillMoney(part, page.rows, totals);
            if (wantsArrow(request)) {
                return sendArrow(reply, rows, { metric: def.metric, part: partName, 'total-rows': String(totals.n), 'total-amount': String(total_amount) });
            }
            return reply.serializer(JSON.stringify).send({ ...head, money_columns: [...part.money], total_rows: totals.n, total_amount, columns, rows, group_by: null });
        },
    );
};

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
