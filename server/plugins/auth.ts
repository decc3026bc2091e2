/**
 * Who is calling, and may they? Every route declares the roles it serves (`config.roles`); this plugin
 * resolves the caller and refuses the others with 401/403.
 *
 * Three modes, decided by what the firm has set up:
 *  - local (no account that may sign in, no REALIZE_TOKENS_FILE; `npm start` on a workstation): the caller is
 *    the firm's leadership. The server listens on 127.0.0.1 unless told otherwise.
 *  - accounts (at least one enabled account in auth.accounts; the first `realize users add` turns it on):
 *    people sign in with email and password (routes/session/sign-in.ts) and carry a session cookie
 *    (plugins/session.ts); integrations send `Authorization: Bearer <token>`.
 *  - tokens (REALIZE_TOKENS_FILE and no accounts): every request carries a token from that file or one made
 *    with `realize token create`.
 * Tokens made with `realize token create` (auth.tokens, stored hashed) and those of REALIZE_TOKENS_FILE open
 * the API in every mode. An address that sends too many unknown tokens is made to wait (plugins/rate-limit.ts).
 * Which individuals a caller may see is finer than a route's roles: server/api/access.ts.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { z } from 'zod';
import type { AuditWho } from '../../capture/audit.ts';
import type { Warehouse } from '../../warehouse/warehouse.ts';
import { currentTokens, deleteExpiredSessions, enabledAccounts } from '../queries/accounts.ts';
import { ROLES, type Role } from '../roles.ts';
import { HttpProblem } from './problem.ts';
import { FailureLimiter, type FailureLimitOptions } from './rate-limit.ts';
import { secretHash } from './session-crypto.ts';
import { SessionCache, sessionCookieOf } from './session.ts';

export { ROLES, type Role };

export interface Caller {
    role: Role;
    person_id: string | null;
    /** A token's caller: the first 8 hex digits of the token's SHA-256, to tell callers apart in records without keeping the token. */
    token_id?: string;
    /** A signed-in person's caller: their account and its email. */
    account_id?: string;
    email?: string;
    /** The SHA-256 of the session cookie the caller signed in with (sign-out and password change end it or keep it). */
    session_hash?: string;
    /**
     * Local mode's caller: whoever is at the workstation, the firm's only user. Its role is leadership (what its
     * figures are shaped for), and it may also open what only admins and auditors may (accounts, the audit log):
     * there is no one else to do it, and adding the first account there turns accounts on.
     */
    local?: boolean;
}

/**
 * Who did it, as a record of a change stores it (the audit log, quotes, ingest batches): `local` in local
 * mode (whoever is at the workstation), `<role>:<person_id>` for a signed-in person or a token that names one,
 * `<role>:<email>` for an account that names no person, `<role>:token-<token_id>` for a token that names
 * none, `anonymous` when no caller is known.
 */
