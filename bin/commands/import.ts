import fs from 'node:fs';
import path from 'node:path';
import { BILLING_TOOLS, detectBillingTool, importBilling, isBillingTool, type BillingReport, type BillingTool } from '../../ingest/billing/run.ts';
import { importCesaw } from '../../ingest/cesaw.ts';
import { UsageError } from '../../ingest/files.ts';
import { parseColumnMapping } from '../../ingest/generic.ts';
import type { DateOrder } from '../../ingest/import/parse.ts';
import { parseMapping } from '../../ingest/import/resolve.ts';
import { importFiles, type ImportReport } from '../../ingest/import/run.ts';
import { isToolName, TOOL_NAMES, type ToolName } from '../../ingest/import/tools.ts';
import { Warehouse } from '../../warehouse/warehouse.ts';
import { printReport, progressPrinter } from './ingest.ts';
import { importBillingThroughServer, importThroughServer } from './import-server.ts';
import { buildAfterLoad } from './models.ts';
import { dbPath, parse } from './options.ts';
import { answerOrRefusal, openOrServer } from './server-file.ts';

const SOURCES = ['cesaw', ...TOOL_NAMES, ...BILLING_TOOLS, 'auto'];

/** `realize import <source> FILE...`: another tool's export mapped to canonical data, then loaded. */
export async function importCommand(args: string[]): Promise<number> {
    const { values, positionals } = parse(
        args,
        {
            db: { type: 'string' },
            json: { type: 'boolean' },
            'dry-run': { type: 'boolean' },
            'no-create': { type: 'boolean' },
            'no-models': { type: 'boolean' },
            'date-order': { type: 'string' },
            'time-zone': { type: 'string' },
            columns: { type: 'string' },
            map: { type: 'string', multiple: true },
        },
        true,
    );
    const [source, ...files] = positionals;
    if (source === 'cesaw') return importCesawCommand(files[0], values.db, values.json ?? false);
    const billing =
        source !== undefined &&
        (isBillingTool(source) || (source === 'auto' && files.length > 0 && files.every((f) => fs.existsSync(f) && !fs.statSync(f).isDirectory() && detectBillingTool(f) !== null)));
    if (billing) {
        return importBillingCommand(source as BillingTool | 'auto', files, {
            db: values.db,
            json: values.json ?? false,
            dryRun: values['dry-run'] ?? false,
            create: !values['no-create'],
            models: !values['no-models'],
        });
    }
    if (!source || !(isToolName(source) || source === 'auto')) throw new UsageError(`unknown source "${source ?? ''}"; available: ${SOURCES.join(', ')}`);
    if (files.length === 0) throw new UsageError(`give the ${source} export files to import`);
    for (const f of files) if (!fs.existsSync(f)) throw new UsageError(`${f}: no such file`);
    const dateOrder = values['date-order'];
    if (dateOrder !== undefined && dateOrder !== 'dmy' && dateOrder !== 'mdy') throw new UsageError(`--date-order must be dmy (day-first) or mdy (month-first), got "${dateOrder}"`);
    const timeZone = values['time-zone'];
    if (timeZone !== undefined && !Intl.supportedValuesOf('timeZone').includes(timeZone) && timeZone !== 'UTC') {
        throw new UsageError(`--time-zone must be an IANA zone such as Europe/Vienna, got "${timeZone}"`);
    }
    const options = {
        tool: source as ToolName | 'auto',
        dryRun: values['dry-run'] ?? false,
        create: !values['no-create'],
        dateOrder: dateOrder as DateOrder | undefined,
        timeZone,
        columns: values.columns ? parseColumnMapping(fs.readFileSync(values.columns, 'utf8')) : null,
        mappings: (values.map ?? []).map((m) => {
            try {
                return parseMapping(m);
            } catch (err) {
                throw new UsageError(`--map: ${(err as Error).message}`);
            }
        }),
    };
    const db = dbPath(values.db);
    const opened = await openOrServer(db, values.json ?? false);
    if ('server' in opened) {
        const report = await answerOrRefusal('import', () => importThroughServer(opened.server.url, files, options));
        if (!report) return 1;
        printImport(report, values.json ?? false);
        return report.ok ? 0 : 1;
    }
    const { warehouse } = opened;
    try {
        const report = await importFiles(warehouse, files.map((f) => path.resolve(f)), { ...options, names: Object.fromEntries(files.map((f) => [path.resolve(f), f])) });
        const built = report.status === 'imported' && !values['no-models'] ? await buildAfterLoad(warehouse) : 0;
        printImport(report, values.json ?? false);
        return report.ok ? built : 1;
    } finally {
        warehouse.close();
    }
}



