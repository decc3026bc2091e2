/** Named queries behind GET /api/health. */
import type { Warehouse } from '../../warehouse/warehouse.ts';

/** What the warehouse holds, for /api/health: entries, loaded batches, the last load, and whether models are built. */
export function warehouseSummary(w: Warehouse): Promise<{ entries: number; batches: number; latest: string | null; built: boolean } | undefined> {
    return w.one<{ entries: number; batches: number; latest: string | null; built: boolean }>(
        `select (select count(*) from canonical.time_entries)::bigint as entries,
                (select count(*) from ingest.batches where status = 'loaded')::bigint as batches,
                (select max(finished_at)::varchar from ingest.batches) as latest,
                exists (select 1 from information_schema.tables where table_schema = 'marts') as built`,
    );
}
