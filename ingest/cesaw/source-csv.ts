/**
 * Reading the CESAW source files: their documented columns (read by position, so the header is checked
 * first), the two timestamp formats they use, and the plausible date range. The mapping is in ../cesaw.ts.
 */
import fs from 'node:fs';
import path from 'node:path';
import { literal } from '../../warehouse/warehouse.ts';

export const TIME_LOG_COLUMNS: Record<string, string> = {
    time_log_fact_key: 'varchar',
    organization: 'varchar',
    project_key: 'varchar',
    person_key: 'varchar',
    team_key: 'varchar',
    wbs_element_key: 'varchar',
    plan_item_key: 'varchar',
    time_log_start_date: 'varchar', // parsed below: two formats and `\N` occur
    time_log_end_date: 'varchar',
    time_log_delta_minutes: 'integer',
    time_log_interrupt_minutes: 'integer',
    phase_key: 'varchar',
    phase_short_name: 'varchar',
    'phase.process_key': 'varchar',
    process_name: 'varchar',
};

export const TASK_COLUMNS: Record<string, string> = {
    project_key: 'varchar',
    person_key: 'varchar',
    team_key: 'varchar',
    wbs_element_key: 'varchar',
    plan_item_key: 'varchar',
    task_actual_start_date: 'varchar',
    task_actual_complete_date: 'varchar',
    task_actual_time_minutes: 'decimal(18,9)',
    task_plan_time_minutes: 'decimal(18,9)', // up to 9 decimals in the file; summed exactly
    phase_key: 'varchar',
    phase_short_name: 'varchar',
    process_name: 'varchar',
};

export const DATE_FROM = '1970-01-01';
export const DATE_TO = '2099-12-31';


/** US `M/D/YYYY H:MM`, or `YYYY-MM-DD HH:MM:SS` (one row of each file); null when neither parses. */
export function parseTs(column: string): string {
    return `coalesce(try_strptime(${column}, '%m/%d/%Y %H:%M'), try_strptime(${column}, '%Y-%m-%d %H:%M:%S'))`;
}

export function plausible(ts: string): string {
    return `(${ts}::date between date '${DATE_FROM}' and date '${DATE_TO}')`;
}

function csvColumns(columns: Record<string, string>): string {
    return Object.entries(columns)
        .map(([name, type]) => `${literal(name)}: ${literal(type)}`)
        .join(', ');
}

export function readCsv(file: string, columns: Record<string, string>): string {
    return (
        `read_csv(${literal(file)}, header = true, auto_detect = false, delim = ',', quote = '"', ` +
        `nullstr = ['\\N', ''], columns = {${csvColumns(columns)}})`
    );
}

/** The header must be exactly what SOURCE.md documents: columns are read by position. */
export function checkHeader(file: string, columns: Record<string, string>): void {
    if (!fs.existsSync(file)) throw new Error(`${file}: not found (is the CESAW dataset at ${path.dirname(file)}?)`);
    const fd = fs.openSync(file, 'r');
    try {
        const buffer = Buffer.alloc(4096);
        const n = fs.readSync(fd, buffer, 0, buffer.length, 0);
        const header = buffer.subarray(0, n).toString('utf8').split(/\r?\n/)[0]?.replace(/^\uFEFF/, '');
        const expected = Object.keys(columns).join(',');
        if (header !== expected) throw new Error(`${file}: unexpected header\n  found:    ${header}\n  expected: ${expected}`);
    } finally {
        fs.closeSync(fd);
    }
}
