/**
 * Zod schemas of the API, one module per resource: routes declare their query, body and response with them,
 * and the dashboard imports their z.infer types (`import type`, erased from its build) instead of retyping
 * them. Imported as types rather than generating a client from the OpenAPI document: one source and no
 * generated file to keep current, svelte-check sees a changed schema at once in every page that reads it, and
 * the forms to come can validate with the very same schemas. So these modules import zod, server/roles.ts and
 * each other only — nothing of Fastify, DuckDB or Node.
 *
 * This one: rows of a mart as the API answers them, column → a JSON scalar.
 */
import { z } from 'zod';

export const cell = z.union([z.string(), z.number(), z.boolean(), z.null()]);
export const rows = z.array(z.record(z.string(), cell));

export type Cell = z.infer<typeof cell>;
export type Rows = z.infer<typeof rows>;
