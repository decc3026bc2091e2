/*
 * The tiny firm (reporting EUR; USD → EUR 0.9 from 2024-01-01) gets an upload of a USD invoice issued on
 * 2023-12-15, before its first rate: the load stands, the models build, and the answer, /api/health and the
 * figures name the gap instead of failing — the invoice (1 000 USD) is left out of billed value, and shown in
 * its drill-down without an amount.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../server/app.ts';
import type { Warehouse } from '../../warehouse/warehouse.ts';
import { tempDir, TINY } from '../helpers/fixtures.ts';
import { buildFixture } from '../helpers/models.ts';

const INVOICES = `${fs.readFileSync(path.join(TINY, 'invoices.csv'), 'utf8').trimEnd()}\nI2,2023-009,C2,2023-12-15,2024-01-14,USD,issued\n`;
const LINES = `${fs.readFileSync(path.join(TINY, 'invoice_lines.csv'), 'utf8').trimEnd()}\nI2,1,PRJ2,fixed_fee,,,1000.00,2023-12-01,2023-12-31,\n`;
const USD_GAP = { currency: 'USD', first_date: '2023-12-15', last_date: '2023-12-15', rows: 1, first_rate_date: '2024-01-01', needed_by: ['invoice_line'] };

let dir: string;
let warehouse: Warehouse;
let app: FastifyInstance;
let tokens: FastifyInstance;

beforeAll(async () => {
    dir = tempDir('realize-fx-server-');
    fs.writeFileSync(path.join(dir, 'tokens.json'), JSON.stringify([{ token: 'finance-token-0123456789', person_id: null, role: 'finance' }]));
    warehouse = await buildFixture(TINY);
    app = await buildApp({ warehouse });
    tokens = await buildApp({ warehouse, tokensFile: path.join(dir, 'tokens.json') });
});
afterAll(async () => {
    await app?.close();
    await tokens?.close();
    warehouse?.close();
    fs.rmSync(dir, { recursive: true, force: true });
});

/** A multipart body of canonical files (name → CSV text), as the dashboard's upload form sends it. */
function upload(files: Record<string, string>): { payload: Buffer; headers: Record<string, string> } {
    const boundary = '----realize-fx-boundary';
    const parts = Object.entries(files).map(([name, text]) =>
        Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: text/csv\r\n\r\n${text}\r\n`),
    );
    return { payload: Buffer.concat([...parts, Buffer.from(`--${boundary}--\r\n`)]), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

describe('an upload in a currency without a rate on its date', () => {
    it('starts with every rate there: nothing to name', async () => {
        expect((await app.inject({ method: 'GET', url: '/api/health' })).json().fx_missing).toEqual([]);
    });

    it('loads, builds, and names the currency and the date in the answer', async () => {
        const res = await app.inject({ method: 'POST', url: '/api/ingest', ...upload({ 'invoices.csv': INVOICES, 'invoice_lines.csv': LINES }) });
        expect(res.statusCode).toBe(200);
        const body = res.json();
        expect(body).toMatchObject({ ok: true, status: 'loaded', build: { ok: true, error: null } });
        expect(body.fx_missing).toEqual([USD_GAP]);
    });

    it('names it in /api/health to whoever is signed in, and to nobody else', async () => {
        expect((await app.inject({ method: 'GET', url: '/api/health' })).json().fx_missing).toEqual([USD_GAP]);
        const signedIn = await tokens.inject({ method: 'GET', url: '/api/health', headers: { authorization: 'Bearer finance-token-0123456789' } });
        expect(signedIn.json().fx_missing).toEqual([USD_GAP]);
        expect((await tokens.inject({ method: 'GET', url: '/api/health' })).json().fx_missing).toBeNull();
    });

    it('serves the figures without the invoice, and its drill-down shows it without an amount', async () => {
        const funnel = await app.inject({ method: 'GET', url: '/api/funnel?from=2023-12-01&to=2024-12-31&as_of=2024-12-31' });
        expect(funnel.statusCode).toBe(200);
        const stage = (k: string) => funnel.json().stages.find((s: { key: string }) => s.key === k).amount;
        // Billed: I1's 800 EUR; I2 has no rate on 2023-12-15 and is left out.
        expect(stage('billed_value')).toBe(800);
        const drill = await app.inject({ method: 'GET', url: '/api/drill/realization?part=billed_value&from=2023-12-01&to=2024-12-31&as_of=2024-12-31' });
        expect(drill.statusCode).toBe(200);
        const { rows, total_rows, total_amount } = drill.json();
        expect(total_rows).toBe(2);
        expect(total_amount).toBe(800);
        const i2 = rows.find((r: { document_id: string }) => r.document_id === 'I2');
        expect(i2).toMatchObject({ currency: 'USD', amount_native: 1000, fx_rate: null, amount: null });
    });
});
