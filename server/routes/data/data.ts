/**
 * The data behind the dashboards: ingest batches with their reports, uploads of canonical files (loaded
 * all-or-nothing, then the marts refreshed), and a rebuild on demand.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { FrozenEntries } from '../../../ingest/canonical/write.ts';
import { ingestFiles } from '../../../ingest/canonical.ts';
import { ENTITIES } from '../../../ingest/entities.ts';
import { entityOfFile, formatOf, type InputFile } from '../../../ingest/files.ts';
import { fxMissing } from '../../../ingest/fx-coverage.ts';
import { buildModels, ModelError, modelsCurrent } from '../../../warehouse/models.ts';
import type { Warehouse } from '../../../warehouse/warehouse.ts';
import { pageParam, pageSizeParam, wholeNumber } from '../../api/filters.ts';
import { recordAudit, recordUpload, type AuditWho } from '../../../capture/audit.ts';
import { auditActor } from '../../plugins/auth.ts';
import { badRequest, HttpProblem } from '../../plugins/problem.ts';
import { ROLE_GROUPS } from '../../roles.ts';
import { batchExists, latestBatches, listedRejects, memoryLimits, rejectCounts, rejectsPage } from '../../queries/data.ts';
import { batchesAnswer, buildAnswer, ingestAnswer, rejectsAnswer, type BuildAnswer } from '../../schemas/data.ts';

/**
 * Rebuilds the marts; a failing build keeps the previous marts and says why. The rebuild is recorded in the
 * audit log once it has committed or failed, with its outcome: it changes no source row, so there are no
 * values before and after to keep, only who asked and what came of it.
 */
export async function rebuild(app: Parameters<FastifyPluginAsyncZod>[0], who: AuditWho): Promise<BuildAnswer> {
    let answer: BuildAnswer;
    try {
        const result = await buildModels(app.warehouse, { dir: app.catalog.dir });
        answer = { ok: true, ms: result.ms, models: result.models.length, error: null };
    } catch (err) {
        if (!(err instanceof ModelError)) throw err;
        answer = { ok: false, ms: 0, models: 0, error: err.message };
    }
    const detail = answer.ok ? `${answer.models} models built in ${answer.ms} ms` : `failed: ${answer.error}`;
    await app.warehouse.transaction(() => recordAudit(app.warehouse, { ...who, action: 'rebuild', entity: 'models', after: answer, detail }), { modelInputs: false });
    return answer;
}

/** Brings the marts up to date with what was loaded (only what is behind is recomputed); a failing refresh keeps the previous marts and says why. */
async function refresh(app: Parameters<FastifyPluginAsyncZod>[0]): Promise<BuildAnswer> {
    try {
        const result = await app.refreshModels();
        return { ok: true, ms: result.ms, models: result.models.length, error: null };
    } catch (err) {
        if (err instanceof ModelError) return { ok: false, ms: 0, models: 0, error: err.message };
        throw err;
    }
}

export interface DataRouteOptions {
    /** Where uploads are written before they load (uploadScratch). */
    uploadDir: string;
    /** The largest upload, its files together, in bytes. */
    uploadLimit: number;
}

