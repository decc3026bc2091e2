/**
 * An export file → a temp relation of text cells (c0, c1, … one per header field, `__row` the data record's
 * number) that the tool modules map: a view over the table of its cells (`<relation>_cells`). CSV is read by
 * DuckDB with the sniffed layout; a record DuckDB cannot split (too many fields, a quote never closed) is kept
 * aside with its line and why, so every record is either read or reported. XLSX goes through a UTF-8 CSV copy
 * of its first sheet (xlsx.ts); Parquet is read as is.
 */
import fs from 'node:fs';
import path from 'node:path';
import { literal, type Warehouse } from '../../warehouse/warehouse.ts';
import { recordStartLines, UsageError } from '../files.ts';
import { sniffCsv, transcode1252, type TextLayout } from './text.ts';
import { xlsxToCsv } from './xlsx.ts';

export type SourceFormat = 'csv' | 'xlsx' | 'parquet';

export interface SourceFile {
    /** The file as the report names it. */
    name: string;
    path: string;
    /** The relation of its records: `__row` and c0…cN (text). */
    relation: string;
    header: string[];
    format: SourceFormat;
    encoding: TextLayout['encoding'] | null;
    delimiter: TextLayout['delimiter'] | null;
    records: number;
    /** Records DuckDB could not read: line and why. */
    unreadable: { line: number; reason: string }[];
    /** The physical line of data records (for reports; header = line 1 unless title lines come first). */
    lines(records: readonly number[]): Promise<Map<number, number>>;
}

export function formatOfSource(file: string): SourceFormat | null {
    const ext = path.extname(file).toLowerCase();
    return ext === '.csv' || ext === '.txt' ? 'csv' : ext === '.xlsx' ? 'xlsx' : ext === '.parquet' ? 'parquet' : null;
}

/** The column of a header name in a source relation: c<i>, or null when the file lacks it. */
export function columnOf(header: readonly string[], ...names: string[]): string | null {
    const lower = header.map((h) => h.toLowerCase());
    for (const n of names) {
        const i = lower.indexOf(n.toLowerCase());
        if (i >= 0) return `c${i}`;
    }
    return null;
}

export async function readSource(warehouse: Warehouse, file: string, name: string, relation: string, scratch: string): Promise<SourceFile> {
    const format = formatOfSource(file);
    if (!format) throw new UsageError(`${name}: not a CSV, XLSX or Parquet file`);
    if (format === 'parquet') return readParquet(warehouse, file, name, relation);
    let csv = file;
    if (format === 'xlsx') {
        csv = path.join(scratch, `${relation}.csv`);
        await xlsxToCsv(file, csv);
    }
    let layout = sniffCsv(csv);
    if (layout.encoding === 'windows-1252') csv = await utf8Copy(csv, scratch, relation);
    let source = await readCsv(warehouse, csv, layout, name, relation);
    if (source.unreadable.some((u) => u.reason.startsWith('not UTF-8'))) {
        // The head was UTF-8 but a later line is not: the whole file is Windows-1252.
        csv = await utf8Copy(csv, scratch, relation);
        layout = { ...sniffCsv(csv), encoding: 'windows-1252' };
        source = await readCsv(warehouse, csv, layout, name, relation);
    }
    return { ...source, format };
}

/** Drops a source's relation: the view the importers read and the table of cells under it. */
export async function dropSourceRelation(warehouse: Warehouse, relation: string): Promise<void> {
    await warehouse.run(`drop view if exists ${relation}`);
    await warehouse.run(`drop table if exists ${relation}_cells`);
}

async function utf8Copy(file: string, scratch: string, relation: string): Promise<string> {
    const out = path.join(scratch, `${relation}.utf8.csv`);
    await transcode1252(file, out);
    return out;
}

