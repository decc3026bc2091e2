/// <reference lib="dom" />
/**
 * A calendar feed on the Timesheet, in headless Chromium, on the finance-funnel fixture: Ada (P1) signs in,
 * saves her feed's address (a local server stands for her calendar provider; the server is started with
 * feeds.allowPrivate, as tests and local mode are), and it is read at once: two meetings two days ago become
 * draft suggestions in her week (the Acme one on Acme portal by the firm's rule acme.com → Acme). The address
 * is shown masked. A third meeting is added to the calendar; Refresh reads it (1 new, 2 unchanged). The
 * calendar then disappears (404): the failure is shown in plain words and the suggestions stay.
 * Screenshots land in test-results/.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { replaceRules } from '../../capture/suggestions/decide.ts';
import { createAccount } from '../../server/api/accounts.ts';
import { TEST_RESULTS, useDashboardPage } from '../helpers/dashboard-page.ts';

const FIXTURE = path.resolve(import.meta.dirname, '../fixtures/finance-funnel');
const SECRET = 'private-5e3a9c0d17';
const PASSWORD = 'ada-feeds-password';

/** Two days ago, so every meeting of it is over; the week shown is its week. */
const DAY = new Date(Date.now() - 2 * 86_400_000).toISOString().slice(0, 10);
const stamp = (time: string) => `${DAY.replaceAll('-', '')}T${time}00Z`;
const event = (uid: string, summary: string, start: string, end: string, other: string) =>
    ['BEGIN:VEVENT', `UID:${uid}`, `SUMMARY:${summary}`, `DTSTART:${stamp(start)}`, `DTEND:${stamp(end)}`, 'ATTENDEE:mailto:ada@funnel.example', `ATTENDEE:mailto:${other}`, 'END:VEVENT'];
const calendar = (...events: string[][]) => ['BEGIN:VCALENDAR', 'VERSION:2.0', ...events.flat(), 'END:VCALENDAR'].join('\r\n');
const REVIEW = event('e2e-acme', 'Acme portal review', '1000', '1100', 'bob@acme.com');
const ONE_TO_ONE = event('e2e-1to1', 'One to one', '1300', '1330', 'grace@funnel.example');
const RETRO = event('e2e-retro', 'Sprint retro', '1500', '1545', 'grace@funnel.example');

let served: string | null = calendar(REVIEW, ONE_TO_ONE);
let feedServer: http.Server;
let feedBase: string;

const dashboard = useDashboardPage({ dataDir: FIXTURE, feeds: { allowPrivate: true } });

beforeAll(async () => {
    feedServer = http.createServer((req, res) => {
        if (req.url === `/${SECRET}/basic.ics` && served !== null) return void res.writeHead(200, { 'content-type': 'text/calendar' }).end(served);
        res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => feedServer.listen(0, '127.0.0.1', resolve));
    feedBase = `http://127.0.0.1:${(feedServer.address() as AddressInfo).port}`;
    const { server } = dashboard;
    const setup = { actor: 'test-setup' };
    await replaceRules(server.warehouse, [{ kind: 'domain', pattern: 'acme.com', client_id: 'C1', project_id: null, phase: null, billable: null }], setup);
    await createAccount(server.warehouse, { email: 'ada@funnel.example', role: 'engineer', person_id: 'P1', password: PASSWORD }, setup);
    await server.app.auth.reload();
});

afterAll(async () => {
    feedServer?.closeAllConnections();
    await new Promise((resolve) => feedServer?.close(resolve));
});

const item = (text: string) => dashboard.page.locator('[data-suggestion]').filter({ hasText: text });
const outcome = () => dashboard.page.locator('[data-feed-outcome]');

describe('a calendar feed on the Timesheet', () => {
    it('is saved, read into draft suggestions, refreshed, and a failure is shown in plain words', async () => {
        const { server, browser, page } = dashboard;
        await page.goto(`${server.url}/signin`);
        await page.locator('#email').fill('ada@funnel.example');
        await page.locator('#password').fill(PASSWORD);
        await page.keyboard.press('Enter');
        await page.waitForURL((u) => !u.pathname.startsWith('/signin'));

        await page.goto(`${server.url}/time?week=${DAY}`);
        await page.getByRole('heading', { name: 'Calendar feed' }).waitFor({ timeout: 20_000 });
        await page.getByLabel('Your time zone').selectOption('UTC');
        await page.getByLabel('Calendar feed address (ICS link)').fill(`${feedBase}/${SECRET}/basic.ics`);
        await page.getByRole('button', { name: 'Save feed' }).click();
        await expect.poll(() => outcome().innerText(), { timeout: 20_000 }).toBe('Calendar feed: 2 new, 0 updated, 0 unchanged.');
        expect(await page.locator('[data-feed-address]').innerText()).toBe(`${feedBase}/….ics`);
        expect(await page.content()).not.toContain(SECRET);
        await item('Acme portal review').waitFor({ timeout: 10_000 });
        expect(await item('Acme portal review').innerText()).toContain('Acme › Acme portal');
        expect(await item('One to one').innerText()).toContain('No project matched');
        await page.screenshot({ path: path.join(TEST_RESULTS, 'calendar-feed-read.png'), fullPage: true });

        served = calendar(REVIEW, ONE_TO_ONE, RETRO);
        await page.getByRole('button', { name: 'Refresh' }).click();
        await expect.poll(() => outcome().innerText(), { timeout: 20_000 }).toBe('Calendar feed: 1 new, 0 updated, 2 unchanged.');
        await item('Sprint retro').waitFor({ timeout: 10_000 });
        expect(await page.locator('[data-suggestion]').count()).toBe(3);

        served = null;
        await page.getByRole('button', { name: 'Refresh' }).click();
        await page.locator('[data-feed-error]').waitFor({ timeout: 20_000 });
        expect(await page.locator('[data-feed-error]').innerText()).toMatch(/failed: 127\.0\.0\.1:\d+ has no calendar at this address \(404 Not Found\): the link may have been reset/);
        expect(await page.locator('[data-feed-error]').innerText()).toContain('The suggestions already made are kept.');
        expect(await outcome().count()).toBe(0);
        expect(await page.locator('[data-suggestion]').count()).toBe(3);
        await page.screenshot({ path: path.join(TEST_RESULTS, 'calendar-feed-failed.png'), fullPage: true });

        const drafts = await server.warehouse.all<{ status: string; n: number }>(`select status, count(*)::integer as n from suggest.suggestions where person_id = 'P1' group by all`);
        expect(drafts).toEqual([{ status: 'suggested', n: 3 }]);
        expect(browser.errors).toEqual([]);
    });
});
