/** GET /api/budget-burn/months: a project's budget burn month by month. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { checkProject, PROJECT_ACCESS_RULE } from '../../api/access.ts';
import { filterShape } from '../../api/filters.ts';
import { firmContext } from '../../api/metric.ts';
import { HttpProblem } from '../../plugins/problem.ts';
import { ROLE_GROUPS } from '../../roles.ts';
import { budgetBurnByMonth, projectExists } from '../../queries/projects.ts';
import { budgetBurnMonthsAnswer } from '../../schemas/projects.ts';

export const budgetBurnMonthRoutes: FastifyPluginAsyncZod = async (app) => {
    app.get(
        '/budget-burn/months',
        {
            config: { roles: ROLE_GROUPS.analysts },
            schema: {
                summary: 'A budgeted project’s burn month by month: hours used against budget and elapsed time, with the estimate at completion',
                description: `marts.fct_budget_burn_monthly for one fixed-fee, milestone or retainer project, each month evaluated at its month end, through the as_of month. ${PROJECT_ACCESS_RULE}`,
                tags: ['metrics'],
                querystring: z.strictObject({ project_id: z.string().min(1).max(200), as_of: filterShape.as_of }),
                response: { 200: budgetBurnMonthsAnswer },
            },
        },
        async (request) => {
            const q = request.query;
            const asOf = q.as_of ?? (await firmContext(app.warehouse)).as_of;
            if (!(await projectExists(app.warehouse, q.project_id))) throw new HttpProblem(404, 'No such project', `project ${q.project_id} does not exist`);
            await checkProject(app.warehouse, request.caller, q.project_id, 'sees the budget burn of their own projects only');
            const found = await budgetBurnByMonth(app.warehouse, q.project_id, asOf);
            return { project_id: q.project_id, as_of: asOf, rows: found };
        },
    );
};
