/**
 * Canonical ingest: CSV/Parquet files → validated batches in the warehouse.
 *
 * One call is one transaction: files load in dependency order (people before time entries), each file
 * becomes a batch (ingest.batches) whose id every row it writes carries, and if any row of any file breaks
 * a rule, nothing is loaded and the report lists every such row (file, line, column, value, reason).
 * Rows whose key already exists are replaced when they differ (ingest.replacements says which batch wrote
 * the old version) and left alone when identical, so loading the same file twice changes nothing.
 *
 * The work is bulk SQL. A CSV is read as text and parsed in SQL (rules.ts parseCell: a value must be whole),
 * every rule checked as the rows stream into the table; only when something is wrong is it read again,
 * row-numbered, to name every bad cell — a clean file never pays for the report. A report counts every
 * problem but lists only the first REJECTS_KEPT_PER_REASON of each file and reason, so a file of a
 * million bad rows (or of garbage) is a report of bounded size, in bounded memory.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ident, literal, type Warehouse } from '../warehouse/warehouse.ts';
import { entity, loadOrder, type Column, type Entity, type EntityName } from './entities.ts';
import { contentHash, readCsvHeader, recordStartLines, scanCsv, UnreadableFile, type InputFile } from './files.ts';
import { parseCell, readType, referenceJoin, referenceRules, rowRules, type ReferenceRule, type RowRule } from './rules.ts';

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
function newFileReport(file: string, entity: EntityName): FileReport {
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
const MAX_VALUE_CHARS = 500;

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
}

/** Above this many rows a table's unique index is rebuilt once after the insert instead of row by row. */
const BULK_INDEX_THRESHOLD = 500_000;
/** Key columns of the tables whose key is a unique index rather than a primary key (see 001_canonical.sql). */
const INDEXED_TABLES: Partial<Record<EntityName, string>> = {
    time_entries: 'entry_id',
    invoice_line_entries: 'invoice_id, line_no, entry_id',
};

interface Staged {
    file: InputFile;
    hash: Promise<string>;
    report: FileReport;
    /** Relation with typed columns, `<col>__raw` text and `__row` (null on the fast path). */
    relation: string;
    columns: Column[];
    /** The problems listed (bounded) and every problem counted. */
    rejects: RejectedRow[];
    counts: RejectCount[];
}

/**
 * How the report pass reads a file. Each read DuckDB fails on (which aborts the transaction) moves the file
 * one step down and the pass starts again: a CSV DuckDB cannot split is read record by record first
 * (files.ts scanCsv, which names the unreadable records); a file still unreadable is one problem, why.
 */
type ReadAs = { how: 'direct' } | { how: 'scanned' } | { how: 'unreadable'; reason: string };

/** DuckDB could not read a file (its read aborted the transaction); `how` says how it was read. */
class ReadFailed extends Error {
    readonly file: InputFile;
    readonly how: ReadAs['how'];
    constructor(file: InputFile, how: ReadAs['how'], cause: unknown) {
        super(firstLine(cause));
        this.file = file;
        this.how = how;
    }
}

function firstLine(err: unknown): string {
    return (err instanceof Error ? err.message : String(err)).split('\n')[0]!.slice(0, MAX_VALUE_CHARS);
}

export async function ingestFiles(warehouse: Warehouse, inputs: readonly InputFile[], options: IngestOptions = {}): Promise<IngestReport> {
    return warehouse.withAllCores(() => ingest(warehouse, inputs, options));
}

