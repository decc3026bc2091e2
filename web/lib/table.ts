/**
 * What a table shows, as data: columns with a kind that says how a value is formatted. The same spec drives
 * the on-screen table, its CSV download and the chart's table view, so the three never disagree.
 */
import { csvField } from './csv.ts';
import { DASH, formatDate, formatHours, formatMoney, formatMonth, formatNumber, formatPercent, formatRate, formatRatio, humanize } from './format.ts';

export type ColumnKind = 'text' | 'label' | 'money' | 'rate' | 'hours' | 'percent' | 'ratio' | 'number' | 'month' | 'date';

export type Cell = string | number | boolean | null | undefined;
export type Row = Record<string, Cell>;

export interface Column {
    key: string;
    label: string;
    kind: ColumnKind;
    /** Decimals shown (hours, percent, ratio, number). */
    digits?: number;
    /** A definition shown on hover of the header. */
    help?: string;
    /** A link for the cell (e.g. a project page). */
    href?: (row: Row) => string | null;
    /** Below zero is not bad news here (hours under plan): not shown in red as a loss is. */
    plainSign?: boolean;
}

/** A figure shown as bad news: a negative number in a column whose sign matters. */
export function isLoss(column: Column, row: Row): boolean {
    const v = row[column.key];
    return !column.plainSign && NUMERIC.has(column.kind) && typeof v === 'number' && v < 0;
}

/**
 * Rows that carry their own currency (an invoice, a rate card) rather than the firm's: the amount is a plain
 * figure to two decimals (no symbol, no currency in its CSV header) beside the row's Currency column.
 */
export const CURRENCY_COLUMN: Column = { key: 'currency', label: 'Currency', kind: 'text' };
export const amountInRowCurrency = (key: string, label: string): Column => ({ key, label, kind: 'number', digits: 2 });

export interface TableData {
    columns: Column[];
    rows: Row[];
}

export interface FormatContext {
    currency: string;
    locale: string;
}

const defaultDigits: Partial<Record<ColumnKind, number>> = { hours: 2, percent: 1, ratio: 2, number: 0 };
const digitsOf = (c: Column) => c.digits ?? defaultDigits[c.kind] ?? 0;
const num = (v: Cell): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/** The cell as the table shows it. */
export function cellText(column: Column, row: Row, ctx: FormatContext): string {
    const v = row[column.key];
    switch (column.kind) {
        case 'money':
            return formatMoney(num(v), ctx.currency, ctx.locale);
        case 'rate':
            return formatRate(num(v), ctx.currency, ctx.locale);
        case 'hours':
            return formatHours(num(v), ctx.locale, digitsOf(column));
        case 'percent':
            return formatPercent(num(v), ctx.locale, digitsOf(column));
        case 'ratio':
            return formatRatio(num(v), ctx.locale, digitsOf(column));
        case 'number':
            return formatNumber(num(v), ctx.locale, digitsOf(column));
        case 'month':
            return formatMonth(typeof v === 'string' ? v : null, ctx.locale);
        case 'date':
            return formatDate(typeof v === 'string' ? v : null, ctx.locale);
        case 'label':
            return typeof v === 'string' ? humanize(v) : DASH;
        default:
            return v === null || v === undefined || v === '' ? DASH : String(v);
    }
}

/** The column header of the CSV: the label with its unit, so a bare number is never ambiguous. */
export function csvHeader(column: Column, ctx: Pick<FormatContext, 'currency'>): string {
    switch (column.kind) {
        case 'money':
            return `${column.label} (${ctx.currency})`;
        case 'rate':
            return `${column.label} (${ctx.currency}/h)`;
        case 'hours':
            return `${column.label} (h)`;
        case 'percent':
            return `${column.label} (%)`;
        case 'ratio':
            return `${column.label} (×)`;
        default:
            return column.label;
    }
}

/**
 * The cell as the CSV holds it: the number the table shows, at the precision it shows, without grouping
 * or symbols (a percentage as its percent value: 87.3% → 87.3); empty when the table shows a dash.
 */
export function csvValue(column: Column, row: Row): string {
    const v = row[column.key];
    switch (column.kind) {
        case 'money':
        case 'rate': {
            const n = num(v);
            return n === null ? '' : fixed(n, 2);
        }
        case 'hours':
        case 'ratio':
        case 'number': {
            const n = num(v);
            return n === null ? '' : fixed(n, digitsOf(column));
        }
        case 'percent': {
            const n = num(v);
            return n === null ? '' : fixed(n * 100, digitsOf(column));
        }
        case 'month':
            return typeof v === 'string' ? v.slice(0, 7) : '';
        case 'date':
            return typeof v === 'string' ? v.slice(0, 10) : '';
        case 'label':
            return typeof v === 'string' ? humanize(v) : '';
        default:
            return v === null || v === undefined ? '' : String(v);
    }
}

/** Rounds half away from zero at `digits` decimals (as Intl does), without "-0". */
export function fixed(n: number, digits: number): string {
    const f = 10 ** digits;
    const r = Math.sign(n) * Math.round(Math.abs(n) * f + Number.EPSILON * f) / f;
    const s = (r === 0 ? 0 : r).toFixed(digits);
    return s;
}

const NUMERIC: ReadonlySet<ColumnKind> = new Set(['money', 'rate', 'hours', 'percent', 'ratio', 'number']);

/**
 * RFC 4180 CSV of exactly the rows and columns of the table, every field through csvField: a number (a
 * numeric column, or a number in any column) is written as it is, text that a spreadsheet would run as a
 * formula is written as text.
 */
export function toCsv(table: TableData, ctx: Pick<FormatContext, 'currency'>): string {
    const lines = [table.columns.map((c) => csvField(csvHeader(c, ctx))).join(',')];
    for (const row of table.rows) lines.push(table.columns.map((c) => csvField(csvValue(c, row), NUMERIC.has(c.kind) || typeof row[c.key] === 'number')).join(','));
    return `${lines.join('\r\n')}\r\n`;
}

/** Sorts rows by a column: numbers numerically, text by locale; empty values last either way. */
export function sortRows(rows: Row[], key: string, order: 'asc' | 'desc', locale = 'en'): Row[] {
    const collator = new Intl.Collator(locale, { numeric: true, sensitivity: 'base' });
    const sign = order === 'asc' ? 1 : -1;
    return [...rows].sort((a, b) => {
        const x = a[key];
        const y = b[key];
        const xe = x === null || x === undefined || x === '';
        const ye = y === null || y === undefined || y === '';
        if (xe || ye) return xe === ye ? 0 : xe ? 1 : -1;
        if (typeof x === 'number' && typeof y === 'number') return sign * (x - y);
        return sign * collator.compare(String(x), String(y));
    });
}
