/**
 * Invoicing in headless Chromium against a server on the demo firm (12,000 entries, seed 42), as finance
 * would: run invoices for the demo's last month (which no demo invoice bills yet), review a draft, add an
 * adjustment, issue it, download the PDF and both accounting CSVs, record a partial payment and issue a credit
 * note. The dashboard's figures move by exactly those amounts, and every step is in the audit log. No console
 * error on the way; screenshots land in test-results/.
 */
import fs from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Dimensions } from '../../web/lib/api/types.ts';
import { screenshot, useDashboardPage } from '../helpers/dashboard-page.ts';

const dashboard = useDashboardPage({ demoEntries: 12_000, seed: 42 }, 240_000);

let dims: Dimensions;
let invoiceId: string;

async function api<T>(route: string): Promise<T> {
    const res = await dashboard.server.app.inject({ method: 'GET', url: `/api/${route}` });
    expect(res.statusCode, `${route}: ${res.body}`).toBe(200);
    return res.json() as T;
}

const funnel = async () => {
    const f = await api<{ leaks: { key: string; amount: number }[]; stages: { key: string; amount: number }[] }>(`funnel?as_of=${dims.as_of}`);
    const stage = (k: string) => f.stages.find((s) => s.key === k)!.amount;
    const leak = (k: string) => f.leaks.find((l) => l.key === k)!.amount;
    return { billed: stage('billed_value'), collected: stage('collected_value'), credited: leak('credited'), not_invoiced: leak('not_invoiced') };
};
const cents = (v: number) => Math.round(v * 100) / 100;

/** A currency's rate to the reporting currency on a date: the latest on or before it (1 for the reporting currency). */
async function rateOn(currency: string, date: string): Promise<number> {
    if (currency === dims.currency) return 1;
    const row = await dashboard.server.warehouse.one<{ r: number }>(`select rate_to_reporting::double as r from canonical.fx_rates where currency = $1 and date <= $2::date order by date desc limit 1`, [currency, date]);
    return row!.r;
}

async function downloaded(button: string): Promise<Buffer> {
    const [file] = await Promise.all([dashboard.page.waitForEvent('download'), dashboard.page.getByRole('button', { name: button, exact: true }).click()]);
    return fs.readFileSync((await file.path())!);
}

beforeAll(async () => {
    dims = await api<Dimensions>('dimensions');
});