async function ingest(warehouse: Warehouse, inputs: readonly InputFile[], options: IngestOptions): Promise<IngestReport> {
    const started = Date.now();
    const order = loadOrder(inputs.map((f) => f.entity));
    const files = order.map((name) => inputs.find((f) => f.entity === name)!);
    // Hashing reads each file once more; it runs while DuckDB loads, and is awaited when a batch is recorded.
    const hashes = files.map((f) => contentHash(f.path));
    hashes.forEach((h) => h.catch(() => undefined));
    const startedAt = new Date(started).toISOString();
    const keep = options.rejectsKeptPerReason ?? REJECTS_KEPT_PER_REASON;

    const reports: FileReport[] = [];
    const rejects: RejectedRow[] = [];
    const counts: RejectCount[] = [];
    const readAs = new Map<string, ReadAs>();
    let outcome: 'committed' | 'rolled_back' = 'committed';

    // First the fast way: each CSV straight into its table, rules checked as rows stream in. Any problem
    // rolls everything back and the batch is read again the thorough way, which names every bad row. A
    // file DuckDB cannot read is read again another way (ReadAs): at most two more passes per file.
    for (let mode: 'fast' | 'report' = 'fast'; ; mode = 'report') {
        reports.length = 0;
        rejects.length = 0;
        counts.length = 0;
        try {
            await warehouse.transaction(async () => {
                const unverifiable: BatchContext = { unreadable: new Set(), pending: new Set() };
                for (const [i, file] of files.entries()) {
                    if (mode === 'fast' && file.format === 'csv') {
                        reports.push(await loadCsvFast(warehouse, file, hashes[i]!, i, options, startedAt));
                        continue;
                    }
                    const staged = await stage(warehouse, file, hashes[i]!, i, unverifiable, options, readAs.get(file.path) ?? { how: 'direct' }, keep);
                    reports.push(staged.report);
                    // One at a time: a spread of a long list into push() overflows the call stack.
                    for (const r of staged.rejects) rejects.push(r);
                    counts.push(...staged.counts);
                    await write(warehouse, staged, counts.length > 0, options, startedAt);
                    await warehouse.run(`drop view if exists ${staged.relation}`);
                    await warehouse.run(`drop table if exists ${staged.relation}_typed`);
                    await warehouse.run(`drop table if exists ${staged.relation}_text`);
                }
                if (counts.length > 0) throw new Rollback();
            });
            outcome = 'committed';
            break;
        } catch (err) {
            if (err instanceof Rollback) {
                outcome = 'rolled_back';
                break;
            }
            // Out of memory (DuckDB's memory_limit, then its spill space) is the machine's limit, not the file's fault.
            if (err instanceof ReadFailed && !err.message.startsWith('Out of Memory Error')) {
                const next: ReadAs =
                    err.how === 'direct' && err.file.format === 'csv'
                        ? { how: 'scanned' }
                        : { how: 'unreadable', reason: unreadableReason(err.file, err.message.replaceAll(err.file.path, displayName(err.file, options))) };
                readAs.set(err.file.path, next);
                continue;
            }
            if (mode === 'fast' && err instanceof NeedsReport) continue;
            throw err;
        }
    }

    for (const [i, r] of reports.entries()) r.content_hash = await hashes[i]!;
    if (outcome === 'rolled_back') {
        for (const r of reports) {
            if (r.status !== 'rejected') r.status = 'not_loaded';
            r.batch_id = null;
            r.inserted = r.replaced = r.unchanged = 0;
        }
        await recordRejectedBatches(warehouse, reports, rejects, counts, startedAt, options.actor ?? null);
    }
    const changed = reports.some((r) => r.status === 'loaded');
    return {
        ok: outcome === 'committed',
        status: outcome === 'rolled_back' ? 'rejected' : changed ? 'loaded' : 'unchanged',
        files: reports,
        rejects,
        rejects_total: counts.reduce((n, c) => n + c.count, 0),
        reject_counts: counts,
        rejects_kept_per_reason: keep,
        ignored: options.ignored ?? [],
        duration_ms: Date.now() - started,
    };
}

/** Why DuckDB could not read a file, in its words without its error class ("Invalid Input Error: …"). */
function unreadableReason(file: InputFile, message: string): string {
    const why = message.replace(/^[A-Za-z ]*Error: /, '');
    return file.format === 'parquet' ? `not a readable Parquet file: ${why}` : `unreadable CSV file: ${why}`;
}

class Rollback extends Error {}

/** The fast path met something it cannot name precisely; the batch is redone in report mode. */
class NeedsReport extends Error {}

/**
 * Columns the file provides, in entity order, each in the form the file gives it (an alternative, such as
 * time entries' hours, stands where the column it replaces would).
 */
function fileColumns(e: Entity, header: readonly string[], fileName: string): { columns: Column[]; problems: RejectedRow[] } {
    const problems: RejectedRow[] = [];
    const known = new Map(e.columns.map((c) => [c.name, c]));
    const used = (e.alternatives ?? []).filter((a) => header.includes(a.column.name));
    for (const a of used) {
        known.set(a.column.name, a.column);
        if (header.includes(a.replaces)) {
            problems.push({ file: fileName, line: 1, column: a.column.name, value: a.column.name, reason: `give ${a.column.name} or ${a.replaces}, not both` });
        }
    }
    const replaced = new Set(used.map((a) => a.replaces));
    const seen = new Set<string>();
    for (const h of header) {
        if (!known.has(h)) problems.push({ file: fileName, line: 1, column: clip(h), value: clip(h), reason: 'unknown column' });
        else if (seen.has(h)) problems.push({ file: fileName, line: 1, column: h, value: h, reason: 'column appears twice' });
        seen.add(h);
    }
    for (const c of e.columns) {
        if (c.required && !seen.has(c.name) && !replaced.has(c.name)) {
            problems.push({ file: fileName, line: 1, column: c.name, value: null, reason: 'missing required column' });
        }
    }
    const columns: Column[] = [];
    for (const c of e.columns) {
        const alternative = used.find((a) => a.replaces === c.name);
        if (alternative && !seen.has(c.name)) columns.push(alternative.column);
        else if (seen.has(c.name)) columns.push(c);
    }
    return { columns, problems };
}

