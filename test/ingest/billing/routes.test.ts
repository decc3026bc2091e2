/**
 * POST /api/imports/billing: invoicing tools' exports uploaded to the server that owns the database (the CLI's
 * way while a server runs), on a firm reporting in USD with no billing yet. Figures worked out by hand from
 * test/fixtures/billing-edge/invoiceninja-*.csv (as in billing.test.ts): invoices 0101 1,020.00 + 0102 90.00
 * + 0103 50.00 + 0105 (void) 40.00 = 1,200.00 net of tax; billed 1,160.00 (the void one is not billed);
 * payments 90.00 + 1,000.00 = 1,090.00.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { servedFirm, type ServedFirm } from '../../helpers/server.ts';

const FIXTURES = path.resolve(import.meta.dirname, '../../fixtures/billing-edge');
const BOUNDARY = '----realize-billing-boundary';
const FINANCE = 'billing-finance-token-0';
const ENGINEER = 'billing-engineer-token0';

function multipart(names: string[]): Buffer {
    const chunks: Buffer[] = [];
    for (const name of names) {
        chunks.push(Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: text/csv\r\n\r\n`));
        chunks.push(fs.readFileSync(path.join(FIXTURES, name)), Buffer.from('\r\n'));
    }
    chunks.push(Buffer.from(`--${BOUNDARY}--\r\n`));
    return Buffer.concat(chunks);
}

const NINJA = ['invoiceninja-invoices.csv', 'invoiceninja-payments.csv'];

let firm: ServedFirm;
beforeAll(async () => {
    firm = await servedFirm(
        'billing-route',
        {
            'settings.csv': 'key,value\nreporting_currency,USD\nfirm_name,Ledger & Co\nas_of,2024-12-31\n',
            'people.csv': 'person_id,name,email,role,department,start_date,end_date\nF1,Finn Ledger,f1@ledger.example,accountant,Finance,2024-01-01,\nE1,Eve Engineer,e1@ledger.example,developer,Engineering,2024-01-01,\n',
        },
        [
            { token: FINANCE, person_id: 'F1', role: 'finance' },
            { token: ENGINEER, person_id: 'E1', role: 'engineer' },
        ],
    );
});
afterAll(async () => firm?.close());

const post = (query: string, names: string[], token = FINANCE) =>
    firm.app.inject({
        method: 'POST',
        url: `/api/imports/billing${query}`,
        headers: { authorization: `Bearer ${token}`, 'content-type': `multipart/form-data; boundary=${BOUNDARY}` },
        payload: multipart(names),
    });

const stored = async () =>
    (await firm.warehouse.one<{ invoices: number; payments: number }>(
        `select (select count(*) from canonical.invoices)::integer as invoices, (select count(*) from canonical.payments)::integer as payments`,
    ))!;

async function billed(): Promise<{ billed: number; collected: number }> {
    const res = await firm.app.inject({ method: 'GET', url: '/api/funnel?from=2024-01-01&to=2024-12-31', headers: { authorization: `Bearer ${FINANCE}` } });
    expect(res.statusCode, res.body.slice(0, 300)).toBe(200);
    const stages = res.json().stages as { key: string; amount: number }[];
    const amount = (key: string) => stages.find((s) => s.key === key)?.amount;
    return { billed: amount('billed_value')!, collected: amount('collected_value')! };
}

describe('POST /api/imports/billing', () => {
    it('refuses a role outside the firm’s money (403) and writes nothing', async () => {
        const res = await post('?tool=invoiceninja', NINJA, ENGINEER);
        expect(res.statusCode).toBe(403);
        expect(res.headers['content-type']).toContain('application/problem+json');
        expect(await stored()).toEqual({ invoices: 0, payments: 0 });
    });

    it('a dry run says what would load and writes nothing', async () => {
        const res = await post('?tool=auto&dry_run=true', NINJA);
        expect(res.statusCode, res.body.slice(0, 500)).toBe(200);
        expect(res.json()).toMatchObject({
            ok: true,
            status: 'dry_run',
            clients: { created: 2, updated: 0, unchanged: 0 },
            invoices: { created: 4, updated: 0, unchanged: 0 },
            payments: { created: 2 },
            credit_notes: { created: 0, updated: 0, unchanged: 0 },
            credited: {},
            invoiced: { USD: '1200.00' },
            paid: { USD: '1040.00' },
            build: null,
        });
        expect(await stored()).toEqual({ invoices: 0, payments: 0 });
        expect(await billed()).toEqual({ billed: 0, collected: 0 });
    });

    it('imports, names the files as sent, and answers once the funnel includes the billing', async () => {
        const res = await post('?tool=invoiceninja', NINJA);
        expect(res.statusCode, res.body.slice(0, 500)).toBe(200);
        const report = res.json();
        expect(report).toMatchObject({ ok: true, status: 'imported', invoices: { created: 4 }, payments: { created: 2 }, lines: 6, build: { ok: true } });
        expect(report.files.map((f: { file: string; kind: string }) => [f.file, f.kind])).toEqual([
            ['invoiceninja-invoices.csv', 'invoices'],
            ['invoiceninja-payments.csv', 'payments'],
        ]);
        expect(report.rejects).toContainEqual(expect.objectContaining({ file: 'invoiceninja-payments.csv', line: 8, reason: 'invoice 0999 is not in this import or the warehouse' }));
        expect(await stored()).toEqual({ invoices: 4, payments: 2 });
        // Billed 1,020.00 + 90.00 + 50.00 = 1,160.00; collected 90.00 + 1,000.00 = 1,090.00.
        expect(await billed()).toEqual({ billed: 1160, collected: 1040 });
        const batches = await firm.warehouse.one<{ who: string }>(`select min(created_by) as who from ingest.batches where entity = 'invoices'`);
        expect(batches?.who).toBe('finance:F1');

        const again = await post('?tool=invoiceninja', NINJA);
        expect(again.json()).toMatchObject({ status: 'unchanged', invoices: { created: 0, updated: 0, unchanged: 4 }, build: null });
    });

    it('refuses naming the parameter: a file no invoicing tool wrote, a time tool, no multipart body', async () => {
        const unknown = await firm.app.inject({
            method: 'POST',
            url: '/api/imports/billing',
            headers: { authorization: `Bearer ${FINANCE}`, 'content-type': `multipart/form-data; boundary=${BOUNDARY}` },
            payload: Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="x.csv"\r\nContent-Type: text/csv\r\n\r\na,b\n1,2\n\r\n--${BOUNDARY}--\r\n`),
        });
        expect(unknown.statusCode).toBe(400);
        expect(unknown.json()).toMatchObject({ parameter: 'tool' });
        expect(unknown.json().detail).toContain('x.csv: which invoicing tool wrote this file cannot be told from its columns');
        const toggl = await post('?tool=toggl', NINJA);
        expect(toggl.statusCode).toBe(400);
        expect(toggl.json()).toMatchObject({ parameter: 'tool' });
        const json = await firm.app.inject({ method: 'POST', url: '/api/imports/billing', headers: { authorization: `Bearer ${FINANCE}`, 'content-type': 'application/json' }, payload: '{}' });
        expect(json.statusCode).toBe(415);
        expect(await stored()).toEqual({ invoices: 4, payments: 2 });
    });
});
