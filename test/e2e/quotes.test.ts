/// <reference lib="dom" />
/**
 * Calibrated quotes in headless Chromium against a server on the demo firm, as a sales lead would use them:
 * build a quote from a past project's baseline plan with a target margin and a confidence, and find on screen
 * exactly what POST /api/quotes answers for the same lines; save it, link it to the project it became and see
 * the closeout compare quote, baseline and actuals by phase × role; open the calibration page and find the
 * figures of GET /api/quotes/backtest. An untouched form shows no error until a field is left or a quote is
 * asked for; the reference note states the engine's reason for the class it used; a saved quote is edited into
 * its next version (the first kept as it was) and downloaded as PDF and CSV; the calibration page leads with
 * the seller's sentence. No console error on the way; screenshots land in test-results/.
 *
 * The demo firm has 60,000 entries (seed 42, ending 2024-06-30): the smallest size at which about thirty
 * projects have closed and the backtest scores some of them (at 12,000 entries it scores none).
 */
import fs from 'node:fs';
import type { Locator } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Dimensions } from '../../web/lib/api/types.ts';
import { backtestTable, sellerSummary } from '../../web/lib/features/quotes/calibration.ts';
import { closeoutLinesTable } from '../../web/lib/features/quotes/closeout.ts';
import { phaseTable, referenceNote, summaryTable } from '../../web/lib/features/quotes/summary.ts';
import { planLines, type BacktestAnswer, type CloseoutAnswer, type QuoteAnswer, type QuoteRequest, type SavedQuoteDetail } from '../../web/lib/features/quotes/types.ts';
import { formatMoney, formatNumber, formatPercent } from '../../web/lib/format.ts';
import { cellText, type TableData } from '../../web/lib/table.ts';
import { screenshot, useDashboardPage } from '../helpers/dashboard-page.ts';
import { waitForDashboard } from '../helpers/dashboard.ts';

const ctx = { currency: 'EUR', locale: 'en-US' };

const dashboard = useDashboardPage({ demoEntries: 60_000, seed: 42, end: '2024-06-30' });

let dims: Dimensions;
/** The closed project whose baseline plan the quote starts from, and that the quote is then linked to. */
let past: { project_id: string; project_type: string; billing_model: string; closeout: CloseoutAnswer };
let quoted: QuoteAnswer;
let quoteId: number;

async function api<T>(method: 'GET' | 'POST', route: string, body?: unknown): Promise<T> {
    const res = await dashboard.server.app.inject({ method, url: `/api/${route}`, ...(body ? { payload: body as object } : {}) });
    expect(res.statusCode, `${route}: ${res.body}`).toBe(200);
    return res.json() as T;
}

/** The cells of a table as the page shows them: one array of texts per body row. */
async function shownRows(table: Locator): Promise<string[][]> {
    return table.locator('tbody tr').evaluateAll((rows) => rows.map((r) => [...r.querySelectorAll('td')].map((td) => (td.textContent ?? '').trim())));
}

/** The same table, formatted as the page formats it (web/lib/table.ts cellText), from the API's figures. */
function expectedRows(t: TableData): string[][] {
    return t.rows.map((row) => t.columns.map((c) => cellText(c, row, ctx)));
}

beforeAll(async () => {
    dims = await api<Dimensions>('GET', 'dimensions');
    // The latest-ended closed client project with a baseline plan.
    const closed = dims.projects.filter((p) => p.status === 'closed' && p.is_client_work).sort((a, b) => (b.end_date ?? '').localeCompare(a.end_date ?? ''));
    for (const p of closed) {
        const closeout = await api<CloseoutAnswer>('GET', `projects/${p.project_id}/closeout`);
        if (closeout.in_reference_class && planLines(closeout).length > 1) {
            past = { project_id: p.project_id, project_type: p.project_type, billing_model: p.billing_model, closeout };
            break;
        }
    }
    expect(past, 'a closed project with a baseline plan').toBeDefined();
}, 120_000);

