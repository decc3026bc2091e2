/**
 * The writer: staged rows into their canonical table as one batch (new rows inserted, changed ones replaced
 * with the old version's batch recorded, identical ones counted), and a rejected batch's report recorded
 * after the rollback.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { markWrittenFrom } from '../../warehouse/models/dirty.ts';
import { ident, literal, type Warehouse } from '../../warehouse/warehouse.ts';
import { entity, type Column, type Entity, type EntityName } from '../entities.ts';
import type { InputFile } from '../files.ts';
import { displayName, type FileReport, type IngestOptions, type IngestProgress, type RejectCount, type RejectedRow } from './report.ts';

/** Above this many rows a table's unique index is rebuilt once after the insert instead of row by row. */
const BULK_INDEX_THRESHOLD = 500_000;
/** Key columns of the tables whose key is a unique index rather than a primary key (see 001_canonical.sql). */
const INDEXED_TABLES: Partial<Record<EntityName, string>> = {
    time_entries: 'entry_id',
    invoice_line_entries: 'invoice_id, line_no, entry_id',
};

export interface Staged {
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
 * A load that would change approved or invoiced time entries: approved time is frozen (only an admin's
 * reopening unfreezes it), so the whole load is refused. Identical rows are not changes.
 */
export class FrozenEntries extends Error {
    readonly entryIds: string[];
    readonly file: string;
    constructor(file: string, entryIds: string[], more: boolean) {
        super(
            `${file} would change approved or invoiced time entries, which are frozen: ${entryIds.join(', ')}${more ? ' and more' : ''}. ` +
                'Nothing was loaded; leave those rows as they are in the file, or have an admin reopen the entries first.',
        );
        this.name = 'FrozenEntries';
        this.entryIds = entryIds;
        this.file = file;
    }
}

/** The fast path met something it cannot name precisely; the batch is redone in report mode. */
export class NeedsReport extends Error {}

function keyOf(e: Entity, alias: string): string {
    return e.key.map((k) => `${alias}.${ident(k)}`).join(', ');
}

/** Inserts new rows, replaces changed ones, counts the unchanged, records the batch. */
export async function write(
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
        if (e.name === 'time_entries' && replaced > 0) {
            const frozen = await warehouse.all<{ entry_id: string }>(
                `select s.entry_id from ${matched} s join ${table} t on ${keyMatch}
                 where (${differs}) and (
                    t.status = 'approved'
                    or t.entry_id in (select entry_id from invoicing.billed_entries)
                    or t.entry_id in (select entry_id from canonical.invoice_line_entries)
                 )
                 order by s.entry_id limit 21`,
            );
            if (frozen.length > 0) throw new FrozenEntries(report.file, frozen.slice(0, 20).map((r) => r.entry_id), frozen.length > 20);
        }
        if (replaced > 0) {
            // The old versions of the rows about to be replaced: the months and projects they leave.
            await markWrittenFrom(warehouse, e.name, `select t.* from ${matched} s join ${table} t on ${keyMatch} where ${differs}`);
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
    const size = staged.file.format === 'csv' && !staged.file.relation && report.rows === 0 ? fs.statSync(staged.file.path).size / 100 : report.rows;
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
    // What the new and replaced rows touch, so that the next refresh recomputes it (in this load's transaction).
    await markWrittenFrom(warehouse, e.name, `select * from ${table} where batch_id = $1`, [batchId]);
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
export async function recordRejectedBatches(
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
    }, { modelInputs: false });
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
