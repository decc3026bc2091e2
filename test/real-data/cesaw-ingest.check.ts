/**
 * Real-data check of the CESAW mapping (ingest/cesaw.ts): every time log of the source is loaded or reported,
 * minutes reconcile exactly, and the estimate-vs-actual ratios by phase come out as the reference figures.
 *
 *   node test/real-data/cesaw-ingest.check.ts          (dataset: $CESAW_DIR, else ../shared/datasets/cesaw
 *                                                        relative to the repo root)
 *
 * Exit codes: 0 all checks pass; 1 a check failed (the accounting is printed either way); 2 the dataset is not
 * there — the check did not run, which is never reported as a pass.
 *
 * Two passes:
 *   1. mapCesaw into a temporary folder, then the CSVs are read back with DuckDB (explicit types, through a
 *      Warehouse) and checked against the source, read independently: headers, per-log reconciliation to the
 *      second, totals, splits, references, what was reported and why, and the 9 phase ratios.
 *   2. importCesaw into a fresh temporary warehouse file; the same totals and ratios from the canonical tables,
 *      and a second import changes nothing.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ENTITY_BY_NAME, type ColumnType, type EntityName } from '../../ingest/entities.ts';
import { accountingProblems, CESAW_FILES, importCesaw, mapCesaw, type CesawAccounting } from '../../ingest/cesaw.ts';
import { literal, Warehouse } from '../../warehouse/warehouse.ts';
import { LOGGED_PROJECTS, PHASE_RATIOS } from './cesaw-figures.ts';

const started = performance.now();
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const datasetDir = path.resolve(repoRoot, process.env.CESAW_DIR ?? '../shared/datasets/cesaw');
const logFile = path.join(datasetDir, CESAW_FILES.timeLogs);
const taskFile = path.join(datasetDir, CESAW_FILES.tasks);

if (!fs.existsSync(logFile) || !fs.existsSync(taskFile)) {
    console.error(
        `CESAW check NOT RUN: ${CESAW_FILES.timeLogs} and ${CESAW_FILES.tasks} are not both in ${datasetDir}.\n` +
            `Set CESAW_DIR to the folder holding them (see ../shared/datasets/cesaw/SOURCE.md).`,
    );
    process.exit(2);
}

// The figures the datasets' README states about the source (203,621 time logs, 132,003.93 hours).
const SOURCE_ROWS = 203_621;
const SOURCE_MINUTES = 7_920_236;
const ZERO_MINUTE_ROWS = 990;
const OVER_24H_ROWS = 14;
const ACTIVITIES = ['development', 'meeting', 'qa', 'pm', 'admin'];

const failures: string[] = [];
function check(what: string, ok: boolean, detail = ''): void {
    console.log(`${ok ? 'ok  ' : 'FAIL'}  ${what}${detail ? ` — ${detail}` : ''}`);
    if (!ok) failures.push(what);
}
const fmt = (n: number): string => n.toLocaleString('en-US');

const DUCK_TYPE: Record<ColumnType, string> = {
    text: 'varchar',
    date: 'date',
    timestamp: 'timestamptz',
    money: 'decimal(18,2)',
    decimal: 'decimal(18,4)',
    integer: 'bigint',
    boolean: 'boolean',
    seconds: 'bigint',
};

function firstLine(file: string): string {
    const fd = fs.openSync(file, 'r');
    try {
        const buffer = Buffer.alloc(4096);
        const n = fs.readSync(fd, buffer, 0, buffer.length, 0);
        return buffer.subarray(0, n).toString('utf8').split(/\r?\n/)[0] ?? '';
    } finally {
        fs.closeSync(fd);
    }
}

/** A canonical CSV read back with the declared types of its entity (the header must be exactly the entity's columns). */
function readCanonical(file: string, name: EntityName): string {
    const e = ENTITY_BY_NAME.get(name)!;
    const spec = e.columns.map((c) => `${literal(c.name)}: ${literal(DUCK_TYPE[c.type])}`).join(', ');
    return `read_csv(${literal(file)}, header = true, auto_detect = false, columns = {${spec}})`;
}

