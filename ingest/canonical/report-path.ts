/**
 * The report path: every cell read as text, numbered, parsed and checked so that each broken rule names its
 * file, line, column and value. Only a batch with a problem (or one the fast path could not load) pays for it.
 */
import { ident, literal, type Warehouse } from '../../warehouse/warehouse.ts';
import { entity, type Column, type Entity, type EntityName } from '../entities.ts';
import { readCsvHeader, recordStartLines, UnreadableFile, type InputFile } from '../files.ts';
import { referenceJoin, referenceRules, rowRules, type ReferenceRule, type RowRule } from '../rules.ts';
import { fileColumns, stagedColumns, storedTypes } from './columns.ts';
import { parquetColumns, stageText, type ReadAs } from './read.ts';
import { bounded, clip, clipSql, displayName, newFileReport, type IngestOptions, type IngestProgress, type RejectedRow } from './report.ts';
import type { Staged } from './write.ts';

export async function stage(
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

/** References into an entity whose file in this batch could not be read at all cannot be checked. */
function checkable(refs: ReferenceRule[], unverifiable: BatchContext): ReferenceRule[] {
    return refs.filter((r) => !unverifiable.unreadable.has(r.table));
}

/** What a report-mode pass has learnt about the batch so far. */
export interface BatchContext {
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
