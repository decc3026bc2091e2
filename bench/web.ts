/**
 * The dashboard's performance targets:
 *  - JavaScript shipped for the overview route: every script the browser loads to show "/" (the
 *    SvelteKit entry, the layout, the overview page and ECharts), gzip-compressed: target ≤ 350 KB;
 *  - time to the overview fully rendered — every KPI filled, every card answered, every chart drawn —
 *    measured in the page from the start of the navigation, in headless Chromium on localhost, each run
 *    in a fresh browser context (cold HTTP cache, nothing in localStorage) after one warm-up load: target
 *    ≤ 1.5 s at the default demo size.
 * The server is the one `npm start` runs (server/app.ts over the warehouse with 4 connections), on a
 * warehouse generated once under data/bench/ (data/bench/web-<entries>.duckdb; its models are rebuilt when
 * models/ changed since).
 *
 * With a baseline revision (--baseline REV, or BENCH_WEB_BASELINE=REV for `npm run bench -- web`), that
 * revision's server and dashboard (git archive, built with this checkout's node_modules) are served too,
 * from a copy of the same warehouse, and the loads alternate between the two: before and after, measured
 * in one run under the same conditions.
 *
 *   node bench/web.ts [--entries N] [--runs N] [--baseline REV]
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import zlib from 'node:zlib';
import { chromium, type Browser } from 'playwright-core';
import { DEFAULT_ENTRIES } from '../ingest/demo/index.ts';
import { CHROMIUM, CHROMIUM_ARGS, ensureWebBuild, requireChromium, startDashboard, waitForDashboard, WEB_BUILD } from '../test/helpers/dashboard.ts';
import { modelsFingerprint } from '../warehouse/models.ts';
import { benchDemo } from './data.ts';

const ROOT = path.resolve(import.meta.dirname, '..');

export interface WebFigures {
    /** Scripts loaded to render the overview, and their total size raw and gzip-compressed (KB = 1024 B). */
    js_files: number;
    js_kb: number;
    js_gzip_kb: number;
    /** Each measured run: navigation start → everything drawn, ms. */
    overview_ms: number[];
    overview_median_ms: number;
}

export interface WebBench extends WebFigures {
    entries: number;
    /**
     * The same loads with nothing kept on the server: before each, the warehouse's generation is bumped, as a
     * committed ingest would, so every answer is computed afresh (the first visitor after a data load).
     */
    uncached_ms: number[];
    uncached_median_ms: number;
    /** The same figures for the baseline revision, measured alternately in the same run. */
    baseline?: WebFigures & { revision: string };
    targets: { js_gzip_kb: number; overview_ms: number };
}

