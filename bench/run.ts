/**
 * npm run bench [-- ingest|api|web|invoice|import|live|capture …] [--entries N] [--web-entries N]
 * (capture's --entries defaults to the demo firm's size, 400,000)
 * Runs the benchmarks the issues name and prints each figure as a ratio against its baseline, measured in
 * the same run. Results are also written to bench/results/<date>.json.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { benchApi } from './api.ts';
import { benchCapture, printCaptureBench } from './capture.ts';
import { benchImport, printImportBench } from './import.ts';
import { benchIngest } from './ingest.ts';
import { benchInvoice, printInvoiceBench } from './invoice.ts';
import { benchLive, printLiveBench } from './live.ts';
import { benchWeb, printWebBench } from './web.ts';

const { values, positionals } = parseArgs({ options: { entries: { type: 'string' }, 'web-entries': { type: 'string' }, 'import-rows': { type: 'string' } }, allowPositionals: true });
const entries = Number(values.entries ?? 10_000_000);
const wanted = positionals.length > 0 ? positionals : ['ingest', 'api', 'web', 'invoice', 'import', 'live', 'capture'];
const results: Record<string, unknown> = { date: new Date().toISOString(), entries };

if (wanted.includes('ingest')) {
    const r = await benchIngest(entries);
    results.ingest = r;
    console.log(`\ningest of ${r.entries.toLocaleString('en')} time entries (${r.file_mb} MB CSV)`);
    console.log(`  DuckDB create table as select * from read_csv: ${(r.baseline_ms / 1000).toFixed(1)} s, peak RSS ${r.baseline_rss_mb} MB`);
    console.log(`  realize ingest (validated, all-or-nothing):    ${(r.realize_ms / 1000).toFixed(1)} s, peak RSS ${r.realize_rss_mb} MB`);
    console.log(`  ratio ${r.ratio.toFixed(2)}× (target ≤ 2.00×); RSS ${r.realize_rss_mb < 4096 ? 'under' : 'OVER'} 4 GiB`);
}

if (wanted.includes('api')) {
    const r = await benchApi(entries);
    results.api = r;
    console.log(`\nAPI on the demo firm at ${r.entries.toLocaleString('en')} entries (warm, 4 connections, loopback); model rebuild ${(r.rebuild_ms / 1000).toFixed(1)} s`);
    console.log(`  slowest models: ${r.rebuild_slowest.map((m) => `${m.relation} ${(m.ms / 1000).toFixed(1)} s`).join(', ')}`);
    console.log(`  (p50/p95/p99 with the answer cache off: every request queries; "cached" = p95 with it on)`);
    console.log(`  ${'endpoint'.padEnd(72)} ${'p50'.padStart(7)} ${'p95'.padStart(7)} ${'p99'.padStart(7)}  DuckDB p95  cached p95  p95 ÷ target`);
    for (const e of r.endpoints) {
        console.log(
            `  ${e.url.padEnd(72)} ${e.p50_ms.toFixed(1).padStart(7)} ${e.p95_ms.toFixed(1).padStart(7)} ${e.p99_ms.toFixed(1).padStart(7)}  ${e.duckdb_p95_ms.toFixed(1).padStart(9)}  ${e.cached_p95_ms.toFixed(1).padStart(10)}  ${(e.p95_ms / 100).toFixed(2)}`,
        );
    }
}

if (wanted.includes('web')) {
    // The dashboard targets are set at the default demo size; --web-entries measures another.
    const r = await benchWeb(Number(values['web-entries'] ?? 400_000));
    results.web = r;
    printWebBench(r);
}

if (wanted.includes('invoice')) {
    const r = await benchInvoice(entries);
    results.invoice = r;
    printInvoiceBench(r);
}

if (wanted.includes('import')) {
    // A 1M-row Toggl export whatever --entries says: the target is stated at that size.
    const r = await benchImport(Number(values['import-rows'] ?? 1_000_000));
    results.import = r;
    printImportBench(r);
}

if (wanted.includes('live')) {
    const r = await benchLive(entries, Number(values['web-entries'] ?? 400_000));
    results.live = r;
    printLiveBench(r);
}

if (wanted.includes('capture')) {
    // The capture targets are stated at the demo firm's size; --entries measures another.
    const r = await benchCapture(Number(values.entries ?? 400_000));
    results.capture = r;
    printCaptureBench(r);
}

fs.mkdirSync('bench/results', { recursive: true });
const file = path.join('bench/results', `${results.date as string}.json`.replaceAll(':', '-'));
fs.writeFileSync(file, JSON.stringify(results, null, 2));
console.log(`\nresults written to ${file}`);
