/// <reference lib="dom" />
/**
 * Signing in, the Accounts page and the audit log in headless Chromium, on a small demo firm with its demo
 * accounts (accounts mode): a page asked for before signing in leads to the sign-in page and back after it;
 * errors show beside their field and keep what was typed; an admin adds an account (a refusal beside the
 * password field first), changes its role and sees both in the audit log, filtered and exported as CSV;
 * the password change and sign-out in the header work; an engineer is offered neither page.
 */
import fs from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDemoAccounts, DEMO_PASSWORD } from '../../server/api/demo-accounts.ts';
import { launchBrowser, startDashboard, type Browser, type DashboardServer } from '../helpers/dashboard.ts';

let server: DashboardServer;
let browser: Browser;
let page: Page;
const SHOTS = process.env.SCREENSHOT_DIR;

async function shot(name: string) {
    if (SHOTS) await page.screenshot({ path: `${SHOTS}/${name}.png`, fullPage: true });
}

async function signIn(email: string, password: string) {
    await page.locator('#email').fill(email);
    await page.locator('#password').fill(password);
    await page.keyboard.press('Enter');
}

beforeAll(async () => {
    [server, browser] = await Promise.all([startDashboard({ demoEntries: 10_000, seed: 7 }), launchBrowser()]);
    await createDemoAccounts(server.warehouse, { actor: 'demo' });
    await server.app.auth.reload();
    page = await browser.newPage();
});
afterAll(async () => {
    await browser?.close();
    await server?.close();
});

/** Console errors other than the browser's own line for the refusals these tests ask for (a wrong password, a short one), which the pages answer. */
const errors = () => browser.errors.filter((e) => !/status of 40[01] /.test(e));

describe('signing in', () => {
    it('sends a page asked for before signing in to the sign-in page, keyboard first, errors beside their field', async () => {
        await page.goto(`${server.url}/people`);
        await page.waitForURL(/\/signin\?next=%2Fpeople$/);
        await page.locator('[data-sign-in-form]').waitFor();
        expect(await page.evaluate(() => document.activeElement?.id)).toBe('email');
        await page.keyboard.press('Enter');
        await expect.poll(() => page.locator('#email-error').textContent()).toBe('enter your email');
        await page.keyboard.type('admin@demo.example');
        await page.keyboard.press('Tab');
        await page.keyboard.type('not the password');
        await page.keyboard.press('Enter');
        await expect.poll(() => page.locator('#password-error').textContent()).toContain('do not match an account');
        // What was typed stays.
        expect(await page.locator('#email').inputValue()).toBe('admin@demo.example');
        await shot('signin-error');
    });

    it('signs in and returns to the page asked for, the header naming who and offering the admin’s pages', async () => {
        await signIn('admin@demo.example', DEMO_PASSWORD);
        await page.waitForURL(/\/people$/);
        await expect.poll(() => page.locator('[data-signed-in-as]').textContent()).toContain('admin@demo.example');
        const nav = await page.locator('nav[aria-label="Pages"] a').allTextContents();
        expect(nav).toEqual(expect.arrayContaining(['Overview', 'Audit log', 'Accounts']));
        const cookies = await browser.context.cookies();
        expect(cookies.find((c) => c.name === 'realize_session')).toMatchObject({ httpOnly: true, sameSite: 'Strict' });
    });
});

describe('the Accounts page', () => {
    it('adds an account (a short password refused beside its field first) and changes its role', async () => {
        await page.goto(`${server.url}/admin`);
        await page.locator('[data-accounts] tbody tr').first().waitFor();
        expect(await page.locator('[data-accounts] tbody tr').count()).toBe(6);
        await page.locator('#new-email').fill('newcomer@demo.example');
        await page.locator('#new-role').selectOption('engineer');
        await page.locator('#new-password').fill('short');
        await page.locator('[data-add-account] button[type="submit"]').click();
        await expect.poll(() => page.locator('#new-password-error').textContent()).toContain('at least 10 characters');
        expect(await page.locator('#new-email').inputValue()).toBe('newcomer@demo.example');
        await page.locator('#new-password').fill('a long enough password');
        await page.locator('[data-add-account] button[type="submit"]').click();
        const row = page.locator('tr[data-account="newcomer@demo.example"]');
        await row.waitFor();
        await row.locator('select').selectOption('sales');
        await expect.poll(() => row.locator('.note').textContent()).toBe('Role changed to Sales.');
        await shot('admin');
    });
});

describe('the audit log', () => {
    it('shows each change with its author, filters by action, and exports the filtered events as CSV', async () => {
        await page.goto(`${server.url}/audit`);
        await page.locator('[data-audit-events] tbody tr[data-event]').first().waitFor();
        const first = page.locator('[data-audit-events] tbody tr[data-event]').first();
        // Newest first: the role change, by the admin, from the browser's address.
        expect(await first.textContent()).toContain('admin:admin@demo.example');
        expect(await first.textContent()).toContain('update');
        expect(await first.textContent()).toContain('"role":"sales"');
        await page.locator('#f-action').selectOption('update');
        await page.locator('[data-audit-filter] button[type="submit"]').click();
        await expect.poll(() => page.locator('[data-audit-events] caption').textContent()).toContain('1 event');
        await shot('audit');
        const [download] = await Promise.all([page.waitForEvent('download'), page.locator('[data-audit-export]').click()]);
        const csv = fs.readFileSync((await download.path())!, 'utf8').trimEnd().split('\r\n');
        expect(csv[0]).toBe('event_id,occurred_at,actor,actor_role,person_id,address,action,entity,entity_id,before,after,reason,detail');
        expect(csv).toHaveLength(2);
        expect(csv[1]).toContain('admin:admin@demo.example,admin,,127.0.0.1,update,account');
    });
});

describe('the header', () => {
    it('changes the password (a mismatch refused beside its field), then signs out to the sign-in page', async () => {
        await page.locator('[data-password-open]').click();
        await page.locator('#pw-current').fill(DEMO_PASSWORD);
        await page.locator('#pw-new').fill('the admin’s own password');
        await page.locator('#pw-repeat').fill('something else entirely');
        await page.locator('[data-password-form] button[type="submit"]').click();
        await expect.poll(() => page.locator('#pw-repeat-error').textContent()).toBe('the two new passwords differ');
        await page.locator('#pw-repeat').fill('the admin’s own password');
        await page.locator('[data-password-form] button[type="submit"]').click();
        await page.locator('[data-password-done]').waitFor();
        await page.locator('dialog button.primary').click();
        await page.locator('button.sign-out').click();
        await page.waitForURL(/\/signin/);
        await signIn('admin@demo.example', 'the admin’s own password');
        await page.waitForURL((u) => !u.pathname.startsWith('/signin'));
        await page.locator('button.sign-out').click();
        await page.waitForURL(/\/signin/);
    });

    it('offers an engineer neither the accounts nor the audit log', async () => {
        await signIn('engineer@demo.example', DEMO_PASSWORD);
        await page.waitForURL(/\/people$/);
        const nav = await page.locator('nav[aria-label="Pages"] a').allTextContents();
        expect(nav).toEqual(['People & capacity', 'Suggestions', 'Timesheet']);
        await page.goto(`${server.url}/audit`);
        await page.locator('[data-not-yours]').waitFor();
        expect(errors()).toEqual([]);
    });
});
