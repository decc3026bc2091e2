/**
 * One side of the ingest benchmark, in its own process so that its peak RSS is its own:
 *   node bench/ingest-worker.ts baseline FILE DB   DuckDB's `create table t as select * from read_csv(FILE)`
 *   node bench/ingest-worker.ts realize DIR DB     realize ingest of DIR/time_entries.csv, after the rest of the firm
 * Prints one JSON line: { ms, maxRssMb, rows }.
 */
import fs from 'node:fs';
import path from 'node:path';
import { ingestFiles } from '../ingest/canonical.ts';
import { resolveInputs } from '../ingest/files.ts';
import { Warehouse } from '../warehouse/warehouse.ts';
import { baselineLoad, loadArgs, reportLoad } from './load-process.ts';

const args = loadArgs('node bench/ingest-worker.ts baseline|realize INPUT DB');
const { input } = args;

if (args.mode === 'baseline') {
    const { ms, rows } = await baselineLoad(args);
    reportLoad(ms, rows);
} else {
    const warehouse = await Warehouse.open(args.db, { memoryLimit: args.memoryLimit });
    // The rest of the firm first (untimed): time entries reference people and projects.
    const others = fs
        .readdirSync(input)
        .filter((f) => f.endsWith('.csv') && !['time_entries.csv', 'invoice_line_entries.csv'].includes(f))
        .map((f) => path.join(input, f));
    const setup = await ingestFiles(warehouse, resolveInputs(others).files);
    if (!setup.ok) throw new Error(`setup failed: ${JSON.stringify(setup.rejects.slice(0, 5))}`);
    const started = performance.now();
    const result = await ingestFiles(warehouse, resolveInputs([path.join(input, 'time_entries.csv')]).files);
    const ms = performance.now() - started;
    if (!result.ok) throw new Error(`time entries rejected: ${JSON.stringify(result.rejects.slice(0, 5))}`);
    warehouse.close();
    reportLoad(ms, result.files[0]!.inserted);
}