export const dataRoutes: FastifyPluginAsyncZod<DataRouteOptions> = async (app, { uploadDir, uploadLimit }) => {
    // A body of any other type reaches the route unread, so that its answer says what to send instead.
    app.addContentTypeParser('*', (_request, _payload, done) => done(null));

    app.get(
        '/batches',
        {
            config: { roles: ROLE_GROUPS.analysts },
            schema: {
                summary: 'Ingest batches, newest first',
                tags: ['data'],
                querystring: z.strictObject({ limit: wholeNumber(1, 1000).default(200) }),
                response: { 200: batchesAnswer },
            },
        },
        async (request) => ({ batches: await latestBatches(app.warehouse, request.query.limit) }),
    );

    app.get(
        '/batches/:batch_id/rejects',
        {
            config: { roles: ROLE_GROUPS.analysts },
            schema: {
                summary: 'The rejected rows of a batch, as its ingest report gave them',
                tags: ['data'],
                // batch_id is a 32-bit integer in ingest.batches.
                params: z.strictObject({ batch_id: wholeNumber(1, 2 ** 31 - 1) }),
                querystring: z.strictObject({ page: pageParam, page_size: pageSizeParam(500) }),
                response: { 200: rejectsAnswer },
            },
        },
        async (request) => {
            const { batch_id } = request.params;
            const { page, page_size } = request.query;
            if (!(await batchExists(app.warehouse, batch_id))) throw new HttpProblem(404, 'No such batch', `batch ${batch_id} does not exist`);
            const total = await listedRejects(app.warehouse, batch_id);
            const rows = await rejectsPage(app.warehouse, batch_id, page_size, (page - 1) * page_size);
            // Batches recorded before counts were kept have none: their listed rows were all of them.
            const counts = await rejectCounts(app.warehouse, batch_id);
            const rejectsTotal = counts.length > 0 ? counts.reduce((sum, c) => sum + c.count, 0) : total;
            return { batch_id, total_rows: total, rejects_total: rejectsTotal, reject_counts: counts, rows };
        },
    );

    app.post(
        '/ingest',
        {
            config: { roles: ROLE_GROUPS.money },
            schema: {
                summary: 'Upload canonical CSV/Parquet files (multipart, one part per file, named after the entity); all or nothing, then the marts refresh',
                tags: ['data'],
                consumes: ['multipart/form-data'],
                response: { 200: ingestAnswer },
            },
        },
        async (request) => {
            if (!request.isMultipart()) throw new HttpProblem(415, 'Unsupported media type', 'send the files as multipart/form-data, one file part per canonical file');
            const declared = Number(request.headers['content-length']);
            if (declared > uploadLimit + MULTIPART_FRAMING) throw tooLarge(uploadLimit);
            const dir = fs.mkdtempSync(path.join(uploadDir, SCRATCH_PREFIX));
            try {
                const files = await receive(request, dir, uploadLimit);
                // Files go by the names the client sent, not the scratch folder's, in the report and in ingest.batches.
                const names = Object.fromEntries(files.map((f) => [f.path, path.basename(f.path)]));
                const who = auditActor(request);
                const report = await ingestFiles(app.warehouse, files, { names, actor: who.actor, beforeCommit: (loaded) => recordUpload(app.warehouse, who, loaded) }).catch(
                    async (err: unknown) => {
                        if (err instanceof FrozenEntries) throw new HttpProblem(409, 'Conflict: frozen entries', err.message, 'files', { entry_ids: err.entryIds });
                        throw (await outOfMemory(app.warehouse, err)) ?? err;
                    },
                );
                // A refused upload changed no data; its record says what it was and why, in a transaction of its own.
                if (report.status === 'rejected') await app.warehouse.transaction(() => recordUpload(app.warehouse, who, report.files), { modelInputs: false });
                // Also after a load that changed nothing: marts left behind by a process stopped before its refresh catch up.
                const built = report.ok ? await refresh(app) : null;
                // What the rebuilt figures leave out for want of an fx rate (only marts built from this data know).
                const fx = report.ok && (await modelsCurrent(app.warehouse, app.catalog.dir)) ? await fxMissing(app.warehouse) : null;
                const { rejects, rejects_total, reject_counts, rejects_kept_per_reason } = report;
                return { ok: report.ok, status: report.status, files: report.files, rejects, rejects_total, reject_counts, rejects_kept_per_reason, build: built, fx_missing: fx };
            } finally {
                fs.rmSync(dir, { recursive: true, force: true });
            }
        },
    );

    app.post(
        '/models/build',
        {
            config: { roles: ROLE_GROUPS.money },
            schema: { summary: 'Rebuild the SQL models and run their tests', tags: ['data'], response: { 200: buildAnswer } },
        },
        async (request) => rebuild(app, auditActor(request)),
    );
};

/** Uploads larger than this, their files together, are refused unless the server is given another limit. */
export const DEFAULT_UPLOAD_LIMIT = 2 ** 30;

/** Room for multipart's boundaries and part headers beside the files, when the declared length is checked. */
const MULTIPART_FRAMING = 64 * 1024;

/** Each upload's scratch folder is made inside the server's uploads folder with this prefix. */
const SCRATCH_PREFIX = 'realize-upload-';

/**
 * What the multipart parser may take from one request: a file per entity, up to the upload limit, and one
 * form field (so that a field sent in place of a file can be named; its value is not kept).
 */
export function multipartLimits(uploadLimit: number) {
    return { fileSize: uploadLimit, files: ENTITIES.length, fields: 1, fieldSize: 1024, parts: ENTITIES.length + 1 };
}

const BINARY = [['TiB', 2 ** 40], ['GiB', 2 ** 30], ['MiB', 2 ** 20], ['KiB', 2 ** 10]] as const;
const DECIMAL = [['TB', 1e12], ['GB', 1e9], ['MB', 1e6], ['kB', 1e3]] as const;

/** 1073741824 → '1 GiB', 20000000000 → '20 GB', 1500000 → '1.5 MB': a size as it was most likely written. */
export function sizeText(bytes: number): string {
    // A unit that divides it exactly into a figure under 1000, else one decimal of the largest that fits.
    const exact = [...BINARY, ...DECIMAL].find(([, size]) => bytes % size === 0 && bytes / size >= 1 && bytes / size < 1000);
    if (exact) return `${bytes / exact[1]} ${exact[0]}`;
    const near = DECIMAL.find(([, size]) => bytes >= size);
    return near ? `${Number((bytes / near[1]).toFixed(1))} ${near[0]}` : `${bytes} bytes`;
}

const tooLarge = (limit: number) =>
    new HttpProblem(
        413,
        'Upload too large',
        `this upload is over the server's limit of ${sizeText(limit)} (its files together); nothing was loaded. Start the server with a higher ` +
            `REALIZE_UPLOAD_LIMIT or --upload-limit, or stop it and load the files with \`realize ingest\`.`,
        'file',
    );

/**
 * The uploads folder of a server: `<database>.uploads` beside its database, or a folder of its own for an
 * in-memory one. A server holds its database's lock, so no other process writes there: the scratch
 * folders of uploads that a killed process cut short are removed when the next server starts.
 */
