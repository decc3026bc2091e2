/// <reference lib="dom" />
/**
 * Capture and approval in headless Chromium, on a small demo firm with its demo accounts: the engineer
 * runs the timer (it survives a reload), logs a week in the grid (a cell that does not read is refused
 * beside it and keeps what was typed) and submits it; the manager of the project sees the week against the
 * plan, rejects one entry (a comment required) and approves the rest; the engineer sees the comment, fixes
 * the cell and submits again; the manager approves; deleting the approved entry from a page opened before
 * is refused (409) in that page; leadership's hours of the project against its plan move; the audit log shows each step
 * with its author. Two browsers: the engineer's and the others'.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDemoAccounts, DEMO_PASSWORD, demoEmail } from '../../server/api/demo-accounts.ts';
import { launchBrowser, startDashboard, waitForDashboard, type Browser, type DashboardServer } from '../helpers/dashboard.ts';

let server: DashboardServer;
let engineerBrowser: Browser;
let otherBrowser: Browser;
let eng: Page;
let other: Page;
const SHOTS = process.env.SCREENSHOT_DIR;

async function shot(page: Page, name: string) {
    if (SHOTS) await page.screenshot({ path: `${SHOTS}/${name}.png`, fullPage: true });
}

async function signIn(page: Page, role: Parameters<typeof demoEmail>[0]) {
    await page.goto(`${server.url}/signin`);
    await page.locator('#email').fill(demoEmail(role));
    await page.locator('#password').fill(DEMO_PASSWORD);
    await page.keyboard.press('Enter');
    await page.waitForURL((u) => !u.pathname.startsWith('/signin'));
}

async function signOut(page: Page) {
    await page.locator('button.sign-out').click();
    await page.waitForURL(/\/signin/);
}

/** Each write waits for the dashboards to show it: a few seconds on a loaded machine. */
const until = <T>(fn: () => Promise<T> | T) => expect.poll(fn, { timeout: 30_000, interval: 100 });

const DAY = 86_400_000;
const iso = (t: number) => new Date(t).toISOString().slice(0, 10);
const mondayOf = (d: string) => {
    const t = Date.parse(`${d}T00:00:00Z`);
    return iso(t - ((new Date(t).getUTCDay() + 6) % 7) * DAY);
};

let engineerId: string;
let managerId: string;
let project: { project_id: string; name: string };
/** The week logged: the last whole week before the firm's as-of date, so the overview counts it. */
let week: string;
let rowKey: string;
const cell = (page: Page, day: number) => page.locator(`tr[data-grid-row='${rowKey}'] input[data-day="${day}"]`);

beforeAll(async () => {
    [server, engineerBrowser, otherBrowser] = await Promise.all([startDashboard({ demoEntries: 10_000, seed: 7 }), launchBrowser(), launchBrowser()]);
    await createDemoAccounts(server.warehouse, { actor: 'demo' });
    await server.app.auth.reload();
    const people = await server.warehouse.all<{ role: string; person_id: string }>(`select role, person_id from auth.accounts where person_id is not null`);
    engineerId = people.find((p) => p.role === 'engineer')!.person_id;
    managerId = people.find((p) => p.role === 'project_manager')!.person_id;
    const asOf = (await server.warehouse.one<{ v: string }>(`select value as v from canonical.settings where key = 'as_of'`))!.v;
    week = iso(Date.parse(`${mondayOf(asOf)}T00:00:00Z`) - 7 * DAY);
    eng = await engineerBrowser.newPage();
    other = await otherBrowser.newPage();
}, 240_000);
afterAll(async () => {
    await engineerBrowser?.close();
    await otherBrowser?.close();
    await server?.close();
});

/** Leadership's page of the project (budget, hours and revenue figures, their tables), as text. */
async function planAgainstActual(): Promise<string> {
    await other.goto(`${server.url}/projects/${encodeURIComponent(project.project_id)}`);
    await waitForDashboard(other, 60_000);
    return other.locator('main').innerText();
}
let before: string;

