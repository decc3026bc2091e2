/**
 * Schema pieces several resources take or answer, stated once: a day, a required id, the person a capture
 * request is for and the week it reads, the answer of a write that has nothing more to say than that it is
 * done, and the fields by which answers name a project, a client and a project's dates. Plain zod, no server
 * code: the dashboard's forms import the schemas built from them.
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

// ---- how answers name what a row is about (fields spread into the answers' objects, in this order) -------------

/** A project by id, and its name (null where no project of that id is known). */
export const namedProject = { project_id: z.string(), project_name: z.string().nullable() };

/** A client by id, and its name (null where no client of that id is known). */
export const namedClient = { client_id: z.string(), client_name: z.string().nullable() };

/** A project's client, as the dimension marts give it: internal work has none and is labelled “Internal”. */
export const projectClient = {
    client_id: z.string().nullable().describe('null for internal work (a project without a client)'),
    client_name: z.string().describe('The client’s name, or “Internal” for a project without a client'),
};

/** A project's dates: it starts on a day; an open-ended one has no end. */
export const projectDates = { start_date: z.string(), end_date: z.string().nullable() };
