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
import { shown, type BillingReject, type SourcePayment, type ToolRead } from './documents.ts';
import { dateOrderOf, hasHeader, isoDate, moneyCents, readExport } from './read.ts';

const HEADER = ['Payment Number', 'Date', 'Customer Name', 'Amount', 'Invoice Number'];

export function isZohoPayments(file: string): boolean {
    return hasHeader(file, HEADER);
}

export function readZohoPayments(file: string, name: string): ToolRead {
    const f = readExport(file, name, 'Zoho Invoice payments', HEADER);
    const c = {
        number: f.col('Payment Number'),
        date: f.col('Date'),
        customer: f.col('Customer Name'),
        amount: f.col('Amount'),
        applied: f.col('Invoice Amount', 'Amount Applied to Invoice'),
        invoice: f.col('Invoice Number'),
        id: f.col('InvoicePayment ID', 'CustomerPayment ID'),
    };
    const order = dateOrderOf(f.records.map((r) => r.cells[c.date] ?? ''));
    const payments: SourcePayment[] = [];
    const rejects: BillingReject[] = [];
    const seen = new Map<string, number>();
    for (const r of f.records) {
        const cell = (i: number) => (i >= 0 ? (r.cells[i] ?? '').trim() : '');
        const invoice = cell(c.invoice);
        const given = c.applied >= 0 ? cell(c.applied) : cell(c.amount);
        const reject = (reason: string) => rejects.push({ file: f.name, line: r.line, reason, value: shown(cell(c.number), invoice, given, cell(c.date)) });
        const amount = moneyCents(given);
        const date = isoDate(cell(c.date), order);
        const id = cell(c.id) || cell(c.number);
        if (invoice === '') {
            reject(`payment ${cell(c.number)} is not applied to an invoice (an advance or unused amount): a payment is imported against the invoice it pays`);
            continue;
        }
        if (amount === null) {
            reject(`amount "${given}" is not an amount`);
            continue;
        }
        if (!date) {
            reject(`date "${cell(c.date)}" is not a date`);
            continue;
        }
        if (id === '') {
            reject('no payment id or number');
            continue;
        }
        const earlier = seen.get(`${invoice}\u0001${id}`);
        if (earlier !== undefined) {
            reject(`payment ${id} on invoice ${invoice} again (line ${earlier})`);
            continue;
        }
        seen.set(`${invoice}\u0001${id}`, r.line);
        payments.push({ file: f.name, line: r.line, number: invoice, client: cell(c.customer), paid_date: date, amount_cents: amount, source_id: id });
    }
    return { lines: [], payments, rejects, grossPayments: true, rows: f.records.length, kind: 'payments' };
}
