/**
 * CESAW → canonical files: the documented mapping of the SEI's Team Software Process time logs
 * (../shared/datasets/cesaw, see its SOURCE.md) to the canonical entities of PRODUCT.md.
 *
 *   mapCesaw(scratch, datasetDir, outDir)  writes people.csv, clients.csv, projects.csv, plan_lines.csv and
 *                                          time_entries.csv (exactly the columns of ingest/entities.ts, in order;
 *                                          time_entries with duration_seconds) and returns the accounting.
 *   importCesaw(warehouse, datasetDir)     maps into a temporary folder with a scratch in-memory DuckDB and
 *                                          loads the files into `warehouse` through ingest/canonical.ts.
 *
 * All the work is SQL run by DuckDB through a Warehouse (read_csv with explicit column types, then
 * `copy (...) to`); no row of the source passes through JavaScript. Only the reported rows (a handful) and the
 * accounting totals come back to JavaScript.
 *
 * ## Accounting (the contract)
 * Every one of the source's time logs is either loaded or reported with its reason, its minutes and its line in
 * CESAW_time_fact.csv (line 1 is the header), and
 *     loaded_seconds / 60 + reported_minutes = source_minutes = Σ time_log_delta_minutes   (exactly; 7,920,236)
 *     loaded_rows + reported.length          = source_rows                                  (203,621)
 * A log is reported only when it cannot be placed on a calendar day or cannot fit in one:
 *   - a start or end date that is missing (`\N`), unparseable, or outside 1970-01-01..2099-12-31
 *     (CESAW has one log without dates, key 377553 (60 min), and one dated 0016-01-11, key 640359 (112 min). The
 *     latter's project ran 7/2015–2/2016, so it is probably 2016-01-11, but we do not guess: it is reported);
 *   - ends before it starts; negative or missing minutes; no person or project; a time_log_fact_key seen on an
 *     earlier line (CESAW has none; the keys become entry ids);
 *   - a day's share would exceed 24 h (86,400 s). That needs more delta minutes than wall-clock time across
 *     the days, and never happens in CESAW (see below).
 * Zero-minute logs (990 in CESAW) are possible — a timer started and stopped — so they load (with
 * duration_seconds 0); the product flags them for review.
 *
 * ## Time entries
 * - Dates are US `M/D/YYYY H:MM` (one log and one task use `YYYY-MM-DD HH:MM:SS`, accepted too). They are local
 *   wall-clock times without an offset; we keep them as they are and write them with `+00:00`, so a work_date
 *   is the calendar day of the local time. (The data was recorded in a zone with US daylight saving: log 428772
 *   runs 11/2/2014 1:16 → 1:16 with 60 delta minutes, the hour repeated at the fall-back, and log 430451 spans the
 *   same night with a wall time 60 minutes short of delta + interruptions. We do not guess the zone.)
 * - Durations are whole seconds: duration_seconds = time_log_delta_minutes × 60, so nothing is rounded.
 *   Delta minutes exclude interruptions, so they differ from end − start; the delta is what was worked.
 * - A log whose wall-clock interval covers more than one calendar day is split into one entry per calendar day
 *   (1,141 logs; another 35 end exactly at midnight and stay whole; 14 of the split ones have more than 24 h of
 *   delta minutes, the longest 3,360 minutes from 3/14/2013 14:37 to 3/16/2013 22:37). Its
 *   delta × 60 seconds are shared among the days in proportion to the wall-clock seconds of the interval that fall
 *   in each day, in whole seconds, by largest remainder (ties to the earlier day), so the pieces sum exactly to
 *   delta × 60. A log that ends exactly at midnight does not get an empty piece on the next day. Each piece's
 *   started_at/ended_at are its own bounds within the day (e.g. 14:37 → 24:00, written as the next day's
 *   T00:00:00). Because delta ≤ wall-clock time for every multi-day log in CESAW, no piece exceeds its own
 *   wall-clock time, hence none exceeds 86,400 s. Should a log ever carry more delta than fits (a piece over
 *   86,400 s), we do not invent another distribution: the whole log is reported ("more than 24 h on one day").
 *   Pieces can be 0 s: a zero-minute log that crosses midnight (6 do; 595778 spans five days) gives a 0 s piece
 *   on each day, and a short delta over a long interval can leave a day with 0 s.
 * - entry_id: `cesaw-<time_log_fact_key>` for a one-day log; `cesaw-<key>-1`, `cesaw-<key>-2` … for the pieces
 *   of a split log, in day order. All CESAW ids carry the `cesaw-` prefix so they cannot collide with another
 *   source's ids in the same warehouse. notes is empty except on pieces ("part i of n of CESAW time log <key>").
 * - phase = phase_short_name (as in the task file, so plan and actual meet on the same names);
 *   task = plan_item_key; source = 'cesaw'; status = approved (the logs are a closed project's record) with
 *   approved_by/approved_at empty (CESAW has no approver); billable = false (no rates, see projects);
 *   logged_at = the log's end (for every piece of a split log); started_at/ended_at as above.
 * - activity, from the phase (rules in ACTIVITY_SQL, first match wins; the check script prints the result):
 *   Misc → admin; Planning, Postmortem, Strategy, Launch, *-PM, *-Plan, approvals → pm; Demo-Demo → meeting;
 *   Test Devel / Unit Test Devel (writing tests, "construction" in Jones's analysis) → development;
 *   inspections, reviews, tests (Inspect, INSP, Review, Test, IT, DOC-PR, QMSRW, DocVer-*) → qa;
 *   everything else (Reqts, HLD, Design, Code, Compile, Ident, Documentation, Work, Task, …) → development.
 *
 * ## People, clients, projects, plan lines
 * - people: every person_key of the logs or the tasks (248: 246 log, 247 have tasks) → person_id `cesaw-<person_key>`, name
 *   "CESAW person <key>", no email. CESAW has no roles: role is the placeholder `engineer` for everyone (and for
 *   the plan lines), so estimate-vs-actual by role has a single role. department = "team <team_key>" (the team
 *   of most of the person's logs, else tasks; one person worked in two teams). start_date/end_date = the first
 *   and last day the person logged time or started/completed a task — the span we observe, not employment.
 * - clients: one per organization of the time logs (A/B/C/D) → `cesaw-A` … "CESAW organization A", currency
 *   USD (a placeholder: CESAW has no money). The 29 logs with an empty organization all belong to project 180,
 *   whose other logs say B, so the project's organization is B (what Jones's recoding of empty → "B" gives too).
 *   A project's organization is the most common one of its logs; the 6 projects without logs take it from their
 *   team (teams never span organizations); a project with neither would go to client `cesaw-unknown`.
 * - projects: every project_key of the logs or the tasks (45; the 6 without logs still have plan lines) →
 *   `cesaw-<project_key>`, code = project_key, name "CESAW project <key>", project_type `tsp`, status closed,
 *   no manager, budget or contract value. billing_model = non_billable: CESAW has no rates, contracts or
 *   invoices, and the organizations are the developing firms rather than paying clients; non_billable keeps
 *   these hours out of the money metrics (which would otherwise show them as unpriced client work) while
 *   estimate-vs-actual, which works on closed projects of any billing model, uses them fully.
 *   start_date/end_date = the first and last day of the project's logs and tasks.
 * - plan_lines: one per (project, phase_short_name, role `engineer`) over ALL tasks of CESAW_task_fact.csv
 *   (including tasks never logged against), estimated_hours = Σ task_plan_time_minutes / 60 rounded to 4
 *   decimals (decimal(18,4) in the warehouse: at most 0.18 s off per line; the plan minutes themselves carry up
 *   to 9 decimals), baseline = true. The 40 tasks without a phase (`\N`, in 13 projects; plan 0 except 400
 *   minutes in project 72) go to phase "(no phase)" so each project's total plan stays whole.
 *
 * ## What loads but will be flagged
 * Logs of one person overlap: on 159 person-days the entries add up to more than 12 h, on 10 to more than 24 h
 * (person 995 on 2014-09-15: 35 logs started a minute apart, 109 h in all — a backfilled plan, not a timer).
 * Each entry is ≤ 24 h, so canonical ingest accepts them; the review pass flags > 12 h days and overlapping
 * intervals. 990 entries of 0 s (and the 0 s pieces above) are flagged likewise.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { literal, Warehouse } from '../warehouse/warehouse.ts';
import { ingestFiles, type IngestOptions, type IngestReport } from './canonical.ts';
import { resolveInputs } from './files.ts';
import { checkHeader, DATE_FROM, DATE_TO, parseTs, plausible, readCsv, TASK_COLUMNS, TIME_LOG_COLUMNS } from './cesaw/source-csv.ts';

export const CESAW_FILES = { timeLogs: 'CESAW_time_fact.csv', tasks: 'CESAW_task_fact.csv' } as const;
export const CESAW_SOURCE = 'cesaw';
export const CESAW_ROLE = 'engineer';
export const NO_PHASE = '(no phase)';

export interface ReportedLog {
    time_log_fact_key: string;
    minutes: number;
    reason: string;
    /** Line in CESAW_time_fact.csv (the header is line 1). */
    line: number;
}

