/**
 * The first sheet of an XLSX workbook → a UTF-8 CSV file, cells as Excel shows them: text as text, dates and
 * times (numbers in a date or time format) as ISO dates, `HH:MM:SS` or `[h]:mm:ss` durations, other numbers as
 * written. An XLSX file is a ZIP of XML parts; this reads the few parts a sheet needs with node:zlib.
 *
 * Why not a package: DuckDB's excel extension is not bundled with @duckdb/node-api (it downloads on first use,
 * which a machine without the extension host cannot do), and the npm readers are either large (exceljs, with
 * its dependency tree) or SheetJS, whose npm release (xlsx 0.18.5) is no longer maintained there. The subset
 * an export needs (shared strings, inline strings, numbers, booleans, date styles) is small.
 * The workbook is read whole into memory: XLSX uploads are bounded (MAX_XLSX_BYTES).
 */
import fs from 'node:fs';
import { inflateRawSync } from 'node:zlib';
import { UsageError } from '../files.ts';

/** XLSX files larger than this are refused: save the sheet as CSV (which streams) instead. */
export const MAX_XLSX_BYTES = 200 * 1024 * 1024;

/** The files of a ZIP archive by name (read from its central directory). */
export function unzip(buf: Buffer): Map<string, () => Buffer> {
    let eocd = -1;
    for (let i = buf.length - 22; i >= Math.max(0, buf.length - 65_557); i--) {
        if (buf.readUInt32LE(i) === 0x06054b50) {
            eocd = i;
            break;
        }
    }
    if (eocd < 0) throw new Error('not a ZIP archive');
    const entries = buf.readUInt16LE(eocd + 10);
    let at = buf.readUInt32LE(eocd + 16);
    const files = new Map<string, () => Buffer>();
    for (let n = 0; n < entries; n++) {
        if (buf.readUInt32LE(at) !== 0x02014b50) throw new Error('damaged ZIP directory');
        const method = buf.readUInt16LE(at + 10);
        const size = buf.readUInt32LE(at + 20);
        const nameLength = buf.readUInt16LE(at + 28);
        const extra = buf.readUInt16LE(at + 30);
        const comment = buf.readUInt16LE(at + 32);
        const local = buf.readUInt32LE(at + 42);
        const name = buf.toString('utf8', at + 46, at + 46 + nameLength);
        files.set(name, () => {
            const start = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
            const data = buf.subarray(start, start + size);
            return method === 8 ? inflateRawSync(data) : Buffer.from(data);
        });
        at += 46 + nameLength + extra + comment;
    }
    return files;
}

