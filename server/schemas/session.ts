/** Who the caller is (GET /api/me), what the dashboard starts with (GET /api/session), signing in and out. */
import { z } from 'zod';
import { ROLES } from '../roles.ts';
import { definitionsAnswer } from './definitions.ts';
import { dimensionsAnswer } from './dimensions.ts';

export const meAnswer = z.object({
    mode: z.enum(['local', 'tokens', 'accounts']).describe('local: one user on this machine; accounts: people sign in; tokens: every request sends a token'),
    signed_in: z.boolean(),
    reason: z.string().nullable().describe('Why a sent token was not accepted'),
    role: z.enum(ROLES).nullable(),
    person_id: z.string().nullable(),
    email: z.string().nullable().describe('The signed-in account’s email (null for tokens and local mode)'),
    name: z.string().nullable(),
    person_role: z.string().nullable().describe('The person’s role in the firm (developer, designer …), not their access role'),
    department: z.string().nullable(),
    pages: z
        .array(z.object({ href: z.string(), label: z.string() }))
        .describe('The dashboard pages the caller may open, in the navigation’s order (server/roles.ts); every page before signing in'),
    home: z.string().describe('The page the caller starts on'),
});

export const sessionAnswer = z.object({
    me: meAnswer,
    dimensions: dimensionsAnswer.nullable(),
    definitions: definitionsAnswer.nullable(),
});

export type Me = z.infer<typeof meAnswer>;

/** The same rule for the form and the API: an email and a password, each named when missing. */
export const signInBody = z.strictObject({
    email: z.string().trim().min(1, 'enter your email').max(320),
    password: z.string().min(1, 'enter your password').max(1024),
});

export const passwordChangeBody = z.strictObject({
    current_password: z.string().min(1, 'enter your current password').max(1024),
    new_password: z.string().max(1024),
});

export type SignInBody = z.infer<typeof signInBody>;