const count = (n: number) => n.toLocaleString('en');

export function printImport(report: ImportReport, json: boolean): void {
    if (json) {
        process.stdout.write(JSON.stringify(report, null, 2) + '\n');
        return;
    }
    for (const f of report.files) {
        console.log(`${f.file}: ${f.tool}${f.kind === 'time' ? '' : ` ${f.kind} list`} (${f.format}${f.encoding ? `, ${f.encoding}` : ''}${f.delimiter ? `, "${f.delimiter === '\t' ? '\\t' : f.delimiter}"-separated` : ''}), ${count(f.rows)} rows, ${count(f.rejected)} rejected`);
    }
    if (report.date_order) console.log(`dates read ${report.date_order === 'dmy' ? 'day-first' : 'month-first'}`);
    for (const e of report.created_entities) console.log(`${report.dry_run ? 'would create' : 'created'} ${e.kind} ${e.id}: ${e.name}${e.client ? ` (client ${e.client})` : ''}`);
    for (const r of report.rejects.slice(0, 50)) console.error(`${r.file}:${r.line ?? '?'}: ${r.reason}${r.value ? ` (${r.value})` : ''}`);
    if (report.rejected > 50) for (const c of report.reject_counts) console.error(`  ${c.file}: ${count(c.count)} × ${c.reason}`);
    const hours = (s: number) => (s / 3600).toLocaleString('en', { maximumFractionDigits: 2 });
    const lists = report.files.length > 0 && report.files.every((f) => f.kind !== 'time');
    console.log(
        `${report.dry_run ? 'dry run: would import' : 'imported'} ${count(report.imported)}${lists ? ' clients and projects' : ''} (${count(report.created)} new, ${count(report.updated)} updated), ` +
            `${count(report.unchanged)} unchanged, ${count(report.duplicates)} duplicate, ${count(report.rejected)} rejected of ${count(report.rows_read)} rows` +
            (lists ? '' : `; ${count(report.seconds_imported)} s (${hours(report.seconds_imported)} h) in the import's entries`),
    );
    if (report.ingest && !report.ingest.ok) {
        printReport(report.ingest, false);
        console.error('nothing was loaded');
    }
}

/** `realize import invoiceninja|freshbooks|zoho|wave|auto FILE…`: invoicing tools' exports → canonical billing history. */
async function importBillingCommand(
    tool: BillingTool | 'auto',
    files: string[],
    o: { db: string | undefined; json: boolean; dryRun: boolean; create: boolean; models: boolean },
): Promise<number> {
    if (files.length === 0) throw new UsageError(`give the ${tool} export files to import`);
    for (const f of files) if (!fs.existsSync(f)) throw new UsageError(`${f}: no such file`);
    const db = dbPath(o.db);
    const opened = await openOrServer(db, o.json);
    if ('server' in opened) {
        const answer = await answerOrRefusal('import', () => importBillingThroughServer(opened.server.url, files, { tool, dryRun: o.dryRun, create: o.create }));
        if (!answer) return 1;
        // The server refreshes its marts after an import whatever --no-models says: they are what it serves.
        const { build, ...report } = answer;
        let code = report.ok ? 0 : 1;
        if (build && !build.ok) {
            console.error(`the data loaded, but the models did not build; the previous marts are kept:\n${build.error}`);
            code = 1;
        }
        printBilling(report, o.json);
        return code;
    }
    const { warehouse } = opened;
    try {
        const report = await importBilling(warehouse, files.map((f) => path.resolve(f)), {
            tool,
            dryRun: o.dryRun,
            create: o.create,
            names: Object.fromEntries(files.map((f) => [path.resolve(f), f])),
        });
        const built = report.status === 'imported' && o.models ? await buildAfterLoad(warehouse) : 0;
        printBilling(report, o.json);
        return report.ok ? built : 1;
    } finally {
        warehouse.close();
    }
}

