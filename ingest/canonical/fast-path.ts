/**
 * The fast path: a CSV (or rows an import staged) straight into its table, every rule checked as the rows
 * stream in. Anything it cannot name precisely raises NeedsReport, and the batch is read again the report
 * path's way.
 */
import { ident, literal, type Warehouse } from '../../warehouse/warehouse.ts';
import { entity, type Column, type Entity } from '../entities.ts';
import { readCsvHeader, UnreadableFile, type InputFile } from '../files.ts';
import { referenceJoin, referenceRules, rowRules } from '../rules.ts';
import { fileColumns, stagedColumns, storedTypes, textSpec, typedColumns } from './columns.ts';
import { displayName, newFileReport, type FileReport, type IngestOptions } from './report.ts';
import { NeedsReport, write } from './write.ts';

/**
 * The fast path for a CSV: read as text and parsed like the report path does, every row-level rule
 * checked as the rows stream into the table (a breaking row raises, which sends the batch to report mode);
 * then references are checked on the rows written and keys by the table's own constraint or index.
 */
export async function loadCsvFast(
    warehouse: Warehouse,
    file: InputFile,
    hash: Promise<string>,
    n: number,
    options: IngestOptions,
    startedAt: string,
): Promise<FileReport> {
    let header: string[];
    try {
        header = readCsvHeader(file.path);
    } catch (err) {
        if (err instanceof UnreadableFile) throw new NeedsReport(err.message);
        throw err;
    }
    // A record DuckDB cannot split makes read_csv raise: that too is a case for report mode.
    const read = (columns: readonly Column[]) =>
        `select ${stagedColumns(entity(file.entity), columns)} ` +
        `from read_csv(${literal(file.path)}, header = true, auto_detect = false, encoding = 'utf-8', columns = {${textSpec(header)}})`;
    return loadFast(warehouse, file, header, read, hash, n, options, startedAt);
}

/**
 * The fast path for rows already staged in the entity's columns (InputFile.relation): the same rules as a
 * file's, over the values as they are. Its content hash is a digest of the rows (there is no file).
 */
export async function loadRelationFast(
    warehouse: Warehouse,
    file: InputFile & { relation: string },
    n: number,
    options: IngestOptions,
    startedAt: string,
): Promise<{ report: FileReport; hash: Promise<string> }> {
    const header = (await warehouse.all<{ column_name: string }>(`select column_name from (describe select * from ${file.relation})`)).map((r) => r.column_name);
    const digest = await warehouse.one<{ rows: number; hash: string }>(
        `select count(*)::bigint as rows, printf('%016x', coalesce(bit_xor(hash(${header.map(ident).join(', ')})), 0)) as hash from ${file.relation}`,
    );
    const hash = Promise.resolve(`rows:${digest!.hash}`);
    const read = (columns: readonly Column[]) => `select ${typedColumns(entity(file.entity), columns)} from ${file.relation}`;
    const report = await loadFast(warehouse, file, header, read, hash, n, options, startedAt, digest!.rows);
    return { report, hash };
}

/** The common part: `read(columns)` stages the rows; they are checked as they stream into the table. */
async function loadFast(
    warehouse: Warehouse,
    file: InputFile,
    header: readonly string[],
    read: (columns: readonly Column[]) => string,
    hash: Promise<string>,
    n: number,
    options: IngestOptions,
    startedAt: string,
    rows = 0,
): Promise<FileReport> {
    const e = entity(file.entity);
    const name = displayName(file, options);
    const { columns, problems } = fileColumns(e, header, name);
    if (problems.length > 0) throw new NeedsReport();
    const report = newFileReport(name, file.entity);
    // Known beforehand (a relation's rows), or counted once they are written (a file's).
    report.rows = rows;
    const relation = `ingest_fast_${n}`;
    // Every rule a row can break on its own, checked as the row streams in. References are checked once
    // the rows are written, over their distinct values: a join per row would cost more than the read.
    const present = new Set(columns.map((c) => c.name));
    const checks = rowRules(e, columns, await storedTypes(warehouse, e)).map((r) => r.bad);
    const guard = checks.length > 0 ? `case when ${checks.map((c) => `(${c})`).join(' or ')} then error('realize: a row breaks a rule') else true end` : 'true';
    try {
        await warehouse.run(`create temp view ${relation} as ${read(columns)}`);
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
