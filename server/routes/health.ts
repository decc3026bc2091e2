import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';

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
                        warehouse: z.string(),
                        time_entries: z.number(),
                        batches: z.number(),
                        last_ingest: z.string().nullable(),
                        models_built: z.boolean(),
                    }),
                },
            },
        },
        async () => {
            const row = await app.warehouse.one<{ entries: number; batches: number; latest: string | null; built: boolean }>(
                `select (select count(*) from canonical.time_entries)::bigint as entries,
                        (select count(*) from ingest.batches where status = 'loaded')::bigint as batches,
                        (select max(finished_at)::varchar from ingest.batches) as latest,
                        exists (select 1 from information_schema.tables where table_schema = 'marts') as built`,
            );
            return {
                status: 'ok' as const,
                warehouse: app.warehouse.file,
                time_entries: row?.entries ?? 0,
                batches: row?.batches ?? 0,
                last_ingest: row?.latest ?? null,
                models_built: row?.built ?? false,
            };
        },
    );
};
