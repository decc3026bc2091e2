/** Every route × every role over the route-access firm (test/helpers/route-access.ts), signed in with a session cookie. */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAccount } from '../../server/api/accounts.ts';
import { buildApp } from '../../server/app.ts';
import type { Role } from '../../server/plugins/auth.ts';
import type { Warehouse } from '../../warehouse/warehouse.ts';
import { ROUTES, scopeFirm, TOKENS, type Projects } from '../helpers/route-access.ts';
import type { ServedFirm } from '../helpers/server.ts';

let firm: ServedFirm;
let warehouse: Warehouse;
let OWN: Projects;
let OTHER: Projects;

beforeAll(async () => {
    ({ firm, warehouse, OWN, OTHER } = await scopeFirm());
});

afterAll(async () => firm?.close());

/**
 * The same walk signed in with a session cookie: one account per role over the same firm (accounts mode).
 * Each route answers 401 without a session and 403 to a role it does not serve; a role it serves gets past
 * both. Signing out is left out of the walk (it would end the session) and checked in test/server/sessions.test.ts.
 */
describe('every route × every role, signed in with a session cookie', () => {
    let accounts: FastifyInstance;
    const cookies = new Map<Role, string>();
    /** What a caller the route serves gets where the token walk's answer does not apply. */
    const SESSION_STATUS: Record<string, readonly number[]> = {
        // A wrong password, counted per account and address: 401, then 429 once the limit is reached.
        'POST /api/session/sign-in': [401, 429],
        // An account's password can be changed, but not with a wrong current one.
        'POST /api/session/password': [400],
    };

    beforeAll(async () => {
        for (const [role, t] of Object.entries(TOKENS)) {
            await createAccount(warehouse, { email: `${role}@scope.example`, role, person_id: t.person_id, password: `the password of ${role}` }, { actor: 'test' });
        }
        accounts = await buildApp({ warehouse });
        for (const role of Object.keys(TOKENS) as Role[]) {
            const res = await accounts.inject({ method: 'POST', url: '/api/session/sign-in', payload: { email: `${role}@scope.example`, password: `the password of ${role}` } });
            expect(res.statusCode, res.body).toBe(200);
            cookies.set(role, String(res.headers['set-cookie']).split(';')[0]!);
        }
    });
    afterAll(async () => accounts?.close());

    it('runs in accounts mode', async () => {
        expect((await accounts.inject({ url: '/api/me' })).json()).toMatchObject({ mode: 'accounts', signed_in: false });
        expect((await accounts.inject({ url: '/api/me', headers: { cookie: cookies.get('finance')! } })).json()).toMatchObject({ mode: 'accounts', signed_in: true, role: 'finance', email: 'finance@scope.example' });
    });

    for (const [route, calls] of Object.entries(ROUTES)) {
        if (route === 'POST /api/session/sign-out') continue;
        it(`${route}`, async () => {
            for (const [i, call] of calls.entries()) {
                for (const who of [...cookies.keys(), 'anonymous'] as const) {
                    for (const [which, p] of [['own', OWN], ['other', OTHER]] as const) {
                        const served = call.roles === 'anyone' || (who !== 'anonymous' && call.roles.includes(who));
                        if (call.refusalsOnly && served) continue;
                        const label = `${route} #${i} ${who} ${which}: ${call.url(p)}`;
                        const headers = who === 'anonymous' ? {} : { cookie: cookies.get(who)! };
                        const res = await accounts.inject({ method: call.method ?? 'GET', url: call.url(p), headers, ...(call.body ? { payload: call.body(p) as object } : {}) });
                        expect(res.statusCode, `${label}\n${res.body.slice(0, 300)}`).toBeLessThan(500);
                        if (!served) {
                            expect(res.statusCode, label).toBe(who === 'anonymous' ? 401 : 403);
                            continue;
                        }
                        if (who === 'project_manager' && which === 'other' && call.projects === 'project' && res.statusCode === 403) continue;
                        const expected = SESSION_STATUS[route] ?? [call.status ?? 200];
                        expect(expected, `${label}\n${res.body.slice(0, 300)}`).toContain(res.statusCode);
                    }
                }
            }
        });
    }
});
