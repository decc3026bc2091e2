/** The rows behind a figure (GET /api/drill/:metric), a page at a time. */
import { z } from 'zod';
import { cell } from './rows.ts';

export const drillAnswer = z.object({
    metric: z.string(),
    part: z.string(),
    description: z.string(),
    amount_column: z.string(),
    money_columns: z.array(z.string()).describe('The columns of the rows that are money, answered to the cent'),
    currency: z.string(),
    total_rows: z.number(),
    total_amount: z.number(),
    page: z.number(),
    page_size: z.number(),
    columns: z.array(z.string()),
    rows: z.array(z.record(z.string(), cell)),
});

export type Drill = z.infer<typeof drillAnswer>;
