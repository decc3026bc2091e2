/**
 * `realize import` while the server owns the database: the files go to it as an upload (POST /api/imports),
 * which imports them the same way and answers the same report.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { ImportReport } from '../../ingest/import/run.ts';
import type { GivenMapping } from '../../ingest/import/resolve.ts';
import type { ColumnMapping } from '../../ingest/generic.ts';
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
    const form = new FormData();
    const settings = {
        tool: o.tool,
        dry_run: o.dryRun,
        create: o.create,
        date_order: o.dateOrder ?? null,
        time_zone: o.timeZone ?? null,
        columns: o.columns,
        mappings: o.mappings,
    };
    form.append('settings', JSON.stringify(settings));
    for (const f of files) form.append('file', await fs.openAsBlob(f), path.basename(f));
    const response = await fetch(`${url}/api/imports`, { method: 'POST', body: form });
    return serverAnswer<ImportReport>(response, url, 'import');
}
