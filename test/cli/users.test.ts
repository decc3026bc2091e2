/**
 * `realize users` and `realize token` (bin/commands/users.ts, token.ts) on a copy of the tiny firm, and the
 * demo firm's accounts (server/api/demo-accounts.ts): every change recorded in the audit log as the CLI's
 * user, refusals as usage errors naming the flag, a token shown once and stored hashed, the first account
 * with a password turning accounts on.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { serverSettings } from '../../bin/commands/serve.ts';
import { tokenCommand } from '../../bin/commands/token.ts';
import { usersCommand } from '../../bin/commands/users.ts';
import { ingestFiles } from '../../ingest/canonical.ts';
import { resolveInputs, UsageError } from '../../ingest/files.ts';
import { createDemoAccounts, DEMO_PASSWORD, demoAccounts } from '../../server/api/demo-accounts.ts';
import { buildApp } from '../../server/app.ts';
import { secretHash } from '../../server/plugins/session-crypto.ts';
import { Warehouse } from '../../warehouse/warehouse.ts';
import { tempDir, TINY } from '../helpers/fixtures.ts';
import { buildFixture } from '../helpers/models.ts';

let dir: string;
let db: string;

/** Runs a command, returning what it printed. */
async function run(command: (args: string[]) => Promise<number>, args: string[]): Promise<{ code: number; out: string }> {
    const lines: string[] = [];
    const log = vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void lines.push(a.join(' ')));
    try {
        const code = await command([...args, '--db', db]);
        return { code, out: lines.join('\n') };
    } finally {
        log.mockRestore();
    }
}

async function query<T>(sql: string): Promise<T[]> {
    const w = await Warehouse.open(db);
    try {
        return await w.all<T>(sql);
    } finally {
        w.close();
    }
}