describe('the engineer logs a week', () => {
    it('picks a project of the manager’s that the timesheet offers, and leadership reads its hours against the plan first', async () => {
        await signIn(eng, 'engineer');
        await eng.goto(`${server.url}/time?week=${week}`);
        await eng.locator('[data-week-grid]').waitFor();
        const offered = await eng.locator('#row-project option').evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value).filter(Boolean));
        const managed = await server.warehouse.all<{ project_id: string; name: string }>(`select project_id, name from canonical.projects where manager_id = $1 and status = 'active' order by project_id`, [managerId]);
        project = managed.find((p) => offered.includes(p.project_id))!;
        expect(project).toBeDefined();
        await signIn(other, 'leadership');
        before = await planAgainstActual();
        await signOut(other);
    });

    it('runs the timer from the header: it keeps running through a reload, and stopping saves a draft', async () => {
        await eng.goto(`${server.url}/time`);
        await eng.locator('[data-timer-open]').click();
        await eng.locator('#timer-project').selectOption(project.project_id);
        await eng.locator('#timer-notes').fill('client call');
        await eng.locator('[data-timer-form] button[type="submit"]').click();
        await eng.locator('[data-timer-running]').waitFor();
        await eng.reload();
        await eng.locator('[data-timer-running]').waitFor();
        expect(await eng.locator('[data-timer-running]').textContent()).toContain(project.name);
        await eng.locator('[data-timer-stop]').click();
        await until(() => eng.locator('[data-timer-saved]').textContent()).toContain('saved as a draft');
        await eng.locator('[data-week-entries] tr', { hasText: 'client call' }).waitFor();
        expect(await eng.locator('[data-week-entries] tr', { hasText: 'client call' }).textContent()).toContain('timer');
    });

    it('edits the timer’s draft in its row by keyboard: a duration that does not read is refused beside it and kept; Enter saves', async () => {
        const id = await eng.locator('[data-week-entries] tr', { hasText: 'client call' }).getAttribute('data-entry');
        const row = eng.locator(`[data-week-entries] tr[data-entry="${id}"]`);
        await row.locator('[data-edit]').click();
        const duration = row.locator('[data-edit-duration]');
        await duration.fill('soon');
        await duration.press('Enter');
        await until(() => row.locator('.problem').first().textContent()).toContain('is not a duration');
        expect(await duration.inputValue()).toBe('soon');
        await duration.fill('0:45');
        await row.locator('[data-edit-notes]').fill('client call, agenda');
        await row.locator('[data-edit-notes]').press('Enter');
        await until(() => row.locator('td.notes').textContent()).toBe('client call, agenda');
        expect(await row.locator('td.num').textContent()).toBe('0:45');
        expect(await row.getAttribute('data-editing')).toBeNull();
        // Escape leaves an edit without a change.
        await row.locator('[data-edit]').click();
        await row.locator('[data-edit-duration]').fill('9');
        await row.locator('[data-edit-duration]').press('Escape');
        expect(await row.locator('td.num').textContent()).toBe('0:45');
    });

    it('types durations in the grid with the keyboard; a cell that does not read is refused beside it and kept', async () => {
        await eng.goto(`${server.url}/time?week=${week}`);
        await eng.locator('[data-week-grid]').waitFor();
        await eng.locator('#row-project').selectOption(project.project_id);
        // A phase › activity the week has no row for yet.
        const taken = await eng.locator('[data-grid-row]').evaluateAll((rs) => rs.map((r) => r.getAttribute('data-grid-row')));
        const phases = await eng.locator('#row-phase option').evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value));
        const activities = await eng.locator('#row-activity option').evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value));
        const free = phases.flatMap((ph) => activities.map((a) => [ph, a] as const)).find(([ph, a]) => !taken.includes(JSON.stringify([project.project_id, ph, a])))!;
        await eng.locator('#row-phase').selectOption(free[0]);
        await eng.locator('#row-activity').selectOption(free[1]);
        rowKey = JSON.stringify([project.project_id, free[0], free[1]]);
        await eng.locator('[data-add-row] button[type="submit"]').click();
        // The new row's Monday has the focus.
        await until(() => eng.evaluate(() => document.activeElement?.getAttribute('data-day'))).toBe('0');
        await eng.keyboard.type('1.5');
        await eng.keyboard.press('Tab');
        await eng.keyboard.type('1:30');
        await eng.keyboard.press('Tab');
        await eng.keyboard.type('soon');
        await eng.keyboard.press('Enter');
        await until(() => eng.locator(`tr[data-grid-row='${rowKey}'] [data-cell-error]`).textContent()).toContain('is not a duration');
        expect(await cell(eng, 2).inputValue()).toBe('soon');
        expect(await cell(eng, 0).inputValue()).toBe('1.5');
        await shot(eng, 'capture-grid-error');
        await cell(eng, 2).fill('2h');
        await cell(eng, 2).press('Enter');
        await until(() => eng.locator('[data-week-message]').textContent()).toBe('Saved one row.');
        expect(await cell(eng, 0).inputValue()).toBe('1:30');
        expect(await cell(eng, 2).inputValue()).toBe('2:00');
        expect(await eng.locator(`tr[data-grid-row='${rowKey}'] td.total`).textContent()).toBe('5:00');
    });

    it('submits the week: its cells lock', async () => {
        await eng.locator('[data-submit-week]').click();
        await until(() => eng.locator('[data-week-message]').textContent()).toBe('Week submitted for approval.');
        expect(await cell(eng, 0).getAttribute('readonly')).not.toBeNull();
        await shot(eng, 'capture-submitted');
    });
});

/** The engineer's entry on the row's day, as the review page lists it. */
async function reviewEntry(day: number) {
    const date = iso(Date.parse(`${week}T00:00:00Z`) + day * DAY);
    const entry = (await server.warehouse.one<{ entry_id: string }>(
        `select entry_id from canonical.time_entries where person_id = $1 and project_id = $2 and phase = $3 and activity = $4 and work_date = $5::date`,
        [engineerId, project.project_id, JSON.parse(rowKey)[1], JSON.parse(rowKey)[2], date],
    ))!;
    return { id: entry.entry_id, row: other.locator(`[data-review-entry="${entry.entry_id}"]`) };
}

