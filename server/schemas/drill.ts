/** The rows behind a figure (GET /api/drill/:metric), a page at a time, or those rows grouped. */
import { z } from 'zod';
import { DRILL_GROUPINGS, type DrillGrouping } from '../drill-groupings.ts';
import { cell } from './rows.ts';

export { DRILL_GROUPINGS, type DrillGrouping };

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