export interface CesawAccounting {
    source_rows: number;
    source_minutes: number;
    /** Source rows loaded (a split log counts once). */
    loaded_rows: number;
    /** Time entries written, after splitting logs by calendar day. */
    entries_written: number;
    loaded_seconds: number;
    reported: ReportedLog[];
    reported_minutes: number;
    /** Loaded logs that span more than one calendar day (each became several entries). */
    split_rows: number;
    zero_minute_rows: number;
    people: number;
    clients: number;
    projects: number;
    plan_lines: number;
    /** Σ task_plan_time_minutes of the task file, and Σ estimated_hours × 60 as written (rounded to 4 decimals of hours). */
    plan_source_minutes: number;
    plan_written_minutes: number;
    /** The files written, by entity. */
    files: Record<'people' | 'clients' | 'projects' | 'plan_lines' | 'time_entries', string>;
}

const MAX_SECONDS = 86_400;

/** Phase → activity as SQL over the column `p` (phase_short_name); the first matching rule wins (see the header). */
export const ACTIVITY_SQL = `case
    when p = 'Misc' then 'admin'
    when p in ('Planning', 'Postmortem', 'Strategy', 'Launch', 'DPC-QMSAppr', 'EnvUp-Approval')
        or regexp_matches(p, '-(PM|Plan)$') then 'pm'
    when p = 'Demo-Demo' then 'meeting'
    when p in ('Test Devel', 'Unit Test Devel') then 'development'
    when regexp_matches(lower(p), 'insp|review|test|^it$|-pr$|qmsrw|^docver-') then 'qa'
    else 'development'
end`;