/** A value as the report quotes it: long ones cut (a line of garbage can be megabytes). */
function clip(value: string): string {
    return value.length > MAX_VALUE_CHARS ? `${value.slice(0, MAX_VALUE_CHARS)}…` : value;
}

/** The same cut in SQL. */
function clipSql(value: string): string {
    return `case when length(${value}) > ${MAX_VALUE_CHARS} then left(${value}, ${MAX_VALUE_CHARS}) || '…' else ${value} end`;
}

/** SQL turning a cell read as text (or already typed) into its canonical value. */
function normalized(c: Column, source: string): string {
    if (c.type === 'text') {
        // An empty cell is no value. Text is kept as given otherwise (no trimming), in both paths alike.
        const value = `nullif(${source}, '')`;
        return c.emptyAsBlank ? `coalesce(${value}, '')` : value;
    }
    return source;
}

/**
 * The select list of a staged relation over a source of text cells (one varchar column per header field):
 * each given column parsed (rules.ts parseCell) with its text beside it as `<column>__raw`, and every column
 * the file does not give as the warehouse will hold it (null, or '' when emptyAsBlank), so that rules
 * across columns read the same whichever columns a file gives. Both paths stage through this.
 */
function stagedColumns(e: Entity, columns: readonly Column[]): string {
    const given = new Set(columns.map((c) => c.name));
    const replaced = new Set((e.alternatives ?? []).filter((a) => given.has(a.column.name)).map((a) => a.replaces));
    const parsed = columns.map((c) => {
        const text = `nullif(${ident(c.name)}, '')`;
        const value = c.type === 'text' ? normalized(c, ident(c.name)) : parseCell(c.type, text);
        return `${value} as ${ident(c.name)}, ${text} as ${ident(c.name + '__raw')}`;
    });
    const absent = e.columns
        .filter((c) => !given.has(c.name) && !replaced.has(c.name))
        .map((c) => `${c.emptyAsBlank ? `''` : `null::${readType(c.type)}`} as ${ident(c.name)}`);
    return [...parsed, ...absent].join(', ');
}

/** Every header field as text, for read_csv's columns. */
function textSpec(header: readonly string[]): string {
    return header.map((h) => `${literal(h)}: 'varchar'`).join(', ');
}

/**
 * The types of the entity's table in the warehouse, by column: a value its column cannot hold is a rule
 * (rules.ts storageRule) rather than a failed insert.
 */
async function storedTypes(warehouse: Warehouse, e: Entity): Promise<Map<string, string>> {
    const rows = await warehouse.all<{ column_name: string; data_type: string }>(
        `select column_name, data_type from information_schema.columns where table_schema = 'canonical' and table_name = $1`,
        [e.name],
    );
    return new Map(rows.map((r) => [r.column_name, r.data_type]));
}

/** Problems of a file's header (or the file itself), bounded like the others: counted, the first `keep` of each reason listed. */
function bounded(file: string, problems: readonly RejectedRow[], keep: number): { rejects: RejectedRow[]; counts: RejectCount[] } {
    const byReason = new Map<string, number>();
    const rejects: RejectedRow[] = [];
    for (const p of problems) {
        const n = (byReason.get(p.reason) ?? 0) + 1;
        byReason.set(p.reason, n);
        if (n <= keep) rejects.push({ ...p, value: p.value === null ? null : clip(p.value) });
    }
    return { rejects, counts: [...byReason].map(([reason, count]) => ({ file, reason, count })) };
}

