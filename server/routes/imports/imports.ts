/**
 * Imports from other tools, for the people who load the firm's data: upload exports (they are kept for an
 * hour), see each file's tool, format and first rows with the columns read, run a dry run that says what
 * would be created, updated, left unchanged and rejected, then import; or all in one request (the CLI while
 * the server holds the database). The marts refresh after an import.
 *
 * Billing history (invoicing tools' exports) has its own one-request route, POST /imports/billing, beside
 * POST /imports rather than through it: its importer (ingest/billing/run.ts) takes a tool of its own set and
 * none of the time import's parameters (date order, time zone, columns, mappings), and answers a report of
 * invoices and payments, not entries — one route for both would document parameters that half its calls ignore
 * and answer one of two shapes.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { importBilling, type BillingReport } from '../../../ingest/billing/run.ts';
import { UsageError } from '../../../ingest/files.ts';
import { parseColumnMapping } from '../../../ingest/generic.ts';
import { previewFile } from '../../../ingest/import/preview.ts';
import { parseMapping } from '../../../ingest/import/resolve.ts';
import { AmbiguousDates, importFiles, type ImportReport } from '../../../ingest/import/run.ts';
import { ModelError } from '../../../warehouse/models.ts';
import { wholeNumber } from '../../api/filters.ts';
import { auditActor } from '../../plugins/auth.ts';
import { badRequest } from '../../plugins/problem.ts';
import { latestImports } from '../../queries/imports.ts';
import { ROLE_GROUPS } from '../../roles.ts';
import {
    billingAnswer,
    billingImportQuery,
    importAnswer,
    importQuery,
    importRunsAnswer,
    uploadAnswer,
    uploadParams,
    type ImportQuery,
} from '../../schemas/imports.ts';
import { filesOf, UploadStore, type StoredUpload } from './store.ts';

export interface ImportRouteOptions {
    uploadDir: string;
    uploadLimit: number;
}


function columnsOf(q: ImportQuery) {
    if (q.columns === undefined) return null;
    try {
        return parseColumnMapping(q.columns);
    } catch (err) {
        throw badRequest('columns', (err as Error).message);
    }
}

export const importRoutes: FastifyPluginAsyncZod<ImportRouteOptions> = async (app, { uploadDir, uploadLimit }) => {
    const roles = ROLE_GROUPS.money;
    const tags = ['imports'];
    const store = new UploadStore(uploadDir);
    // A body of any other type reaches the route unread, so that its answer says what to send instead.
    app.addContentTypeParser('*', (_request, _payload, done) => done(null));

    /** Runs an import on an upload's files, turning the importer's refusals into 400s naming the parameter. */
    const run = async (upload: StoredUpload, q: ImportQuery, request: Parameters<typeof auditActor>[0]) => {
        const { paths, names } = filesOf(upload);
        let report: ImportReport;
        try {
            report = await importFiles(app.warehouse, paths, {
                tool: q.tool,
                dryRun: q.dry_run,
                create: q.create,
                dateOrder: q.date_order,
                timeZone: q.time_zone,
                columns: columnsOf(q),
                mappings: (q.map === undefined ? [] : Array.isArray(q.map) ? q.map : [q.map]).map((m) => {
                    try {
                        return parseMapping(m);
                    } catch (err) {
                        throw badRequest('map', (err as Error).message);
                    }
                }),
                who: auditActor(request),
                names,
            });
        } catch (err) {
            if (err instanceof AmbiguousDates) {
                throw badRequest('date_order', `the dates could be day-first or month-first (e.g. ${err.samples.join(', ')}): give date_order=dmy or date_order=mdy`);
            }
            if (err instanceof UsageError) throw badRequest(q.tool === 'generic' ? 'columns' : 'tool', err.message);
            throw err;
        }
        return { ...report, build: await refreshAfter(report) };
    };

    /** After an import that changed the warehouse, the marts refresh before the answer; a failed build is said, not thrown. */
    const refreshAfter = async (report: ImportReport | BillingReport) => {
        if (report.status !== 'imported') return null;
        try {
            const result = await app.refreshModels();
            return { ok: true, ms: result.ms, models: result.models.length, error: null };
        } catch (err) {
            if (!(err instanceof ModelError)) throw err;
            return { ok: false, ms: 0, models: 0, error: err.message };
        }
    };

    app.post(
        '/imports/uploads',
        {
            config: { roles },
            schema: {
                summary: 'Upload exports of other tools (CSV, XLSX, Parquet, Toggl JSON; multipart): each file’s tool, format, first rows and the columns read. Kept an hour for a dry run and the import',
                tags,
                consumes: ['multipart/form-data'],
                response: { 200: uploadAnswer },
            },
        },
        async (request) => {
            const upload = await store.receive(request, uploadLimit);
            const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'realize-preview-'));
            try {
                const files = [];
                for (const f of upload.files) {
                    const preview = await previewFile(app.warehouse, f.path, f.name, scratch).catch((err: unknown) => {
                        throw err instanceof UsageError ? badRequest('file', err.message) : err;
                    });
                    files.push({ ...preview, size: f.size });
                }
                return { upload_id: upload.id, files, expires_at: new Date(upload.expires).toISOString() };
            } finally {
                fs.rmSync(scratch, { recursive: true, force: true });
            }
        },
    );

    app.post(
        '/imports/uploads/:upload_id/run',
        {
            config: { roles },
            schema: {
                summary: 'Import an upload (dry_run=true: only report what it would do); then the marts refresh',
                tags,
                params: uploadParams,
                querystring: importQuery,
                response: { 200: importAnswer },
            },
        },
        async (request) => {
            const upload = store.get(request.params.upload_id);
            const answer = await run(upload, request.query, request);
            if (!request.query.dry_run && answer.ok) store.remove(upload.id);
            return answer;
        },
    );

    app.post(
        '/imports',
        {
            config: { roles },
            schema: {
                summary: 'Upload and import exports of other tools in one request (multipart), as `realize import` does; then the marts refresh',
                tags,
                consumes: ['multipart/form-data'],
                querystring: importQuery,
                response: { 200: importAnswer },
            },
        },
        async (request) => store.using(request, uploadLimit, (upload) => run(upload, request.query, request)),
    );

    app.post(
        '/imports/billing',
        {
            config: { roles },
            schema: {
                summary:
                    'Upload and import invoicing tools’ exports (Invoice Ninja, FreshBooks, Zoho Invoice, Wave: invoices, payments, client lists; multipart) as billing history in one request, as `realize import invoiceninja|freshbooks|zoho|wave` does; then the marts refresh',
                tags,
                consumes: ['multipart/form-data'],
                querystring: billingImportQuery,
                response: { 200: billingAnswer },
            },
        },
        async (request) =>
            store.using(request, uploadLimit, async (upload) => {
                const q = request.query;
                const { paths, names } = filesOf(upload);
                let report: BillingReport;
                try {
                    report = await importBilling(app.warehouse, paths, { tool: q.tool, dryRun: q.dry_run, create: q.create, who: auditActor(request), names });
                } catch (err) {
                    // Which tool wrote a file, or a file that is not the named tool's export.
                    if (err instanceof UsageError) throw badRequest('tool', err.message);
                    throw err;
                }
                return { ...report, build: await refreshAfter(report) };
            }),
    );

    app.get(
        '/imports',
        {
            config: { roles },
            schema: {
                summary: 'Past imports, newest first',
                tags,
                querystring: z.strictObject({ limit: wholeNumber(1, 1000).default(50) }),
                response: { 200: importRunsAnswer },
            },
        },
        async (request) => ({ runs: await latestImports(app.warehouse, request.query.limit) }),
    );
};
