/**
 * Zoho's write-offs and payments export, and client lists, on hand-made exports (test/fixtures/billing-settlements/,
 * test/fixtures/billing-edge/invoiceninja-clients.csv), each figure worked out by hand below.
 *
 * Where the layouts come from:
 *   zoho-payments.csv         Zoho Invoice's Payments Received export, its 21 columns in Zoho's order as a real
 *                             export holds them (Payment Number, CustomerPayment ID, Mode, CustomerID, …,
 *                             InvoicePayment ID, Invoice Amount, Withholding Tax Amount, Invoice Number): one row per
 *                             invoice a payment is applied to. Values are made up.
 *   zoho-invoices-writeoffs   Zoho's invoices export, the columns the importer reads in Zoho's order, with its
 *                             WriteOff Date, WriteOff Exchange Rate and WriteOff Amount.
 *   invoiceninja-clients.csv  Invoice Ninja v4.5.17's CLIENTS export: its three title lines and its 26 columns
 *                             (Name, Balance, Paid to Date, billing and shipping address, …, Currency, …, the first
 *                             contact's First Name, Last Name, Email, Phone), as invoiceninja/invoiceninja's
 *                             tests/Feature/Import/clients.csv holds them. Values are made up.
 */
import path from 'node:path';
import fs from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { detectBillingTool, importBilling } from '../../../ingest/billing/run.ts';
import { ingestFiles } from '../../../ingest/canonical.ts';
import { buildModels } from '../../../warehouse/models.ts';
import { Warehouse } from '../../../warehouse/warehouse.ts';
import { snapshot, tempDir } from '../../helpers/fixtures.ts';

const dir = path.resolve(import.meta.dirname, '../../fixtures/billing-settlements');
const ZOHO_INVOICES = path.join(dir, 'zoho-invoices-writeoffs.csv');
const ZOHO_PAYMENTS = path.join(dir, 'zoho-payments.csv');
const NINJA_CLIENTS = path.resolve(import.meta.dirname, '../../fixtures/billing-edge/invoiceninja-clients.csv');
const NINJA_INVOICES = path.resolve(import.meta.dirname, '../../fixtures/billing-edge/invoiceninja-invoices.csv');

let warehouse: Warehouse;
beforeEach(async () => {
    warehouse = await Warehouse.open(':memory:');
});
afterEach(() => warehouse.close());

const creditNotes = () =>
    warehouse.all(`select credit_note_id, invoice_id, issue_date::varchar as issue_date, amount::double as amount, reason from canonical.credit_notes order by 1`);
const payments = () => warehouse.all(`select payment_id, paid_date::varchar as paid_date, amount::double as amount from canonical.payments order by 1`);
const base = (rows: { file: string; line: number | null; reason: string }[]) => rows.map((r) => [path.basename(r.file), r.line, r.reason]);

