/**
 * `realize users add|list|disable|enable|role|password`: the firm's accounts from the command line, each
 * change recorded in the audit log as the CLI's user. The first account with a password turns accounts on:
 * from then on the server asks everyone to sign in (server/plugins/auth.ts). The server owns the database
 * while it runs: then the Admin page makes these changes instead.
 */
import fs from 'node:fs';
import { cliActor } from '../../capture/audit.ts';
import { UsageError } from '../../ingest/files.ts';
import { changeAccount, createAccount, normalEmail, setPassword } from '../../server/api/accounts.ts';
import { HttpProblem } from '../../server/plugins/problem.ts';
import { newSecret } from '../../server/plugins/session-crypto.ts';
import { accountByEmail, listAccounts, type AccountRow } from '../../server/queries/accounts.ts';
import { ROLES } from '../../server/roles.ts';
import { Warehouse, WarehouseLockedError } from '../../warehouse/warehouse.ts';
import { dbPath, parse } from './options.ts';
import { runningServer } from './server-file.ts';

export const USERS_HELP = `realize users add --email EMAIL --role ROLE [--person ID] [--password-stdin] [--db FILE]
realize users list [--db FILE]
realize users disable|enable --email EMAIL [--db FILE]
realize users role --email EMAIL --role ROLE [--db FILE]
realize users password --email EMAIL [--password-stdin] [--db FILE]

Roles: ${ROLES.join(', ')}. Without --password-stdin a password is made and shown once.
The first account with a password turns accounts on: everyone signs in from then on.`;

/** `realize <command>`: one line a row of the firm's list, or what an empty list means. */
export async function listFirm<T>(db: string | undefined, command: string, list: (warehouse: Warehouse) => Promise<T[]>, line: (row: T) => string, none: string): Promise<number> {
    const rows = await withFirm(db, command, list);
    if (rows.length === 0) console.log(none);
    for (const row of rows) console.log(line(row));
    return 0;
}

/** Opens the firm's database for a command that changes it; while the server holds it, says where to go instead. */
export async function withFirm<T>(db: string | undefined, command: string, fn: (warehouse: Warehouse) => Promise<T>): Promise<T> {
    const file = dbPath(db);
    if (!fs.existsSync(file)) throw new UsageError(`${file} does not exist; \`realize start\` or \`realize ingest\` makes it`);
    let warehouse: Warehouse;
    try {
        warehouse = await Warehouse.open(file);
    } catch (err) {
        const server = err instanceof WarehouseLockedError ? runningServer(file) : null;
        if (!server) throw err;
        throw new UsageError(`the realize server (pid ${server.pid}, ${server.url}) holds ${file}: make this change on its Accounts page (${server.url}/admin), or stop it and run \`realize ${command}\` again`);
    }
    try {
        return await fn(warehouse);
    } catch (err) {
        // A refusal of the account rules (a taken email, an unknown person, the last admin) is the user's to fix.
        if (err instanceof HttpProblem && err.status < 500) throw new UsageError(`${err.parameter ? `--${err.parameter.replace('_id', '')}: ` : ''}${err.message}`);
        throw err;
    } finally {
        warehouse.close();
    }
}

/** The first line of standard input (a password piped in), or a new random one to show once. */
function passwordFrom(stdin: boolean | undefined): { password: string; shown: boolean } {
    if (!stdin) return { password: newSecret().slice(0, 20), shown: true };
    const line = fs.readFileSync(0, 'utf8').split(/\r?\n/)[0] ?? '';
    return { password: line, shown: false };
}

function required(value: string | undefined, flag: string): string {
    if (!value) throw new UsageError(`--${flag} is required\n\n${USERS_HELP}`);
    return value;
}

async function accountOf(warehouse: Warehouse, email: string): Promise<AccountRow> {
    const account = await accountByEmail(warehouse, normalEmail(email));
    if (!account) throw new UsageError(`no account has the email ${email}; \`realize users list\` lists them`);
    return account;
}

const line = (a: AccountRow) => `${a.email.padEnd(32)} ${a.role.padEnd(16)} ${(a.person_id ?? '-').padEnd(10)} ${a.disabled ? 'disabled' : a.has_password ? 'active' : 'no password'}`;

export async function usersCommand(args: string[]): Promise<number> {
    const [sub, ...rest] = args;
    const { values } = parse(rest, {
        email: { type: 'string' },
        role: { type: 'string' },
        person: { type: 'string' },
        'password-stdin': { type: 'boolean' },
        db: { type: 'string' },
    });
    const who = cliActor();
    switch (sub) {
        case 'add': {
            const email = required(values.email, 'email');
            const role = required(values.role, 'role');
            const { password, shown } = passwordFrom(values['password-stdin']);
            const row = await withFirm(values.db, 'users add', async (w) => {
                const wasOn = (await listAccounts(w)).some((a) => !a.disabled && a.has_password);
                const made = await createAccount(w, { email, role, person_id: values.person ?? null, password }, who);
                if (!wasOn) console.log('accounts are now on: everyone signs in to the dashboard from the next request the server answers');
                return made;
            });
            console.log(`added ${line(row)}`);
            if (shown) console.log(`password (shown once; they can change it after signing in): ${password}`);
            return 0;
        }
        case 'list':
            return listFirm(values.db, 'users list', listAccounts, line, 'no accounts: the server runs in local mode (one user, on this machine)');
        case 'disable':
        case 'enable':
        case 'role': {
            const email = required(values.email, 'email');
            const change = sub === 'role' ? { role: required(values.role, 'role') } : { disabled: sub === 'disable' };
            const row = await withFirm(values.db, `users ${sub}`, async (w) => changeAccount(w, (await accountOf(w, email)).account_id, change, who));
            console.log(line(row));
            return 0;
        }
        case 'password': {
            const email = required(values.email, 'email');
            const { password, shown } = passwordFrom(values['password-stdin']);
            await withFirm(values.db, 'users password', async (w) => setPassword(w, (await accountOf(w, email)).account_id, password, who));
            console.log(`password of ${normalEmail(email)} set; its sessions ended`);
            if (shown) console.log(`password (shown once): ${password}`);
            return 0;
        }
        default:
            throw new UsageError(`${sub ? `unknown subcommand "${sub}"` : 'a subcommand is required'}\n\n${USERS_HELP}`);
    }
}
