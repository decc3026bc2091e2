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
import { literal, Warehouse } from '../warehouse/warehouse.ts';

const [mode, input, db] = process.argv.slice(2);
if (!mode || !input || !db) {
    console.error('usage: node bench/ingest-worker.ts baseline|realize INPUT DB');
    process.exit(2);
}
for (const f of [db, `${db}.wal`]) fs.rmSync(f, { force: true });
const memoryLimit = process.env.REALIZE_MEMORY_LIMIT ?? '3GB';

if (mode === 'baseline') {
    const warehouse = await Warehouse.open(db, { migrate: false, memoryLimit });
    const started = performance.now();
    await warehouse.run(`create table t as select * from read_csv(${literal(input)})`);
    const ms = performance.now() - started;
    const rows = (await warehouse.one<{ n: number }>(`select count(*)::bigint as n from t`))!.n;
    warehouse.close();
    report(ms, rows);
} else {
    const warehouse = await Warehouse.open(db, { memoryLimit });
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
    report(ms, result.files[0]!.inserted);
}

function report(ms: number, rows: number): void {
    console.log(JSON.stringify({ ms: Math.round(ms), maxRssMb: Math.round(process.resourceUsage().maxRSS / 1024), rows }));
}
