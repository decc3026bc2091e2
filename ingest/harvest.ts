/**
 * Harvest → canonical data.
 *
 * Time report (CSV or XLSX): `Date,Client,Project,Project Code,Task,Notes,Hours,Billable?,Invoiced?,Approved?,
 * First Name,Last Name,Roles,Employee?,Billable Rate,Billable Amount,Cost Rate,Cost Amount,Currency,External
 * Reference URL`. Hours are decimal (a decimal comma and thousands dots in European accounts: "2.000,0"),
 * rounded to the second (0,01 h = 36 s). The person is First Name + Last Name (Harvest exports no e-mail);
 * their role the first of Roles; Currency "Euro - EUR" gives EUR. Approved? = Yes imports as approved. No ids,
 * no clock times: entries are fingerprinted on person, date, client, project, task, notes and hours.
 *
 * Clients list: `Client Name,Address` → clients by name (Address has no canonical column; a Currency column,
 * when the account exports one, gives the new client's currency).
 *
 * Projects list: `Client,Project,Project Code,Start Date,End Date,Project Notes,Total Hours,Billable Hours,
 * Billable Amount,Budget By,Budget,Budget Spent,Budget Remaining,Total Costs,Team Costs,Expenses` → projects by
 * name within their client: code, start and end dates (in the account's date order, detected with the
 * import's), and the budget by its Budget By: an hours budget (Harvest's "Hours", "Total project hours", "Hours
 * per task", "Hours per person": the Budget column is the project's total either way) is budget_hours; a fees
 * budget ("Total project fees", "Fees per task") is contract_value, in the client's currency; "No budget" is
 * none. The list has no status (a new project is active, an existing one keeps its own) and no billability:
 * a project is billable unless its Total Hours are all non-billable (Billable Hours 0). Notes, hours, amounts,
 * costs and expenses are what its time and invoices add up to, and come with them.
 */
import type { EntryFields } from './import/entries.ts';
import { has, joined, pick } from './import/fields.ts';
import type { ListFields } from './import/list-stage.ts';

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

export function isHarvestClients(header: readonly string[]): boolean {
    return has(header, 'Client Name') && !has(header, 'Project') && !has(header, 'Hours');
}

export function harvestClientFields(header: readonly string[]): ListFields {
    return { kind: 'clients', client: pick(header, 'Client Name', 'Name'), currency: pick(header, 'Currency') };
}

export function isHarvestProjects(header: readonly string[]): boolean {
    return has(header, 'Client', 'Project', 'Budget By') && !has(header, 'Date', 'Hours');
}

/** Budget By, as Harvest's project settings and its projects report word it. */
export const HARVEST_BUDGET_BY = {
    hours: ['Hours', 'Total project hours', 'Project hours', 'Hours per project', 'Hours per task', 'Task hours', 'Hours per person', 'Person hours'],
    money: ['Total project fees', 'Project fees', 'Fees', 'Fees per task', 'Task fees'],
    none: ['No budget', 'None'],
} as const;

export function harvestProjectFields(header: readonly string[]): ListFields {
    const by = pick(header, 'Budget By');
    const amount = pick(header, 'Budget');
    return {
        kind: 'projects',
        client: pick(header, 'Client'),
        project: pick(header, 'Project'),
        code: pick(header, 'Project Code'),
        startDate: pick(header, 'Start Date', 'Starts On'),
        endDate: pick(header, 'End Date', 'Ends On'),
        trackedHours: pick(header, 'Total Hours'),
        billableHours: pick(header, 'Billable Hours'),
        budget: by && amount ? { field: by, amount, words: HARVEST_BUDGET_BY } : undefined,
        currency: pick(header, 'Currency'),
    };
}
