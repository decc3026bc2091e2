/**
 * Accounts and sign-in (server/plugins/auth.ts, session.ts, routes/session/sign-in.ts, routes/admin/accounts.ts):
 * the mode follows the accounts, passwords and sessions are kept only as hashes, the cookie is httpOnly and
 * SameSite=Strict with an expiry, wrong passwords are limited per account and per address, and every
 * change of an account takes effect at once and is in the audit log.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { createAccount } from '../../server/api/accounts.ts';
import { buildApp } from '../../server/app.ts';
import { secretHash } from '../../server/plugins/session-crypto.ts';
import { TINY } from '../helpers/fixtures.ts';
import { buildFixture } from '../helpers/models.ts';
import type { Warehouse } from '../../warehouse/warehouse.ts';

let warehouse: Warehouse;
let app: FastifyInstance;
const ADMIN = { email: 'admin@tiny.example', password: 'the admin password' };
const ENGINEER = { email: 'ada@tiny.example', password: 'the engineer password' };

const cookieOf = (res: LightMyRequestResponse) => String(res.headers['set-cookie']).split(';')[0]!;
const signIn = (body: { email: string; password: string }, remoteAddress = '127.0.0.1') =>
    app.inject({ method: 'POST', url: '/api/session/sign-in', payload: body, remoteAddress });
const as = (cookie: string, url: string, method: 'GET' | 'POST' | 'PATCH' = 'GET', payload?: object) =>
    app.inject({ method, url, headers: { cookie }, ...(payload ? { payload } : {}) });
const events = (action: string) => warehouse.all<{ actor: string; entity_id: string; before: string | null; after: string | null }>(
    `select actor, entity_id, before::varchar as before, after::varchar as after from audit.events where action = $1 order by event_id`, [action]);

beforeAll(async () => {
    warehouse = await buildFixture(TINY);
    app = await buildApp({ warehouse });
});
afterAll(async () => {
    await app?.close();
    warehouse?.close();
});

describe('the mode', () => {
    it('is local while no account may sign in, and accounts from the first account with a password', async () => {
        expect((await app.inject({ url: '/api/me' })).json()).toMatchObject({ mode: 'local', signed_in: true, role: 'leadership' });
        expect((await signIn(ADMIN)).statusCode).toBe(409);
        // Local mode's one user adds the first admin (the Admin page): from then on, everyone signs in.
        const made = await app.inject({ method: 'POST', url: '/api/admin/accounts', payload: { ...ADMIN, role: 'admin' } });
        expect(made.statusCode, made.body).toBe(200);
        expect(made.json()).toMatchObject({ email: 'admin@tiny.example', role: 'admin', has_password: true, disabled: false });
        expect((await app.inject({ url: '/api/me' })).json()).toMatchObject({ mode: 'accounts', signed_in: false });
        expect((await app.inject({ url: '/api/funnel' })).statusCode).toBe(401);
        // Who made it: local mode's user, from its address.
        expect((await events('create')).at(-1)).toMatchObject({ actor: 'local' });
    });
});

describe('signing in', () => {
    it('sets an httpOnly, SameSite=Strict cookie with an expiry, and keeps only hashes', async () => {
        const res = await signIn(ADMIN);
        expect(res.statusCode, res.body).toBe(200);
        expect(res.json()).toMatchObject({ signed_in: true, role: 'admin', email: 'admin@tiny.example' });
        const header = String(res.headers['set-cookie']);
        expect(header).toMatch(/^realize_session=[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; SameSite=Strict; Max-Age=43200$/);
        // Over plain http (as here) the cookie is not Secure, or the browser would drop it.
        expect(header).not.toContain('Secure');
        const value = cookieOf(res).split('=')[1]!;
        const stored = await warehouse.all<{ session_hash: string }>(`select session_hash from auth.sessions`);
        expect(stored.map((s) => s.session_hash)).toContain(secretHash(value));
        expect(JSON.stringify(stored)).not.toContain(value);
        const account = await warehouse.one<{ password_hash: string }>(`select password_hash from auth.accounts where email = $1`, [ADMIN.email]);
        expect(account!.password_hash).toMatch(/^scrypt\$32768\$8\$1\$[A-Za-z0-9+/=]{24}\$[A-Za-z0-9+/=]{44}$/);
        expect(account!.password_hash).not.toContain(ADMIN.password);
        expect((await as(cookieOf(res), '/api/admin/accounts')).statusCode).toBe(200);
    });

    it('answers a wrong password and an unknown email alike, naming the password field', async () => {
        const wrong = await signIn({ email: ADMIN.email, password: 'not the password' }, '10.0.0.1');
        const unknown = await signIn({ email: 'nobody@tiny.example', password: 'not the password' }, '10.0.0.1');
        for (const res of [wrong, unknown]) {
            expect(res.statusCode).toBe(401);
            expect(res.json()).toMatchObject({ title: 'Wrong email or password', parameter: 'password' });
            expect(res.headers['set-cookie']).toBeUndefined();
        }
        // An empty field is named before any check.
        const empty = await signIn({ email: '', password: 'x' }, '10.0.0.1');
        expect(empty.statusCode).toBe(400);
        expect(empty.json().parameter).toBe('email');
    });

    it('limits wrong passwords per account, from any address, and then refuses even the right one', async () => {
        await createAccount(warehouse, { email: 'target@tiny.example', role: 'finance', password: 'the right password' }, { actor: 'test' });
        await app.auth.reload();
        // Ten wrong passwords from ten addresses: the eleventh try waits, right password or not.
        for (let i = 0; i < 10; i++) expect((await signIn({ email: 'target@tiny.example', password: `wrong ${i} password` }, `10.1.0.${i}`)).statusCode).toBe(401);
        const blocked = await signIn({ email: 'target@tiny.example', password: 'the right password' }, '10.1.0.99');
        expect(blocked.statusCode).toBe(429);
        expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
    });

    it('limits wrong passwords per address, whichever accounts they name', async () => {
        for (let i = 0; i < 10; i++) expect((await signIn({ email: `guess${i}@tiny.example`, password: 'a guessed password' }, '10.2.0.1')).statusCode).toBe(401);
        expect((await signIn(ADMIN, '10.2.0.1')).statusCode).toBe(429);
        // Another address signs in as ever.
        expect((await signIn(ADMIN, '10.2.0.2')).statusCode).toBe(200);
    });
});

describe('an expired session', () => {
    it('opens nothing, and is deleted when the next server starts', async () => {
        const cookie = cookieOf(await signIn(ADMIN));
        const hash = secretHash(cookie.split('=')[1]!);
        await warehouse.run(`update auth.sessions set expires_at = now() - interval 1 minute where session_hash = $1`, [hash]);
        app.auth.sessions.forget();
        expect((await as(cookie, '/api/admin/accounts')).statusCode).toBe(401);
        const next = await buildApp({ warehouse });
        await next.close();
        expect(await warehouse.all(`select 1 from auth.sessions where session_hash = $1`, [hash])).toEqual([]);
    });
});

describe('signing out', () => {
    it('ends the session: the cookie opens nothing after, and is cleared', async () => {
        const cookie = cookieOf(await signIn(ADMIN));
        expect((await as(cookie, '/api/admin/accounts')).statusCode).toBe(200);
        const out = await as(cookie, '/api/session/sign-out', 'POST');
        expect(out.json()).toEqual({ signed_out: true });
        expect(String(out.headers['set-cookie'])).toContain('Max-Age=0');
        expect((await as(cookie, '/api/admin/accounts')).statusCode).toBe(401);
        const hash = secretHash(cookie.split('=')[1]!);
        expect(await warehouse.all(`select 1 from auth.sessions where session_hash = $1`, [hash])).toEqual([]);
    });
});

describe('an account’s changes', () => {
    let admin: string;
    let engineerId: string;
    beforeAll(async () => {
        admin = cookieOf(await signIn(ADMIN));
        const made = await as(admin, '/api/admin/accounts', 'POST', { ...ENGINEER, role: 'engineer', person_id: 'P1' });
        expect(made.statusCode, made.body).toBe(200);
        engineerId = made.json().account_id;
    });

    it('refuses a short password, an unknown person, a taken email and an unknown role, naming the field', async () => {
        const cases: [object, number, string][] = [
            [{ email: 'x@tiny.example', role: 'engineer', password: 'short' }, 400, 'password'],
            [{ email: 'x@tiny.example', role: 'engineer', person_id: 'P404' }, 400, 'person_id'],
            [{ email: 'ADA@tiny.example', role: 'engineer' }, 409, 'email'],
            [{ email: 'x@tiny.example', role: 'owner' }, 400, 'role'],
        ];
        for (const [body, status, field] of cases) {
            const res = await as(admin, '/api/admin/accounts', 'POST', body);
            expect(res.statusCode, res.body).toBe(status);
            expect(res.json().parameter, res.body).toBe(field);
        }
    });

    it('a role change applies at the next request, and is recorded with the role before and after', async () => {
        const engineer = cookieOf(await signIn(ENGINEER));
        expect((await as(engineer, '/api/audit')).statusCode).toBe(403);
        expect((await as(admin, `/api/admin/accounts/${engineerId}`, 'PATCH', { role: 'finance' })).statusCode).toBe(200);
        expect((await as(engineer, '/api/audit')).statusCode).toBe(200);
        const [event] = (await events('update')).filter((e) => e.entity_id === engineerId);
        expect(event!.actor).toBe('admin:admin@tiny.example');
        expect(JSON.parse(event!.before!)).toMatchObject({ role: 'engineer' });
        expect(JSON.parse(event!.after!)).toMatchObject({ role: 'finance' });
        await as(admin, `/api/admin/accounts/${engineerId}`, 'PATCH', { role: 'engineer' });
    });

    it('disabling ends the account’s sessions at once and refuses its sign-in', async () => {
        const engineer = cookieOf(await signIn(ENGINEER));
        expect((await as(engineer, '/api/definitions')).statusCode).toBe(200);
        expect((await as(admin, `/api/admin/accounts/${engineerId}`, 'PATCH', { disabled: true })).json()).toMatchObject({ disabled: true });
        expect((await as(engineer, '/api/definitions')).statusCode).toBe(401);
        expect((await signIn(ENGINEER)).statusCode).toBe(403);
        expect((await events('disable')).map((e) => e.entity_id)).toContain(engineerId);
        await as(admin, `/api/admin/accounts/${engineerId}`, 'PATCH', { disabled: false });
        expect((await signIn(ENGINEER)).statusCode).toBe(200);
    });

    it('keeps one enabled admin: the last cannot be disabled or demoted', async () => {
        const accounts = (await as(admin, '/api/admin/accounts')).json().accounts as { account_id: string; email: string }[];
        const self = accounts.find((a) => a.email === ADMIN.email)!;
        for (const change of [{ disabled: true }, { role: 'finance' }]) {
            const res = await as(admin, `/api/admin/accounts/${self.account_id}`, 'PATCH', change);
            expect(res.statusCode).toBe(409);
            expect(res.json().title).toBe('The last admin');
        }
    });

    it('a password change needs the current one, keeps this session, ends the others, and is recorded without the password', async () => {
        const first = cookieOf(await signIn(ENGINEER));
        const second = cookieOf(await signIn(ENGINEER));
        const wrong = await as(first, '/api/session/password', 'POST', { current_password: 'not it at all', new_password: 'a brand new password' });
        expect(wrong.statusCode).toBe(400);
        expect(wrong.json().parameter).toBe('current_password');
        const short = await as(first, '/api/session/password', 'POST', { current_password: ENGINEER.password, new_password: 'short' });
        expect(short.json().parameter).toBe('new_password');
        const ok = await as(first, '/api/session/password', 'POST', { current_password: ENGINEER.password, new_password: 'a brand new password' });
        expect(ok.statusCode, ok.body).toBe(200);
        expect((await as(first, '/api/definitions')).statusCode).toBe(200);
        expect((await as(second, '/api/definitions')).statusCode).toBe(401);
        expect((await signIn(ENGINEER)).statusCode).toBe(401);
        expect((await signIn({ email: ENGINEER.email, password: 'a brand new password' })).statusCode).toBe(200);
        const recorded = await warehouse.all<{ row: string }>(`select to_json(e)::varchar as row from audit.events e where action = 'change_password'`);
        expect(recorded).toHaveLength(1);
        expect(recorded[0]!.row).not.toContain('a brand new password');
        expect(recorded[0]!.row).toContain('engineer:P1');
    });

    it('an admin resets a password; a token or local mode has none to change', async () => {
        expect((await as(admin, `/api/admin/accounts/${engineerId}/password`, 'POST', { password: 'reset by the admin' })).statusCode).toBe(200);
        expect((await signIn({ email: ENGINEER.email, password: 'reset by the admin' })).statusCode).toBe(200);
        expect((await events('reset_password')).map((e) => e.actor)).toEqual(['admin:admin@tiny.example']);
    });
});

describe('API tokens', () => {
    it('are shown once, stored hashed, open the API with their role, and stop at once when revoked', async () => {
        const admin = cookieOf(await signIn(ADMIN));
        const made = await as(admin, '/api/admin/tokens', 'POST', { role: 'finance', label: 'accounting export' });
        expect(made.statusCode, made.body).toBe(200);
        const { token, row } = made.json() as { token: string; row: { token_id: string } };
        expect(token).toMatch(/^rlz_[A-Za-z0-9_-]{43}$/);
        const everything = await warehouse.all(`select * from auth.tokens`);
        expect(JSON.stringify(everything)).not.toContain(token);
        expect(row.token_id).toBe(secretHash(token).slice(0, 8));
        const bearer = { authorization: `Bearer ${token}` };
        expect((await app.inject({ url: '/api/audit', headers: bearer })).statusCode).toBe(200);
        expect((await app.inject({ url: '/api/admin/accounts', headers: bearer })).statusCode).toBe(403);
        expect((await as(admin, `/api/admin/tokens/${row.token_id}/revoke`, 'POST')).json().revoked_at).not.toBeNull();
        expect((await app.inject({ url: '/api/audit', headers: bearer })).statusCode).toBe(401);
        expect((await events('revoke')).map((e) => e.entity_id)).toEqual([row.token_id]);
    });
});
