/**
 * A CSV from any other tool, with a column mapping: which header holds the person, e-mail, client, project, task,
 * description, tags, billable, start (a date, or a timestamp with or without offset), start time, end, end time,
 * duration and hours. The mapping is a JSON object from these names to header names
 * (`{"user": "Employee", "startDate": "Day", "hours": "Time"}`) given with the import (`--columns FILE`). Without one, headers named like the fields are taken (user,
 * user_name, name; email, user_email; start, start_date; end; duration; hours; …), which reads solidtime's
 * generic export.
 */
import type { EntryFieldName, EntryFields } from './import/entries.ts';
import { pick } from './import/fields.ts';
import { UsageError } from './files.ts';

export const GENERIC = 'generic';

/** The header names each field is found under when no mapping names it. */
const SYNONYMS: Record<EntryFieldName, string[]> = {
    id: ['id', 'entry_id', 'external_id'],
    user: ['user', 'user_name', 'name', 'person', 'employee', 'member'],
    email: ['email', 'user_email', 'e-mail'],
    client: ['client', 'customer', 'client_name'],
    project: ['project', 'project_name'],
    projectCode: ['project_code', 'code'],
    task: ['task', 'activity', 'issue'],
    description: ['description', 'notes', 'note', 'comment'],
    tags: ['tags', 'labels'],
    billable: ['billable', 'is_billable'],
    startDate: ['start', 'start_date', 'date', 'work_date', 'started_at', 'begin'],
    startTime: ['start_time', 'from'],
    endDate: ['end', 'end_date', 'ended_at', 'stop'],
    endTime: ['end_time', 'to'],
    duration: ['duration', 'time'],
    hours: ['hours', 'duration_hours'],
    currency: ['currency'],
    approved: ['approved'],
    role: ['role'],
};

export const GENERIC_FIELDS = Object.keys(SYNONYMS) as EntryFieldName[];

export type ColumnMapping = Partial<Record<EntryFieldName, string>>;

export function genericFields(header: readonly string[], mapping: ColumnMapping | null): EntryFields {
    const fields: EntryFields = {};
    for (const name of GENERIC_FIELDS) {
        const named = mapping?.[name];
        if (named !== undefined) {
            const found = pick(header, named);
            if (!found) throw new UsageError(`the column mapping names "${named}" for ${name}, but the file has no such column (it has: ${header.join(', ')})`);
            fields[name] = found;
        } else if (!mapping || Object.keys(mapping).length === 0) {
            const found = pick(header, ...SYNONYMS[name]);
            if (found) fields[name] = found;
        }
    }
    return fields;
}

/** A column mapping as given (JSON): only known field names, each a header name. */
export function parseColumnMapping(text: string): ColumnMapping {
    let parsed: unknown;
    try {
        parsed = JSON.parse(text);
    } catch {
        throw new UsageError('the column mapping is not JSON: give an object such as {"user": "Employee", "startDate": "Day", "hours": "Time"}');
    }
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new UsageError('the column mapping must be a JSON object of field → column name');
    const out: ColumnMapping = {};
    for (const [k, v] of Object.entries(parsed)) {
        if (!GENERIC_FIELDS.includes(k as EntryFieldName)) throw new UsageError(`the column mapping names an unknown field "${k}"; fields: ${GENERIC_FIELDS.join(', ')}`);
        if (typeof v !== 'string') throw new UsageError(`the column mapping's ${k} must be a column name (text)`);
        out[k as EntryFieldName] = v;
    }
    return out;
}