describe('Zoho: write-offs are credit notes, the payments export pays invoices net of tax', () => {
    it('imports the invoices with their write-offs and the payments applied to them, reporting the rest by line', async () => {
        expect([detectBillingTool(ZOHO_INVOICES), detectBillingTool(ZOHO_PAYMENTS)]).toEqual(['zoho', 'zoho']);
        const report = await importBilling(warehouse, [ZOHO_INVOICES, ZOHO_PAYMENTS], { tool: 'auto' });
        expect(report.ok).toBe(true);
        expect(report.files.map((f) => [path.basename(f.file), f.kind, f.rows, f.rejected])).toEqual([
            ['zoho-invoices-writeoffs.csv', 'invoices', 4, 1],
            ['zoho-payments.csv', 'payments', 5, 2],
        ]);
        // Lines: INV-20 10 h × 100.00 = 1,000.00; INV-21 500.00; INV-22 3 h × 100.00 = 300.00; INV-23 100.00 → 1,900.00.
        expect(report.invoiced).toEqual({ EUR: '1900.00' });
        // INV-20 wrote off 238.00 of its 1,190.00 with tax (1,000.00 net): 238 × 1,000 ÷ 1,190 = 200.00 net, on
        // 2024-07-31; INV-22 wrote off its whole 300.00 (no tax) on 2024-08-15. INV-23's write-off date 2024-13-01
        // is no date: rejected, the invoice loads. Credited 200.00 + 300.00 = 500.00.
        expect(await creditNotes()).toEqual([
            { credit_note_id: 'zoho-INV-20-writeoff', invoice_id: 'zoho-INV-20', issue_date: '2024-07-31', amount: 200, reason: 'dispute' },
            { credit_note_id: 'zoho-INV-22-writeoff', invoice_id: 'zoho-INV-22', issue_date: '2024-08-15', amount: 300, reason: 'dispute' },
        ]);
        expect([report.credit_notes, report.credited]).toEqual([{ created: 2, updated: 0, unchanged: 0 }, { EUR: '500.00' }]);
        // Payments by the tool's InvoicePayment ID: INV-20's 952.00 with tax is 952 × 1,000 ÷ 1,190 = 800.00 net;
        // INV-21 300.00 (payment 2's share; its other 200.00 is applied to INV-99, unknown) and 200.00.
        // Paid 800 + 300 + 200 = 1,300.00. The paid invoices need no payment of their own: INV-20 1,000 − 200
        // credited − 800 paid = 0, INV-21 500 − 500 = 0.
        expect(await payments()).toEqual([
            { payment_id: 'zoho-INV-20-p4100000000000003011', paid_date: '2024-06-10', amount: 800 },
            { payment_id: 'zoho-INV-21-p4100000000000003021', paid_date: '2024-06-05', amount: 300 },
            { payment_id: 'zoho-INV-21-p4100000000000003031', paid_date: '2024-06-20', amount: 200 },
        ]);
        expect(report.paid).toEqual({ EUR: '1300.00' });
        expect(base(report.rejects)).toEqual([
            ['zoho-invoices-writeoffs.csv', 5, 'write-off of 100.00 on invoice INV-23: its date "2024-13-01" is not a date'],
            ['zoho-payments.csv', 4, 'invoice INV-99 is not in this import or the warehouse'],
            ['zoho-payments.csv', 6, 'payment 4 is not applied to an invoice (an advance or unused amount): a payment is imported against the invoice it pays'],
        ]);
        expect(base(report.notes)).toEqual([
            ['zoho-invoices-writeoffs.csv', 2, 'write-off of 238.00 on invoice INV-20 (1190.00 with tax, 1000.00 net): 200.00 credited, net of tax'],
            ['zoho-payments.csv', 2, 'payment of 952.00 on invoice INV-20 (1190.00 with tax, 1000.00 net): 800.00 imported, net of tax'],
        ]);
    });

    it('the funnel sees the write-offs as credited: billed 1,900 − credited 500 − collected 1,300 = 100 uncollected', async () => {
        const scratch = tempDir();
        fs.writeFileSync(path.join(scratch, 'settings.csv'), 'key,value\nreporting_currency,EUR\nas_of,2024-12-31\n');
        await ingestFiles(warehouse, [{ path: path.join(scratch, 'settings.csv'), entity: 'settings', format: 'csv' }]);
        await importBilling(warehouse, [ZOHO_INVOICES, ZOHO_PAYMENTS], { tool: 'zoho' });
        await buildModels(warehouse);
        // All four invoices are issued or paid (Paid, Paid, Closed, Overdue): billed 1,900.00; credited the two
        // write-offs 500.00; collected 1,300.00; uncollected INV-23's 100.00.
        const funnel = await warehouse.one(
            `select sum(billed_value)::double as billed, sum(credited_value)::double as credited, sum(collected_value)::double as collected, sum(uncollected_value)::double as uncollected from marts.fct_margin_funnel`,
        );
        expect(funnel).toEqual({ billed: 1900, credited: 500, collected: 1300, uncollected: 100 });
    });

    it('importing the same exports again changes nothing', async () => {
        await importBilling(warehouse, [ZOHO_INVOICES, ZOHO_PAYMENTS], { tool: 'zoho' });
        const before = await snapshot(warehouse);
        const again = await importBilling(warehouse, [ZOHO_INVOICES, ZOHO_PAYMENTS], { tool: 'zoho' });
        expect([again.status, again.invoices, again.payments, again.credit_notes]).toEqual([
            'unchanged',
            { created: 0, updated: 0, unchanged: 4 },
            { created: 0, updated: 0, unchanged: 3 },
            { created: 0, updated: 0, unchanged: 2 },
        ]);
        expect(await snapshot(warehouse)).toEqual(before);
    });

    it('the payments export after the invoices: a paid invoice is not paid twice', async () => {
        const first = await importBilling(warehouse, [ZOHO_INVOICES], { tool: 'zoho' });
        // Alone, a paid invoice is paid on its Last Payment Date what its write-off leaves: INV-20 1,000 − 200 = 800.00
        // on 2024-06-10; INV-21 500.00 on 2024-06-20.
        expect(first.paid).toEqual({ EUR: '1300.00' });
        const later = await importBilling(warehouse, [ZOHO_PAYMENTS], { tool: 'zoho' });
        // The listed payments come in (INV-20's 952.00 as paid: this import does not hold its Total), and each
        // invoice's own payment falls to what they leave: INV-20 1,000 − 200 − 952 < 0 → 0; INV-21 500 − 500 = 0.
        expect([later.payments, later.paid]).toEqual([{ created: 3, updated: 2, unchanged: 0 }, { EUR: '1452.00' }]);
        expect(await payments()).toEqual([
            { payment_id: 'zoho-INV-20-p4100000000000003011', paid_date: '2024-06-10', amount: 952 },
            { payment_id: 'zoho-INV-20-paid', paid_date: '2024-06-10', amount: 0 },
            { payment_id: 'zoho-INV-21-p4100000000000003021', paid_date: '2024-06-05', amount: 300 },
            { payment_id: 'zoho-INV-21-p4100000000000003031', paid_date: '2024-06-20', amount: 200 },
            { payment_id: 'zoho-INV-21-paid', paid_date: '2024-06-20', amount: 0 },
        ]);
        const asPaid = (n: string, amount: string) => `invoice ${n} is not in this import: its payment of ${amount} is imported as paid, tax included (imported with the invoices export, it is taken net of tax)`;
        expect(base(later.notes)).toEqual([
            ['zoho-payments.csv', 2, asPaid('INV-20', '952.00')],
            ['zoho-payments.csv', 3, asPaid('INV-21', '300.00')],
            ['zoho-payments.csv', 5, asPaid('INV-21', '200.00')],
        ]);
    });
});

