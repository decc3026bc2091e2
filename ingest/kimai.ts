/**
 * Kimai timesheet export (CSV or XLSX) → canonical time entries. Kimai 2's columns: `Date,From,To,Duration,
 * Rate,…,User,…,Customer,Project,Activity,Description,Exported,Billable,Tags,…`, names in the account's language
 * (English and German headers are read). Duration is `h:mm` (or decimal hours, or seconds, by export setting);
 * From/To are clock times (an entry whose To is earlier than its From ran past midnight). An `ID` column, when the
 * export has it, gives the entry id; otherwise entries are fingerprinted. The activity becomes the task.
 */
import type { EntryFields } from './import/entries.ts';
import { has, pick } from './import/fields.ts';

export const KIMAI = 'kimai';

export function isKimai(header: readonly string[]): boolean {
    return (has(header, 'Date', 'From', 'To', 'Duration') && (has(header, 'Customer') || has(header, 'Activity'))) || has(header, 'Datum', 'Von', 'Bis', 'Dauer');
}

export function kimaiFields(header: readonly string[]): EntryFields {
    return {
        id: pick(header, 'ID'),
        user: pick(header, 'User', 'Name', 'Benutzer', 'Username'),
        email: pick(header, 'E-mail', 'Email', 'E-Mail'),
        client: pick(header, 'Customer', 'Kunde'),
        project: pick(header, 'Project', 'Projekt'),
        task: pick(header, 'Activity', 'Tätigkeit', 'Aktivität'),
        description: pick(header, 'Description', 'Beschreibung'),
        billable: pick(header, 'Billable', 'Abrechenbar'),
        startDate: pick(header, 'Date', 'Datum'),
        startTime: pick(header, 'From', 'Von', 'Begin', 'Beginn'),
        endTime: pick(header, 'To', 'Bis', 'End', 'Ende'),
        duration: pick(header, 'Duration', 'Dauer'),
        tags: pick(header, 'Tags', 'Schlagworte'),
        currency: pick(header, 'Currency', 'Währung'),
    };
}
