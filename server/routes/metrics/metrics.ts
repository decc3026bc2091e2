/**
 * GET /api/<metric> for every metric the marts' .yml declare (server/api/catalog.ts): filters, group_by, JSON
 * or Arrow. A metric whose grain has a person is open to every role for the caller's own figures; everything
 * else it answers goes to the roles the catalog names, individuals as server/api/access.ts allows.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { hasPersonGrain, PERSON_ACCESS_RULE, PROJECT_ACCESS_RULE } from '../../api/access.ts';
import { answerCache, answerKey, sendJsonText } from '../../api/answer-cache.ts';
import { metricQuery, periodProblem } from '../../api/filters.ts';
import { metricJson, runMetric } from '../../api/metric.ts';
import { sendArrow, wantsArrow } from '../../plugins/arrow.ts';
import { badRequest } from '../../plugins/problem.ts';
import { ROLE_GROUPS } from '../../roles.ts';
import { metricAnswer } from '../../schemas/metrics.ts';

export const metricRoutes: FastifyPluginAsyncZod = async (app) => {
    const answers = answerCache(app.warehouse);
    // The metrics the marts of the served models declare (their .yml: models/SEMANTIC.md).
    for (const def of app.catalog.metrics) {
        const personal = hasPersonGrain(def);
        app.get(
            `/${def.name}`,
            {
                config: { roles: personal ? ROLE_GROUPS.everyone : def.roles },
                schema: {
                    summary: def.summary,
                    description:
                        `${def.description}\n\nGrain: ${def.grain}. Group by: ${Object.keys(def.dimensions).join(', ')}. Filters: ${Object.keys(def.filters).join(', ')}, from, to, as_of.` +
                        `\n\nAccess: ${def.roles.join(', ')}${personal ? `; everyone for their own figures. ${PERSON_ACCESS_RULE}` : '.'}` +
                        (def.dimensions.project && def.roles.includes('project_manager') ? ` ${PROJECT_ACCESS_RULE}` : ''),
                    tags: ['metrics'],
                    querystring: metricQuery,
                    response: { 200: metricAnswer },
                },
            },
            async (request, reply) => {
                const problem = periodProblem(request.query);
                if (problem) throw badRequest(...problem);
                if (wantsArrow(request)) {
                    const result = await runMetric(app.warehouse, def, request.query, request.caller);
                    return sendArrow(reply, result.rows, { metric: def.name, currency: result.currency, 'as-of': result.as_of });
                }
                // The rows are built from the catalog's own columns and written as JSON by DuckDB; re-validating
                // thousands of them against the response schema (which documents them in /docs) would cost more
                // than the query. The answer is kept until the warehouse changes (who asks is part of the key:
                // individuals depend on it).
                const body = await answers.text(answerKey(def.name, request.query, request.caller), () => metricJson(app.warehouse, def, request.query, request.caller));
                return sendJsonText(reply, body);
            },
        );
    }
};
