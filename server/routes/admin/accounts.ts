/**
 * The Admin page's API: accounts (list, add, change role or person, disable, reset password) and API tokens
 * (list, make, revoke). Admins only; every change is recorded in the audit log (server/api/accounts.ts) and
 * takes effect on the next request (AuthState.reload).
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { changeAccount, createAccount, createToken, revokeToken, setPassword } from '../../api/accounts.ts';
import { auditActor } from '../../plugins/auth.ts';
import { listAccounts, listTokens } from '../../queries/accounts.ts';
import { ROLE_GROUPS } from '../../roles.ts';
import {
    accountChangeBody,
    accountParams,
    accountRow,
    accountsAnswer,
    newAccountBody,
    newTokenAnswer,
    newTokenBody,
    passwordResetBody,
    tokenParams,
    tokenRow,
    tokensAnswer,
    type AccountRowOut,
} from '../../schemas/accounts.ts';

const config = { roles: ROLE_GROUPS.admin };
const tags = ['admin'];

export const accountRoutes: FastifyPluginAsyncZod = async (app) => {
    /** Runs a change to accounts or tokens, then reloads who may call: the answer comes once it applies. */
    const applied = async <T>(change: () => Promise<T>): Promise<T> => {
        const out = await change();
        await app.auth.reload();
        return out;
    };

    app.get('/admin/accounts', { config, schema: { summary: 'Every account, by email', tags, response: { 200: accountsAnswer } } }, async () => ({
        accounts: (await listAccounts(app.warehouse)) as AccountRowOut[],
    }));

    app.post(
        '/admin/accounts',
        { config, schema: { summary: 'Add an account; the first one turns accounts mode on', tags, body: newAccountBody, response: { 200: accountRow } } },
        async (request) => (await applied(() => createAccount(app.warehouse, request.body, auditActor(request)))) as AccountRowOut,
    );

    app.patch(
        '/admin/accounts/:account_id',
        {
            config,
            schema: { summary: 'Change an account’s role or person, or disable / enable it (disabling ends its sessions)', tags, params: accountParams, body: accountChangeBody, response: { 200: accountRow } },
        },
        async (request) => (await applied(() => changeAccount(app.warehouse, request.params.account_id, request.body, auditActor(request)))) as AccountRowOut,
    );

    app.post(
        '/admin/accounts/:account_id/password',
        {
            config,
            schema: { summary: 'Set an account’s password (a reset); its sessions end', tags, params: accountParams, body: passwordResetBody, response: { 200: z.object({ changed: z.boolean() }) } },
        },
        async (request) => {
            await applied(() => setPassword(app.warehouse, request.params.account_id, request.body.password, auditActor(request)));
            return { changed: true };
        },
    );

    app.get('/admin/tokens', { config, schema: { summary: 'Every API token, current and revoked (never the token itself)', tags, response: { 200: tokensAnswer } } }, async () => ({
        tokens: (await listTokens(app.warehouse)) as z.infer<typeof tokenRow>[],
    }));

    app.post(
        '/admin/tokens',
        { config, schema: { summary: 'Make an API token for an integration: shown once in the answer, stored hashed', tags, body: newTokenBody, response: { 200: newTokenAnswer } } },
        async (request) => (await applied(() => createToken(app.warehouse, request.body, auditActor(request)))) as z.infer<typeof newTokenAnswer>,
    );

    app.post(
        '/admin/tokens/:token_id/revoke',
        { config, schema: { summary: 'Revoke an API token: it opens nothing from the next request on', tags, params: tokenParams, response: { 200: tokenRow } } },
        async (request) => (await applied(() => revokeToken(app.warehouse, request.params.token_id, auditActor(request)))) as z.infer<typeof tokenRow>,
    );
};
