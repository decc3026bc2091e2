/// <reference lib="dom" />
/**
 * The import page in headless Chromium on the finance-funnel fixture: drop a Toggl export
 * (test/fixtures/import-edge/toggl-may-b.csv: Ada's 1 h twice and Grace's 15 min), see its tool and first rows,
 * run the dry run (3 entries would be created, 2 h 15 min), import, and find the entries in the warehouse and
 * the past imports; the overview still renders. Screenshots land in test-results/.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { waitForDashboard } from '../helpers/dashboard.ts';
import { dropOnImportPage, TEST_RESULTS, useDashboardPage } from '../helpers/dashboard-page.ts';

const FIXTURE = path.resolve(import.meta.dirname, '../fixtures/finance-funnel');
const EXPORT = path.resolve(import.meta.dirname, '../fixtures/import-edge/toggl-may-b.csv');
const PROJECTS = path.resolve(import.meta.dirname, '../fixtures/import-edge/harvest-projects-later.csv');

const dashboard = useDashboardPage({ dataDir: FIXTURE });

describe('importing a Toggl export in the browser', () => {
    it('previews, dry-runs, imports, and the entries are there', async () => {
        const { server, browser, page } = dashboard;
        const tool = await dropOnImportPage(dashboard, EXPORT, '[data-preview-tool]');
        expect(await tool.getAttribute('data-preview-tool')).toBe('toggl');
        expect(await page.getByText('Grace Hopper').count()).toBeGreaterThan(0);

        await page.getByRole('button', { name: 'Dry run' }).click();
        const status = page.locator('[data-import-status]');
        await status.waitFor({ state: 'visible', timeout: 20_000 });
        expect(await status.getAttribute('data-import-status')).toBe('dry_run');
        // 3 entries, 2 h 15 min = 8,100 s.
        expect(await page.getByText('8,100 s').count()).toBeGreaterThan(0);
        await page.screenshot({ path: path.join(TEST_RESULTS, 'import-dry-run.png'), fullPage: true });
        const none = await server.warehouse.one<{ n: number }>(`select count(*)::integer as n from canonical.time_entries where source = 'toggl'`);
        expect(none?.n).toBe(0);

        await page.getByRole('button', { name: 'Import', exact: true }).click();
        await page.locator('[data-import-status="imported"]').waitFor({ state: 'visible', timeout: 30_000 });
        const done = await server.warehouse.one<{ n: number; s: number }>(`select count(*)::integer as n, sum(duration_seconds)::integer as s from canonical.time_entries where source = 'toggl'`);
        expect(done).toEqual({ n: 3, s: 8_100 });
        await page.getByText('toggl-may-b.csv').first().waitFor({ state: 'visible', timeout: 10_000 });
        await page.screenshot({ path: path.join(TEST_RESULTS, 'import-done.png'), fullPage: true });

        await page.goto(`${server.url}/`);
        await waitForDashboard(page);
        expect(browser.errors).toEqual([]);
    });

    it('shows a Harvest projects list as a projects list, and its dry run counts clients and projects', async () => {
        const { browser, page } = dashboard;
        const kind = await dropOnImportPage(dashboard, PROJECTS, '[data-preview-kind]');
        expect([await kind.getAttribute('data-preview-tool'), await kind.getAttribute('data-preview-kind')]).toEqual(['harvest', 'projects']);
        expect(await page.getByText('Harvest projects list').count()).toBeGreaterThan(0);
        await page.getByRole('button', { name: 'Dry run' }).click();
        await page.locator('[data-import-status="dry_run"]').waitFor({ state: 'visible', timeout: 20_000 });
        // Website Relaunch and Support 2025 of a new client: 2 projects would be created.
        expect(await page.getByText('clients and projects in all').count()).toBe(1);
        await page.screenshot({ path: path.join(TEST_RESULTS, 'import-projects-list.png'), fullPage: true });
        expect(browser.errors).toEqual([]);
    });
});
