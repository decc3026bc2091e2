/**
 * Signing in and out, and changing one's password (accounts mode; plugins/auth.ts). Wrong passwords are
 * counted per address and per email (plugins/rate-limit.ts): past the limit both wait, whatever they send.
 * A wrong email and a wrong password get the same answer, after the same work.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { normalEmail, setPassword } from '../../api/accounts.ts';
import { auditActor, type Caller } from '../../plugins/auth.ts';
import { HttpProblem } from '../../plugins/problem.ts';
import { secretHash, verifyPassword } from '../../plugins/session-crypto.ts';
import { clearSessionCookie, sessionCookieOf, startSession } from '../../plugins/session.ts';
import type { FailureLimiter } from '../../plugins/rate-limit.ts';
import { accountByEmail, deleteSession, passwordOf } from '../../queries/accounts.ts';
import { ROLE_GROUPS, type Role } from '../../roles.ts';
import { meAnswer, passwordChangeBody, signInBody } from '../../schemas/session.ts';
import { meOf } from './me.ts';

/** A 429 when any of the limiters makes this sign-in wait. */
function waitIfLimited(reply: FastifyReply, checks: [FailureLimiter, string][]): void {
    const wait = Math.max(...checks.map(([limiter, key]) => limiter.retryAfter(key)));
    if (wait <= 0) return;
    reply.header('retry-after', String(wait));
    throw new HttpProblem(429, 'Too many failed sign-ins', `too many wrong passwords for this account or from this address; try again in ${wait} s`);
}

const wrongPassword = () => new HttpProblem(401, 'Wrong email or password', 'the email and password do not match an account; check both and try again', 'password');

export const signInRoutes: FastifyPluginAsyncZod = async (app) => {
    app.post(
        '/session/sign-in',
        {
            schema: {
                summary: 'Sign in with email and password: sets the session cookie (httpOnly, SameSite=Strict) and answers who is now signed in',
                tags: ['session'],
                body: signInBody,
                response: { 200: meAnswer },
            },
        },
        async (request, reply) => {
            if (app.authMode !== 'accounts') {
                throw new HttpProblem(409, 'Sign-in is off', 'this server has no accounts, so there is no one to sign in as: `realize users add --role admin` makes the first one');
            }
            const email = normalEmail(request.body.email);
            const { signInsByAddress: byAddress, signInsByAccount: byAccount } = app.auth;
            waitIfLimited(reply, [
                [byAddress, request.ip],
                [byAccount, email],
            ]);
            const account = await accountByEmail(app.warehouse, email);
            const ok = await verifyPassword(request.body.password, account ? await passwordOf(app.warehouse, account.account_id) : null);
            if (!ok || !account) {
                byAddress.fail(request.ip);
                byAccount.fail(email);
                request.log.info({ address: request.ip }, 'sign-in refused: wrong email or password');
                throw wrongPassword();
            }
            if (account.disabled) throw new HttpProblem(403, 'Account disabled', `${email} is disabled; an admin can enable it again`);
            await startSession(app.warehouse, request, reply, account.account_id);
            request.caller = { role: account.role as Role, person_id: account.person_id, account_id: account.account_id, email: account.email };
            return meOf(app, request);
        },
    );

    app.post(
        '/session/sign-out',
        {
            schema: {
                summary: 'Sign out: ends the session of the cookie sent and clears the cookie',
                tags: ['session'],
                response: { 200: z.object({ signed_out: z.boolean() }) },
            },
        },
        async (request, reply) => {
            const cookie = sessionCookieOf(request);
            if (cookie) {
                await deleteSession(app.warehouse, secretHash(cookie));
                app.auth.sessions.forget();
            }
            clearSessionCookie(request, reply);
            return { signed_out: cookie !== null };
        },
    );

    app.post(
        '/session/password',
        {
            config: { roles: ROLE_GROUPS.everyone },
            schema: {
                summary: 'Change your own password; your other sessions end',
                tags: ['session'],
                body: passwordChangeBody,
                response: { 200: z.object({ changed: z.boolean() }) },
            },
        },
        async (request: FastifyRequest<{ Body: z.infer<typeof passwordChangeBody> }>, reply) => {
            const caller = request.caller as Caller;
            if (!caller.account_id) {
                throw new HttpProblem(409, 'No password to change', 'you are not signed in with an account (local mode, or a token): only an account has a password');
            }
            waitIfLimited(reply, [[app.auth.signInsByAccount, caller.email!]]);
            if (!(await verifyPassword(request.body.current_password, await passwordOf(app.warehouse, caller.account_id)))) {
                app.auth.signInsByAccount.fail(caller.email!);
                throw new HttpProblem(400, 'Invalid parameter: current_password', 'that is not your current password', 'current_password');
            }
            await setPassword(app.warehouse, caller.account_id, request.body.new_password, auditActor(request), { keepSession: caller.session_hash ?? null, field: 'new_password', own: true });
            app.auth.sessions.forget();
            return { changed: true };
        },
    );
};
