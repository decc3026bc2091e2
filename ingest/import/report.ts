/**
 * An import's report — the same shape for a time report's entries and a clients or projects list's rows — its
 * rejected rows (counted by file and reason, the first of each listed with its line), and its record in
 * import.runs.
 */
import type { Warehouse } from '../../warehouse/warehouse.ts';
import type { IngestReport } from '../canonical.ts';
import type { DateOrder, DecimalMark } from './parse.ts';
import type { Created } from './resolve.ts';
import type { SourceFile } from './source.ts';
import type { ToolName } from './tools.ts';

/** What a file holds: a time report's entries, or a list of the tool's clients or projects. */
export const FILE_KINDS = ['time', 'clients', 'projects'] as const;
export type FileKind = (typeof FILE_KINDS)[number];

export interface ImportFileReport {
    file: string;
    tool: ToolName;
    kind: FileKind;
    format: SourceFile['format'];
    encoding: string | null;
    delimiter: string | null;
    rows: number;
    rejected: number;
}

export interface ImportReject {
    file: string;
    line: number | null;
    reason: string;
    value: string | null;
}

export interface ImportReport {
    ok: boolean;
    status: 'imported' | 'unchanged' | 'dry_run' | 'rejected';
    dry_run: boolean;
    files: ImportFileReport[];
    date_order: DateOrder | null;
    decimal_mark: DecimalMark;
    rows_read: number;
    /** Created + updated (entries, or a list's clients and projects). */
    imported: number;
    created: number;
    updated: number;
    unchanged: number;
    /** Entries it would change that are approved or invoiced here: frozen, left as they are. */
    frozen: number;
    duplicates: number;
    rejected: number;
    /** Seconds of the import's entries (imported or unchanged): what the files hold, less rejected rows and duplicates. */
    seconds_imported: number;
    seconds_duplicate: number;
    /** Seconds of rejected rows whose duration could be read. */
    seconds_rejected: number;
    created_entities: Created[];
    rejects: ImportReject[];
    reject_counts: { file: string; reason: string; count: number }[];
    rejects_kept_per_reason: number;
    /** What canonical ingest said (null on a dry run, or when nothing changed). */
    ingest: IngestReport | null;
    duration_ms: number;
}

/**
 * Every rejected row of the staged `table` (file, file_no, __row, reason, quoted) counted by file and reason, the
 * first `keep` of each listed with its line, and the records the files could not split; with the seconds of the
 * rejected rows when the table measures them (`seconds`).
 */
export async function collectRejects(
    warehouse: Warehouse,
    table: string,
    sources: readonly SourceFile[],
    keep: number,
    seconds: string | null,
): Promise<{ rejects: ImportReject[]; counts: { file: string; reason: string; count: number }[]; seconds: number }> {
    const counts = await warehouse.all<{ file: string; reason: string; count: number }>(
        `select file, reason, count(*)::bigint as count from ${table} where reason is not null group by all order by min(file_no), min(__row)`,
    );
    const listed = await warehouse.all<{ file: string; row: number; reason: string; value: string | null }>(
        `select file, __row as row, reason, quoted as value from ${table} where reason is not null
        qualify row_number() over (partition by file, reason order by __row) <= $1 order by file_no, __row`,
        [keep],
    );
    const total = seconds
        ? await warehouse.one<{ s: number }>(`select coalesce(sum(${seconds}) filter (where reason is not null and ${seconds} between 0 and 1e9), 0)::bigint as s from ${table}`)
        : null;
    const rejects: ImportReject[] = [];
    for (const source of sources) {
        const mine = listed.filter((r) => r.file === source.name);
        const lines = await source.lines(mine.map((r) => r.row));
        for (const r of mine) rejects.push({ file: r.file, line: lines.get(r.row) ?? null, reason: r.reason, value: r.value });
        for (const u of source.unreadable.slice(0, keep)) rejects.push({ file: source.name, line: u.line, reason: u.reason, value: null });
        const byReason = new Map<string, number>();
        for (const u of source.unreadable) byReason.set(u.reason, (byReason.get(u.reason) ?? 0) + 1);
        for (const [reason, count] of byReason) counts.push({ file: source.name, reason, count });
    }
    return { rejects, counts, seconds: total?.s ?? 0 };
}

/** What an import plans, before it loads: counts of what it creates, updates, leaves or counts twice, and their seconds. */
export interface PlannedCounts {
    created: number;
    updated: number;
    unchanged: number;
    frozen: number;
    duplicates: number;
    seconds: number;
    duplicate_seconds: number;
}

export type CollectedRejects = Awaited<ReturnType<typeof collectRejects>>;

/** An import's report as planned (a dry run's whole answer; an import's before its load fills `ingest`). */
export function plannedReport(
    dryRun: boolean,
    files: ImportFileReport[],
    layout: { dateOrder: DateOrder | null; decimal: DecimalMark },
    c: PlannedCounts,
    rejected: CollectedRejects,
    created: Created[],
    keep: number,
): ImportReport {
    return {
        ok: true,
        status: dryRun ? 'dry_run' : c.created + c.updated > 0 ? 'imported' : 'unchanged',
        dry_run: dryRun,
        files,
        date_order: layout.dateOrder,
        decimal_mark: layout.decimal,
        rows_read: files.reduce((n, f) => n + f.rows, 0),
        imported: c.created + c.updated,
        created: c.created,
        updated: c.updated,
        unchanged: c.unchanged,
        frozen: c.frozen,
        duplicates: c.duplicates,
        rejected: rejected.counts.reduce((n, x) => n + x.count, 0),
        seconds_imported: c.seconds,
        seconds_duplicate: c.duplicate_seconds,
        seconds_rejected: rejected.seconds,
        created_entities: created,
        rejects: rejected.rejects,
        reject_counts: rejected.counts,
        rejects_kept_per_reason: keep,
        ingest: null,
        duration_ms: 0,
    };
}

/** A file's line in the report: what it is, how it was read, its rows (records read and those it could not split). */
export function fileReport(source: SourceFile, tool: ToolName, kind: FileKind, rejectedPerFile: ReadonlyMap<string, number>): ImportFileReport {
    return {
        file: source.name,
        tool,
        kind,
        format: source.format,
        encoding: source.encoding,
        delimiter: source.delimiter,
        rows: source.records + source.unreadable.length,
        rejected: rejectedPerFile.get(source.name) ?? 0,
    };
}

/** Rejected rows per file, from the reject counts. */
export function rejectedPerFile(counts: readonly { file: string; count: number }[]): Map<string, number> {
    const perFile = new Map<string, number>();
    for (const c of counts) perFile.set(c.file, (perFile.get(c.file) ?? 0) + c.count);
    return perFile;
}

/** The import's row in import.runs; its id. */
export async function recordRun(warehouse: Warehouse, tool: string, report: ImportReport, actor: string, started: number): Promise<number> {
    const id = await warehouse.one<{ id: number }>(`select nextval('import.run_seq')::integer as id`);
    await warehouse.run(
        `insert into import.runs values ($11, $1, $2, $3::timestamptz, now(), $4, $5, $6, $7, $8, $9, $10)`,
        [
            tool,
            report.files.map((f) => f.file).join(', '),
            new Date(started).toISOString(),
            actor,
            report.rows_read,
            report.imported,
            report.unchanged,
            report.rejected,
            report.seconds_imported,
            JSON.stringify({ ...report, rejects: report.rejects.slice(0, 100), ingest: null }),
            id!.id,
        ],
    );
    return id!.id;
}
