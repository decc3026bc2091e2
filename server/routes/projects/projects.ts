/**
 * Project-grain views that are not sums over months: budget burn as of a day, and the closeout evidence
 * (spread of per-project estimate ratios by project type) the quote builder uses.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { managedProjectsCondition, PROJECT_ACCESS_RULE } from '../../api/access.ts';
import { filterShape } from '../../api/filters.ts';
import { checkAsOf, firmContext } from '../../api/metric.ts';
import { ROLE_GROUPS } from '../../roles.ts';
import { budgetBurnAsOf, estimateRatiosByType } from '../../queries/projects.ts';
import { budgetBurnAnswer, evidenceAnswer } from '../../schemas/projects.ts';

export const projectRoutes: FastifyPluginAsyncZod = async (app) => {
    const tags = ['metrics'];

    app.get(
        '/budget-burn',
        {
            config: { roles: ROLE_GROUPS.analysts },
            schema: {
                summary: 'Budget burn of fixed-fee, milestone and retainer projects as of a date',
                description:
                    'Burn = hours used ÷ budget hours, against the share of the project’s duration elapsed; estimate at completion = hours used ÷ share complete when known (milestones signed off), else a linear forecast; alert at 75, 90, 100 %. Evaluated at the as_of day, any day up to the horizon the models were built through: hours logged through it, share elapsed and milestones signed off at it, a retainer’s included hours through its month; a project is listed from the month it starts (or of its first entry, if earlier) (marts.fct_budget_burn_daily). ' +
                    `A project manager gets the projects they manage. ${PROJECT_ACCESS_RULE}`,
                tags,
                querystring: z.strictObject({
                    as_of: filterShape.as_of,
                    client_id: filterShape.client_id,
                    project_id: filterShape.project_id,
                    project_type: filterShape.project_type,
                    alert: z.coerce.number().int().refine((v) => [75, 90, 100].includes(v), 'must be 75, 90 or 100').optional().describe('Only projects at or above this alert level'),
                }),
                response: { 200: budgetBurnAnswer },
            },
        },
        async (request) => {
            const q = request.query;
            const firm = await firmContext(app.warehouse);
            const asOf = q.as_of ?? firm.as_of;
            checkAsOf('budget burn', asOf, firm.horizon);
            // A manager's projects only: the condition binds them into params.
            const params: Record<string, string | number> = {};
            const managed = managedProjectsCondition(request.caller, params, 'b.project_id');
            const rows = await budgetBurnAsOf(app.warehouse, {
                as_of: asOf,
                client_id: q.client_id,
                project_id: q.project_id,
                project_type: q.project_type,
                alert: q.alert,
                condition: managed,
                params,
            });
            return { as_of: asOf, ...(managed ? { scope: 'the projects you manage' } : {}), rows };
        },
    );

    app.get(
        '/estimate-vs-actual/by-type',
        {
            config: { roles: ROLE_GROUPS.history },
            schema: {
                summary: 'Closeout evidence: estimate ratios of closed projects by type, phase (and role)',
                description:
                    'Over closed projects with a baseline plan and time logged: Σ actual ÷ Σ estimate, and the median, P10 and P90 (quantile_cont) of the per-project ratios, with the number of projects (marts.fct_estimate_vs_actual_by_type and _by_type_phase).',
                tags,
                querystring: z.strictObject({
                    project_type: filterShape.project_type,
                    phase: filterShape.phase,
                    role: filterShape.role,
                    by_role: z.enum(['true', 'false']).default('true').describe('false: phase level (all roles)'),
                }),
                response: { 200: evidenceAnswer },
            },
        },
        async (request) => {
            const q = request.query;
            const byRole = q.by_role === 'true';
            const rows = await estimateRatiosByType(app.warehouse, { project_type: q.project_type, phase: q.phase, role: q.role }, byRole);
            return { rows };
        },
    );
};
