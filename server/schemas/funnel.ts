/**
 * The margin funnel as the API answers it (GET /api/funnel) and as the definitions describe it (GET
 * /api/definitions, /api/session). Its stages, leaks and parts are those fct_margin_funnel's .yml declares.
 */
import { z } from 'zod';
import { filterShape, type FilterKey } from '../api/filters.ts';

/** The funnel's query: a period, as_of and the filters its .yml declares (each typed as the filters are). */
export function funnelQueryOf(filters: readonly FilterKey[]) {
    const chosen = Object.fromEntries(filters.map((k) => [k, filterShape[k]])) as Record<FilterKey, typeof filterShape.client_id>;
    return z.strictObject({ from: filterShape.from, to: filterShape.to, as_of: filterShape.as_of, ...chosen });
}

const money = z.number();

/** A part of a leak, as /api/funnel answers it. */
export const funnelPartFigure = z.object({ key: z.string(), label: z.string(), amount: money, definition: z.string(), drill: z.string() });

export const funnelAnswer = z.object({
    currency: z.string(),
    as_of: z.string(),
    stages: z.array(z.object({ key: z.string(), label: z.string(), stage: z.number(), amount: money })),
    leaks: z.array(
        z.object({
            key: z.string(),
            label: z.string(),
            below_stage: z.number(),
            amount: money,
            definition: z.string(),
            drill: z.string(),
            parts: z.array(funnelPartFigure).optional().describe('Present when the leak is split into parts; the leak is their sum.'),
        }),
    ),
    cost: money,
    realized_margin: money,
    client_hours: z.number(),
    reconciles: z.object({ potential_less_leaks: money, collected: money }),
});

export type FunnelAnswer = z.infer<typeof funnelAnswer>;

/**
 * A group's funnel (GET /api/funnel/breakdown): its stages (rounded to the cent), cost and margin, and the
 * amount of every leak and part the definitions name, each under its key (typed as any key may be: an amount
 * or, for key and label, text).
 */
export const funnelBreakdownRow = z
    .object({
        key: z.string().nullable().describe('The group’s id; null for the group of internal work (projects without a client) when grouped by client'),
        label: z.string(),
        total_leaks: money,
        cost: money,
        realized_margin: money,
        client_hours: z.number(),
    })
    .catchall(z.union([money, z.string(), z.null()]).describe('A stage, leak or part (an amount), by its key in the definitions'));

export const funnelBreakdownAnswer = z.object({ by: z.string(), currency: z.string(), as_of: z.string(), rows: z.array(funnelBreakdownRow) });

/** /api/funnel's answer: the funnel, and with `group_by` each group's funnel too. */
export const funnelGroupedAnswer = funnelAnswer.extend({
    group_by: z.string().optional(),
    groups: z.array(funnelBreakdownRow).optional().describe('With group_by: every group’s funnel, largest total leaks first (months in order); each group is rounded to the cent on its own'),
});

export type FunnelBreakdownRow = z.infer<typeof funnelBreakdownRow>;
export type FunnelBreakdown = z.infer<typeof funnelBreakdownAnswer>;

/** What the dashboard draws a leak or a part with: its short label, its colour key and the filters its rows take. */
const drawnWith = {
    definition: z.string(),
    short: z.string(),
    colour: z.string().describe('A colour key of the dashboard’s palette'),
    filters: z.array(z.string()).describe('The filters its drill-down rows accept'),
};

const partDefinition = z.object({ key: z.string(), label: z.string(), ...drawnWith });

export const funnelStageDefinition = z.object({ key: z.string(), label: z.string(), stage: z.number(), short: z.string(), definition: z.string() });
export const funnelLeakDefinition = z.object({ key: z.string(), label: z.string(), below_stage: z.number(), ...drawnWith, parts: z.array(partDefinition) });

export type FunnelStageDefinition = z.infer<typeof funnelStageDefinition>;
export type FunnelLeakDefinition = z.infer<typeof funnelLeakDefinition>;
