/**
 * An invoicing tool's CSV export → its header and records, each with the physical line it starts on, and the
 * cells those exports write: money as `$13.50 `, `1,020.00`, `($400.00)` (negative) or `1.020,00`; dates as
 * ISO or day/month numbers.
 *
 * Title lines before the header (Invoice Ninja v4 writes three) are skipped: the header is the first record
 * that holds the columns the tool needs. The delimiter is ',' or ';', whichever splits that header. A UTF-8 BOM
 * is dropped. Billing exports are documents (hundreds of rows), so they are read here rather than by DuckDB,
 * which keeps every record's line for the report without a second pass.
 */
import fs from 'node:fs';
import { UsageError } from '../files.ts';
import { csvRecords, type CsvRecord } from '../import/text.ts';

export type ExportRecord = CsvRecord;

export interface ExportFile {
    name: string;
    header: string[];
    delimiter: ',' | ';';
    /** The data records after the header (blank records dropped). */
    records: ExportRecord[];
    /** The header's column of the first of the names it holds (case-insensitive, trimmed), or -1. */
    col(...names: string[]): number;
    /** col() of each entry's name or names: the columns a module reads, by what it calls them. */
    columns<K extends string>(names: Record<K, string | readonly string[]>): Record<K, number>;
    /** dateOrderOf() the cells of these columns in every record. */
    dateOrder(...columns: number[]): DateOrder;
}

/** An export a tool writes: what a message calls it ("FreshBooks invoice"), and the columns its header holds, which tell it. */
export interface ExportKind {
    title: string;
    header: readonly string[];
}

/**
 * An export as its module reads it (each tool's <tool>.json): also the columns the module reads, by what it
 * calls them; of several names, the first the header holds.
 */
export interface ExportLayout<K extends string = string> extends ExportKind {
    columns: Record<K, string | readonly string[]>;
}

/**
 * Reads an export whose header holds every one of the kind's columns (case-insensitive). Throws a UsageError
 * naming the export when no such header is found in the first 20 records.
 */
export function readExport(file: string, name: string, kind: ExportKind): ExportFile {
    const required = kind.header;
    if (!fs.existsSync(file)) throw new UsageError(`${name}: no such file`);
    const text = fs.readFileSync(file, 'utf8');
    const wanted = required.map((r) => r.toLowerCase());
    for (const delimiter of [',', ';'] as const) {
        const records = csvRecords(text, delimiter);
        const at = records.slice(0, 20).findIndex((r) => {
            const cells = r.cells.map((c) => c.trim().toLowerCase());
            return wanted.every((w) => cells.includes(w));
        });
        if (at < 0) continue;
        const header = records[at]!.cells.map((c) => c.trim());
        const lower = header.map((h) => h.toLowerCase());
        const data = records.slice(at + 1);
        const col = (...names: string[]) => {
            for (const n of names) {
                const i = lower.indexOf(n.toLowerCase());
                if (i >= 0) return i;
            }
            return -1;
        };
        return {
            name,
            header,
            delimiter,
            records: data,
            col,
            columns: <K extends string>(names: Record<K, string | readonly string[]>) =>
                Object.fromEntries(Object.entries<string | readonly string[]>(names).map(([k, n]) => [k, col(...[n].flat())])) as Record<K, number>,
            dateOrder: (...columns) => dateOrderOf(data.flatMap((r) => columns.map((c) => r.cells[c] ?? ''))),
        };
    }
    throw new UsageError(`${name}: not a ${kind.title} export: no header with ${required.join(', ')}`);
}

/** Whether the file's first records (in its first 64 KB: detection never reads a large file) hold a header with every one of `required`. */
export function hasHeader(file: string, required: readonly string[]): boolean {
    if (!fs.existsSync(file) || fs.statSync(file).isDirectory()) return false;
    const fd = fs.openSync(file, 'r');
    let head: string;
    try {
        const buffer = Buffer.alloc(64 * 1024);
        head = buffer.subarray(0, fs.readSync(fd, buffer, 0, buffer.length, 0)).toString('utf8');
    } finally {
        fs.closeSync(fd);
    }
    const wanted = required.map((r) => r.toLowerCase());
    return [',', ';'].some((d) => csvRecords(head, d).slice(0, 20).some((r) => wanted.every((w) => r.cells.map((c) => c.trim().toLowerCase()).includes(w))));
}

