/**
 * `realize quote …`: the quote engine's command line.
 *
 *   realize quote backtest --csv FILE --estimate COL --actual COL --class COL[,COL] --date COL
 *                          [--date-format FMT] [--group COL] [--encoding ENC] [--min-class N]
 *                          [--items FILE] [--check] [--json]
 *   realize quote prepare-sip DIR --out FILE
 *   realize quote backtest --help
 *
 * backtest reads any table of work items (tasks, stories) as it is: DuckDB reads the CSV (delimiter sniffed,
 * every column as text); a file that is not UTF-8 is decoded in Node first (UTF-16 by its byte-order mark,
 * else Windows-1252, which DuckDB's latin-1 reader rejects for bytes 0x80–0x9F such as 0x92 ’) into a
 * temporary UTF-8 copy. Estimates and actuals are numbers (a decimal comma is accepted); NA, N/A, NaN, null,
 * none, ?, -, \N and empty cells are missing. Dates are parsed with --date-format (strptime, e.g. %d-%b-%y)
 * or, without it, with the first of a list of common formats that reads the most values as dates between
 * 1900 and 2200 (ISO 8601 timestamps with an offset too); a numeric column (years, sequence numbers) is used
 * as it is. --date-format iso reads ISO 8601, --date-format number a numeric column; a format given that reads
 * none of the column's values is a usage error that shows some of them. Rows with a missing or non-positive
 * estimate or actual, or no readable date, are counted by reason and skipped — the report lists them (an
 * unreadable date with one of its values). A class cell that is empty is the class (empty), one that is NA,
 * null, … or that a short row lacks is (missing). Exit 0 with a report, 1 with --check when a band is missed,
 * 2 on a usage error. --items writes every scored item as CSV (writeItemsCsv) so that anyone can rescore the
 * figures; --min-class limits the classes of the table and of the JSON to those held to a band. The time
 * shown is the whole command's.
 * With --group, each group is a project (models/quote/backtest.ts backtestGroups) running from its first row's
 * date to its last, and the figures carry the project backtest's censoring weights up to the latest date.
 *
 * prepare-sip writes the SiP dataset (../shared/datasets/sip) as one CSV of work items: Sip-task-info.csv
 * (Windows-1252, one row per task × developer) filtered as Jones does (StatusCode not CANCELLED, TEMPLATE,
 * CHRONICLE), one row per TaskNumber (estimate, actual, category and dates are the same on all its rows),
 * joined to est-act-dates.csv on TaskNumber (its dates are the same for all rows of a task).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { UsageError } from '../../ingest/files.ts';
import { backtestGroups, backtestItems, checkBands, type BacktestReport, type BandCheck, type WorkItem } from '../../models/quote/backtest.ts';
import type { Figures } from '../../models/quote/metrics.ts';
import { csvField } from '../../web/lib/csv.ts';
import { Warehouse, literal } from '../../warehouse/warehouse.ts';
import { parse } from './options.ts';

/** read_csv's null string: a value no file holds, so that no field is read as NULL but one a short row lacks. */
const NO_NULL_STRING = '\u0001realize:no-null\u0001';

/** The class value of an item whose class cell is empty, and of one whose cell is missing (NA, null, … or absent). */
export const EMPTY_CLASS = '(empty)';
export const MISSING_CLASS = '(missing)';

const USAGE = `usage:
  realize quote backtest --csv FILE --estimate COL --actual COL --class COL[,COL] --date COL
                         [--date-format FMT] [--group COL] [--encoding ENC] [--min-class N]
                         [--items FILE] [--check] [--json]
  realize quote prepare-sip DIR --out FILE
  realize quote backtest --help`;