function printAccounting(a: CesawAccounting): void {
    console.log(
        [
            `source rows      ${fmt(a.source_rows)}   minutes ${fmt(a.source_minutes)} (${fmt(a.source_minutes / 60)} h)`,
            `loaded rows      ${fmt(a.loaded_rows)}   entries written ${fmt(a.entries_written)} (${fmt(a.split_rows)} logs split by day, ${fmt(a.zero_minute_rows)} zero-minute logs)`,
            `loaded seconds   ${fmt(a.loaded_seconds)} = ${fmt(a.loaded_seconds / 60)} minutes`,
            `reported rows    ${fmt(a.reported.length)}   minutes ${fmt(a.reported_minutes)}`,
            ...a.reported.map((r) => `    line ${r.line}  key ${r.time_log_fact_key}  ${r.minutes} min  ${r.reason}`),
            `check            ${fmt(a.loaded_seconds / 60)} + ${fmt(a.reported_minutes)} = ${fmt(a.loaded_seconds / 60 + a.reported_minutes)} (source ${fmt(a.source_minutes)})`,
            `people ${a.people}, clients ${a.clients}, projects ${a.projects}, plan lines ${a.plan_lines} ` +
                `(plan minutes ${a.plan_source_minutes.toFixed(3)} in the source, ${a.plan_written_minutes.toFixed(3)} written)`,
        ].join('\n'),
    );
}

