import fs from 'node:fs';
import path from 'node:path';
import { importCesaw } from '../../ingest/cesaw.ts';
import { UsageError } from '../../ingest/files.ts';
import { Warehouse } from '../../warehouse/warehouse.ts';
import { printReport, progressPrinter } from './ingest.ts';
import { dbPath, parse } from './options.ts';

/** `realize import <source> DIR`: mapping steps from other formats to canonical data, then ingest. */
export async function importCommand(args: string[]): Promise<number> {
    const { values, positionals } = parse(args, { db: { type: 'string' }, json: { type: 'boolean' } }, true);
    const [source, dir] = positionals;
    if (source !== 'cesaw') throw new UsageError(`unknown source "${source ?? ''}"; available: cesaw`);
    if (!dir || !fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) {
        throw new UsageError(`give the CESAW folder (with CESAW_time_fact.csv and CESAW_task_fact.csv), e.g. ../shared/datasets/cesaw`);
    }
    const warehouse = await Warehouse.open(dbPath(values.db), { memoryLimit: process.env.REALIZE_MEMORY_LIMIT ?? '3GB' });
    try {
        const { accounting, ingest } = await importCesaw(warehouse, path.resolve(dir), { onProgress: progressPrinter() });
        if (values.json) {
            process.stdout.write(JSON.stringify({ accounting, ingest }, null, 2) + '\n');
        } else {
            printReport(ingest, false);
            console.log(
                `CESAW: ${accounting.source_rows} time logs, ${accounting.source_minutes} minutes; loaded ${accounting.loaded_rows} logs ` +
                    `as ${accounting.entries_written} entries (${accounting.loaded_seconds / 60} minutes); reported ${accounting.reported.length} ` +
                    `(${accounting.reported_minutes} minutes):`,
            );
            for (const r of accounting.reported) console.log(`  line ${r.line}: log ${r.time_log_fact_key}, ${r.minutes} min: ${r.reason}`);
        }
        return ingest.ok ? 0 : 1;
    } finally {
        warehouse.close();
    }
}