const median = (xs: number[]) => {
    const s = [...xs].sort((a, b) => a - b);
    return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

/** data/bench/web-<entries>.duckdb with the demo firm loaded and today's models built. */
async function benchWarehouse(entries: number): Promise<string> {
    const db = path.resolve('data', 'bench', `web-${entries}.duckdb`);
    const stamp = `${db}.models`;
    if (!fs.existsSync(db)) {
        const dir = await benchDemo(entries);
        const partial = `${db}.partial`;
        fs.rmSync(partial, { force: true });
        fs.rmSync(`${partial}.wal`, { force: true });
        console.log(`loading ${dir} into ${partial} and building the models …`);
        const loading = await startDashboard({ dataDir: dir, db: partial });
        await loading.close();
        fs.renameSync(partial, db);
        fs.writeFileSync(stamp, modelsFingerprint());
    } else if (!fs.existsSync(stamp) || fs.readFileSync(stamp, 'utf8') !== modelsFingerprint()) {
        console.log(`models/ changed since ${path.basename(db)} was built: rebuilding its models …`);
        const { Warehouse } = await import('../warehouse/warehouse.ts');
        const { buildModels } = await import('../warehouse/models.ts');
        const w = await Warehouse.open(db, { memoryLimit: '3GB' });
        try {
            await buildModels(w);
        } finally {
            w.close();
        }
        fs.writeFileSync(stamp, modelsFingerprint());
    }
    return db;
}

interface Served {
    url: string;
    webDir: string;
    /** Forget everything derived from the warehouse's state (what a committed change does). */
    invalidate(): void;
    close(): Promise<void>;
}

/** Serves a checkout (this one, or a baseline's) as `npm start` does: its server code, its web build. */
async function serve(root: string, db: string): Promise<Served> {
    const { Warehouse } = (await import(pathToFileURL(path.join(root, 'warehouse/warehouse.ts')).href)) as typeof import('../warehouse/warehouse.ts');
    const { buildApp } = (await import(pathToFileURL(path.join(root, 'server/app.ts')).href)) as typeof import('../server/app.ts');
    const warehouse = await Warehouse.open(db, { connections: 4 });
    const webDir = path.join(root, 'build');
    const app = await buildApp({ warehouse, webDir });
    const url = await app.listen({ port: 0, host: '127.0.0.1' });
    return {
        url,
        webDir,
        invalidate() {
            warehouse.generation++;
        },
        async close() {
            await app.close();
            warehouse.close();
        },
    };
}

/** A baseline revision's files (git archive), built with this checkout's node_modules. */
function checkoutBaseline(revision: string): string {
    const sha = spawnSync('git', ['rev-parse', '--short', revision], { cwd: ROOT, encoding: 'utf8' });
    if (sha.status !== 0) throw new Error(`--baseline ${revision}: not a revision of this repository`);
    const dir = path.resolve('data', 'bench', `baseline-${sha.stdout.trim()}`);
    if (!fs.existsSync(path.join(dir, 'build', '200.html'))) {
        fs.rmSync(dir, { recursive: true, force: true });
        fs.mkdirSync(dir, { recursive: true });
        const archive = spawnSync('sh', ['-c', `git archive ${sha.stdout.trim()} | tar -x -C "${dir}"`], { cwd: ROOT, stdio: 'inherit' });
        if (archive.status !== 0) throw new Error(`git archive ${revision} failed`);
        fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
        console.log(`building the dashboard of ${revision} in ${dir} …`);
        const env = { ...process.env, NODE_ENV: 'production' };
        for (const args of [[path.join(ROOT, 'node_modules/@sveltejs/kit/svelte-kit.js'), 'sync'], [path.join(ROOT, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'warn']]) {
            const run = spawnSync(process.execPath, args, { cwd: dir, stdio: 'inherit', env });
            if (run.status !== 0) throw new Error(`building ${revision} failed`);
        }
    }
    return dir;
}

/** One cold load of the overview: ms to fully rendered, and the scripts it loaded. */
async function load(browser: Browser, url: string): Promise<{ ms: number; scripts: Set<string> }> {
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'en-US' });
    try {
        const page = await context.newPage();
        const scripts = new Set<string>();
        page.on('request', (r) => {
            if (r.resourceType() === 'script') scripts.add(new URL(r.url()).pathname);
        });
        await page.goto(`${url}/`);
        const ms = await waitForDashboard(page, 60_000);
        return { ms, scripts };
    } finally {
        await context.close();
    }
}

function jsSize(webDir: string, scripts: Set<string>): Pick<WebFigures, 'js_files' | 'js_kb' | 'js_gzip_kb'> {
    let raw = 0;
    let gzip = 0;
    for (const s of scripts) {
        const bytes = fs.readFileSync(path.join(webDir, s));
        raw += bytes.length;
        gzip += zlib.gzipSync(bytes).length;
    }
    return { js_files: scripts.size, js_kb: Math.round((raw / 1024) * 10) / 10, js_gzip_kb: Math.round((gzip / 1024) * 10) / 10 };
}

