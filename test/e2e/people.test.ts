/// <reference lib="dom" />
/**
 * People and capacity in a browser, as the people it is for would use it, against the demo firm served in
 * tokens mode (a tokens file naming a project manager of the firm, an engineer and a director) and in local
 * mode: a project manager pastes their token and sees their people — exactly those who logged time on the
 * projects they manage in the period, worked out here from the time entries themselves — and nobody else;
 * an engineer sees themself; local mode shows the aggregates and says how individual views are reached.
 * No page asks the server for something it refuses (no console error).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../server/app.ts';
import type { Dimensions } from '../../web/lib/api/types.ts';
import { resolvePeriod } from '../../web/lib/filters.ts';
import { humanize } from '../../web/lib/format.ts';
import { launchBrowser, startDashboard, waitForDashboard, WEB_BUILD, type Browser, type DashboardServer } from '../helpers/dashboard.ts';

const RESULTS = path.resolve(import.meta.dirname, '../../test-results');

let server: DashboardServer;
let tokensApp: FastifyInstance;
let tokensUrl: string;
let browser: Browser;
let page: Page;
let dims: Dimensions;
let scratch: string;
const tokens = { manager: 'pm-token-of-the-demo-firm-0001', engineer: 'engineer-token-of-the-demo-01', director: 'director-token-of-the-demo-01' };
let manager: { person_id: string; name: string };
let engineer: { person_id: string; name: string };

/** Who logged time, between from and to, on a project the manager manages: straight from the entries. */
async function peopleOf(managerId: string, from: string, to: string): Promise<string[]> {
    const rows = await server.warehouse.all<{ name: string }>(
        `select distinct p.name
         from staging.stg_time_entries e
         join staging.stg_projects pr on pr.project_id = e.project_id
         join staging.stg_people p on p.person_id = e.person_id
         where pr.manager_id = $manager and e.work_date between $from::date and $to::date and e.work_date <= $as_of::date
         order by 1`,
        { manager: managerId, from, to, as_of: dims.as_of },
    );
    return rows.map((r) => r.name);
}

async function signIn(token: string): Promise<void> {
    await page.goto(`${tokensUrl}/`);
    const form = page.locator('[data-sign-in]');
    await form.waitFor();
    await form.locator('input[name="token"]').fill(token);
    await form.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL((u) => u.pathname === '/people');
    await waitForDashboard(page);
}

/** The first column of a card's table view: the people (or groups) it shows. */
async function tableNames(card: string): Promise<string[]> {
    const root = page.locator(`[data-card="${card}"]`);
    await root.getByRole('button', { name: 'Table', exact: true }).click();
    const names = await root.locator('tbody tr').evaluateAll((rows) => rows.map((r) => (r.querySelector('td')?.textContent ?? '').trim()));
    await root.getByRole('button', { name: 'Chart', exact: true }).click();
    return names;
}

beforeAll(async () => {
    fs.mkdirSync(RESULTS, { recursive: true });
    [server, browser] = await Promise.all([startDashboard({ demoEntries: 12_000, seed: 42 }), launchBrowser()]);
    dims = (await server.app.inject({ method: 'GET', url: '/api/dimensions' })).json() as Dimensions;
    // The demo firm's project manager with the most projects, and a developer who works for them.
    const pm = (await server.warehouse.one<{ person_id: string; name: string }>(
        `select p.person_id, p.name from staging.stg_projects pr join staging.stg_people p on p.person_id = pr.manager_id
         group by all order by count(*) desc, p.person_id limit 1`,
    ))!;
    manager = pm;
    engineer = (await server.warehouse.one<{ person_id: string; name: string }>(
        `select p.person_id, p.name from staging.stg_time_entries e join staging.stg_people p using (person_id)
         where p.role = 'developer' group by all order by count(*) desc, p.person_id limit 1`,
    ))!;
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'realize-people-'));
    const file = path.join(scratch, 'tokens.json');
    fs.writeFileSync(
        file,
        JSON.stringify([
            { token: tokens.manager, person_id: manager.person_id, role: 'project_manager' },
            { token: tokens.engineer, person_id: engineer.person_id, role: 'engineer' },
            { token: tokens.director, person_id: null, role: 'leadership' },
        ]),
    );
    // The same warehouse, served a second time with the tokens file.
    tokensApp = await buildApp({ warehouse: server.warehouse, webDir: WEB_BUILD, tokensFile: file });
    tokensUrl = await tokensApp.listen({ port: 0, host: '127.0.0.1' });
    page = await browser.newPage();
});

afterAll(async () => {
    await browser?.close();
    await tokensApp?.close();
    await server?.close();
    if (scratch) fs.rmSync(scratch, { recursive: true, force: true });
});

