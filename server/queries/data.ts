/** Named queries over the ingest records (ingest.batches, ingest.rejects, ingest.reject_counts). */
import type { Warehouse } from '../../warehouse/warehouse.ts';
import type { Batch, Reject } from '../schemas/data.ts';

/** The latest batches, newest first. */
export function latestBatches(w: Warehouse, limit: number): Promise<Batch[]> {
    return w.all<Batch>(
        `select * replace (started_at::varchar as started_at, finished_at::varchar as finished_at) from ingest.batches order by batch_id desc limit $1`,
        [limit],
    );
}

export async function batchExists(w: Warehouse, batchId: number): Promise<boolean> {
    return (await w.one(`select 1 as x from ingest.batches where batch_id = $1`, [batchId])) !== undefined;
}

/** How many rejected rows a batch lists. */
export async function listedRejects(w: Warehouse, batchId: number): Promise<number> {
    return (await w.one<{ n: number }>(`select count(*)::bigint as n from ingest.rejects where batch_id = $1`, [batchId]))!.n;
}

/** A page of a batch's listed rejected rows, by line and column. */
export function rejectsPage(w: Warehouse, batchId: number, pageSize: number, offset: number): Promise<Reject[]> {
    return w.all<Reject>(
        `select file_name as file, line, column_name as column, value, reason from ingest.rejects where batch_id = $1 order by line, column_name limit $2 offset $3`,
        [batchId, pageSize, offset],
    );
}

/** Every problem a batch's load found, counted by file and reason, most first. */
export function rejectCounts(w: Warehouse, batchId: number): Promise<{ file: string; reason: string; count: number }[]> {
    return w.all<{ file: string; reason: string; count: number }>(
        `select file_name as file, reason, rejects::bigint as count from ingest.reject_counts where batch_id = $1 order by count desc, file, reason`,
        [batchId],
    );
}

/** The database's memory limit and spill space, as DuckDB states them (e.g. '3.0 GiB'). */
export function memoryLimits(w: Warehouse): Promise<{ memory: string; spill: string } | undefined> {
    return w.one<{ memory: string; spill: string }>(`select current_setting('memory_limit') as memory, current_setting('max_temp_directory_size') as spill`);
}