const HELP = `realize quote backtest — a time-ordered backtest of calibrated quote intervals on any work items

Each item (a task, a story) is forecast only from the items dated before it: P10, P50, P80 and P90 of its
actual from its estimate, then scored against its actual, beside two plain rules (one global ratio
distribution; plain per-class quantiles) scored on the same items.

${USAGE.replace('usage:\n', '')}

  --csv FILE          the work items, one a row (delimiter found; UTF-8, UTF-16 or Windows-1252)
  --estimate COL      the estimate (hours, minutes, points: any unit; a decimal comma is read)
  --actual COL        the actual, in any unit (the ratio actual ÷ estimate is what is forecast)
  --class COL[,COL]   the class columns, general to specific (e.g. Category,SubCategory); an empty cell
                      is the class ${EMPTY_CLASS}, NA, N/A, null, none, ?, - or a cell the row lacks ${MISSING_CLASS}
  --date COL          the order of the items: dates, timestamps or numbers (sprints, sequence numbers)
  --date-format FMT   how --date is written (strptime, e.g. %d-%b-%y, %m/%d/%Y %H:%M), iso or number;
                      without it, the common format that reads the most values is used
  --group COL         items of one group form a project (its rows are its lines), backtested as projects
  --encoding ENC      the file's encoding when it is not found (e.g. windows-1252)
  --min-class N       the classes shown, in the table and the JSON, and held to the per-class band:
                      those with at least N scored items (default 300)
  --items FILE        write every scored item as CSV: row, date, class columns, estimate, actual, P10, P50,
                      P80, P90 (with --group: the group and its weight), to rescore the results
  --check             exit 1 when a band is missed
  --json              the report as JSON

Bands: [P10, P90] coverage and the share at or below P80 within 80 ± 3 pp over all items; [P10, P90]
coverage within 80 ± 6 pp for every class with at least --min-class items; mean pinball loss (log hours,
P10/P50/P90) at most the better plain rule's; the P50's median relative error at most the raw estimate's.
Exit codes: 0 done (with --check: every band holds), 1 a band missed (--check only), 2 usage error.`;

/** Cell values read as missing. */
const NA = ['', 'na', 'n/a', 'nan', 'null', 'none', '?', '-', '#n/a', '\\n'];

/** Tried in order when no --date-format is given; the one reading the most values wins (ties: the first). */
export const DATE_FORMATS = [
    '%Y-%m-%d',
    '%Y-%m-%d %H:%M:%S',
    '%Y-%m-%dT%H:%M:%S',
    '%Y-%m-%d %H:%M',
    '%d-%b-%y',
    '%d-%b-%Y',
    '%d %b %Y',
    '%b %d, %Y',
    '%m/%d/%Y %H:%M',
    '%m/%d/%Y %H:%M:%S',
    '%m/%d/%Y',
    '%m/%d/%y',
    '%d/%m/%Y %H:%M',
    '%d/%m/%Y',
    '%d/%m/%y',
    '%d.%m.%Y',
    '%d.%m.%Y %H:%M',
    '%Y/%m/%d',
] as const;

export interface BacktestCsvOptions {
    csv: string;
    estimate: string;
    actual: string;
    class: string[];
    date: string;
    dateFormat?: string;
    group?: string;
    encoding?: string;
}

export interface BacktestCsvResult {
    file: string;
    encoding: string;
    rows: number;
    used: number;
    skipped: Record<string, number>;
    date: { column: string; format: string; note: string | null };
    report: BacktestReport;
    bands: BandCheck[];
    /** The whole run, reading the file included, in seconds. */
    seconds: number;
    /** Every scored item (or project, with --group), in scoring order: what --items writes. */
    scored: ScoredItem[];
}

/** One scored item as --items writes it. */
export interface ScoredItem {
    /** The item's data row in the file (1-based, the header not counted); with --group, the group's first row. */
    row: number;
    /** Its date as read: YYYY-MM-DD (with the time of day when it has one), or the number of a numeric column. */
    date: string;
    /** Its class values (with --group: the group). */
    class: string[];
    estimate: number;
    actual: number;
    p10: number;
    p50: number;
    p80: number;
    p90: number;
    /** With --group: the project's censoring weight in every figure. */
    weight?: number;
}

/**
 * Makes sure DuckDB gets UTF-8: returns the path to read (the file itself, or a decoded temporary copy the
 * caller removes) and the encoding it was read as.
 */