describe('the manager reviews it', () => {
    it('sees the week against the plan and the entries, rejects one with a comment and approves the rest', async () => {
        await signIn(other, 'project_manager');
        await other.goto(`${server.url}/review?week=${week}&project=${encodeURIComponent(project.project_id)}`);
        await other.locator(`[data-review-project="${project.project_id}"]`).waitFor();
        expect(await other.locator('[data-plan] tbody tr').count()).toBeGreaterThan(0);
        const monday = await reviewEntry(0);
        await monday.row.locator('[data-reject]').click();
        // Without a comment: refused beside the field, with the API's words.
        await other.keyboard.press('Enter');
        await until(() => monday.row.locator('[data-decide-error]').textContent()).toBe('say why: a rejection needs a comment');
        await other.keyboard.type('Monday was the workshop: log it on the workshop phase');
        await other.keyboard.press('Enter');
        await until(() => other.locator('[data-review-message]').textContent()).toContain('Rejected one entry');
        await until(() => monday.row.locator('.status').textContent()).toBe('rejected');
        await shot(other, 'capture-review');
        const person = other.locator(`[data-person="${engineerId}"]`);
        await person.locator('.person-head [data-approve]').click();
        await until(() => other.locator('[data-review-message]').textContent()).toMatch(/^Approved \d+ entr/);
        const wednesday = await reviewEntry(2);
        await until(() => wednesday.row.locator('.status').textContent()).toBe('approved');
        expect(await monday.row.locator('.status').textContent()).toBe('rejected');
    });
});

let stale: Page;
describe('the engineer fixes the rejected entry', () => {
    it('sees the manager’s comment, changes the cell and submits again', async () => {
        await eng.goto(`${server.url}/time?week=${week}`);
        await eng.locator('[data-rejected]').waitFor();
        expect(await eng.locator('[data-rejected]').textContent()).toContain('Monday was the workshop');
        expect(await cell(eng, 0).getAttribute('readonly')).toBeNull();
        expect(await cell(eng, 1).getAttribute('readonly')).not.toBeNull(); // approved
        await shot(eng, 'capture-rejected');
        await cell(eng, 0).fill('1:15');
        await cell(eng, 0).press('Enter');
        await until(() => eng.locator('[data-week-message]').textContent()).toBe('Saved one row.');
        // A second tab, opened now, still shows the fixed entry as a draft.
        stale = await engineerBrowser.context.newPage();
        await stale.goto(`${server.url}/time?week=${week}`);
        await stale.locator('[data-week-entries]').waitFor();
        await eng.locator('[data-submit-week]').click();
        await until(() => eng.locator('[data-week-message]').textContent()).toBe('Week submitted for approval.');
    });
});

describe('the manager approves, and the approved time is frozen', () => {
    it('approves the resubmitted entry', async () => {
        await other.reload();
        const monday = await reviewEntry(0);
        await monday.row.locator('[data-approve]').click();
        await until(() => monday.row.locator('.status').textContent()).toBe('approved');
    });

    it('refuses in the page to delete the approved entry from a tab opened before (409)', async () => {
        const { id } = await reviewEntry(0);
        const row = stale.locator(`[data-entry="${id}"]`);
        await row.locator('button', { hasText: 'Delete' }).click();
        await until(() => row.locator('.problem').textContent()).toMatch(/approved/i);
        await shot(stale, 'capture-frozen');
        const left = await server.warehouse.one<{ status: string; duration_seconds: number }>(`select status, duration_seconds::integer as duration_seconds from canonical.time_entries where entry_id = $1`, [id]);
        expect(left).toEqual({ status: 'approved', duration_seconds: 4500 });
        await stale.close();
    });
});

describe('the figures and the audit log', () => {
    it('moves leadership’s figures of the project: its hours against the plan', async () => {
        await signOut(other);
        await signIn(other, 'leadership');
        const after = await planAgainstActual();
        expect(after).not.toEqual(before);
        await shot(other, 'capture-project');
        await signOut(other);
    });

    it('shows each step with its author', async () => {
        await signIn(other, 'admin');
        await other.goto(`${server.url}/audit`);
        await other.locator('[data-audit-events] tbody tr[data-event]').first().waitFor();
        const rows = await other.locator('[data-audit-events] tbody tr[data-event]').allTextContents();
        const by = (actor: string, action: string) => rows.some((r) => r.includes(actor) && r.includes(action));
        expect(by(`engineer:${engineerId}`, 'submit')).toBe(true);
        expect(by(`engineer:${engineerId}`, 'create')).toBe(true);
        expect(by(`project_manager:${managerId}`, 'reject')).toBe(true);
        expect(by(`project_manager:${managerId}`, 'approve')).toBe(true);
        await shot(other, 'capture-audit');
        const errors = [...engineerBrowser.errors, ...otherBrowser.errors].filter((e) => !/status of 40[019] /.test(e));
        expect(errors).toEqual([]);
    });
});
