/**
 * The demo firm's accounts: one per role, all with the same known password, made when `realize start` seeds
 * the demo firm and listed each time it starts (while their password is still the demo one). Demo only: a
 * real firm's first account is `realize users add --role admin`.
 */
import type { AuditWho } from '../../capture/audit.ts';
import type { Warehouse } from '../../warehouse/warehouse.ts';
import { verifyPassword } from '../plugins/session-crypto.ts';
import { accountByEmail, demoPeople, passwordOf } from '../queries/accounts.ts';
import { ROLES, type Role } from '../roles.ts';
import { createAccount } from './accounts.ts';

export const DEMO_PASSWORD = 'realize-demo';
export const demoEmail = (role: Role) => `${role.replace('_', '-')}@demo.example`;

export interface DemoAccount {
    role: Role;
    login: string;
    password: string;
}

/** Makes the demo accounts (the project manager and the engineer are people of the demo firm). */
export async function createDemoAccounts(w: Warehouse, who: AuditWho): Promise<DemoAccount[]> {
    const people = await demoPeople(w);
    const personOf: Partial<Record<Role, string | null>> = { project_manager: people.manager, engineer: people.engineer };
    for (const role of ROLES) {
        await createAccount(w, { email: demoEmail(role), role, person_id: personOf[role] ?? null, password: DEMO_PASSWORD }, who);
    }
    return demoAccounts(w);
}

/** The demo accounts that still sign in with the demo password, in the roles' order. */
export async function demoAccounts(w: Warehouse): Promise<DemoAccount[]> {
    const out: DemoAccount[] = [];
    for (const role of ROLES) {
        const account = await accountByEmail(w, demoEmail(role));
        if (!account || account.disabled) continue;
        if (await verifyPassword(DEMO_PASSWORD, await passwordOf(w, account.account_id))) out.push({ role, login: account.email, password: DEMO_PASSWORD });
    }
    return out;
}