export function utf8Copy(file: string, encoding?: string): { path: string; encoding: string; temporary: boolean } {
    const bytes = fs.readFileSync(file);
    let label = encoding?.toLowerCase().replace(/_/g, '-');
    if (!label) {
        if (bytes[0] === 0xff && bytes[1] === 0xfe) label = 'utf-16le';
        else if (bytes[0] === 0xfe && bytes[1] === 0xff) label = 'utf-16be';
        else {
            try {
                new TextDecoder('utf-8', { fatal: true }).decode(bytes);
                label = 'utf-8';
            } catch {
                label = 'windows-1252';
            }
        }
    }
    let decoder: InstanceType<typeof TextDecoder>;
    try {
        decoder = new TextDecoder(label, { fatal: label === 'utf-8' || label === 'utf8' });
    } catch {
        throw new UsageError(`--encoding ${encoding}: unknown encoding; use e.g. utf-8, windows-1252, latin1, utf-16le`);
    }
    if (decoder.encoding === 'utf-8' && !(bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf)) {
        try {
            decoder.decode(bytes);
        } catch {
            throw new UsageError(`${file} is not valid UTF-8; pass --encoding (e.g. windows-1252)`);
        }
        return { path: file, encoding: 'utf-8', temporary: false };
    }
    const text = decoder.decode(bytes).replace(/^\uFEFF/, '');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'realize-quote-'));
    const out = path.join(dir, path.basename(file));
    fs.writeFileSync(out, text, 'utf8');
    return { path: out, encoding: decoder.encoding, temporary: true };
}

/** Double-quotes a column name that is known to be one of the file's columns (an allow-list). */
function column(name: string, columns: readonly string[]): string {
    if (!columns.includes(name)) throw new Error(`not a column of the file: ${name}`);
    return `"${name.replaceAll('"', '""')}"`;
}

function resolveColumn(flag: string, wanted: string, columns: readonly string[]): string {
    if (columns.includes(wanted)) return wanted;
    const folded = columns.filter((c) => c.toLowerCase() === wanted.toLowerCase());
    if (folded.length === 1) return folded[0]!;
    throw new UsageError(`--${flag} ${wanted}: no such column. The file's columns are: ${columns.join(', ')}`);
}

export type WorkItemsCsv = Omit<BacktestCsvResult, 'report' | 'bands' | 'seconds' | 'scored'> & {
    items: WorkItem[];
    /** Each item's data row in the file (1-based, the header not counted). */
    itemRows: number[];
};

/** Reads a CSV of work items and backtests it (the work of `realize quote backtest`). */
export async function backtestCsv(options: BacktestCsvOptions, minClass = 300): Promise<BacktestCsvResult> {
    const started = performance.now();
    const { items, itemRows, ...read } = await readWorkItems(options);
    const report = options.group ? backtestGroups(items, { keepForecasts: true }) : backtestItems(items, { keepForecasts: true });
    const when = (time: number) => (read.date.format === 'number' ? String(time) : dateText(time));
    let scored: ScoredItem[];
    if (options.group) {
        // A group's row and date are its first row's.
        const first = new Map<string, number>();
        items.forEach((it, k) => {
            const g = it.group ?? '';
            const seen = first.get(g);
            if (seen === undefined || it.time < items[seen]!.time) first.set(g, k);
        });
        scored = report.forecasts!.map((f) => {
            const k = first.get(f.id!)!;
            return { row: itemRows[k]!, date: when(items[k]!.time), class: [f.id!], estimate: f.estimate, actual: f.actual, ...levels(f.hours), weight: f.weight ?? 1 };
        });
    } else {
        scored = report.forecasts!.map((f) => {
            const it = items[f.index]!;
            return { row: itemRows[f.index]!, date: when(it.time), class: [...it.class], estimate: it.estimate, actual: it.actual, ...levels(f.hours) };
        });
    }
    delete report.forecasts;
    return { ...read, report, bands: checkBands(report, minClass), seconds: (performance.now() - started) / 1000, scored };
}

const levels = (h: readonly number[]) => ({ p10: h[0]!, p50: h[1]!, p80: h[2]!, p90: h[3]! });

/** Days since 1970-01-01 as YYYY-MM-DD, with the time of day (UTC) when there is one. */
function dateText(days: number): string {
    const iso = new Date(Math.round(days * 86_400_000)).toISOString();
    return iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : iso.replace('.000Z', 'Z');
}

/**
 * Writes the scored items as CSV (--items): row, date, the class columns (with --group, the group), estimate,
 * actual, P10, P50, P80, P90 (and weight with --group), numbers in full precision so that anyone can rescore
 * them. Text cells go through the dashboard's csvField: one a spreadsheet would run as a formula is written as
 * text.
 */
