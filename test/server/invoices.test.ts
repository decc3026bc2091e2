/**
 * Invoicing through the API on the hand-made firm (test/fixtures/invoice-firm; reporting currency EUR, as of
 * 2024-03-31), and the funnel moving with it. February's drafts, worked out in test/capture/invoicing/
 * run.test.ts with C1 at tax 20 %, lines by phase, 15-minute rounding: C1 445.00 EUR, C2 2,360.00 USD (fx 0.9
 * → 2,124.00 EUR), C3 8,000.00 EUR.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { servedFixture, type ServedFixture } from '../helpers/server.ts';

let served: ServedFixture;
let app: FastifyInstance;
const ids: Record<string, string> = {};

beforeAll(async () => {
    served = await servedFixture('test/fixtures/invoice-firm');
    app = served.app;
});
afterAll(() => served?.close());

const send = async (method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, payload?: unknown) => {
    const res = await app.inject({ method, url: `/api/${url}`, ...(payload === undefined ? {} : { payload: payload as object }) });
    return { status: res.statusCode, body: res.headers['content-type']?.includes('json') ? res.json() : res.body, headers: res.headers };
};

const leaks = async () => {
    const res = await send('GET', 'funnel?from=2024-01-01&to=2024-03-31&as_of=2024-03-31');
    expect(res.status).toBe(200);
    const of = (key: string) => (res.body.leaks as { key: string; amount: number }[]).find((l) => l.key === key)!.amount;
    const stage = (key: string) => (res.body.stages as { key: string; amount: number }[]).find((s) => s.key === key)!.amount;
    return { not_invoiced: of('not_invoiced'), credited: of('credited'), uncollected: of('uncollected'), collected: stage('collected_value'), billed: stage('billed_value') };
};

const cents = (v: number) => Math.round(v * 100) / 100;

describe('invoicing through the API', () => {
    it('sets a client’s billing and refuses bad settings naming the field', async () => {
        expect((await send('PUT', 'invoices/settings/clients/C1', { line_grouping: 'phase', rounding_minutes: 15, tax_rate: 0.2, payment_terms_days: 14 })).status).toBe(200);
        const bad = await send('PUT', 'invoices/settings/clients/C1', { line_grouping: 'phase', rounding_minutes: 10, tax_rate: 0.2, payment_terms_days: 14 });
        expect(bad.status).toBe(400);
        expect(bad.body.title).toMatch(/rounding_minutes/);
        expect((await send('PUT', 'invoices/settings/firm', { date_format: 'DD/MM/YYYY', firm_address: '1 Example Street\nExampletown' })).status).toBe(200);
    });

    it('runs February into drafts; the funnel does not move until they are issued', async () => {
        const before = await leaks();
        const run = await send('POST', 'invoices/runs', { from: '2024-02-01', to: '2024-02-29', issue_date: '2024-03-01' });
        expect(run.status).toBe(200);
        expect(run.body.invoices.map((i: { client_id: string; amount: number }) => [i.client_id, i.amount])).toEqual([
            ['C1', 445],
            ['C2', 2360],
            ['C3', 8000],
        ]);
        for (const i of run.body.invoices) ids[i.client_id] = i.invoice_id;
        expect((await leaks()).not_invoiced).toBe(before.not_invoiced);
        const bad = await send('POST', 'invoices/runs', { from: '2024-02-30', to: '2024-02-29' });
        expect(bad.status).toBe(400);
    });

    it('issuing moves exactly the invoiced amount out of "not yet invoiced"', async () => {
        const before = await leaks();
        const adj = await send('POST', `invoices/${ids.C1}/adjustments`, { amount: -45, reason: 'Goodwill' });
        expect(adj.body).toEqual({ line_no: 3 });
        for (const client of ['C1', 'C2', 'C3']) expect((await send('POST', `invoices/${ids[client]}/issue`, { issue_date: '2024-03-04' })).status).toBe(200);
        const after = await leaks();
        // 400.00 (C1 after the adjustment) + 2,360.00 × 0.9 (C2) + 8,000.00 (C3) = 10,524.00 EUR.
        expect(cents(before.not_invoiced - after.not_invoiced)).toBe(10524);
        expect(cents(after.billed - before.billed)).toBe(10524);
        expect((await send('POST', `invoices/${ids.C1}/adjustments`, { amount: 5, reason: 'late' })).status).toBe(409);
    });

    it('a credit note moves exactly its amount into disputes and write-offs', async () => {
        const before = await leaks();
        const note = await send('POST', `invoices/${ids.C1}/credit-notes`, { amount: 100, reason: 'dispute', issue_date: '2024-03-10' });
        expect(note.status).toBe(200);
        const after = await leaks();
        expect(cents(after.credited - before.credited)).toBe(100);
        expect(cents(before.uncollected - after.uncollected)).toBe(100);
    });

    it('a payment moves its net amount from uncollected to collected', async () => {
        const before = await leaks();
        // C1 owes 480.00 − 120.00 credited (with tax) = 360.00; 240.00 received = 200.00 net of 20 % tax.
        const paid = await send('POST', `invoices/${ids.C1}/payments`, { amount: 240, paid_date: '2024-03-20' });
        expect(paid.body).toMatchObject({ net: 200, outstanding: 120, status: 'issued' });
        const after = await leaks();
        expect(cents(after.collected - before.collected)).toBe(200);
        expect(cents(before.uncollected - after.uncollected)).toBe(200);
        const aged = await send('GET', 'receivables?as_of=2024-03-31');
        expect(aged.body.rows.find((r: { client_id: string }) => r.client_id === 'C1')).toMatchObject({ days_0_30: 120, total: 120 });
    });

    it('exports the invoices in Xero’s and QuickBooks’ layouts and every line with its entries', async () => {
        const xero = await send('GET', 'invoices/export/xero?from=2024-03-01&to=2024-03-31');
        expect(xero.status).toBe(200);
        const rows = (xero.body as string).trim().split('\r\n');
        expect(rows[0]).toBe('ContactName,InvoiceNumber,InvoiceDate,DueDate,Description,Quantity,UnitAmount,AccountCode,TaxType,Currency,Reference');
        // C1's first line: 2.5 h of build at 130.00, dates in the firm's DD/MM/YYYY.
        expect(rows).toContain(`Acme,INV-2024-0001,04/03/2024,18/03/2024,Acme portal — build,2.5,130,200,Tax on Sales,EUR,${ids.C1}`);
        expect(rows).toContain(`Acme,INV-2024-0001,04/03/2024,18/03/2024,Adjustment: Goodwill,1,-45,200,Tax on Sales,EUR,${ids.C1}`);
        const qbo = await send('GET', 'invoices/export/quickbooks?from=2024-03-01&to=2024-03-31');
        const q = (qbo.body as string).trim().split('\r\n');
        expect(q[0]).toBe('Invoice number,Customer,Invoice date,Due date,Terms,Service Date,Item (Product/Service),Item Description,Item Quantity,Item Rate,Item Amount,Item tax code,Memo');
        expect(q).toContain('INV-2024-0002,Globex,04/03/2024,03/04/2024,Net 30,29/02/2024,Overage hours,Globex support — overage 2024-02 beyond 10 included hours,2,180,360,NON,' + ids.C2);
        expect(q.length).toBe(1 + 7);
        const lines = await send('GET', `invoices/export/lines?invoice_id=${ids.C1}`);
        expect((lines.body as string).split('\r\n')[1]).toMatch(/,E1 E2$/);
    });

    it('serves the printable invoice with the firm’s details and the time behind each line', async () => {
        const html = await send('GET', `invoices/${ids.C1}/document.html`);
        expect(html.status).toBe(200);
        expect(html.headers['content-security-policy']).toContain(`style-src 'unsafe-inline'`);
        expect(html.body).toContain('Invoice INV-2024-0001');
        expect(html.body).toContain('1 Example Street');
        expect(html.body).toContain('Appendix: the time behind each line');
        // E2's note is shown as text, never as markup or a formula.
        expect(html.body).toContain('=cmd|calc');
    });

    it('records every step in the audit log', async () => {
        const actions = await served.warehouse.all<{ action: string }>(`select action from audit.events where action like 'invoice%' or action in ('credit_note', 'payment', 'client_billing_settings', 'firm_invoice_settings') order by event_id`);
        expect(actions.map((a) => a.action)).toEqual([
            'client_billing_settings',
            'firm_invoice_settings',
            'invoice_run',
            'invoice_adjustment',
            'invoice_issue',
            'invoice_issue',
            'invoice_issue',
            'credit_note',
            'payment',
        ]);
    });
});
