/**
 * Named queries over the accounts, sessions and tokens (auth.*, warehouse/migrations/007_audit_accounts.sql).
 * Password hashes and secret hashes go in and are compared here; no query returns a password hash except
 * passwordOf, which sign-in and password change read to verify.
 */
import type { Warehouse } from '../../warehouse/warehouse.ts';

export interface AccountRow {
    account_id: string;
    email: string;
    person_id: string | null;
    role: string;
    disabled: boolean;
    has_password: boolean;
    created_at: string;
    changed_at: string;
}

const ACCOUNT_COLUMNS = `account_id, email, person_id, role, disabled, password_hash is not null as has_password,
           strftime(created_at, '%Y-%m-%dT%H:%M:%SZ') as created_at, strftime(changed_at, '%Y-%m-%dT%H:%M:%SZ') as changed_at`;

export function listAccounts(w: Warehouse): Promise<AccountRow[]> {
    return w.all<AccountRow>(`select ${ACCOUNT_COLUMNS} from auth.accounts order by email`);
}

export function accountById(w: Warehouse, accountId: string): Promise<AccountRow | undefined> {
    return w.one<AccountRow>(`select ${ACCOUNT_COLUMNS} from auth.accounts where account_id = $id`, { id: accountId });
}

export function accountByEmail(w: Warehouse, email: string): Promise<AccountRow | undefined> {
    return w.one<AccountRow>(`select ${ACCOUNT_COLUMNS} from auth.accounts where email = $email`, { email });
}

/** The stored hash to verify a password against (null: no password set). */
export async function passwordOf(w: Warehouse, accountId: string): Promise<string | null> {
    const row = await w.one<{ password_hash: string | null }>(`select password_hash from auth.accounts where account_id = $id`, { id: accountId });
    return row?.password_hash ?? null;
}

/**
 * How many accounts may sign in (enabled, with a password): with none, the server runs in local mode. An
 * account added without a password does not turn accounts on until its password is set.
 */
export async function enabledAccounts(w: Warehouse): Promise<number> {
    const row = await w.one<{ n: number }>(`select count(*)::integer as n from auth.accounts where not disabled and password_hash is not null`);
    return row!.n;
}

export async function insertAccount(w: Warehouse, a: { account_id: string; email: string; person_id: string | null; role: string; password_hash: string | null }): Promise<void> {
    await w.run(
        `insert into auth.accounts (account_id, email, person_id, role, password_hash)
         values ($account_id, $email, $person_id, $role, $password_hash)`,
        a,
    );
}

export async function updateAccount(w: Warehouse, accountId: string, change: { role: string; person_id: string | null; disabled: boolean }): Promise<void> {
    await w.run(
        `update auth.accounts
         set role = $role, person_id = $person_id, disabled = $disabled, changed_at = now()
         where account_id = $id`,
        { id: accountId, ...change },
    );
}

export async function updatePassword(w: Warehouse, accountId: string, passwordHash: string): Promise<void> {
    await w.run(`update auth.accounts set password_hash = $hash, changed_at = now() where account_id = $id`, { id: accountId, hash: passwordHash });
}

export async function personExists(w: Warehouse, personId: string): Promise<boolean> {
    return (await w.one(`select 1 as x from canonical.people where person_id = $id`, { id: personId })) !== undefined;
}

export interface SessionRow {
    account_id: string;
    email: string;
    person_id: string | null;
    role: string;
    /** Milliseconds since the epoch. */
    expires_ms: number;
}

export async function insertSession(w: Warehouse, s: { session_hash: string; account_id: string; expires_at: string; address: string | null }): Promise<void> {
    await w.run(`insert into auth.sessions (session_hash, account_id, expires_at, address) values ($session_hash, $account_id, $expires_at::timestamptz, $address)`, s);
}