beforeAll(async () => {
    dir = tempDir('realize-users-');
    db = path.join(dir, 'firm.duckdb');
    const w = await Warehouse.open(db);
    expect((await ingestFiles(w, resolveInputs([TINY]).files)).ok).toBe(true);
    w.close();
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('realize users', () => {
    it('adds accounts, a made password shown once, and the first one turns accounts on', async () => {
        const first = await run(usersCommand, ['add', '--email', 'Boss@Tiny.example', '--role', 'admin']);
        expect(first.code).toBe(0);
        expect(first.out).toContain('accounts are now on');
        expect(first.out).toMatch(/^added boss@tiny\.example +admin +- +active$/m);
        const password = /password \(shown once[^)]*\): (\S{20})$/m.exec(first.out)![1]!;
        const second = await run(usersCommand, ['add', '--email', 'ada@tiny.example', '--role', 'engineer', '--person', 'P1']);
        expect(second.out).not.toContain('accounts are now on');
        const stored = await query<{ email: string; password_hash: string }>(`select email, password_hash from auth.accounts order by email`);
        expect(stored.map((s) => s.email)).toEqual(['ada@tiny.example', 'boss@tiny.example']);
        expect(JSON.stringify(stored)).not.toContain(password);
        // The server over this database asks everyone to sign in, and the made password signs the admin in.
        const w = await Warehouse.open(db);
        const app = await buildApp({ warehouse: w });
        try {
            expect(app.authMode).toBe('accounts');
            const res = await app.inject({ method: 'POST', url: '/api/session/sign-in', payload: { email: 'boss@tiny.example', password } });
            expect(res.statusCode, res.body).toBe(200);
        } finally {
            await app.close();
            w.close();
        }
    });

    it('changes a role and disables, each recorded as the CLI’s user with before and after', async () => {
        expect((await run(usersCommand, ['role', '--email', 'ADA@tiny.example', '--role', 'finance'])).out).toMatch(/^ada@tiny\.example +finance +P1 +active$/);
        expect((await run(usersCommand, ['disable', '--email', 'ada@tiny.example'])).out).toContain('disabled');
        const events = await query<{ actor: string; address: string; action: string; before: string; after: string }>(
            `select actor, address, action, before::varchar as before, after::varchar as after from audit.events where entity = 'account' order by event_id`,
        );
        expect(events.map((e) => e.action)).toEqual(['create', 'create', 'update', 'disable']);
        expect(events[2]!.actor).toBe(`cli:${os.userInfo().username}`);
        expect(events[2]!.address).toBe('cli');
        expect(JSON.parse(events[2]!.before)).toMatchObject({ role: 'engineer' });
        expect(JSON.parse(events[2]!.after)).toMatchObject({ role: 'finance' });
    });

    it('refuses what the account rules refuse, naming the flag', async () => {
        const refusals: [string[], RegExp][] = [
            [['add', '--email', 'x@tiny.example', '--role', 'owner'], /^--role: "owner" is not a role/],
            [['add', '--email', 'x@tiny.example', '--role', 'engineer', '--person', 'P404'], /^--person: no person P404/],
            [['add', '--email', 'boss@tiny.example', '--role', 'engineer'], /^--email: boss@tiny\.example already has an account/],
            [['disable', '--email', 'boss@tiny.example'], /only enabled admin/],
            [['role', '--email', 'nobody@tiny.example', '--role', 'sales'], /no account has the email nobody@tiny\.example/],
            [['add', '--role', 'admin'], /--email is required/],
        ];
        for (const [args, message] of refusals) {
            const err = await run(usersCommand, args).catch((e: unknown) => e);
            expect(err, args.join(' ')).toBeInstanceOf(UsageError);
            expect((err as Error).message, args.join(' ')).toMatch(message);
        }
    });
});

describe('serving the network', () => {
    it('is allowed without a tokens file once the firm has accounts', () => {
        expect(() => serverSettings({}, { HOST: '0.0.0.0' }, false)).toThrow(/without REALIZE_TOKENS_FILE or accounts/);
        expect(serverSettings({}, { HOST: '0.0.0.0' }, true)).toMatchObject({ host: '0.0.0.0', tokensFile: undefined });
    });
});

describe('realize token', () => {
    it('makes a token shown once and kept as a hash, lists it, and revokes it', async () => {
        const made = await run(tokenCommand, ['create', '--person', 'P1', '--label', 'timesheet sync']);
        const token = /token \(shown once, keep it secret\): (rlz_\S+)$/m.exec(made.out)![1]!;
        const id = secretHash(token).slice(0, 8);
        const rows = await query<Record<string, unknown>>(`select * from auth.tokens`);
        expect(JSON.stringify(rows)).not.toContain(token);
        expect(rows).toMatchObject([{ token_id: id, token_hash: secretHash(token), person_id: 'P1', role: 'engineer', label: 'timesheet sync', revoked_at: null }]);
        expect((await run(tokenCommand, ['list'])).out).toMatch(new RegExp(`^${id} +engineer +P1 +current +timesheet sync$`));
        expect((await run(tokenCommand, ['revoke', id])).out).toContain('revoked');
        const events = await query<{ action: string; entity_id: string }>(`select action, entity_id from audit.events where entity = 'token' order by event_id`);
        expect(events).toEqual([{ action: 'create', entity_id: id }, { action: 'revoke', entity_id: id }]);
    });
});

describe('the demo firm’s accounts', () => {
    it('are one per role with the demo password, the manager and the engineer people of the firm who work together', async () => {
        const w = await buildFixture(TINY);
        try {
            await createDemoAccounts(w, { actor: 'demo' });
            const accounts = await w.all<{ email: string; role: string; person_id: string | null }>(`select email, role, person_id from auth.accounts order by email`);
            // P2 manages every project of the tiny firm; P1, a developer, logs time on them.
            expect(accounts).toEqual([
                { email: 'admin@demo.example', role: 'admin', person_id: null },
                { email: 'engineer@demo.example', role: 'engineer', person_id: 'P1' },
                { email: 'finance@demo.example', role: 'finance', person_id: null },
                { email: 'leadership@demo.example', role: 'leadership', person_id: null },
                { email: 'project-manager@demo.example', role: 'project_manager', person_id: 'P2' },
                { email: 'sales@demo.example', role: 'sales', person_id: null },
            ]);
            expect((await demoAccounts(w)).map((a) => `${a.role} ${a.login} ${a.password}`)).toContain(`engineer engineer@demo.example ${DEMO_PASSWORD}`);
            // Once its password is changed, an account is no longer listed as a demo account.
            const app = await buildApp({ warehouse: w });
            try {
                const cookie = String((await app.inject({ method: 'POST', url: '/api/session/sign-in', payload: { email: 'sales@demo.example', password: DEMO_PASSWORD } })).headers['set-cookie']).split(';')[0]!;
                const changed = await app.inject({ method: 'POST', url: '/api/session/password', headers: { cookie }, payload: { current_password: DEMO_PASSWORD, new_password: 'my own password now' } });
                expect(changed.statusCode, changed.body).toBe(200);
            } finally {
                await app.close();
            }
            expect((await demoAccounts(w)).map((a) => a.role)).toEqual(['leadership', 'finance', 'project_manager', 'engineer', 'admin']);
        } finally {
            w.close();
        }
    });
});