describe('finance invoices a month in the dashboard', () => {
    it('runs the month into drafts', async () => {
        const { server, page } = dashboard;
        await page.goto(`${server.url}/invoices`);
        await page.getByLabel('Month', { exact: true }).fill(dims.last_month!.slice(0, 7));
        await page.getByRole('button', { name: 'Run', exact: true }).click();
        const result = page.locator('[data-run-result]');
        await result.waitFor({ timeout: 120_000 });
        expect(await result.textContent()).toMatch(/drafts? made/);
        await screenshot(page, 'invoices-run');
        // The run's drafts (the demo loads a few drafts of its own from files): the largest.
        const drafts = (await api<{ rows: { invoice_id: string; net: number; made_here: boolean }[] }>('invoices?status=draft')).rows.filter((r) => r.made_here);
        expect(drafts.length).toBeGreaterThan(0);
        invoiceId = [...drafts].sort((a, b) => b.net - a.net)[0]!.invoice_id;
    }, 180_000);

    it('reviews the draft, adds an adjustment and issues it; the funnel moves by the invoice', async () => {
        const { server, page } = dashboard;
        const before = await funnel();
        await page.goto(`${server.url}/invoices/${encodeURIComponent(invoiceId)}`);
        await page.locator('[data-totals]').waitFor();
        await page.getByLabel('Amount (net)', { exact: true }).fill('-10');
        await page.getByLabel('Reason', { exact: true }).fill('Goodwill: first month');
        await page.getByRole('button', { name: 'Add', exact: true }).click();
        await page.getByText('Adjustment added.').waitFor({ timeout: 120_000 });
        await screenshot(page, 'invoice-draft');
        // Dated within the figures' period (through the firm's as-of date), so every line counts in it.
        await page.getByLabel('Date', { exact: true }).fill(dims.as_of);
        await page.getByRole('button', { name: 'Issue invoice' }).click();
        await page.getByText('Issued.').waitFor({ timeout: 120_000 });
        const issued = await api<{ invoice: { number: string; net: number; currency: string; issue_date: string; status: string } }>(`invoices/${encodeURIComponent(invoiceId)}`);
        expect(issued.invoice.status).toBe('issued');
        expect(issued.invoice.number).toMatch(/^INV-\d{4}-0001$/);
        const after = await funnel();
        // Billed value is in the reporting currency at the issue date's rate (PRODUCT.md).
        expect(cents(after.billed - before.billed)).toBe(cents(issued.invoice.net * (await rateOn(issued.invoice.currency, issued.invoice.issue_date))));
        await screenshot(page, 'invoice-issued');
    }, 300_000);

    it('downloads the PDF and both CSVs', async () => {
        const pdf = await downloaded('Invoice (PDF)');
        expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
        const xero = (await downloaded('Xero CSV')).toString('utf8');
        expect(xero.split('\r\n')[0]).toBe('ContactName,InvoiceNumber,InvoiceDate,DueDate,Description,Quantity,UnitAmount,AccountCode,TaxType,Currency,Reference');
        const qbo = (await downloaded('QuickBooks CSV')).toString('utf8');
        expect(qbo.split('\r\n')[0]).toBe('Invoice number,Customer,Invoice date,Due date,Terms,Service Date,Item (Product/Service),Item Description,Item Quantity,Item Rate,Item Amount,Item tax code,Memo');
        expect(qbo).toContain('Adjustment: Goodwill: first month');
    }, 120_000);

    it('records a partial payment and issues a credit note; collected and credited move by them', async () => {
        const { browser, page } = dashboard;
        const doc = await api<{ invoice: { outstanding: number; currency: string } }>(`invoices/${encodeURIComponent(invoiceId)}`);
        const paidOn = dims.as_of;
        const half = cents(doc.invoice.outstanding / 2);
        const before = await funnel();
        await page.getByLabel('Received (with tax)').fill(String(half));
        await page.getByLabel('Paid on').fill(dims.as_of);
        await page.getByRole('button', { name: 'Record', exact: true }).click();
        await page.getByText('Payment recorded.').waitFor({ timeout: 120_000 });
        await page.getByLabel('Amount (net; empty = all)').fill('25');
        await page.getByLabel('Credit note reason').selectOption('discount');
        await page.getByLabel('Date', { exact: true }).fill(dims.as_of);
        await page.getByRole('button', { name: 'Issue credit note' }).click();
        await page.getByText('Credit note issued.').waitFor({ timeout: 120_000 });
        const after = await funnel();
        // The demo's clients are billed without tax: the payment's net is what was received.
        const rate = await rateOn(doc.invoice.currency, paidOn);
        expect(cents(after.collected - before.collected)).toBe(cents(half * rate));
        expect(cents(after.credited - before.credited)).toBe(cents(25 * rate));
        expect(await page.locator('[data-outstanding]').textContent()).toBeTruthy();
        await screenshot(page, 'invoice-paid-credited');
        expect(browser.errors).toEqual([]);
    }, 300_000);

    it('has every step in the audit log', async () => {
        const { server } = dashboard;
        const actions = await server.warehouse.all<{ action: string }>(
            `select action from audit.events where action in ('invoice_run', 'invoice_adjustment', 'invoice_issue', 'payment', 'credit_note') order by event_id`,
        );
        expect(actions.map((a) => a.action)).toEqual(['invoice_run', 'invoice_adjustment', 'invoice_issue', 'payment', 'credit_note']);
    });
});
