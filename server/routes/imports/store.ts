/**
 * Uploaded exports kept between their preview and their import: each upload in a folder of the server's
 * uploads folder (`realize-import-<id>`), for UPLOAD_TTL_MS, removed when it is imported (not on a dry run),
 * when it expires, and at the next start (a server holds its database's lock, so the folder is its own).
 * Parts are streamed to disk: a 1 GB file never sits in memory.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { FastifyRequest } from 'fastify';
import { badRequest, HttpProblem } from '../../plugins/problem.ts';
import { sizeText } from '../data/data.ts';

export const UPLOAD_TTL_MS = 60 * 60 * 1000;
const PREFIX = 'realize-import-';
/** Files one upload may hold. */
export const MAX_IMPORT_FILES = 20;

export interface StoredUpload {
    id: string;
    dir: string;
    files: { name: string; path: string; size: number }[];
    expires: number;
}

/** An upload's files as importers take them: their paths, and the names their senders gave them (reports say those). */
export function filesOf(upload: StoredUpload): { paths: string[]; names: Record<string, string> } {
    return { paths: upload.files.map((f) => f.path), names: Object.fromEntries(upload.files.map((f) => [f.path, f.name])) };
}

export class UploadStore {
    private readonly uploads = new Map<string, StoredUpload>();
    private readonly root: string;

    constructor(root: string) {
        this.root = root;
        for (const name of fs.readdirSync(root)) if (name.startsWith(PREFIX)) fs.rmSync(path.join(root, name), { recursive: true, force: true });
    }

    get(id: string): StoredUpload {
        this.expire();
        const found = this.uploads.get(id);
        if (!found) throw new HttpProblem(404, 'No such upload', `upload ${id} does not exist or has expired (uploads are kept ${UPLOAD_TTL_MS / 60_000} minutes): upload the files again`);
        return found;
    }

    /** Receives an upload for one request: `use` reads its files, which are removed after, whatever it answers. */
    async using<T>(request: FastifyRequest, limit: number, use: (upload: StoredUpload) => Promise<T>): Promise<T> {
        const upload = await this.receive(request, limit);
        try {
            return await use(upload);
        } finally {
            this.remove(upload.id);
        }
    }

    remove(id: string): void {
        const found = this.uploads.get(id);
        if (found) fs.rmSync(found.dir, { recursive: true, force: true });
        this.uploads.delete(id);
    }

    private expire(): void {
        const now = Date.now();
        for (const [id, u] of this.uploads) if (u.expires < now) this.remove(id);
    }

    /** Streams the request's file parts to a new upload folder; every problem is a 4xx naming it. */
    async receive(request: FastifyRequest, limit: number): Promise<StoredUpload> {
        if (!request.isMultipart()) throw new HttpProblem(415, 'Unsupported media type', 'send the exports as multipart/form-data, one file part per file');
        this.expire();
        const id = crypto.randomBytes(16).toString('hex');
        const dir = fs.mkdtempSync(path.join(this.root, `${PREFIX}${id}-`));
        const upload: StoredUpload = { id, dir, files: [], expires: Date.now() + UPLOAD_TTL_MS };
        let received = 0;
        const tooLarge = () => importTooLarge(limit);
        try {
            for await (const part of request.parts({ limits: { fileSize: limit, files: MAX_IMPORT_FILES, fields: 0 } })) {
                if (part.type !== 'file') throw badRequest('file', `"${part.fieldname}" is a form field: send each export as a file part, with its file name`);
                const name = path.basename(part.filename ?? '');
                if (!name) throw badRequest('file', 'a file part has no file name: send each export with its own name (e.g. toggl.csv)');
                if (!/\.(csv|txt|xlsx|parquet|json)$/i.test(name)) throw badRequest('file', `${name}: an export is a CSV, XLSX, Parquet or (Toggl) JSON file`);
                if (upload.files.some((f) => f.name === name)) throw badRequest('file', `two files are named ${name}: send each once`);
                const target = path.join(dir, `${upload.files.length}-${name}`);
                const count = new Transform({
                    transform(chunk: Buffer, _encoding, done) {
                        received += chunk.length;
                        done(received > limit ? tooLarge() : null, chunk);
                    },
                });
                await pipeline(part.file, count, fs.createWriteStream(target));
                if (part.file.truncated) throw tooLarge();
                const size = fs.statSync(target).size;
                if (size === 0) throw badRequest('file', `${name} is empty`);
                upload.files.push({ name, path: target, size });
            }
        } catch (err) {
            fs.rmSync(dir, { recursive: true, force: true });
            throw readProblem(err, limit);
        }
        if (upload.files.length === 0) {
            fs.rmSync(dir, { recursive: true, force: true });
            throw badRequest('file', 'no file in this upload: send the exports as file parts (multipart/form-data)');
        }
        this.uploads.set(id, upload);
        return upload;
    }
}

export const importTooLarge = (limit: number) =>
    new HttpProblem(
        413,
        'Upload too large',
        `this upload is over the server's limit of ${sizeText(limit)} (its files together); nothing was imported. Start the server with a higher ` +
            'REALIZE_UPLOAD_LIMIT or --upload-limit, or stop it and import the files with `realize import`.',
        'file',
    );

function readProblem(err: unknown, limit: number): unknown {
    if (err instanceof HttpProblem) return err;
    const e = err as NodeJS.ErrnoException;
    if (e.syscall) return e.code === 'ENOSPC' ? new HttpProblem(507, 'Insufficient storage', 'the server has no disk space left for this upload') : err;
    switch (e.code) {
        case 'FST_REQ_FILE_TOO_LARGE':
            return importTooLarge(limit);
        case 'FST_FILES_LIMIT':
        case 'FST_PARTS_LIMIT':
            return badRequest('file', `at most ${MAX_IMPORT_FILES} files in one upload`);
        case 'FST_FIELDS_LIMIT':
            return badRequest('file', 'form fields are not files: send each export as a file part');
        case 'FST_MP_PREMATURE_CLOSE':
            return new HttpProblem(400, 'Incomplete upload', 'the request ended before its last file was complete; nothing was imported');
    }
    return new HttpProblem(400, 'Unreadable upload', `the multipart body cannot be read (${e.message}); nothing was imported`);
}
