/** GET /api/dimensions: the labels behind the filters and the people directory, as the caller may see them. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { PROJECT_ACCESS_RULE } from '../../api/access.ts';
import { dimensionsFor, TERMS } from '../../api/dimensions.ts';
import { ROLE_GROUPS } from '../../roles.ts';
import { dimensionsAnswer } from '../../schemas/dimensions.ts';

export const dimensionRoutes: FastifyPluginAsyncZod = async (app) => {
    app.get(
        '/dimensions',
        {
            config: { roles: ROLE_GROUPS.everyone },
            schema: {
                summary: 'Clients, projects, roles, departments, project types and the people directory: the labels behind the filters',
                description:
                    'people is the directory (name, role, department, weekly hours) that labels drill-down rows: all people for leadership, finance and project managers; only themself for an engineer; null for sales. Figures about individuals follow the rule of the metric routes (see /api/utilization). ' +
                    `A project's terms (${TERMS.join(', ')}) are given to leadership and finance for every project, to a project manager for the projects they manage, and to no one else: the other projects come without them. ${PROJECT_ACCESS_RULE}`,
                tags: ['dimensions'],
                querystring: z.strictObject({}),
                response: { 200: dimensionsAnswer },
            },
        },
        // Built from the marts' own columns: no need to re-validate thousands of labels on every request.
        async (request, reply) => reply.serializer(JSON.stringify).send(await dimensionsFor(app.warehouse, request.caller)),
    );
};
