import fs from 'node:fs';
import { cliActor, recordUpload } from '../../capture/audit.ts';
import { ingestFiles, type IngestProgress, type IngestReport } from '../../ingest/canonical.ts';
import { isEntityName } from '../../ingest/entities.ts';
import { resolveInputs, UsageError, type InputFile } from '../../ingest/files.ts';
import { describeFxMissing, fxMissing, type FxMissing } from '../../ingest/fx-coverage.ts';
import { modelsCurrent, type BuildResult } from '../../warehouse/models.ts';
import { buildAfterLoad } from './models.ts';
import { answerOrRefusal, openOrServer, serverAnswer } from './server-file.ts';
import { dbPath, parse } from './options.ts';

export async function ingestCommand(args: string[]): Promise<number> {
    const { values, positionals } = parse(
        args,
        { db: { type: 'string' }, entity: { type: 'string' }, json: { type: 'boolean' }, 'no-models': { type: 'boolean' } },
        true,
    );
    if (values.entity !== undefined && !isEntityName(values.entity)) throw new UsageError(`--entity: unknown entity "${values.entity}"`);
    const { files, ignored } = resolveInputs(positionals, values.entity as Parameters<typeof resolveInputs>[1]);
    const db = dbPath(values.db);
    const opened = await openOrServer(db, values.json ?? false);
    if ('server' in opened) {
        // The server owns the file: hand the files to it (it loads them and rebuilds the models).
        const report = await answerOrRefusal('ingest', () => ingestThroughServer(opened.server.url, files));
        if (!report) return 1;
        printReport(report, values.json ?? false);
        return report.ok ? 0 : 1;
    }
    const { warehouse } = opened;
    try {
        // Recorded in the audit log as an upload from the command line, in the load's transaction (a refused one after it).
        const who = cliActor();
        const report = await ingestFiles(warehouse, files, { ignored, onProgress: progressPrinter(), actor: who.actor, beforeCommit: (loaded) => recordUpload(warehouse, who, loaded) });
        if (report.status === 'rejected') await warehouse.transaction(() => recordUpload(warehouse, who, report.files), { modelInputs: false });
        const json = values.json ?? false;
        // The JSON report waits for the build: it carries what the models found (fx_missing).
        if (!json || !report.ok) printReport(report, json);
        if (!report.ok) return 1;
        const said = (built: BuildResult) => {
            if (!json) console.log(`models rebuilt (${built.models.length}) in ${(built.ms / 1000).toFixed(1)} s`);
        };
        const code = report.status === 'loaded' && !values['no-models'] ? await buildAfterLoad(warehouse, said) : 0;
        // Amounts the figures left out for want of an fx rate, read only from marts built from this data.
        const fx = code === 0 && (await modelsCurrent(warehouse)) ? await fxMissing(warehouse) : null;
        if (json) printReport({ ...report, fx_missing: fx }, true);
        else printFxMissing(fx);
        return code;
    } finally {
        warehouse.close();
    }
}

/** Progress on one rewritten line of stderr, only when someone is watching a terminal. */
export function progressPrinter(): ((p: IngestProgress) => void) | undefined {
    if (!process.stderr.isTTY) return undefined;
    return (p) => {
        const pct = p.percent >= 0 ? ` ${p.percent.toFixed(0)}%` : '';
        process.stderr.write(`\r\x1b[K${p.file}: ${p.step}${pct}`);
        if (p.step === 'done') process.stderr.write('\r\x1b[K');
    };
}

/** An ingest report as the CLI prints it: with the currencies the models found no fx rate for (null: not read). */
export type CliReport = IngestReport & { fx_missing?: FxMissing[] | null };

export function printReport(report: CliReport, json: boolean): void {
    if (process.stderr.isTTY) process.stderr.write('\r\x1b[K');
    if (json) {
        process.stdout.write(JSON.stringify(report, null, 2) + '\n');
        return;
    }
    const rows = report.files.map((f) => [f.file, f.entity, f.status, f.rows, f.inserted, f.replaced, f.unchanged, f.rejected, f.batch_id ?? '']);
    const head = ['file', 'entity', 'status', 'rows', 'inserted', 'replaced', 'unchanged', 'rejected', 'batch'];
    const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
    const fmt = (r: (string | number)[]) => r.map((c, i) => (typeof c === 'number' ? String(c).padStart(widths[i]!) : String(c).padEnd(widths[i]!))).join('  ');
    console.log(fmt(head));
    for (const r of rows) console.log(fmt(r));
    const shown = report.rejects.slice(0, SHOWN_REJECTS);
    for (const r of shown) {
        console.error(`${r.file}:${r.line ?? '?'}: ${r.column ?? '(row)'}: ${r.reason}${r.value !== null ? ` (value: ${JSON.stringify(r.value)})` : ''}`);
    }
    if (report.rejects_total > shown.length) {
        // Every problem is counted; the report lists the first ones of each file and reason.
        console.error(`problems by file and reason (${count(report.rejects_total)} in all):`);
        for (const c of report.reject_counts) console.error(`  ${c.file}: ${count(c.count)} × ${c.reason}`);
        console.error(
            `${count(shown.length)} shown above; --json lists ${count(report.rejects.length)}: the first ${count(report.rejects_kept_per_reason)} of each file and reason`,
        );
    }
    const badRows = report.files.reduce((n, f) => n + f.rejected, 0);
    const verdict =
        report.status === 'rejected'
            ? `rejected: ${count(report.rejects_total)} problem(s)${badRows > 0 ? ` in ${count(badRows)} row(s)` : ''}; nothing was loaded`
            : report.status === 'unchanged'
              ? 'unchanged: every row was already in the warehouse'
              : 'loaded';
    console.log(`${verdict} (${(report.duration_ms / 1000).toFixed(1)} s)`);
    if (report.ignored.length > 0) console.log(`ignored (not canonical entity files): ${report.ignored.join(', ')}`);
    printFxMissing(report.fx_missing);
}

/** Problems printed one by one; the rest are counted by reason. */
const SHOWN_REJECTS = 50;

const count = (n: number): string => n.toLocaleString('en');

/** A warning per currency the figures could not convert: the load stands, the amounts are left out. */
export function printFxMissing(missing: readonly FxMissing[] | null | undefined): void {
    for (const line of describeFxMissing(missing ?? [])) console.error(`warning: ${line}`);
}

async function ingestThroughServer(url: string, files: InputFile[]): Promise<CliReport> {
    const started = Date.now();
    const form = new FormData();
    for (const f of files) form.append('file', await fs.openAsBlob(f.path), `${f.entity}.${f.format}`);
    const response = await fetch(`${url}/api/ingest`, { method: 'POST', body: form });
    const body = await serverAnswer<CliReport>(response, url, 'upload');
    return { ...body, ignored: [], duration_ms: Date.now() - started };
}
