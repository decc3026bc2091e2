/**
 * Accounts and tokens: made, changed, disabled, their passwords set, each change recorded in the audit log in
 * its own transaction (capture/audit.ts). The admin routes (server/routes/admin/), the password route and the
 * CLI (`realize users`, `realize token`) all go through here, so the rules hold whichever door is used:
 * emails are unique and lower-case, roles are server/roles.ts's, a person named exists, passwords are long
 * enough, the last admin cannot be removed while accounts are on, and no hash or secret is ever recorded.
 */
import crypto from 'node:crypto';
import { recordAudit, type AuditWho } from '../../capture/audit.ts';
import type { Warehouse } from '../../warehouse/warehouse.ts';
import { HttpProblem } from '../plugins/problem.ts';
import { hashPassword, newSecret, secretHash } from '../plugins/session-crypto.ts';
import {
    accountByEmail,
    accountById,
    deleteSessionsOf,
    insertAccount,
    insertToken,
    listAccounts,
    personExists,
    revokeTokenRow,
    tokenById,
    updateAccount,
    updatePassword,
    type AccountRow,
    type TokenRow,
} from '../queries/accounts.ts';
import { ROLES, type Role } from '../roles.ts';

export const MIN_PASSWORD_LENGTH = 10;

const invalid = (field: string, detail: string) => new HttpProblem(400, `Invalid parameter: ${field}`, detail, field);

/** A password long enough to resist guessing; the error names the field. */
export function checkPassword(password: string, field = 'password'): void {
    if (password.length < MIN_PASSWORD_LENGTH) throw invalid(field, `a password needs at least ${MIN_PASSWORD_LENGTH} characters`);
    if (password.length > 1024) throw invalid(field, 'a password may have at most 1024 characters');
}

function checkRole(role: string): Role {
    if (!(ROLES as readonly string[]).includes(role)) throw invalid('role', `"${role}" is not a role; roles: ${ROLES.join(', ')}`);
    return role as Role;
}

async function checkPerson(w: Warehouse, personId: string | null): Promise<void> {
    if (personId !== null && !(await personExists(w, personId))) throw invalid('person_id', `no person ${personId} in the firm's people`);
}

const taken = (email: string) => new HttpProblem(409, 'Email already has an account', `${email} already has an account; change it instead`, 'email');

export const normalEmail = (email: string) => email.trim().toLowerCase();

/** What the audit log keeps of an account: never its password hash. */
const recorded = (a: AccountRow) => ({ email: a.email, person_id: a.person_id, role: a.role, disabled: a.disabled });

export interface NewAccount {
    email: string;
    role: string;
    person_id?: string | null;
    /** Absent: the account cannot sign in until a password is set. */
    password?: string | null;
}

export async function createAccount(w: Warehouse, input: NewAccount, who: AuditWho): Promise<AccountRow> {
    const email = normalEmail(input.email);
    if (!/^[^\s@]+@[^\s@]+$/.test(email)) throw invalid('email', `"${input.email}" is not an email address`);
    const role = checkRole(input.role);
    const personId = input.person_id ?? null;
    if (input.password != null) checkPassword(input.password);
    // Asked before the slow hash; the insert's unique email is the last word.
    if (await accountByEmail(w, email)) throw taken(email);
    const hash = input.password != null ? await hashPassword(input.password) : null;
    return w.transaction(async () => {
        if (await accountByEmail(w, email)) throw taken(email);
        await checkPerson(w, personId);
        const accountId = `acc_${crypto.randomBytes(6).toString('hex')}`;
        await insertAccount(w, { account_id: accountId, email, person_id: personId, role, password_hash: hash });
        const row = (await accountById(w, accountId))!;
        await recordAudit(w, { ...who, action: 'create', entity: 'account', entity_id: accountId, after: { ...recorded(row), password_set: hash !== null } });
        return row;
    }, { modelInputs: false });
}

export interface AccountChange {
    role?: string;
    person_id?: string | null;
    disabled?: boolean;
}

