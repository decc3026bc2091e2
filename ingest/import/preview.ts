/**
 * What an upload shows before anything is imported: per file, the tool and what kind of file it is (a time
 * report, or a clients or projects list), the format, encoding and delimiter, the header, its first rows, and
 * which column each field is read from.
 */
import fs from 'node:fs';
import path from 'node:path';
import { literal, type Warehouse } from '../../warehouse/warehouse.ts';
import type { ColumnMapping } from '../generic.ts';
import { togglJsonToCsv } from '../toggl.ts';
import type { Field } from './entries.ts';
import type { ListFields } from './list-stage.ts';
import type { FileKind } from './report.ts';
import { formatOfSource } from './source.ts';
import { sniffCsv, transcode1252 } from './text.ts';
import { detectList, detectTool, toolFields, type ToolName } from './tools.ts';
import { xlsxToCsv } from './xlsx.ts';

export interface FilePreview {
    file: string;
    tool: ToolName | null;
    /** What the file holds, when its tool is known. */
    kind: FileKind | null;
    format: 'csv' | 'xlsx' | 'parquet' | 'json';
    encoding: string | null;
    delimiter: string | null;
    header: string[];
    rows: string[][];
    /** Field → the column it is read from (only fields the file has). */
    mapping: { field: string; column: string }[];
}

export const PREVIEW_ROWS = 10;

export async function previewFile(warehouse: Warehouse, file: string, name: string, scratch: string, columns: ColumnMapping | null = null): Promise<FilePreview> {
    let csv = file;
    let format: FilePreview['format'];
    if (fs.statSync(file).isDirectory() || /\.json$/i.test(name)) {
        format = 'json';
        csv = path.join(scratch, `preview-${path.basename(file)}.csv`);
        togglJsonToCsv(file, csv);
    } else {
        const f = formatOfSource(name);
        if (!f) return { file: name, tool: null, kind: null, format: 'csv', encoding: null, delimiter: null, header: [], rows: [], mapping: [] };
        format = f;
        if (f === 'xlsx') {
            csv = path.join(scratch, `preview-${path.basename(file)}.csv`);
            await xlsxToCsv(file, csv);
        }
    }
    let header: string[];
    let rows: string[][];
    let encoding: string | null = null;
    let delimiter: string | null = null;
    if (format === 'parquet') {
        const found = await warehouse.all<Record<string, unknown>>(`select * from read_parquet(${literal(file)}) limit ${PREVIEW_ROWS}`);
        const described = await warehouse.all<{ column_name: string }>(`select column_name from (describe select * from read_parquet(${literal(file)}))`);
        header = described.map((d) => d.column_name);
        rows = found.map((r) => header.map((h) => (r[h] === null || r[h] === undefined ? '' : String(r[h]))));
    } else {
        const layout = sniffCsv(csv);
        if (layout.encoding === 'windows-1252') {
            const copy = path.join(scratch, `preview-${path.basename(file)}.utf8.csv`);
            await transcode1252(csv, copy);
            csv = copy;
        }
        header = layout.header;
        encoding = layout.encoding;
        delimiter = layout.delimiter;
        const cols = header.map((_, i) => `'c${i}': 'varchar'`).join(', ');
        const found = await warehouse.all<Record<string, string | null>>(
            `select * from read_csv(${literal(csv)}, header = true, skip = ${layout.skip}, delim = ${literal(layout.delimiter)}, quote = '"', escape = '"', ` +
                `columns = {${cols}}, auto_detect = false, null_padding = true, ignore_errors = true) limit ${PREVIEW_ROWS}`,
        );
        rows = found.map((r) => header.map((_, i) => r[`c${i}`] ?? ''));
    }
    const list = format === 'json' ? null : detectList('auto', header);
    if (list) return { file: name, tool: list.tool, kind: list.fields.kind, format, encoding, delimiter, header, rows, mapping: listMapping(list.fields) };
    const tool = format === 'json' ? 'toggl' : (detectTool(header) ?? (columns ? 'generic' : null));
    const fields = tool ? toolFields(tool, header, columns) : {};
    const mapping = Object.entries(fields)
        .filter(([, f]) => f)
        .map(([field, f]) => ({ field, column: f!.label }));
    return { file: name, tool, kind: tool ? 'time' : null, format, encoding, delimiter, header, rows, mapping };
}

/** A list's fields and the columns they are read from (a budget: its amount and the column naming its unit). */
function listMapping(fields: ListFields): FilePreview['mapping'] {
    const { kind: _kind, status, budget, ...plain } = fields;
    const out = Object.entries(plain as Record<string, Field | undefined>).flatMap(([field, f]) => (f ? [{ field, column: f.label }] : []));
    if (status) out.push({ field: 'status', column: status.field.label });
    if (budget) out.push({ field: 'budget', column: budget.amount.label }, { field: 'budgetBy', column: budget.field.label });
    return out;
}
