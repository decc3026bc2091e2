/**
 * The billing-history importers on hand-made exports (test/fixtures/billing-edge/), each figure worked out by
 * hand below.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { importBilling } from '../../../ingest/billing/run.ts';
import { moneyCents } from '../../../ingest/billing/read.ts';
import { ingestFiles } from '../../../ingest/canonical.ts';
import { buildModels } from '../../../warehouse/models.ts';
import { Warehouse } from '../../../warehouse/warehouse.ts';
import { snapshot, tempDir } from '../../helpers/fixtures.ts';

const FIXTURES = path.resolve(import.meta.dirname, '../../fixtures/billing-edge');
const fixture = (name: string) => path.join(FIXTURES, name);
const NINJA = [fixture('invoiceninja-invoices.csv'), fixture('invoiceninja-payments.csv')];
const FRESHBOOKS = fixture('freshbooks-semicolon.csv');
const ZOHO = fixture('zoho-projects.csv');
const WAVE = fixture('wave-ledger.csv');

let warehouse: Warehouse;
beforeEach(async () => {
    warehouse = await Warehouse.open(':memory:');
});
afterEach(() => warehouse.close());

const lines = () =>
    warehouse.all<{ invoice_id: string; line_no: number; kind: string; amount: number }>(
        `select invoice_id, line_no, kind, amount::double as amount from canonical.invoice_lines order by invoice_id, line_no`,
    );

describe('money cells', () => {
    it('reads $1,020.00, ($400.00), 1.200,00, -100,00 and a trailing space to the cent', () => {
        expect([moneyCents('$1,020.00'), moneyCents('($400.00)'), moneyCents('1.200,00'), moneyCents('-100,00'), moneyCents('$26.67 '), moneyCents('12.3.4')]).toEqual([
            102_000, -40_000, 120_000, -10_000, 2_667, null,
        ]);
    });
});

describe('Invoice Ninja v4: title lines, $1,020.00, a discount, a repeated row, a refund taken off its payment', () => {
    it('imports each invoice to the cent of its Amount and reports every other row by line', async () => {
        const report = await importBilling(warehouse, NINJA, { tool: 'auto' });
        expect(report.ok).toBe(true);
        expect(report.files.map((f) => [f.tool, f.kind, f.rows, f.rejected, f.duplicates])).toEqual([
            ['invoiceninja', 'invoices', 7, 1, 1],
            ['invoiceninja', 'payments', 4, 1, 0],
        ]);
        // 0101: 1,000.00 × 1 + 10.00 × 2 = 1,020.00 (its Amount); 0102: 25.00 × 4 − the $10.00 discount = 90.00;
        // 0103: 25.00 × 2 once (its Amount 50.00 counts the repeated row once); 0105 (void): 40.00.
        expect(await lines()).toEqual([
            { invoice_id: 'invoiceninja-0101', line_no: 1, kind: 'fixed_fee', amount: 1000 },
            { invoice_id: 'invoiceninja-0101', line_no: 2, kind: 'fixed_fee', amount: 20 },
            { invoice_id: 'invoiceninja-0102', line_no: 1, kind: 'fixed_fee', amount: 100 },
            { invoice_id: 'invoiceninja-0102', line_no: 2, kind: 'adjustment', amount: -10 },
            { invoice_id: 'invoiceninja-0103', line_no: 1, kind: 'fixed_fee', amount: 50 },
            { invoice_id: 'invoiceninja-0105', line_no: 1, kind: 'fixed_fee', amount: 40 },
        ]);
        // 1,020 + 90 + 50 + 40 = 1,200.00; payments 90.00 + 1,000.00 − the 50.00 refunded on 0101 = 1,040.00
        // (invoice 0999 rejected).
        expect(report.invoiced).toEqual({ USD: '1200.00' });
        expect(report.paid).toEqual({ USD: '1040.00' });
        expect(report.duplicates.map((d) => [path.basename(d.file), d.line])).toEqual([['invoiceninja-invoices.csv', 9]]);
        expect(report.rejects.map((r) => [path.basename(r.file), r.line, r.reason])).toEqual([
            ['invoiceninja-invoices.csv', 10, 'invoice date "2024-02-31" is not a date'],
            ['invoiceninja-payments.csv', 8, 'invoice 0999 is not in this import or the warehouse'],
        ]);
        // 0102 is due before it was issued: imported without a due date, and said so; the refund of 0101 (payments
        // line 7, 3/3) is taken off its payment of 3/2: 1,000.00 − 50.00 = 950.00.
        expect(report.notes.map((n) => [path.basename(n.file), n.line, n.reason])).toEqual([
            ['invoiceninja-invoices.csv', 7, "invoice 0102's due date 2024-02-10 is before its invoice date 2024-02-15: imported without a due date"],
            ['invoiceninja-payments.csv', 7, 'a refund of 50.00 on invoice 0101 on 2024-03-03: 50.00 off invoiceninja-0101-1 (2024-03-02), now 950.00'],
        ]);
        const invoices = await warehouse.all(`select invoice_id, client_id, issue_date::varchar as issue_date, due_date::varchar as due_date, currency, status from canonical.invoices order by 1`);
        expect(invoices.map((i) => [i.invoice_id, i.due_date, i.status, i.currency])).toEqual([
            ['invoiceninja-0101', '2024-03-02', 'issued', 'USD'],
            ['invoiceninja-0102', null, 'paid', 'USD'],
            ['invoiceninja-0103', '2024-03-20', 'issued', 'USD'],
            ['invoiceninja-0105', null, 'void', 'USD'],
        ]);
        // Month-first payment dates (2/29 has no 29th month); ids by invoice and order in the file.
        expect(await warehouse.all(`select payment_id, paid_date::varchar as paid_date, amount::double as amount from canonical.payments order by 1`)).toEqual([
            { payment_id: 'invoiceninja-0101-1', paid_date: '2024-03-02', amount: 950 },
            { payment_id: 'invoiceninja-0102-1', paid_date: '2024-02-29', amount: 90 },
        ]);
        // One billing-history project per client, closed, over its invoice dates (0104 rejected: Globex from 0105 only).
        expect(await warehouse.all(`select p.name, c.name as client, p.billing_model, p.status, p.start_date::varchar as s, p.end_date::varchar as e from canonical.projects p join canonical.clients c using (client_id) order by 1`)).toEqual([
            { name: 'Acme Corp — billing history', client: 'Acme Corp', billing_model: 'time_and_materials', status: 'closed', s: '2024-02-01', e: '2024-02-20' },
            { name: 'Globex — billing history', client: 'Globex', billing_model: 'time_and_materials', status: 'closed', s: '2024-02-21', e: '2024-02-21' },
        ]);
        expect(report.created_entities.map((e) => [e.kind, e.name])).toEqual([
            ['client', 'Acme Corp'],
            ['project', 'Acme Corp — billing history'],
            ['client', 'Globex'],
            ['project', 'Globex — billing history'],
        ]);
    });

    it('a second import of the same export changes nothing', async () => {
        await importBilling(warehouse, NINJA, { tool: 'invoiceninja' });
        const before = await snapshot(warehouse);
        const again = await importBilling(warehouse, NINJA, { tool: 'invoiceninja' });
        expect([again.status, again.invoices, again.payments, again.created_entities]).toEqual([
            'unchanged',
            { created: 0, updated: 0, unchanged: 4 },
            { created: 0, updated: 0, unchanged: 2 },
            [],
        ]);
        expect(await snapshot(warehouse)).toEqual(before);
    });

    it('a dry run says what would load and loads nothing', async () => {
        const report = await importBilling(warehouse, NINJA, { tool: 'invoiceninja', dryRun: true });
        expect([report.status, report.invoices.created, report.payments.created, report.created_entities.length]).toEqual(['dry_run', 4, 2, 4]);
        expect(await lines()).toEqual([]);
    });

    it('payments alone link to invoices already in the warehouse', async () => {
        await importBilling(warehouse, [NINJA[0]!], { tool: 'invoiceninja' });
        const report = await importBilling(warehouse, [NINJA[1]!], { tool: 'invoiceninja' });
        expect([report.payments.created, report.rejected]).toEqual([2, 1]);
    });
});

describe('FreshBooks: ";"-separated, decimal commas, tax, a negative discount line, a paid invoice', () => {
    it('imports net of tax and pays the paid invoice on its Date Paid', async () => {
        const report = await importBilling(warehouse, [FRESHBOOKS], { tool: 'auto' });
        expect(report.files[0]).toMatchObject({ tool: 'freshbooks', rows: 4, rejected: 1 });
        // 0000007: 1,440.00 − 240.00 VAT = 1,200.00 and −120.00 − (−20.00) = −100.00 (an adjustment); 0000008: 180.00.
        expect(await lines()).toEqual([
            { invoice_id: 'freshbooks-0000007', line_no: 1, kind: 'fixed_fee', amount: 1200 },
            { invoice_id: 'freshbooks-0000007', line_no: 2, kind: 'adjustment', amount: -100 },
            { invoice_id: 'freshbooks-0000008', line_no: 1, kind: 'fixed_fee', amount: 180 },
        ]);
        expect(report.invoiced).toEqual({ EUR: '1280.00' });
        // The paid invoice's net amount, 1,200.00 − 100.00 = 1,100.00, on 15 March.
        expect(await warehouse.all(`select payment_id, paid_date::varchar as d, amount::double as a from canonical.payments`)).toEqual([
            { payment_id: 'freshbooks-0000007-paid', d: '2024-03-15', a: 1100 },
        ]);
        expect(report.rejects.map((r) => [r.line, r.reason])).toEqual([[5, 'status "archived" is not a FreshBooks invoice status']]);
        expect(await warehouse.all(`select name, currency from canonical.clients`)).toEqual([{ name: 'Initech', currency: 'EUR' }]);
    });

    it('--no-create: an unknown client, then an unknown billing-history project, rejects the rows naming it', async () => {
        const none = await importBilling(warehouse, [FRESHBOOKS], { tool: 'freshbooks', create: false });
        expect(none.rejects.map((r) => [r.line, r.reason])).toEqual([
            [2, 'client "Initech" is not in the warehouse (not created: --no-create)'],
            [3, 'client "Initech" is not in the warehouse (not created: --no-create)'],
            [4, 'client "Initech" is not in the warehouse (not created: --no-create)'],
            [5, 'status "archived" is not a FreshBooks invoice status'],
        ]);
        expect(await lines()).toEqual([]);
        const dir = tempDir();
        fs.writeFileSync(path.join(dir, 'clients.csv'), 'client_id,name,currency\ncl-ini,INITECH,EUR\n');
        await ingestFiles(warehouse, [{ path: path.join(dir, 'clients.csv'), entity: 'clients', format: 'csv' }]);
        const noProject = await importBilling(warehouse, [FRESHBOOKS], { tool: 'freshbooks', create: false });
        expect(noProject.rejects[0]!.reason).toBe('project "INITECH — billing history" of client "INITECH" is not in the warehouse (not created: --no-create)');
        // With creation allowed, the client is found by name and only its project is created.
        const made = await importBilling(warehouse, [FRESHBOOKS], { tool: 'freshbooks' });
        expect(made.created_entities.map((e) => [e.kind, e.name])).toEqual([['project', 'INITECH — billing history']]);
        expect((await warehouse.all(`select distinct client_id from canonical.invoices`))).toEqual([{ client_id: 'cl-ini' }]);
    });
});

describe("Zoho: projects by name, hours, the invoice's discount and adjustment", () => {
    it('maps lines to the named project or the billing-history one, time lines with hours and rate', async () => {
        const report = await importBilling(warehouse, [ZOHO], { tool: 'auto' });
        expect(report.files[0]).toMatchObject({ tool: 'zoho', rows: 4, rejected: 1 });
        const got = await warehouse.all(
            `select l.invoice_id, l.line_no, p.name as project, l.kind, l.hours::double as hours, l.rate::double as rate, l.amount::double as amount
            from canonical.invoice_lines l join canonical.projects p using (project_id) order by 1, 2`,
        );
        // INV-10: 10 hrs × 100.00 = 1,000.00 on Website; Hosting 50.00 on the billing-history project; the invoice's
        // discount −25.00 and adjustment +5.00 on its first line's project: 1,030.00. INV-11: 1.5 hours × 90.00 = 135.00.
        expect(got).toEqual([
            { invoice_id: 'zoho-INV-10', line_no: 1, project: 'Website', kind: 'time', hours: 10, rate: 100, amount: 1000 },
            { invoice_id: 'zoho-INV-10', line_no: 2, project: 'Acme Corp — billing history', kind: 'fixed_fee', hours: null, rate: null, amount: 50 },
            { invoice_id: 'zoho-INV-10', line_no: 3, project: 'Website', kind: 'adjustment', hours: null, rate: null, amount: -25 },
            { invoice_id: 'zoho-INV-10', line_no: 4, project: 'Website', kind: 'adjustment', hours: null, rate: null, amount: 5 },
            { invoice_id: 'zoho-INV-11', line_no: 1, project: 'Website', kind: 'time', hours: 1.5, rate: 90, amount: 135 },
        ]);
        expect(report.invoiced).toEqual({ EUR: '1165.00' });
        expect(await warehouse.all(`select invoice_id, status from canonical.invoices order by 1`)).toEqual([
            { invoice_id: 'zoho-INV-10', status: 'paid' },
            { invoice_id: 'zoho-INV-11', status: 'draft' },
        ]);
        // Paid on its Last Payment Date, its net amount (tax excluded): 1,030.00.
        expect(await warehouse.all(`select payment_id, paid_date::varchar as d, amount::double as a from canonical.payments`)).toEqual([
            { payment_id: 'zoho-INV-10-paid', d: '2024-04-10', a: 1030 },
        ]);
        expect(report.rejects.map((r) => [r.line, r.reason])).toEqual([[5, 'status "Written Off" is not a Zoho invoice status']]);
        expect(report.created_entities.map((e) => [e.kind, e.name])).toEqual([
            ['client', 'Acme Corp'],
            ['project', 'Website'],
            ['project', 'Acme Corp — billing history'],
        ]);
        const again = await importBilling(warehouse, [ZOHO], { tool: 'zoho' });
        expect([again.status, again.invoices.unchanged, again.payments.unchanged]).toEqual(['unchanged', 2, 1]);
    });
});

describe('Wave: a ledger of journal lines with a blank-named column, tax, a discount and a payment', () => {
    it('takes the income lines as the invoice, the receivable credit as its payment net of tax, and skips the rest by line', async () => {
        const report = await importBilling(warehouse, [WAVE], { tool: 'auto' });
        expect(report.files[0]).toMatchObject({ tool: 'wave', kind: 'transactions', rows: 9, rejected: 1, skipped: 4 });
        // Invoice 7: 250.00 + 50.00 − the 20.00 discount = 280.00 net; the 28.00 of GST is left out.
        expect(await lines()).toEqual([
            { invoice_id: 'wave-7', line_no: 1, kind: 'fixed_fee', amount: 250 },
            { invoice_id: 'wave-7', line_no: 2, kind: 'fixed_fee', amount: 50 },
            { invoice_id: 'wave-7', line_no: 3, kind: 'adjustment', amount: -20 },
        ]);
        expect(report.invoiced).toEqual({ USD: '280.00' });
        // The 308.00 received × 280.00 net ÷ 308.00 with tax = 280.00.
        expect(await warehouse.all(`select payment_id, paid_date::varchar as d, amount::double as a from canonical.payments`)).toEqual([
            { payment_id: 'wave-7-1', d: '2024-05-20', a: 280 },
        ]);
        expect(report.notes.map((n) => [n.line, n.reason])).toEqual([[7, 'payment of 308.00 on invoice 7 (308.00 with tax, 280.00 net): 280.00 imported, net of tax']]);
        expect(report.skipped.map((n) => [n.line, n.reason])).toEqual([
            [5, 'sales tax (billed value is net of tax)'],
            [6, 'the receivable side of invoice 7 (its total)'],
            [8, 'the cash side of a payment or expense'],
            [9, 'not an invoice line or a payment (account "Office Supplies")'],
        ]);
        expect(report.rejects.map((r) => [r.line, r.reason])).toEqual([[10, 'transaction date "2024-05-32" is not a date']]);
        expect(await warehouse.all(`select invoice_id, status, currency from canonical.invoices`)).toEqual([{ invoice_id: 'wave-7', status: 'issued', currency: 'USD' }]);
    });

    it('an invoice number already in the warehouse for another client is refused, with its payments', async () => {
        await importBilling(warehouse, [WAVE], { tool: 'wave' });
        const other = path.join(tempDir(), 'other-account.csv');
        fs.writeFileSync(other, fs.readFileSync(WAVE, 'utf8').replaceAll('Acme Corp', 'Initech'));
        const report = await importBilling(warehouse, [other], { tool: 'wave' });
        expect(report.rejects.map((r) => [r.line, r.reason])).toEqual([
            [2, 'invoice 7 is already in the warehouse for client "Acme Corp"'],
            [3, 'invoice 7 is already in the warehouse for client "Acme Corp"'],
            [4, 'invoice 7 is already in the warehouse for client "Acme Corp"'],
            [7, 'its invoice is refused: invoice 7 is already in the warehouse for client "Acme Corp"'],
            [10, 'transaction date "2024-05-32" is not a date'],
        ]);
        expect([report.status, report.created_entities]).toEqual(['unchanged', []]);
    });

    it('a later export of an invoice with fewer lines is refused: an import never removes a line', async () => {
        await importBilling(warehouse, [WAVE], { tool: 'wave' });
        const shorter = path.join(tempDir(), 'shorter.csv');
        // Without the 20.00 discount (line 4): two income lines where the warehouse holds three.
        fs.writeFileSync(shorter, fs.readFileSync(WAVE, 'utf8').split('\n').filter((_, i) => i !== 3).join('\n'));
        const report = await importBilling(warehouse, [shorter], { tool: 'wave' });
        expect(report.rejects.slice(0, 1).map((r) => r.reason)).toEqual(['invoice 7 has 3 lines in the warehouse and 2 in this export: an import does not remove lines']);
        expect((await lines()).map((l) => l.amount)).toEqual([250, 50, -20]);
    });
});

describe('after an import the marts include the billing history', () => {
    it('realization and the funnel count issued and paid invoices as billed, payments as collected', async () => {
        const dir = tempDir();
        fs.writeFileSync(path.join(dir, 'settings.csv'), 'key,value\nreporting_currency,USD\nas_of,2024-12-31\n');
        await ingestFiles(warehouse, [{ path: path.join(dir, 'settings.csv'), entity: 'settings', format: 'csv' }]);
        await buildModels(warehouse);
        await importBilling(warehouse, NINJA, { tool: 'invoiceninja' });
        await buildModels(warehouse);
        // Billed: 0101 1,020.00 + 0102 90.00 + 0103 50.00 = 1,160.00 (0105 is void); collected 90.00 + 1,000.00
        // less the 50.00 refunded = 1,040.00.
        const realization = await warehouse.one<{ billed: number; collected: number }>(
            `select sum(billed_value)::double as billed, sum(collected_value)::double as collected from marts.fct_realization`,
        );
        expect(realization).toEqual({ billed: 1160, collected: 1040 });
        const funnel = await warehouse.one<{ billed: number; collected: number; uncollected: number }>(
            `select sum(billed_value)::double as billed, sum(collected_value)::double as collected, sum(uncollected_value)::double as uncollected from marts.fct_margin_funnel`,
        );
        // Uncollected: 1,160.00 − 1,040.00 = 120.00 (0101 is owed the refunded 50.00 again).
        expect(funnel).toEqual({ billed: 1160, collected: 1040, uncollected: 120 });
    });
});
