/** Accounts and tokens as the admin routes take and answer them (server/routes/admin/), and the Admin page's forms. */
import { z } from 'zod';
import { ROLES } from '../roles.ts';

export const accountRow = z.object({
    account_id: z.string(),
    email: z.string(),
    person_id: z.string().nullable(),
    role: z.enum(ROLES),
    disabled: z.boolean(),
    has_password: z.boolean().describe('False until a password is set: the account cannot sign in'),
    created_at: z.string(),
    changed_at: z.string(),
});

export const accountsAnswer = z.object({ accounts: z.array(accountRow) });

const personId = z.string().trim().min(1).max(100);

export const newAccountBody = z.strictObject({
    email: z.string().trim().min(3, 'enter an email address').max(320),
    role: z.enum(ROLES),
    person_id: personId.nullable().optional(),
    password: z.string().max(1024).optional().describe('At least 10 characters; absent: the account cannot sign in until a password is set'),
});

/** What to change; a field left out stays as it is (an empty body changes nothing and records nothing). */
export const accountChangeBody = z.strictObject({
    role: z.enum(ROLES).optional(),
    person_id: personId.nullable().optional(),
    disabled: z.boolean().optional(),
});

export const accountParams = z.strictObject({ account_id: z.string().regex(/^acc_[0-9a-f]{12}$/, 'an account id is acc_ and 12 hex digits') });

export const passwordResetBody = z.strictObject({ password: z.string().max(1024) });

export const tokenRow = z.object({
    token_id: z.string(),
    person_id: z.string().nullable(),
    role: z.enum(ROLES),
    label: z.string().nullable(),
    created_at: z.string(),
    created_by: z.string(),
    revoked_at: z.string().nullable(),
});

export const tokensAnswer = z.object({ tokens: z.array(tokenRow) });

export const newTokenBody = z.strictObject({
    role: z.enum(ROLES),
    person_id: personId.nullable().optional(),
    label: z.string().trim().max(200).nullable().optional(),
});

export const newTokenAnswer = z.object({ token: z.string().describe('Shown this once: only its hash is kept'), row: tokenRow });

export const tokenParams = z.strictObject({ token_id: z.string().regex(/^[0-9a-f]{8}$/, 'a token id is 8 hex digits') });

export type AccountRowOut = z.infer<typeof accountRow>;
export type NewAccountBody = z.infer<typeof newAccountBody>;
