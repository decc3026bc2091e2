/**
 * One tool's time rows → staged entries: every source record parsed (dates in the file's order, clocks,
 * durations, yes/no) into one row of `imp_entries` with its reason when it cannot be an entry, and a stable
 * entry_id. The tool modules only say which column holds what (EntryFields); everything after is shared.
 *
 * Duration: the file's own duration column when it has one (what the tool totals), else decimal hours, else
 * end − start. An end time earlier than the start time on a row with no end date crosses midnight (+1 day).
 * An entry stays whole on the day it starts (work_date), whichever day it ends.
 *
 * entry_id: `<tool>-<id>` when the tool exports its own id. Otherwise a fingerprint, `<tool>-` and the first 20
 * hex digits of md5(person | start date | start time | client | project | task | description | duration), and
 * `-<n>` for the n-th (n ≥ 2) identical row of the same file: the same export loaded twice, or two exports whose
 * periods overlap, give the same ids, and two identical rows of one file stay two entries. Editing any of those
 * fields in the tool makes a new entry on the next import (the old one stays): without an id, nothing else can
 * tell an edited entry from a new one. Tags, billable and amounts are not part of it: changing them updates.
 */
import { literal, type Warehouse } from '../../warehouse/warehouse.ts';
import { cell, clockSql, currencySql, dateSql, durationSql, numberSql, timeOfTimestampSql, yesNoSql, zonedTimestampSql, type DateOrder, type DecimalMark } from './parse.ts';
import type { SourceFile } from './source.ts';

/** A source column (or an expression over several), and the header name reports call it by. */
export interface Field {
    sql: string;
    label: string;
}

export type EntryFieldName =
    | 'id'
    | 'email'
    | 'user'
    | 'client'
    | 'project'
    | 'projectCode'
    | 'task'
    | 'description'
    | 'tags'
    | 'billable'
    | 'startDate'
    | 'startTime'
    | 'endDate'
    | 'endTime'
    | 'duration'
    | 'hours'
    | 'currency'
    | 'approved'
    | 'role';

export type EntryFields = Partial<Record<EntryFieldName, Field>>;

export interface StageOptions {
    tool: string;
    dateOrder: DateOrder | null;
    decimal: DecimalMark;
    /** IANA zone the file's local times are in (and timestamps with an offset are shown in). Default UTC. */
    timeZone: string;
    /** The file's place in the import (a later file's version of an entry wins). */
    fileNo: number;
    /** Rows staged as entries may be rejected later (unknown people or projects, not created): quote every row. */
    quoteAll: boolean;
}

export const ENTRIES = 'imp_entries';

const clip = (v: string) => `(case when length(${v}) > 200 then left(${v}, 200) || '…' else ${v} end)`;
/** A cell as a report quotes it: in double quotes, cut at 200 characters. */
export const quoted = (v: string) => `'"' || ${clip(v)} || '"'`;

/** The columns a staged row starts with: its file's name and place in the import, and its row in the file. */
export function rowOrigin(source: SourceFile, fileNo: number): string {
    return `${literal(source.name)} as file, ${fileNo} as file_no, __row`;
}

/** Stages a file's rows into a temporary table: the import's first file creates it, the next ones append to it. */
export async function stageRows(warehouse: Warehouse, table: string, select: string, first: boolean): Promise<void> {
    await warehouse.run(first ? `create or replace temp table ${table} as ${select}` : `insert into ${table} ${select}`);
}

/**
 * Stages one file's rows into imp_entries (created by the first file, appended to by the next). Columns:
 * file, file_no, __row, reason (null: an entry), entry_id, fingerprint (of an entry without the tool's id),
 * person_key, person_name, email, role, client, project, project_code, task, notes, activity, billable, work_date, seconds, started_at, ended_at, logged_at, status,
 * currency.
 */