export function writeItemsCsv(file: string, result: Pick<BacktestCsvResult, 'scored'>, classColumns: readonly string[], grouped: boolean): void {
    const header = ['row', 'date', ...(grouped ? ['group'] : classColumns), 'estimate', 'actual', 'p10', 'p50', 'p80', 'p90', ...(grouped ? ['weight'] : [])];
    const lines = [header.map((h) => csvField(h)).join(',')];
    for (const it of result.scored) {
        const numbers = [it.estimate, it.actual, it.p10, it.p50, it.p80, it.p90, ...(grouped ? [it.weight ?? 1] : [])];
        lines.push([String(it.row), csvField(it.date), ...it.class.map((c) => csvField(c)), ...numbers.map((x) => csvField(String(x), true))].join(','));
    }
    fs.writeFileSync(file, lines.join('\n') + '\n');
}

/** Reads a CSV of work items: the rows used, and those skipped by reason. */
export async function readWorkItems(options: BacktestCsvOptions): Promise<WorkItemsCsv> {
    if (!fs.existsSync(options.csv) || !fs.statSync(options.csv).isFile()) throw new UsageError(`--csv ${options.csv}: no such file`);
    const source = utf8Copy(options.csv, options.encoding);
    const warehouse = await Warehouse.open(':memory:', { migrate: false });
    try {
        // No null string: an empty field reads as '' and a field a short row lacks as NULL, so that a class can be
        // told empty from missing (numbers and dates treat both as missing, as clean() does).
        await warehouse.run(`create table src as select * from read_csv(${literal(source.path)}, all_varchar = true, header = true, null_padding = true, nullstr = ${literal(NO_NULL_STRING)})`);
        const columns = (await warehouse.all<{ column_name: string }>(`select column_name from (describe src)`)).map((r) => r.column_name);
        const est = column(resolveColumn('estimate', options.estimate, columns), columns);
        const act = column(resolveColumn('actual', options.actual, columns), columns);
        const classes = options.class.map((c) => column(resolveColumn('class', c, columns), columns));
        const dateName = resolveColumn('date', options.date, columns);
        const date = column(dateName, columns);
        const group = options.group ? column(resolveColumn('group', options.group, columns), columns) : null;

        const na = NA.map((v) => literal(v)).join(', ');
        const clean = (c: string) => `case when lower(trim(${c})) in (${na}) then null else trim(${c}) end`;
        // 1,500 is a thousands separator, 1,5 and 12,25 a decimal comma.
        const number = (c: string) =>
            `coalesce(try_cast(${clean(c)} as double),
                try_cast(replace(regexp_extract(${clean(c)}, '^-?[0-9]{1,3}(,[0-9]{3})+$'), ',', '') as double),
                try_cast(replace(regexp_extract(${clean(c)}, '^-?[0-9]+,[0-9]+$'), ',', '.') as double))`;

        // The date format: given, or the common one that reads the most values; a numeric column as it is.
        let format = options.dateFormat ?? null;
        let note: string | null = null;
        if (!format) {
            const counts = await warehouse.one<Record<string, number>>(
                `select count(${clean(date)})::integer as present,
                    count(try_cast(${clean(date)} as double))::integer as numeric,
                    count(*) filter (where year(try_cast(${clean(date)} as timestamptz)) between 1900 and 2200)::integer as iso,
                    ${DATE_FORMATS.map((f, i) => `count(*) filter (where year(try_strptime(${clean(date)}, ${literal(f)})) between 1900 and 2200)::integer as f${i}`).join(',\n')}
                from src`,
            );
            const present = counts!.present!;
            let best = -1;
            DATE_FORMATS.forEach((_, i) => {
                if (best < 0 || counts![`f${i}`]! > counts![`f${best}`]!) best = i;
            });
            if (present > 0 && counts!.numeric === present) {
                format = 'number';
                note = 'the date column is numeric: its values order the items';
            } else if (present > 0 && counts!.iso === present) {
                format = 'iso';
                note = 'no --date-format: read as ISO 8601 timestamps';
            } else if (best >= 0 && counts![`f${best}`]! > 0 && counts![`f${best}`]! >= 0.5 * present) {
                format = DATE_FORMATS[best]!;
                const rivals = DATE_FORMATS.filter((f, i) => i !== best && counts![`f${i}`] === counts![`f${best}`]);
                note = `no --date-format: read as ${format}` + (rivals.length ? ` (as many values read as ${rivals.join(', ')}; pass --date-format if that is wrong)` : '');
            } else {
                const sample = await warehouse.all<{ v: string }>(`select ${clean(date)} as v from src where ${clean(date)} is not null group by v order by min(rowid) limit 5`);
                throw new UsageError(
                    `--date ${dateName}: no known date format reads these values (e.g. ${sample.map((s) => JSON.stringify(s.v)).join(', ')}); pass --date-format (strptime, e.g. %d-%b-%y)`,
                );
            }
        }
        if (options.dateFormat) {
            // A format given that reads none of the values is a usage error, shown with values it saw.
            const readable =
                format === 'number'
                    ? `try_cast(${clean(date)} as double) is not null`
                    : format === 'iso'
                      ? `try_cast(${clean(date)} as timestamptz) is not null`
                      : `try_strptime(${clean(date)}, $format) is not null`;
            const check = await warehouse.one<{ present: number; read: number }>(
                `select count(${clean(date)})::integer as present, count(*) filter (where ${readable})::integer as read from src`,
                format === 'number' || format === 'iso' ? {} : { format },
            );
            if (check!.present > 0 && check!.read === 0) {
                const sample = await warehouse.all<{ v: string }>(`select ${clean(date)} as v from src where ${clean(date)} is not null group by v order by min(rowid) limit 3`);
                throw new UsageError(
                    `--date-format ${format} reads none of the ${check!.present} values of ${dateName} (e.g. ${sample.map((x) => JSON.stringify(x.v)).join(', ')}); ` +
                        `give the format those values are in (strptime, e.g. %d/%m/%Y %H:%M), iso or number, or leave --date-format out to have it found`,
                );
            }
        }
        const time =
            format === 'number'
                ? `try_cast(${clean(date)} as double)`
                : format === 'iso'
                  ? `epoch(try_cast(${clean(date)} as timestamptz)) / 86400.0`
                  : `epoch(try_strptime(${clean(date)}, $format)::timestamp) / 86400.0`;
        const params: Record<string, string> = format === 'number' || format === 'iso' ? {} : { format };
        const classValue = (c: string) =>
            `case when ${c} is null or lower(trim(${c})) in (${na}) and trim(${c}) <> '' then ${literal(MISSING_CLASS)}
                  when trim(${c}) = '' then ${literal(EMPTY_CLASS)} else trim(${c}) end`;
        const rows = await warehouse.all<
            { e: number | null; a: number | null; e_raw: string | null; a_raw: string | null; t: number | null; t_raw: string | null; g: string | null } & Record<string, string | null>
        >(
            `select
                ${number(est)} as e,
                ${number(act)} as a,
                ${clean(est)} as e_raw,
                ${clean(act)} as a_raw,
                (${time})::double as t,
                ${clean(date)} as t_raw,
                ${group ? `${clean(group)}` : 'null'} as g,
                ${classes.map((c, i) => `${classValue(c)} as c${i}`).join(', ')}
            from src`,
            params,
        );
        const skipped: Record<string, number> = {};
        const skip = (reason: string) => (skipped[reason] = (skipped[reason] ?? 0) + 1);
        const items: WorkItem[] = [];
        const itemRows: number[] = [];
        let unreadable: string | null = null;
        for (const [index, r] of rows.entries()) {
            if (r.e_raw == null) skip('estimate missing');
            else if (r.e == null || !Number.isFinite(r.e)) skip('estimate not a number');
            else if (r.e <= 0) skip('estimate ≤ 0');
            else if (r.a_raw == null) skip('actual missing');
            else if (r.a == null || !Number.isFinite(r.a)) skip('actual not a number');
            else if (r.a <= 0) skip('actual ≤ 0');
            else if (r.t_raw == null) skip('date missing');
            else if (r.t == null || !Number.isFinite(r.t)) {
                unreadable ??= r.t_raw;
                skip(`date not readable as ${format}`);
            } else {
                items.push({
                    estimate: r.e,
                    actual: r.a,
                    time: r.t,
                    class: options.class.map((_, i) => r[`c${i}`]!),
                    group: group ? (r.g ?? MISSING_CLASS) : null,
                });
                itemRows.push(index + 1);
            }
        }
        if (unreadable !== null) {
            // Name one of the values that were not read, in the reason itself.
            const reason = `date not readable as ${format}`;
            skipped[`${reason} (e.g. ${JSON.stringify(unreadable)})`] = skipped[reason]!;
            delete skipped[reason];
        }
        if (items.length === 0) throw new UsageError(`${options.csv}: no row has a positive estimate, a positive actual and a date`);
        return {
            file: options.csv,
            encoding: source.encoding,
            rows: rows.length,
            used: items.length,
            skipped,
            date: { column: dateName, format: format!, note },
            items,
            itemRows,
        };
    } finally {
        warehouse.close();
        if (source.temporary) fs.rmSync(path.dirname(source.path), { recursive: true, force: true });
    }
}

