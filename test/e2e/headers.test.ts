/// <reference lib="dom" />
/**
 * The Content-Security-Policy against the real build in headless Chromium (server/plugins/security.ts): the
 * overview and the API documentation render with the policy in force and the browser reports no violation
 * (a policy that breaks the page is worse than none), while a script the build did not ship is refused.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, startDashboard, waitForDashboard, type Browser, type DashboardServer } from '../helpers/dashboard.ts';

let server: DashboardServer;
let browser: Browser;
let page: Page;

/** Every violation the page reports, collected from the document's securitypolicyviolation events. */
async function violations(): Promise<string[]> {
    return page.evaluate(() => (window as unknown as { __csp: string[] }).__csp ?? []);
}

beforeAll(async () => {
    [server, browser] = await Promise.all([startDashboard({ demoEntries: 10_000, seed: 7 }), launchBrowser()]);
    page = await browser.newPage();
    await page.addInitScript(() => {
        const seen: string[] = [];
        (window as unknown as { __csp: string[] }).__csp = seen;
        document.addEventListener('securitypolicyviolation', (e) => seen.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`));
    });
});
afterAll(async () => {
    await browser?.close();
    await server?.close();
});

describe('the security policy in a browser', () => {
    it('the overview renders under it with no violation and no console error', async () => {
        const res = await page.goto(`${server.url}/`);
        expect(res!.headers()['content-security-policy']).toMatch(/script-src 'self' 'sha256-[^']+'/);
        expect(res!.headers()['x-frame-options']).toBe('DENY');
        await waitForDashboard(page);
        expect(await page.locator('[data-card][data-state="ready"]').count()).toBeGreaterThan(0);
        expect(await violations()).toEqual([]);
        expect(browser.errors).toEqual([]);
    });

    it('/docs (swagger-ui) renders under its own policy with no violation', async () => {
        const res = await page.goto(`${server.url}/docs`);
        expect(res!.headers()['content-security-policy']).toContain("frame-ancestors 'none'");
        await page.locator('.swagger-ui .opblock').first().waitFor({ timeout: 20_000 });
        expect(await violations()).toEqual([]);
        expect(browser.errors).toEqual([]);
    });

    it('refuses an inline script the build did not ship', async () => {
        await page.goto(`${server.url}/`);
        await waitForDashboard(page);
        const ran = await page.evaluate(async () => {
            const s = document.createElement('script');
            s.textContent = 'window.__injected = true;';
            document.body.append(s);
            await new Promise((r) => setTimeout(r, 100));
            return (window as unknown as { __injected?: boolean }).__injected === true;
        });
        expect(ran).toBe(false);
        expect((await violations()).some((v) => v.startsWith('script-src'))).toBe(true);
        browser.errors.length = 0; // the refusal is reported on the console, as it should be
    });
});