async function readCsv(warehouse: Warehouse, file: string, layout: Omit<TextLayout, 'path'>, name: string, relation: string): Promise<SourceFile> {
    if (layout.header.length < 2) throw new UsageError(`${name}: no header line with several columns found`);
    const columns = layout.header.map((_, i) => `'c${i}': 'varchar'`).join(', ');
    const rejects = `${relation}_rejects`;
    await warehouse.run(`drop table if exists ${rejects}`);
    await warehouse.run(`drop table if exists ${rejects}_scan`);
    await dropSourceRelation(warehouse, relation);
    // The records are stored in the file's order, so their row ids number them: DuckDB reads the file on every
    // core, where a row_number() over the whole file would run on one. (Row ids count from the lowest: rows the
    // current transaction wrote count from a large offset until it commits.)
    await warehouse.run(`set preserve_insertion_order = true`);
    await warehouse.run(
        `create temp table ${relation}_cells as select * from read_csv(${literal(file)}, ` +
            `header = true, skip = ${layout.skip}, delim = ${literal(layout.delimiter)}, quote = '"', escape = '"', ` +
            `columns = {${columns}}, auto_detect = false, null_padding = true, encoding = 'utf-8', max_line_size = 2000000, ` +
            `store_rejects = true, rejects_table = '${rejects}', rejects_scan = '${rejects}_scan')`,
    );
    await warehouse.run(`create temp view ${relation} as select rowid - (select min(rowid) from ${relation}_cells) + 1 as __row, * from ${relation}_cells`);
    const bad = await warehouse.all<{ line: number; error_type: string; message: string }>(
        `select line::bigint as line, error_type::varchar as error_type, error_message as message from ${rejects} order by line`,
    );
    const count = await warehouse.one<{ n: number }>(`select count(*)::bigint as n from ${relation}`);
    const titleRecords = countTitleRecords(file, layout.skip);
    return {
        name,
        path: file,
        relation,
        header: layout.header,
        format: 'csv',
        encoding: layout.encoding,
        delimiter: layout.delimiter,
        records: count?.n ?? 0,
        unreadable: bad.map((b) => ({ line: b.line, reason: unreadableReason(b.error_type, b.message) })),
        lines: async (records) => {
            // Records DuckDB set aside are not numbered in the relation: the n-th record read is the
            // (n + those set aside before it)-th record of the file.
            const badLines = bad.map((b) => b.line);
            const candidates = records.flatMap((r) => Array.from({ length: badLines.length + 1 }, (_, k) => r + k + titleRecords));
            const at = await recordStartLines(file, candidates);
            const out = new Map<number, number>();
            for (const r of records) {
                let k = r;
                for (const b of badLines) if (b <= (at.get(k + titleRecords) ?? Infinity)) k++;
                out.set(r, at.get(k + titleRecords) ?? r + 1);
            }
            return out;
        },
    };
}

function unreadableReason(type: string, message: string): string {
    if (/unicode/i.test(type)) return 'not UTF-8 text';
    if (/too many columns/i.test(type)) return 'more fields than the header has';
    if (/unquoted|quote/i.test(type)) return 'a quote that is not closed or not followed by a delimiter';
    if (/line size/i.test(type)) return 'a record longer than 2 MB';
    return message.split('\n')[0]!.slice(0, 200);
}

/** Non-empty lines before the header, each a record for recordStartLines. */
function countTitleRecords(file: string, skip: number): number {
    if (skip === 0) return 0;
    const head = fs.readFileSync(file, { encoding: 'utf8', flag: 'r' }).slice(0, 64 * 1024);
    return head.split(/\r\n|\n|\r/).slice(0, skip).filter((l) => l.trim() !== '').length;
}

async function readParquet(warehouse: Warehouse, file: string, name: string, relation: string): Promise<SourceFile> {
    const described = await warehouse.all<{ column_name: string }>(`select column_name from (describe select * from read_parquet(${literal(file)}))`);
    const header = described.map((d) => d.column_name);
    const cols = header.map((h, i) => `"${h.replaceAll('"', '""')}"::varchar as c${i}`).join(', ');
    await dropSourceRelation(warehouse, relation);
    await warehouse.run(`create temp table ${relation}_cells as select file_row_number + 1 as __row, ${cols} from read_parquet(${literal(file)}, file_row_number = true)`);
    await warehouse.run(`create temp view ${relation} as select * from ${relation}_cells`);
    const count = await warehouse.one<{ n: number }>(`select count(*)::bigint as n from ${relation}`);
    return {
        name,
        path: file,
        relation,
        header,
        format: 'parquet',
        encoding: null,
        delimiter: null,
        records: count?.n ?? 0,
        unreadable: [],
        lines: async (records) => new Map(records.map((r) => [r, r])),
    };
}