/** Changes an account's role, person or whether it is disabled; disabling it ends its sessions. */
export async function changeAccount(w: Warehouse, accountId: string, change: AccountChange, who: AuditWho): Promise<AccountRow> {
    if (change.role !== undefined) checkRole(change.role);
    return w.transaction(async () => {
        const before = await accountById(w, accountId);
        if (!before) throw new HttpProblem(404, 'No such account', `account ${accountId} does not exist`);
        const after = { role: change.role ?? before.role, person_id: change.person_id === undefined ? before.person_id : change.person_id, disabled: change.disabled ?? before.disabled };
        if (after.role === before.role && after.person_id === before.person_id && after.disabled === before.disabled) return before;
        if (after.person_id !== before.person_id) await checkPerson(w, after.person_id);
        const stopsBeingAdmin = before.role === 'admin' && !before.disabled && (after.role !== 'admin' || after.disabled);
        if (stopsBeingAdmin && (await listAccounts(w)).filter((a) => a.role === 'admin' && !a.disabled).length === 1) {
            throw new HttpProblem(409, 'The last admin', `${before.email} is the only enabled admin: make another account admin first, or no one could manage accounts`);
        }
        await updateAccount(w, accountId, after);
        if (after.disabled) await deleteSessionsOf(w, accountId);
        const row = (await accountById(w, accountId))!;
        const action = after.disabled !== before.disabled ? (after.disabled ? 'disable' : 'enable') : 'update';
        await recordAudit(w, { ...who, action, entity: 'account', entity_id: accountId, before: recorded(before), after: recorded(row) });
        return row;
    }, { modelInputs: false });
}

/**
 * Sets an account's password (a reset by an admin, or its owner's change) and ends its other sessions: whoever
 * knew the old one is signed out. `keepSession` is the hash of the session that made the change, kept; `own`
 * says the account's owner made it (recorded as a change rather than a reset).
 */
export async function setPassword(w: Warehouse, accountId: string, password: string, who: AuditWho, options: { keepSession?: string | null; field?: string; own?: boolean } = {}): Promise<void> {
    checkPassword(password, options.field);
    // Asked before the slow hash, so a wrong id costs nothing; asked again inside the transaction.
    if (!(await accountById(w, accountId))) throw new HttpProblem(404, 'No such account', `account ${accountId} does not exist`);
    const hash = await hashPassword(password);
    await w.transaction(async () => {
        const account = await accountById(w, accountId);
        if (!account) throw new HttpProblem(404, 'No such account', `account ${accountId} does not exist`);
        await updatePassword(w, accountId, hash);
        await deleteSessionsOf(w, accountId, options.keepSession ?? null);
        await recordAudit(w, { ...who, action: options.own ? 'change_password' : 'reset_password', entity: 'account', entity_id: accountId, detail: `password of ${account.email} set; its other sessions ended` });
    }, { modelInputs: false });
}

export interface NewToken {
    person_id?: string | null;
    role: string;
    label?: string | null;
}

/** Makes an API token; the token itself is returned once and only its hash is kept. */
export async function createToken(w: Warehouse, input: NewToken, who: AuditWho): Promise<{ token: string; row: TokenRow }> {
    const role = checkRole(input.role);
    const personId = input.person_id ?? null;
    return w.transaction(async () => {
        await checkPerson(w, personId);
        let token: string;
        let tokenId: string;
        // The id is 8 hex digits of the hash: a clash with an existing token is rare, and simply drawn again.
        do {
            token = newSecret('rlz_');
            tokenId = secretHash(token).slice(0, 8);
        } while (await tokenById(w, tokenId));
        await insertToken(w, { token_id: tokenId, token_hash: secretHash(token), person_id: personId, role, label: input.label ?? null, created_by: who.actor });
        const row = (await tokenById(w, tokenId))!;
        await recordAudit(w, { ...who, action: 'create', entity: 'token', entity_id: tokenId, after: { person_id: personId, role, label: row.label } });
        return { token, row };
    }, { modelInputs: false });
}

export async function revokeToken(w: Warehouse, tokenId: string, who: AuditWho): Promise<TokenRow> {
    return w.transaction(async () => {
        const before = await tokenById(w, tokenId);
        if (!before) throw new HttpProblem(404, 'No such token', `token ${tokenId} does not exist; \`realize token list\` lists them`);
        if (before.revoked_at) return before;
        await revokeTokenRow(w, tokenId);
        const row = (await tokenById(w, tokenId))!;
        await recordAudit(w, { ...who, action: 'revoke', entity: 'token', entity_id: tokenId, before: { revoked_at: null }, after: { revoked_at: row.revoked_at } });
        return row;
    }, { modelInputs: false });
}
