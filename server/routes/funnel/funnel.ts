/**
 * GET /api/funnel — the margin funnel of PRODUCT.md for any client/project/period: its stages, the leaks between
 * them (and a leak's parts), and the check that potential − leaks = collected. Sums of the funnel mart (client ×
 * project × month), so any filter reconciles. The stages, leaks, filters and roles are those the mart's .yml
 * declares (app.catalog.funnel): a leak added there is served here.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { answerCache, sendFirmFigures } from '../../api/answer-cache.ts';
import type { FilterKey } from '../../api/filters.ts';
import { funnelCents, funnelColumns } from '../../api/funnel.ts';
import { firmContext, whereClause } from '../../api/metric.ts';
import { funnelSums } from '../../queries/funnel.ts';
import { funnelGroupedAnswer, funnelQueryOf, type FunnelAnswer } from '../../schemas/funnel.ts';
import { BREAKDOWN_BY, funnelBreakdown } from './breakdown.ts';

export const funnelRoutes: FastifyPluginAsyncZod = async (app) => {
    const def = app.catalog.funnel;
    if (!def) return;
    const answers = answerCache(app.warehouse);
    const funnelQuery = funnelQueryOf(Object.keys(def.filters) as FilterKey[]).extend({
        group_by: z.enum(BREAKDOWN_BY).optional().describe('Also answer the funnel of each client, project, project type or month (groups), as /api/funnel/breakdown does'),
    });
    type FunnelQuery = z.infer<typeof funnelQuery>;
    app.get(
        '/funnel',
        {
            config: { roles: def.roles },
            schema: {
                summary: def.summary,
                description: def.description,
                tags: ['metrics'],
                querystring: funnelQuery,
                response: { 200: funnelGroupedAnswer },
            },
        },
        async (request, reply) => {
            const q = request.query;
            return sendFirmFigures(reply, answers, 'funnel', q, async () => {
                const total = await funnel(q);
                if (!q.group_by) return total;
                // The groups' funnels under the same filters; every group, so that they add up to the total.
                const { rows } = await funnelBreakdown(app, def, q, q.group_by, Number.MAX_SAFE_INTEGER);
                return { ...total, group_by: q.group_by, groups: rows };
            });
        },
    );

    /** The funnel for a scope, as the route answers it. */
    async function funnel(q: FunnelQuery): Promise<FunnelAnswer> {
        const firm = await firmContext(app.warehouse);
        const asOf = q.as_of ?? firm.as_of;
        const params: Record<string, string> = {};
        const where = whereClause({ name: 'funnel', ...def! }, q, asOf, params, firm.horizon);
        // Sums stay exact in SQL; rounding to the cent happens once, in funnelCents (lib/money.ts).
        const row = await funnelSums(app.warehouse, def!.mart, { money: funnelColumns(def!), hours: ['client_hours'] }, where, params);
        const { stages, leaks, cost, realized_margin } = funnelCents(def!, row);
        const leaksSum = def!.leaks.reduce((sum, l) => sum + leaks[l.key]!, 0);
        const { group_by: _, ...scope } = q;
        const drillQueryString = new URLSearchParams(Object.entries({ ...scope, as_of: asOf }).filter(([, v]) => v !== undefined) as [string, string][]).toString();
        const drill = (key: string) => `/api/drill/funnel?part=${key}&${drillQueryString}`;
        const first = def!.stages[0]!.key;
        const last = def!.stages[def!.stages.length - 1]!.key;
        return {
            currency: firm.currency,
            as_of: asOf,
            stages: def!.stages.map((s) => ({ key: s.key, label: s.label, stage: s.stage, amount: stages[s.key]! / 100 })),
            leaks: def!.leaks.map((l) => ({
                key: l.key,
                label: l.label,
                below_stage: l.below_stage,
                amount: leaks[l.key]! / 100,
                definition: l.definition,
                drill: drill(l.key),
                ...(l.parts.length > 0
                    ? { parts: l.parts.map((p) => ({ key: p.key, label: p.label, amount: leaks[p.key]! / 100, definition: p.definition, drill: drill(p.key) })) }
                    : {}),
            })),
            cost: cost / 100,
            realized_margin: realized_margin / 100,
            client_hours: Number(row.client_hours),
            reconciles: {
                potential_less_leaks: (stages[first]! - leaksSum) / 100,
                collected: stages[last]! / 100,
            },
        };
    }
};