function checkRatios(where: string, rows: { phase: string; ratio: number; exact: number | null }[]): void {
    for (const [phase, expected] of Object.entries(PHASE_RATIOS)) {
        const row = rows.find((r) => r.phase === phase);
        const got = row ? Math.round(row.ratio * 100) / 100 : NaN;
        const exact = row?.exact != null ? `, exact from source minutes ${row.exact.toFixed(6)}` : '';
        check(`${where}: ${phase} Σactual/Σplan = ${expected}`, got === expected, row ? `${row.ratio.toFixed(6)}${exact}` : 'phase missing');
    }
}

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'realize-cesaw-check-'));
let exitCode = 0;
try {
    // ---- pass 1: the CSVs ---------------------------------------------------------------------------------
    const outDir = path.join(tmp, 'csv');
    const scratch = await Warehouse.open(':memory:', { migrate: false });
    const t0 = performance.now();
    const a = await mapCesaw(scratch, datasetDir, outDir);
    const mapSeconds = (performance.now() - t0) / 1000;
    scratch.close();
    console.log(`CESAW mapping of ${datasetDir} (${mapSeconds.toFixed(1)} s)`);
    printAccounting(a);
    console.log('');

    for (const p of accountingProblems(a)) check('accounting invariant', false, p);
    check('source rows as the datasets README states', a.source_rows === SOURCE_ROWS, `${fmt(a.source_rows)} vs ${fmt(SOURCE_ROWS)}`);
    check('source minutes as the datasets README states', a.source_minutes === SOURCE_MINUTES, `${fmt(a.source_minutes)} vs ${fmt(SOURCE_MINUTES)}`);
    check(
        'loaded seconds / 60 + reported minutes = source minutes',
        a.loaded_seconds / 60 + a.reported_minutes === SOURCE_MINUTES,
        `${fmt(a.loaded_seconds / 60)} + ${fmt(a.reported_minutes)}`,
    );
    check('loaded + reported rows = source rows', a.loaded_rows + a.reported.length === SOURCE_ROWS);

    const w = await Warehouse.open(':memory:', { migrate: false });
    const one = async <T>(sql: string): Promise<T> => (await w.one<T>(sql))!;

    // Headers: exactly the entity's columns, in order.
    for (const [name, file] of Object.entries(a.files) as [EntityName, string][]) {
        const expected = ENTITY_BY_NAME.get(name)!.columns.map((c) => c.name).join(',');
        check(`${name}.csv header = entities.ts columns`, firstLine(file) === expected, firstLine(file));
    }

    // The source, read on its own terms (text), independent of the mapping's parsing.
    await w.run(
        `create table src_raw as select * from read_csv(${literal(logFile)}, header = true, auto_detect = false, ` +
            `all_varchar = true, columns = {${firstLine(logFile)
                .split(',')
                .map((c) => `${literal(c)}: 'varchar'`)
                .join(', ')}})`,
    );
    await w.run(`create table src as select rowid + 2 as line, * from src_raw`);
    await w.run(`create table te as select * from ${readCanonical(a.files.time_entries, 'time_entries')}`);
    await w.run(`create table people as select * from ${readCanonical(a.files.people, 'people')}`);
    await w.run(`create table clients as select * from ${readCanonical(a.files.clients, 'clients')}`);
    await w.run(`create table projects as select * from ${readCanonical(a.files.projects, 'projects')}`);
    await w.run(`create table plan as select * from ${readCanonical(a.files.plan_lines, 'plan_lines')}`);
    await w.run(
        `create table task as select project_key, phase_short_name as phase, task_plan_time_minutes::decimal(18,9) as plan_minutes ` +
            `from read_csv(${literal(taskFile)}, header = true, all_varchar = true, nullstr = '\\N')`,
    );

    const src = await one<{ n: number; minutes: number; zero: number; over: number }>(
        `select count(*)::bigint as n, sum(time_log_delta_minutes::bigint)::bigint as minutes,
            count(*) filter (where time_log_delta_minutes::bigint = 0)::bigint as zero,
            count(*) filter (where time_log_delta_minutes::bigint > 1440)::bigint as over from src`,
    );
    check('source read independently: rows and minutes', src.n === SOURCE_ROWS && src.minutes === SOURCE_MINUTES, `${fmt(src.n)} rows, ${fmt(src.minutes)} min`);

    // Per log: the entries of a loaded log sum to its delta × 60 exactly; a reported log has no entries.
    await w.run(`
        create table per_log as
        select regexp_extract(entry_id, '^cesaw-([0-9]+)(-[0-9]+)?$', 1) as log_key, count(*) as pieces,
            sum(duration_seconds) as seconds
        from te group by 1`);
    await w.run(`create table reported (log_key varchar, minutes bigint, reason varchar, line bigint)`);
    for (const r of a.reported) {
        await w.run(`insert into reported values ($1, $2, $3, $4)`, [r.time_log_fact_key, r.minutes, r.reason, r.line]);
    }
    const rec = await one<{ unmatched: number; wrong_sum: number; both: number; neither: number; bad_ids: number }>(`
        select
            (select count(*) from per_log where log_key = '' or log_key not in (select time_log_fact_key from src))::bigint as unmatched,
            (select count(*) from per_log p join src s on s.time_log_fact_key = p.log_key
                where p.seconds <> s.time_log_delta_minutes::bigint * 60)::bigint as wrong_sum,
            (select count(*) from per_log p join reported r using (log_key))::bigint as both,
            (select count(*) from src s where s.time_log_fact_key not in (select log_key from per_log)
                and s.time_log_fact_key not in (select log_key from reported))::bigint as neither,
            (select count(*) from te where not regexp_full_match(entry_id, 'cesaw-[0-9]+(-[0-9]+)?'))::bigint as bad_ids`);
    check('every loaded log: Σ its entries = delta × 60 s', rec.wrong_sum === 0 && rec.unmatched === 0, `${rec.wrong_sum} wrong, ${rec.unmatched} unknown keys`);
    check('every source row is loaded or reported, never both', rec.both === 0 && rec.neither === 0, `${rec.neither} neither, ${rec.both} both`);
    check('entry ids are cesaw-<key> or cesaw-<key>-<n>', rec.bad_ids === 0);
    const rep = await one<{ wrong: number }>(`
        select count(*)::bigint as wrong from reported r join src s on s.time_log_fact_key = r.log_key
        where r.minutes <> s.time_log_delta_minutes::bigint or r.line <> s.line`);
    check('reported rows carry the source minutes and line', rep.wrong === 0);

    // Nothing reported that could have been loaded: a reported log has no usable date in 1970..2099.
    const loadable = await w.all<{ log_key: string }>(`
        select r.log_key from reported r join src s on s.time_log_fact_key = r.log_key
        where coalesce(try_strptime(s.time_log_start_date, '%m/%d/%Y %H:%M'), try_strptime(s.time_log_start_date, '%Y-%m-%d %H:%M:%S'))::date
                between date '1970-01-01' and date '2099-12-31'
          and coalesce(try_strptime(s.time_log_end_date, '%m/%d/%Y %H:%M'), try_strptime(s.time_log_end_date, '%Y-%m-%d %H:%M:%S'))::date
                between date '1970-01-01' and date '2099-12-31'`);
    check('nothing reported that had placeable dates', loadable.length === 0, loadable.map((r) => r.log_key).join(', '));
    check('reported: only the log without dates and the one dated in the year 16', a.reported.length === 2 &&
        a.reported.some((r) => r.time_log_fact_key === '377553' && /no start or end date/.test(r.reason)) &&
        a.reported.some((r) => r.time_log_fact_key === '640359' && /year 16\b/.test(r.reason)));

    // The reported lines really are those rows of the file (and no record spans lines, so line = record + 1).
    const lines = fs.readFileSync(logFile, 'utf8').split('\n');
    if (lines.at(-1) === '') lines.pop();
    check('source has one line per record', lines.length === SOURCE_ROWS + 1, `${fmt(lines.length)} lines`);
    for (const r of a.reported) {
        check(`line ${r.line} of the source is log ${r.time_log_fact_key}`, (lines[r.line - 1] ?? '').startsWith(`${r.time_log_fact_key},`));
    }

    // Zero-minute logs load; > 24 h logs load, split by day.
    const zero = await one<{ loaded: number }>(`
        select count(*)::bigint as loaded from src s join per_log p on p.log_key = s.time_log_fact_key
        where s.time_log_delta_minutes::bigint = 0`);
    check(`the ${ZERO_MINUTE_ROWS} zero-minute logs all load`, src.zero === ZERO_MINUTE_ROWS && zero.loaded === ZERO_MINUTE_ROWS, `${zero.loaded} of ${src.zero}`);
    const over = await w.all<{ log_key: string; minutes: number; pieces: number; max_s: number; start: string; end: string }>(`
        select s.time_log_fact_key as log_key, s.time_log_delta_minutes::bigint as minutes, p.pieces::bigint as pieces,
            (select max(duration_seconds) from te where regexp_extract(entry_id, '^cesaw-([0-9]+)', 1) = s.time_log_fact_key)::bigint as max_s,
            s.time_log_start_date as start, s.time_log_end_date as "end"
        from src s join per_log p on p.log_key = s.time_log_fact_key
        where s.time_log_delta_minutes::bigint > 1440 order by minutes desc`);
    check(
        `the ${OVER_24H_ROWS} logs over 24 h load, split into ≥ 2 days of ≤ 86,400 s`,
        src.over === OVER_24H_ROWS && over.length === OVER_24H_ROWS && over.every((o) => o.pieces >= 2 && o.max_s <= 86_400),
        over.map((o) => `${o.log_key}: ${o.minutes} min ${o.start} → ${o.end} in ${o.pieces}`).join('; '),
    );

    // Entries are canonical: ranges, enums, piece bounds inside their day, references.
    type Counts<K extends string> = Record<K, number>;
    const te = await one<
        Counts<'n' | 'ids' | 'seconds' | 'bad_seconds' | 'bad_date' | 'bad_activity' | 'bad_flags' | 'bad_bounds' | 'bad_person' | 'bad_project' | 'projects'>
    >(`
        select count(*)::bigint as n, count(distinct entry_id)::bigint as ids, sum(duration_seconds)::bigint as seconds,
            count(*) filter (where duration_seconds not between 0 and 86400)::bigint as bad_seconds,
            count(*) filter (where work_date not between date '1970-01-01' and date '2099-12-31')::bigint as bad_date,
            count(*) filter (where activity not in (${ACTIVITIES.map(literal).join(', ')}))::bigint as bad_activity,
            count(*) filter (where source <> 'cesaw' or status <> 'approved' or billable)::bigint as bad_flags,
            count(*) filter (where started_at > ended_at or started_at::date <> work_date
                or ended_at > (work_date + 1)::timestamptz or logged_at < ended_at)::bigint as bad_bounds,
            count(*) filter (where person_id not in (select person_id from people))::bigint as bad_person,
            count(*) filter (where project_id not in (select project_id from projects))::bigint as bad_project,
            count(distinct project_id)::bigint as projects
        from te`);
    check('entries written = accounting', te.n === a.entries_written && te.ids === te.n, `${fmt(te.n)} rows, ${fmt(te.ids)} distinct ids`);
    check('Σ duration_seconds = loaded seconds', te.seconds === a.loaded_seconds, fmt(te.seconds));
    check(
        'entries in range: 0..86,400 s, 1970..2099, known activity, approved non-billable cesaw',
        te.bad_seconds === 0 && te.bad_date === 0 && te.bad_activity === 0 && te.bad_flags === 0,
    );
    check('each entry lies within its work date (started_at..ended_at), logged at or after its end', te.bad_bounds === 0);
    check('entries reference known people and projects', te.bad_person === 0 && te.bad_project === 0);
    check(`${LOGGED_PROJECTS} projects have time entries`, te.projects === LOGGED_PROJECTS, String(te.projects));
    const refs = await one<Counts<'bad_client' | 'bad_plan' | 'projects' | 'bad_project' | 'task_projects' | 'people' | 'source_people'>>(`
        select (select count(*) from projects where client_id not in (select client_id from clients))::bigint as bad_client,
            (select count(*) from plan where project_id not in (select project_id from projects))::bigint as bad_plan,
            (select count(*) from projects)::bigint as projects,
            (select count(*) from projects where start_date is null or end_date < start_date or status <> 'closed')::bigint as bad_project,
            (select count(distinct project_key) from task)::bigint as task_projects,
            (select count(*) from people)::bigint as people,
            (select count(*) from (select person_key from src union select person_key from read_csv(${literal(taskFile)}, header = true, all_varchar = true)))::bigint as source_people`);
    check('projects reference known clients; plan lines known projects', refs.bad_client === 0 && refs.bad_plan === 0);
    check('all 45 projects load (incl. those with tasks only), closed, dated', refs.projects === refs.task_projects && refs.projects === 45 && refs.bad_project === 0);
    check('every person of the logs and tasks loads', refs.people === refs.source_people, `${refs.people} people`);

    // Plan lines: Σ over all tasks, per project × phase, to 4 decimals of hours.
    const plan = await one<{ lines: number; expected_lines: number; worst: number }>(`
        with src_plan as (
            select 'cesaw-' || project_key as project_id, coalesce(phase, '(no phase)') as phase, sum(plan_minutes) as minutes
            from task group by all)
        select (select count(*) from plan)::bigint as lines, (select count(*) from src_plan)::bigint as expected_lines,
            (select max(abs(p.estimated_hours * 60 - s.minutes))::double from plan p join src_plan s using (project_id, phase)) as worst`);
    check(
        'plan lines: one per project × phase, estimated_hours = Σ plan minutes / 60 (to 4 decimals)',
        plan.lines === plan.expected_lines && plan.worst <= 0.003,
        `${plan.lines} lines, worst difference ${(plan.worst * 60).toFixed(3)} s`,
    );

    // The 9 ratios from what was written, and for comparison exactly from the source's minutes (the logs loaded;
    // the two reported logs are Misc, so the 9 phases see every source minute either way).
    const ratios = await w.all<{ phase: string; ratio: number; exact: number }>(`
        with logged as (select distinct project_id from te),
        actual as (select phase, sum(duration_seconds) as seconds from te group by phase),
        planned as (select phase, sum(estimated_hours) as hours from plan where project_id in (select project_id from logged) group by phase),
        exact as (
            select a.phase, a.minutes / p.minutes as ratio
            from (select phase_short_name as phase, sum(time_log_delta_minutes::bigint) as minutes from src
                  where time_log_fact_key not in (select log_key from reported) group by 1) a
            join (select phase, sum(plan_minutes) as minutes from task
                  where project_key in (select distinct project_key from src) group by 1) p using (phase))
        select phase, (a.seconds / 3600 / p.hours)::double as ratio, e.ratio::double as exact
        from actual a join planned p using (phase) left join exact e using (phase)`);
    checkRatios('CSV', ratios);
    // Hours to 4 decimals move a ratio by at most actual/plan × (lines × 0.00005 h)/plan: negligible for these
    // phases, visible only for phases with a few minutes of plan.
    const named = ratios.filter((r) => r.phase in PHASE_RATIOS && r.exact != null);
    const drift = Math.max(...named.map((r) => Math.abs(r.ratio - r.exact)));
    check('the 9 ratios from the written plan lines equal the exact source ratios to 1e-6', drift < 1e-6, `largest difference ${drift.toExponential(2)}`);
    const worst = ratios.filter((r) => r.exact != null).sort((x, y) => Math.abs(y.ratio - y.exact) - Math.abs(x.ratio - x.exact))[0];
    if (worst) {
        console.log(`      (over all ${ratios.length} phases: largest difference ${Math.abs(worst.ratio - worst.exact).toExponential(2)} on ${worst.phase}, ratio ${worst.exact.toFixed(4)})`);
    }

    // Informational: the activity mapping, and person-days over 24 h (overlapping logs; flagged, not rejected).
    const activity = await w.all<{ activity: string; phases: string; hours: number }>(`
        select activity, string_agg(distinct phase, ', ' order by phase) as phases, round(sum(duration_seconds) / 3600, 1)::double as hours
        from te group by 1 order by hours desc`);
    console.log('\nactivity mapping (hours):');
    for (const r of activity) console.log(`  ${r.activity.padEnd(12)} ${fmt(r.hours).padStart(10)}  ${r.phases}`);
    const heavy = await one<{ over24: number; over12: number; worst: number }>(`
        select count(*) filter (where s > 86400)::bigint as over24, count(*) filter (where s > 43200)::bigint as over12,
            max(s)::bigint as worst
        from (select person_id, work_date, sum(duration_seconds) as s from te group by all)`);
    console.log(
        `person-days over 12 h: ${heavy.over12}, over 24 h: ${heavy.over24} (worst ${(heavy.worst / 3600).toFixed(1)} h — overlapping logs; review flags, not rejects)\n`,
    );
    w.close();

    // ---- pass 2: through the canonical ingest into a fresh warehouse file -----------------------------------
    const dbFile = path.join(tmp, 'warehouse.duckdb');
    const wh = await Warehouse.open(dbFile);
    const t1 = performance.now();
    const imported = await importCesaw(wh, datasetDir);
    const importSeconds = (performance.now() - t1) / 1000;
    check(
        `importCesaw: canonical ingest ok (${importSeconds.toFixed(1)} s)`,
        imported.ingest.ok && imported.ingest.rejects.length === 0,
        imported.ingest.rejects
            .slice(0, 5)
            .map((r) => `${r.file}:${r.line} ${r.column}=${r.value} ${r.reason}`)
            .join('; '),
    );
    const loaded = await wh.one<{ n: number; seconds: number; logs: number; projects: number }>(`
        select count(*)::bigint as n, sum(duration_seconds)::bigint as seconds,
            count(distinct regexp_extract(entry_id, '^cesaw-([0-9]+)', 1))::bigint as logs,
            count(distinct project_id)::bigint as projects
        from canonical.time_entries where source = 'cesaw'`);
    const reportedMinutes = imported.accounting.reported_minutes;
    check(
        'warehouse: Σ duration_seconds / 60 + reported minutes = 7,920,236',
        loaded!.seconds % 60 === 0 && loaded!.seconds / 60 + reportedMinutes === SOURCE_MINUTES,
        `${fmt(loaded!.seconds / 60)} + ${fmt(reportedMinutes)}`,
    );
    check(
        'warehouse: logs loaded + reported = 203,621 rows',
        loaded!.logs + imported.accounting.reported.length === SOURCE_ROWS && loaded!.n === a.entries_written,
        `${fmt(loaded!.logs)} logs in ${fmt(loaded!.n)} entries + ${imported.accounting.reported.length} reported`,
    );
    const whRatios = await wh.all<{ phase: string; ratio: number }>(`
        with cesaw as (select * from canonical.time_entries where source = 'cesaw'),
        logged as (select distinct project_id from cesaw),
        actual as (select phase, sum(duration_seconds) as seconds from cesaw group by phase),
        planned as (select phase, sum(estimated_hours) as hours from canonical.plan_lines
                    where baseline and project_id in (select project_id from logged) group by phase)
        select phase, (a.seconds / 3600 / p.hours)::double as ratio from actual a join planned p using (phase)`);
    checkRatios('warehouse', whRatios.map((r) => ({ ...r, exact: null })));
    const again = await importCesaw(wh, datasetDir);
    check('importing again changes nothing', again.ingest.ok && again.ingest.status === 'unchanged', again.ingest.status);
    wh.close();
} catch (err) {
    console.error(err);
    failures.push(`error: ${err instanceof Error ? err.message : String(err)}`);
} finally {
    fs.rmSync(tmp, { recursive: true, force: true });
}

const total = (performance.now() - started) / 1000;
if (failures.length > 0) {
    console.log(`\nCESAW check FAILED (${failures.length}): ${failures.join('; ')} — ${total.toFixed(1)} s`);
    exitCode = 1;
} else {
    console.log(`\nCESAW check passed — ${total.toFixed(1)} s`);
}
process.exit(exitCode);
