/**
 * The filters every metric route takes, validated with zod: unknown parameters and bad dates are 400s
 * naming the parameter. Values are bound into SQL, never spliced.
 */
import { z } from 'zod';

export const DIMENSIONS = ['month', 'week', 'client', 'project', 'person', 'role', 'phase', 'project_type', 'rule'] as const;
export type Dimension = (typeof DIMENSIONS)[number];

export const FILTER_KEYS = ['client_id', 'project_id', 'person_id', 'role', 'phase', 'project_type', 'rule'] as const;
export type FilterKey = (typeof FILTER_KEYS)[number];

export const isoDate = z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD')
    .refine((v) => !Number.isNaN(Date.parse(`${v}T00:00:00Z`)) && new Date(`${v}T00:00:00Z`).toISOString().startsWith(v), 'is not a real date');

const id = z.string().min(1).max(200);

export const filterShape = {
    from: isoDate.optional().describe('First day of the period (inclusive).'),
    to: isoDate.optional().describe('Last day of the period (inclusive).'),
    as_of: isoDate.optional().describe('Date accruals run through; default today (or the firm setting).'),
    client_id: id.optional(),
    project_id: id.optional(),
    person_id: id.optional(),
    role: id.optional(),
    phase: id.optional(),
    project_type: id.optional(),
    rule: id.optional().describe('A review-flag rule (review flags only), e.g. missing_day.'),
};

export const groupByParam = z
    .string()
    .optional()
    .describe(`Comma-separated dimensions: ${DIMENSIONS.join(', ')} (those the metric's grain allows).`)
    .transform((v, ctx) => {
        if (!v) return [] as Dimension[];
        const parts = v.split(',').map((s) => s.trim());
        for (const p of parts) {
            if (!(DIMENSIONS as readonly string[]).includes(p)) {
                ctx.addIssue({ code: 'custom', message: `unknown dimension "${p}"; use ${DIMENSIONS.join(', ')}` });
                return z.NEVER;
            }
        }
        return [...new Set(parts)] as Dimension[];
    });

export const metricQuery = z.strictObject({ ...filterShape, group_by: groupByParam });
export type MetricQuery = z.infer<typeof metricQuery>;

export const drillQuery = z.strictObject({
    ...filterShape,
    month: isoDate.optional().describe('Only rows of the month starting on this day (as a chart cell gives it).'),
    part: z.string().max(60).optional().describe('Which part of the metric, e.g. a funnel leak: untracked, unbilled_meetings, …'),
    page: z.coerce.number().int().min(1).default(1),
    page_size: z.coerce.number().int().min(1).max(10_000).default(100),
    sort: z.string().max(60).optional(),
    order: z.enum(['asc', 'desc']).default('desc'),
});
export type DrillQuery = z.infer<typeof drillQuery>;

/** Checks from ≤ to and that as_of is not before from; returns problems as [parameter, detail]. */
export function periodProblem(q: { from?: string; to?: string; as_of?: string }): [string, string] | null {
    if (q.from && q.to && q.from > q.to) return ['to', `to (${q.to}) is before from (${q.from})`];
    return null;
}
