/**
 * One side of the import benchmark, in its own process so that its peak RSS is its own:
 *   node bench/import-worker.ts baseline FILE DB   DuckDB's `create table t as select * from read_csv(FILE)`
 *   node bench/import-worker.ts realize FILE DB    realize import toggl FILE into an empty firm (people,
 *                                                  clients and projects created as the import finds them)
 * Prints one JSON line: { ms, maxRssMb, rows, seconds }.
 */
import { importFiles } from '../ingest/import/run.ts';
import { Warehouse } from '../warehouse/warehouse.ts';
import { baselineLoad, loadArgs, reportLoad } from './load-process.ts';

const args = loadArgs('node bench/import-worker.ts baseline|realize FILE DB');

if (args.mode === 'baseline') {
    const { ms, rows } = await baselineLoad(args);
    reportLoad(ms, rows, { seconds: null });
} else {
    const warehouse = await Warehouse.open(args.db, { memoryLimit: args.memoryLimit });
    const started = performance.now();
    const result = await importFiles(warehouse, [args.input], { tool: 'toggl', create: true, who: { actor: 'bench', role: null, person_id: null, address: 'bench' } });
    const ms = performance.now() - started;
    if (!result.ok || result.status !== 'imported') throw new Error(`the import did not load: ${result.status} ${JSON.stringify(result.rejects.slice(0, 5))}`);
    warehouse.close();
    reportLoad(ms, result.imported, { seconds: result.seconds_imported });
}
