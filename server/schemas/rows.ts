/** Rows of a mart as the API answers them: column → a JSON scalar. */
import { z } from 'zod';

export const cell = z.union([z.string(), z.number(), z.boolean(), z.null()]);
export const rows = z.array(z.record(z.string(), cell));

export type Rows = z.infer<typeof rows>;
