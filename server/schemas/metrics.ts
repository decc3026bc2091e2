/** A metric's answer (GET /api/<metric>, /api/utilization/by-department): its rows are the sums and ratios asked for. */
import { z } from 'zod';

const metricCell = z.union([z.string(), z.number(), z.null()]);

export const metricAnswer = z.object({
    metric: z.string(),
    grain: z.string(),
    group_by: z.array(z.string()),
    currency: z.string(),
    as_of: z.string(),
    scope: z.string().optional().describe('Present when the rows were narrowed to the individuals the caller may see, in words.'),
    rows: z.array(z.record(z.string(), metricCell)),
});

export type MetricAnswer = z.infer<typeof metricAnswer>;
export type MetricRow = MetricAnswer['rows'][number];

/** A metric's answer whose rows a reader knows the columns of. */
export type MetricResult<R = MetricRow> = Omit<MetricAnswer, 'rows'> & { rows: R[] };