async function stage(
    warehouse: Warehouse,
    file: InputFile,
    hash: Promise<string>,
    n: number,
    unverifiable: BatchContext,
    options: IngestOptions,
    readAs: ReadAs,
    keep: number,
): Promise<Staged> {
    const e = entity(file.entity);
    const name = displayName(file, options);
    const report = newFileReport(name, file.entity);
    const progress = (step: IngestProgress['step']) => options.onProgress?.({ file: name, entity: file.entity, step, percent: -1 });
    const relation = `ingest_stage_${n}`;
    const refuse = async (problems: RejectedRow[]): Promise<Staged> => {
        report.status = 'rejected';
        // Rows rejected: the header's line, if the problems are its; a file refused whole had none read.
        report.rejected = new Set(problems.filter((p) => p.line !== null).map((p) => p.line)).size;
        unverifiable.unreadable.add(file.entity);
        await warehouse.run(`create temp view ${relation} as select 1 as __empty where false`);
        return { file, hash, report, relation, columns: [], ...bounded(name, problems, keep) };
    };

    let header: string[];
    try {
        if (readAs.how === 'unreadable') throw new UnreadableFile(file.path, readAs.reason);
        header = file.format === 'csv' ? readCsvHeader(file.path) : await parquetColumns(warehouse, file);
    } catch (err) {
        if (!(err instanceof UnreadableFile)) throw err;
        return refuse([{ file: name, line: null, column: null, value: null, reason: err.reason }]);
    }
    const { columns, problems } = fileColumns(e, header, name);
    if (problems.length > 0) return refuse(problems);

    progress('reading');
    // The report path: every cell as text, numbered, then parsed so that each failure is visible.
    const { rows, lineNumbered, scan } = await stageText(warehouse, file, header, relation, readAs, keep);
    await warehouse.run(`create temp view ${relation} as select __row, ${stagedColumns(e, columns)} from ${relation}_text`);
    progress('validating');
    const found = await violations(warehouse, e, columns, relation, unverifiable, await storedTypes(warehouse, e));
    const listed = await warehouse.all<Violation>(
        `select __row as row, "column" as column, value, reason, first_row from ${found} ` +
            `qualify row_number() over (partition by kind order by __row, "column", reason) <= $1 order by __row, "column", reason`,
        [keep],
    );
    const counted = await warehouse.all<{ reason: string; count: number }>(
        `select kind as reason, count(*)::bigint as count from ${found} group by kind order by min(__row)`,
    );
    const badRows = (await warehouse.one<{ n: number }>(`select count(distinct __row)::bigint as n from ${found}`))?.n ?? 0;
    const unreadable = scan ? [...scan.counts.values()].reduce((a, b) => a + b, 0) : 0;
    report.rows = rows + unreadable;
    report.rejected = badRows + unreadable;
    if (report.rejected > 0) report.status = 'rejected';
    // Unreadable records (scanCsv): counted and listed as the scan found them.
    const records: RejectedRow[] = (scan?.kept ?? []).map((r) => ({ file: name, line: r.line, column: null, value: clip(r.value), reason: r.reason }));
    const rejects = [...(await locate(file, name, listed, lineNumbered)), ...records].sort(
        (a, b) => (a.line ?? 0) - (b.line ?? 0) || String(a.column).localeCompare(String(b.column)),
    );
    const counts = [...counted.map((c) => ({ file: name, ...c })), ...[...(scan?.counts ?? [])].map(([reason, count]) => ({ file: name, reason, count }))];
    // Rows that broke no rule still go in (inside the transaction that will roll back), so that later files'
    // references to them are not reported as unknown.
    if (badRows > 0) {
        // Keys of the rejected rows: other files' references to them are not reported again (the row
        // itself is), so a report names causes, not their echoes.
        const keys = e.key.map(ident).join(', ');
        await warehouse.run(
            `create temp table ${pendingTable(e.name)} as select ${keys} from ${relation} where __row in (select __row from ${found}) ` +
                `and ${e.key.map((k) => `${ident(k)} is not null`).join(' and ')}`,
        );
        unverifiable.pending.add(e.name);
        await warehouse.run(`delete from ${relation}_text where __row in (select __row from ${found})`);
    }
    await warehouse.run(`drop table ${found}`);
    return { file, hash, report, relation, columns, rejects, counts };
}

/** A Parquet file's column names; a file DuckDB cannot read as Parquet fails the pass (ReadFailed). */
async function parquetColumns(warehouse: Warehouse, file: InputFile): Promise<string[]> {
    try {
        return (await warehouse.all<{ column_name: string }>(`describe select * from read_parquet(${literal(file.path)})`)).map((r) => r.column_name);
    } catch (err) {
        throw new ReadFailed(file, 'direct', err);
    }
}

/**
 * The fast path for a CSV: read as text and parsed like the report path does, every row-level rule
 * checked as the rows stream into the table (a breaking row raises, which sends the batch to report mode);
 * then references are checked on the rows written and keys by the table's own constraint or index.
 */
