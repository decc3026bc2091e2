/**
 * Clockify detailed report CSV → canonical time entries. Layouts seen: `Project,Client,Description,Task,User,
 * Group,Email,Tags,Billable,Start Date,Start Time,End Date,End Time,Duration (h),Duration (decimal),Billable Rate
 * (USD),Billable Amount (USD)`; newer ones add `Type,Invoiced,Invoice ID,Date of creation`, call Task `Activity`,
 * or lack Client or Billable (an entry without a Billable column is not billable). Dates follow the account's
 * locale (MM/DD/YYYY, DD/MM/YYYY or ISO: detected, asked when the file cannot tell), times 12- or 24-hour, with or
 * without seconds. Duration (h) is h:mm:ss and is the entry's duration; Duration (decimal) is used only without
 * it. No entry ids: entries are fingerprinted. A row shorter than the header lacks its last cells (empty).
 */
import type { EntryFields } from './import/entries.ts';
import { currencyInHeader, has, pick } from './import/fields.ts';

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
