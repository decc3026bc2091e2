/**
 * File conversions that DuckDB does in bulk, for tools outside warehouse/ (the demo writer, the bench).
 */
import { literal, type Warehouse } from './warehouse.ts';

/** Rewrites a CSV as Parquet, reading each column with the given DuckDB type (e.g. {hours: 'decimal(18,4)'}). */
export async function csvToParquet(
    warehouse: Warehouse,
    csvFile: string,
    parquetFile: string,
    columns: Record<string, string>,
): Promise<void> {
    const spec = Object.entries(columns)
        .map(([name, type]) => `${literal(name)}: ${literal(type)}`)
        .join(', ');
    await warehouse.run(
        `copy (select * from read_csv(${literal(csvFile)}, header = true, auto_detect = false, columns = {${spec}})) ` +
            `to ${literal(parquetFile)} (format parquet, compression zstd)`,
    );
}
