/**
 * Finding canonical files and reading what must be known about them before DuckDB does the bulk work:
 * the entity (from the file name), the header, the content hash, and — only when a report needs them —
 * the physical line on which each CSV record starts.
 */
import { isUtf8 } from 'node:buffer';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { isEntityName, type EntityName } from './entities.ts';
import { splitLine } from './import/text.ts';
import { UsageError } from './usage-error.ts';

export { UsageError };

export type FileFormat = 'csv' | 'parquet';

export interface InputFile {
    path: string;
    entity: EntityName;
    format: FileFormat;
    /**
     * A temp relation holding the file's rows already in the entity's columns and types (an import's staged
     * rows): loaded from there, without a round trip through text. `path` is where they are written as CSV
     * should the batch need the report (which names rows by line); the file exists only then.
     */
    relation?: string;
}


const EXTENSIONS: Record<string, FileFormat> = { '.csv': 'csv', '.parquet': 'parquet' };

export function formatOf(file: string): FileFormat | null {
    return EXTENSIONS[path.extname(file).toLowerCase()] ?? null;
}

/** `time_entries.csv` → time_entries; anything that is not an entity name → null. */
export function entityOfFile(file: string): EntityName | null {
    const base = path.basename(file, path.extname(file)).toLowerCase();
    return isEntityName(base) ? base : null;
}

/**
 * Expands the paths of a command line into canonical files. A folder contributes every entity file in it
 * (other files are ignored and listed in `ignored`); a file named explicitly must be CSV or Parquet and its
 * entity known from its name or from `entity`.
 */
export function resolveInputs(paths: readonly string[], entity?: EntityName): { files: InputFile[]; ignored: string[] } {
    if (paths.length === 0) throw new UsageError('no files given: pass canonical CSV/Parquet files or a folder of them');
    const files: InputFile[] = [];
    const ignored: string[] = [];
    for (const p of paths) {
        let stat: fs.Stats;
        try {
            stat = fs.statSync(p);
        } catch {
            throw new UsageError(`${p}: no such file or folder`);
        }
        if (stat.isDirectory()) {
            if (entity) throw new UsageError(`--entity applies to files, but ${p} is a folder`);
            for (const name of fs.readdirSync(p).sort()) {
                const full = path.join(p, name);
                const format = formatOf(name);
                const found = entityOfFile(name);
                if (format && found && fs.statSync(full).isFile()) files.push({ path: full, entity: found, format });
                else ignored.push(full);
            }
            continue;
        }
        const format = formatOf(p);
        if (!format) throw new UsageError(`${p}: not a .csv or .parquet file`);
        const found = entity ?? entityOfFile(p);
        if (!found) {
            throw new UsageError(
                `${p}: cannot tell which entity this file holds; name it after the entity (e.g. time_entries.csv) or pass --entity`,
            );
        }
        files.push({ path: p, entity: found, format });
    }
    const seen = new Map<EntityName, string>();
    for (const f of files) {
        const other = seen.get(f.entity);
        if (other) throw new UsageError(`${other} and ${f.path} both hold ${f.entity}; load them in separate runs`);
        seen.set(f.entity, f.path);
    }
    if (files.length === 0) throw new UsageError(`no canonical files found in ${paths.join(', ')}`);
    return { files, ignored };
}

export async function contentHash(file: string): Promise<string> {
    const hash = createHash('sha256');
    for await (const chunk of fs.createReadStream(file, { highWaterMark: 4 << 20 })) hash.update(chunk as Buffer);
    return hash.digest('hex');
}

/** A file that cannot be read at all (not CSV text, not Parquet): the report names it, with why, as one problem. */
export class UnreadableFile extends Error {
    readonly path: string;
    readonly reason: string;
    constructor(file: string, reason: string) {
        super(`${file}: ${reason}`);
        this.name = 'UnreadableFile';
        this.path = file;
        this.reason = reason;
    }
}

/**
 * The header of a CSV file, as DuckDB will read it (RFC 4180 quoting). A file that is not text at all — a
 * NUL byte in its first 64 KB, or UTF-16 — is an UnreadableFile: its lines would only be noise.
 */
export function readCsvHeader(file: string): string[] {
    const fd = fs.openSync(file, 'r');
    try {
        const buf = Buffer.alloc(64 * 1024);
        const n = fs.readSync(fd, buf, 0, buf.length, 0);
        const head = buf.subarray(0, n);
        if (n === 0) throw new UnreadableFile(file, 'empty file: a CSV file starts with its header line');
        if ((head[0] === 0xff && head[1] === 0xfe) || (head[0] === 0xfe && head[1] === 0xff)) {
            throw new UnreadableFile(file, 'UTF-16 text: save the file as UTF-8');
        }
        const nul = head.indexOf(0);
        if (nul >= 0) {
            const line = 1 + head.subarray(0, nul).reduce((k, b) => k + (b === 0x0a ? 1 : 0), 0);
            throw new UnreadableFile(file, `binary content (a NUL byte on line ${line}), not CSV text`);
        }
        // The first record, which a quoted cell may carry over several lines.
        return splitLine(head.toString('utf8'), ',').map((f) => f.trim());
    } finally {
        fs.closeSync(fd);
    }
}

