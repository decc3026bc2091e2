/** GET /api/me: who the caller is, answered to every request, signed in or not. */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { personOf } from '../../queries/dimensions.ts';
import { homeFor, pagesFor, type Role } from '../../roles.ts';
import { meAnswer, type Me } from '../../schemas/session.ts';

/** The pages a role may open, as /api/me answers them. */
function pagesOf(role: Role | null) {
    return { pages: pagesFor(role).map((p) => ({ href: p.href, label: p.label })), home: homeFor(role) };
}

export async function meOf(app: FastifyInstance, request: FastifyRequest): Promise<Me> {
    const caller = request.caller;
    if (!caller) {
        return {
            mode: app.authMode,
            signed_in: false,
            reason: request.headers.authorization ? 'The token is not one this server knows.' : null,
            role: null,
            person_id: null,
            email: null,
            name: null,
            person_role: null,
            department: null,
            ...pagesOf(null),
        };
    }
    const person = caller.person_id ? await personOf(app.warehouse, caller.person_id) : undefined;
    return {
        mode: app.authMode,
        signed_in: true,
        reason: null,
        role: caller.role,
        person_id: caller.person_id,
        email: caller.email ?? null,
        name: person?.name ?? null,
        person_role: person?.role ?? null,
        department: person?.department || null,
        // Local mode's one user may open every page (plugins/auth.ts Caller.local).
        ...pagesOf(caller.local ? null : caller.role),
    };
}

export const meRoutes: FastifyPluginAsyncZod = async (app) => {
    app.get(
        '/me',
        {
            schema: {
                summary: 'Who the caller is: the server’s access mode and, when signed in, the role and person their token names',
                description:
                    'Open to every request, signed in or not, so a client can tell whether it needs a token. Local mode: every caller is leadership with no person. Tokens mode: without a known token, signed_in is false (and reason says why when a token was sent).',
                tags: ['dimensions'],
                querystring: z.strictObject({}),
                response: { 200: meAnswer },
            },
        },
        async (request) => meOf(app, request),
    );
};
