/**
 * Schema pieces several resources take or answer, stated once: a day, a required id, the person a capture
 * request is for and the week it reads, and the answer of a write that has nothing more to say than that it
 * is done. Plain zod, no server code: the dashboard's forms import the schemas built from them.
 */
import { z } from 'zod';

/** A real calendar day, YYYY-MM-DD (a query parameter, or a form's date). */
export const isoDate = z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD')
    .refine((v) => !Number.isNaN(Date.parse(`${v}T00:00:00Z`)) && new Date(`${v}T00:00:00Z`).toISOString().startsWith(v), 'is not a real date');

/** A day in a JSON body, as finance's forms send it. */
export const bodyDate = z.iso.date().describe('YYYY-MM-DD');

/** An id a form or a body must give: trimmed, and named when empty. */
export const requiredId = z.string().trim().min(1, 'is required').max(200);

/** Who a capture request is for, when it is not the caller (admins; required in local mode). */
export const forPerson = { person_id: requiredId.optional().describe('The person, when not the caller: admins, and local mode where it is required') };

/** A person's week: its timesheet, or its suggestions. */
export const weekQuery = z.strictObject({ week: isoDate.optional().describe('Any day of the ISO week (Monday to Sunday); absent: this week'), ...forPerson });

/** The answer of a write that is done. */
export const okAnswer = z.object({ ok: z.literal(true) });
