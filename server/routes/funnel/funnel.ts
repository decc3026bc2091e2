/**
 * GET /api/funnel — the margin funnel of PRODUCT.md for any client/project/period: eight stages, the leaks
 * between them, and the check that potential − leaks = collected. Sums of marts.fct_margin_funnel (client ×
 * project × month), so any filter reconciles.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { answerCache, answerKey, sendJsonText } from '../../api/answer-cache.ts';
import { filterShape, periodProblem } from '../../api/filters.ts';
import { firmContext, whereClause } from '../../api/metric.ts';
import { badRequest } from '../../plugins/problem.ts';
import { ROLE_GROUPS } from '../../roles.ts';

export const STAGES = [
    { key: 'potential_value', label: 'Potential value', stage: 1 },
    { key: 'tracked_value', label: 'Tracked value', stage: 2 },
    { key: 'billable_value', label: 'Billable value', stage: 3 },
    { key: 'recognized_revenue', label: 'Recognized revenue', stage: 4 },
    { key: 'billed_value', label: 'Billed', stage: 5 },
    { key: 'net_billed_value', label: 'Net billed', stage: 6 },
    { key: 'collected_value', label: 'Collected', stage: 7 },
] as const;

export const LEAKS = [
    { key: 'untracked', column: 'untracked_value', label: 'Untracked time', below: 1, definition: 'Capacity not logged, valued at the person’s client rate that week' },
    { key: 'unbilled_meetings', column: 'unbilled_meetings_value', label: 'Unbilled client meetings', below: 2, definition: 'Non-billable client entries with activity meeting' },
    { key: 'unbilled_other', column: 'unbilled_other_value', label: 'Other unbilled client work', below: 2, definition: 'Other non-billable client entries' },
    { key: 'overrun', column: 'overrun_value', label: 'Scope creep / overrun', below: 3, definition: 'Billable value − revenue recognized (fixed fee beyond budget, retainer hours beyond the fee, milestones not signed off); negative is a gain' },
    { key: 'not_invoiced', column: 'not_invoiced_value', label: 'Not yet invoiced', below: 4, definition: 'Recognized − billed: unapproved and approved-unbilled time' },
    { key: 'credited', column: 'credited_value', label: 'Disputes and write-offs', below: 5, definition: 'Credit notes' },
    { key: 'uncollected', column: 'uncollected_value', label: 'Uncollected', below: 6, definition: 'Net billed − payments' },
] as const;

const funnelQuery = z.strictObject({
    from: filterShape.from,
    to: filterShape.to,
    as_of: filterShape.as_of,
    client_id: filterShape.client_id,
    project_id: filterShape.project_id,
    project_type: filterShape.project_type,
});

const money = z.number();

/**
 * What the funnel's filters and period apply to: marts.fct_margin_funnel (client × project × month, each row
 * counting from accrued_on: untracked time and milestones accrue through a report's as_of, to the day).
 */
export const FUNNEL_SCOPE = {
    grain: 'client × project × month',
    date: { column: 'month', grain: 'month' },
    accrued: 'accrued_on',
    filters: { client_id: 'client_id', project_id: 'project_id', project_type: 'project_type' },
} as const;

export const funnelRoutes: FastifyPluginAsyncZod = async (app) => {
    const answers = answerCache(app.warehouse);
    app.get(
        '/funnel',
        {
            config: { roles: ROLE_GROUPS.money },
            schema: {
                summary: 'The margin funnel: stages, leaks and realized margin',
                description: 'Stages and leaks of PRODUCT.md "The margin funnel"; each leak is drillable at /api/drill/funnel?part=<key>. Invariant: potential − Σ leaks = collected, to the cent.',
                tags: ['metrics'],
                querystring: funnelQuery,
                response: {
                    200: z.object({
                        currency: z.string(),
                        as_of: z.string(),
                        stages: z.array(z.object({ key: z.string(), label: z.string(), stage: z.number(), amount: money })),
                        leaks: z.array(z.object({ key: z.string(), label: z.string(), below_stage: z.number(), amount: money, definition: z.string(), drill: z.string() })),
                        cost: money,
                        realized_margin: money,
                        client_hours: z.number(),
                        reconciles: z.object({ potential_less_leaks: money, collected: money }),
                    }),
                },
            },
        },
        async (request, reply) => {
            const q = request.query;
            const problem = periodProblem(q);
            if (problem) throw badRequest(...problem);
            // Kept until the warehouse changes (server/api/answer-cache.ts); the figures do not depend on who asks.
            const body = await answers.json(answerKey('funnel', q, null), () => funnel(q));
            return sendJsonText(reply, body);
        },
    );

    /** The funnel for a scope, as the route answers it. */
    async function funnel(q: z.infer<typeof funnelQuery>) {
        const firm = await firmContext(app.warehouse);
        const asOf = q.as_of ?? firm.as_of;
        const params: Record<string, string> = {};
        const where = whereClause({ name: 'funnel', ...FUNNEL_SCOPE }, q, asOf, params, firm.horizon);
        const columns = [...STAGES.map((s) => s.key), ...LEAKS.map((l) => l.column), 'cost', 'realized_margin', 'client_hours'];
        // Sums stay decimal in SQL; rounding to the cent happens once, here.
        const row = (await app.warehouse.one<Record<string, number>>(
            `select ${columns.map((c) => `round(coalesce(sum(${c}), 0), 2)::double as ${c}`).join(', ')} from marts.fct_margin_funnel ${where}`,
            params,
        ))!;
        // Each stage is rounded to the cent once; each leak is the difference of the rounded stages around
        // it (the two unbilled parts share theirs), so the figures on screen reconcile exactly.
        const cents = (v: number | undefined) => Math.round((v ?? 0) * 100);
        const stage = Object.fromEntries(STAGES.map((s) => [s.key, cents(row[s.key])])) as Record<(typeof STAGES)[number]['key'], number>;
        const meetings = cents(row.unbilled_meetings_value);
        const leakCents: Record<(typeof LEAKS)[number]['key'], number> = {
            untracked: stage.potential_value - stage.tracked_value,
            unbilled_meetings: meetings,
            unbilled_other: stage.tracked_value - stage.billable_value - meetings,
            overrun: stage.billable_value - stage.recognized_revenue,
            not_invoiced: stage.recognized_revenue - stage.billed_value,
            credited: stage.billed_value - stage.net_billed_value,
            uncollected: stage.net_billed_value - stage.collected_value,
        };
        const leaksSum = Object.values(leakCents).reduce((a, b) => a + b, 0);
        const drillQueryString = new URLSearchParams(Object.entries({ ...q, as_of: asOf }).filter(([, v]) => v !== undefined) as [string, string][]);
        return {
            currency: firm.currency,
            as_of: asOf,
            stages: STAGES.map((s) => ({ ...s, amount: stage[s.key] / 100 })),
            leaks: LEAKS.map((l) => ({
                key: l.key,
                label: l.label,
                below_stage: l.below,
                amount: leakCents[l.key] / 100,
                definition: l.definition,
                drill: `/api/drill/funnel?part=${l.key}&${drillQueryString.toString()}`,
            })),
            cost: row.cost!,
            realized_margin: row.realized_margin!,
            client_hours: row.client_hours!,
            reconciles: {
                potential_less_leaks: (stage.potential_value - leaksSum) / 100,
                collected: stage.collected_value / 100,
            },
        };
    }
};