/**
 * The physical line (1-based, header = line 1) on which each data record starts, for the records asked
 * for. DuckDB numbers records, not lines; a quoted field may span lines. Only used to write a report,
 * so only error paths pay for this scan.
 */
export async function recordStartLines(file: string, records: readonly number[]): Promise<Map<number, number>> {
    const wanted = [...new Set(records)].sort((a, b) => a - b);
    const out = new Map<number, number>();
    if (wanted.length === 0) return out;
    let line = 1;
    let record = 0; // 0 = header; data records are 1-based
    let quoted = false;
    let atRecordStart = false;
    let next = 0;
    const QUOTE = 0x22;
    const LF = 0x0a;
    const CR = 0x0d;
    let lastWasCr = false;
    for await (const chunk of fs.createReadStream(file, { highWaterMark: 4 << 20 })) {
        const bytes = chunk as Buffer;
        for (let i = 0; i < bytes.length; i++) {
            const b = bytes[i];
            if (atRecordStart && b !== LF && b !== CR) {
                record++;
                atRecordStart = false;
                if (record === wanted[next]) {
                    out.set(record, line);
                    next++;
                    if (next === wanted.length) return out;
                }
            }
            if (b === QUOTE) quoted = !quoted;
            else if (b === LF) {
                if (!lastWasCr) line++;
                if (!quoted) atRecordStart = true;
            } else if (b === CR) {
                line++;
                if (!quoted) atRecordStart = true;
            }
            lastWasCr = b === CR;
        }
    }
    return out;
}

/** DuckDB's longest CSV record (its max_line_size); a longer one is an unreadable record. */
export const MAX_RECORD_BYTES = 2_000_000;
/** A rejected record is quoted in the report from its first this-many bytes. */
const QUOTED_RECORD_BYTES = 2_000;

/** A CSV record that is not a row of the file's columns. */
export interface BadRecord {
    /** Physical line on which the record starts (header = line 1). */
    line: number;
    /** Why, for this record (e.g. "2 fields where the header has 4"). */
    reason: string;
    /** The reason as counted: the same for every record that fails the same way. */
    kind: string;
    /** The start of the record's text. */
    value: string;
}

export interface CsvScan {
    /** Data records (blank lines are not records), readable or not. */
    records: number;
    /** Unreadable records by kind, every one counted. */
    counts: Map<string, number>;
    /** The first `keep` unreadable records of each kind, by line. */
    kept: BadRecord[];
}

/**
 * Reads a CSV file record by record, as DuckDB's reader splits it (RFC 4180 quotes, "" inside quotes, a
 * quote opening a field after spaces, blank lines skipped, LF, CRLF or CR line ends), and names every
 * record that is not a row of `fields` fields of UTF-8 text: a wrong number of fields, a quote not closed
 * or followed by text, invalid UTF-8, or a record over MAX_RECORD_BYTES. Every such record is counted;
 * the first `keep` of each kind are kept. With `copyTo`, the readable records are written there, each
 * prefixed with the line it starts on, under the header `__line,<header>`: a file DuckDB reads whole.
 *
 * Only a file DuckDB could not read pays for this (one pass, constant memory): DuckDB's own handling of
 * unreadable records costs it about 100 µs and 15 KB each, which a file of garbage multiplies.
 */
