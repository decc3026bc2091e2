/**
 * Import benchmark (bring your data): `realize import toggl` of a 1M-row Toggl Track detailed-report CSV
 * against DuckDB's own `create table t as select * from read_csv(...)` on the same file, each in its own
 * process (so each peak RSS is its own), two rounds alternating, best times. Targets: ratio ≤ 2.0, the
 * import's peak RSS under 2 GB.
 *
 * The file is generated into a temporary folder from the shape of the real exports in
 * ../shared/datasets/tool-exports/toggl-real (their header, BOM, clients, projects, descriptions and tags),
 * ($DATASETS, else ../shared/datasets next to the repo) spread over 60 people and two years; its total duration is known, and the import must load all of it.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Rng } from '../lib/rng.ts';

export interface ImportBench {
    rows: number;
    file_mb: number;
    baseline_ms: number;
    realize_ms: number;
    ratio: number;
    baseline_rss_mb: number;
    realize_rss_mb: number;
    seconds_in_file: number;
    seconds_imported: number;
}

const REAL = path.join(path.resolve(process.env.DATASETS ?? '../shared/datasets'), 'tool-exports', 'toggl-real');
const ROUNDS = 2;

/** The real exports' rows, as fields (a plain split: these files quote only their tags). */
function realRows(): { header: string; rows: string[][] } {
    const files = fs.readdirSync(REAL, { recursive: true, withFileTypes: true }).filter((f) => f.isFile() && f.name.endsWith('.csv'));
    let header = '';
    const rows: string[][] = [];
    for (const f of files) {
        const lines = fs.readFileSync(path.join(f.parentPath, f.name), 'utf8').replace(/^\uFEFF/, '').split(/\r?\n/).filter(Boolean);
        header = lines[0]!;
        for (const line of lines.slice(1)) {
            const fields: string[] = [];
            let cur = '';
            let quoted = false;
            for (const ch of line) {
                if (ch === '"') quoted = !quoted;
                else if (ch === ',' && !quoted) {
                    fields.push(cur);
                    cur = '';
                } else cur += ch;
            }
            fields.push(cur);
            if (fields.length === 14) rows.push(fields);
        }
    }
    if (rows.length === 0) throw new Error(`no Toggl export found under ${REAL}`);
    return { header, rows };
}

const pad = (n: number) => String(n).padStart(2, '0');
const quote = (v: string) => (/[",\n]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v);

/** A 1M-row (or `rows`) Toggl export in `dir`; returns its path and its total duration in seconds. */
export function togglFile(dir: string, rows: number): { file: string; seconds: number } {
    const { header, rows: real } = realRows();
    const rng = new Rng(12);
    const random = () => rng.next();
    const people = Array.from({ length: 60 }, (_, i) => [`Person ${i + 1}`, `person${i + 1}@bench.example`] as const);
    const file = path.join(dir, 'Toggl_time_entries_bench.csv');
    const out = fs.openSync(file, 'w');
    let buffer = `\uFEFF${header}\n`;
    let total = 0;
    const start = Date.UTC(2023, 0, 2);
    for (let i = 0; i < rows; i++) {
        const r = real[Math.floor(random() * real.length)]!;
        const [user, email] = people[i % people.length]!;
        const day = start + Math.floor(random() * 730) * 86_400_000;
        const startSec = 7 * 3600 + Math.floor(random() * 10 * 3600);
        const duration = 300 + Math.floor(random() * 4 * 3600);
        const endSec = startSec + duration;
        const date = new Date(day).toISOString().slice(0, 10);
        const clock = (s: number) => `${pad(Math.floor(s / 3600))}:${pad(Math.floor((s % 3600) / 60))}:${pad(s % 60)}`;
        total += duration;
        buffer += [user, email, r[2], r[3], r[4], `${r[5]} #${i}`, r[6], date, clock(startSec), date, clock(endSec), clock(duration), r[12], r[13]].map((v) => quote(v ?? '')).join(',') + '\n';
        if (buffer.length > 1 << 20) {
            fs.writeSync(out, buffer);
            buffer = '';
        }
    }
    fs.writeSync(out, buffer);
    fs.closeSync(out);
    return { file, seconds: total };
}

function worker(mode: 'baseline' | 'realize', input: string, db: string): { ms: number; maxRssMb: number; rows: number; seconds: number | null } {
    const out = execFileSync(process.execPath, [path.resolve('bench/import-worker.ts'), mode, input, db], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
    return JSON.parse(out.trim().split('\n').at(-1)!);
}

export async function benchImport(rows = 1_000_000): Promise<ImportBench> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'realize-import-bench-'));
    try {
        const { file, seconds } = togglFile(dir, rows);
        const runs = { baseline: [] as ReturnType<typeof worker>[], realize: [] as ReturnType<typeof worker>[] };
        for (let round = 0; round < ROUNDS; round++) {
            runs.baseline.push(worker('baseline', file, path.join(dir, 'baseline.duckdb')));
            runs.realize.push(worker('realize', file, path.join(dir, 'realize.duckdb')));
        }
        const best = (r: ReturnType<typeof worker>[]) => r.reduce((a, b) => (b.ms < a.ms ? b : a));
        const baseline = best(runs.baseline);
        const realize = best(runs.realize);
        if (baseline.rows !== rows) throw new Error(`DuckDB read ${baseline.rows} rows of ${rows}`);
        if (realize.rows !== rows || realize.seconds !== seconds) throw new Error(`realize imported ${realize.rows} entries and ${realize.seconds} s of ${rows} and ${seconds} s`);
        return {
            rows,
            file_mb: Math.round(fs.statSync(file).size / 1e6),
            baseline_ms: baseline.ms,
            realize_ms: realize.ms,
            ratio: Math.round((realize.ms / baseline.ms) * 100) / 100,
            baseline_rss_mb: Math.max(...runs.baseline.map((r) => r.maxRssMb)),
            realize_rss_mb: Math.max(...runs.realize.map((r) => r.maxRssMb)),
            seconds_in_file: seconds,
            seconds_imported: realize.seconds ?? 0,
        };
    } finally {
        fs.rmSync(dir, { recursive: true, force: true });
    }
}

export function printImportBench(r: ImportBench): void {
    console.log(`\nimport of a ${r.rows.toLocaleString('en')}-row Toggl CSV (${r.file_mb} MB)`);
    console.log(`  DuckDB create table as select * from read_csv: ${(r.baseline_ms / 1000).toFixed(1)} s, peak RSS ${r.baseline_rss_mb} MB`);
    console.log(`  realize import toggl (people, clients, projects created; every row checked): ${(r.realize_ms / 1000).toFixed(1)} s, peak RSS ${r.realize_rss_mb} MB`);
    console.log(`  ratio ${r.ratio.toFixed(2)}× (target ≤ 2.00×); RSS ${r.realize_rss_mb < 2000 ? 'under' : 'OVER'} 2 GB; ${r.seconds_imported} of ${r.seconds_in_file} s imported`);
}