describe('people and capacity, by who is looking', () => {
    it('asks for a token, then shows a project manager their people and nobody else', async () => {
        await page.goto(`${tokensUrl}/`);
        await page.locator('[data-sign-in]').waitFor();
        // A wrong token is refused on the form, and nothing is kept.
        await page.locator('[data-sign-in] input[name="token"]').fill('not-a-token-of-this-server');
        await page.getByRole('button', { name: 'Sign in' }).click();
        await page.getByText('The server does not know this token').waitFor();
        expect(await page.evaluate(() => localStorage.getItem('realize.token'))).toBeNull();

        await signIn(tokens.manager);
        expect(await page.locator('[data-signed-in-as]').getAttribute('data-signed-in-as')).toBe(manager.person_id);
        expect(await page.locator('[data-signed-in-as]').innerText()).toBe(`Signed in as ${manager.name} · Project manager`);
        // Their pages only: no overview (money) in the navigation.
        const nav = await page.locator('nav[aria-label="Pages"] a').allInnerTexts();
        expect(nav).toEqual(['People & capacity', 'Closeout', 'Quotes', 'Calibration', 'Data', 'Suggestions', 'Timesheet', 'Review']);

        const period = resolvePeriod({ period: '12m' }, dims.as_of, dims.first_month);
        const expected = await peopleOf(manager.person_id, period.from, period.to);
        expect(expected.length).toBeGreaterThan(1);
        expect(expected.length).toBeLessThan(dims.people!.length);
        expect((await tableNames('individuals')).sort()).toEqual(expected);
        expect((await tableNames('individual-latency')).sort()).toEqual(expected);
        // The aggregates by role are there too; no card failed.
        expect(await page.locator('[data-card="utilization-heatmap"][data-state="ready"]').count()).toBe(1);
        expect(await page.locator('[data-card][data-state="error"]').count()).toBe(0);
        await page.screenshot({ path: path.join(RESULTS, 'people-project-manager.png'), fullPage: true });

        // A shorter period: the people of that period.
        await page.selectOption('select[name="period"]', '3m');
        await page.waitForURL((u) => u.searchParams.get('period') === '3m');
        await waitForDashboard(page);
        const short = resolvePeriod({ period: '3m' }, dims.as_of, dims.first_month);
        expect((await tableNames('individuals')).sort()).toEqual(await peopleOf(manager.person_id, short.from, short.to));

        // The overview is not theirs: asked for directly, they land on their own page.
        await page.goto(`${tokensUrl}/`);
        await page.waitForURL((u) => u.pathname === '/people');
        await waitForDashboard(page);
        expect(browser.errors).toEqual([]);
    });

    it('shows an engineer themself, and only themself', async () => {
        await page.locator('button', { hasText: 'Sign out' }).click();
        await page.locator('[data-sign-in]').waitFor();
        expect(await page.evaluate(() => localStorage.getItem('realize.token'))).toBeNull();
        await signIn(tokens.engineer);
        expect(await page.locator('[data-signed-in-as]').innerText()).toBe(`Signed in as ${engineer.name} · Engineer`);
        expect(await tableNames('individuals')).toEqual([engineer.name]);
        expect(await tableNames('individual-latency')).toEqual([engineer.name]);
        // No aggregates of the others.
        expect(await page.locator('[data-card="utilization-heatmap"]').count()).toBe(0);
        expect(await page.locator('[data-card][data-state="error"]').count()).toBe(0);
        await page.screenshot({ path: path.join(RESULTS, 'people-engineer.png'), fullPage: true });
        expect(browser.errors).toEqual([]);
    });

    it('shows leadership the aggregates and no individual, signed in or in local mode, and says how individuals are reached', async () => {
        await page.locator('button', { hasText: 'Sign out' }).click();
        await page.locator('[data-sign-in] input[name="token"]').fill(tokens.director);
        await page.getByRole('button', { name: 'Sign in' }).click();
        await page.waitForURL((u) => u.pathname === '/');
        await waitForDashboard(page);
        await page.goto(`${tokensUrl}/people`);
        await waitForDashboard(page);
        expect(await page.locator('[data-card="individuals"]').count()).toBe(0);
        expect(await page.locator('[data-individuals="none"]').innerText()).toContain('A project manager signs in with their own token');

        await page.goto(`${server.url}/people`);
        await waitForDashboard(page);
        expect(await page.locator('[data-signed-in-as]').innerText()).toBe('Local mode · leadership');
        expect(await page.locator('[data-card="individuals"]').count()).toBe(0);
        expect((await tableNames('utilization-heatmap')).sort()).toEqual(dims.roles.map((r) => humanize(r.role)).sort());
        expect(await page.locator('[data-individuals="none"]').innerText()).toContain('REALIZE_TOKENS_FILE');
        await page.screenshot({ path: path.join(RESULTS, 'people-local.png'), fullPage: true });
        expect(browser.errors).toEqual([]);
    });
});