export function actorOf(caller: Caller | null | undefined): string {
    if (!caller) return 'anonymous';
    if (!caller.token_id && !caller.account_id) return 'local';
    if (caller.person_id) return `${caller.role}:${caller.person_id}`;
    return caller.account_id ? `${caller.role}:${caller.email}` : `${caller.role}:token-${caller.token_id}`;
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

export type AuthMode = 'local' | 'tokens' | 'accounts';

/** The sign-in state the routes change: which accounts and tokens open the API, and the sign-in limits. */
export interface AuthState {
    /** Reads again whether accounts are on and which tokens are current, and forgets cached sessions: after any account, session or token change. */
    reload(): Promise<void>;
    sessions: SessionCache;
    /** Failed sign-ins per address and per email (routes/session/sign-in.ts). */
    signInsByAddress: FailureLimiter;
    signInsByAccount: FailureLimiter;
}

declare module 'fastify' {
    interface FastifyInstance {
        /** local: every caller is leadership; accounts: people sign in; tokens: REALIZE_TOKENS_FILE names the callers. */
        readonly authMode: AuthMode;
        auth: AuthState;
    }
    interface FastifyRequest {
        /** Null when the request carries no known session or token outside local mode (routes without roles still answer). */
        caller: Caller;
    }
    interface FastifyContextConfig {
        /** Roles that may call the route; absent = anyone (health, docs). */
        roles?: readonly Role[];
    }
}

const tokenFile = z.array(z.object({ token: z.string().min(16), person_id: z.string().nullable(), role: z.enum(ROLES) }));

export interface AuthOptions {
    warehouse: Warehouse;
    tokensFile?: string;
    /** How many unknown tokens an address may send, per window (plugins/rate-limit.ts). */
    failedSignIns?: FailureLimitOptions;
    /** How many wrong passwords an address, and an account, may send per window (default 10 per 5 minutes). */
    failedPasswords?: FailureLimitOptions;
}

type TokenCaller = Required<Pick<Caller, 'role' | 'person_id' | 'token_id'>>;

export const authPlugin = fp(async (app: FastifyInstance, options: AuthOptions) => {
    const warehouse = options.warehouse;
    const fileTokens = options.tokensFile
        ? new Map(tokenFile.parse(JSON.parse(fs.readFileSync(options.tokensFile, 'utf8'))).map((t) => [t.token, { role: t.role, person_id: t.person_id, token_id: tokenId(t.token) }]))
        : null;
    /** Tokens made with `realize token create`, by their hash. */
    let dbTokens = new Map<string, TokenCaller>();
    let accountsOn = false;
    const sessions = new SessionCache(warehouse);
    const failures = new FailureLimiter(options.failedSignIns);
    const passwordLimits = { limit: 10, windowMs: 5 * 60_000, ...options.failedPasswords };

    const state: AuthState = {
        async reload() {
            accountsOn = (await enabledAccounts(warehouse)) > 0;
            const rows = await currentTokens(warehouse);
            dbTokens = new Map(rows.map((t) => [t.token_hash, { role: t.role as Role, person_id: t.person_id, token_id: t.token_id }]));
            sessions.forget();
        },
        sessions,
        signInsByAddress: new FailureLimiter(passwordLimits),
        signInsByAccount: new FailureLimiter(passwordLimits),
    };
    // Sessions that expired while the server was down are of no use to anyone.
    await deleteExpiredSessions(warehouse);
    await state.reload();
    const mode = (): AuthMode => (accountsOn ? 'accounts' : fileTokens ? 'tokens' : 'local');
    app.decorate('authMode', { getter: mode });
    app.decorate('auth', state);
    app.decorateRequest('caller', null as unknown as Caller);

    const tokenCaller = (token: string): TokenCaller | undefined => fileTokens?.get(token) ?? dbTokens.get(secretHash(token));

    app.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
        const header = request.headers.authorization;
        const local = mode() === 'local';
        // An address that sent too many unknown tokens waits, whatever it sends now: answering a right
        // guess during the wait would keep the guessing going.
        const wait = header === undefined ? 0 : failures.retryAfter(request.ip);
        if (wait > 0 && !local) {
            reply.header('retry-after', String(wait));
            throw new HttpProblem(
                429,
                'Too many failed sign-ins',
                `${failures.limit} unknown tokens came from this address within ${failures.windowMs / 1000} s; try again in ${wait} s with a current token`,
            );
        }
        let caller: Caller | null = null;
        if (header !== undefined) {
            const found = header.startsWith('Bearer ') ? tokenCaller(header.slice(7)) : undefined;
            caller = found ? { ...found } : null;
            // Local mode answers every request as leadership; a token it does not know is not a failure there.
            if (!found && !local && failures.fail(request.ip) === failures.limit) {
                request.log.warn({ address: request.ip, failures: failures.limit }, 'too many unknown tokens from one address: its sign-ins wait for the window to end');
            }
        } else {
            const cookie = sessionCookieOf(request);
            if (cookie) caller = await sessions.caller(secretHash(cookie));
        }
        request.caller = (caller ?? (local ? { role: 'leadership', person_id: null, local: true } : null)) as Caller;

        const roles = request.routeOptions.config?.roles;
        if (!roles) return;
        if (!request.caller) {
            throw new HttpProblem(
                401,
                'Not signed in',
                header
                    ? 'the token sent is not one this server knows; sign in again with a current token'
                    : mode() === 'accounts'
                      ? 'sign in with your email and password (POST /api/session/sign-in), or send Authorization: Bearer <token>'
                      : 'send Authorization: Bearer <token> (see the README, "Access")',
            );
        }
        if (!request.caller.local && !roles.includes(request.caller.role)) {
            throw new HttpProblem(403, 'Not allowed', `${request.caller.role} may not call this route; it serves ${roles.join(', ')}`);
        }
    });
});
