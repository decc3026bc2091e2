/**
 * A tool's clients or projects list → staged rows: every record parsed (dates in the import's order, numbers
 * with its decimal mark) into one row of `imp_list_rows`, with its reason when it cannot be a client or a
 * project. The tool modules (harvest.ts, clockify.ts) only say which column holds what (ListFields) and the
 * words their exports use; the meaning of each is decided here, for every tool:
 *   name       a clients row without a client name, or a projects row without a project name, is rejected;
 *              a project without a client resolves as a time entry without one does (resolve.ts);
 *   dates      a start or end that is given but is not a date, or an end before the start, rejects the row;
 *   status     the tool's words for active and closed; any other word rejects the row;
 *   billable   the list's yes/no when it has one; else billable unless the hours it lists as tracked are all
 *              non-billable (the evidence a time import would have: a project is billable when any entry is);
 *   budget     hours → budget_hours, money → contract_value; where another column names the unit (Harvest's
 *              Budget By), a word it does not know rejects the row rather than guessing; a budget of 0 is no
 *              budget (nothing can burn against zero hours), one that starts again each period (recurring) is
 *              not a project total and is left out; hours kept to 4 decimals and money to the cent, as stored;
 *              a negative or unreadable budget rejects the row.
 */
import { literal, type Warehouse } from '../../warehouse/warehouse.ts';
import { quoted, rowOrigin, stageRows, type Field } from './entries.ts';
import { cell, currencySql, dateSql, numberSql, yesNoSql, type DateOrder, type DecimalMark } from './parse.ts';
import { clientKey, projectKey } from './resolve.ts';
import type { SourceFile } from './source.ts';

export type ListKind = 'clients' | 'projects';

/** Words a tool writes in one column, by what they mean (compared trimmed, in any case). */
export interface Vocabulary<T extends string> {
    field: Field;
    words: Readonly<Record<T, readonly string[]>>;
}

export interface ListFields {
    kind: ListKind;
    client?: Field;
    project?: Field;
    code?: Field;
    startDate?: Field;
    endDate?: Field;
    status?: Vocabulary<'active' | 'closed'>;
    /** Yes/no: whether the project's time is billable. */
    billable?: Field;
    /** Hours tracked on the project, all and billable: the evidence of billability when there is no yes/no. */
    trackedHours?: Field;
    billableHours?: Field;
    budgetHours?: Field;
    budgetMoney?: Field;
    /** A budget whose unit another column names: the amount, and the unit's words. */
    budget?: { amount: Field } & Vocabulary<'hours' | 'money' | 'none'>;
    /** Yes/no: the budget starts again each period. */
    recurring?: Field;
    currency?: Field;
}

export interface ListStageOptions {
    dateOrder: DateOrder | null;
    decimal: DecimalMark;
    /** The file's place in the import (a later file's row for the same client or project wins). */
    fileNo: number;
}

export const LIST_ROWS = 'imp_list_rows';

/** The columns of a list whose cells are numbers and dates: what the decimal mark and date order are detected from. */
export function listNumbers(fields: ListFields): (Field | undefined)[] {
    return [fields.trackedHours, fields.billableHours, fields.budgetHours, fields.budgetMoney, fields.budget?.amount];
}
export function listDates(fields: ListFields): (Field | undefined)[] {
    return [fields.startDate, fields.endDate];
}

const inWords = (x: string, words: readonly string[]) => `lower(${x}) in (${words.map((w) => literal(w.toLowerCase())).join(', ') || 'null'})`;

/**
 * Stages one list's rows into imp_list_rows (created by the first file, appended to by the next). Columns: file,
 * file_no, __row, kind, reason (null: a client or project), client, project, project_code, billable, work_date (the
 * start date, as resolve.ts reads a first day), start_date, end_date, status, budget_hours, contract_value,
 * currency, quoted (what a report shows of the row).
 */