/**
 * A money cell → integer cents, or null when it is not a whole amount. Currency signs and codes, spaces and
 * thousands separators are ignored; `(x)` and `-x` are negative. The decimal mark is the last of '.' or ','
 * when followed by one or two digits only (`1.020,00`), else '.'. More than two decimals are rounded half
 * away from zero (a unit price of 4.255 × 1 is 4.26).
 */
export function moneyCents(cell: string | undefined): number | null {
    if (cell === undefined) return null;
    let t = cell.replace(/[\s\u00a0\u202f$€£¥]/g, '').replace(/^[A-Z]{3}|[A-Z]{3}$/g, '');
    if (t === '') return null;
    let negative = false;
    const paren = /^\((.*)\)$/.exec(t);
    if (paren) {
        negative = true;
        t = paren[1]!;
    }
    if (t.startsWith('-')) {
        negative = !negative;
        t = t.slice(1);
    } else if (t.startsWith('+')) t = t.slice(1);
    const comma = /,\d{1,2}$/.test(t) && !/\.\d{1,2}$/.test(t);
    const plain = comma ? t.replaceAll('.', '').replace(',', '.') : t.replaceAll(',', '');
    if (!/^(\d+(\.\d*)?|\.\d+)$/.test(plain)) return null;
    const cents = decimalTimes(plain, 100);
    return negative ? -cents : cents;
}

/** A plain decimal number cell (quantities, rates, percentages) → number, or null. */
export function decimal(cell: string | undefined): number | null {
    if (cell === undefined) return null;
    const t = cell.trim().replaceAll(',', '');
    if (!/^[+-]?(\d+(\.\d*)?|\.\d+)$/.test(t)) return null;
    return Number(t);
}

/** round(x × factor) for a decimal text, half away from zero, exactly (no binary fractions in between). */
function decimalTimes(plain: string, factor: 100): number {
    const [whole, frac = ''] = plain.split('.');
    const digits = frac.padEnd(3, '0');
    const cents = Number(whole || '0') * factor + Number(digits.slice(0, 2));
    const rest = digits.slice(2);
    return rest !== '' && Number(rest[0]) >= 5 ? cents + 1 : cents;
}

/** Cents of quantity × unit price, rounded half away from zero to the cent. */
export function lineCents(quantity: number, unitPrice: number): number {
    const exact = quantity * unitPrice * 100;
    // Products of decimals land a hair off the half-cent (8.89 × 3 = 26.669999…): round at 1e-6 first.
    const r = Math.round(Math.abs(exact) * 1e6) / 1e6;
    return Math.sign(exact) * Math.round(r);
}

export type DateOrder = 'dmy' | 'mdy';

/** A date cell → ISO `YYYY-MM-DD`, or null: ISO (a time after it allowed) or d/m/y in the given order. */
export function isoDate(cell: string | undefined, order: DateOrder): string | null {
    const t = (cell ?? '').trim();
    let y: number;
    let m: number;
    let d: number;
    const iso = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ].*)?$/.exec(t);
    const dm = /^(\d{1,2})[./-](\d{1,2})[./-](\d{4})$/.exec(t);
    if (iso) [y, m, d] = [Number(iso[1]), Number(iso[2]), Number(iso[3])];
    else if (dm) {
        const [a, b] = [Number(dm[1]), Number(dm[2])];
        [y, m, d] = order === 'mdy' ? [Number(dm[3]), a, b] : [Number(dm[3]), b, a];
    } else return null;
    const date = new Date(Date.UTC(y, m - 1, d));
    if (date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) return null;
    return date.toISOString().slice(0, 10);
}

/** The order the file's day/month dates allow: 'dmy' when one of them has a first part above 12, else 'mdy'. */
export function dateOrderOf(cells: readonly string[]): DateOrder {
    for (const c of cells) {
        const dm = /^(\d{1,2})[./-](\d{1,2})[./-]\d{4}$/.exec(c.trim());
        if (dm && Number(dm[1]) > 12) return 'dmy';
    }
    return 'mdy';
}

/** Cents → `123.45` / `-0.50`, the canonical CSV's money. */
export function centsText(cents: number): string {
    const sign = cents < 0 ? '-' : '';
    const a = Math.abs(cents);
    return `${sign}${Math.floor(a / 100)}.${String(a % 100).padStart(2, '0')}`;
}
