/** Who the caller is (GET /api/me) and what the dashboard starts with (GET /api/session). */
import { z } from 'zod';
import { ROLES } from '../roles.ts';
import { definitionsAnswer } from './definitions.ts';
import { dimensionsAnswer } from './dimensions.ts';

export const meAnswer = z.object({
    mode: z.enum(['local', 'tokens']),
    signed_in: z.boolean(),
    reason: z.string().nullable().describe('Why a sent token was not accepted'),
    role: z.enum(ROLES).nullable(),
    person_id: z.string().nullable(),
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
