/// <reference lib="dom" />
/**
 * The setup most browser tests share: one dashboard server and one headless Chromium page for the whole
 * test file, started before its tests (with test-results/ made for their screenshots) and closed after them.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { launchBrowser, startDashboard, type Browser, type DashboardServer } from './dashboard.ts';

/** Where browser tests write their screenshots. */
export const TEST_RESULTS = path.resolve(import.meta.dirname, '../../test-results');

export interface DashboardPage {
    server: DashboardServer;
    browser: Browser;
    page: Page;
}

/**
 * Registers the file's beforeAll (start the dashboard with `options`, launch the browser, open a page; within
 * `timeout` ms, the configured hook timeout by default) and afterAll (close both). The fields are set once
 * beforeAll has run: read them inside the tests.
 */
export function useDashboardPage(options: Parameters<typeof startDashboard>[0], timeout?: number): DashboardPage {
    const session = {} as DashboardPage;
    beforeAll(async () => {
        fs.mkdirSync(TEST_RESULTS, { recursive: true });
        [session.server, session.browser] = await Promise.all([startDashboard(options), launchBrowser()]);
        session.page = await session.browser.newPage();
    }, timeout);
    afterAll(async () => {
        await session.browser?.close();
        await session.server?.close();
    });
    return session;
}

/** A full-page screenshot from the top (a scrolled page would draw the sticky filter bar mid-page), into test-results/. */
export async function screenshot(page: Page, name: string): Promise<void> {
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: path.join(TEST_RESULTS, `${name}.png`), fullPage: true });
}

/**
 * Opens the import page, drops `files` on its drop zone as a user choosing them would, and waits for `answer`,
 * the part of the page that shows what it made of them, to be visible; returns it.
 */
export async function dropOnImportPage({ server, page }: DashboardPage, files: string | string[], answer: string, timeout = 20_000): Promise<Locator> {
    await page.goto(`${server.url}/import`);
    await page.locator('[data-dropzone] input[type=file]').setInputFiles(files);
    const shown = page.locator(answer);
    await shown.waitFor({ state: 'visible', timeout });
    return shown;
}
