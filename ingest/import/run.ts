/**
 * An import: export files of one tool (or detected per file) → canonical rows through canonical ingest.
 *   1. read each file (source.ts); a tool's clients or projects list goes to lists.ts, a time report on here;
 *   2. stage its rows (entries.ts) with the file's date order and decimal mark, detected over all the files
 *      of the import (asked for when they cannot tell);
 *   3. resolve people, clients and projects (resolve.ts); compare with the warehouse (write.ts);
 *   4. unless a dry run: write canonical files and load them with ingestFiles (all or nothing), then remember
 *      the mappings and record the import (import.runs) — load.ts, for lists too.
 * Rows that cannot be entries are reported (file, line, reason, value) and the rest load: an import's report
 * accounts for every row — imported (created or updated), unchanged, duplicate (the same entry again in this
 * import) or rejected — and its seconds. An import is of time reports or of lists, not both: lists first.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Warehouse } from '../../warehouse/warehouse.ts';
import { UsageError } from '../files.ts';
import type { ColumnMapping } from '../generic.ts';
import { togglJsonToCsv } from '../toggl.ts';
import { detectLayout } from './detect.ts';
import { ENTRIES, stageEntries, type EntryFields } from './entries.ts';
import { importLists } from './lists.ts';
import { loadImport } from './load.ts';
import type { ImportOptions, ImportRun } from './options.ts';
import { collectRejects, fileReport, plannedReport, rejectedPerFile, type ImportReport } from './report.ts';
import { createdEntities, rejectUnresolved, resolveEntities } from './resolve.ts';
import { dropSourceRelation, readSource, type SourceFile } from './source.ts';
import { checkFields, detectList, detectTool, toolFields, type ToolName } from './tools.ts';
import { prepareEntries, writeCanonical } from './write.ts';

export { AmbiguousDates } from './detect.ts';
export type { ImportOptions, ImportRun } from './options.ts';
export type { FileKind, ImportFileReport, ImportReject, ImportReport } from './report.ts';

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
    const run: ImportRun = {
        started: Date.now(),
        scratch: fs.mkdtempSync(path.join(os.tmpdir(), 'realize-import-')),
        keep: options.rejectsKeptPerReason ?? 1_000,
    };
    const relations: string[] = [];
    try {
        const read = await warehouse.transaction(() => readSources(warehouse, paths, options, run.scratch, relations));
        const lists = read.map((r) => (r.json ? null : detectList(options.tool, r.source.header)));
        const listed = read.flatMap((r, i) => (lists[i] ? [{ source: r.source, ...lists[i] }] : []));
        if (listed.length === 0) return await importTimes(warehouse, read, options, run);
        const time = read.find((_, i) => !lists[i]);
        if (time) {
            throw new UsageError(
                `${listed[0]!.source.name} is a ${listed[0]!.tool} ${listed[0]!.fields.kind} list and ${time.source.name} a time report: ` +
                    `import the clients and projects lists first, then the time reports, as two imports`,
            );
        }
        return await importLists(warehouse, listed, options, run);
    } finally {
        // The staging tables live on the connection transactions run on.
        await warehouse
            .transaction(async () => {
                for (const r of relations) await dropSourceRelation(warehouse, r);
            })
            .catch(() => undefined);
        fs.rmSync(run.scratch, { recursive: true, force: true });
    }
}

/** Each file read into its relation (imp_src_<i>); Toggl's JSON as its CSV would be. */
async function readSources(warehouse: Warehouse, paths: readonly string[], options: ImportOptions, scratch: string, relations: string[]) {
    const read: { source: SourceFile; json: boolean }[] = [];
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
        read.push({ source: await readSource(warehouse, file, name, relation, scratch), json: file !== p });
    }
    return read;
}

/** Time reports → entries. */
async function importTimes(warehouse: Warehouse, read: readonly { source: SourceFile; json: boolean }[], options: ImportOptions, run: ImportRun): Promise<ImportReport> {
    const planned = await warehouse.transaction(async () => {
        const staged = read.map((r) => ({ source: r.source, ...sourceFields(r.json ? 'toggl' : options.tool, r.source, options.columns ?? null) }));
        const cells = (pick: (f: EntryFields) => (EntryFields[keyof EntryFields])[]) => staged.flatMap((s) => pick(s.fields).map((field) => ({ relation: s.source.relation, field })));
        const { dateOrder, decimal } = await detectLayout(warehouse, cells((f) => [f.startDate, f.endDate]), cells((f) => [f.hours, f.duration]), options.dateOrder);
        for (const [i, s] of staged.entries()) {
            await stageEntries(warehouse, s.source, s.fields, { tool: s.tool, dateOrder, decimal, timeZone: options.timeZone ?? 'UTC', fileNo: i, quoteAll: options.create === false }, i === 0);
        }
        await resolveEntities(warehouse, options.mappings ?? [], options.create !== false);
        if (options.create === false) await rejectUnresolved(warehouse);
        const tool = staged.every((s) => s.tool === staged[0]!.tool) ? staged[0]!.tool : 'import';
        const counts = await prepareEntries(warehouse, tool);
        const created = await createdEntities(warehouse);
        const files = options.dryRun ? [] : await writeCanonical(warehouse, run.scratch);
        const rejected = await collectRejects(warehouse, ENTRIES, staged.map((s) => s.source), run.keep, 'seconds');
        return { staged, dateOrder, decimal, counts, created, files, tool, rejected };
    });

    const perFile = rejectedPerFile(planned.rejected.counts);
    const files = planned.staged.map((s) => fileReport(s.source, s.tool, 'time', perFile));
    const report = plannedReport(options.dryRun ?? false, files, planned, planned.counts, planned.rejected, planned.created, run.keep);
    if (!options.dryRun && planned.files.length > 0) {
        await loadImport(warehouse, planned.files, report, { tool: planned.tool, who: options.who, started: run.started, counted: 'entries', people: true });
    }
    report.duration_ms = Date.now() - run.started;
    return report;
}
