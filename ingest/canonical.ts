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
 * row-numbered, to name every bad cell — a clean file never pays for the report. Rows an import staged in the
 * warehouse (InputFile.relation) load from there by the same rules, and are written out as the CSV file they
 * stand for only when the report must name their lines. A report counts every
 * problem but lists only the first REJECTS_KEPT_PER_REASON of each file and reason, so a file of a
 * million bad rows (or of garbage) is a report of bounded size, in bounded memory.
 */
import fs from 'node:fs';
import { literal, type Warehouse } from '../warehouse/warehouse.ts';
import { loadOrder } from './entities.ts';
import { contentHash, type InputFile } from './files.ts';
import { loadCsvFast, loadRelationFast } from './canonical/fast-path.ts';
import { ReadFailed, unreadableReason, type ReadAs } from './canonical/read.ts';
import { stage, type BatchContext } from './canonical/report-path.ts';
import { displayName, REJECTS_KEPT_PER_REASON, type FileReport, type IngestOptions, type IngestReport, type RejectCount, type RejectedRow } from './canonical/report.ts';
import { NeedsReport, recordRejectedBatches, write } from './canonical/write.ts';

export {
    REJECTS_KEPT_PER_REASON,
    type FileReport,
    type FileStatus,
    type IngestOptions,
    type IngestProgress,
    type IngestReport,
    type RejectCount,
    type RejectedRow,
} from './canonical/report.ts';

export async function ingestFiles(warehouse: Warehouse, inputs: readonly InputFile[], options: IngestOptions = {}): Promise<IngestReport> {
    return warehouse.withAllCores(() => ingest(warehouse, inputs, options));
}

async function ingest(warehouse: Warehouse, inputs: readonly InputFile[], options: IngestOptions): Promise<IngestReport> {
    const started = Date.now();
    const order = loadOrder(inputs.map((f) => f.entity));
    const files = order.map((name) => inputs.find((f) => f.entity === name)!);
    // Hashing reads each file once more; it runs while DuckDB loads, and is awaited when a batch is recorded.
    // Staged rows (InputFile.relation) are hashed as they load, or as the file the report path writes.
    const hashes = files.map((f) => (f.relation ? Promise.resolve('') : contentHash(f.path)));
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
            // A load that finds every row unchanged writes nothing the models read: cached answers stay.
            await warehouse.transaction(async () => {
                const unverifiable: BatchContext = { unreadable: new Set(), pending: new Set() };
                for (const [i, file] of files.entries()) {
                    if (file.relation && mode === 'fast') {
                        const fast = await loadRelationFast(warehouse, { ...file, relation: file.relation }, i, options, startedAt);
                        hashes[i] = fast.hash;
                        reports.push(fast.report);
                        continue;
                    }
                    if (file.relation && !fs.existsSync(file.path)) {
                        // The report names rows by line: the staged rows as the CSV file they stand for.
                        await warehouse.run(`copy (select * from ${file.relation}) to ${literal(file.path)} (header, delimiter ',')`);
                        hashes[i] = contentHash(file.path);
                        hashes[i]!.catch(() => undefined);
                    }
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
                await options.beforeCommit?.(reports);
            }, { modelInputs: 'marked' });
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

class Rollback extends Error {}