async function loadCsvFast(
    warehouse: Warehouse,
    file: InputFile,
    hash: Promise<string>,
    n: number,
    options: IngestOptions,
    startedAt: string,
): Promise<FileReport> {
    const e = entity(file.entity);
    const name = displayName(file, options);
    let header: string[];
    try {
        header = readCsvHeader(file.path);
    } catch (err) {
        if (err instanceof UnreadableFile) throw new NeedsReport(err.message);
        throw err;
    }
    const { columns, problems } = fileColumns(e, header, name);
    if (problems.length > 0) throw new NeedsReport();
    const report = newFileReport(name, file.entity);
    const relation = `ingest_fast_${n}`;
    // Every rule a row can break on its own, checked as the row streams in. References are checked once
    // the rows are written, over their distinct values: a join per row would cost more than the read.
    const present = new Set(columns.map((c) => c.name));
    const checks = rowRules(e, columns, await storedTypes(warehouse, e)).map((r) => r.bad);
    const guard = checks.length > 0 ? `case when ${checks.map((c) => `(${c})`).join(' or ')} then error('realize: a row breaks a rule') else true end` : 'true';
    try {
        // A record DuckDB cannot split makes read_csv raise: that too is a case for report mode.
        await warehouse.run(
            `create temp view ${relation} as select ${stagedColumns(e, columns)} ` +
                `from read_csv(${literal(file.path)}, header = true, auto_detect = false, encoding = 'utf-8', columns = {${textSpec(header)}})`,
        );
        // Rows need not keep the file's order in the table (every reader sorts): DuckDB may then write
        // them from all threads at once.
        await warehouse.run(`set preserve_insertion_order = false`);
        try {
            await write(warehouse, { file, hash, report, relation, columns, rejects: [], counts: [] }, false, options, startedAt, guard);
            if (report.batch_id !== null) await checkWrittenReferences(warehouse, e, present, report.batch_id);
        } finally {
            // An aborted transaction refuses this too; report mode sets the order back itself.
            await warehouse.run(`reset preserve_insertion_order`).catch(() => undefined);
        }
        await warehouse.run(`drop view ${relation}`);
    } catch (err) {
        if (err instanceof NeedsReport) throw err;
        throw new NeedsReport((err as Error).message);
    }
    return report;
}

/**
 * The references of the rows a fast load wrote (inserted or replaced: they carry the batch id), checked
 * over their distinct values; any miss sends the file to report mode (the transaction rolls back), which
 * names each row.
 */
async function checkWrittenReferences(warehouse: Warehouse, e: Entity, present: ReadonlySet<string>, batchId: number): Promise<void> {
    for (const ref of referenceRules(e, present)) {
        const keys = ref.table === 'invoice_lines' && ref.column === 'line_no' ? ['invoice_id', 'line_no'] : [ref.column];
        const missing = await warehouse.one(
            `select 1 as missing from (select distinct ${keys.map((k) => `s.${ident(k)}`).join(', ')} from canonical.${ident(e.name)} s ` +
                `where s.batch_id = $1 and s.${ident(ref.column)} is not null and s.${ident(ref.column)}::varchar <> ''` +
                (ref.when ? ` and s.${ref.when}` : '') +
                `) s where not exists (select 1 from canonical.${ident(ref.table)} t where ${referenceJoin(ref, 's', 't')}) limit 1`,
            [batchId],
        );
        if (missing) throw new NeedsReport(`${e.name}.${ref.column}: a value is not in ${ref.table}`);
    }
}

/**
 * Reads every cell as text, numbered (__row), into `<relation>_text`. A CSV is read by DuckDB as it is
 * (__row = record number) unless DuckDB failed on it before (readAs 'scanned'): then the records are read
 * in JS, the unreadable ones named (scan) and the rest handed to DuckDB with their line (__row = line).
 * DuckDB failing here fails the pass (ReadFailed), which reads the file the next way.
 */
async function stageText(
    warehouse: Warehouse,
    file: InputFile,
    header: readonly string[],
    relation: string,
    readAs: ReadAs,
    keep: number,
): Promise<{ rows: number; lineNumbered: boolean; scan: CsvScanResult | null }> {
    let scan: CsvScanResult | null = null;
    let lineNumbered = file.format === 'parquet';
    try {
        if (file.format === 'csv' && readAs.how === 'scanned') {
            const copy = path.join(os.tmpdir(), `realize-records-${process.pid}-${relation}.csv`);
            try {
                scan = await scanCsv(file.path, header.length, keep, copy);
                await warehouse.run(
                    `create temp table ${relation}_text as select * rename (__line as __row) from read_csv(${literal(copy)}, ` +
                        `header = true, auto_detect = false, encoding = 'utf-8', columns = {'__line': 'bigint', ${textSpec(header)}})`,
                );
            } finally {
                fs.rmSync(copy, { force: true });
            }
            lineNumbered = true;
        } else if (file.format === 'csv') {
            // Record numbers come from the order rows are read in: keep it.
            await warehouse.run(`set preserve_insertion_order = true`);
            await warehouse.run(
                `create temp table ${relation}_text as select row_number() over () as __row, * from read_csv(${literal(file.path)}, ` +
                    `header = true, auto_detect = false, encoding = 'utf-8', columns = {${textSpec(header)}})`,
            );
        } else {
            const cols = header.map((h) => `${ident(h)}::varchar as ${ident(h)}`).join(', ');
            await warehouse.run(
                `create temp table ${relation}_text as select file_row_number + 1 as __row, ${cols} from read_parquet(${literal(file.path)}, file_row_number = true)`,
            );
        }
    } catch (err) {
        throw new ReadFailed(file, readAs.how, err);
    }
    const count = await warehouse.one<{ n: number }>(`select count(*)::bigint as n from ${relation}_text`);
    return { rows: count?.n ?? 0, lineNumbered, scan };
}

