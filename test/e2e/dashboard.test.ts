/// <reference lib="dom" />
/**
 * The dashboard driven in headless Chromium against a server on the demo firm, as a finance lead and a
 * project manager would use it: every page renders without a console error (screenshots land in
 * test-results/), a filter changes the figures to what the API answers for that filter (and Back undoes
 * it), a funnel leak opens rows that add up to it, and a CSV download holds exactly the table on screen.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Definitions, Dimensions, Drill, Funnel, MetricResult } from '../../web/lib/api/types.ts';
import { apiParams, learnRouteFilters, resolvePeriod, type Filters } from '../../web/lib/filters.ts';
import { formatMoney, formatMoneyCompact, formatMonth, formatPercent, formatRate } from '../../web/lib/format.ts';
import { launchBrowser, startDashboard, waitForDashboard, type Browser, type DashboardServer } from '../helpers/dashboard.ts';
import { csvRecords } from '../helpers/csv.ts';

const RESULTS = path.resolve(import.meta.dirname, '../../test-results');
const LOCALE = 'en-US';

let server: DashboardServer;
let browser: Browser;
let page: Page;
let dims: Dimensions;

async function api<T>(route: string, params: Record<string, string> = {}): Promise<T> {
    const qs = new URLSearchParams(params).toString();
    const res = await server.app.inject({ method: 'GET', url: `/api/${route}${qs ? `?${qs}` : ''}` });
    expect(res.statusCode, `${route}: ${res.body}`).toBe(200);
    return res.json() as T;
}

async function open(pathname: string): Promise<void> {
    await page.goto(`${server.url}${pathname}`);
    await waitForDashboard(page);
}

const text = async (selector: string) => (await page.locator(selector).first().innerText()).trim();

beforeAll(async () => {
    fs.mkdirSync(RESULTS, { recursive: true });
    [server, browser] = await Promise.all([startDashboard({ demoEntries: 12_000, seed: 42 }), launchBrowser()]);
    page = await browser.newPage();
    dims = await api<Dimensions>('dimensions');
    // The filters each route takes, as the dashboard learns them.
    learnRouteFilters((await api<Definitions>('definitions')).filters);
});

afterAll(async () => {
    await browser?.close();
    await server?.close();
});

describe('the dashboard in a browser', () => {
    it('renders every page with no console error, no failed card, and writes a screenshot of each', async () => {
        const fixedFee = dims.projects.find((p) => p.billing_model === 'fixed_fee' && p.status === 'active') ?? dims.projects.find((p) => p.billing_model === 'fixed_fee')!;
        const retainer = dims.projects.find((p) => p.billing_model === 'retainer')!;
        const pages: [string, string][] = [
            ['overview', '/'],
            ['clients-projects', '/clients'],
            ['clients', '/clients?view=clients'],
            ['project-fixed-fee', `/projects/${fixedFee.project_id}`],
            ['project-retainer', `/projects/${retainer.project_id}`],
            ['people', '/people'],
            ['people-departments', '/people?by=department'],
            ['closeout', '/closeout'],
            ['data', '/data'],
        ];
        for (const [name, pathname] of pages) {
            await open(pathname);
            expect(await page.locator('[data-card][data-state="error"]').count(), `${name}: a card failed`).toBe(0);
            expect(await page.locator('[data-card][data-state="ready"]').count(), `${name}: nothing rendered`).toBeGreaterThan(0);
            await page.screenshot({ path: path.join(RESULTS, `${name}.png`), fullPage: true });
        }
        expect(browser.errors).toEqual([]);
    });

    it('changes the figures to what the API returns when a filter changes, and Back restores them', async () => {
        await open('/');
        const period = resolvePeriod({ period: '12m' }, dims.as_of, dims.first_month);
        const kpi = async (id: string) => text(`[data-kpi="${id}"] [data-value]`);
        const expectKpis = async (filters: Filters) => {
            const realization = (await api<MetricResult>('realization', apiParams('finance', filters, period))).rows[0]!;
            const margin = (await api<MetricResult>('margin', apiParams('finance', filters, period))).rows[0]!;
            const utilization = (await api<MetricResult>('utilization', apiParams('people', filters, period))).rows[0]!;
            expect(await kpi('billing_realization')).toBe(formatPercent(realization.billing_realization as number, LOCALE));
            expect(await kpi('overall_realization')).toBe(formatPercent(realization.overall_realization as number, LOCALE));
            expect(await kpi('margin_pct')).toBe(formatPercent(margin.margin_pct as number, LOCALE));
            expect(await kpi('effective_billable_rate')).toBe(formatRate(margin.effective_billable_rate as number, dims.currency, LOCALE));
            expect(await kpi('utilization')).toBe(formatPercent(utilization.utilization as number, LOCALE));
            const funnel = await api<Funnel>('funnel', apiParams('funnel', filters, period));
            for (const leak of funnel.leaks) {
                expect(Number(await page.locator(`[data-leak="${leak.key}"]`).getAttribute('data-amount')), leak.key).toBe(leak.amount);
                // Compact on the tile, exact on hover.
                expect(await text(`[data-leak="${leak.key}"] .amount`)).toBe(formatMoneyCompact(leak.amount, dims.currency, LOCALE));
                expect(await page.locator(`[data-leak="${leak.key}"]`).getAttribute('title')).toContain(formatMoney(leak.amount, dims.currency, LOCALE));
            }
            // The tiles run from the largest leak down, and the sentence at the top names the largest.
            const shown = await page.locator('.leaks > li > .leak:not(.part)').evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-amount'))));
            expect(shown).toEqual(funnel.leaks.map((l) => l.amount).sort((a, b) => b - a));
            const largest = [...funnel.leaks].sort((a, b) => b.amount - a.amount)[0]!;
            expect(await page.locator('[data-headline]').getAttribute('data-headline')).toBe(largest.key);
            expect(await text('[data-headline]')).toContain(`${largest.label} is the largest leak`);
            return funnel;
        };
        const all = await expectKpis({ period: '12m' });

        // The client with the largest potential value, picked in the filter bar as a person would.
        const byClient = await api<{ rows: { key: string; potential_value: number }[] }>('funnel/breakdown', { ...apiParams('funnel', { period: '12m' }, period), by: 'client' });
        const client = [...byClient.rows].sort((a, b) => b.potential_value - a.potential_value)[0]!.key;
        await page.selectOption('select[name="client_id"]', client);
        await page.waitForURL((u) => u.searchParams.get('client_id') === client);
        await waitForDashboard(page);
        const filtered = await expectKpis({ period: '12m', client_id: client });
        expect(filtered.stages[0]!.amount).not.toBe(all.stages[0]!.amount);

        // A shorter period too: the URL holds both, and the figures follow.
        await page.selectOption('select[name="period"]', '3m');
        await page.waitForURL((u) => u.searchParams.get('period') === '3m');
        await waitForDashboard(page);
        const short = resolvePeriod({ period: '3m' }, dims.as_of, dims.first_month);
        const margin3 = (await api<MetricResult>('margin', apiParams('finance', { period: '3m', client_id: client }, short))).rows[0]!;
        expect(await kpi('margin_pct')).toBe(formatPercent(margin3.margin_pct as number, LOCALE));

        await page.goBack();
        await page.waitForURL((u) => !u.searchParams.has('period') && u.searchParams.get('client_id') === client);
        await waitForDashboard(page);
        await page.goBack();
        await page.waitForURL((u) => !u.searchParams.has('client_id'));
        await waitForDashboard(page);
        await expectKpis({ period: '12m' });
        expect(await page.locator('select[name="client_id"]').inputValue()).toBe('');
        expect(browser.errors).toEqual([]);
    });

    it('opens the rows behind a funnel leak clicked on the chart, and they add up to the leak (within the cent the funnel rounds)', async () => {
        await open('/');
        const period = resolvePeriod({ period: '12m' }, dims.as_of, dims.first_month);
        const funnel = await api<Funnel>('funnel', apiParams('funnel', { period: '12m' }, period));
        // Click the "Untracked time" bar of the waterfall itself (canvas: find the bar's pixels from the chart).
        const box = await page.evaluate(() => {
            const el = document.querySelector('[data-card="funnel"] [data-chart]') as HTMLElement & { echart: { getModel(): any } };
            const data = el.echart.getModel().getSeriesByIndex(1).getData();
            for (let i = 0; i < data.count(); i++) {
                if (data.getRawDataItem(i).key === 'untracked') {
                    const l = data.getItemLayout(i);
                    const r = el.getBoundingClientRect();
                    return { x: r.left + l.x + l.width / 2, y: r.top + l.y + l.height / 2 };
                }
            }
            return null;
        });
        expect(box).not.toBeNull();
        await page.mouse.click(box!.x, box!.y);
        await page.waitForURL((u) => u.searchParams.get('drill') === 'funnel:untracked');
        const panel = page.locator('[data-drill="funnel:untracked"][data-state="ready"]');
        await panel.waitFor();
        const leak = funnel.leaks.find((l) => l.key === 'untracked')!;
        expect(Number(await panel.locator('[data-expected]').getAttribute('data-expected'))).toBe(leak.amount);
        // The funnel's leaks are apportioned between stages rounded to the cent; the rows add up to their own total: at
        // most a cent apart.
        const shownTotal = Number(await panel.locator('[data-total-amount]').getAttribute('data-total-amount'));
        expect(Math.abs(Math.round(shownTotal * 100) - Math.round(leak.amount * 100))).toBeLessThanOrEqual(1);
        expect(await panel.locator('[data-reconciles]').getAttribute('data-reconciles')).toBe('true');
        expect(await panel.locator('tbody tr').count()).toBeGreaterThan(0);

        // Independently: every row behind the leak, summed in cents (one page holds them all: they add up to the total).
        const params = { ...apiParams('funnel', { period: '12m' }, period), as_of: funnel.as_of, part: 'untracked', page_size: '10000' };
        const first = await api<Drill>('drill/funnel', params);
        let cents = 0;
        for (let p = 1; p <= Math.ceil(first.total_rows / 10_000); p++) {
            const d = p === 1 ? first : await api<Drill>('drill/funnel', { ...params, page: String(p) });
            for (const r of d.rows) cents += Math.round((r.amount as number) * 1e6);
        }
        expect(Math.abs(Math.round(cents / 1e4) - Math.round(leak.amount * 100))).toBeLessThanOrEqual(1);
        expect(Math.round(cents / 1e4)).toBe(Math.round(shownTotal * 100));
        expect(await text('[data-drill] [data-total-rows]')).toBe(first.total_rows.toLocaleString(LOCALE));

        // Escape closes it; a leak reached with the keyboard opens the same way.
        await page.keyboard.press('Escape');
        await page.waitForURL((u) => !u.searchParams.has('drill'));
        await page.locator('[data-leak="not_invoiced"]').focus();
        await page.keyboard.press('Enter');
        const second = page.locator('[data-drill="funnel:not_invoiced"][data-state="ready"]');
        await second.waitFor();
        expect(await second.locator('[data-reconciles]').getAttribute('data-reconciles')).toBe('true');

        // Grouped by project: a line per project, largest first, whose subtotals add up to the total line and to the
        // leak's rows to the cent; a project opens as its own rows, which add up to its subtotal.
        await second.locator('select[name="group_by"]').selectOption('project');
        const groups = page.locator('[data-drill="funnel:not_invoiced"][data-state="ready"]:has([data-total-groups])');
        await groups.waitFor();
        const grouped = await api<Drill>('drill/funnel', { ...params, part: 'not_invoiced', group_by: 'project', page_size: '100' });
        const rowsBehind = await api<Drill>('drill/funnel', { ...params, part: 'not_invoiced', page_size: '1' });
        expect(grouped.total_groups).toBeGreaterThan(1);
        expect(grouped.total_amount).toBe(rowsBehind.total_amount);
        expect(grouped.rows.reduce((s, g) => s + Math.round((g.amount as number) * 100), 0)).toBe(Math.round(grouped.total_amount * 100));
        expect(await groups.locator('[data-total-groups]').innerText()).toBe(grouped.total_groups!.toLocaleString(LOCALE));
        const head = (await groups.locator('thead th').allInnerTexts()).map((h) => h.replace(/[↕▲▼]/g, '').trim());
        expect(head.slice(0, 4)).toEqual(['Project', 'Project ID', 'Rows', 'Amount']);
        const shown = await groups.locator('tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => (td.textContent ?? '').trim())));
        const money = (t: string) => Math.round(Number(t.replace(/−/g, '-').replace(/[^\d.\-]/g, '')) * 100);
        const lines = shown.slice(0, -1);
        expect(lines.length).toBe(Math.min(grouped.total_groups!, 100));
        expect(lines.map((l) => l[1])).toEqual(grouped.rows.map((g) => g.project_id));
        expect(lines.map((l) => money(l[3]!))).toEqual(grouped.rows.map((g) => Math.round((g.amount as number) * 100)));
        const totalLine = shown.at(-1)!;
        expect(totalLine[0]).toBe(`Total (${grouped.total_groups} projects)`);
        expect(money(totalLine[3]!)).toBe(Math.round(grouped.total_amount * 100));
        if (grouped.total_groups! <= 100) expect(lines.reduce((s, l) => s + money(l[3]!), 0)).toBe(money(totalLine[3]!));
        await page.screenshot({ path: path.join(RESULTS, 'drill-grouped-by-project.png') });
        // Its CSV is the groups, and says so.
        const [file] = await Promise.all([page.waitForEvent('download'), groups.getByRole('button', { name: 'CSV (this page)' }).click()]);
        expect(file.suggestedFilename()).toBe(`not-yet-invoiced-by-project-page-1-${period.from}-to-${period.to}-as-of-${funnel.as_of}.csv`);
        const csv = csvRecords(fs.readFileSync((await file.path())!, 'utf8'));
        expect(csv[4]![0]).toBe('Grouped by: project');
        expect(csv.slice(7, 7 + lines.length).map((r) => r[1])).toEqual(grouped.rows.map((g) => g.project_id));

        // Open the largest project: its rows, set against its subtotal.
        const top = grouped.rows[0]!;
        await groups.locator('tbody tr').first().click();
        const opened = page.locator('[data-drill="funnel:not_invoiced"][data-state="ready"]:has([data-opened-group]):not(:has([data-total-groups]))');
        await opened.waitFor();
        const its = await api<Drill>('drill/funnel', { ...params, part: 'not_invoiced', project_id: String(top.project_id), page_size: '1' });
        expect(its.total_rows).toBe(top.row_count);
        expect(Math.abs(Math.round(its.total_amount * 100) - Math.round((top.amount as number) * 100))).toBeLessThanOrEqual(1);
        expect(Number(await opened.locator('[data-expected]').getAttribute('data-expected'))).toBe(top.amount);
        expect(await opened.locator('[data-total-rows]').innerText()).toBe(its.total_rows.toLocaleString(LOCALE));
        expect(await opened.locator('[data-reconciles]').getAttribute('data-reconciles')).toBe('true');
        expect(await opened.locator('tbody tr').count()).toBe(Math.min(its.total_rows, 100));
        await page.screenshot({ path: path.join(RESULTS, 'drill-group-opened.png') });
        await opened.locator('[data-back-to-groups]').click();
        await groups.waitFor();
        expect(browser.errors).toEqual([]);
    });

    it('downloads a CSV that holds exactly the table on screen, in its order', async () => {
        await open('/');
        for (const card of ['leaks-by-client', 'funnel', 'margin-trend']) {
            const root = page.locator(`[data-card="${card}"]`);
            await root.getByRole('button', { name: 'Table', exact: true }).click();
            // Sort by the second column, descending, as someone checking the biggest figures would.
            await root.locator('thead th button').nth(1).click();
            const headers = await root.locator('thead th').allInnerTexts();
            const cells = await root.locator('tbody tr').evaluateAll((rows) => rows.map((r) => [...r.querySelectorAll('td')].map((td) => (td.textContent ?? '').trim())));
            const [download] = await Promise.all([page.waitForEvent('download'), root.getByRole('button', { name: /CSV/ }).click()]);
            const csv = csvRecords(fs.readFileSync((await download.path())!, 'utf8'));
            expect(csv.length - 1, card).toBe(cells.length);
            expect(csv[0]!.length).toBe(headers.length);
            headers.forEach((h, i) => expect(csv[0]![i]!.startsWith(h.replace(/[↕▲▼]/g, '').trim()), `${card} header ${i}`).toBe(true));
            cells.forEach((row, r) => row.forEach((shown, c) => expect(sameCell(shown, csv[r + 1]![c]!), `${card} row ${r} col ${c}: "${shown}" vs "${csv[r + 1]![c]}"`).toBe(true)));
        }
        expect(browser.errors).toEqual([]);
    });

    it('as a finance director and a new leader read them: tables that fit, no dead filters, definitions that close, CSVs that say what they hold', async () => {
        // Clients & projects fits 1440 px without a sideways scroll; projects without activity in the period wait behind a toggle.
        await page.setViewportSize({ width: 1440, height: 900 });
        await open('/clients');
        const card = page.locator('[data-card="projects"]');
        await card.locator('tbody tr').first().waitFor();
        const wrap = await card.locator('.table-wrap').evaluate((el) => [el.scrollWidth, el.clientWidth]);
        expect(wrap[0]).toBeLessThanOrEqual(wrap[1]!);
        const shown = await card.locator('tbody tr').count();
        const toggle = page.locator('input[name="inactive"]');
        expect(await toggle.count()).toBe(1);
        await toggle.check();
        expect(await card.locator('tbody tr').count()).toBeGreaterThan(shown);

        // The ⓘ: hover shows it, a click keeps it, a second click closes it; Escape and a click elsewhere close it too.
        await open('/');
        const tip = page.locator('[data-card="margin-trend"] .infotip').first();
        const bubble = tip.locator('[role="tooltip"]');
        await tip.locator('button').click();
        await page.mouse.move(0, 0);
        expect(await bubble.isVisible()).toBe(true);
        expect(await bubble.innerText()).toMatch(/^Revenue recognized[\s\S]*\nModel: marts\.fct_margin$/);
        await tip.locator('button').click();
        await page.mouse.move(0, 0);
        expect(await bubble.isVisible()).toBe(false);
        await tip.locator('button').click();
        await page.mouse.move(0, 0);
        await page.keyboard.press('Escape');
        expect(await bubble.isVisible()).toBe(false);
        await tip.locator('button').click();
        await page.mouse.click(5, 400);
        expect(await bubble.isVisible()).toBe(false);

        // A drill-down: plain column names; its CSV is named for what it holds and says so in its first lines.
        await page.locator('[data-leak="untracked"]').click();
        const panel = page.locator('[data-drill="funnel:untracked"][data-state="ready"]');
        await panel.waitFor();
        const headers = (await panel.locator('thead th').allInnerTexts()).map((h) => h.replace(/[↕▲▼]/g, '').trim());
        expect(headers.slice(0, 2)).toEqual(['Amount', 'Hours']);
        expect(headers.every((h) => !h.includes('_') && h[0] === h[0]!.toUpperCase())).toBe(true);
        const period = resolvePeriod({ period: '12m' }, dims.as_of, dims.first_month);
        const [download] = await Promise.all([page.waitForEvent('download'), panel.getByRole('button', { name: 'CSV (this page)' }).click()]);
        expect(download.suggestedFilename()).toBe(`untracked-time-rows-page-1-${period.from}-to-${period.to}-as-of-${dims.as_of}.csv`);
        const lines = csvRecords(fs.readFileSync((await download.path())!, 'utf8'));
        expect(lines.slice(0, 4).map((l) => l[0])).toEqual(['Rows behind: Untracked time', 'Scope: the whole firm', `Period: ${period.from} to ${period.to}`, `As of: ${dims.as_of}`]);
        expect(lines[5]![0]).toBe('Amount (EUR)');
        await page.keyboard.press('Escape');

        // Closeout reads the whole history: the filter bar offers only what applies (role, project type), and the
        // heatmap's colour scale reaches its largest ratio.
        await open('/closeout');
        const offered = await page.locator('form.filters label.filter-field > span').allInnerTexts();
        expect(offered.map((t) => t.toLowerCase())).toEqual(['role', 'project type']);
        const scale = await page.evaluate(() => {
            const el = document.querySelector('[data-card="closeout-heatmap"] [data-chart]') as HTMLElement & { echart: { getOption(): any } };
            const o = el.echart.getOption();
            return { max: o.visualMap[0].max as number, top: Math.max(...o.series[0].data.map((d: { value: number[] }) => d.value[2])) };
        });
        expect(scale.max).toBeGreaterThanOrEqual(scale.top);
        expect(browser.errors).toEqual([]);
    });

    it('leads from the API description at /docs back to the dashboard', async () => {
        await page.goto(`${server.url}/docs`);
        // The API description renders its links into a new tab.
        const [dashboard] = await Promise.all([browser.context.waitForEvent('page'), page.getByRole('link', { name: /Back to the dashboard/ }).click()]);
        await dashboard.waitForURL((u) => u.pathname === '/');
        await waitForDashboard(dashboard);
        expect(await dashboard.locator('[data-card="funnel"]').count()).toBe(1);
        await dashboard.close();
    });
});

/** A table cell and its CSV value say the same: numbers equal at the shown precision, text equal, dash = empty. */
function sameCell(shown: string, csv: string): boolean {
    if (shown === '–') return csv === '';
    if (/^\d{4}-\d{2}$/.test(csv)) return formatMonth(`${csv}-01`, LOCALE) === shown;
    if (csv !== '' && /^-?\d+(\.\d+)?$/.test(csv)) {
        const n = shown.replace(/−/g, '-').replace(/[^\d.\-]/g, '');
        return Number(n) === Number(csv) && (n.split('.')[1] ?? '').length === (csv.split('.')[1] ?? '').length;
    }
    return shown === csv;
}
