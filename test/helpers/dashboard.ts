/// <reference lib="dom" />
/**
 * The dashboard in a real browser: a Realize server on a free localhost port over a warehouse built from
 * the demo firm (or any canonical folder), serving the web build, and headless Debian Chromium driven by
 * playwright-core. Used by the end-to-end tests and by bench/web.ts.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { buildWeb, webBuildIsStale } from '../../bin/ensure-web-build.ts';
import { ingestFiles } from '../../ingest/canonical.ts';
import { writeDemo } from '../../ingest/demo/index.ts';
import { resolveInputs } from '../../ingest/files.ts';
import { type AppOptions, buildApp } from '../../server/app.ts';
import { buildModels } from '../../warehouse/models.ts';
import { Warehouse } from '../../warehouse/warehouse.ts';

export const WEB_BUILD = path.resolve(import.meta.dirname, '../../build');
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/** Headless in a container: no sandbox, no GPU, nothing that phones home. */
export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'];

export function requireChromium(): void {
    if (!fs.existsSync(CHROMIUM)) {
        throw new Error(`Chromium is not installed at ${CHROMIUM}: the browser tests need it. Install it with \`apt-get install -y chromium\` (CI's .ci/run does), or set CHROMIUM_PATH.`);
    }
}

/** Builds the dashboard when build/ is missing or older than its sources (tests never depend on a stale build). */
export function ensureWebBuild(): void {
    if (webBuildIsStale()) buildWeb();
}

export interface DashboardServer {
    url: string;
    app: FastifyInstance;
    warehouse: Warehouse;
    close(): Promise<void>;
}

/**
 * Loads canonical files into a fresh warehouse (a temporary file, or `db` when given and already built),
 * builds the models and serves API + web build on 127.0.0.1:<free port>.
 */
export async function startDashboard(
    options: { dataDir?: string; demoEntries?: number; seed?: number; end?: string; db?: string; feeds?: AppOptions['feeds'] } = {},
): Promise<DashboardServer> {
    ensureWebBuild();
    let warehouse: Warehouse;
    const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'realize-web-'));
    if (options.db && fs.existsSync(options.db)) {
        warehouse = await Warehouse.open(options.db);
    } else {
        let dir = options.dataDir;
        if (!dir) {
            dir = path.join(scratch, 'demo');
            await writeDemo({ outDir: dir, entries: options.demoEntries ?? 12_000, seed: options.seed ?? 42, end: options.end });
        }
        warehouse = await Warehouse.open(options.db ?? path.join(scratch, 'web.duckdb'));
        const report = await ingestFiles(warehouse, resolveInputs([dir]).files);
        if (!report.ok) throw new Error(`the data for the dashboard does not load: ${report.rejects.slice(0, 5).map((r) => `${r.file}:${r.line} ${r.reason}`).join('; ')}`);
        await buildModels(warehouse);
    }
    const app = await buildApp({ warehouse, webDir: WEB_BUILD, feeds: options.feeds });
    const address = await app.listen({ port: 0, host: '127.0.0.1' });
    return {
        url: address,
        app,
        warehouse,
        async close() {
            await app.close();
            warehouse.close();
            fs.rmSync(scratch, { recursive: true, force: true });
        },
    };
}

export interface Browser {
    context: BrowserContext;
    /** Console errors and uncaught exceptions of every page, in order. */
    errors: string[];
    newPage(): Promise<Page>;
    close(): Promise<void>;
}

/** Headless Chromium with a fresh profile. Fails (never skips) when Chromium is not installed. */
export async function launchBrowser(options: { viewport?: { width: number; height: number } } = {}): Promise<Browser> {
    requireChromium();
    const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'realize-chromium-'));
    const context = await chromium.launchPersistentContext(profile, {
        executablePath: CHROMIUM,
        headless: true,
        acceptDownloads: true,
        locale: 'en-US',
        timezoneId: 'UTC',
        viewport: options.viewport ?? { width: 1440, height: 900 },
        args: CHROMIUM_ARGS,
    });
    const errors: string[] = [];
    const watch = (page: Page) => {
        page.on('console', (m) => {
            if (m.type() === 'error') errors.push(`${page.url()}: console error: ${m.text()}`);
        });
        page.on('pageerror', (e) => errors.push(`${page.url()}: ${e.message}`));
    };
    for (const p of context.pages()) watch(p);
    context.on('page', watch);
    return {
        context,
        errors,
        async newPage() {
            const existing = context.pages().find((p) => p.url() === 'about:blank');
            return existing ?? (await context.newPage());
        },
        async close() {
            await context.close();
            fs.rmSync(profile, { recursive: true, force: true });
        },
    };
}

/**
 * Waits until the page has finished: every card answered (ready, empty or error), every chart drawn, no
 * KPI tile still loading, and (SvelteKit) the app hydrated.
 */
export async function waitForDashboard(page: Page, timeout = 20_000): Promise<number> {
    const ready = await page.waitForFunction(
        () => {
            const cards = [...document.querySelectorAll<HTMLElement>('[data-card]')];
            if (cards.length === 0) return false;
            if (!cards.every((c) => ['ready', 'empty', 'error'].includes(c.dataset.state ?? ''))) return false;
            if (![...document.querySelectorAll<HTMLElement>('[data-chart]')].every((c) => c.dataset.rendered === 'true')) return false;
            if (document.querySelector('[data-kpi][data-state="loading"]')) return false;
            // Milliseconds since the navigation started.
            return performance.now();
        },
        null,
        { timeout, polling: 16 },
    );
    return (await ready.jsonValue()) as number;
}
