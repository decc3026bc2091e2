/**
 * GET /api/funnel/breakdown: the funnel by client, project, project type or month (the worst leaks), each group's
 * stages, leaks and parts as /api/funnel computes them (server/api/funnel.ts), from the funnel its mart's .yml declares.
 */
import type { FastifyInstance } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { answerCache, sendFirmFigures } from '../../api/answer-cache.ts';
import type { FunnelDefinition } from '../../api/catalog.ts';
import { wholeNumber, type FilterKey } from '../../api/filters.ts';
import { funnelCentsByGroup, funnelColumns } from '../../api/funnel.ts';
import { firmContext, whereClause } from '../../api/metric.ts';
import { funnelSumsBy } from '../../queries/funnel.ts';
import { funnelBreakdownAnswer, funnelQueryOf, type FunnelBreakdown } from '../../schemas/funnel.ts';

export const funnelBreakdownRoutes: FastifyPluginAsyncZod = async (app) => {
    const def = app.catalog.funnel;
    if (!def) return;
    const answers = answerCache(app.warehouse);

    app.get(
        '/funnel/breakdown',
        {
            config: { roles: def.roles },
            schema: {
                summary: 'The margin funnel by client, project, project type or month: where the leaks are',
                description:
                    'Each group’s stages, leaks and parts in cents: each group reconciles (potential − leaks = collected, parts add up to their leak), and every figure adds up over the groups to /api/funnel’s for the same filters (largest remainder); total_leaks = potential − collected. Sorted by total_leaks, largest first.',
                tags: ['metrics'],
                querystring: z.strictObject({
                    by: z.enum(BREAKDOWN_BY),
                    ...funnelQueryOf(Object.keys(def.filters) as FilterKey[]).shape,
                    limit: wholeNumber(1, 10_000).default(1000),
                }),
                response: { 200: funnelBreakdownAnswer },
            },
        },
        async (request, reply) => sendFirmFigures(reply, answers, 'funnel/breakdown', request.query, () => funnelBreakdown(app, def, request.query, request.query.by, request.query.limit)),
    );
};

export const BREAKDOWN_BY = ['client', 'project', 'project_type', 'month'] as const;
export type BreakdownBy = (typeof BREAKDOWN_BY)[number];

/**
 * The funnel by group, each group's stages, leaks and parts as /api/funnel computes them: sorted by total leaks,
 * largest first (months in calendar order), at most `limit` groups. Answers /api/funnel/breakdown and
 * /api/funnel's `group_by`.
 */
export async function funnelBreakdown(app: FastifyInstance, def: FunnelDefinition, q: Partial<Record<FilterKey | 'from' | 'to' | 'as_of', string>>, by: BreakdownBy, limit: number): Promise<FunnelBreakdown> {
    const first = def.stages[0]!.key;
    const last = def.stages[def.stages.length - 1]!.key;
    const firm = await firmContext(app.warehouse);
    const asOf = q.as_of ?? firm.as_of;
    const params: Record<string, string> = {};
    const where = whereClause({ name: 'funnel/breakdown', ...def }, q, asOf, params, firm.horizon).replace(/"(\w+)"/g, 'f."$1"');
    const { groups, whole } = await funnelSumsBy(app.warehouse, def.mart, by, { money: funnelColumns(def), hours: ['client_hours'] }, where, params);
    // Apportioned both ways (server/api/funnel.ts): each group reconciles, and the groups add up to the funnel.
    const figures = funnelCentsByGroup(def, groups, whole);
    const out = groups.map((r, i) => {
        const { stages, leaks, cost, realized_margin } = figures[i]!;
        return {
            key: r.key === null ? null : String(r.key),
            label: String(r.label ?? r.key),
            ...Object.fromEntries(def.stages.map((st) => [st.key, stages[st.key]! / 100])),
            ...Object.fromEntries(def.leaks.flatMap((l) => [l, ...l.parts]).map((l) => [l.key, leaks[l.key]! / 100])),
            total_leaks: (stages[first]! - stages[last]!) / 100,
            cost: cost / 100,
            realized_margin: realized_margin / 100,
            client_hours: Number(r.client_hours),
        };
    });
    if (by === 'month') out.sort((a, b) => (a.key ?? '').localeCompare(b.key ?? ''));
    else out.sort((a, b) => b.total_leaks - a.total_leaks || (a.key ?? '').localeCompare(b.key ?? ''));
    return { by, currency: firm.currency, as_of: asOf, rows: out.slice(0, limit) };
}
