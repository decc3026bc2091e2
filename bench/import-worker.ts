/**
 * One side of the import benchmark, in its own process so that its peak RSS is its own:
 *   node bench/import-worker.ts baseline FILE DB   DuckDB's `create table t as select * from read_csv(FILE)`
 *   node bench/import-worker.ts realize FILE DB    realize import toggl FILE into an empty firm (people,
 *                                                  clients and projects created as the import finds them)
 * Prints one JSON line: { ms, maxRssMb, rows, seconds }.
 */
import fs from 'node:fs';
import { importFiles } from '../ingest/import/run.ts';
import { literal, Warehouse } from '../warehouse/warehouse.ts';

const [mode, input, db] = process.argv.slice(2);
if (!mode || !input || !db) {
    console.error('usage: node bench/import-worker.ts baseline|realize FILE DB');
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
    report(ms, rows, null);
} else {
    const warehouse = await Warehouse.open(db, { memoryLimit });
    const started = performance.now();
    const result = await importFiles(warehouse, [input], { tool: 'toggl', create: true, who: { actor: 'bench', role: null, person_id: null, address: 'bench' } });
    const ms = performance.now() - started;
    if (!result.ok || result.status !== 'imported') throw new Error(`the import did not load: ${result.status} ${JSON.stringify(result.rejects.slice(0, 5))}`);
    warehouse.close();
    report(ms, result.imported, result.seconds_imported);
}

function report(ms: number, rows: number, seconds: number | null): void {
    console.log(JSON.stringify({ ms: Math.round(ms), maxRssMb: Math.round(process.resourceUsage().maxRSS / 1024), rows, seconds }));
}
