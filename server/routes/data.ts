/**
 * The data behind the dashboards: ingest batches with their reports, uploads of canonical files (loaded
 * all-or-nothing, then the models rebuilt), and a rebuild on demand.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ingestFiles } from '../../ingest/canonical.ts';
import { entityOfFile, formatOf, resolveInputs } from '../../ingest/files.ts';
import { fxMissing } from '../../ingest/fx-coverage.ts';
import { buildModels, ModelError, modelsCurrent } from '../../warehouse/models.ts';
import { pageParam, pageSizeParam, wholeNumber } from '../api/filters.ts';
import { HttpProblem } from '../plugins/problem.ts';
import { fxMissingShape } from './health.ts';

const batch = z.object({
    batch_id: z.number(),
    entity: z.string(),
    file_name: z.string(),
    content_hash: z.string(),
    status: z.enum(['loaded', 'rejected']),
    rows_in_file: z.number(),
    rows_inserted: z.number(),
    rows_replaced: z.number(),
    rows_unchanged: z.number(),
    rows_rejected: z.number(),
    started_at: z.string(),
    finished_at: z.string(),
});

const reject = z.object({ file: z.string(), line: z.number().nullable(), column: z.string().nullable(), value: z.string().nullable(), reason: z.string() });

const build = z.object({ ok: z.boolean(), ms: z.number(), models: z.number(), error: z.string().nullable() });

/** Rebuilds the marts; a failing build keeps the previous marts and says why. */
export async function rebuild(app: Parameters<FastifyPluginAsyncZod>[0]): Promise<z.infer<typeof build>> {
    try {
        const result = await buildModels(app.warehouse);
        return { ok: true, ms: result.ms, models: result.models.length, error: null };
    } catch (err) {
        if (err instanceof ModelError) return { ok: false, ms: 0, models: 0, error: err.message };
        throw err;
    }
}

export const dataRoutes: FastifyPluginAsyncZod = async (app) => {
    app.get(
        '/batches',
        {
            config: { roles: ['leadership', 'finance', 'project_manager'] },
            schema: {
                summary: 'Ingest batches, newest first',
                tags: ['data'],
                querystring: z.strictObject({ limit: wholeNumber(1, 1000).default(200) }),
                response: { 200: z.object({ batches: z.array(batch) }) },
            },
        },
        async (request) => ({
            batches: await app.warehouse.all<z.infer<typeof batch>>(
                `select * replace (started_at::varchar as started_at, finished_at::varchar as finished_at) from ingest.batches order by batch_id desc limit $1`,
                [request.query.limit],
            ),
        }),
    );

    app.get(
        '/batches/:batch_id/rejects',
        {
            config: { roles: ['leadership', 'finance', 'project_manager'] },
            schema: {
                summary: 'The rejected rows of a batch, as its ingest report gave them',
                tags: ['data'],
                // batch_id is a 32-bit integer in ingest.batches.
                params: z.strictObject({ batch_id: wholeNumber(1, 2 ** 31 - 1) }),
                querystring: z.strictObject({ page: pageParam, page_size: pageSizeParam(500) }),
                response: { 200: z.object({ batch_id: z.number(), total_rows: z.number(), rows: z.array(reject) }) },
            },
        },
        async (request) => {
            const { batch_id } = request.params;
            const { page, page_size } = request.query;
            const exists = await app.warehouse.one(`select 1 as x from ingest.batches where batch_id = $1`, [batch_id]);
            if (!exists) throw new HttpProblem(404, 'No such batch', `batch ${batch_id} does not exist`);
            const total = (await app.warehouse.one<{ n: number }>(`select count(*)::bigint as n from ingest.rejects where batch_id = $1`, [batch_id]))!.n;
            const rows = await app.warehouse.all<z.infer<typeof reject>>(
                `select file_name as file, line, column_name as column, value, reason from ingest.rejects where batch_id = $1 order by line, column_name limit $2 offset $3`,
                [batch_id, page_size, (page - 1) * page_size],
            );
            return { batch_id, total_rows: total, rows };
        },
    );

    app.post(
        '/ingest',
        {
            config: { roles: ['leadership', 'finance'] },
            schema: {
                summary: 'Upload canonical CSV/Parquet files (multipart, one part per file, named after the entity); all or nothing, then the models rebuild',
                tags: ['data'],
                consumes: ['multipart/form-data'],
                response: {
                    200: z.object({
                        ok: z.boolean(),
                        status: z.enum(['loaded', 'unchanged', 'rejected']),
                        files: z.array(z.object({ file: z.string(), entity: z.string(), status: z.string(), rows: z.number(), inserted: z.number(), replaced: z.number(), unchanged: z.number(), rejected: z.number(), batch_id: z.number().nullable() })),
                        rejects: z.array(reject),
                        build: build.nullable(),
                        fx_missing: fxMissingShape,
                    }),
                },
            },
        },
        async (request) => {
            if (!request.isMultipart()) throw new HttpProblem(415, 'Unsupported media type', 'send the files as multipart/form-data');
            const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'realize-upload-'));
            try {
                for await (const part of request.files()) {
                    const name = path.basename(part.filename);
                    if (!formatOf(name) || !entityOfFile(name)) {
                        throw new HttpProblem(400, 'Not a canonical file', `${name}: name each file after its entity, e.g. time_entries.csv or people.parquet`, 'file');
                    }
                    await pipeline(part.file, fs.createWriteStream(path.join(dir, name)));
                }
                const { files } = resolveInputs([dir]);
                const report = await ingestFiles(app.warehouse, files);
                // Report files by the names the client sent, not the scratch folder.
                for (const f of report.files) f.file = path.basename(f.file);
                for (const r of report.rejects) r.file = path.basename(r.file);
                const built = report.status === 'loaded' ? await rebuild(app) : null;
                // What the rebuilt figures leave out for want of an fx rate (only marts built from this data know).
                const fx = report.ok && (await modelsCurrent(app.warehouse)) ? await fxMissing(app.warehouse) : null;
                return { ok: report.ok, status: report.status, files: report.files, rejects: report.rejects, build: built, fx_missing: fx };
            } finally {
                fs.rmSync(dir, { recursive: true, force: true });
            }
        },
    );

    app.post(
        '/models/build',
        {
            config: { roles: ['leadership', 'finance'] },
            schema: { summary: 'Rebuild the SQL models and run their tests', tags: ['data'], response: { 200: build } },
        },
        async () => rebuild(app),
    );
};
