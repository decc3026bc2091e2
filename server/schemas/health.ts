/** Liveness and what the warehouse holds (GET /api/health), and the fx rates the figures lack. */
import { z } from 'zod';

/** Currencies without an fx rate where the figures needed one (ingest/fx-coverage.ts); null: not known. */
export const fxMissing = z
    .array(
        z.object({
            currency: z.string(),
            first_date: z.string(),
            last_date: z.string(),
            rows: z.number(),
            first_rate_date: z.string().nullable(),
            needed_by: z.array(z.string()),
        }),
    )
    .nullable()
    .describe('Currencies with no fx rate on or before dates that need one (first_date … last_date): those amounts are left out of the figures. Null when the models are not built, or to a caller not signed in');

/** Whether the marts include every committed write, and how old they are. */
export const martsState = z
    .object({
        current: z.boolean().describe('The marts were built from these models and include every committed write'),
        behind: z.string().nullable().describe('Why they are not current (a refresh is due or running), null when they are'),
        built_at: z.string().nullable().describe('When the marts were last built or refreshed'),
        written_at: z.string().nullable().describe('When data the marts read was last written'),
        age_seconds: z.number().nullable().describe('Seconds since the marts were last built or refreshed'),
    })
    .describe('The marts against the data: current or behind, and their age');

export const healthAnswer = z.object({
    status: z.literal('ok'),
    warehouse: z.string().describe('The database file: its name, or its absolute path for leadership signed in with a token'),
    time_entries: z.number(),
    batches: z.number(),
    last_ingest: z.string().nullable(),
    models_built: z.boolean(),
    marts: martsState,
    fx_missing: fxMissing,
});

export type FxMissing = NonNullable<z.infer<typeof fxMissing>>[number];
export type Health = z.infer<typeof healthAnswer>;
