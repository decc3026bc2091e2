/**
 * The shape of an ingest report and how it stays bounded: every problem counted, the first few of each file and
 * reason listed, every value quoted at most MAX_VALUE_CHARS long, every file named as the caller named it.
 */
import type { EntityName } from '../entities.ts';
import type { InputFile } from '../files.ts';

export interface RejectedRow {
    file: string;
    /** 1-based physical line of the record, header = line 1 (Parquet: 1-based row number). */
    line: number | null;
    column: string | null;
    value: string | null;
    reason: string;
}

export type FileStatus = 'loaded' | 'unchanged' | 'rejected' | 'not_loaded';

export interface FileReport {
    file: string;
    entity: EntityName;
    content_hash: string;
    batch_id: number | null;
    status: FileStatus;
    rows: number;
    inserted: number;
    replaced: number;
    unchanged: number;
    rejected: number;
}

/** A file's report before it is read: nothing counted yet, loaded unless a problem says otherwise. */
export function newFileReport(file: string, entity: EntityName): FileReport {
    return { file, entity, content_hash: '', batch_id: null, status: 'loaded', rows: 0, inserted: 0, replaced: 0, unchanged: 0, rejected: 0 };
}

/** How many problems of one reason a file had (duplicate keys count as one reason, whichever line they repeat). */
export interface RejectCount {
    file: string;
    reason: string;
    count: number;
}

export interface IngestReport {
    ok: boolean;
    /** loaded: something changed; unchanged: every row was already there; rejected: nothing loaded. */
    status: 'loaded' | 'unchanged' | 'rejected';
    files: FileReport[];
    /** The problems, by file and line: the first rejects_kept_per_reason of each file and reason. */
    rejects: RejectedRow[];
    /** Every problem found, listed in rejects or not. */
    rejects_total: number;
    /** Every problem counted, by file and reason. */
    reject_counts: RejectCount[];
    /** How many problems of each file and reason rejects lists at most. */
    rejects_kept_per_reason: number;
    ignored: string[];
    duration_ms: number;
}

/** A report lists this many problems of each file and reason (and counts them all). */
export const REJECTS_KEPT_PER_REASON = 1_000;
/** A rejected value (a cell, or an unreadable record) is quoted up to this many characters. */
export const MAX_VALUE_CHARS = 500;

export interface IngestProgress {
    file: string;
    entity: EntityName;
    step: 'reading' | 'validating' | 'writing' | 'indexing' | 'done';
    /** Percent of the current step DuckDB reports, or -1. */
    percent: number;
}

export interface IngestOptions {
    onProgress?: (p: IngestProgress) => void;
    /** Files named in ignored (from resolveInputs) are carried into the report. */
    ignored?: string[];
    /** Rows from which a unique index is rebuilt after the insert rather than maintained row by row. */
    bulkIndexThreshold?: number;
    /**
     * The name each file goes by in the report and in ingest.batches, by its path (an upload: the name it
     * was sent under, not the scratch copy's path). A file not named here goes by its path.
     */
    names?: Readonly<Record<string, string>>;
    /** Who loads the files, recorded on every batch (ingest.batches.created_by): "cli:ada", "local", "person:p001 (finance)". */
    actor?: string;
    /** Problems listed per file and reason (default REJECTS_KEPT_PER_REASON); all are counted. */
    rejectsKeptPerReason?: number;
    /**
     * Called inside the batch's transaction once every file is written and none was rejected, so that a record
     * of the load (the audit log, capture/audit.ts) commits with it or not at all.
     */
    beforeCommit?: (files: readonly FileReport[]) => Promise<void>;
}

/** A value as the report quotes it: long ones cut (a line of garbage can be megabytes). */
export function clip(value: string): string {
    return value.length > MAX_VALUE_CHARS ? `${value.slice(0, MAX_VALUE_CHARS)}…` : value;
}

/** The same cut in SQL. */
export function clipSql(value: string): string {
    return `case when length(${value}) > ${MAX_VALUE_CHARS} then left(${value}, ${MAX_VALUE_CHARS}) || '…' else ${value} end`;
}

/** Problems of a file's header (or the file itself), bounded like the others: counted, the first `keep` of each reason listed. */
export function bounded(file: string, problems: readonly RejectedRow[], keep: number): { rejects: RejectedRow[]; counts: RejectCount[] } {
    const byReason = new Map<string, number>();
    const rejects: RejectedRow[] = [];
    for (const p of problems) {
        const n = (byReason.get(p.reason) ?? 0) + 1;
        byReason.set(p.reason, n);
        if (n <= keep) rejects.push({ ...p, value: p.value === null ? null : clip(p.value) });
    }
    return { rejects, counts: [...byReason].map(([reason, count]) => ({ file, reason, count })) };
}

/** Files are named in reports as the caller named them (a folder's files as folder/name), or as options.names says. */
export function displayName(file: InputFile, options: IngestOptions): string {
    return options.names?.[file.path] ?? file.path;
}
