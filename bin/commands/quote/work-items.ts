/**
 * Reading a table of work items for `realize quote backtest` (quote.ts has the whole contract): DuckDB reads
 * the CSV as text, UTF-8 made sure of first (utf8Copy); numbers, dates and classes are read as the header of
 * quote.ts says, and rows that cannot be used are counted by reason.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { UsageError } from '../../../ingest/files.ts';
import type { WorkItem } from '../../../models/quote/backtest.ts';
import { Warehouse, literal } from '../../../warehouse/warehouse.ts';

/** read_csv's null string: a value no file holds, so that no field is read as NULL but one a short row lacks. */
const NO_NULL_STRING = '\u0001realize:no-null\u0001';

/** The class value of an item whose class cell is empty, and of one whose cell is missing (NA, null, … or absent). */
export const EMPTY_CLASS = '(empty)';
export const MISSING_CLASS = '(missing)';

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


/** A table of work items as read: the items used (with their data rows) and the rows skipped, by reason. */
export interface WorkItemsCsv {
    file: string;
    encoding: string;
    rows: number;
    used: number;
    skipped: Record<string, number>;
    date: { column: string; format: string; note: string | null };
    items: WorkItem[];
    /** Each item's data row in the file (1-based, the header not counted). */
    itemRows: number[];
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
