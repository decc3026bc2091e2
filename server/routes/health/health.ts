import path from 'node:path';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { fxMissing } from '../../../ingest/fx-coverage.ts';

/** Currencies without an fx rate where the figures needed one (ingest/fx-coverage.ts); null: not known. */
export const fxMissingShape = z
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

/** GET /api/health: the server is up and the warehouse answers. */
export const healthRoutes: FastifyPluginAsyncZod = async (app) => {
    app.get(
        '/health',
        {
            schema: {
                summary: 'Liveness and what the warehouse holds',
                tags: ['system'],
                response: {
                    200: z.object({
                        status: z.literal('ok'),
                        warehouse: z.string().describe('The database file: its name, or its absolute path for leadership signed in with a token'),
                        time_entries: z.number(),
                        batches: z.number(),
                        last_ingest: z.string().nullable(),
                        models_built: z.boolean(),
                        fx_missing: fxMissingShape,
                    }),
                },
            },
        },
        async (request) => {
            const row = await app.warehouse.one<{ entries: number; batches: number; latest: string | null; built: boolean }>(
                `select (select count(*) from canonical.time_entries)::bigint as entries,
                        (select count(*) from ingest.batches where status = 'loaded')::bigint as batches,
                        (select max(finished_at)::varchar from ingest.batches) as latest,
                        exists (select 1 from information_schema.tables where table_schema = 'marts') as built`,
            );
            return {
                status: 'ok' as const,
                // Where the database lives is the operator's business: its file name to anyone, the whole path only
                // to leadership signed in with a token (in local mode anyone on the machine is leadership).
                warehouse: request.caller?.token_id && request.caller.role === 'leadership' ? path.resolve(app.warehouse.file) : path.basename(app.warehouse.file),
                time_entries: row?.entries ?? 0,
                batches: row?.batches ?? 0,
                last_ingest: row?.latest ?? null,
                models_built: row?.built ?? false,
                fx_missing: request.caller ? await fxMissing(app.warehouse) : null,
            };
        },
    );
};