describe('client lists', () => {
    it("Invoice Ninja's clients export: created with their currency, a known client updated, the rest reported by line", async () => {
        await importBilling(warehouse, [NINJA_INVOICES], { tool: 'invoiceninja' });
        expect(detectBillingTool(NINJA_CLIENTS)).toBe('invoiceninja');
        const report = await importBilling(warehouse, [NINJA_CLIENTS], { tool: 'auto' });
        expect(report.files.map((f) => [f.kind, f.rows, f.rejected, f.skipped])).toEqual([['clients', 5, 1, 1]]);
        // Acme Corp is known (from the invoices, in the firm's USD): the list's EUR updates it. Initech has no
        // currency: created in USD. The row with no Name is its contact, Peter Gibbons. "euro" is no ISO code;
        // "acme corp" is Acme Corp again (line 5).
        expect(report.clients).toEqual({ created: 2, updated: 1, unchanged: 0 });
        expect(await warehouse.all(`select name, currency from canonical.clients order by name`)).toEqual([
            { name: 'Acme Corp', currency: 'EUR' },
            { name: 'Globex', currency: 'USD' },
            { name: 'Initech', currency: 'USD' },
            { name: 'Peter Gibbons', currency: 'USD' },
        ]);
        expect(base(report.rejects)).toEqual([['invoiceninja-clients.csv', 8, 'currency "EURO" is not a 3-letter ISO code']]);
        expect(base(report.skipped)).toEqual([['invoiceninja-clients.csv', 9, 'client "acme corp" again (line 5)']]);
        // Audited: the run and the client's currency before and after.
        const audit = await warehouse.one<{ after: string }>(`select after::varchar as after from audit.events where action = 'import' order by event_id desc limit 1`);
        expect(JSON.parse(audit!.after).updated_clients).toEqual([{ client_id: expect.any(String), before: { currency: 'USD' }, after: { currency: 'EUR' } }]);
        const again = await importBilling(warehouse, [NINJA_CLIENTS], { tool: 'invoiceninja' });
        expect([again.status, again.clients]).toEqual(['unchanged', { created: 0, updated: 0, unchanged: 3 }]);
    });

    it('--no-create: a list only updates known clients and rejects the unknown ones naming them', async () => {
        const report = await importBilling(warehouse, [NINJA_CLIENTS], { tool: 'invoiceninja', create: false });
        expect(report.clients).toEqual({ created: 0, updated: 0, unchanged: 0 });
        expect(base(report.rejects).map((r) => r[1])).toEqual([5, 6, 7, 8]);
        expect(report.rejects[0]!.reason).toBe('client "Acme Corp" is not in the warehouse (not created: --no-create)');
    });

    it("Zoho's contacts skip a vendor; FreshBooks' clients without an Organization are their contact", async () => {
        const scratch = tempDir();
        const contacts = path.join(scratch, 'contacts.csv');
        // Zoho's contacts export, the columns read in Zoho's order (Display Name, Company Name, Currency Code, …, Contact Type).
        fs.writeFileSync(
            contacts,
            'Display Name,Company Name,Currency Code,Status,Customer Name,Contact Type\n' +
                'Acme Corp,Acme Corporation,eur,Active,Acme Corp,customer\n' +
                'Paper Supplier,Paper Supplier Ltd,EUR,Active,Paper Supplier,vendor\n',
        );
        const people = path.join(scratch, 'clients.csv');
        fs.writeFileSync(people, 'Organization,First Name,Last Name,Email,Phone\n,Jane,Doe,jane@example.org,\n');
        const report = await importBilling(warehouse, [contacts, people], { tool: 'auto' });
        expect(report.files.map((f) => [f.tool, f.kind, f.rows, f.skipped])).toEqual([
            ['zoho', 'clients', 2, 1],
            ['freshbooks', 'clients', 1, 0],
        ]);
        expect(report.skipped.map((r) => [r.line, r.reason])).toEqual([[3, 'a vendor (Contact Type), not a client']]);
        expect(await warehouse.all(`select name, currency from canonical.clients order by name`)).toEqual([
            { name: 'Acme Corp', currency: 'EUR' },
            { name: 'Jane Doe', currency: 'USD' },
        ]);
    });
});

describe('refunds', () => {
    it('a refund larger than what the import pays its invoice by then is rejected, and nothing is taken off', async () => {
        const scratch = tempDir();
        const refunds = path.join(scratch, 'payments.csv');
        // 0101 is paid 1,000.00 on 3/2; a refund of 1,200.00 on 3/3 exceeds it; one of 30.00 on 3/1 comes before it.
        fs.writeFileSync(refunds, 'Client,Invoice Number,Amount,Date\nAcme Corp,0101,"$1,000.00",3/2/2024\nAcme Corp,0101,"($1,200.00)",3/3/2024\nAcme Corp,0101,($30.00),3/1/2024\n');
        const report = await importBilling(warehouse, [NINJA_INVOICES, refunds], { tool: 'invoiceninja' });
        expect(base(report.rejects.filter((r) => r.file === refunds))).toEqual([
            ['payments.csv', 3, 'a refund of 1200.00 on invoice 0101, more than the 1000.00 this import pays it by 2024-03-03: a payment is never below zero'],
            ['payments.csv', 4, 'a refund of 30.00 on invoice 0101, more than the 0.00 this import pays it by 2024-03-01: a payment is never below zero'],
        ]);
        expect(report.paid).toEqual({ USD: '1000.00' });
    });
});