const iso = (ts: string): string => `strftime(${ts}, '%Y-%m-%dT%H:%M:%S+00:00')`;

/**
 * Maps the CESAW files in datasetDir to canonical CSV files in outDir (created if needed; existing files of
 * the same names are replaced), using `scratch` (e.g. `Warehouse.open(':memory:')`) for the work. Its temp
 * tables are dropped afterwards.
 */
export async function mapCesaw(scratch: Warehouse, datasetDir: string, outDir: string): Promise<CesawAccounting> {
    const logFile = path.resolve(datasetDir, CESAW_FILES.timeLogs);
    const taskFile = path.resolve(datasetDir, CESAW_FILES.tasks);
    checkHeader(logFile, TIME_LOG_COLUMNS);
    checkHeader(taskFile, TASK_COLUMNS);
    fs.mkdirSync(outDir, { recursive: true });
    const out = (name: string): string => path.resolve(outDir, `${name}.csv`);
    const files = {
        people: out('people'),
        clients: out('clients'),
        projects: out('projects'),
        plan_lines: out('plan_lines'),
        time_entries: out('time_entries'),
    };
    const run = (sql: string): Promise<void> => scratch.run(sql);

    // Source rows in file order: a fresh table's rowid follows insertion order, and the file has no quoted
    // line breaks (checked by the check script), so line = rowid + 2.
    await run(`create or replace temp table cesaw_raw_log as select * from ${readCsv(logFile, TIME_LOG_COLUMNS)}`);
    await run(`create or replace temp table cesaw_raw_task as select * from ${readCsv(taskFile, TASK_COLUMNS)}`);

    await run(`
        create or replace temp table cesaw_log as
        select
            rowid + 2 as line,
            time_log_fact_key as log_key,
            organization as org,
            project_key, person_key, team_key, plan_item_key,
            phase_short_name as phase,
            time_log_start_date as start_raw,
            time_log_end_date as end_raw,
            time_log_delta_minutes as minutes,
            ${parseTs('time_log_start_date')} as s,
            ${parseTs('time_log_end_date')} as e,
            min(rowid + 2) over (partition by time_log_fact_key) as first_line
        from cesaw_raw_log`);
    await run(`alter table cesaw_log add column reason varchar`);
    await run(`
        update cesaw_log set reason = case
            when log_key is null then 'no time_log_fact_key'
            when first_line < line then 'duplicate time_log_fact_key (first on line ' || first_line || ')'
            when minutes is null then 'no minutes'
            when minutes < 0 then 'negative minutes'
            when start_raw is null and end_raw is null then 'no start or end date'
            when start_raw is null then 'no start date'
            when end_raw is null then 'no end date'
            when s is null then 'unparseable start date: ' || start_raw
            when e is null then 'unparseable end date: ' || end_raw
            when not ${plausible('s')} or not ${plausible('e')}
                then 'dated outside ${DATE_FROM}..${DATE_TO} (year ' || year(s) || '): ' || start_raw || ' → ' || end_raw
            when e < s then 'ends before it starts'
            when person_key is null then 'no person'
            when project_key is null then 'no project'
        end`);

    // One piece per calendar day of the wall-clock interval; delta seconds shared by largest remainder.
    await run(`
        create or replace temp table cesaw_piece as
        with dated as (
            select *,
                s::date as first_day,
                case when e > s and e = date_trunc('day', e) then e::date - 1 else e::date end as last_day,
                date_diff('second', s, e) as wall
            from cesaw_log where reason is null
        ),
        days as (
            select line, minutes, s, e, wall, first_day, last_day - first_day + 1 as n,
                unnest(range(0, last_day - first_day + 1)) as i
            from dated
        ),
        shares as (
            select *,
                greatest(s, (first_day + i::integer)::timestamp) as piece_start,
                least(e, (first_day + i::integer + 1)::timestamp) as piece_end,
                (minutes::bigint * 60) * date_diff('second', greatest(s, (first_day + i::integer)::timestamp),
                    least(e, (first_day + i::integer + 1)::timestamp)) as weighted
            from days
        ),
        floors as (
            select *,
                case when n = 1 then minutes::bigint * 60 else weighted // wall end as base,
                case when n = 1 then 0 else weighted % wall end as remainder
            from shares
        ),
        ranked as (
            select *,
                minutes::bigint * 60 - sum(base) over (partition by line) as leftover,
                row_number() over (partition by line order by remainder desc, i) as rank
            from floors
        )
        select line, i::integer + 1 as piece, n::integer as pieces, (first_day + i::integer) as work_date,
            piece_start, piece_end, (base + case when rank <= leftover then 1 else 0 end)::bigint as seconds
        from ranked`);
    await run(`
        update cesaw_log set reason = 'more than 24 h on one day (' || minutes || ' delta minutes over ' ||
            date_diff('minute', s, e) || ' wall-clock minutes)'
        where reason is null and line in (select line from cesaw_piece where seconds > ${MAX_SECONDS})`);
    await run(`delete from cesaw_piece where line in (select line from cesaw_log where reason is not null)`);

    // Days each person and project was seen: loaded pieces, plus task start/completion when plausible.
    await run(`
        create or replace temp table cesaw_task as
        select project_key, person_key, team_key, phase_short_name as phase, task_plan_time_minutes as plan_minutes,
            ${parseTs('task_actual_start_date')} as ts_start, ${parseTs('task_actual_complete_date')} as ts_end
        from cesaw_raw_task`);
    await run(`
        create or replace temp table cesaw_seen as
        select l.person_key, l.project_key, l.team_key, p.work_date as day, 1 as from_log
        from cesaw_piece p join cesaw_log l using (line)
        union all
        select person_key, project_key, team_key, d, 0
        from (select person_key, project_key, team_key, unnest([ts_start, ts_end])::date as d from cesaw_task)
        where d between date '${DATE_FROM}' and date '${DATE_TO}'`);

    await run(`
        create or replace temp table cesaw_project as
        with keys as (
            select project_key from cesaw_log where project_key is not null
            union select project_key from cesaw_task where project_key is not null
        ),
        log_org as (
            select project_key, org from cesaw_log where org is not null
            group by project_key, org qualify row_number() over (partition by project_key order by count(*) desc, org) = 1
        ),
        team_org as (
            select team_key, org from cesaw_log where org is not null and team_key is not null
            group by team_key, org qualify row_number() over (partition by team_key order by count(*) desc, org) = 1
        ),
        task_org as (
            select t.project_key, o.org from cesaw_task t join team_org o using (team_key)
            group by t.project_key, o.org qualify row_number() over (partition by t.project_key order by count(*) desc, o.org) = 1
        ),
        span as (select project_key, min(day) as first_day, max(day) as last_day from cesaw_seen group by all)
        select k.project_key, coalesce(l.org, t.org, 'unknown') as org, span.first_day, span.last_day
        from keys k left join log_org l using (project_key) left join task_org t using (project_key)
            left join span using (project_key)`);
    const undated = await scratch.all<{ project_key: string }>(
        `select project_key from cesaw_project where first_day is null order by project_key`,
    );
    if (undated.length > 0) {
        throw new Error(`CESAW projects without any plausible date (start_date is required): ${undated.map((r) => r.project_key).join(', ')}`);
    }

    await run(`
        copy (
            with keys as (
                select person_key from cesaw_log where person_key is not null
                union select person_key from cesaw_task where person_key is not null
            ),
            team as (
                select person_key, team_key from cesaw_seen where team_key is not null group by person_key, team_key
                qualify row_number() over (partition by person_key order by max(from_log) desc, count(*) desc, team_key) = 1
            ),
            span as (select person_key, min(day) as first_day, max(day) as last_day from cesaw_seen group by all)
            select 'cesaw-' || k.person_key as person_id, 'CESAW person ' || k.person_key as name, null::varchar as email,
                '${CESAW_ROLE}' as role, 'team ' || team.team_key as department,
                span.first_day as start_date, span.last_day as end_date
            from keys k left join team using (person_key) left join span using (person_key)
            order by try_cast(k.person_key as bigint), k.person_key
        ) to ${literal(files.people)} (header, delimiter ',')`);

    await run(`
        copy (
            select distinct 'cesaw-' || org as client_id,
                case when org = 'unknown' then 'CESAW organization unknown' else 'CESAW organization ' || org end as name,
                'USD' as currency
            from cesaw_project order by client_id
        ) to ${literal(files.clients)} (header, delimiter ',')`);

    await run(`
        copy (
            select 'cesaw-' || project_key as project_id, 'cesaw-' || org as client_id, project_key as code,
                'CESAW project ' || project_key as name, 'non_billable' as billing_model, 'tsp' as project_type,
                null::varchar as manager_id, first_day as start_date, last_day as end_date, 'closed' as status,
                null::decimal(18,4) as budget_hours, null::decimal(18,2) as contract_value
            from cesaw_project order by try_cast(project_key as bigint), project_key
        ) to ${literal(files.projects)} (header, delimiter ',')`);

    await run(`
        copy (
            select 'cesaw-' || project_key as project_id, phase, '${CESAW_ROLE}' as role,
                round(coalesce(sum(plan_minutes), 0) / 60, 4)::decimal(18,4) as estimated_hours, true as baseline
            from (select project_key, coalesce(phase, '${NO_PHASE}') as phase, plan_minutes from cesaw_task where project_key is not null)
            group by project_key, phase order by try_cast(project_key as bigint), project_key, phase
        ) to ${literal(files.plan_lines)} (header, delimiter ',')`);

    await run(`
        create or replace temp table cesaw_activity as
        select p as phase, ${ACTIVITY_SQL} as activity
        from (select distinct phase as p from cesaw_log where phase is not null)`);
    await run(`
        copy (
            select
                case when p.pieces = 1 then 'cesaw-' || l.log_key else 'cesaw-' || l.log_key || '-' || p.piece end as entry_id,
                'cesaw-' || l.person_key as person_id,
                'cesaw-' || l.project_key as project_id,
                l.phase,
                l.plan_item_key as task,
                coalesce(a.activity, 'development') as activity,
                p.work_date,
                p.seconds as duration_seconds,
                false as billable,
                case when p.pieces > 1 then 'part ' || p.piece || ' of ' || p.pieces || ' of CESAW time log ' || l.log_key end as notes,
                '${CESAW_SOURCE}' as source,
                ${iso('l.e')} as logged_at,
                'approved' as status,
                null::varchar as approved_by,
                null::varchar as approved_at,
                ${iso('p.piece_start')} as started_at,
                ${iso('p.piece_end')} as ended_at
            from cesaw_piece p join cesaw_log l using (line) left join cesaw_activity a on a.phase = l.phase
            order by l.line, p.piece
        ) to ${literal(files.time_entries)} (header, delimiter ',')`);

    const totals = await scratch.one<Pick<CesawAccounting, 'source_rows' | 'source_minutes' | 'loaded_rows' | 'split_rows' | 'zero_minute_rows' | 'reported_minutes'>>(`
        select count(*)::bigint as source_rows,
            coalesce(sum(minutes), 0)::bigint as source_minutes,
            count(*) filter (where reason is null)::bigint as loaded_rows,
            count(*) filter (where reason is null and line in (select line from cesaw_piece where pieces > 1))::bigint as split_rows,
            count(*) filter (where reason is null and minutes = 0)::bigint as zero_minute_rows,
            coalesce(sum(minutes) filter (where reason is not null), 0)::bigint as reported_minutes
        from cesaw_log`);
    const pieces = await scratch.one<{ entries: number; seconds: number }>(
        `select count(*)::bigint as entries, coalesce(sum(seconds), 0)::bigint as seconds from cesaw_piece`,
    );
    const reported = await scratch.all<ReportedLog>(`
        select coalesce(log_key, '') as time_log_fact_key, coalesce(minutes, 0)::bigint as minutes, reason, line::bigint as line
        from cesaw_log where reason is not null order by line`);
    const counts = await scratch.one<Pick<CesawAccounting, 'people' | 'clients' | 'projects' | 'plan_lines' | 'plan_source_minutes' | 'plan_written_minutes'>>(`
        select
            (select count(*) from read_csv(${literal(files.people)}, header = true, all_varchar = true))::bigint as people,
            (select count(*) from read_csv(${literal(files.clients)}, header = true, all_varchar = true))::bigint as clients,
            (select count(*) from cesaw_project)::bigint as projects,
            (select count(*) from read_csv(${literal(files.plan_lines)}, header = true, all_varchar = true))::bigint as plan_lines,
            (select sum(plan_minutes)::double from cesaw_task) as plan_source_minutes,
            (select sum(estimated_hours::decimal(18,4) * 60)::double
                from read_csv(${literal(files.plan_lines)}, header = true, all_varchar = true)) as plan_written_minutes`);

    for (const table of ['raw_log', 'raw_task', 'log', 'piece', 'task', 'seen', 'project', 'activity']) {
        await run(`drop table if exists cesaw_${table}`);
    }

    if (!totals || !pieces || !counts) throw new Error('CESAW accounting queries returned nothing');
    return {
        source_rows: totals.source_rows,
        source_minutes: totals.source_minutes,
        loaded_rows: totals.loaded_rows,
        entries_written: pieces.entries,
        loaded_seconds: pieces.seconds,
        reported,
        reported_minutes: totals.reported_minutes,
        split_rows: totals.split_rows,
        zero_minute_rows: totals.zero_minute_rows,
        people: counts.people,
        clients: counts.clients,
        projects: counts.projects,
        plan_lines: counts.plan_lines,
        plan_source_minutes: counts.plan_source_minutes,
        plan_written_minutes: counts.plan_written_minutes,
        files,
    };
}

