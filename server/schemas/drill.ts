/** The rows behind a figure (GET /api/drill/:metric), a page at a time, or those rows grouped. */
import { z } from 'zod';
import { cell } from './rows.ts';

/**
 * What a drill-down's rows can be grouped by, and the column of the rows each grouping groups on: a part offers
 * those whose column its rows have and that it can be filtered to (server/api/drill.ts groupingsOf), so that a
 * group opens as the same drill-down filtered to it.
 */
export const DRILL_GROUPINGS = { project: 'project_id', person: 'person_id', client: 'client_id', month: 'month' } as const;
export type DrillGrouping = keyof typeof DRILL_GROUPINGS;
export const drillGrouping = z.enum(Object.keys(DRILL_GROUPINGS) as [DrillGrouping, ...DrillGrouping[]]);

export const drillAnswer = z.object({
    metric: z.string(),
    part: z.string(),
    description: z.string(),
    amount_column: z.string(),
    money_columns: z.array(z.string()).describe('The columns of the rows that are money, answered to the cent'),
    currency: z.string(),
    total_rows: z.number().describe('How many rows are behind the figure (grouped or not)'),
    total_amount: z.number(),
    page: z.number(),
    page_size: z.number(),
    columns: z.array(z.string()),
    rows: z.array(z.record(z.string(), cell)).describe('The rows, or with group_by the groups: the group column, row_count and the subtotals'),
    groupings: z.array(drillGrouping).describe('What these rows can be grouped by (group_by)'),
    group_by: drillGrouping.nullable(),
    total_groups: z.number().optional().describe('With group_by: how many groups there are (paged as rows are)'),
    group_totals: z
        .record(z.string(), cell)
        .optional()
        .describe('With group_by: the total line, row_count and each subtotal over every group; the money subtotals of all groups add up to it to the cent'),
});

export type Drill = z.infer<typeof drillAnswer>;
