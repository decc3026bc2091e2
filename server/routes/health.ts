import type { FastifyInstance } from 'fastify';

/** GET /api/health: the server is up and the warehouse answers. */
export async function healthRoutes(app: FastifyInstance): Promise<void> {
    app.get('/health', async () => {
        const row = await app.warehouse.one<{ entries: number; batches: number; latest: string | null }>(
            `select (select count(*) from canonical.time_entries)::bigint as entries,
                    (select count(*) from ingest.batches where status = 'loaded')::bigint as batches,
                    (select max(finished_at)::varchar from ingest.batches) as latest`,
        );
        return { status: 'ok', warehouse: app.warehouse.file, time_entries: row?.entries ?? 0, batches: row?.batches ?? 0, last_ingest: row?.latest ?? null };
    });
}