type CsvScanResult = Awaited<ReturnType<typeof scanCsv>>;

function keyOf(e: Entity, alias: string): string {
    return e.key.map((k) => `${alias}.${ident(k)}`).join(', ');
}

/** References into an entity whose file in this batch could not be read at all cannot be checked. */
function checkable(refs: ReferenceRule[], unverifiable: BatchContext): ReferenceRule[] {
    return refs.filter((r) => !unverifiable.unreadable.has(r.table));
}

/** What a report-mode pass has learnt about the batch so far. */
interface BatchContext {
    /** Entities whose file could not be read at all: references to them cannot be checked. */
    unreadable: Set<EntityName>;
    /** Entities with rejected rows, whose keys sit in pendingTable(entity). */
    pending: Set<EntityName>;
}

function pendingTable(name: EntityName): string {
    return `ingest_pending_${name}`;
}

function referenceQuery(ref: ReferenceRule, relation: string, pending?: string): string {
    return (
        `select s.__row, s.${ident(ref.column)}::varchar as value from ${relation} s where s.${ident(ref.column)} is not null` +
        (ref.when ? ` and s.${ref.when}` : '') +
        ` and s.${ident(ref.column)}::varchar <> ''` +
        ` and not exists (select 1 from canonical.${ident(ref.table)} t where ${referenceJoin(ref, 's', 't')})` +
        (pending ? ` and not exists (select 1 from ${pending} t where ${referenceJoin(ref, 's', 't')})` : '')
    );
}

interface Violation {
    row: number;
    column: string;
    value: string | null;
    reason: string;
    /** For duplicates: the row that first had the key. */
    first_row: number | null;
}

/**
 * Every broken rule of the staged rows, into a temp table (returned): __row, column, value (cut to
 * MAX_VALUE_CHARS), reason, first_row (duplicates) and kind — the reason as counted, the same for every
 * duplicate whichever row it repeats.
 */
async function violations(
    warehouse: Warehouse,
    e: Entity,
    columns: Column[],
    relation: string,
    unverifiable: BatchContext,
    stored: ReadonlyMap<string, string>,
): Promise<string> {
    const present = new Set(columns.map((c) => c.name));
    const parts: string[] = rowRules(e, columns, stored).map(
        (r: RowRule) =>
            `select __row, ${literal(r.column)} as "column", (${r.value})::varchar as value, ${literal(r.reason)} as reason, null::bigint as first_row from ${relation} where ${r.bad}`,
    );
    for (const ref of checkable(referenceRules(e, present), unverifiable)) {
        const query = referenceQuery(ref, relation, unverifiable.pending.has(ref.table) ? pendingTable(ref.table) : undefined);
        parts.push(`select __row, ${literal(ref.column)}, value, ${literal(ref.reason)}, null::bigint from (${query})`);
    }
    const keyCols = e.key.map(ident).join(', ');
    const keyText = e.key.map((k) => `coalesce(${ident(k)}::varchar, '')`).join(` || '|' || `);
    parts.push(
        `select __row, ${literal(e.key.join(', '))}, key_text, 'duplicate key', first_row from (` +
            `select __row, ${keyText} as key_text, min(__row) over (partition by ${keyCols}) as first_row, ` +
            `count(*) over (partition by ${keyCols}) as n from ${relation} where ${e.key.map((k) => `${ident(k)} is not null`).join(' and ')}` +
            `) where n > 1 and __row <> first_row`,
    );
    const table = `${relation}_violations`;
    await warehouse.run(
        `create temp table ${table} as select __row, "column", ${clipSql('value')} as value, reason, first_row, reason as kind ` +
            `from (${parts.join('\nunion all\n')})`,
    );
    return table;
}

/** Turns row numbers into physical lines (when they are not lines already) and builds the report rows. */
async function locate(file: InputFile, name: string, found: Violation[], lineNumbered: boolean): Promise<RejectedRow[]> {
    let lineOf = (row: number): number => row;
    if (!lineNumbered) {
        // __row counts CSV records; a quoted field may span lines, so the file says where each starts.
        const lines = await recordStartLines(file.path, [...found.map((v) => v.row), ...found.filter((v) => v.first_row).map((v) => v.first_row!)]);
        lineOf = (row) => lines.get(row) ?? row + 1;
    }
    const first = file.format === 'parquet' ? 'row' : 'line';
    return found.map((v) => ({
        file: name,
        line: lineOf(v.row),
        column: v.column,
        value: v.value,
        reason: v.first_row ? `duplicate key: ${first} ${lineOf(v.first_row)} has the same key` : v.reason,
    }));
}

