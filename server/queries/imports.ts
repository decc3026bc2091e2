/** Named queries of the imports routes. */
import type { Warehouse } from '../../warehouse/warehouse.ts';
import type { ImportRun } from '../schemas/imports.ts';

export function latestImports(warehouse: Warehouse, limit: number): Promise<ImportRun[]> {
    return warehouse.all<ImportRun>(
        `select run_id, tool, files, finished_at::varchar as finished_at, created_by, rows_read::double as rows_read, rows_imported::double as rows_imported,
            rows_unchanged::double as rows_unchanged, rows_rejected::double as rows_rejected, seconds_imported::double as seconds_imported
        from import.runs order by run_id desc limit $1`,
        [limit],
    );
}
