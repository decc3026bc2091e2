/**
 * `realize token create|list|revoke`: API tokens for integrations. A token is shown once when made; the
 * database keeps only its hash (auth.tokens). Each change is recorded in the audit log. REALIZE_TOKENS_FILE
 * still works beside them.
 */
import { cliActor } from '../../capture/audit.ts';
import { UsageError } from '../../ingest/files.ts';
import { createToken, revokeToken } from '../../server/api/accounts.ts';
import { listTokens, type TokenRow } from '../../server/queries/accounts.ts';
import { ROLES } from '../../server/roles.ts';
import { parse } from './options.ts';
import { listFirm, withFirm } from './users.ts';

export const TOKEN_HELP = `realize token create --person ID [--role ROLE] [--label TEXT] [--db FILE]
realize token create --role ROLE [--label TEXT] [--db FILE]      (a token that names no person)
realize token list [--db FILE]
realize token revoke TOKEN_ID [--db FILE]

Roles: ${ROLES.join(', ')} (default engineer). The token is shown once; send it as Authorization: Bearer <token>.`;

const line = (t: TokenRow) =>
    `${t.token_id}  ${t.role.padEnd(16)} ${(t.person_id ?? '-').padEnd(10)} ${t.revoked_at ? `revoked ${t.revoked_at}` : 'current'.padEnd(28)}  ${t.label ?? ''}`.trimEnd();

export async function tokenCommand(args: string[]): Promise<number> {
    const [sub, ...rest] = args;
    const { values, positionals } = parse(rest, { person: { type: 'string' }, role: { type: 'string' }, label: { type: 'string' }, db: { type: 'string' } }, true);
    switch (sub) {
        case 'create': {
            if (!values.person && !values.role) throw new UsageError(`--person or --role is required\n\n${TOKEN_HELP}`);
            const made = await withFirm(values.db, 'token create', (w) => createToken(w, { person_id: values.person ?? null, role: values.role ?? 'engineer', label: values.label ?? null }, cliActor()));
            console.log(line(made.row));
            console.log(`token (shown once, keep it secret): ${made.token}`);
            return 0;
        }
        case 'list':
            return listFirm(values.db, 'token list', listTokens, line, 'no tokens made with `realize token create`');
        case 'revoke': {
            const id = positionals[0];
            if (!id || !/^[0-9a-f]{8}$/.test(id)) throw new UsageError(`give the id of the token to revoke (8 hex digits, as \`realize token list\` shows it)\n\n${TOKEN_HELP}`);
            const row = await withFirm(values.db, 'token revoke', (w) => revokeToken(w, id, cliActor()));
            console.log(line(row));
            return 0;
        }
        default:
            throw new UsageError(`${sub ? `unknown subcommand "${sub}"` : 'a subcommand is required'}\n\n${TOKEN_HELP}`);
    }
}
