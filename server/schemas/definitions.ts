/**
 * What every figure means, as GET /api/definitions (and /api/session's definitions) answer it: the metric
 * catalog, the funnel's stages and leaks, each mart's descriptions — all from the marts' .yml — and the filters
 * each route takes, so the dashboard neither retypes a definition nor guesses which filters reach a route.
 */
import { z } from 'zod';
import { funnelLeakDefinition, funnelStageDefinition } from './funnel.ts';

export const definitionsAnswer = z.object({
    metrics: z.array(
        z.object({
            name: z.string(),
            summary: z.string(),
            description: z.string(),
            grain: z.string(),
            mart: z.string(),
            ratios: z
                .record(z.string(), z.tuple([z.string(), z.string()]).readonly())
                .describe('Ratio → [numerator, denominator], two of its measures: over any period a ratio is the ratio of their sums'),
        }),
    ),
    stages: z.array(funnelStageDefinition),
    leaks: z.array(funnelLeakDefinition),
    marts: z.record(z.string(), z.object({ grain: z.string(), description: z.string(), columns: z.record(z.string(), z.string()) })),
    filters: z
        .record(z.string(), z.array(z.string()))
        .describe('Route (its path after /api/) → the period and filter parameters it takes (from, to and the filter keys), as its OpenAPI schema states them'),
});

export type Definitions = z.infer<typeof definitionsAnswer>;
