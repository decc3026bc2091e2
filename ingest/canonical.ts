/**
 * Canonical ingest: CSV/Parquet files → validated batches in the warehouse.
 *
 * One call is one transaction: files load in dependency order (people before time entries), each file
 * becomes a batch (ingest.batches) whose id every row it writes carries, and if any row of any file breaks
 * a rule, nothing is loaded and the report lists every such row (file, line, column, value, reason).
 * Rows whose key already exists are replaced when they differ (ingest.replacements says which batch wrote
 * the old version) and left alone when identical, so loading the same file twice changes nothing.
 *
 * The work is bulk SQL. A CSV is first read with its declared types (DuckDB's own parser, casting errors
 * captured by store_rejects); only when something is wrong is it read again as text, row-numbered, to
 * name every bad cell — a clean file never pays for the report.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ident, literal, type Warehouse } from '../warehouse/warehouse.ts';
import { entity, loadOrder, type Column, type Entity, type EntityName } from './entities.ts';
import { contentHash, readCsvHeader, recordStartLines, type InputFile } from './files.ts';
import { readType, referenceJoin, referenceRules, rowRules, type ReferenceRule, type RowRule } from './rules.ts';

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

export interface IngestReport {
    ok: boolean;
    /** loaded: something changed; unchanged: every row was already there; rejected: nothing loaded. */
    status: 'loaded' | 'unchanged' | 'rejected';
    files: FileReport[];
    rejects: RejectedRow[];
    ignored: string[];
    duration_ms: number;
}

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
    rejects: RejectedRow[];
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

    const reports: FileReport[] = [];
    const rejects: RejectedRow[] = [];
    let outcome: 'committed' | 'rolled_back' = 'committed';

    // First the fast way: each CSV straight into its table, rules checked as rows stream in. Any problem
    // rolls everything back and the batch is read again the thorough way, which names every bad row.
    for (const mode of ['fast', 'report'] as const) {
        reports.length = 0;
        rejects.length = 0;
        try {
            await warehouse.transaction(async () => {
                const unverifiable: BatchContext = { unreadable: new Set(), pending: new Set() };
                for (const [i, file] of files.entries()) {
                    if (mode === 'fast' && file.format === 'csv') {
                        reports.push(await loadCsvFast(warehouse, file, hashes[i]!, i, options, startedAt));
                        continue;
                    }
                    const staged = await stage(warehouse, file, hashes[i]!, i, unverifiable, options);
                    reports.push(staged.report);
                    rejects.push(...staged.rejects);
                    await write(warehouse, staged, rejects.length > 0, options, startedAt);
                    await warehouse.run(`drop view if exists ${staged.relation}`);
                    await warehouse.run(`drop table if exists ${staged.relation}_typed`);
                    await warehouse.run(`drop table if exists ${staged.relation}_text`);
                }
                if (rejects.length > 0) throw new Rollback();
            });
            outcome = 'committed';
            break;
        } catch (err) {
            if (err instanceof Rollback) {
                outcome = 'rolled_back';
                break;
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
        await recordRejectedBatches(warehouse, reports, rejects, startedAt);
    }
    const changed = reports.some((r) => r.status === 'loaded');
    return {
        ok: outcome === 'committed',
        status: outcome === 'rolled_back' ? 'rejected' : changed ? 'loaded' : 'unchanged',
        files: reports,
        rejects,
        ignored: options.ignored ?? [],
        duration_ms: Date.now() - started,
    };
}

class Rollback extends Error {}

/** The fast path met something it cannot name precisely; the batch is redone in report mode. */
class NeedsReport extends Error {}

/** Columns the file provides, in entity order; time entries may give hours instead of duration_seconds. */
function fileColumns(e: Entity, header: readonly string[], fileName: string): { columns: Column[]; problems: RejectedRow[] } {
    const problems: RejectedRow[] = [];
    const known = new Map(e.columns.map((c) => [c.name, c]));
    const hoursInstead = e.name === 'time_entries' && header.includes('hours');
    if (hoursInstead) {
        known.set('hours', { name: 'hours', type: 'decimal', required: true, min: 0, max: 24 });
        if (header.includes('duration_seconds')) {
            problems.push({ file: fileName, line: 1, column: 'hours', value: 'hours', reason: 'give hours or duration_seconds, not both' });
        }
    }
    const seen = new Set<string>();
    for (const h of header) {
        if (!known.has(h)) problems.push({ file: fileName, line: 1, column: h, value: h, reason: 'unknown column' });
        else if (seen.has(h)) problems.push({ file: fileName, line: 1, column: h, value: h, reason: 'column appears twice' });
        seen.add(h);
    }
    for (const c of e.columns) {
        const given = seen.has(c.name) || (hoursInstead && c.name === 'duration_seconds');
        if (c.required && !given) {
            problems.push({ file: fileName, line: 1, column: c.name, value: null, reason: 'missing required column' });
        }
    }
    const columns = [...known.values()].filter((c) => seen.has(c.name) && !(hoursInstead && c.name === 'duration_seconds'));
    return { columns, problems };
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

async function stage(
    warehouse: Warehouse,
    file: InputFile,
    hash: Promise<string>,
    n: number,
    unverifiable: BatchContext,
    options: IngestOptions,
): Promise<Staged> {
    const e = entity(file.entity);
    const name = displayName(file.path);
    const report: FileReport = {
        file: name,
        entity: file.entity,
        content_hash: '',
        batch_id: null,
        status: 'loaded',
        rows: 0,
        inserted: 0,
        replaced: 0,
        unchanged: 0,
        rejected: 0,
    };
    const progress = (step: IngestProgress['step']) => options.onProgress?.({ file: name, entity: file.entity, step, percent: -1 });
    const relation = `ingest_stage_${n}`;

    const header =
        file.format === 'csv'
            ? readCsvHeader(file.path)
            : (await warehouse.all<{ column_name: string }>(`describe select * from read_parquet(${literal(file.path)})`)).map((r) => r.column_name);
    const { columns, problems } = fileColumns(e, header, name);
    if (problems.length > 0) {
        report.status = 'rejected';
        report.rejected = problems.length;
        unverifiable.unreadable.add(file.entity);
        await warehouse.run(`create temp view ${relation} as select 1 as __empty where false`);
        return { file, hash, report, relation, columns: [], rejects: problems };
    }

    progress('reading');
    // The report path: every cell as text, numbered, then cast with try_cast so each failure is visible.
    const { rows, structural } = await stageText(warehouse, file, columns, header, relation);
    progress('validating');
    const found = await violations(warehouse, e, columns, relation, unverifiable);
    const rowRejects = await locate(file, name, found, structural);
    report.rows = rows + structural.length;
    const badRows = new Set(rowRejects.map((r) => r.line));
    report.rejected = badRows.size;
    if (report.rejected > 0) report.status = 'rejected';
    // Rows that broke no rule still go in (inside the transaction that will roll back), so that later files'
    // references to them are not reported as unknown.
    const badRowNumbers = [...new Set(found.map((f) => f.row))];
    if (badRowNumbers.length > 0) {
        await warehouse.run(`create temp table ${relation}_bad as select unnest(${literal(`[${badRowNumbers.join(',')}]`)}::bigint[]) as __row`);
        // Keys of the rejected rows: other files' references to them are not reported again (the row
        // itself is), so a report names causes, not their echoes.
        const keys = e.key.map(ident).join(', ');
        await warehouse.run(
            `create temp table ${pendingTable(e.name)} as select ${keys} from ${relation} where __row in (select __row from ${relation}_bad) ` +
                `and ${e.key.map((k) => `${ident(k)} is not null`).join(' and ')}`,
        );
        unverifiable.pending.add(e.name);
        await warehouse.run(`delete from ${relation}_text where __row in (select __row from ${relation}_bad)`);
        await warehouse.run(`drop table ${relation}_bad`);
    }
    return { file, hash, report, relation, columns, rejects: rowRejects };
}

/**
 * The fast path for a CSV: DuckDB parses it with its declared types and every row-level rule is checked
 * as the rows stream into the table (a breaking row raises, which sends the batch to report mode); then
 * references are checked on the rows written and keys by the table's own constraint or index.
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
    const name = displayName(file.path);
    const header = readCsvHeader(file.path);
    const { columns, problems } = fileColumns(e, header, name);
    if (problems.length > 0) throw new NeedsReport();
    const report: FileReport = {
        file: name,
        entity: file.entity,
        content_hash: '',
        batch_id: null,
        status: 'loaded',
        rows: 0,
        inserted: 0,
        replaced: 0,
        unchanged: 0,
        rejected: 0,
    };
    const relation = `ingest_fast_${n}`;
    const byName = new Map(columns.map((c) => [c.name, c]));
    const spec = header.map((h) => `${literal(h)}: ${literal(readType(byName.get(h)!.type))}`).join(', ');
    // DuckDB already reads an empty cell as null; only a quoted empty string ("") arrives as ''. Rather than
    // normalise every text cell, such a file goes to report mode, which normalises (and loads it).
    const select = columns.map((c) => (c.type === 'text' && !c.emptyAsBlank ? ident(c.name) : `${normalized(c, ident(c.name))} as ${ident(c.name)}`)).join(', ');
    // Every rule a row can break on its own, checked as the row streams in (the parsed value stands in for
    // the raw text: a cell that does not parse has already stopped the read). References are checked once
    // the rows are written, over their distinct values: a join per row would cost more than the read.
    const present = new Set(columns.map((c) => c.name));
    const checks = [
        ...columns.filter((c) => c.type === 'text' && !c.emptyAsBlank).map((c) => `${ident(c.name)} = ''`),
        ...rowRules(e, present).map((r) => r.bad.replace(/"([a-z_0-9]+)__raw"/g, '"$1"')),
    ];
    const guard = checks.length > 0 ? `case when ${checks.map((c) => `(${c})`).join(' or ')} then error('realize: a row breaks a rule') else true end` : 'true';
    try {
        // A cell that does not parse makes read_csv raise: that too is a case for report mode.
        await warehouse.run(
            `create temp view ${relation} as select ${select} ` +
                `from read_csv(${literal(file.path)}, header = true, auto_detect = false, columns = {${spec}})`,
        );
        // Rows need not keep the file's order in the table (every reader sorts): DuckDB may then write
        // them from all threads at once.
        await warehouse.run(`set preserve_insertion_order = false`);
        try {
            await write(warehouse, { file, hash, report, relation, columns, rejects: [] }, false, options, startedAt, guard);
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

/** A CSV record DuckDB could not parse (wrong number of fields, bad quoting); record 1 = first data row. */
interface UnreadableRecord {
    record: number;
    reason: string;
    column: string | null;
    value: string | null;
}

/** Reads every cell as text with its record number; casts with try_cast. Returns rows and unparseable records. */
async function stageText(
    warehouse: Warehouse,
    file: InputFile,
    columns: Column[],
    header: readonly string[],
    relation: string,
): Promise<{ rows: number; structural: UnreadableRecord[] }> {
    let structural: UnreadableRecord[] = [];
    if (file.format === 'csv') {
        // Record numbers come from the order rows are read in: keep it.
        await warehouse.run(`set preserve_insertion_order = true`);
        const spec = header.map((h) => `${literal(h)}: 'varchar'`).join(', ');
        const rejectsTable = `${relation}_rejects`;
        await warehouse.run(
            `create temp table ${relation}_text as select row_number() over () as __row, * from read_csv(${literal(file.path)}, ` +
                `header = true, auto_detect = false, columns = {${spec}}, store_rejects = true, ` +
                `rejects_table = ${literal(rejectsTable)}, rejects_scan = ${literal(rejectsTable + '_scan')})`,
        );
        // DuckDB numbers records with the header as 1; record k of the data is line k + 1 in its numbering.
        structural = (
            await warehouse.all<{ line: number; column_name: string | null; error_type: string; error_message: string; csv_line: string }>(
                `select line::bigint as line, column_name, error_type::varchar as error_type, error_message, csv_line from ${rejectsTable} order by line`,
            )
        )
            // DuckDB may report one record several times (once per missing column): keep the first.
            .filter((r, i, all) => i === 0 || all[i - 1]!.line !== r.line)
            .map((r) => ({
            record: r.line - 1,
            reason: `unreadable CSV record: ${r.error_message}`,
            column: r.error_type === 'MISSING COLUMNS' || r.error_type === 'TOO MANY COLUMNS' ? null : r.column_name,
            value: r.csv_line,
        }));
        await warehouse.run(`drop table ${rejectsTable}`);
        await warehouse.run(`drop table ${rejectsTable}_scan`);
    } else {
        const cols = header.map((h) => `${ident(h)}::varchar as ${ident(h)}`).join(', ');
        await warehouse.run(
            `create temp table ${relation}_text as select file_row_number + 1 as __row, ${cols} from read_parquet(${literal(file.path)}, file_row_number = true)`,
        );
    }
    const typed = columns
        .map((c) => {
            const text = normalized({ ...c, type: 'text', emptyAsBlank: false }, ident(c.name));
            const value = c.type === 'text' ? normalized(c, ident(c.name)) : `try_cast(${text} as ${readType(c.type)})`;
            return `${value} as ${ident(c.name)}, ${text} as ${ident(c.name + '__raw')}`;
        })
        .join(', ');
    await warehouse.run(`create temp view ${relation} as select __row, ${typed} from ${relation}_text`);
    const count = await warehouse.one<{ n: number }>(`select count(*)::bigint as n from ${relation}_text`);
    return { rows: count?.n ?? 0, structural };
}

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

async function violations(
    warehouse: Warehouse,
    e: Entity,
    columns: Column[],
    relation: string,
    unverifiable: BatchContext,
): Promise<Violation[]> {
    const present = new Set(columns.map((c) => c.name));
    const parts: string[] = rowRules(e, present).map(
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
    return warehouse.all<Violation>(
        `select __row as row, "column" as column, value, reason, first_row from (${parts.join('\nunion all\n')}) order by __row, "column", reason`,
    );
}

/** Turns row numbers into physical lines and builds the report rows. */
async function locate(
    file: InputFile,
    name: string,
    found: Violation[],
    structural: UnreadableRecord[],
): Promise<RejectedRow[]> {
    if (file.format === 'parquet') {
        return found.map((v) => ({
            file: name,
            line: v.row,
            column: v.column,
            value: v.value,
            reason: v.first_row ? `duplicate key: row ${v.first_row} has the same key` : v.reason,
        }));
    }
    // __row counts the records DuckDB could parse; the ones it could not are skipped in that numbering.
    const skipped = structural.map((s) => s.record).sort((a, b) => a - b);
    const record = (row: number): number => {
        let r = row;
        for (const s of skipped) if (s <= r) r++;
        return r;
    };
    const records = [...found.map((v) => record(v.row)), ...found.filter((v) => v.first_row).map((v) => record(v.first_row!)), ...skipped];
    const lines = await recordStartLines(file.path, records);
    const lineOf = (rec: number) => lines.get(rec) ?? rec + 1;
    const out: RejectedRow[] = [
        ...found.map((v) => ({
            file: name,
            line: lineOf(record(v.row)),
            column: v.column,
            value: v.value,
            reason: v.first_row ? `duplicate key: line ${lineOf(record(v.first_row))} has the same key` : v.reason,
        })),
        ...structural.map((s) => ({ file: name, line: lineOf(s.record), column: s.column, value: s.value, reason: s.reason })),
    ];
    return out.sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || String(a.column).localeCompare(String(b.column)));
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
        if (col === 'duration_seconds' && given.has('hours')) return `round(s."hours" * 3600)::integer`;
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
        `insert into ingest.batches values ($1, $2, $3, $4, 'loaded', $5, $6, $7, $8, 0, $9::timestamptz, now())`,
        [batchId, e.name, report.file, report.content_hash, report.rows, inserted, replaced, unchanged, startedAt],
    );
    options.onProgress?.({ file: report.file, entity: e.name, step: 'done', percent: 100 });
}

/** A rejected batch is recorded once per file content, with its report, after the rollback. */
async function recordRejectedBatches(warehouse: Warehouse, reports: FileReport[], rejects: RejectedRow[], startedAt: string): Promise<void> {
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
                `insert into ingest.batches values ($1, $2, $3, $4, 'rejected', $5, 0, 0, 0, $6, $7::timestamptz, now())`,
                [batch!.id, r.entity, r.file, r.content_hash, r.rows, r.rejected, startedAt],
            );
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
    const name = displayName(file.path);
    const timer = setInterval(() => report({ file: name, entity: file.entity, step, percent: warehouse.progress() }), 500);
    try {
        return await work();
    } finally {
        clearInterval(timer);
    }
}

/** Files are named in reports as the caller named them (a folder's files as folder/name). */
function displayName(file: string): string {
    return file;
}
