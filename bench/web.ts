/**
 * The dashboard's performance targets (issue 4):
 *  - JavaScript shipped for the overview route: every script the browser loads to show "/" (the
 *    SvelteKit entry, the layout, the overview page and ECharts), gzip-compressed: target ≤ 350 KB;
 *  - time to the overview fully rendered — every KPI filled, every card answered, every chart drawn —
 *    measured in the page from the start of the navigation, in headless Chromium on localhost, each run
 *    in a fresh browser context (cold HTTP cache) after one warm-up load: target ≤ 1.5 s at the default
 *    demo size.
 * The demo firm is generated once under data/bench/ and loaded once into data/bench/web-<entries>.duckdb.
 *
 *   node bench/web.ts [--entries N] [--runs N]
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import zlib from 'node:zlib';
import { chromium } from 'playwright-core';
import { DEFAULT_ENTRIES } from '../ingest/demo/index.ts';
import { CHROMIUM, CHROMIUM_ARGS, requireChromium, startDashboard, waitForDashboard, WEB_BUILD } from '../test/helpers/dashboard.ts';
import { benchDemo } from './data.ts';

export interface WebBench {
    entries: number;
    /** Scripts loaded to render the overview, and their total size raw and gzip-compressed (KB = 1024 B). */
    js_files: number;
    js_kb: number;
    js_gzip_kb: number;
    /** Each measured run: navigation start → everything drawn, ms. */
    overview_ms: number[];
    overview_median_ms: number;
    targets: { js_gzip_kb: number; overview_ms: number };
}

const median = (xs: number[]) => {
    const s = [...xs].sort((a, b) => a - b);
    return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

/** Measures the overview at `entries` time entries (default: the demo's default size). */
export async function benchWeb(entries: number = DEFAULT_ENTRIES, options: { runs?: number } = {}): Promise<WebBench> {
    requireChromium();
    const runs = options.runs ?? 5;
    const db = path.resolve('data', 'bench', `web-${entries}.duckdb`);
    if (!fs.existsSync(db)) {
        const dir = await benchDemo(entries);
        const partial = `${db}.partial`;
        fs.rmSync(partial, { force: true });
        fs.rmSync(`${partial}.wal`, { force: true });
        console.log(`loading ${dir} into ${partial} and building the models …`);
        const loading = await startDashboard({ dataDir: dir, db: partial });
        await loading.close();
        fs.renameSync(partial, db);
    }
    const server = await startDashboard({ db });
    const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
    try {
        const load = async () => {
            const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'en-US' });
            const page = await context.newPage();
            const scripts = new Set<string>();
            page.on('request', (r) => {
                if (r.resourceType() === 'script') scripts.add(new URL(r.url()).pathname);
            });
            await page.goto(`${server.url}/`);
            const ms = await waitForDashboard(page, 60_000);
            await context.close();
            return { ms, scripts };
        };
        const warm = await load();
        const times: number[] = [];
        for (let i = 0; i < runs; i++) times.push(Math.round((await load()).ms));
        let raw = 0;
        let gzip = 0;
        for (const s of warm.scripts) {
            const file = path.join(WEB_BUILD, s);
            const bytes = fs.readFileSync(file);
            raw += bytes.length;
            gzip += zlib.gzipSync(bytes).length;
        }
        return {
            entries,
            js_files: warm.scripts.size,
            js_kb: Math.round((raw / 1024) * 10) / 10,
            js_gzip_kb: Math.round((gzip / 1024) * 10) / 10,
            overview_ms: times,
            overview_median_ms: median(times),
            targets: { js_gzip_kb: 350, overview_ms: 1500 },
        };
    } finally {
        await browser.close();
        await server.close();
    }
}

export function printWebBench(r: WebBench): void {
    console.log(`\ndashboard overview at ${r.entries.toLocaleString('en')} time entries`);
    console.log(`  JavaScript shipped: ${r.js_files} files, ${r.js_kb} KB raw, ${r.js_gzip_kb} KB gzip (target ≤ ${r.targets.js_gzip_kb} KB: ${r.js_gzip_kb <= r.targets.js_gzip_kb ? 'met' : 'MISSED'})`);
    console.log(`  fully rendered: median ${r.overview_median_ms} ms over ${r.overview_ms.length} cold-cache loads [${r.overview_ms.join(', ')}] (target ≤ ${r.targets.overview_ms} ms: ${r.overview_median_ms <= r.targets.overview_ms ? 'met' : 'MISSED'})`);
}

if (import.meta.main) {
    const { values } = parseArgs({ options: { entries: { type: 'string' }, runs: { type: 'string' } } });
    const r = await benchWeb(values.entries ? Number(values.entries) : DEFAULT_ENTRIES, { runs: values.runs ? Number(values.runs) : undefined });
    printWebBench(r);
}