/** Inserts new rows, replaces changed ones, counts the unchanged, records the batch. */
async function write(
    warehouse: Warehouse,
    staged: Staged,
    doomed: boolean,
    options: IngestOptions,
    startedAt: string,
    guard = 'true',
): Promise<void> {
    const { report, relation, columns } = staged;
    if (columns.length === 0) return;
    const e = entity(staged.file.entity);
    const table = `canonical.${ident(e.name)}`;
    const targetColumns = (
        await warehouse.all<{ column_name: string }>(
            `select column_name from information_schema.columns where table_schema = 'canonical' and table_name = $1 order by ordinal_position`,
            [e.name],
        )
    )
        .map((r) => r.column_name)
        .filter((c) => c !== 'batch_id');
    const given = new Set(columns.map((c) => c.name));
    const valueOf = (col: string): string => {
        const alternative = e.alternatives?.find((a) => a.replaces === col && given.has(a.column.name));
        if (alternative) return alternative.stored(`s.${ident(alternative.column.name)}`);
        if (given.has(col)) return `s.${ident(col)}`;
        return e.columns.find((c) => c.name === col)?.emptyAsBlank ? `''` : 'null';
    };
    const source = `(select ${targetColumns.map((c) => `${valueOf(c)} as ${ident(c)}`).join(', ')} from ${relation} s where ${guard})`;
    const keyMatch = e.key.map((k) => `t.${ident(k)} = s.${ident(k)}`).join(' and ');
    const nonKey = targetColumns.filter((c) => !e.key.includes(c));
    const differs = nonKey.length === 0 ? 'false' : nonKey.map((c) => `t.${ident(c)} is distinct from s.${ident(c)}`).join(' or ');

    const batch = await warehouse.one<{ id: number }>(`select nextval('ingest.batch_seq')::integer as id`);
    const batchId = batch!.id;
    // The staged rows as the table's columns: a view, so the rows are not copied once more.
    const rows = `${relation}_rows`;
    await warehouse.run(`create temp view ${rows} as select * from ${source}`);
    const existing = await warehouse.one<{ n: number }>(`select count(*)::bigint as n from ${table}`);
    let replaced = 0;
    let unchanged = 0;
    if ((existing?.n ?? 0) > 0) {
        // Rows whose key the table already has: identical ones change nothing, others replace the old row.
        const matched = `${relation}_matched`;
        await warehouse.run(`create temp table ${matched} as select s.* from ${rows} s semi join ${table} t on ${keyMatch}`);
        const dup = await warehouse.one(`select 1 as dup from ${matched} s group by ${keyOf(e, 's')} having count(*) > 1 limit 1`);
        if (dup) throw new NeedsReport();
        const counts = await warehouse.one<{ replaced: number; unchanged: number }>(
            `select count(*) filter (where ${differs})::bigint as replaced, count(*) filter (where not (${differs}))::bigint as unchanged ` +
                `from ${matched} s join ${table} t on ${keyMatch}`,
        );
        replaced = counts?.replaced ?? 0;
        unchanged = counts?.unchanged ?? 0;
        if (replaced > 0) {
            const keyText = e.key.map((k) => `coalesce(s.${ident(k)}::varchar, '')`).join(` || '|' || `);
            await warehouse.run(
                `insert into ingest.replacements select $1, $2, ${keyText}, t.batch_id from ${matched} s join ${table} t on ${keyMatch} where ${differs}`,
                [batchId, e.name],
            );
            await warehouse.run(
                `update ${table} as t set ${nonKey.map((c) => `${ident(c)} = s.${ident(c)}`).join(', ')}, batch_id = $1 ` +
                    `from ${matched} s where ${keyMatch} and (${differs})`,
                [batchId],
            );
        }
        await warehouse.run(`drop table ${matched}`);
    }
    const indexColumns = INDEXED_TABLES[e.name];
    const size = staged.file.format === 'csv' && report.rows === 0 ? fs.statSync(staged.file.path).size / 100 : report.rows;
    const bulk = indexColumns !== undefined && size >= (options.bulkIndexThreshold ?? BULK_INDEX_THRESHOLD);
    if (bulk) {
        // DuckDB cannot re-create an index under the name it dropped in the same transaction, so the
        // rebuilt index is named after the batch.
        const indexes = await warehouse.all<{ name: string }>(
            `select index_name as name from duckdb_indexes() where schema_name = 'canonical' and table_name = $1`,
            [e.name],
        );
        for (const i of indexes) await warehouse.run(`drop index canonical.${ident(i.name)}`);
    }
    const insertSql =
        `insert into ${table} (${targetColumns.map(ident).join(', ')}, batch_id) select s.*, $1 from ${rows} s` +
        ((existing?.n ?? 0) > 0 ? ` where not exists (select 1 from ${table} t where ${keyMatch})` : '');
    await withProgress(warehouse, options, staged.file, 'writing', () => warehouse.run(insertSql, [batchId]));
    if (bulk) {
        await withProgress(warehouse, options, staged.file, 'indexing', () =>
            warehouse.run(`create unique index ${ident(`${e.name}_key_${batchId}`)} on ${table} (${indexColumns})`),
        );
    }
    await warehouse.run(`drop view ${rows}`);
    if (report.status === 'rejected') return;
    if (report.rows === 0) {
        // The fast path does not count the file's rows before loading them: the table tells.
        const written = await warehouse.one<{ n: number }>(`select count(*)::bigint as n from ${table} where batch_id = $1`, [batchId]);
        report.rows = (written?.n ?? 0) + unchanged;
    }
    const inserted = report.rows - report.rejected - replaced - unchanged;
    report.replaced = replaced;
    report.unchanged = unchanged;
    report.inserted = inserted;
    if (doomed) return;
    if (inserted === 0 && replaced === 0) {
        report.status = 'unchanged';
        return;
    }
    report.batch_id = batchId;
    report.content_hash = await staged.hash;
    await warehouse.run(
        `insert into ingest.batches (${BATCH_COLUMNS}) values ($1, $2, $3, $4, 'loaded', $5, $6, $7, $8, 0, $9::timestamptz, now(), $10)`,
        [batchId, e.name, report.file, report.content_hash, report.rows, inserted, replaced, unchanged, startedAt, options.actor ?? null],
    );
    options.onProgress?.({ file: report.file, entity: e.name, step: 'done', percent: 100 });
}