/** The accounting invariant; returns the problems (empty when it holds). */
export function accountingProblems(a: CesawAccounting): string[] {
    const problems: string[] = [];
    if (a.loaded_rows + a.reported.length !== a.source_rows) {
        problems.push(`rows: ${a.loaded_rows} loaded + ${a.reported.length} reported ≠ ${a.source_rows} in the source`);
    }
    if (a.loaded_seconds % 60 !== 0 || a.loaded_seconds / 60 + a.reported_minutes !== a.source_minutes) {
        problems.push(`minutes: ${a.loaded_seconds} s / 60 + ${a.reported_minutes} reported ≠ ${a.source_minutes} in the source`);
    }
    const listed = a.reported.reduce((sum, r) => sum + r.minutes, 0);
    if (listed !== a.reported_minutes) problems.push(`reported minutes listed (${listed}) ≠ reported_minutes (${a.reported_minutes})`);
    return problems;
}

export interface CesawImport {
    accounting: CesawAccounting;
    /** The canonical ingest of the mapped files: all-or-nothing, rejects listed by file, line, column. */
    ingest: IngestReport;
}

/**
 * Maps the CESAW dataset in datasetDir (with a scratch in-memory DuckDB, into a temporary folder) and loads
 * the canonical files into `warehouse` in one canonical ingest (one transaction). Loading it again changes
 * nothing (same ids, same values). The temporary folder is removed afterwards.
 */
export async function importCesaw(warehouse: Warehouse, datasetDir: string, options: IngestOptions = {}): Promise<CesawImport> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'realize-cesaw-'));
    try {
        const scratch = await Warehouse.open(':memory:', { migrate: false });
        let accounting: CesawAccounting;
        try {
            accounting = await mapCesaw(scratch, datasetDir, dir);
        } finally {
            scratch.close();
        }
        const problems = accountingProblems(accounting);
        if (problems.length > 0) throw new Error(`CESAW mapping does not account for its source:\n  ${problems.join('\n  ')}`);
        const { files } = resolveInputs([dir]);
        const ingest = await ingestFiles(warehouse, files, options);
        return { accounting, ingest };
    } finally {
        fs.rmSync(dir, { recursive: true, force: true });
    }
}
