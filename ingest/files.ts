/**
 * Finding canonical files and reading what must be known about them before DuckDB does the bulk work:
 * the entity (from the file name), the header, the content hash, and — only when a report needs them —
 * the physical line on which each CSV record starts.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { isEntityName, type EntityName } from './entities.ts';

export type FileFormat = 'csv' | 'parquet';

export interface InputFile {
    path: string;
    entity: EntityName;
    format: FileFormat;
}

/** A problem with how the command was called (exit code 2), not with the data in a file. */
export class UsageError extends Error {
    constructor(message: string) {
        super(message);
        this.name = 'UsageError';
    }
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

/** The header of a CSV file, as DuckDB will read it (RFC 4180 quoting). */
export function readCsvHeader(file: string): string[] {
    const fd = fs.openSync(file, 'r');
    try {
        const buf = Buffer.alloc(64 * 1024);
        const n = fs.readSync(fd, buf, 0, buf.length, 0);
        let text = buf.subarray(0, n).toString('utf8');
        if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
        const fields: string[] = [];
        let field = '';
        let quoted = false;
        for (let i = 0; i < text.length; i++) {
            const ch = text[i];
            if (quoted) {
                if (ch === '"' && text[i + 1] === '"') {
                    field += '"';
                    i++;
                } else if (ch === '"') quoted = false;
                else field += ch;
            } else if (ch === '"') quoted = true;
            else if (ch === ',') {
                fields.push(field);
                field = '';
            } else if (ch === '\n' || ch === '\r') break;
            else field += ch;
        }
        fields.push(field);
        return fields.map((f) => f.trim());
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
