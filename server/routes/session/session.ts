/** GET /api/session: what the dashboard starts with, in one request. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { dimensionsFor } from '../../api/dimensions.ts';
import { sessionAnswer } from '../../schemas/session.ts';
import { definitionsBody } from './definitions.ts';
import { meOf } from './me.ts';

export const sessionRoutes: FastifyPluginAsyncZod = async (app) => {
    app.get(
        '/session',
        {
            schema: {
                summary: 'What the dashboard starts with, in one request: /api/me, and when signed in /api/dimensions and /api/definitions',
                description:
                    'Open to every request. dimensions and definitions are null when the caller is not signed in (tokens mode without a known token), so a client learns it must ask for a token without a 401.',
                tags: ['dimensions'],
                querystring: z.strictObject({}),
                response: { 200: sessionAnswer },
            },
        },
        async (request, reply) => {
            const me = await meOf(app, request);
            const [dimensions, definitions] = request.caller ? await Promise.all([dimensionsFor(app.warehouse, request.caller), definitionsBody(app)]) : [null, null];
            return reply.serializer(JSON.stringify).send({ me, dimensions, definitions });
        },
    );
};
