/**
 * Measures the ingest report of a file with very many bad rows (not a test: `npm test` does not run it).
 *
 *   node_modules/.bin/node test/ingest/many-bad-rows.ts [--rows 1000000] [--kind dates|garbage]
 *
 * Writes the tiny firm with a time_entries.csv of that many rows to a temp folder — `dates`: every row's
 * work_date has a trailing character and two rows in three have a status that is not one; `garbage`: a header
 * and then lines of words — loads it into a fresh warehouse (3 GB memory limit, as the CLI) and prints
 * the time, the peak memory and the report's counts. The report must count every bad row and list at
 * most REJECTS_KEPT_PER_REASON of each reason.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { ingestFiles } from '../../ingest/canonical.ts';
import { resolveInputs } from '../../ingest/files.ts';
import { Warehouse } from '../../warehouse/warehouse.ts';
import { tinyWith } from '../helpers/fixtures.ts';

const HEADER = 'entry_id,person_id,project_id,phase,task,activity,work_date,duration_seconds,billable,notes,source,logged_at,status,approved_by,approved_at,started_at,ended_at\n';

/** Writes `rows` rows in blocks, so that a million of them never sit in memory at once. */
export function writeBadEntries(file: string, rows: number, kind: 'dates' | 'garbage'): void {
    const fd = fs.openSync(file, 'w');
    try {
        fs.writeSync(fd, HEADER);
        const words = ['lorem', 'ipsum', 'dolor', 'sit', 'amet'];
        for (let from = 0; from < rows; from += 10_000) {
            let block = '';
            for (let i = from; i < Math.min(rows, from + 10_000); i++) {
                block +=
                    kind === 'dates'
                        ? `B${i},P1,PRJ1,build,,development,2024-01-0${1 + (i % 9)}x,3600,true,,timer,2024-01-10T18:00:00Z,${i % 3 === 0 ? 'submitted' : 'done'},,,,\n`
                        : `${words[i % 5]} ${words[(i * 7) % 5]} ${words[(i * 3) % 5]}\n`;
            }
            fs.writeSync(fd, block);
        }
    } finally {
        fs.closeSync(fd);
    }
}

if (import.meta.main) {
    const { values } = parseArgs({ options: { rows: { type: 'string', default: '1000000' }, kind: { type: 'string', default: 'dates' } } });
    const rows = Number(values.rows);
    const kind = values.kind === 'garbage' ? 'garbage' : 'dates';
    const dir = tinyWith({ 'invoice_line_entries.csv': 'invoice_id,line_no,entry_id\n' });
    const file = path.join(dir, 'time_entries.csv');
    writeBadEntries(file, rows, kind);
    console.log(`${file}: ${rows.toLocaleString('en')} rows (${kind}), ${(fs.statSync(file).size / 1e6).toFixed(1)} MB`);
    const warehouse = await Warehouse.open(':memory:', { memoryLimit: '3GB' });
    let peak = 0;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 100);
    const started = performance.now();
    const report = await ingestFiles(warehouse, resolveInputs([dir]).files);
    clearInterval(sampler);
    peak = Math.max(peak, process.memoryUsage().rss);
    const entries = report.files.find((f) => f.entity === 'time_entries')!;
    console.log(`report in ${((performance.now() - started) / 1000).toFixed(1)} s, peak RSS ${(peak / 1e6).toFixed(0)} MB`);
    console.log(`status ${report.status}; time_entries: ${entries.rows} rows, ${entries.rejected} rejected`);
    console.log(`rejects_total ${report.rejects_total}, listed ${report.rejects.length} (at most ${report.rejects_kept_per_reason} per reason)`);
    for (const c of report.reject_counts) console.log(`  ${c.count}\t${c.reason}`);
    const stored = await warehouse.one<{ listed: number; counted: number }>(
        `select (select count(*) from ingest.rejects)::bigint as listed, (select sum(rejects) from ingest.reject_counts)::bigint as counted`,
    );
    console.log(`stored: ${stored?.listed} rows in ingest.rejects, ${stored?.counted} counted in ingest.reject_counts`);
    warehouse.close();
    fs.rmSync(dir, { recursive: true, force: true });
}
