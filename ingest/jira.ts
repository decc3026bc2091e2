/**
 * Jira worklog CSVs → canonical time entries.
 *
 * Tempo (Timesheets → Export): `Issue Key,Issue summary,Hours,Work date,Username,Full name,…,Account Name,
 * Account Customer,…,Project Key,Project Name,…,Work Description,…` and, in newer exports, `Worklog Id` or
 * `Tempo Worklog ID`. Work date is `YYYY-MM-DD HH:MM` (the start), Hours decimal.
 * Worklog-report apps (e.g. "Worklogs – Time Tracking & Reports"): `Worklog ID,Issue Key,Issue Summary,Project,
 * Author,Author Email,Started,Time Spent (seconds)` or `Time Spent` (`1h 30m`), `Comment`.
 *
 * Client: the Tempo account's customer, else its account name, else none. Project: the Jira project. Task: the
 * issue key; notes: the worklog's description, else the issue summary. Entry ids: `jira-<worklog id>` when
 * exported, else fingerprinted.
 */
import type { EntryFields } from './import/entries.ts';
import { has, pick } from './import/fields.ts';

export const JIRA = 'jira';

export function isJira(header: readonly string[]): boolean {
    return has(header, 'Issue Key') || has(header, 'Issue key');
}

export function jiraFields(header: readonly string[]): EntryFields {
    const seconds = pick(header, 'Time Spent (seconds)', 'Time Spent (s)', 'Time spent (seconds)', 'timeSpentSeconds');
    const comment = pick(header, 'Work Description', 'Comment', 'Worklog Comment', 'Worklog Description', 'Description');
    const summary = pick(header, 'Issue summary', 'Issue Summary', 'Summary');
    return {
        id: pick(header, 'Worklog Id', 'Worklog ID', 'Tempo Worklog ID', 'Jira Worklog ID', 'Worklog id'),
        user: pick(header, 'Full name', 'Full Name', 'Author', 'User', 'Worker', 'Username'),
        email: pick(header, 'Author Email', 'Email', 'User Email'),
        client: pick(header, 'Account Customer', 'Customer', 'Account Name', 'Account'),
        project: pick(header, 'Project Name', 'Project', 'Project Key'),
        task: pick(header, 'Issue Key', 'Issue key'),
        description:
            comment && summary
                ? { sql: `coalesce(nullif(trim(${comment.sql}), ''), ${summary.sql})`, label: comment.label }
                : (comment ?? summary),
        startDate: pick(header, 'Work date', 'Work Date', 'Started', 'Start Date', 'Date', 'Start date'),
        startTime: pick(header, 'Start Time', 'Start time'),
        duration: seconds ? { sql: `nullif(trim(${seconds.sql}), '') || 's'`, label: seconds.label } : pick(header, 'Time Spent', 'Time spent', 'Logged'),
        hours: pick(header, 'Hours', 'Time Spent (h)', 'Logged Hours', 'Billed Hours'),
        billable: pick(header, 'Billable'),
    };
}