describe('calibrated quotes in a browser', () => {
    it('shows no error on the untouched form; a field’s error once it is left, every error once a quote is asked for', async () => {
        const { server, browser, page } = dashboard;
        await page.goto(`${server.url}/quotes`);
        const form = page.locator('form[aria-label="Deal"]');
        await form.waitFor();
        await page.waitForLoadState('networkidle');
        const lineError = form.locator('[data-line-error="0"]');
        expect((await lineError.innerText()).trim()).toBe('');
        expect(await form.locator('[role="alert"]').count()).toBe(0);
        // Leaving the role select empty: its error shows, the hours' (not left yet) does not.
        await form.getByLabel('Role of line 1').focus();
        await form.getByLabel('Estimated hours of line 1').focus();
        await expect.poll(async () => (await lineError.innerText()).trim()).toBe('a role is needed');
        await form.getByLabel('Role of line 1').selectOption({ index: 1 });
        await expect.poll(async () => (await lineError.innerText()).trim()).toBe('');
        // Asking for a quote shows the rest, and sends nothing.
        let sent = 0;
        page.on('request', (r) => {
            if (r.url().endsWith('/api/quotes') && r.method() === 'POST') sent++;
        });
        await form.getByRole('button', { name: 'Quote', exact: true }).click();
        await expect.poll(async () => (await lineError.innerText()).trim()).toBe('hours are needed');
        expect(sent).toBe(0);
        expect(browser.errors).toEqual([]);
    });

    it('quotes a deal from a past project’s plan and shows exactly what POST /api/quotes answers for the same lines', async () => {
        const { server, browser, page } = dashboard;
        await page.goto(`${server.url}/quotes`);
        const form = page.locator('form[aria-label="Deal"]');
        await form.waitFor();
        await form.getByLabel('Deal name').fill('E2E portal');
        await form.getByLabel('Project type').selectOption(past.project_type);
        await form.getByLabel('Start from a past project’s baseline plan').selectOption(past.project_id);
        await form.getByRole('button', { name: 'Use its plan' }).click();
        const lines = planLines(past.closeout);
        await expect.poll(() => form.locator('tbody tr').count()).toBe(lines.length);
        await form.getByLabel('Target margin (%)').fill('25');
        await form.getByLabel('Confidence (%)').fill('90');

        const request = page.waitForRequest((r) => r.url().endsWith('/api/quotes') && r.method() === 'POST');
        await form.getByRole('button', { name: 'Quote', exact: true }).click();
        const sent = JSON.parse((await request).postData()!) as QuoteRequest;
        await page.locator('[data-quote-result]').waitFor();
        await waitForDashboard(page);

        // What the page asked is the past project's plan with the margin and confidence set above.
        const body: QuoteRequest = {
            name: 'E2E portal',
            project_type: past.project_type,
            billing_model: past.billing_model,
            target_margin: 0.25,
            confidence: 0.9,
            price: null,
            lines,
            save: false,
        };
        expect(sent).toEqual(body);
        quoted = await api<QuoteAnswer>('POST', 'quotes', body);
        expect(quoted.quote_id).toBeNull();

        // The headline price, the P50/P80/P90 table and the phases, cell for cell.
        expect((await page.locator('[data-price]').innerText()).trim()).toBe(formatMoney(quoted.price.price, ctx.currency, ctx.locale));
        expect(await shownRows(page.locator('[data-quote-result] table'))).toEqual(expectedRows(summaryTable(quoted)));
        expect(await shownRows(page.locator('[data-card="quote-phases"] table'))).toEqual(expectedRows(phaseTable(quoted)));
        const note = await page.locator('[data-quote-result] .note').first().innerText();
        expect(note).toContain(`from ${formatNumber(quoted.reference.projects, ctx.locale)} `);
        // Why these projects: the engine's own counts, read against the closed projects the plan select lists.
        const listed = dims.projects.filter((p) => p.status === 'closed' && p.project_type === past.project_type).length;
        expect(await page.locator('[data-reference-note]').innerText()).toBe(referenceNote(quoted.reference, past.project_type, past.billing_model, ctx.locale, listed));
        expect(quoted.reference.of_type).toBeLessThanOrEqual(listed);
        await screenshot(page, 'quote-builder');
        expect(browser.errors).toEqual([]);
    });

    it('saves the quote and links it to the project it became; the closeout compares them by phase and role', async () => {
        const { server, browser, page } = dashboard;
        await page.getByRole('button', { name: 'Save quote' }).click();
        await page.waitForURL(/\/quotes\/\d+$/);
        quoteId = Number(new URL(page.url()).pathname.split('/').pop());
        await waitForDashboard(page);
        const saved = await api<SavedQuoteDetail>('GET', `quotes/${quoteId}`);
        expect(saved).toMatchObject({ name: 'E2E portal', project_type: past.project_type, target_margin: 0.25, confidence: 0.9, project_id: null });
        // Saved as quoted: the same seed gives the same answer.
        expect(saved.result.price).toEqual(quoted.price);
        expect(saved.result.hours).toEqual(quoted.hours);
        expect((await page.locator('[data-price]').innerText()).trim()).toBe(formatMoney(quoted.price.price, ctx.currency, ctx.locale));
        expect(await page.locator('[data-link-state]').getAttribute('data-link-state')).toBe('unlinked');

        // Projects of the quote's type are offered first.
        const link = page.locator('form[aria-label="Project this quote became"]');
        const groups = await link.locator('optgroup').evaluateAll((gs) => gs.map((g) => g.getAttribute('label')));
        expect(groups[0]).toMatch(/projects$/);
        const firstGroup = await link.locator('optgroup').first().locator('option').evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value));
        const sameType = dims.projects.filter((p) => p.is_client_work && p.project_type === past.project_type).map((p) => p.project_id);
        expect([...firstGroup].sort()).toEqual([...sameType].sort());

        await link.locator('select[name="project_id"]').selectOption(past.project_id);
        await link.getByRole('button', { name: 'Link', exact: true }).click();
        await page.locator('[data-link-state="linked"]').waitFor();
        await page.locator('[data-card="project-closeout-lines"][data-state="ready"]').waitFor();
        await waitForDashboard(page);
        expect((await api<SavedQuoteDetail>('GET', `quotes/${quoteId}`)).project_id).toBe(past.project_id);
        expect(await page.locator('[data-linked-project]').getAttribute('data-linked-project')).toBe(past.project_id);

        // The closeout: this quote, its P50/P80/P90 per phase beside the baseline and the actuals per phase × role.
        const closeout = await api<CloseoutAnswer>('GET', `projects/${past.project_id}/closeout`);
        expect(closeout.quote?.quote_id).toBe(quoteId);
        for (const h of quoted.hours_by_phase) expect(closeout.phases.find((p) => p.phase === h.phase)).toMatchObject({ quote_p50: h.p50, quote_p80: h.p80, quote_p90: h.p90 });
        expect(await shownRows(page.locator('[data-card="project-closeout-lines"] table'))).toEqual(expectedRows(closeoutLinesTable(closeout)));
        await screenshot(page, 'quote-saved-linked');

        // The project's own page shows the same closeout with the quote.
        await page.goto(`${server.url}/projects/${past.project_id}`);
        await waitForDashboard(page);
        expect(await page.locator('[data-card="project-closeout"] .subtitle').innerText()).toContain(`quote #${quoteId}`);
        expect(await shownRows(page.locator('[data-card="project-closeout-lines"] table'))).toEqual(expectedRows(closeoutLinesTable(closeout)));
        await screenshot(page, 'project-closeout-quote');

        // Unlinking takes the quote out of the closeout.
        await page.goto(`${server.url}/quotes/${quoteId}`);
        await waitForDashboard(page);
        await page.getByRole('button', { name: 'Unlink' }).click();
        await page.locator('[data-link-state="unlinked"]').waitFor();
        expect(await page.locator('[data-card="project-closeout"]').count()).toBe(0);
        expect((await api<CloseoutAnswer>('GET', `projects/${past.project_id}/closeout`)).quote).toBeNull();
        expect(browser.errors).toEqual([]);
    });

    it('edits a saved quote into its next version, the first kept as it was, and downloads it as PDF and CSV', async () => {
        const { server, browser, page } = dashboard;
        const first = await api<SavedQuoteDetail>('GET', `quotes/${quoteId}`);
        await page.goto(`${server.url}/quotes/${quoteId}`);
        await waitForDashboard(page);
        await page.getByRole('link', { name: 'New version' }).click();
        await page.waitForURL(/\/quotes\?from=/);
        const form = page.locator('form[aria-label="Deal"]');
        await page.locator('[data-origin="version"] a').waitFor();
        await expect.poll(() => form.getByLabel('Deal name').inputValue()).toBe('E2E portal');
        await expect.poll(() => form.locator('tbody tr').count()).toBe(first.inputs.lines.length);
        await form.getByLabel('Target margin (%)').fill('35');
        await form.getByRole('button', { name: 'Quote', exact: true }).click();
        await page.locator('[data-quote-result]').waitFor();
        await waitForDashboard(page);
        await page.getByRole('button', { name: 'Save as version 2' }).click();
        await page.waitForURL((u) => /\/quotes\/\d+$/.test(u.pathname) && u.pathname !== `/quotes/${quoteId}`);
        const secondId = Number(new URL(page.url()).pathname.split('/').pop());
        await waitForDashboard(page);
        const second = await api<SavedQuoteDetail>('GET', `quotes/${secondId}`);
        expect(second).toMatchObject({ version: 2, revises: quoteId, series_id: quoteId, target_margin: 0.35, created_by: 'local' });
        expect(second.versions.map((v) => v.quote_id)).toEqual([quoteId, secondId]);
        // The first version is as it was.
        const again = await api<SavedQuoteDetail>('GET', `quotes/${quoteId}`);
        expect({ ...again, versions: [] }).toEqual({ ...first, versions: [] });
        expect(await page.locator('[data-versions] a').getAttribute('href')).toBe(`/quotes/${quoteId}`);

        for (const [button, start] of [
            ['CSV', 'Figure,Item,Unit,Estimate,P10,P50,P80,P90,Amount (EUR),Share (%),Note'],
            ['PDF', '%PDF-'],
        ] as const) {
            const download = page.waitForEvent('download');
            await page.locator('[data-quote-actions]').getByRole('button', { name: button, exact: true }).click();
            const file = await download;
            expect(file.suggestedFilename()).toBe(`quote-${secondId}-v2.${button.toLowerCase()}`);
            const text = fs.readFileSync((await file.path())!).subarray(0, start.length).toString();
            expect(text).toBe(start);
        }
        await screenshot(page, 'quote-version');
        expect(browser.errors).toEqual([]);
    }, 120_000);

    it('shows the backtest’s figures on the calibration page', async () => {
        const { server, browser, page } = dashboard;
        const b = await api<BacktestAnswer>('GET', 'quotes/backtest');
        expect(b.scored).toBeGreaterThan(0);
        await page.goto(`${server.url}/calibration`);
        await waitForDashboard(page);
        const m = b.overall.method;
        // A seller's sentence first: past projects inside the range a quote would have given them.
        const lead = sellerSummary(m, null, ctx.locale);
        expect(await page.locator('[data-seller-summary] .headline').innerText()).toBe(lead.headline);
        expect(await page.locator('[data-seller-summary] .detail').innerText()).toBe(lead.detail);
        const summary = await page.locator('[data-backtest-summary]').innerText();
        expect(summary).toContain(`${formatNumber(b.scored, ctx.locale)} of ${formatNumber(b.units, ctx.locale)} closed projects scored`);
        expect(summary).toContain(`${formatPercent(m.coverage_p10_p90, ctx.locale, 0)} inside [P10, P90], ${formatPercent(m.share_le_p80, ctx.locale, 0)} at or below P80`);
        expect(await shownRows(page.locator('[data-card="calibration-figures"] table'))).toEqual(expectedRows(backtestTable(b.overall)));
        await screenshot(page, 'calibration');
        expect(browser.errors).toEqual([]);
    });
});
