/**
 * Zoho Invoice's payments export (Payments Received → Export): one row per invoice a payment is applied to, the
 * payment's fields repeated. Its columns, as Zoho Invoice writes them: Payment Number, CustomerPayment ID, Mode,
 * CustomerID, Description, Exchange Rate, Amount, Unused Amount, Bank Charges, Reference Number, Currency Code,
 * Payment Number Prefix, Payment Number Suffix, Customer Name, Payment Type, Date, Template Name, InvoicePayment
 * ID, Invoice Amount, Withholding Tax Amount, Invoice Number. Zoho Books writes the applied amount as "Amount
 * Applied to Invoice" and has no InvoicePayment ID; both are read.
 *
 *   payment   each row is a payment of its Invoice Number on its Date, of the amount applied to that invoice
 *             (Invoice Amount, or Amount Applied to Invoice; Amount, the whole payment, when neither is there).
 *             Its id is the tool's own: InvoicePayment ID, else CustomerPayment ID, else Payment Number
 *             (payment_id `zoho-<invoice number>-p<id>`), so importing the export again changes nothing. The
 *             same id on the same invoice again is rejected naming the line that holds it.
 *   unapplied a row with no Invoice Number (an advance, the payment's unused amount) pays no invoice: a canonical
 *             payment pays one, so it is rejected saying so.
 *   refund    an amount below zero is money given back: payments.ts makes it a credit note of the invoice.
 *   tax       the amounts are what the client paid, tax included; payments.ts takes them net of tax with the
 *             invoice's Total from the invoices export imported with them. A payment of an invoice imported
 *             earlier is imported as paid, and a note says so.
 *   currency  the invoice's (Zoho applies a payment in its invoice's currency); the Exchange Rate, Bank Charges
 *             (what the bank kept, not what the client owed) and Withholding Tax Amount are not used.
 */
import { type BillingReject, type SourcePayment, type ToolRead } from './documents.ts';
import type { ToolExport } from './exports.ts';
import { isoDate, moneyCents, readExport } from './read.ts';
import { readRecords, type ExportRow } from './record.ts';
import LAYOUT from './zoho.json' with { type: 'json' };

export const ZOHO_PAYMENTS: ToolExport = { kind: LAYOUT.payments, read: readPayments };

function readPayments(file: string, name: string): ToolRead {
    const f = readExport(file, name, LAYOUT.payments);
    const c = f.columns(LAYOUT.payments.columns);
    const order = f.dateOrder(c.date);
    const payments: SourcePayment[] = [];
    const rejects: BillingReject[] = [];
    const seen = new Map<string, number>();
    const given = (row: ExportRow) => (c.applied >= 0 ? row.cell(c.applied) : row.cell(c.amount));
    const key = (row: ExportRow) => [row.cell(c.number), row.cell(c.invoice), given(row), row.cell(c.date)];
    readRecords(f, { order, rejects, key }, (row) => {
        const invoice = row.cell(c.invoice);
        const amount = moneyCents(given(row));
        const date = isoDate(row.cell(c.date), order);
        const id = row.cell(c.id) || row.cell(c.number);
        row.check(invoice !== '', `payment ${row.cell(c.number)} is not applied to an invoice (an advance or unused amount): a payment is imported against the invoice it pays`);
        row.check(amount !== null, `amount "${given(row)}" is not an amount`);
        row.check(date !== null, `date "${row.cell(c.date)}" is not a date`);
        row.check(id !== '', 'no payment id or number');
        const earlier = seen.get(`${invoice}\u0001${id}`);
        row.check(earlier === undefined, `payment ${id} on invoice ${invoice} again (line ${earlier})`);
        seen.set(`${invoice}\u0001${id}`, row.line);
        payments.push({ file: f.name, line: row.line, number: invoice, client: row.cell(c.customer), paid_date: date!, amount_cents: amount!, source_id: id });
    });
    return { lines: [], payments, rejects, grossPayments: true, rows: f.records.length, kind: 'payments' };
}
