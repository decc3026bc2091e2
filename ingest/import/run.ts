/**
 * An import: export files of one tool (or detected per file) → canonical rows through canonical ingest.
 *   1. read each file (source.ts) and stage its rows (entries.ts) with the file's date order and decimal mark,
 *      detected over all the files of the import (asked for when they cannot tell);
 *   2. resolve people, clients and projects (resolve.ts); compare with the warehouse (write.ts);
 *   3. unless a dry run: write canonical files and load them with ingestFiles (all or nothing), then remember
 *      the mappings and record the import (import.runs).
 * Rows that cannot be entries are reported (file, line, reason, value) and the rest load: an import's report
 * accounts for every row — imported (created or updated), unchanged, duplicate (the same entry again in this
 * import) or rejected — and its seconds.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { cliActor, recordAudit, recordUpload, type AuditWho } from '../../capture/audit.ts';
import type { Warehouse } from '../../warehouse/warehouse.ts';
import { ingestFiles, type IngestReport } from '../canonical.ts';
import { UsageError } from '../files.ts';
import type { ColumnMapping } from '../generic.ts';
import { togglJsonToCsv } from '../toggl.ts';
import { ENTRIES, stageEntries, type EntryFields } from './entries.ts';
import { dateOrderVoteSql, decimalVoteSql, type DateOrder, type DecimalMark } from './parse.ts';
import { createdEntities, rejectUnresolved, rememberMappings, resolveEntities, type Created, type GivenMapping } from './resolve.ts';
import { readSource, type SourceFile } from './source.ts';
import { checkFields, detectTool, toolFields, type ToolName } from './tools.ts';
import { prepareEntries, writeCanonical } from './write.ts';

export interface ImportOptions {
    tool: ToolName | 'auto';
    dryRun?: boolean;
    /** Create unknown people, clients and projects (default); false rejects their entries. */
    create?: boolean;
    dateOrder?: DateOrder;
    timeZone?: string;
    mappings?: GivenMapping[];
    /** The generic tool's column mapping. */
    columns?: ColumnMapping | null;
    /** Who imports (the audit log's who and where); default the command line's user. */
    who?: AuditWho;
    /** The name each file goes by in the report (an upload's own name), by path. */
    names?: Readonly<Record<string, string>>;
    rejectsKeptPerReason?: number;
}