export async function stageList(warehouse: Warehouse, source: SourceFile, fields: ListFields, o: ListStageOptions, first: boolean): Promise<void> {
    const text = (f: Field | undefined) => (f ? cell(f.sql) : 'null::varchar');
    const label = (f: Field | undefined, fallback: string) => literal(f?.label ?? fallback);
    const number = (x: string) => numberSql(x, o.decimal);
    const { status, budget } = fields;
    const notNumber = (x: string, f: Field | undefined) =>
        `when ${x}_text is not null and ${number(`${x}_text`)} is null then ${label(f, x)} || ' ' || ${quoted(`${x}_text`)} || ' is not a number'`;
    const negative = (x: string, f: Field | undefined) => `when ${number(`${x}_text`)} < 0 then ${label(f, x)} || ' ' || ${quoted(`${x}_text`)} || ' is negative'`;
    const named = fields.kind === 'clients' ? fields.client : fields.project;
    const words = (v: Vocabulary<string>) => Object.entries(v.words).map(([k, ws]) => `${k}: ${ws.join(', ')}`).join('; ');
    const dateRead = o.dateOrder ? ` (read ${o.dateOrder === 'dmy' ? 'day-first' : 'month-first'})` : '';
    const sql = `
        with raw as (
            select
                __row,
                ${text(fields.client)} as client,
                ${text(fields.project)} as project,
                ${text(fields.code)} as project_code,
                ${text(fields.startDate)} as start_text,
                ${text(fields.endDate)} as end_text,
                ${text(status?.field)} as status_text,
                ${text(fields.billable)} as billable_text,
                ${text(fields.trackedHours)} as tracked_text,
                ${text(fields.billableHours)} as billable_hours_text,
                ${text(fields.budgetHours)} as hours_text,
                ${text(fields.budgetMoney)} as money_text,
                ${text(budget?.amount)} as amount_text,
                ${text(budget?.field)} as unit_text,
                ${text(fields.recurring)} as recurring_text,
                ${text(fields.currency)} as currency_text,
                coalesce(${source.header.map((_, i) => cell(`c${i}`)).join(', ')}) as any_cell
            from ${source.relation}
        ),

        parsed as (
            select
                *,
                ${dateSql('start_text', o.dateOrder)} as start_date,
                ${dateSql('end_text', o.dateOrder)} as end_date,
                case when status_text is null then null
                    ${status ? `when ${inWords('status_text', status.words.active)} then 'active' when ${inWords('status_text', status.words.closed)} then 'closed'` : ''}
                end::varchar as status,
                ${fields.billable ? yesNoSql('billable_text') : 'null::boolean'} as billable_given,
                case when unit_text is null then 'none'
                    ${budget ? `when ${inWords('unit_text', budget.words.hours)} then 'hours' when ${inWords('unit_text', budget.words.money)} then 'money' when ${inWords('unit_text', budget.words.none)} then 'none'` : ''}
                end::varchar as unit,
                ${fields.recurring ? `coalesce(${yesNoSql('recurring_text')}, true)` : 'false'} as recurring
            from raw
        ),

        judged as (
            select
                *,
                case
                    when any_cell is null then 'empty row'
                    when ${fields.kind === 'clients' ? 'client' : 'project'} is null then ${label(named, fields.kind === 'clients' ? 'client' : 'project')} || ' is empty'
                    when start_text is not null and start_date is null then ${label(fields.startDate, 'start')} || ' ' || ${quoted('start_text')} || ' is not a date' || ${literal(dateRead)}
                    when end_text is not null and end_date is null then ${label(fields.endDate, 'end')} || ' ' || ${quoted('end_text')} || ' is not a date' || ${literal(dateRead)}
                    when end_date < start_date then ${label(fields.endDate, 'end')} || ' ' || end_date || ' is before ' || ${label(fields.startDate, 'start')} || ' ' || start_date
                    when status_text is not null and status is null then ${label(status?.field, 'status')} || ' ' || ${quoted('status_text')} || ' is not a status (' || ${literal(status ? words(status) : '')} || ')'
                    when billable_text is not null and billable_given is null then ${label(fields.billable, 'billable')} || ' ' || ${quoted('billable_text')} || ' is not yes or no'
                    ${notNumber('tracked', fields.trackedHours)}
                    ${notNumber('billable_hours', fields.billableHours)}
                    ${notNumber('hours', fields.budgetHours)}
                    ${negative('hours', fields.budgetHours)}
                    ${notNumber('money', fields.budgetMoney)}
                    ${negative('money', fields.budgetMoney)}
                    when unit is null then ${label(budget?.field, 'unit')} || ' ' || ${quoted('unit_text')} || ' is not a budget in hours or in fees (' || ${literal(budget ? words(budget) : '')} || ')'
                    ${notNumber('amount', budget?.amount)}
                    ${negative('amount', budget?.amount)}
                end as reason
            from parsed
        ),

        final as (
            select
                ${rowOrigin(source, o.fileNo)},
                ${literal(fields.kind)} as kind,
                reason,
                coalesce(client, '') as client,
                coalesce(project, '') as project,
                project_code,
                coalesce(billable_given, not (${number('tracked_text')} > 0 and ${number('billable_hours_text')} = 0), true) as billable,
                start_date as work_date,
                start_date,
                end_date,
                status,
                case when not recurring then nullif(coalesce(case when unit = 'hours' then ${number('amount_text')} end, ${number('hours_text')}), 0)::decimal(18,4) end as budget_hours,
                case when not recurring then nullif(coalesce(case when unit = 'money' then ${number('amount_text')} end, ${number('money_text')}), 0)::decimal(18,2) end as contract_value,
                nullif(${currencySql('currency_text')}, '') as currency,
                concat_ws(', ', client, project, start_text, end_text, status_text, unit_text, amount_text, hours_text, money_text) as quoted
            from judged
        )

        select * from final`;
    await stageRows(warehouse, LIST_ROWS, sql, first);
}

/** The key a list row is one client or one project by: two rows with the same key are the same (the later wins). */
export function listRowKey(row: string): string {
    return `case when ${row}.kind = 'clients' then ${clientKey(`${row}.client`)} else ${projectKey(`${row}.client`, `${row}.project`)} end`;
}

/** Rows whose client or project resolved to nothing (the import creates none): rejected, naming it. */
export async function rejectUnresolvedRows(warehouse: Warehouse): Promise<void> {
    await warehouse.run(`
        update ${LIST_ROWS} r set reason = 'unknown client "' || c.name || '" (not created: map it, or allow creating)'
        from imp_clients c
        where r.reason is null and c.client_key = ${clientKey('r.client')} and c.client_id is null`);
    await warehouse.run(`
        update ${LIST_ROWS} r set reason = case when p.internal then 'unknown internal project "' || p.name || '"' else 'unknown project "' || p.name || '" of "' || p.client_name || '"' end || ' (not created: map it, or allow creating)'
        from imp_projects p
        where r.reason is null and r.kind = 'projects' and p.project_key = ${projectKey('r.client', 'r.project')} and p.project_id is null`);
}
