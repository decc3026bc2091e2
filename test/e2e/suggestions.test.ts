/// <reference lib="dom" />
/**
 * The Suggestions page in headless Chromium on the finance-funnel fixture, in local mode (so the person is
 * chosen on the page): a rule sends acme.com's meetings to Acme; Ada's calendar is uploaded; the Acme meeting
 * (Mon 4 March 2024, 10:00–11:00 UTC) is confirmed in one click; the internal one (Tue 5th, 09:00–09:20 with
 * Grace) has no project, so Confirm opens its edit form, a duration of 25 h is refused beside its field, and
 * it is confirmed on Acme portal at 0:30; the lunch-and-learn is dismissed. The warehouse then holds two draft
 * entries of Ada's: 3,600 s and 1,800 s. Screenshots land in test-results/.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_RESULTS, useDashboardPage } from '../helpers/dashboard-page.ts';

const FIXTURE = path.resolve(import.meta.dirname, '../fixtures/finance-funnel');
const ICS = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'BEGIN:VEVENT',
    'UID:acme-review',
    'SUMMARY:Acme portal review',
    'DTSTART:20240304T100000Z',
    'DTEND:20240304T110000Z',
    'ATTENDEE;PARTSTAT=ACCEPTED:mailto:ada@funnel.example',
    'ATTENDEE:mailto:bob@acme.com',
    'END:VEVENT',
    'BEGIN:VEVENT',
    'UID:one-to-one',
    'SUMMARY:One to one',
    'DTSTART:20240305T090000Z',
    'DTEND:20240305T092000Z',
    'ATTENDEE:mailto:ada@funnel.example',
    'ATTENDEE:mailto:grace@funnel.example',
    'END:VEVENT',
    'BEGIN:VEVENT',
    'UID:lunch',
    'SUMMARY:Lunch and learn',
    'DTSTART:20240306T120000Z',
    'DTEND:20240306T130000Z',
    'ATTENDEE:mailto:ada@funnel.example',
    'ATTENDEE:mailto:grace@funnel.example',
    'END:VEVENT',
    'END:VCALENDAR',
].join('\r\n');

const dashboard = useDashboardPage({ dataDir: FIXTURE });
let icsFile: string;

beforeAll(() => {
    icsFile = path.join(fs.mkdtempSync(path.join(TEST_RESULTS, 'ics-')), 'ada.ics');
    fs.writeFileSync(icsFile, ICS);
});

afterAll(() => {
    if (icsFile) fs.rmSync(path.dirname(icsFile), { recursive: true, force: true });
});

const item = (text: string) => dashboard.page.locator('[data-suggestion]').filter({ hasText: text });

describe('suggestions in the browser', () => {
    it('a rule, a calendar, then confirm, edit and dismiss', async () => {
        const { server, browser, page } = dashboard;
        await page.goto(`${server.url}/suggestions?week=2024-03-04`);
        await page.getByRole('heading', { name: 'Rules for suggestions' }).waitFor({ timeout: 20_000 });

        await page.getByRole('button', { name: 'Add a rule' }).click();
        await page.keyboard.type('acme.com');
        await page.getByLabel('Rule 1 client').selectOption({ label: 'Acme' });
        await page.getByRole('button', { name: 'Save rules' }).click();
        await page.getByText('Saved 1 rule.').waitFor({ timeout: 10_000 });

        await page.getByLabel('Whose suggestions').selectOption({ label: 'Ada Lovelace' });
        await page.getByLabel('Your time zone').selectOption('UTC');
        await page.getByLabel('Calendar file (.ics)').setInputFiles(icsFile);
        await page.locator('[data-upload-report]').waitFor({ timeout: 20_000 });
        expect(await page.locator('[data-upload-report]').innerText()).toContain('Calendar: 3 new, 0 updated, 0 unchanged.');
        expect(await item('Acme portal review').innerText()).toContain('Acme › Acme portal');
        await page.screenshot({ path: path.join(TEST_RESULTS, 'suggestions-uploaded.png'), fullPage: true });

        await item('Acme portal review').getByRole('button', { name: 'Confirm' }).click();
        await page.getByText('1 decided this week').waitFor({ timeout: 20_000 });

        await item('One to one').getByRole('button', { name: 'Confirm' }).click();
        const duration = item('One to one').getByLabel('Duration');
        await duration.waitFor();
        expect(await item('One to one').getByText('no project was matched: choose one').count()).toBe(1);
        await item('One to one').getByLabel('Project').selectOption({ label: 'Acme › Acme portal' });
        // The project's rule: Acme portal is billable.
        expect(await item('One to one').getByLabel('Billable').isChecked()).toBe(true);
        await duration.fill('25h');
        await duration.press('Enter');
        await item('One to one').getByText('is more than 24 hours').waitFor({ timeout: 5_000 });
        await page.screenshot({ path: path.join(TEST_RESULTS, 'suggestions-edit-refused.png'), fullPage: true });
        await duration.fill('0:30');
        await duration.press('Enter');
        await page.getByText('2 decided this week').waitFor({ timeout: 20_000 });

        await item('Lunch and learn').getByRole('button', { name: 'Dismiss' }).click();
        await page.getByText('3 decided this week').waitFor({ timeout: 20_000 });
        expect(await page.locator('[data-suggestion]').count()).toBe(0);
        await page.getByText('3 decided this week').click();
        await page.screenshot({ path: path.join(TEST_RESULTS, 'suggestions-decided.png'), fullPage: true });

        const drafts = await server.warehouse.all<{ project_id: string; duration_seconds: number; billable: boolean; status: string; source: string }>(
            `select project_id, duration_seconds, billable, status, source from canonical.time_entries where person_id = 'P1' and source = 'calendar' order by duration_seconds desc`,
        );
        expect(drafts).toEqual([
            { project_id: 'T1', duration_seconds: 3600, billable: true, status: 'draft', source: 'calendar' },
            { project_id: 'T1', duration_seconds: 1800, billable: true, status: 'draft', source: 'calendar' },
        ]);
        expect(browser.errors).toEqual([]);
    });
});