export function uploadScratch(warehouse: Pick<Warehouse, 'file'>, dir?: string): { dir: string; close: () => void } {
    if (!dir && warehouse.file === ':memory:') {
        const own = fs.mkdtempSync(path.join(os.tmpdir(), 'realize-uploads-'));
        return { dir: own, close: () => fs.rmSync(own, { recursive: true, force: true }) };
    }
    const folder = dir ?? `${path.resolve(warehouse.file)}.uploads`;
    fs.mkdirSync(folder, { recursive: true });
    for (const name of fs.readdirSync(folder)) {
        if (name.startsWith(SCRATCH_PREFIX)) fs.rmSync(path.join(folder, name), { recursive: true, force: true });
    }
    return { dir: folder, close: () => undefined };
}

/**
 * Streams the file parts of an upload to `dir`, each under the name the client gave it, and checks them:
 * named after an entity (CSV or Parquet), one per entity, not empty, all together within the limit. Every
 * problem is a 4xx naming it; a body that ends early or cannot be parsed is an error too, never a load.
 */
async function receive(request: FastifyRequest, dir: string, limit: number): Promise<InputFile[]> {
    const files: InputFile[] = [];
    let received = 0;
    try {
        for await (const part of request.parts()) {
            if (part.type !== 'file') {
                throw badRequest('file', `"${part.fieldname}" is a form field, not a file: send each canonical file as a file part, with its file name (e.g. time_entries.csv)`);
            }
            const name = path.basename(part.filename ?? '');
            if (!name) throw badRequest('file', 'a file part has no file name: name each file after its entity, e.g. time_entries.csv or people.parquet');
            const entity = entityOfFile(name);
            const format = formatOf(name);
            if (!format || !entity) {
                throw new HttpProblem(400, 'Not a canonical file', `${name}: name each file after its entity, e.g. time_entries.csv or people.parquet`, 'file');
            }
            const same = files.find((f) => f.entity === entity);
            if (same) throw badRequest('file', `${path.basename(same.path)} and ${name} both hold ${entity}: send one file per entity`);
            const target = path.join(dir, name);
            const count = new Transform({
                transform(chunk: Buffer, _encoding, done) {
                    received += chunk.length;
                    done(received > limit ? tooLarge(limit) : null, chunk);
                },
            });
            await pipeline(part.file, count, fs.createWriteStream(target));
            // The parser stops a file at the limit without an error of its own.
            if (part.file.truncated) throw tooLarge(limit);
            if (fs.statSync(target).size === 0) throw badRequest('file', `${name} is empty: a canonical file has at least its header line`);
            files.push({ path: target, entity, format });
        }
    } catch (err) {
        throw uploadProblem(err, limit);
    }
    if (files.length === 0) {
        throw badRequest('file', 'no file in this upload: send one file part per canonical file, named after its entity (e.g. time_entries.csv)');
    }
    return files;
}

/** A failure while an upload was read, as the client's problem when it is one. */
function uploadProblem(err: unknown, limit: number): unknown {
    if (err instanceof HttpProblem) return err;
    const e = err as NodeJS.ErrnoException & { statusCode?: number };
    // Writing the scratch copy failed: the server's problem.
    if (e.syscall) {
        if (e.code === 'ENOSPC') return new HttpProblem(507, 'Insufficient storage', 'the server has no disk space left for this upload; nothing was loaded');
        return err;
    }
    switch (e.code) {
        case 'FST_REQ_FILE_TOO_LARGE':
            return tooLarge(limit);
        case 'FST_FILES_LIMIT':
        case 'FST_PARTS_LIMIT':
            return badRequest('file', `at most ${ENTITIES.length} files in one upload, one per entity`);
        case 'FST_FIELDS_LIMIT':
            return badRequest('file', 'form fields are not files: send each canonical file as a file part, with its file name');
        case 'FST_MP_PREMATURE_CLOSE':
            return new HttpProblem(400, 'Incomplete upload', 'the request ended before its last file was complete; nothing was loaded');
    }
    // The rest come from the multipart parser: a body cut short, a missing boundary, malformed part headers.
    return new HttpProblem(400, 'Unreadable upload', `the multipart body cannot be read (${e.message}); nothing was loaded`);
}

/**
 * A load that needed more memory than the server may use (DuckDB's memory_limit, then its spill space) is
 * refused as too large for this server, naming the limits and how to raise them.
 */
async function outOfMemory(warehouse: Warehouse, err: unknown): Promise<HttpProblem | null> {
    if (!/Out of Memory Error/i.test(err instanceof Error ? err.message : String(err))) return null;
    const limits = await memoryLimits(warehouse);
    return new HttpProblem(
        413,
        'Upload too large for the memory limit',
        `loading these files needed more than the server's memory limit (${limits?.memory}) and spill space (${limits?.spill}); nothing was loaded. ` +
            'Start the server with a higher REALIZE_MEMORY_LIMIT or --memory-limit (and REALIZE_TEMP_LIMIT or --temp-limit), or stop it and load the files with `realize ingest`.',
    );
}