export function printBilling(report: BillingReport, json: boolean): void {
    if (json) {
        process.stdout.write(JSON.stringify(report, null, 2) + '\n');
        return;
    }
    for (const f of report.files) {
        console.log(`${f.file}: ${f.tool} ${f.kind}, ${count(f.rows)} rows, ${count(f.rejected)} rejected, ${count(f.duplicates)} duplicate${f.skipped ? `, ${count(f.skipped)} skipped${f.kind === 'clients' ? '' : ' (not documents)'}` : ''}`);
    }
    for (const e of report.created_entities) console.log(`${report.dry_run ? 'would create' : 'created'} ${e.kind} ${e.id}: ${e.name}${e.client ? ` (client ${e.client})` : ''}`);
    for (const r of report.rejects.slice(0, 50)) console.error(`${r.file}:${r.line ?? '?'}: ${r.reason}${r.value ? ` (${r.value})` : ''}`);
    if (report.rejects.length > 50) console.error(`  … and ${count(report.rejects.length - 50)} more rejected rows (--json lists them all)`);
    for (const r of report.duplicates.slice(0, 20)) console.log(`${r.file}:${r.line ?? '?'}: duplicate: ${r.reason}`);
    for (const r of report.notes.slice(0, 20)) console.log(`${r.file}:${r.line ?? '?'}: ${r.reason}`);
    if (report.notes.length > 20) console.log(`  … and ${count(report.notes.length - 20)} more notes (--json lists them all)`);
    const money = (m: Record<string, string>) => Object.entries(m).map(([c, v]) => `${v} ${c}`).join(', ') || '0';
    const counts = (c: { created: number; updated: number; unchanged: number }) => `${count(c.created)} new, ${count(c.updated)} updated, ${count(c.unchanged)} unchanged`;
    console.log(
        `${report.dry_run ? 'dry run: would import' : report.status === 'unchanged' ? 'nothing changed:' : 'imported'} clients ${counts(report.clients)}; ` +
            `invoices ${counts(report.invoices)} (${count(report.lines)} lines, ${money(report.invoiced)} net of tax); ` +
            `payments ${counts(report.payments)} (${money(report.paid)}); credit notes ${counts(report.credit_notes)} (${money(report.credited)}); ` +
            `${count(report.duplicates.length)} duplicate, ${count(report.rejected)} rejected of ${count(report.rows_read)} rows`,
    );
    if (report.ingest && !report.ingest.ok) {
        printReport(report.ingest, false);
        console.error('nothing was loaded');
    }
}

async function importCesawCommand(dir: string | undefined, db: string | undefined, json: boolean): Promise<number> {
    if (!dir || !fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) {
        throw new UsageError(`give the CESAW folder (with CESAW_time_fact.csv and CESAW_task_fact.csv), e.g. ../shared/datasets/cesaw`);
    }
    const warehouse = await Warehouse.open(dbPath(db), { memoryLimit: process.env.REALIZE_MEMORY_LIMIT ?? '3GB' });
    try {
        const { accounting, ingest } = await importCesaw(warehouse, path.resolve(dir), { onProgress: progressPrinter() });
        if (json) {
            process.stdout.write(JSON.stringify({ accounting, ingest }, null, 2) + '\n');
        } else {
            printReport(ingest, false);
            console.log(
                `CESAW: ${accounting.source_rows} time logs, ${accounting.source_minutes} minutes; loaded ${accounting.loaded_rows} logs ` +
                    `as ${accounting.entries_written} entries (${accounting.loaded_seconds / 60} minutes); reported ${accounting.reported.length} ` +
                    `(${accounting.reported_minutes} minutes):`,
            );
            for (const r of accounting.reported) console.log(`  line ${r.line}: log ${r.time_log_fact_key}, ${r.minutes} min: ${r.reason}`);
        }
        return ingest.ok ? 0 : 1;
    } finally {
        warehouse.close();
    }
}