function decodeXml(s: string): string {
    return s.replace(/&(#x[0-9a-f]+|#\d+|amp|lt|gt|quot|apos);/gi, (_, e: string) => {
        if (e[0] === '#') return String.fromCodePoint(e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10));
        return ({ amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" } as Record<string, string>)[e.toLowerCase()]!;
    });
}

/** The text of every <t> inside a fragment (a shared string may be runs of formatted text). */
function texts(xml: string): string {
    let out = '';
    for (const m of xml.matchAll(/<t(?:\s[^>]*)?>([\s\S]*?)<\/t>/g)) out += decodeXml(m[1]!);
    return out;
}

function attr(tag: string, name: string): string | null {
    return new RegExp(`\\s${name}="([^"]*)"`).exec(tag)?.[1] ?? null;
}

type CellKind = 'date' | 'time' | 'duration' | 'datetime' | null;

/** What each cell style shows a number as, by style index. */
function styleKinds(styles: string | null): CellKind[] {
    if (!styles) return [];
    const custom = new Map<number, string>();
    for (const m of styles.matchAll(/<numFmt\s[^>]*>/g)) custom.set(Number(attr(m[0], 'numFmtId')), decodeXml(attr(m[0], 'formatCode') ?? ''));
    const xfs = /<cellXfs[^>]*>([\s\S]*?)<\/cellXfs>/.exec(styles)?.[1] ?? '';
    return [...xfs.matchAll(/<xf\s[^>]*>/g)].map((m) => {
        const id = Number(attr(m[0], 'numFmtId') ?? 0);
        if ((id >= 14 && id <= 17) || id === 22) return id === 22 ? 'datetime' : 'date';
        if (id >= 18 && id <= 21) return 'time';
        if (id === 46) return 'duration';
        if (id === 45 || id === 47) return 'time';
        const code = (custom.get(id) ?? '').replace(/"[^"]*"|\[[^\]h]*\]|\\./g, '').toLowerCase();
        if (/\[h+\]/.test(code)) return 'duration';
        const date = /[dy]/.test(code) || /(^|[^h:])m{3,}/.test(code);
        const time = /h|s/.test(code);
        return date && time ? 'datetime' : date ? 'date' : time ? 'time' : null;
    });
}

const pad = (n: number) => String(n).padStart(2, '0');

/** An Excel serial number (days since 1899-12-30) as text of its kind. */
export function serialText(serial: number, kind: Exclude<CellKind, null>): string {
    const seconds = Math.round(serial * 86_400);
    const clock = (s: number) => `${pad(Math.floor(s / 3600) % 24)}:${pad(Math.floor(s / 60) % 60)}:${pad(s % 60)}`;
    if (kind === 'duration') return `${Math.floor(seconds / 3600)}:${pad(Math.floor(seconds / 60) % 60)}:${pad(seconds % 60)}`;
    if (kind === 'time') return clock(((seconds % 86_400) + 86_400) % 86_400);
    const day = new Date(Date.UTC(1899, 11, 30) + Math.floor(seconds / 86_400) * 86_400_000).toISOString().slice(0, 10);
    return kind === 'date' ? day : `${day} ${clock(((seconds % 86_400) + 86_400) % 86_400)}`;
}

function columnIndex(ref: string): number {
    let n = 0;
    for (const ch of ref.replace(/\d+$/, '')) n = n * 26 + (ch.charCodeAt(0) - 64);
    return n - 1;
}

function csvCell(v: string): string {
    return /[",\r\n]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v;
}

/** The rows of the workbook's first sheet, each a list of cell texts. */
export function readFirstSheet(buf: Buffer): string[][] {
    const zip = unzip(buf);
    const read = (name: string) => zip.get(name)?.().toString('utf8') ?? null;
    const workbook = read('xl/workbook.xml');
    if (!workbook) throw new Error('not an XLSX workbook (no xl/workbook.xml)');
    const firstSheet = /<sheet\s[^>]*>/.exec(workbook)?.[0];
    const relId = firstSheet ? attr(firstSheet, 'r:id') : null;
    const rels = read('xl/_rels/workbook.xml.rels') ?? '';
    const rel = [...rels.matchAll(/<Relationship\s[^>]*>/g)].map((m) => m[0]).find((r) => attr(r, 'Id') === relId);
    const target = rel ? attr(rel, 'Target')!.replace(/^\/?(xl\/)?/, '') : 'worksheets/sheet1.xml';
    const sheet = read(`xl/${target}`);
    if (!sheet) throw new Error(`the workbook has no sheet at xl/${target}`);
    const shared = [...(read('xl/sharedStrings.xml') ?? '').matchAll(/<si>([\s\S]*?)<\/si>/g)].map((m) => texts(m[1]!));
    const kinds = styleKinds(read('xl/styles.xml'));
    const rows: string[][] = [];
    for (const row of sheet.matchAll(/<row\b[^>]*>([\s\S]*?)<\/row>|<row\b[^>]*\/>/g)) {
        const cells: string[] = [];
        for (const c of (row[1] ?? '').matchAll(/<c\b([^>]*?)(?:\/>|>([\s\S]*?)<\/c>)/g)) {
            const tag = c[1]!;
            const body = c[2] ?? '';
            const ref = attr(tag, 'r');
            const index = ref ? columnIndex(ref) : cells.length;
            const type = attr(tag, 't');
            const v = /<v>([\s\S]*?)<\/v>/.exec(body)?.[1];
            let text = '';
            if (type === 's') text = shared[Number(v)] ?? '';
            else if (type === 'inlineStr') text = texts(body);
            else if (type === 'str' || type === 'e') text = v === undefined ? '' : decodeXml(v);
            else if (type === 'b') text = v === '1' ? 'TRUE' : 'FALSE';
            else if (v !== undefined) {
                const kind = kinds[Number(attr(tag, 's') ?? 0)] ?? null;
                text = kind ? serialText(Number(v), kind) : v;
            }
            while (cells.length < index) cells.push('');
            cells[index] = text;
        }
        rows.push(cells);
    }
    return rows;
}

export async function xlsxToCsv(file: string, out: string): Promise<void> {
    const size = fs.statSync(file).size;
    if (size > MAX_XLSX_BYTES) throw new UsageError(`${file}: an XLSX file over ${MAX_XLSX_BYTES / 2 ** 20} MB; save the sheet as CSV instead`);
    let rows: string[][];
    try {
        rows = readFirstSheet(fs.readFileSync(file));
    } catch (err) {
        throw new UsageError(`${file}: not a readable XLSX workbook (${(err as Error).message})`);
    }
    while (rows.length > 0 && rows[rows.length - 1]!.every((c) => c === '')) rows.pop();
    const width = Math.max(0, ...rows.map((r) => r.length));
    fs.writeFileSync(out, rows.map((r) => Array.from({ length: width }, (_, i) => csvCell(r[i] ?? '')).join(',')).join('\n') + '\n');
}
