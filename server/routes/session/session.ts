/**
 * What the dashboard reads about the caller and the catalog, none of it taking a parameter: who the caller is
 * (GET /api/me), the labels behind the filters and the people directory (GET /api/dimensions), what every
 * figure means (GET /api/definitions), and all three in one request (GET /api/session).
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { PROJECT_ACCESS_RULE } from '../../api/access.ts';
import { dimensionsFor, TERMS } from '../../api/dimensions.ts';
import { ROLE_GROUPS } from '../../roles.ts';
import { definitionsAnswer } from '../../schemas/definitions.ts';
import { dimensionsAnswer } from '../../schemas/dimensions.ts';
import { meAnswer, sessionAnswer } from '../../schemas/session.ts';
import { definitionsBody } from './definitions.ts';
import { meOf } from './me.ts';

const ME = {
    summary: 'Who the caller is: the server’s access mode and, when signed in, the role and person their token names',
    description:
        'Open to every request, signed in or not, so a client can tell whether it needs a token. Local mode: every caller is leadership with no person. Tokens mode: without a known token, signed_in is false (and reason says why when a token was sent).',
};

const DIMENSIONS = {
    summary: 'Clients, projects, roles, departments, project types and the people directory: the labels behind the filters',
    description:
        'people is the directory (name, role, department, weekly hours) that labels drill-down rows: all people for leadership, finance and project managers; only themself for an engineer; null for sales. Figures about individuals follow the rule of the metric routes (see /api/utilization). ' +
        `A project's terms (${TERMS.join(', ')}) are given to leadership and finance for every project, to a project manager for the projects they manage, and to no one else: the other projects come without them. ${PROJECT_ACCESS_RULE}`,
};

const DEFINITIONS = { summary: 'What every figure means: the metric catalog, the funnel stages and leaks, and each mart column described in its .yml' };

const SESSION = {
    summary: 'What the dashboard starts with, in one request: /api/me, and when signed in /api/dimensions and /api/definitions',
    description:
        'Open to every request. dimensions and definitions are null when the caller is not signed in (tokens mode without a known token), so a client learns it must ask for a token without a 401.',
};

/** The schema of a read that takes no parameters, in the document's dimensions group, answered with `answer`. */
function read<A extends z.ZodType>(doc: { summary: string; description?: string }, answer: A) {
    return { ...doc, tags: ['dimensions'], querystring: z.strictObject({}), response: { 200: answer } };
}

export const sessionRoutes: FastifyPluginAsyncZod = async (app) => {
    const roles = ROLE_GROUPS.everyone;

    // /api/me and /api/session are open to every request, signed in or not.
    app.get('/me', { schema: read(ME, meAnswer) }, async (request) => meOf(app, request));

    // Built from the marts' own columns: no need to re-validate thousands of labels on every request.
    app.get('/dimensions', { config: { roles }, schema: read(DIMENSIONS, dimensionsAnswer) }, async (request, reply) =>
        reply.serializer(JSON.stringify).send(await dimensionsFor(app.warehouse, request.caller)),
    );

    app.get('/definitions', { config: { roles }, schema: read(DEFINITIONS, definitionsAnswer) }, async () => definitionsBody(app));

    app.get('/session', { schema: read(SESSION, sessionAnswer) }, async (request, reply) => {
        const me = await meOf(app, request);
        const [dimensions, definitions] = request.caller ? await Promise.all([dimensionsFor(app.warehouse, request.caller), definitionsBody(app)]) : [null, null];
        return reply.serializer(JSON.stringify).send({ me, dimensions, definitions });
    });
};