export async function scanCsv(file: string, fields: number, keep: number, copyTo?: string): Promise<CsvScan> {
    const QUOTE = 0x22;
    const COMMA = 0x2c;
    const LF = 0x0a;
    const CR = 0x0d;
    const SPACE = 0x20;
    const counts = new Map<string, number>();
    const kept: BadRecord[] = [];
    const out = copyTo ? new BufferedFile(copyTo) : null;

    let line = 1;
    let records = -1; // the first record is the header
    let lastWasCr = false;
    // The record being read: the line it starts on, its bytes (while it may still be readable), its shape.
    let recordLine = 1;
    let pieces: Buffer[] = [];
    let size = 0;
    let nFields = 1;
    let fieldStart = true;
    let inQuotes = false;
    let quoteInQuotes = false; // a quote inside quotes: it closes them unless the next byte is a quote too
    let afterClose = false;
    let textAfterClose = false;

    const take = (bytes: Buffer, from: number, to: number): void => {
        // Past the longest readable record, only the start is kept, to quote it.
        if (to > from && size <= MAX_RECORD_BYTES) pieces.push(bytes.subarray(from, to));
        size += to - from;
    };
    const finish = (unclosed: boolean): void => {
        if (size === 0) return; // a blank line
        records++;
        const bytes = pieces.length === 1 ? pieces[0]! : Buffer.concat(pieces);
        let kind: string | null = null;
        let reason = '';
        if (unclosed) kind = reason = 'a quoted field is not closed';
        else if (size > MAX_RECORD_BYTES) kind = reason = `longer than ${MAX_RECORD_BYTES} bytes`;
        else if (textAfterClose) kind = reason = 'text after a closing quote';
        else if (nFields !== fields) {
            kind = 'wrong number of fields';
            reason = `${nFields} field${nFields === 1 ? '' : 's'} where the header has ${fields}`;
        } else if (!isUtf8(bytes)) kind = reason = 'not UTF-8 text (save the file as UTF-8)';
        if (records === 0) {
            out?.write('__line,');
            out?.write(bytes);
            out?.write('\n');
        } else if (kind === null) {
            out?.writeNumber(recordLine);
            out?.write(',');
            out?.write(bytes);
            out?.write('\n');
        } else {
            kind = `unreadable CSV record: ${kind}`;
            const n = (counts.get(kind) ?? 0) + 1;
            counts.set(kind, n);
            if (n <= keep) {
                kept.push({ line: recordLine, kind, reason: `unreadable CSV record: ${reason}`, value: bytes.subarray(0, QUOTED_RECORD_BYTES).toString('utf8') });
            }
        }
        pieces = [];
        size = 0;
        nFields = 1;
        fieldStart = true;
        inQuotes = quoteInQuotes = afterClose = textAfterClose = false;
    };

    try {
        let first = true;
        for await (const chunk of fs.createReadStream(file, { highWaterMark: 4 << 20 })) {
            let bytes = chunk as Buffer;
            if (first && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) bytes = bytes.subarray(3);
            first = false;
            let from = 0; // where the current record's bytes in this chunk begin
            for (let i = 0; i < bytes.length; i++) {
                const b = bytes[i]!;
                if (inQuotes) {
                    if (!quoteInQuotes) {
                        if (b === QUOTE) quoteInQuotes = true;
                        else if (b === LF) {
                            if (!lastWasCr) line++;
                        } else if (b === CR) line++;
                        lastWasCr = b === CR;
                        continue;
                    }
                    quoteInQuotes = false;
                    if (b === QUOTE) continue; // "" inside quotes
                    inQuotes = false;
                    afterClose = true; // b is read as the first byte after the closing quote
                }
                if (b === LF || b === CR) {
                    if (!(b === LF && lastWasCr)) line++;
                    lastWasCr = b === CR;
                    take(bytes, from, i);
                    finish(false);
                    from = i + 1;
                    recordLine = line;
                    continue;
                }
                lastWasCr = false;
                if (b === COMMA) {
                    nFields++;
                    fieldStart = true;
                    afterClose = false;
                } else if (afterClose) {
                    if (b !== SPACE) textAfterClose = true;
                } else if (fieldStart) {
                    if (b === QUOTE) inQuotes = true;
                    if (b !== SPACE) fieldStart = false;
                }
            }
            take(bytes, from, bytes.length);
        }
        // A quote just before the end of the file closes its field.
        finish(inQuotes && !quoteInQuotes);
    } finally {
        out?.close();
    }
    return { records: Math.max(records, 0), counts, kept };
}

/**
 * Writes a file through one 4 MB buffer, reused: a write per record would cost a system call each, and a
 * stream would hold every buffer it was given until written.
 */
class BufferedFile {
    private readonly fd: number;
    private readonly buffer = Buffer.allocUnsafe(4 << 20);
    private used = 0;

    constructor(file: string) {
        this.fd = fs.openSync(file, 'w');
    }

    write(data: string | Buffer): void {
        if (typeof data === 'string') {
            if (this.used + data.length * 3 > this.buffer.length) this.flush();
            if (data.length * 3 <= this.buffer.length) {
                this.used += this.buffer.write(data, this.used);
                return;
            }
        }
        const bytes = typeof data === 'string' ? Buffer.from(data) : data;
        if (this.used + bytes.length > this.buffer.length) this.flush();
        if (bytes.length > this.buffer.length) {
            fs.writeSync(this.fd, bytes);
            return;
        }
        bytes.copy(this.buffer, this.used);
        this.used += bytes.length;
    }

    /** A whole number's digits, without making a string of it. */
    writeNumber(n: number): void {
        if (this.used + 16 > this.buffer.length) this.flush();
        this.used += this.buffer.write(String(n), this.used, 'latin1');
    }

    close(): void {
        try {
            this.flush();
        } finally {
            fs.closeSync(this.fd);
        }
    }

    private flush(): void {
        let at = 0;
        while (at < this.used) at += fs.writeSync(this.fd, this.buffer, at, this.used - at);
        this.used = 0;
    }
}
