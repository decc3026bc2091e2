/**
 * Reading a file into the report path's text table, and what happens when DuckDB cannot: each read that
 * fails moves the file one way down (ReadAs) and the pass starts again.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ident, literal, type Warehouse } from '../../warehouse/warehouse.ts';
import { scanCsv, type InputFile } from '../files.ts';
import { textSpec } from './columns.ts';
import { MAX_VALUE_CHARS } from './report.ts';

/**
 * How the report pass reads a file. Each read DuckDB fails on (which aborts the transaction) moves the file
 * one step down and the pass starts again: a CSV DuckDB cannot split is read record by record first
 * (files.ts scanCsv, which names the unreadable records); a file still unreadable is one problem, why.
 */
export type ReadAs = { how: 'direct' } | { how: 'scanned' } | { how: 'unreadable'; reason: string };

/** DuckDB could not read a file (its read aborted the transaction); `how` says how it was read. */
export class ReadFailed extends Error {
    readonly file: InputFile;
    readonly how: ReadAs['how'];
    constructor(file: InputFile, how: ReadAs['how'], cause: unknown) {
        super(firstLine(cause));
        this.file = file;
        this.how = how;
    }
}

function firstLine(err: unknown): string {
    return (err instanceof Error ? err.message : String(err)).split('\n')[0]!.slice(0, MAX_VALUE_CHARS);
}

/** Why DuckDB could not read a file, in its words without its error class ("Invalid Input Error: …"). */
export function unreadableReason(file: InputFile, message: string): string {
    const why = message.replace(/^[A-Za-z ]*Error: /, '');
    return file.format === 'parquet' ? `not a readable Parquet file: ${why}` : `unreadable CSV file: ${why}`;
}

/** A Parquet file's column names; a file DuckDB cannot read as Parquet fails the pass (ReadFailed). */
export async function parquetColumns(warehouse: Warehouse, file: InputFile): Promise<string[]> {
    try {
        return (await warehouse.all<{ column_name: string }>(`describe select * from read_parquet(${literal(file.path)})`)).map((r) => r.column_name);
    } catch (err) {
        throw new ReadFailed(file, 'direct', err);
    }
}

/**
 * Reads every cell as text, numbered (__row), into `<relation>_text`. A CSV is read by DuckDB as it is
 * (__row = record number) unless DuckDB failed on it before (readAs 'scanned'): then the records are read
 * in JS, the unreadable ones named (scan) and the rest handed to DuckDB with their line (__row = line).
 * DuckDB failing here fails the pass (ReadFailed), which reads the file the next way.
 */
export async function stageText(
    warehouse: Warehouse,
    file: InputFile,
    header: readonly string[],
    relation: string,
    readAs: ReadAs,
    keep: number,
): Promise<{ rows: number; lineNumbered: boolean; scan: CsvScanResult | null }> {
    let scan: CsvScanResult | null = null;
    let lineNumbered = file.format === 'parquet';
    try {
        if (file.format === 'csv' && readAs.how === 'scanned') {
            const copy = path.join(os.tmpdir(), `realize-records-${process.pid}-${relation}.csv`);
            try {
                scan = await scanCsv(file.path, header.length, keep, copy);
                await warehouse.run(
                    `create temp table ${relation}_text as select * rename (__line as __row) from read_csv(${literal(copy)}, ` +
                        `header = true, auto_detect = false, encoding = 'utf-8', columns = {'__line': 'bigint', ${textSpec(header)}})`,
                );
            } finally {
                fs.rmSync(copy, { force: true });
            }
            lineNumbered = true;
        } else if (file.format === 'csv') {
            // Record numbers come from the order rows are read in: keep it.
            await warehouse.run(`set preserve_insertion_order = true`);
            await warehouse.run(
                `create temp table ${relation}_text as select row_number() over () as __row, * from read_csv(${literal(file.path)}, ` +
                    `header = true, auto_detect = false, encoding = 'utf-8', columns = {${textSpec(header)}})`,
            );
        } else {
            const cols = header.map((h) => `${ident(h)}::varchar as ${ident(h)}`).join(', ');
            await warehouse.run(
                `create temp table ${relation}_text as select file_row_number + 1 as __row, ${cols} from read_parquet(${literal(file.path)}, file_row_number = true)`,
            );
        }
    } catch (err) {
        throw new ReadFailed(file, readAs.how, err);
    }
    const count = await warehouse.one<{ n: number }>(`select count(*)::bigint as n from ${relation}_text`);
    return { rows: count?.n ?? 0, lineNumbered, scan };
}

export type CsvScanResult = Awaited<ReturnType<typeof scanCsv>>;