/** Measures the overview at `entries` time entries (default: the demo's default size). */
export async function benchWeb(entries: number = DEFAULT_ENTRIES, options: { runs?: number; baseline?: string } = {}): Promise<WebBench> {
    requireChromium();
    ensureWebBuild();
    const runs = options.runs ?? 7;
    const baselineRevision = options.baseline ?? process.env.BENCH_WEB_BASELINE;
    const db = await benchWarehouse(entries);
    const current = await serve(ROOT, db);
    let baseline: Served | null = null;
    if (baselineRevision) {
        const dir = checkoutBaseline(baselineRevision);
        // DuckDB locks its file: the baseline reads a copy of the same warehouse.
        const copy = path.join(dir, 'web.duckdb');
        fs.copyFileSync(db, copy);
        baseline = await serve(dir, copy);
    }
    const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
    try {
        const warmCurrent = await load(browser, current.url);
        const warmBaseline = baseline ? await load(browser, baseline.url) : null;
        const times: number[] = [];
        const uncached: number[] = [];
        const baselineTimes: number[] = [];
        for (let i = 0; i < runs; i++) {
            // Rotate, so a busy moment on the machine falls on each alike.
            const kinds = ['current', 'uncached', 'baseline'] as const;
            for (let k = 0; k < kinds.length; k++) {
                const which = kinds[(k + i) % kinds.length];
                if (which === 'current') times.push(Math.round((await load(browser, current.url)).ms));
                else if (which === 'uncached') {
                    current.invalidate();
                    uncached.push(Math.round((await load(browser, current.url)).ms));
                } else if (baseline) {
                    baselineTimes.push(Math.round((await load(browser, baseline.url)).ms));
                }
            }
        }
        return {
            entries,
            ...jsSize(current.webDir, warmCurrent.scripts),
            overview_ms: times,
            overview_median_ms: median(times),
            uncached_ms: uncached,
            uncached_median_ms: median(uncached),
            ...(baseline && warmBaseline
                ? { baseline: { revision: baselineRevision!, ...jsSize(baseline.webDir, warmBaseline.scripts), overview_ms: baselineTimes, overview_median_ms: median(baselineTimes) } }
                : {}),
            targets: { js_gzip_kb: 350, overview_ms: 1500 },
        };
    } finally {
        await browser.close();
        await current.close();
        await baseline?.close();
    }
}

export function printWebBench(r: WebBench): void {
    console.log(`\ndashboard overview at ${r.entries.toLocaleString('en')} time entries`);
    const lines = (label: string, f: WebFigures) => {
        console.log(`  ${label}JavaScript shipped: ${f.js_files} files, ${f.js_kb} KB raw, ${f.js_gzip_kb} KB gzip (target ≤ ${r.targets.js_gzip_kb} KB: ${f.js_gzip_kb <= r.targets.js_gzip_kb ? 'met' : 'MISSED'})`);
        console.log(
            `  ${label}fully rendered: median ${f.overview_median_ms} ms over ${f.overview_ms.length} cold-cache loads [${f.overview_ms.join(', ')}] (target ≤ ${r.targets.overview_ms} ms: ${f.overview_median_ms <= r.targets.overview_ms ? 'met' : 'MISSED'})`,
        );
    };
    const uncached = `fully rendered, nothing kept on the server (each load after a warehouse change): median ${r.uncached_median_ms} ms [${r.uncached_ms.join(', ')}]`;
    if (r.baseline) {
        lines(`baseline ${r.baseline.revision}: `, r.baseline);
        lines('this checkout: ', r);
        console.log(`  this checkout: ${uncached}`);
    } else {
        lines('', r);
        console.log(`  ${uncached}`);
    }
}

if (import.meta.main) {
    const { values } = parseArgs({ options: { entries: { type: 'string' }, runs: { type: 'string' }, baseline: { type: 'string' } } });
    const r = await benchWeb(values.entries ? Number(values.entries) : DEFAULT_ENTRIES, { runs: values.runs ? Number(values.runs) : undefined, baseline: values.baseline });
    printWebBench(r);
}