export interface ImportFileReport {
    file: string;
    tool: ToolName;
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
    /** Created + updated. */
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

/** The tool a file is read as, given its path and the import's tool. */
function sourceFields(tool: ToolName | 'auto', source: SourceFile, columns: ColumnMapping | null): { tool: ToolName; fields: EntryFields } {
    const found = tool === 'auto' ? (detectTool(source.header) ?? (columns ? 'generic' : null)) : tool;
    if (!found) {
        throw new UsageError(
            `${source.name}: which tool wrote this file cannot be told from its columns (${source.header.slice(0, 12).join(', ')}); ` +
                `name it (toggl, clockify, harvest, kimai, jira) or import it as generic with a column mapping`,
        );
    }
    const fields = toolFields(found, source.header, columns);
    checkFields(found, fields, source.name, source.header);
    return { tool: found, fields };
}

/** Dates that read as well day-first as month-first: the import asks which (the CLI's --date-order, the API's date_order). */
export class AmbiguousDates extends UsageError {
    readonly samples: string[];
    constructor(samples: string[]) {
        super(`the dates could be day-first or month-first (e.g. ${samples.map((s) => `"${s}"`).join(', ')}): say which with --date-order dmy or --date-order mdy`);
        this.samples = samples;
    }
}

/** The date order the files' day/month dates allow: detected, given, or asked for. */
async function detectDateOrder(warehouse: Warehouse, staged: { source: SourceFile; fields: EntryFields }[], given?: DateOrder): Promise<DateOrder | null> {
    const votes = { dmy: 0, mdy: 0, both: 0 };
    const samples: string[] = [];
    for (const { source, fields } of staged) {
        for (const f of [fields.startDate, fields.endDate]) {
            if (!f) continue;
            const rows = await warehouse.all<{ vote: string; n: number; sample: string }>(
                `select ${dateOrderVoteSql(f.sql)} as vote, count(*)::bigint as n, min(${f.sql}) as sample from ${source.relation} group by 1`,
            );
            for (const r of rows) {
                if (r.vote === 'dmy' || r.vote === 'mdy' || r.vote === 'both') votes[r.vote] += r.n;
                if (r.vote === 'both' && samples.length < 3 && !samples.includes(r.sample)) samples.push(r.sample);
            }
        }
    }
    if (given) return given;
    if (votes.dmy === 0 && votes.mdy === 0) {
        if (votes.both === 0) return null;
        throw new AmbiguousDates(samples);
    }
    // A few dates against the rest are wrong dates, reported as such; the order is the one most dates allow.
    return votes.dmy >= votes.mdy ? 'dmy' : 'mdy';
}

/** The decimal mark of the files' hours and durations: ',' when more of their numbers say so. */
async function detectDecimal(warehouse: Warehouse, staged: { source: SourceFile; fields: EntryFields }[]): Promise<DecimalMark> {
    let comma = 0;
    let point = 0;
    for (const { source, fields } of staged) {
        for (const f of [fields.hours, fields.duration]) {
            if (!f) continue;
            const rows = await warehouse.all<{ vote: string; n: number }>(
                `select ${decimalVoteSql(f.sql)} as vote, count(*)::bigint as n from ${source.relation} group by 1`,
            );
            for (const r of rows) {
                if (r.vote === ',') comma += r.n;
                if (r.vote === '.') point += r.n;
            }
        }
    }
    return comma > point ? ',' : '.';
}

/** One import at a time per warehouse: its staging tables are the connection's. */
const running = new WeakMap<Warehouse, Promise<unknown>>();

export async function importFiles(warehouse: Warehouse, paths: readonly string[], options: ImportOptions): Promise<ImportReport> {
    const previous = running.get(warehouse) ?? Promise.resolve();
    const next = previous.catch(() => undefined).then(() => warehouse.withAllCores(() => runImport(warehouse, paths, options)));
    running.set(warehouse, next);
    return next;
}

async function runImport(warehouse: Warehouse, paths: readonly string[], options: ImportOptions): Promise<ImportReport> {
    if (paths.length === 0) throw new UsageError('no files given: pass the export files to import');
    const started = Date.now();
    const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'realize-import-'));
    const keep = options.rejectsKeptPerReason ?? 1_000;
    const relations: string[] = [];
    try {
        const planned = await warehouse.transaction(async () => {
            const staged: { source: SourceFile; fields: EntryFields; tool: ToolName }[] = [];
            for (const [i, p] of paths.entries()) {
                const name = options.names?.[p] ?? p;
                if (!fs.existsSync(p)) throw new UsageError(`${name}: no such file`);
                let file = p;
                if (fs.statSync(p).isDirectory() || /\.json$/i.test(p)) {
                    // Toggl's JSON (a file of entries, or its data-export folder) is read as its CSV would be.
                    if (options.tool !== 'toggl' && options.tool !== 'auto') throw new UsageError(`${name}: only Toggl's export is JSON; ${options.tool} exports are CSV or XLSX`);
                    file = path.join(scratch, `toggl-${i}.csv`);
                    togglJsonToCsv(p, file);
                }
                const relation = `imp_src_${i}`;
                relations.push(relation);
                const source = await readSource(warehouse, file, name, relation, scratch);
                staged.push({ source, ...sourceFields(file !== p ? 'toggl' : options.tool, source, options.columns ?? null) });
            }
            const dateOrder = await detectDateOrder(warehouse, staged, options.dateOrder);
            const decimal = await detectDecimal(warehouse, staged);
            for (const [i, s] of staged.entries()) {
                await stageEntries(warehouse, s.source, s.fields, { tool: s.tool, dateOrder, decimal, timeZone: options.timeZone ?? 'UTC', fileNo: i }, i === 0);
            }
            await resolveEntities(warehouse, options.mappings ?? [], options.create !== false);
            if (options.create === false) await rejectUnresolved(warehouse);
            const tool = staged.every((s) => s.tool === staged[0]!.tool) ? staged[0]!.tool : 'import';
            const counts = await prepareEntries(warehouse, tool);
            const created = await createdEntities(warehouse);
            const files = options.dryRun ? [] : await writeCanonical(warehouse, scratch);
            const rejected = await collectRejects(warehouse, staged.map((s) => s.source), keep);
            return { staged, dateOrder, decimal, counts, created, files, tool, rejected };
        });

        const { rejects, counts: rejectCounts, seconds: rejectedSeconds } = planned.rejected;
        const perFile = new Map<string, number>();
        for (const c of rejectCounts) perFile.set(c.file, (perFile.get(c.file) ?? 0) + c.count);
        const c = planned.counts;
        const report: ImportReport = {
            ok: true,
            status: options.dryRun ? 'dry_run' : c.created + c.updated > 0 ? 'imported' : 'unchanged',
            dry_run: options.dryRun ?? false,
            files: planned.staged.map((s) => ({
                file: s.source.name,
                tool: s.tool,
                format: s.source.format,
                encoding: s.source.encoding,
                delimiter: s.source.delimiter,
                rows: s.source.records + s.source.unreadable.length,
                rejected: perFile.get(s.source.name) ?? 0,
            })),
            date_order: planned.dateOrder,
            decimal_mark: planned.decimal,
            rows_read: planned.staged.reduce((n, s) => n + s.source.records + s.source.unreadable.length, 0),
            imported: c.created + c.updated,
            created: c.created,
            updated: c.updated,
            unchanged: c.unchanged,
            frozen: c.frozen,
            duplicates: c.duplicates,
            rejected: rejectCounts.reduce((n, x) => n + x.count, 0),
            seconds_imported: c.seconds,
            seconds_duplicate: c.duplicate_seconds,
            seconds_rejected: rejectedSeconds,
            created_entities: planned.created,
            rejects,
            reject_counts: rejectCounts,
            rejects_kept_per_reason: keep,
            ingest: null,
            duration_ms: 0,
        };
        if (!options.dryRun && planned.files.length > 0) {
            const names = Object.fromEntries(planned.files.map((f) => [f.path, `${planned.tool} import: ${f.entity}`]));
            const who = options.who ?? cliActor();
            report.ingest = await ingestFiles(warehouse, planned.files, {
                actor: who.actor,
                names,
                // In the load's transaction: the mappings, the import's record and its audit commit with it.
                beforeCommit: async (files) => {
                    await rememberMappings(warehouse, who.actor);
                    const run = await recordRun(warehouse, planned.tool, report, who.actor, started);
                    await recordAudit(warehouse, {
                        ...who,
                        action: 'import',
                        entity: 'import',
                        entity_id: String(run),
                        after: { tool: planned.tool, files: report.files.map((f) => f.file), created: report.created, updated: report.updated, unchanged: report.unchanged, rejected: report.rejected, seconds: report.seconds_imported },
                        detail: `${planned.tool}: ${report.imported} entries imported (${report.created} new, ${report.updated} updated), ${report.rejected} rows rejected`,
                    });
                    await recordUpload(warehouse, who, files);
                },
            });
            if (!report.ingest.ok) {
                report.ok = false;
                report.status = 'rejected';
            }
        }
        report.duration_ms = Date.now() - started;
        return report;
    } finally {
        // The staging tables live on the connection transactions run on.
        await warehouse
            .transaction(async () => {
                for (const r of relations) await warehouse.run(`drop table if exists ${r}`);
            })
            .catch(() => undefined);
        fs.rmSync(scratch, { recursive: true, force: true });
    }
}

