/** Who the caller is, as GET /api/me and /api/session answer it to every request, signed in or not. */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { personOf } from '../../queries/dimensions.ts';
import { homeFor, pagesFor, type Role } from '../../roles.ts';
import type { Me } from '../../schemas/session.ts';

/** The pages a role may open, as /api/me answers them. */
function pagesOf(role: Role | null) {
    return { pages: pagesFor(role).map((p) => ({ href: p.href, label: p.label })), home: homeFor(role) };
}

export async function meOf(app: FastifyInstance, request: FastifyRequest): Promise<Me> {
    const caller = request.caller;
    const person = caller?.person_id ? await personOf(app.warehouse, caller.person_id) : undefined;
    return {
        mode: app.authMode,
        signed_in: Boolean(caller),
        reason: !caller && request.headers.authorization ? 'The token is not one this server knows.' : null,
        role: caller?.role ?? null,
        person_id: caller?.person_id ?? null,
        email: caller?.email ?? null,
        name: person?.name ?? null,
        person_role: person?.role ?? null,
        department: person?.department || null,
        // Signed out, and local mode's one user, see every page (plugins/auth.ts Caller.local).
        ...pagesOf(caller && !caller.local ? caller.role : null),
    };
}
