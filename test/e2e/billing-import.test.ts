/// <reference lib="dom" />
/**
 * Billing history on the Import page, in headless Chromium, on a firm reporting in USD with no billing yet
 * (local mode): drop Invoice Ninja's invoices and payments exports (the hand-made
 * test/fixtures/billing-edge/invoiceninja-*.csv, whose figures test/ingest/billing/routes.test.ts works out:
 * 4 invoices of 1,200.00 USD net of tax, 6 lines, 2 payments of 1,040.00 USD (1,090.00 less a refund of 50.00), the payment of invoice 0999
 * rejected), see each file's tool and the dry run's report, download the rejected rows, import, and find the
 * invoices and payments in the warehouse. Screenshots land in test-results/.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { dropOnImportPage, TEST_RESULTS, useDashboardPage } from '../helpers/dashboard-page.ts';

const EXPORTS = path.resolve(import.meta.dirname, '../fixtures/billing-edge');
const FILES = ['invoiceninja-invoices.csv', 'invoiceninja-payments.csv'].map((f) => path.join(EXPORTS, f));

const firm = fs.mkdtempSync(path.join(os.tmpdir(), 'realize-billing-page-'));
fs.writeFileSync(path.join(firm, 'settings.csv'), 'key,value\nreporting_currency,USD\nfirm_name,Ledger & Co\nas_of,2024-12-31\n');
fs.writeFileSync(path.join(firm, 'people.csv'), 'person_id,name,email,role,department,start_date,end_date\nF1,Finn Ledger,f1@ledger.example,accountant,Finance,2024-01-01,\n');

const dashboard = useDashboardPage({ dataDir: firm });

const cellsOf = async (rowName: string) => {
    const row = dashboard.page.locator('[aria-labelledby="billing-report-title"] tr').filter({ hasText: rowName }).first();
    return (await row.locator('td').allInnerTexts()).map((t) => t.trim());
};

describe('importing billing history in the browser', () => {
    it('detects Invoice Ninja, dry-runs, offers the rejected rows, imports, and the invoices are counted', async () => {
        const { server, browser, page } = dashboard;
        // No time tool wrote them: they are tried as billing history, a dry run.
        const report = await dropOnImportPage(dashboard, FILES, '[data-billing-report]', 30_000);
        expect(await report.getAttribute('data-import-status')).toBe('dry_run');
        const tools = await page.locator('[data-preview-tool]').evaluateAll((els) => els.map((e) => [e.getAttribute('data-preview-tool'), e.textContent?.trim().split(' ·')[0]]));
        expect(tools).toEqual([
            ['invoiceninja', 'Invoice Ninja export (invoices)'],
            ['invoiceninja', 'Invoice Ninja export (payments)'],
        ]);
        expect(await page.getByRole('heading', { name: 'What the billing import would do' }).count()).toBe(1);
        expect(await cellsOf('Invoices')).toEqual(['Invoices', '4', '0', '0', '$1,200.00']);
        expect(await cellsOf('Payments')).toEqual(['Payments', '2', '0', '0', '$1,040.00']);
        // The table shows its dash where a figure does not apply.
        expect(await cellsOf('Invoice lines')).toEqual(['Invoice lines', '6', '–', '–', '–']);
        expect(await page.getByText('invoice 0999 is not in this import or the warehouse').count()).toBe(1);
        const before = await server.warehouse.one<{ n: number }>(`select count(*)::integer as n from canonical.invoices`);
        expect(before?.n).toBe(0);

        const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download the rejected rows (CSV)' }).click()]);
        expect(download.suggestedFilename()).toBe('rejected-billing-rows.csv');
        const csv = fs.readFileSync((await download.path())!, 'utf8');
        expect(csv.split('\r\n')[0]).toBe('file,line,reason,value');
        expect(csv).toContain('invoiceninja-payments.csv,8,invoice 0999 is not in this import or the warehouse,');
        await page.screenshot({ path: path.join(TEST_RESULTS, 'billing-import-dry-run.png'), fullPage: true });

        await page.getByRole('button', { name: 'Import', exact: true }).click();
        await page.locator('[data-billing-report][data-import-status="imported"]').waitFor({ state: 'visible', timeout: 30_000 });
        expect(await page.getByRole('heading', { name: 'Billing history imported' }).count()).toBe(1);
        expect(await cellsOf('Invoices')).toEqual(['Invoices', '4', '0', '0', '$1,200.00']);
        expect(await report.innerText()).toContain('Figures updated.');
        const stored = await server.warehouse.one<{ invoices: number; payments: number }>(
            `select (select count(*) from canonical.invoices)::integer as invoices, (select count(*) from canonical.payments)::integer as payments`,
        );
        expect(stored).toEqual({ invoices: 4, payments: 2 });
        await page.screenshot({ path: path.join(TEST_RESULTS, 'billing-import-done.png'), fullPage: true });
        expect(browser.errors).toEqual([]);
    });
});