/** Every rejected row counted by file and reason, the first `keep` of each listed with its line. */
async function collectRejects(
    warehouse: Warehouse,
    sources: SourceFile[],
    keep: number,
): Promise<{ rejects: ImportReject[]; counts: { file: string; reason: string; count: number }[]; seconds: number }> {
    const counts = await warehouse.all<{ file: string; reason: string; count: number }>(
        `select file, reason, count(*)::bigint as count from ${ENTRIES} where reason is not null group by all order by min(file_no), min(__row)`,
    );
    const listed = await warehouse.all<{ file: string; row: number; reason: string; value: string | null }>(
        `select file, __row as row, reason, quoted as value from ${ENTRIES} where reason is not null
        qualify row_number() over (partition by file, reason order by __row) <= $1 order by file_no, __row`,
        [keep],
    );
    const seconds = await warehouse.one<{ s: number }>(
        `select coalesce(sum(seconds) filter (where reason is not null and seconds between 0 and 1e9), 0)::bigint as s from ${ENTRIES}`,
    );
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
    return { rejects, counts, seconds: seconds?.s ?? 0 };
}

/** The import's row in import.runs; its id. */
async function recordRun(warehouse: Warehouse, tool: string, report: ImportReport, actor: string, started: number): Promise<number> {
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