/** The SQL of prepare-sip (see the header): one row per task of Jones's filter, with its dates. */
export async function prepareSip(warehouse: Warehouse, dir: string, out: string): Promise<{ tasks: number }> {
    const tasksFile = path.join(dir, 'Sip-task-info.csv');
    const datesFile = path.join(dir, 'est-act-dates.csv');
    for (const f of [tasksFile, datesFile]) if (!fs.existsSync(f)) throw new UsageError(`${f}: no such file (give the SiP folder)`);
    const tasks = utf8Copy(tasksFile, 'windows-1252');
    try {
        await warehouse.run(`
            copy (
                with task_rows as (
                    select * from read_csv(${literal(tasks.path)}, all_varchar = true, header = true)
                ),
                dates as (
                    select distinct TaskNumber, EstimateOn, StartedOn, CompletedOn
                    from read_csv(${literal(datesFile)}, all_varchar = true, header = true)
                ),
                kept as (
                    select
                        TaskNumber,
                        any_value(ProjectCode) as ProjectCode,
                        any_value(Category) as Category,
                        any_value(SubCategory) as SubCategory,
                        any_value(StatusCode) as StatusCode,
                        any_value(HoursEstimate) as HoursEstimate,
                        any_value(HoursActual) as HoursActual,
                    from task_rows
                    where StatusCode not in ('CANCELLED', 'TEMPLATE', 'CHRONICLE')
                    group by TaskNumber
                ),
                final as (
                    select kept.*, dates.EstimateOn, dates.StartedOn, dates.CompletedOn
                    from kept
                    left join dates using (TaskNumber)
                    order by TaskNumber::integer
                )
                select * from final
            ) to ${literal(out)} (header, delimiter ',')`);
        const n = await warehouse.one<{ n: number }>(`select count(*)::integer as n from read_csv(${literal(out)}, all_varchar = true, header = true)`);
        return { tasks: n!.n };
    } finally {
        if (tasks.temporary) fs.rmSync(path.dirname(tasks.path), { recursive: true, force: true });
    }
}

