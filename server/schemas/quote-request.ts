/**
 * A deal to quote (POST /api/quotes): the one schema the API validates the body with and the quote builder
 * checks its form with before sending (web/lib/features/quotes/form.ts), so both refuse the same things in the
 * same words. A module of its own so the dashboard loads this schema, not all of the quote API's.
 */
import { z } from 'zod';

export const quoteBody = z.strictObject({
    name: z.string().max(200).nullish().describe('A label for the saved quote (deal or client name)'),
    project_type: z.string().min(1, 'a project type is needed').describe('Project type of the deal (marts.dim_projects.project_type)'),
    billing_model: z.string().min(1, 'a billing model is needed').describe('Billing model of the deal (marts.dim_projects.billing_model)'),
    client_id: z.string().min(1).nullish(),
    project_id: z.string().min(1).nullish().describe('The project this quote became, for its closeout'),
    target_margin: z.number({ error: 'a target margin is needed' }).min(0, 'the margin cannot be negative').lt(1, 'the margin must be below 100 %').describe('Target margin as a fraction of price, 0 ≤ m < 1 (0.3 = 30 %)'),
    confidence: z.number({ error: 'a confidence is needed' }).gt(0, 'the confidence must be above 0 %').lt(1, 'the confidence must be below 100 %').describe('Probability of reaching the target margin the price must give, e.g. 0.8'),
    price: z.number().positive('a proposed price must be above 0').nullish().describe('A proposed price to evaluate, in the reporting currency'),
    lines: z
        .array(
            z.strictObject({
                phase: z.string().trim().min(1, 'a phase is needed'),
                role: z.string().min(1, 'a role is needed'),
                estimated_hours: z.number({ error: 'hours are needed' }).positive('hours must be above 0').max(1e6, 'at most 1,000,000 hours'),
            }),
        )
        .min(1)
        .max(500)
        .describe('The bottom-up estimate: phase × role lines'),
    save: z.boolean().default(true).describe('Store the quote (default true)'),
    revises: z.number().int().positive().nullish().describe('Save as the next version of this saved quote (its deal’s versions stay linked; the revised quote is not changed)'),
    copied_from: z.number().int().positive().nullish().describe('The saved quote this one duplicates: saved as a deal of its own, its origin recorded'),
    simulations: z.number().int().min(500).max(50_000).optional().describe('Simulations (default 10 000)'),
    seed: z.number().int().min(0).optional(),
});
