/**
 * How another tool's export is written, read from its first lines: byte-order mark, delimiter (`,`, `;` or
 * tab), the header and any title lines above it (Invoice Ninja writes its name and the date first). Files
 * that are not UTF-8 are taken as Windows-1252 (what Excel on Windows saves) and copied to UTF-8.
 */
import fs from 'node:fs';
import { UsageError } from '../usage-error.ts';

export interface TextLayout {
    /** The file DuckDB reads: the export itself, or its UTF-8 copy. */
    path: string;
    encoding: 'utf-8' | 'utf-8 with BOM' | 'windows-1252';
    delimiter: ',' | ';' | '\t';
    header: string[];
    /** Lines before the header (title lines). */
    skip: number;
}

const DELIMITERS = [',', ';', '\t'] as const;
const HEAD_BYTES = 256 * 1024;

export interface CsvRecord {
    /** Physical line (1-based) the record starts on. */
    line: number;
    cells: string[];
}

/** RFC 4180 records of a text, each with the line it starts on; blank records dropped unless `keepBlank`. */
export function csvRecords(text: string, delimiter: string, keepBlank = false): CsvRecord[] {
    const out: CsvRecord[] = [];
    const s = text.replace(/^\uFEFF/, '');
    let row: string[] = [];
    let field = '';
    let quoted = false;
    let line = 1;
    let start = 1;
    const end = () => {
        row.push(field);
        if (keepBlank || row.some((c) => c.trim() !== '')) out.push({ line: start, cells: row });
        row = [];
        field = '';
    };
    for (let i = 0; i < s.length; i++) {
        const ch = s[i]!;
        if (ch === '\n') line++;
        if (quoted) {
            if (ch === '"' && s[i + 1] === '"') {
                field += '"';
                i++;
            } else if (ch === '"') quoted = false;
            else field += ch;
        } else if (ch === '"') quoted = true;
        else if (ch === delimiter) {
            row.push(field);
            field = '';
        } else if (ch === '\n' || ch === '\r') {
            if (ch === '\r' && s[i + 1] === '\n') {
                i++;
                line++;
            } else if (ch === '\r') line++;
            end();
            start = line;
        } else field += ch;
    }
    if (field !== '' || row.length > 0) end();
    return out;
}

/** The fields of one CSV line (RFC 4180 quoting), as text. */
export function splitLine(line: string, delimiter: string): string[] {
    return csvRecords(line, delimiter, true)[0]?.cells ?? [''];
}

function countOutsideQuotes(line: string, ch: string): number {
    let n = 0;
    let quoted = false;
    for (const c of line) {
        if (c === '"') quoted = !quoted;
        else if (c === ch && !quoted) n++;
    }
    return n;
}

/** The layout of a CSV export: encoding, delimiter, header and title lines. */
export function sniffCsv(file: string): Omit<TextLayout, 'path'> {
    const fd = fs.openSync(file, 'r');
    let head: Buffer;
    try {
        const buf = Buffer.alloc(HEAD_BYTES);
        head = buf.subarray(0, fs.readSync(fd, buf, 0, buf.length, 0));
    } finally {
        fs.closeSync(fd);
    }
    if (head.length === 0) throw new UsageError(`${file}: the file is empty`);
    if ((head[0] === 0xff && head[1] === 0xfe) || (head[0] === 0xfe && head[1] === 0xff)) {
        throw new UsageError(`${file}: UTF-16 text; save the export as UTF-8 (or Windows-1252) CSV`);
    }
    const bom = head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf;
    let text: string;
    let encoding: TextLayout['encoding'] = bom ? 'utf-8 with BOM' : 'utf-8';
    try {
        // The head may end inside a character: only its complete lines are judged.
        const whole = head.subarray(0, head.length === HEAD_BYTES ? head.lastIndexOf(0x0a) + 1 || head.length : head.length);
        text = new TextDecoder('utf-8', { fatal: true }).decode(whole);
    } catch {
        text = new TextDecoder('windows-1252').decode(head);
        encoding = 'windows-1252';
    }
    if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    const lines = text.split(/\r\n|\n|\r/).slice(0, 30);
    // Title lines have one field (or none); the header is the first line with several.
    let skip = 0;
    while (skip < lines.length - 1 && DELIMITERS.every((d) => countOutsideQuotes(lines[skip]!, d) === 0)) skip++;
    const line = lines[skip] ?? '';
    const delimiter = DELIMITERS.reduce((best, d) => (countOutsideQuotes(line, d) > countOutsideQuotes(line, best) ? d : best), DELIMITERS[0]);
    const header = splitLine(line, delimiter).map((h) => h.trim());
    return { encoding, delimiter, header, skip };
}

/** A UTF-8 copy of a Windows-1252 file, streamed (any size). */
export async function transcode1252(file: string, out: string): Promise<void> {
    const decoder = new TextDecoder('windows-1252');
    const sink = fs.createWriteStream(out);
    for await (const chunk of fs.createReadStream(file, { highWaterMark: 4 << 20 })) {
        if (!sink.write(decoder.decode(chunk as Buffer, { stream: true }))) await new Promise<void>((r) => sink.once('drain', () => r()));
    }
    sink.end(decoder.decode());
    await new Promise<void>((resolve, reject) => sink.on('finish', resolve).on('error', reject));
}
