/**
 * Harvest → canonical data.
 *
 * Time report (CSV or XLSX): `Date,Client,Project,Project Code,Task,Notes,Hours,Billable?,Invoiced?,Approved?,
 * First Name,Last Name,Roles,Employee?,Billable Rate,Billable Amount,Cost Rate,Cost Amount,Currency,External
 * Reference URL`. Hours are decimal (a decimal comma and thousands dots in European accounts: "2.000,0"),
 * rounded to the second (0,01 h = 36 s). The person is First Name + Last Name (Harvest exports no e-mail);
 * their role the first of Roles; Currency "Euro - EUR" gives EUR. Approved? = Yes imports as approved. No ids,
 * no clock times: entries are fingerprinted on person, date, client, project, task, notes and hours.
 */
import type { EntryFields } from './import/entries.ts';
import { has, joined, pick } from './import/fields.ts';

export const HARVEST = 'harvest';

export function isHarvest(header: readonly string[]): boolean {
    return has(header, 'Date', 'Hours', 'First Name', 'Last Name');
}

export function harvestFields(header: readonly string[]): EntryFields {
    const roles = pick(header, 'Roles');
    return {
        user: joined(pick(header, 'First Name'), pick(header, 'Last Name'), 'First Name, Last Name'),
        client: pick(header, 'Client'),
        project: pick(header, 'Project'),
        projectCode: pick(header, 'Project Code'),
        task: pick(header, 'Task'),
        description: pick(header, 'Notes'),
        billable: pick(header, 'Billable?'),
        approved: pick(header, 'Approved?'),
        startDate: pick(header, 'Date', 'Spent Date'),
        startTime: pick(header, 'Started At', 'Start Time'),
        endTime: pick(header, 'Ended At', 'End Time'),
        hours: pick(header, 'Hours'),
        currency: pick(header, 'Currency'),
        role: roles ? { sql: `nullif(trim(split_part(${roles.sql}, ',', 1)), '')`, label: roles.label } : undefined,
    };
}
