/**
 * The filters every metric route takes, validated with zod: unknown parameters and bad dates are 400s
 * naming the parameter. Values are bound into SQL, never spliced.
 */
import { z } from 'zod';
import { isoDate } from '../schemas/common.ts';
import { DRILL_GROUPINGS, drillGrouping } from '../schemas/drill.ts';

export const DIMENSIONS = ['month', 'week', 'client', 'project', 'person', 'role', 'phase', 'project_type', 'rule'] as const;
export type Dimension = (typeof DIMENSIONS)[number];

export const FILTER_KEYS = ['client_id', 'project_id', 'person_id', 'role', 'phase', 'project_type', 'rule'] as const;
export type FilterKey = (typeof FILTER_KEYS)[number];

const id = z.string().min(1).max(200);

/**
 * A whole number in a query string or path: digits only (Number() would also take 1e3, 0x10, ' 5' or '',
 * and a repeated parameter arrives as an array), within [min, max].
 */
export const wholeNumber = (min: number, max: number, tooBig?: string) =>
    z
        .string({ error: 'must be a whole number, given once' })
        .regex(/^-?\d+$/, 'must be a whole number, given once')
        .transform(Number)
        .pipe(z.number().int().min(min).max(max, tooBig));

/** The largest page size of any paged route. */
export const MAX_PAGE_SIZE = 10_000;

/**
 * Paging of drill-downs and reject lists. The offset, (page − 1) × page_size, is computed here and bound
 * into SQL: page is bounded so that it stays a safe integer for every page size (DuckDB's offsets are
 * 64-bit; past them a query fails).
 */
export const MAX_PAGE = Math.floor(Number.MAX_SAFE_INTEGER / MAX_PAGE_SIZE);
export const pageParam = wholeNumber(1, MAX_PAGE, `at most ${MAX_PAGE} (page × page_size must stay below 2^53)`).default(1);
export const pageSizeParam = (fallback: number) => wholeNumber(1, MAX_PAGE_SIZE).default(fallback);

/** A month as a chart cell gives it (its first day, YYYY-MM-01) or as YYYY-MM; the first day either way. */
export const monthParam = z
    .string()
    .regex(/^\d{4}-\d{2}(-01)?$/, 'must be a month: YYYY-MM or its first day YYYY-MM-01')
    .transform((v) => (v.length === 7 ? `${v}-01` : v))
    .pipe(isoDate);

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
    month: monthParam.optional().describe('Only rows of this month: YYYY-MM, or its first day YYYY-MM-01 (as a chart cell gives it).'),
    part: z.string().max(60).optional().describe('Which part of the metric, e.g. a funnel leak: untracked, unbilled_meetings, …'),
    page: pageParam,
    page_size: pageSizeParam(100),
    sort: z.string().max(60).optional(),
    order: z.enum(['asc', 'desc']).default('desc'),
    group_by: drillGrouping
        .optional()
        .describe(
            `One row per ${Object.keys(DRILL_GROUPINGS).join(', ')} (those the part's rows have): its row count and the subtotals of its money and hours, largest amount first, paged as rows are; the money subtotals add up to total_amount to the cent.`,
        ),
});
export type DrillQuery = z.infer<typeof drillQuery>;

/** Checks from ≤ to and that as_of is not before from; returns problems as [parameter, detail]. */
export function periodProblem(q: { from?: string; to?: string; as_of?: string }): [string, string] | null {
    if (q.from && q.to && q.from > q.to) return ['to', `to (${q.to}) is before from (${q.from})`];
    // A period ends with its as_of month: one that ends before it starts has no rows, which would read as zeros.
    if (q.from && q.as_of && q.as_of < q.from) return ['as_of', `as_of (${q.as_of}) is before from (${q.from}); pick an as_of on or after from, or leave it out`];
    return null;
}
