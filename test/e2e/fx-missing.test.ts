/// <reference lib="dom" />
/**
 * A firm with fx rates missing where its figures need them (test/fixtures/fx-missing: no GBP rate at all,
 * USD only from 2024-02-01): the dashboard starts, shows its figures, and names each currency and the dates
 * without a rate above every page — and after an upload of the rates, the notice is gone.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { waitForDashboard } from '../helpers/dashboard.ts';
import { TEST_RESULTS, useDashboardPage } from '../helpers/dashboard-page.ts';

const FIXTURE = path.resolve(import.meta.dirname, '../fixtures/fx-missing');

const dashboard = useDashboardPage({ dataDir: FIXTURE });

describe('missing fx rates on the dashboard', () => {
    it('are named, currency and dates, above the overview, which still shows its figures', async () => {
        const { server, browser, page } = dashboard;
        await page.goto(`${server.url}/?from=2024-01-01&to=2024-03-31&as_of=2024-03-31`);
        await waitForDashboard(page);
        const notice = page.locator('[data-fx-missing]');
        await notice.waitFor({ state: 'visible', timeout: 10_000 });
        expect(await notice.getAttribute('data-fx-missing')).toBe('GBP USD');
        expect((await notice.locator('[data-currency="GBP"]').innerText()).trim()).toBe(
            'GBP has no rate on or before Feb 20, 2024 – Mar 6, 2024: 3 amounts are left out of the figures until fx_rates has a GBP rate dated Feb 20, 2024 or earlier.',
        );
        expect((await notice.locator('[data-currency="USD"]').innerText()).trim()).toBe(
            'USD has no rate on or before Jan 1, 2024 – Jan 31, 2024 (its first is Feb 1, 2024): 5 amounts are left out of the figures until fx_rates has a USD rate dated Jan 1, 2024 or earlier.',
        );
        expect(await page.locator('[data-card][data-state="error"]').count()).toBe(0);
        await page.screenshot({ path: path.join(TEST_RESULTS, 'fx-missing.png'), fullPage: true });
        expect(browser.errors).toEqual([]);
    });

    it('is gone once the rates are loaded', async () => {
        const { server, page } = dashboard;
        const boundary = '----realize-fx-e2e';
        const rates = 'currency,date,rate_to_reporting\nUSD,2024-01-01,0.92\nGBP,2024-01-01,1.15\n';
        const payload = `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="fx_rates.csv"\r\nContent-Type: text/csv\r\n\r\n${rates}\r\n--${boundary}--\r\n`;
        const res = await server.app.inject({ method: 'POST', url: '/api/ingest', payload, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } });
        expect(res.json()).toMatchObject({ status: 'loaded', fx_missing: [] });
        await page.reload();
        await waitForDashboard(page);
        expect(await page.locator('[data-fx-missing]').count()).toBe(0);
    });
});
