/**
 * POST /api/ingest at its edges (server/routes/data/data.ts): the upload limit, each malformed upload a 4xx
 * problem naming what is wrong, scratch copies that never outlive their request (nor a killed server), a
 * load over the memory limit refused as such.
 */
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingestFiles } from '../../ingest/canonical.ts';
import { ENTITIES } from '../../ingest/entities.ts';
import { resolveInputs, UsageError } from '../../ingest/files.ts';
import { byteSize, serverLimits } from '../../bin/commands/options.ts';
import { buildApp } from '../../server/app.ts';
import { DEFAULT_UPLOAD_LIMIT, sizeText } from '../../server/routes/data/data.ts';
import { Warehouse } from '../../warehouse/warehouse.ts';
import { tempDir, TINY } from '../helpers/fixtures.ts';

/** Small, so that files over it stay small too. */
const LIMIT = 64 * 1024;
const BOUNDARY = 'realize-test-boundary';
const PEOPLE = fs.readFileSync(path.join(TINY, 'people.csv'), 'utf8');

interface Part {
    name: string;
    /** Absent: a form field, not a file. */
    filename?: string;
    content: string | Buffer;
}

function multipart(parts: Part[], close = true): Buffer {
    const chunks: Buffer[] = [];
    for (const p of parts) {
        const disposition = `form-data; name="${p.name}"${p.filename !== undefined ? `; filename="${p.filename}"` : ''}`;
        chunks.push(Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: ${disposition}\r\n${p.filename !== undefined ? 'Content-Type: text/csv\r\n' : ''}\r\n`));
        chunks.push(Buffer.isBuffer(p.content) ? p.content : Buffer.from(p.content), Buffer.from('\r\n'));
    }
    if (close) chunks.push(Buffer.from(`--${BOUNDARY}--\r\n`));
    return Buffer.concat(chunks);
}

const file = (filename: string, content: string | Buffer): Part => ({ name: 'file', filename, content });

/** people.csv of exactly `size` bytes: the tiny firm's people and one more, whose name pads the file. */
function peopleOfSize(size: number): string {
    const head = `${PEOPLE.trimEnd()}\nP9,`;
    const tail = `,p9@tiny.example,developer,Engineering,2024-01-01,\n`;
    return head + 'x'.repeat(size - Buffer.byteLength(head + tail)) + tail;
}

async function counts(warehouse: Warehouse): Promise<Record<string, number>> {
    const out: Record<string, number> = {};
    for (const e of ENTITIES) out[e.name] = (await warehouse.one<{ n: number }>(`select count(*)::integer as n from canonical.${e.name}`))!.n;
    out.batches = (await warehouse.one<{ n: number }>(`select count(*)::integer as n from ingest.batches`))!.n;
    return out;
}

/** A tiny firm in a database file of its own (the uploads folder lives beside it). */
async function tinyDatabase(options: Parameters<typeof Warehouse.open>[1] = {}): Promise<{ dir: string; db: string; warehouse: Warehouse }> {
    const dir = tempDir('realize-upload-test-');
    const db = path.join(dir, 'firm.duckdb');
    const warehouse = await Warehouse.open(db, options);
    const report = await ingestFiles(warehouse, resolveInputs([TINY]).files);
    expect(report.ok).toBe(true);
    return { dir, db, warehouse };
}

function expectProblem(res: LightMyRequestResponse, status: number, detail: RegExp, parameter?: string) {
    expect(res.statusCode, res.body.slice(0, 400)).toBe(status);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    const body = res.json();
    expect(body.detail).toMatch(detail);
    if (parameter) expect(body.parameter).toBe(parameter);
}

async function until(what: string, check: () => boolean, ms = 10_000): Promise<void> {
    const end = Date.now() + ms;
    while (!check()) {
        if (Date.now() > end) throw new Error(`timed out waiting until ${what}`);
        await new Promise((r) => setTimeout(r, 20));
    }
}

describe('uploads to a server', () => {
    let dir: string;
    let db: string;
    let warehouse: Warehouse;
    let app: FastifyInstance;
    const upload = (payload: Buffer | string, type = `multipart/form-data; boundary=${BOUNDARY}`, headers: Record<string, string> = {}) =>
        app.inject({ method: 'POST', url: '/api/ingest', headers: { 'content-type': type, ...headers }, payload });
    const scratch = () => fs.readdirSync(app.uploadDir);

    beforeAll(async () => {
        ({ dir, db, warehouse } = await tinyDatabase());
        app = await buildApp({ warehouse, uploadLimit: LIMIT });
    });
    afterAll(async () => {
        await app.close();
        warehouse.close();
        fs.rmSync(dir, { recursive: true, force: true });
    });

    it('write their scratch copies in <database>.uploads', () => {
        expect(app.uploadDir).toBe(`${db}.uploads`);
        expect(fs.statSync(app.uploadDir).isDirectory()).toBe(true);
    });

    const refused: { name: string; send: () => Promise<LightMyRequestResponse>; status: number; detail: RegExp; parameter?: string }[] = [
        { name: 'JSON', send: () => upload('{"people.csv":"x"}', 'application/json'), status: 415, detail: /multipart\/form-data/ },
        { name: 'a body of another type', send: () => upload(Buffer.from(PEOPLE), 'application/octet-stream'), status: 415, detail: /multipart\/form-data/ },
        { name: 'an empty multipart body', send: () => upload(Buffer.alloc(0)), status: 400, detail: /no file in this upload/, parameter: 'file' },
        { name: 'a multipart body with no part', send: () => upload(`--${BOUNDARY}--\r\n`), status: 400, detail: /no file in this upload/, parameter: 'file' },
        { name: 'a form field instead of a file', send: () => upload(multipart([{ name: 'people.csv', content: PEOPLE }])), status: 400, detail: /"people\.csv" is a form field, not a file/, parameter: 'file' },
        { name: 'a field after a file', send: () => upload(multipart([file('people.csv', PEOPLE), { name: 'note', content: 'x' }])), status: 400, detail: /"note" is a form field/, parameter: 'file' },
        { name: 'a file part without a file name', send: () => upload(multipart([file('', PEOPLE)])), status: 400, detail: /no file name/, parameter: 'file' },
        { name: 'a file named after no entity', send: () => upload(multipart([file('stuff.csv', PEOPLE)])), status: 400, detail: /^stuff\.csv: name each file after its entity/, parameter: 'file' },
        { name: 'a spreadsheet', send: () => upload(multipart([file('people.xlsx', PEOPLE)])), status: 400, detail: /^people\.xlsx: /, parameter: 'file' },
        { name: 'an empty file', send: () => upload(multipart([file('people.csv', '')])), status: 400, detail: /people\.csv is empty/, parameter: 'file' },
        {
            name: 'two files for one entity',
            send: () => upload(multipart([file('people.csv', PEOPLE), file('People.parquet', PEOPLE)])),
            status: 400,
            detail: /people\.csv and People\.parquet both hold people/,
            parameter: 'file',
        },
        {
            name: 'more files than there are entities',
            send: () => upload(multipart(ENTITIES.map((e) => file(`${e.name}.csv`, 'a\n')).concat(file('people.parquet', 'a\n')))),
            status: 400,
            detail: /one per entity/,
            parameter: 'file',
        },
        { name: 'a body cut off inside a file', send: () => upload(multipart([file('people.csv', PEOPLE)], false).subarray(0, 150)), status: 400, detail: /cannot be read/ },
        { name: 'a body cut off between files', send: () => upload(multipart([file('people.csv', PEOPLE)], false)), status: 400, detail: /cannot be read/ },
        { name: 'a multipart type without its boundary', send: () => upload(multipart([file('people.csv', PEOPLE)]), 'multipart/form-data'), status: 400, detail: /boundary/i },
        {
            name: 'a file one byte over the limit',
            send: () => upload(multipart([file('people.csv', peopleOfSize(LIMIT + 1))])),
            status: 413,
            detail: /limit of 64 KiB .*REALIZE_UPLOAD_LIMIT or --upload-limit/,
            parameter: 'file',
        },
        {
            name: 'files under the limit each, over it together',
            send: () => upload(multipart([file('people.csv', peopleOfSize(LIMIT / 2 + 10)), file('clients.csv', 'client_id,name\n' + 'C9,'.padEnd(LIMIT / 2, 'y') + '\n')])),
            status: 413,
            detail: /limit of 64 KiB/,
        },
        {
            name: 'a body declared longer than the limit (refused before it is read)',
            send: () => upload(multipart([file('people.csv', PEOPLE)]), undefined, { 'content-length': String(LIMIT * 4) }),
            status: 413,
            detail: /limit of 64 KiB/,
        },
    ];

    for (const c of refused) {
        it(`refuse ${c.name}, loading nothing and keeping no scratch copy`, async () => {
            const before = await counts(warehouse);
            expectProblem(await c.send(), c.status, c.detail, c.parameter);
            expect(await counts(warehouse)).toEqual(before);
            expect(scratch()).toEqual([]);
        });
    }

    it('load a file of exactly the limit, reported under the name it was sent as', async () => {
        const res = await upload(multipart([file('people.csv', peopleOfSize(LIMIT))]));
        expect(res.statusCode, res.body.slice(0, 400)).toBe(200);
        const body = res.json();
        expect(body.status).toBe('loaded');
        expect(body.files.map((f: { file: string }) => f.file)).toEqual(['people.csv']);
        expect((await warehouse.one<{ n: number }>(`select count(*)::integer as n from canonical.people where person_id = 'P9'`))!.n).toBe(1);
        expect(scratch()).toEqual([]);
    });

    it('record a rejected load under its sent name and its caller, with every problem counted behind the listed ones', async () => {
        // 1,100 people with no name: one reason, 1,100 problems; the report and ingest.rejects list the first 1,000.
        const header = PEOPLE.split('\n')[0];
        const bad = Array.from({ length: 1100 }, (_, i) => `Q${i},,${i}@t.x,developer,Eng,2024-01-01,`).join('\n');
        const res = await upload(multipart([file('people.csv', `${header}\n${bad}\n`)]));
        expect(res.statusCode, res.body.slice(0, 400)).toBe(200);
        const body = res.json();
        expect(body.status).toBe('rejected');
        expect(body.rejects_total).toBe(1100);
        expect(body.rejects).toHaveLength(1000);
        expect(body.reject_counts).toEqual([{ file: 'people.csv', reason: expect.any(String), count: 1100 }]);

        const batches = (await app.inject({ url: '/api/batches?limit=1' })).json().batches;
        expect(batches[0]).toMatchObject({ file_name: 'people.csv', status: 'rejected', created_by: 'local' });
        const rejects = (await app.inject({ url: `/api/batches/${batches[0].batch_id}/rejects?page_size=10` })).json();
        expect(rejects).toMatchObject({ total_rows: 1000, rejects_total: 1100, reject_counts: [{ file: 'people.csv', count: 1100 }] });
        expect(rejects.rows).toHaveLength(10);
    });
});

describe('the uploads folder', () => {
    it('is emptied of what a killed server left when the next one starts, and nothing else', async () => {
        const { dir, db, warehouse } = await tinyDatabase();
        const folder = `${db}.uploads`;
        fs.mkdirSync(path.join(folder, 'realize-upload-AbC123'), { recursive: true });
        fs.writeFileSync(path.join(folder, 'realize-upload-AbC123', 'time_entries.csv'), 'half a file');
        fs.writeFileSync(path.join(folder, 'notes.txt'), 'not ours');
        const app = await buildApp({ warehouse });
        expect(fs.readdirSync(folder)).toEqual(['notes.txt']);
        await app.close();
        warehouse.close();
        fs.rmSync(dir, { recursive: true, force: true });
    });

    it('of a database in memory is its own, and goes when the server closes', async () => {
        const warehouse = await Warehouse.open(':memory:');
        const app = await buildApp({ warehouse });
        const folder = app.uploadDir;
        expect(fs.statSync(folder).isDirectory()).toBe(true);
        await app.close();
        warehouse.close();
        expect(fs.existsSync(folder)).toBe(false);
    });

    it('defaults to a limit of 1 GiB', () => {
        expect(sizeText(DEFAULT_UPLOAD_LIMIT)).toBe('1 GiB');
        expect([sizeText(3e9), sizeText(20e9), sizeText(256 * 1024), sizeText(1_500_000), sizeText(999)]).toEqual(['3 GB', '20 GB', '256 KiB', '1.5 MB', '999 bytes']);
    });
});

describe('the limits of realize serve and start', () => {
    it('come from the flags, else the environment, else 3 GB of memory, 20 GB of spill and the server’s upload default', () => {
        expect(serverLimits({})).toEqual({ memory: 3e9, temp: 20e9, upload: undefined });
        const env = { REALIZE_MEMORY_LIMIT: '512MiB', REALIZE_TEMP_LIMIT: '5GB', REALIZE_UPLOAD_LIMIT: '100MB' };
        expect(serverLimits({}, env)).toEqual({ memory: 512 * 2 ** 20, temp: 5e9, upload: 1e8 });
        expect(serverLimits({ 'memory-limit': '1GB', 'temp-limit': '2 GiB', 'upload-limit': '2097152' }, env)).toEqual({ memory: 1e9, temp: 2 * 2 ** 30, upload: 2 ** 21 });
    });

    it('are refused, naming where they came from, when they are not sizes', () => {
        expect(() => serverLimits({ 'upload-limit': 'lots' })).toThrow(UsageError);
        expect(() => serverLimits({ 'upload-limit': 'lots' })).toThrow('--upload-limit must be a size such as 512MB, 3GB or 1GiB, got "lots"');
        expect(() => serverLimits({}, { REALIZE_MEMORY_LIMIT: '80%' })).toThrow(/^REALIZE_MEMORY_LIMIT must be a size/);
        for (const bad of ['0', '-1GB', '1 GBs', '1e9', '', 'GB']) expect(() => byteSize(bad, 'x'), bad).toThrow(UsageError);
    });
});

describe('DuckDB spill files', () => {
    it('that a killed process left beside the database are removed when it is opened again', async () => {
        const dir = tempDir('realize-spill-test-');
        const db = path.join(dir, 'firm.duckdb');
        fs.mkdirSync(`${db}.tmp`);
        fs.writeFileSync(`${db}.tmp/duckdb_temp_storage_DEFAULT-0.tmp`, Buffer.alloc(4096));
        fs.writeFileSync(`${db}.tmp/keep.txt`, 'not DuckDB’s');
        const warehouse = await Warehouse.open(db, { maxTempSize: '1GB' });
        expect(fs.readdirSync(`${db}.tmp`)).toEqual(['keep.txt']);
        expect(await warehouse.one(`select current_setting('max_temp_directory_size') as size`)).toEqual({ size: '953.6 MiB' });
        warehouse.close();
        fs.rmSync(dir, { recursive: true, force: true });
    });
});

describe('an upload over HTTP', () => {
    let dir: string;
    let warehouse: Warehouse;
    let app: FastifyInstance;
    let port: number;

    beforeAll(async () => {
        ({ dir, warehouse } = await tinyDatabase());
        app = await buildApp({ warehouse, uploadLimit: 8 * 1024 * 1024 });
        await app.listen({ port: 0, host: '127.0.0.1' });
        port = (app.server.address() as net.AddressInfo).port;
    });
    afterAll(async () => {
        await app.close();
        warehouse.close();
        fs.rmSync(dir, { recursive: true, force: true });
    });

    /** Opens a connection and sends the head of a multipart upload declaring `length` bytes. */
    function startUpload(length: number): net.Socket {
        const socket = net.connect(port, '127.0.0.1');
        socket.write(
            `POST /api/ingest HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nContent-Type: multipart/form-data; boundary=${BOUNDARY}\r\nContent-Length: ${length}\r\n\r\n` +
                `--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="time_entries.csv"\r\nContent-Type: text/csv\r\n\r\n`,
        );
        return socket;
    }

    it('cut off by its client leaves no scratch copy, loads nothing, and the server carries on', async () => {
        const before = await counts(warehouse);
        const socket = startUpload(4 * 1024 * 1024);
        socket.on('error', () => undefined);
        socket.write(Buffer.alloc(512 * 1024, 'x'));
        // The scratch copy is being written …
        await until('the scratch copy exists', () => fs.readdirSync(app.uploadDir).some((d) => fs.readdirSync(path.join(app.uploadDir, d)).length > 0));
        // … when the client goes away.
        socket.destroy();
        await until('the scratch copy is removed', () => fs.readdirSync(app.uploadDir).length === 0);
        expect(await counts(warehouse)).toEqual(before);
        const res = await fetch(`http://127.0.0.1:${port}/api/ingest`, {
            method: 'POST',
            headers: { 'content-type': `multipart/form-data; boundary=${BOUNDARY}` },
            body: new Uint8Array(multipart([file('people.csv', PEOPLE)])),
        });
        expect(res.status).toBe(200);
        expect(((await res.json()) as { status: string }).status).toBe('unchanged');
    });

    it('declared over the limit is answered 413 at once, without waiting for its body', async () => {
        const socket = startUpload(64 * 1024 * 1024);
        const answer = await new Promise<string>((resolve, reject) => {
            let text = '';
            socket.on('data', (d) => {
                text += d.toString();
                if (text.includes('\r\n\r\n') && text.includes('}')) resolve(text);
            });
            socket.on('error', reject);
            setTimeout(() => reject(new Error(`no answer: ${text}`)), 5000);
        });
        socket.destroy();
        expect(answer).toMatch(/^HTTP\/1\.1 413/);
        expect(answer).toContain('application/problem+json');
        expect(answer).toContain('limit of 8 MiB');
        expect(fs.readdirSync(app.uploadDir)).toEqual([]);
    });
});

