/**
 * Clockify detailed report CSV → canonical time entries. Layouts seen: `Project,Client,Description,Task,User,
 * Group,Email,Tags,Billable,Start Date,Start Time,End Date,End Time,Duration (h),Duration (decimal),Billable Rate
 * (USD),Billable Amount (USD)`; newer ones add `Type,Invoiced,Invoice ID,Date of creation`, call Task `Activity`,
 * or lack Client or Billable (an entry without a Billable column is not billable). Dates follow the account's
 * locale (MM/DD/YYYY, DD/MM/YYYY or ISO: detected, asked when the file cannot tell), times 12- or 24-hour, with or
 * without seconds. Duration (h) is h:mm:ss and is the entry's duration; Duration (decimal) is used only without
 * it. No entry ids: entries are fingerprinted. A row shorter than the header lacks its last cells (empty).
 *
 * Projects report: `Project,Client,Status,Visibility,Billability,Task(s)|Activities,Tracked (h),Estimated (h),
 * Remaining (h),Overage (h),…,Billable Rate (USD),Amount (USD),Project members,Project manager,Note` (some lack
 * Client; newer ones add Tracked/Estimated/Remaining/Overage in money, Recurring estimate, Cost Rate, Expenses)
 * → projects by name within their client (an empty or absent Client is a project without a client): Status
 * Active → active, Archived → closed; Billability yes/no → time_and_materials or non_billable for a new project;
 * Estimated (h) → budget_hours and Estimated (<currency>) → contract_value, unless Recurring estimate says the
 * estimate starts again each period; the header's currency is a new client's. No code and no dates: a new
 * project starts on the day of the import. Tasks, tracked and billed figures, rates, members, manager and
 * note are not project fields, or come with the time entries (people and their time).
 */
import type { EntryFields } from './import/entries.ts';
import { currencyInHeader, has, pick } from './import/fields.ts';
import type { ListFields } from './import/list-stage.ts';

export const CLOCKIFY = 'clockify';

export function isClockify(header: readonly string[]): boolean {
    return has(header, 'Start Date', 'Start Time', 'User') && (has(header, 'Duration (h)') || has(header, 'Duration (decimal)') || has(header, 'End Time'));
}

export function clockifyFields(header: readonly string[]): EntryFields {
    return {
        id: pick(header, 'ID', 'Time Entry ID'),
        user: pick(header, 'User'),
        email: pick(header, 'Email'),
        client: pick(header, 'Client'),
        project: pick(header, 'Project'),
        task: pick(header, 'Task', 'Activity'),
        description: pick(header, 'Description'),
        billable: pick(header, 'Billable'),
        startDate: pick(header, 'Start Date'),
        startTime: pick(header, 'Start Time'),
        endDate: pick(header, 'End Date'),
        endTime: pick(header, 'End Time'),
        duration: pick(header, 'Duration (h)'),
        hours: pick(header, 'Duration (decimal)'),
        tags: pick(header, 'Tags'),
        currency: currencyInHeader(header, 'Billable Rate') ?? currencyInHeader(header, 'Billable Amount'),
    };
}

export function isClockifyProjects(header: readonly string[]): boolean {
    return has(header, 'Project', 'Status', 'Billability') && (has(header, 'Estimated (h)') || has(header, 'Tracked (h)'));
}

export function clockifyProjectFields(header: readonly string[]): ListFields {
    // Estimated (USD) beside Estimated (h): the estimate in money.
    const at = header.findIndex((h) => /^estimated \((?!h\))/i.test(h.trim()));
    const money = at >= 0 ? { sql: `c${at}`, label: header[at]! } : undefined;
    return {
        kind: 'projects',
        client: pick(header, 'Client'),
        project: pick(header, 'Project'),
        status: { field: pick(header, 'Status')!, words: { active: ['Active'], closed: ['Archived'] } },
        billable: pick(header, 'Billability'),
        budgetHours: pick(header, 'Estimated (h)'),
        budgetMoney: money,
        recurring: pick(header, 'Recurring estimate'),
        currency: currencyInHeader(header, 'Billable Rate') ?? currencyInHeader(header, 'Amount') ?? currencyInHeader(header, 'Estimated ('),
    };
}