const pct = (x: number) => (Number.isFinite(x) ? `${(100 * x).toFixed(1)}%` : '-');
const num = (x: number) => (Number.isFinite(x) ? x.toFixed(4) : '-');

function figureRow(label: string, f: Figures): string {
    return `  ${label.padEnd(34)}${String(f.n).padStart(7)}${pct(f.coverage_p10_p90).padStart(10)}${pct(f.share_le_p80).padStart(8)}${num(f.pinball).padStart(9)}${pct(f.mdre_p50).padStart(9)}`;
}

/** One band as a line: ok or MISS, what it checks, the value and the band. */
export function formatBand(b: BandCheck): string {
    const show = (x: number) => (!Number.isFinite(x) ? '-' : b.unit === 'share' ? `${(100 * x).toFixed(2)}%` : num(x));
    const band = Number.isFinite(b.low) ? `${show(b.low)}…${show(b.high)}` : `≤ ${show(b.high)}`;
    return `${b.ok ? 'ok  ' : 'MISS'} ${b.what}: ${show(b.value)} (band ${band})`;
}

/** The readable report of a backtest (also printed by the real-data check). */
export function formatReport(result: Pick<BacktestCsvResult, 'report' | 'bands'> & { seconds?: number }, minClass = 300): string {
    const r = result.report;
    const head = `  ${''.padEnd(34)}${'n'.padStart(7)}${'[P10,P90]'.padStart(10)}${'≤P80'.padStart(8)}${'pinball'.padStart(9)}${'MdRE P50'.padStart(9)}`;
    const lines = [
        `${r.scored} ${r.unit}s scored (${r.warmup} warm-up ${r.unit}s without enough history not scored), ${(result.seconds ?? r.runtime_ms / 1000).toFixed(2)} s`,
        head,
        figureRow('method', r.overall.method),
        figureRow('baseline: one global distribution', r.overall.global),
        figureRow('baseline: plain per-class', r.overall.per_class),
        `  median relative error of the raw estimate: ${pct(r.overall.method.mdre_estimate)}`,
    ];
    const big = r.classes.filter((c) => c.n >= minClass);
    if (big.length) {
        lines.push(`per class with ≥ ${minClass} scored ${r.unit}s: [P10, P90] coverage (method / global / per-class), pinball (method / global / per-class)`);
        for (const c of big) {
            lines.push(
                `  ${c.class.slice(0, 40).padEnd(41)}${String(c.n).padStart(6)}  ${pct(c.method.coverage_p10_p90).padStart(6)} ${pct(c.global.coverage_p10_p90).padStart(6)} ${pct(c.per_class.coverage_p10_p90).padStart(6)}` +
                    `   ${num(c.method.pinball)} ${num(c.global.pinball)} ${num(c.per_class.pinball)}`,
            );
        }
    }
    lines.push('bands:');
    for (const b of result.bands) lines.push(`  ${formatBand(b)}`);
    return lines.join('\n');
}