const BATCH_COLUMNS =
    'batch_id, entity, file_name, content_hash, status, rows_in_file, rows_inserted, rows_replaced, rows_unchanged, rows_rejected, started_at, finished_at, created_by';

/**
 * A rejected batch is recorded once per file content, after the rollback, with its report as the report
 * gave it: the problems listed (ingest.rejects) and every one counted by reason (ingest.reject_counts).
 */
async function recordRejectedBatches(
    warehouse: Warehouse,
    reports: FileReport[],
    rejects: RejectedRow[],
    counts: RejectCount[],
    startedAt: string,
    actor: string | null,
): Promise<void> {
    await warehouse.transaction(async () => {
        for (const r of reports) {
            if (r.status !== 'rejected') continue;
            const seen = await warehouse.one(
                `select 1 as seen from ingest.batches where status = 'rejected' and entity = $1 and content_hash = $2`,
                [r.entity, r.content_hash],
            );
            if (seen) continue;
            const batch = await warehouse.one<{ id: number }>(`select nextval('ingest.batch_seq')::integer as id`);
            await warehouse.run(
                `insert into ingest.batches (${BATCH_COLUMNS}) values ($1, $2, $3, $4, 'rejected', $5, 0, 0, 0, $6, $7::timestamptz, now(), $8)`,
                [batch!.id, r.entity, r.file, r.content_hash, r.rows, r.rejected, startedAt, actor],
            );
            for (const c of counts.filter((x) => x.file === r.file)) {
                await warehouse.run(`insert into ingest.reject_counts values ($1, $2, $3, $4)`, [batch!.id, c.file, c.reason, c.count]);
            }
            const mine = rejects.filter((x) => x.file === r.file);
            if (mine.length === 0) continue;
            // Bulk: the report rows go through a scratch JSON file rather than one insert per row.
            const scratch = path.join(os.tmpdir(), `realize-rejects-${process.pid}-${batch!.id}.json`);
            fs.writeFileSync(scratch, JSON.stringify(mine));
            try {
                await warehouse.run(
                    `insert into ingest.rejects select $1, file, line, "column", value, reason from read_json(${literal(scratch)}, ` +
                        `columns = {file: 'varchar', line: 'bigint', "column": 'varchar', value: 'varchar', reason: 'varchar'})`,
                    [batch!.id],
                );
            } finally {
                fs.rmSync(scratch, { force: true });
            }
        }
    });
}

/** Polls DuckDB's progress while a long statement runs. */
async function withProgress<T>(
    warehouse: Warehouse,
    options: IngestOptions,
    file: InputFile,
    step: IngestProgress['step'],
    work: () => Promise<T>,
): Promise<T> {
    const report = options.onProgress;
    if (!report) return work();
    const name = displayName(file, options);
    const timer = setInterval(() => report({ file: name, entity: file.entity, step, percent: warehouse.progress() }), 500);
    try {
        return await work();
    } finally {
        clearInterval(timer);
    }
}

/** Files are named in reports as the caller named them (a folder's files as folder/name), or as options.names says. */
function displayName(file: InputFile, options: IngestOptions): string {
    return options.names?.[file.path] ?? file.path;
}
