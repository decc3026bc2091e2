/**
 * Project-grain answers: budget burn as of a day (GET /api/budget-burn) and month by month (GET
 * /api/budget-burn/months), and the closeout evidence by type (GET /api/estimate-vs-actual/by-type). Nullable
 * where the marts' .yml do not test not_null.
 */
import { z } from 'zod';
import { projectClient, projectDates } from './common.ts';

/** What a project's budget burn says, as of a day or at a month's end (marts.fct_budget_burn_daily, _monthly). */
const burn = {
    budget_basis: z.enum(['budget_hours', 'retainer_included_hours']).nullable(),
    budget_hours: z.number().nullable(),
    hours_used: z.number(),
    billable_hours_used: z.number(),
    burn: z.number().nullable(),
    share_elapsed: z.number().nullable(),
    share_complete: z.number().nullable(),
    eac_method: z.enum(['share_complete', 'linear']).nullable(),
    eac_hours: z.number().nullable(),
    alert_level: z.number().nullable(),
};

export const burnRow = z.object({
    project_id: z.string(),
    project_name: z.string(),
    client_id: projectClient.client_id,
    client_name: z.string(),
    project_type: z.string(),
    billing_model: z.string(),
    status: z.string(),
    ...projectDates,
    ...burn,
});

export const budgetBurnAnswer = z.object({
    as_of: z.string(),
    scope: z.string().optional().describe('Present when the rows were narrowed to the projects the caller manages.'),
    rows: z.array(burnRow),
});

/** In the columns' order of the route's SQL (an object's keys follow its schema: tables and CSVs show them so). */
export const burnMonth = z.object({
    month: z.string(),
    month_end: z.string(),
    hours: z.number(),
    hours_used: burn.hours_used,
    billable_hours_used: burn.billable_hours_used,
    budget_basis: burn.budget_basis,
    budget_hours: burn.budget_hours,
    share_elapsed: burn.share_elapsed,
    share_complete: burn.share_complete,
    burn: burn.burn,
    eac_method: burn.eac_method,
    eac_hours: burn.eac_hours,
    alert_level: burn.alert_level,
});

export const budgetBurnMonthsAnswer = z.object({ project_id: z.string(), as_of: z.string(), rows: z.array(burnMonth) });

/**
 * A row of the by-type marts as it is (marts.fct_estimate_vs_actual_by_type; _by_type_phase, the phase level,
 * has no role). Nullable where their .yml do not test not_null.
 */
export const evidenceRow = z.object({
    project_type: z.string(),
    phase: z.string(),
    role: z.string().optional().describe('Absent at the phase level (by_role=false)'),
    projects: z.number(),
    ratio_projects: z.number(),
    unplanned_projects: z.number(),
    estimated_hours: z.number(),
    actual_hours: z.number(),
    unplanned_actual_hours: z.number(),
    ratio_of_sums: z.number().nullable(),
    planned_ratio_of_sums: z.number().nullable(),
    ratio_median: z.number().nullable(),
    ratio_p10: z.number().nullable(),
    ratio_p90: z.number().nullable(),
});

export const evidenceAnswer = z.object({ rows: z.array(evidenceRow) });

export type BurnRow = z.infer<typeof burnRow>;
export type BurnMonth = z.infer<typeof burnMonth>;
export type EvidenceRow = z.infer<typeof evidenceRow>;
