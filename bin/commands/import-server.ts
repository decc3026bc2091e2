/**
 * `realize import` while the server owns the database: the files go to it as an upload (POST /api/imports, or
 * POST /api/imports/billing for invoicing tools' exports; the settings in its query), which imports them the
 * same way and answers the same report.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { BillingReport, BillingTool } from '../../ingest/billing/run.ts';
import type { ImportReport } from '../../ingest/import/run.ts';
import type { GivenMapping } from '../../ingest/import/resolve.ts';
import type { ColumnMapping } from '../../ingest/generic.ts';
import type { BillingAnswer } from '../../server/schemas/imports.ts';
import { serverAnswer } from './server-file.ts';

export interface ServerImportOptions {
    tool: string;
    dryRun: boolean;
    create: boolean;
    dateOrder?: string;
    timeZone?: string;
    columns: ColumnMapping | null;
    mappings: GivenMapping[];
}

export async function importThroughServer(url: string, files: string[], o: ServerImportOptions): Promise<ImportReport> {
    const query = new URLSearchParams({ tool: o.tool, dry_run: String(o.dryRun), create: String(o.create) });
    if (o.dateOrder) query.set('date_order', o.dateOrder);
    if (o.timeZone) query.set('time_zone', o.timeZone);
    if (o.columns) query.set('columns', JSON.stringify(o.columns));
    for (const m of o.mappings) query.append('map', `${m.kind}:${m.source_key}=${m.target_id}`);
    const response = await fetch(`${url}/api/imports?${query}`, { method: 'POST', body: await filesForm(files) });
    return serverAnswer<ImportReport>(response, url, 'import');
}

/** The files as a multipart upload, each under its own name. */
async function filesForm(files: string[]): Promise<FormData> {
    const form = new FormData();
    for (const f of files) form.append('file', await fs.openAsBlob(f), path.basename(f));
    return form;
}

export async function importBillingThroughServer(
    url: string,
    files: string[],
    o: { tool: BillingTool | 'auto'; dryRun: boolean; create: boolean },
): Promise<BillingReport & Pick<BillingAnswer, 'build'>> {
    const query = new URLSearchParams({ tool: o.tool, dry_run: String(o.dryRun), create: String(o.create) });
    const response = await fetch(`${url}/api/imports/billing?${query}`, { method: 'POST', body: await filesForm(files) });
    return serverAnswer<BillingReport & Pick<BillingAnswer, 'build'>>(response, url, 'import');
}