export async function stageEntries(warehouse: Warehouse, source: SourceFile, fields: EntryFields, o: StageOptions, first: boolean): Promise<void> {
    const f = (name: EntryFieldName) => (fields[name] ? cell(fields[name].sql) : 'null::varchar');
    const label = (name: EntryFieldName) => literal(fields[name]?.label ?? name);
    const tz = literal(o.timeZone);
    // A zoned timestamp is longer than a date: the length spares the pattern on date-only cells.
    const hasZone = (x: string) => `length(coalesce(${x}, '')) > 10 and regexp_matches(coalesce(${x}, ''), '\\d:\\d{2}(:\\d{2}(\\.\\d+)?)?\\s*(Z|[+-]\\d{2}(:?\\d{2})?)$')`;
    const zoned = zonedTimestampSql;
    const sql = `
        with raw as (
            select
                __row,
                ${cell('c0')} as first_cell,
                ${f('id')} as id,
                lower(${f('email')}) as email,
                ${f('user')} as person_name,
                ${f('client')} as client,
                ${f('project')} as project,
                ${f('projectCode')} as project_code,
                ${f('task')} as task,
                ${f('description')} as description,
                ${f('tags')} as tags,
                ${f('billable')} as billable_text,
                ${f('startDate')} as start_date_text,
                ${fields.startTime ? f('startTime') : 'null::varchar'} as start_time_text,
                ${f('endDate')} as end_date_text,
                ${fields.endTime ? f('endTime') : 'null::varchar'} as end_time_text,
                ${f('duration')} as duration_text,
                ${f('hours')} as hours_text,
                ${f('currency')} as currency_text,
                ${f('approved')} as approved_text,
                ${f('role')} as role
            from ${source.relation}
        ),

        parsed as (
            select
                *,
                case when ${hasZone('start_date_text')} then (${zoned('start_date_text')} at time zone ${tz})::date else ${dateSql('start_date_text', o.dateOrder)} end as start_day,
                case when ${hasZone('start_date_text')} then epoch((${zoned('start_date_text')} at time zone ${tz})::time)::integer
                    when start_time_text is not null then ${clockSql('start_time_text')}
                    else ${timeOfTimestampSql('start_date_text')} end as start_clock,
                start_time_text is not null or regexp_matches(coalesce(start_date_text, ''), '\\d:\\d{2}') as start_clock_given,
                case when ${hasZone('end_date_text')} then (${zoned('end_date_text')} at time zone ${tz})::date else ${dateSql('end_date_text', o.dateOrder)} end as end_day,
                case when ${hasZone('end_date_text')} then epoch((${zoned('end_date_text')} at time zone ${tz})::time)::integer
                    when end_time_text is not null then ${clockSql('end_time_text')}
                    else ${timeOfTimestampSql('end_date_text')} end as end_clock,
                end_time_text is not null or regexp_matches(coalesce(end_date_text, ''), '\\d:\\d{2}') as end_clock_given,
                ${durationSql('duration_text', o.decimal)} as duration_given,
                round(${numberSql('hours_text', o.decimal)} * 3600)::bigint as duration_hours,
                ${yesNoSql('billable_text')} as billable,
                ${yesNoSql('approved_text')} as approved
            from raw
        ),

        timed as (
            select
                *,
                case when start_clock is not null then start_day + to_seconds(start_clock) end as start_local,
                case
                    when end_clock is null then null
                    when end_day is not null then end_day + to_seconds(end_clock)
                    when start_clock is not null then start_day + to_seconds(end_clock) + case when end_clock < start_clock then interval 1 day else interval 0 day end
                end as end_local
            from parsed
        ),

        measured as (
            select
                *,
                coalesce(duration_given, duration_hours, epoch(end_local - start_local)::bigint) as seconds
            from timed
        ),

        judged as (
            select
                *,
                case
                    when start_day is null and regexp_matches(lower(coalesce(first_cell, person_name, project, '')), '^(total|totals|sum|gesamt|summe|totaal)\\b')
                        then 'totals row (not an entry)'
                    when coalesce(person_name, email, client, project, description, start_date_text, duration_text, hours_text) is null then 'empty row'
                    when person_name is null and email is null then ${literal(`no person: ${[fields.user?.label, fields.email?.label].filter(Boolean).join(' and ')} empty`)}
                    when start_date_text is null then ${label('startDate')} || ' is empty'
                    when start_day is null then ${label('startDate')} || ' ' || ${quoted('start_date_text')} || ' is not a date' ||
                        ${o.dateOrder ? `' (read ' || ${literal(o.dateOrder === 'dmy' ? 'day-first' : 'month-first')} || ')'` : `''`}
                    when start_clock_given and start_clock is null then ${label('startTime')} || ' ' || ${quoted(`coalesce(start_time_text, start_date_text)`)} || ' is not a time of day'
                    when end_date_text is not null and end_day is null then ${label('endDate')} || ' ' || ${quoted('end_date_text')} || ' is not a date'
                    when end_clock_given and end_clock is null then ${label('endTime')} || ' ' || ${quoted(`coalesce(end_time_text, end_date_text)`)} || ' is not a time of day'
                    when duration_text is not null and duration_given is null then ${label('duration')} || ' ' || ${quoted('duration_text')} || ' is not a duration'
                    when hours_text is not null and duration_given is null and duration_hours is null then ${label('hours')} || ' ' || ${quoted('hours_text')} || ' is not a number of hours'
                    when seconds is null then 'no duration: ' || ${label('duration')} || ' is empty and there is no end time'
                    when seconds < 0 then 'negative duration (ends before it starts)'
                    when seconds > 86400 then 'more than 24 h in one entry (' || seconds || ' s)'
                    when billable is null then ${label('billable')} || ' ' || ${quoted('billable_text')} || ' is not yes or no'
                end as reason
            from measured
        ),

        keyed as (
            select
                *,
                coalesce(email, 'name:' || lower(person_name)) as person_key,
                md5(concat_ws('|', coalesce(email, lower(person_name)), start_day, start_clock, client, project, task, description, seconds)) as fingerprint,
                -- each once: the expressions below name them several times
                lower(concat_ws(' ', task, tags, description)) as activity_text,
                case when start_local is not null then timezone(${tz}, start_local) end as started_zoned,
                case when end_local is not null then timezone(${tz}, end_local) end as ended_zoned
            from judged
        ),

        final as (
            select
                ${rowOrigin(source, o.fileNo)},
                reason,
                -- the n-th identical row's -<n> is added below, to the few rows that repeat one
                case when reason is null then ${literal(o.tool)} || '-' || coalesce(id, left(fingerprint, 20)) end as entry_id,
                case when reason is null and id is null then fingerprint end as fingerprint,
                person_key,
                coalesce(person_name, email) as person_name,
                email,
                role,
                coalesce(client, '') as client,
                coalesce(project, '') as project,
                project_code,
                task,
                nullif(concat_ws(' ', description, case when tags is not null then '[' || tags || ']' end), '') as notes,
                ${activitySql('activity_text')} as activity,
                coalesce(billable, false) as billable,
                start_day as work_date,
                seconds,
                started_zoned as started_at,
                coalesce(ended_zoned, started_zoned + to_seconds(seconds)) as ended_at,
                coalesce(ended_zoned, started_zoned + to_seconds(seconds), timezone(${tz}, start_day::timestamp + to_seconds(coalesce(seconds, 0)))) as logged_at,
                case when approved then 'approved' else 'submitted' end as status,
                ${currencySql('currency_text')} as currency,
                -- what the report quotes of a rejected row
                case when ${o.quoteAll ? 'true' : 'reason is not null'} then concat_ws(', ', start_date_text, start_time_text, duration_text, hours_text, person_name, project) end as quoted
            from keyed
        )

        select * from final`;
    await stageRows(warehouse, ENTRIES, sql, first);
    // Identical rows of the file: the second and later ones, in file order, get -<n>. Numbered by a window
    // over the rows whose fingerprint's hash repeats only (a superset of the identical rows; a window over
    // every row costs more than the rest of the staging).
    await warehouse.run(
        `update ${ENTRIES} e set entry_id = e.entry_id || '-' || d.n
        from (
            select __row, row_number() over (partition by fingerprint order by __row) as n
            from ${ENTRIES}
            where file_no = $1 and fingerprint is not null and hash(fingerprint) in (
                select hash(fingerprint) as h from ${ENTRIES} where file_no = $1 and fingerprint is not null group by h having count(*) > 1
            )
        ) d
        where e.file_no = $1 and e.__row = d.__row and d.n > 1`,
        [o.fileNo],
    );
}

/**
 * The activity of an imported entry, from its task, tags and description (first match): meeting (meeting,
 * call, standup, sync, interview, workshop), qa (review, test, QA, bug), pm (planning, project management,
 * estimate), admin (admin, e-mail, seminar, training, holiday), else development.
 */
function activitySql(text: string): string {
    const words = {
        meeting: 'meeting|meetings|call|calls|standup|stand-up|sync|interview|workshop|besprechung',
        qa: 'review|reviews|test|tests|testing|qa|bug|bugs',
        pm: 'planning|plan|project management|estimate|estimation|pm',
        admin: 'admin|administration|e-mail|email|seminar|seminars|training|holiday',
    };
    const any = (w: string) => `regexp_matches(${text}, '\\b(${w})\\b')`;
    // Text with none of the words (the common case) is told so by one pattern rather than by four.
    return `(case
        when not ${any(Object.values(words).join('|'))} then 'development'
        ${Object.entries(words).map(([activity, w]) => `when ${any(w)} then '${activity}'`).join('\n        ')}
        else 'development' end)`;
}