export async function quoteCommand(args: string[]): Promise<number> {
    const started = performance.now();
    const [action, ...rest] = args;
    if (action === '--help' || action === '-h' || action === 'help' || (action === 'backtest' && rest.some((a) => a === '--help' || a === '-h'))) {
        console.log(HELP);
        return 0;
    }
    if (action === 'backtest') {
        const { values } = parse(rest, {
            csv: { type: 'string' },
            estimate: { type: 'string' },
            actual: { type: 'string' },
            class: { type: 'string' },
            date: { type: 'string' },
            'date-format': { type: 'string' },
            group: { type: 'string' },
            encoding: { type: 'string' },
            'min-class': { type: 'string' },
            items: { type: 'string' },
            check: { type: 'boolean' },
            json: { type: 'boolean' },
        });
        const missing = (['csv', 'estimate', 'actual', 'class', 'date'] as const).filter((k) => !values[k]);
        if (missing.length) throw new UsageError(`missing ${missing.map((m) => `--${m}`).join(', ')}\n${USAGE}`);
        const minClass = values['min-class'] === undefined ? 300 : Number(values['min-class']);
        if (!Number.isInteger(minClass) || minClass < 1) throw new UsageError(`--min-class must be a whole number ≥ 1`);
        const classColumns = values.class!.split(',').map((c) => c.trim()).filter(Boolean);
        const result = await backtestCsv(
            {
                csv: values.csv!,
                estimate: values.estimate!,
                actual: values.actual!,
                class: classColumns,
                date: values.date!,
                dateFormat: values['date-format'],
                group: values.group,
                encoding: values.encoding,
            },
            minClass,
        );
        if (values.items) writeItemsCsv(values.items, result, classColumns, !!values.group);
        // The classes shown are those held to a band; the time is the command's whole run.
        result.report.classes = result.report.classes.filter((c) => c.n >= minClass);
        result.seconds = (performance.now() - started) / 1000;
        if (values.json) {
            const { scored: _scored, ...shown } = result;
            process.stdout.write(JSON.stringify({ ...shown, min_class: minClass }, (_k, v) => (typeof v === 'number' && !Number.isFinite(v) ? null : v), 2) + '\n');
        } else {
            console.log(`${result.file} (${result.encoding}): ${result.rows} rows, ${result.used} used`);
            for (const [reason, n] of Object.entries(result.skipped)) console.log(`  skipped ${n}: ${reason}`);
            if (result.date.note) console.log(`  date: ${result.date.note}`);
            console.log(formatReport(result, minClass));
            if (values.items) console.log(`scored items written to ${values.items}`);
        }
        return values.check && result.bands.some((b) => !b.ok) ? 1 : 0;
    }
    if (action === 'prepare-sip') {
        const { values, positionals } = parse(rest, { out: { type: 'string' } }, true);
        const [dir] = positionals;
        if (!dir || !values.out) throw new UsageError(USAGE);
        const warehouse = await Warehouse.open(':memory:', { migrate: false });
        try {
            const { tasks } = await prepareSip(warehouse, dir, path.resolve(values.out));
            console.log(`${values.out}: ${tasks} SiP tasks (Jones's filter, one row per task, with EstimateOn/StartedOn/CompletedOn)`);
        } finally {
            warehouse.close();
        }
        return 0;
    }
    throw new UsageError(USAGE);
}
