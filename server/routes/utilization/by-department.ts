/** GET /api/utilization/by-department: utilization aggregated by department, for leadership. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { answerCache, sendFirmFigures } from '../../api/answer-cache.ts';
import { filterShape, type Dimension } from '../../api/filters.ts';
import { runMetric, type MetricDefinition } from '../../api/metric.ts';
import { ROLE_GROUPS } from '../../roles.ts';
import { metricAnswer } from '../../schemas/metrics.ts';

export const utilizationByDepartmentRoutes: FastifyPluginAsyncZod = async (app) => {
    const answers = answerCache(app.warehouse);

    // The utilization metric of the models this server serves (app.catalog): a department is one more dimension of it.
    const utilization = app.catalog.metricByName.get('utilization');
    if (!utilization) return;
    const byDepartment: MetricDefinition = {
        ...utilization,
        name: 'utilization/by-department',
        dimensions: { ...utilization.dimensions, department: 'department' } as MetricDefinition['dimensions'],
        filters: { ...utilization.filters },
    };
    app.get(
        '/utilization/by-department',
        {
            config: { roles: ROLE_GROUPS.analysts },
            schema: {
                summary: 'Utilization by department (and week or month): aggregates for leadership',
                description: `${utilization.description}\n\nThe same measures as /api/utilization, grouped by the person's department.`,
                tags: ['metrics'],
                querystring: z.strictObject({
                    from: filterShape.from,
                    to: filterShape.to,
                    as_of: filterShape.as_of,
                    role: filterShape.role,
                    group_by: z.enum(['week', 'month', 'none']).default('week'),
                }),
                response: { 200: metricAnswer },
            },
        },
        async (request, reply) => {
            const q = request.query;
            return sendFirmFigures(reply, answers, 'utilization/by-department', q, async () => {
                const groups = (q.group_by === 'none' ? ['department'] : ['department', q.group_by]) as Dimension[];
                const result = await runMetric(app.warehouse, byDepartment, { from: q.from, to: q.to, as_of: q.as_of, role: q.role, group_by: groups });
                for (const r of result.rows) if (r.department === null || r.department === '') r.department = '(none)';
                return result;
            });
        },
    );
};
