/**
 * Who is calling, and may they? Every route declares the roles it serves (`config.roles`); this plugin
 * resolves the caller and refuses the others with 401/403.
 *
 * Two modes:
 *  - local (default; `npm start` on a workstation): no tokens configured, the caller is the firm's
 *    leadership. The server listens on 127.0.0.1 unless told otherwise.
 *  - tokens: a JSON file (REALIZE_TOKENS_FILE) lists `{ token, person_id, role }`; every request carries
 *    `Authorization: Bearer <token>`. An address that sends too many unknown tokens is made to wait
 *    (plugins/rate-limit.ts).
 * Which individuals a caller may see is finer than a route's roles: server/api/access.ts.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { z } from 'zod';
import type { AuditWho } from '../../capture/audit.ts';
import { HttpProblem } from './problem.ts';
import { FailureLimiter, type FailureLimitOptions } from './rate-limit.ts';
import { ROLES, type Role } from '../roles.ts';

export { ROLES, type Role };

export interface Caller {
    role: Role;
    person_id: string | null;
    /** Tokens mode: the first 8 hex digits of the token's SHA-256, to tell callers apart in records without keeping the token. Absent in local mode. */
    token_id?: string;
}

/**
 * Who did it, as a record of a change stores it (quotes, ingest batches): `local` in local mode (whoever is at
 * the workstation), `<role>:<person_id>` for a token that names a person, `<role>:token-<token_id>` for one that
 * names none, `anonymous` when no caller is known.
 */
export function actorOf(caller: Caller | null | undefined): string {
    if (!caller) return 'anonymous';
    if (!caller.token_id) return 'local';
    return caller.person_id ? `${caller.role}:${caller.person_id}` : `${caller.role}:token-${caller.token_id}`;
}

/**
 * Who made a change and from where, as an audit event records it (capture/audit.ts recordAudit): spread it into
 * the event, `recordAudit(warehouse, { ...auditActor(request), action, entity, ... })`.
 */
export function auditActor(request: FastifyRequest): AuditWho {
    const caller = request.caller as Caller | null;
    return { actor: actorOf(caller), role: caller?.role ?? null, person_id: caller?.person_id ?? null, address: request.ip };
}

export const tokenId = (token: string) => crypto.createHash('sha256').update(token).digest('hex').slice(0, 8);

export type AuthMode = 'local' | 'tokens';

declare module 'fastify' {
    interface FastifyInstance {
        /** local: no tokens, every caller is leadership; tokens: REALIZE_TOKENS_FILE names the callers. */
        authMode: AuthMode;
    }
    interface FastifyRequest {
        /** Null in tokens mode when the request carries no known token (routes without roles still answer). */
        caller: Caller;
    }
    interface FastifyContextConfig {
        /** Roles that may call the route; absent = anyone (health, docs). */
        roles?: readonly Role[];
    }
}

const tokenFile = z.array(z.object({ token: z.string().min(16), person_id: z.string().nullable(), role: z.enum(ROLES) }));

export interface AuthOptions {
    tokensFile?: string;
    /** How many unknown tokens an address may send, per window (plugins/rate-limit.ts). */
    failedSignIns?: FailureLimitOptions;
}

export const authPlugin = fp(async (app: FastifyInstance, options: AuthOptions) => {
    const tokens = options.tokensFile ? new Map(tokenFile.parse(JSON.parse(fs.readFileSync(options.tokensFile, 'utf8'))).map((t) => [t.token, { ...t, token_id: tokenId(t.token) }])) : null;
    app.decorate('authMode', tokens ? 'tokens' : 'local');
    const failures = new FailureLimiter(options.failedSignIns);
    app.decorateRequest('caller', null as unknown as Caller);
    app.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
        if (!tokens) {
            request.caller = { role: 'leadership', person_id: null };
        } else {
            const header = request.headers.authorization;
            // An address that sent too many unknown tokens waits, whatever it sends now: answering a right
            // guess during the wait would keep the guessing going.
            const wait = header === undefined ? 0 : failures.retryAfter(request.ip);
            if (wait > 0) {
                reply.header('retry-after', String(wait));
                throw new HttpProblem(
                    429,
                    'Too many failed sign-ins',
                    `${failures.limit} unknown tokens came from this address within ${failures.windowMs / 1000} s; try again in ${wait} s with a current token`,
                );
            }
            const found = header?.startsWith('Bearer ') ? tokens.get(header.slice(7)) : undefined;
            request.caller = found ? { role: found.role, person_id: found.person_id, token_id: found.token_id } : (null as unknown as Caller);
            if (header !== undefined && !found && failures.fail(request.ip) === failures.limit) {
                request.log.warn({ address: request.ip, failures: failures.limit }, 'too many unknown tokens from one address: its sign-ins wait for the window to end');
            }
        }
        const roles = request.routeOptions.config?.roles;
        if (!roles) return;
        if (!request.caller) {
            throw new HttpProblem(
                401,
                'Not signed in',
                request.headers.authorization
                    ? 'the token sent is not one this server knows (REALIZE_TOKENS_FILE); sign in again with a current token'
                    : 'send Authorization: Bearer <token> (see the README, "Access")',
            );
        }
        if (!roles.includes(request.caller.role)) {
            throw new HttpProblem(403, 'Not allowed', `${request.caller.role} may not call this route; it serves ${roles.join(', ')}`);
        }
    });
});