/** The signed-in account a session names, if the session is current and the account enabled. */
export function sessionAccount(w: Warehouse, sessionHash: string): Promise<SessionRow | undefined> {
    return w.one<SessionRow>(
        `select a.account_id, a.email, a.person_id, a.role, epoch_ms(s.expires_at)::double as expires_ms
         from auth.sessions s
         join auth.accounts a using (account_id)
         where s.session_hash = $hash and s.expires_at > now() and not a.disabled`,
        { hash: sessionHash },
    );
}

export async function deleteSession(w: Warehouse, sessionHash: string): Promise<void> {
    await w.run(`delete from auth.sessions where session_hash = $hash`, { hash: sessionHash });
}

/** Ends an account's sessions, all or all but one (the one that changed its own password stays). */
export async function deleteSessionsOf(w: Warehouse, accountId: string, keep: string | null = null): Promise<void> {
    await w.run(`delete from auth.sessions where account_id = $id and session_hash is distinct from $keep`, { id: accountId, keep });
}

export async function deleteExpiredSessions(w: Warehouse): Promise<void> {
    await w.run(`delete from auth.sessions where expires_at <= now()`);
}

export interface TokenRow {
    token_id: string;
    person_id: string | null;
    role: string;
    label: string | null;
    created_at: string;
    created_by: string;
    revoked_at: string | null;
}

const TOKEN_COLUMNS = `token_id, person_id, role, label, strftime(created_at, '%Y-%m-%dT%H:%M:%SZ') as created_at, created_by,
           strftime(revoked_at, '%Y-%m-%dT%H:%M:%SZ') as revoked_at`;

export function listTokens(w: Warehouse): Promise<TokenRow[]> {
    return w.all<TokenRow>(`select ${TOKEN_COLUMNS} from auth.tokens order by created_at, token_id`);
}

export function tokenById(w: Warehouse, tokenId: string): Promise<TokenRow | undefined> {
    return w.one<TokenRow>(`select ${TOKEN_COLUMNS} from auth.tokens where token_id = $id`, { id: tokenId });
}

/** The tokens that still open the API, by their hash. */
export function currentTokens(w: Warehouse): Promise<{ token_hash: string; token_id: string; person_id: string | null; role: string }[]> {
    return w.all(`select token_hash, token_id, person_id, role from auth.tokens where revoked_at is null`);
}

export async function insertToken(w: Warehouse, t: { token_id: string; token_hash: string; person_id: string | null; role: string; label: string | null; created_by: string }): Promise<void> {
    await w.run(
        `insert into auth.tokens (token_id, token_hash, person_id, role, label, created_by)
         values ($token_id, $token_hash, $person_id, $role, $label, $created_by)`,
        t,
    );
}

export async function revokeTokenRow(w: Warehouse, tokenId: string): Promise<void> {
    await w.run(`update auth.tokens set revoked_at = now() where token_id = $id and revoked_at is null`, { id: tokenId });
}

/**
 * The demo firm's people its demo accounts are: the manager of the most active projects, and the developer
 * (still employed) who logs the most time on that manager's projects, so the two meet in the weekly review.
 */
export async function demoPeople(w: Warehouse): Promise<{ manager: string | null; engineer: string | null }> {
    const manager = await w.one<{ person_id: string }>(
        `with managers as (
            select
                manager_id as person_id,
                count(*) as projects,
            from canonical.projects
            where status = 'active' and manager_id is not null
            group by manager_id
        ),
        final as (
            select person_id from managers order by projects desc, person_id limit 1
        )
        select * from final`,
    );
    if (!manager) return { manager: null, engineer: null };
    const engineer = await w.one<{ person_id: string }>(
        `with logged as (
            select
                e.person_id,
                count(*) as entries,
            from canonical.time_entries e
            join canonical.projects p using (project_id)
            join canonical.people pe on pe.person_id = e.person_id
            where p.manager_id = $manager and pe.role in ('developer', 'senior_developer') and pe.end_date is null
            group by e.person_id
        ),
        final as (
            select person_id from logged order by entries desc, person_id limit 1
        )
        select * from final`,
        { manager: manager.person_id },
    );
    return { manager: manager.person_id, engineer: engineer?.person_id ?? null };
}