describe('a load over the memory limit', () => {
    it('is refused as too large for this server, naming the limits and how to raise them; nothing is loaded', async () => {
        // 64 MB of memory and 1 MB of spill space against a 40 MB file: the load cannot fit.
        const { dir, warehouse } = await tinyDatabase({ memoryLimit: '64MB', maxTempSize: '1MB' });
        const app = await buildApp({ warehouse, uploadLimit: 100 * 1024 * 1024 });
        const header = fs.readFileSync(path.join(TINY, 'time_entries.csv'), 'utf8').split('\n')[0]!;
        const rows = Array.from({ length: 300_000 }, (_, i) => `X${i},P1,PRJ1,build,task ${i} ${'y'.repeat(60)},development,2024-01-04,3600,true,,timer,2024-01-04T18:00:00+00:00,submitted,,,,`);
        const before = await counts(warehouse);
        const res = await app.inject({
            method: 'POST',
            url: '/api/ingest',
            headers: { 'content-type': `multipart/form-data; boundary=${BOUNDARY}` },
            payload: multipart([file('time_entries.csv', `${header}\n${rows.join('\n')}\n`)]),
        });
        expectProblem(res, 413, /memory limit \(61\.0 MiB\) and spill space \(976\.5 KiB\).*REALIZE_MEMORY_LIMIT or --memory-limit/);
        expect(await counts(warehouse)).toEqual(before);
        expect(fs.readdirSync(app.uploadDir)).toEqual([]);
        expect((await app.inject({ method: 'GET', url: '/api/batches' })).statusCode).toBe(200);
        await app.close();
        warehouse.close();
        fs.rmSync(dir, { recursive: true, force: true });
    }, 120_000);
});
