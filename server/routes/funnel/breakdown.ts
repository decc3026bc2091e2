/** GET /api/funnel/breakdown: the funnel by client, project, project type or month (the worst leaks). */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { answerCache, answerKey, sendJsonText } from '../../api/answer-cache.ts';
import { filterShape, periodProblem } from '../../api/filters.ts';
import { firmContext, whereClause } from '../../api/metric.ts';
import { badRequest } from '../../plugins/problem.ts';
import { ROLE_GROUPS } from '../../roles.ts';
import { rows } from '../../schemas/rows.ts';
import { FUNNEL_SCOPE, STAGES } from './funnel.ts';

const STAGE_KEYS = STAGES.map((s) => s.key);

export const funnelBreakdownRoutes: FastifyPluginAsyncZod = async (app) => {
    const answers = answerCache(app.warehouse);

    app.get(
        '/funnel/breakdown',
        {
            config: { roles: ROLE_GROUPS.money },
            schema: {
                summary: 'The margin funnel by client, project, project type or month: where the leaks are',
                description:
                    'Each group’s stages (rounded to the cent) and its leaks as differences of those stages, exactly as /api/funnel computes them for that group; total_leaks = potential − collected. Sorted by total_leaks, largest first.',
                tags: ['metrics'],
                querystring: z.strictObject({
                    by: z.enum(['client', 'project', 'project_type', 'month']),
                    from: filterShape.from,
                    to: filterShape.to,
                    as_of: filterShape.as_of,
                    client_id: filterShape.client_id,
                    project_id: filterShape.project_id,
                    project_type: filterShape.project_type,
                    limit: z.coerce.number().int().min(1).max(10_000).default(1000),
                }),
                response: { 200: z.object({ by: z.string(), currency: z.string(), as_of: z.string(), rows }) },
            },
        },
        async (request, reply) => {
            const q = request.query;
            const problem = periodProblem(q);
            if (problem) throw badRequest(...problem);
            // Kept until the warehouse changes (server/api/answer-cache.ts); the figures do not depend on who asks.
            const body = await answers.json(answerKey('funnel/breakdown', q, null), async () => {
                const firm = await firmContext(app.warehouse);
                const asOf = q.as_of ?? firm.as_of;
                const params: Record<string, string> = {};
                const where = whereClause({ name: 'funnel/breakdown', ...FUNNEL_SCOPE }, q, asOf, params, firm.horizon).replace(/"(\w+)"/g, 'f."$1"');
                const key = q.by === 'month' ? `f.month::varchar` : q.by === 'client' ? 'f.client_id' : q.by === 'project' ? 'f.project_id' : 'f.project_type';
                const label = q.by === 'client' ? 'max(d.client_name)' : q.by === 'project' ? 'max(p.project_name)' : q.by === 'month' ? `strftime(min(f.month), '%Y-%m')` : 'min(f.project_type)';
                const columns = [...STAGE_KEYS, 'unbilled_meetings_value', 'cost', 'realized_margin', 'client_hours'];
                const found = await app.warehouse.all<Record<string, string | number>>(
                    `select ${key} as key, ${label} as label, ${columns.map((c) => `round(coalesce(sum(f.${c}), 0), 2)::double as ${c}`).join(', ')}
                     from marts.fct_margin_funnel f
                     left join marts.dim_clients d on d.client_id = f.client_id
                     left join marts.dim_projects p on p.project_id = f.project_id
                     ${where} group by ${key}`,
                    params,
                );
                const cents = (v: string | number | undefined) => Math.round(Number(v ?? 0) * 100);
                const out = found.map((r) => {
                    const s = Object.fromEntries(STAGE_KEYS.map((k) => [k, cents(r[k])])) as Record<(typeof STAGE_KEYS)[number], number>;
                    const meetings = cents(r.unbilled_meetings_value);
                    const leaks = {
                        untracked: s.potential_value - s.tracked_value,
                        unbilled_meetings: meetings,
                        unbilled_other: s.tracked_value - s.billable_value - meetings,
                        overrun: s.billable_value - s.recognized_revenue,
                        not_invoiced: s.recognized_revenue - s.billed_value,
                        credited: s.billed_value - s.net_billed_value,
                        uncollected: s.net_billed_value - s.collected_value,
                    };
                    return {
                        key: String(r.key),
                        label: String(r.label ?? r.key),
                        ...Object.fromEntries(STAGE_KEYS.map((k) => [k, s[k] / 100])),
                        ...Object.fromEntries(Object.entries(leaks).map(([k, v]) => [k, v / 100])),
                        total_leaks: (s.potential_value - s.collected_value) / 100,
                        cost: Number(r.cost),
                        realized_margin: Number(r.realized_margin),
                        client_hours: Number(r.client_hours),
                    };
                });
                if (q.by === 'month') out.sort((a, b) => a.key.localeCompare(b.key));
                else out.sort((a, b) => b.total_leaks - a.total_leaks || a.key.localeCompare(b.key));
                return { by: q.by, currency: firm.currency, as_of: asOf, rows: out.slice(0, q.limit) };
            });
            return sendJsonText(reply, body);
        },
    );
};
