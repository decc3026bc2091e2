/**
 * npm run bench [-- ingest|api|web …] [--entries N]
 * Runs the benchmarks the issues name and prints each figure as a ratio against its baseline, measured in
 * the same run. Results are also written to bench/results/<date>.json.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { benchIngest } from './ingest.ts';

const { values, positionals } = parseArgs({ options: { entries: { type: 'string' } }, allowPositionals: true });
const entries = Number(values.entries ?? 10_000_000);
const wanted = positionals.length > 0 ? positionals : ['ingest'];
const results: Record<string, unknown> = { date: new Date().toISOString(), entries };

if (wanted.includes('ingest')) {
    const r = await benchIngest(entries);
    results.ingest = r;
    console.log(`\ningest of ${r.entries.toLocaleString('en')} time entries (${r.file_mb} MB CSV)`);
    console.log(`  DuckDB create table as select * from read_csv: ${(r.baseline_ms / 1000).toFixed(1)} s, peak RSS ${r.baseline_rss_mb} MB`);
    console.log(`  realize ingest (validated, all-or-nothing):    ${(r.realize_ms / 1000).toFixed(1)} s, peak RSS ${r.realize_rss_mb} MB`);
    console.log(`  ratio ${r.ratio.toFixed(2)}× (target ≤ 2.00×); RSS ${r.realize_rss_mb < 4096 ? 'under' : 'OVER'} 4 GiB`);
}

fs.mkdirSync('bench/results', { recursive: true });
const file = path.join('bench/results', `${results.date as string}.json`.replaceAll(':', '-'));
fs.writeFileSync(file, JSON.stringify(results, null, 2));
console.log(`\nresults written to ${file}`);
