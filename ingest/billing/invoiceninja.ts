/**
 * Invoice Ninja v4's CSV exports: INVOICES (one row per item, the invoice's fields repeated), Payments and
 * CLIENTS, each after title lines ("Invoice Ninja v4.5.17 - …", a blank line, the section's name).
 *
 *   invoices  Client, Invoice Number, Amount (the invoice's total, `$13.50`), Status, Invoice Date, Due Date,
 *             Discount, Item Product, Item Notes, Item Cost, Item Quantity. A line's amount is Item Cost ×
 *             Item Quantity to the cent (the export names no unit, so the line is a priced item: kind
 *             fixed_fee). A Discount (an amount, or `n%` of the items) becomes an adjustment line of minus
 *             that much. The export carries no tax columns: amounts are the items' net prices.
 *   status    Draft → draft; Sent, Viewed, Approved, Partial, Unpaid, Overdue → issued; Paid → paid;
 *             Cancelled, Reversed → void. Another status is rejected naming it.
 *   payments  Client, Invoice Number, Amount, Date (the account's format: month-first unless a date's first
 *             part is above 12). A negative amount (`($400.00)`) is money given back: a refund, which
 *             payments.ts makes a credit note of the invoice.
 *   clients   Name, Balance, Paid to Date, the billing and shipping address, ID Number, VAT Number, Website,
 *             Phone, Currency, notes, then the first contact's First Name, Last Name, Email, Phone (v4.5's
 *             layout; v5 names the columns it exports the same way). The client is its Name, else its
 *             contact's first and last name (what the invoices export calls the Client), with its Currency.
 * The invoice number is the invoice's identity (invoice_id `invoiceninja-<number>`).
 */
import { UsageError } from '../files.ts';
import { clientListExport, type ClientListLayout } from './clients.ts';
import { shown, type BillingReject, type InvoiceStatus, type SourceLine, type SourcePayment, type ToolRead } from './documents.ts';
import { toolReader } from './exports.ts';
import LAYOUT from './invoiceninja.json' with { type: 'json' };
import { isoDate, lineCents, moneyCents, decimal, readExport } from './read.ts';
import { readRecords, type ExportRow, type InvoiceLayout } from './record.ts';

const CLIENTS: ClientListLayout = {
    title: 'Invoice Ninja clients',
    header: ['Name', 'Balance', 'Paid to Date'],
    name: (cell) => cell('Name') || `${cell('First Name')} ${cell('Last Name')}`.trim(),
    currency: 'Currency',
};

const STATUS: Record<string, InvoiceStatus> = {
    draft: 'draft',
    sent: 'issued',
    viewed: 'issued',
    approved: 'issued',
    partial: 'issued',
    unpaid: 'issued',
    overdue: 'issued',
    paid: 'paid',
    cancelled: 'void',
    canceled: 'void',
    reversed: 'void',
};

const INVOICES: InvoiceLayout = { noClient: 'no client', issue: 'invoice date', statuses: STATUS, status: 'an Invoice Ninja invoice status' };

export const INVOICE_NINJA = toolReader(
    [
        { kind: LAYOUT.invoices, read: readInvoices },
        // A ledger's transactions (Wave's) hold these columns too.
        { kind: LAYOUT.payments, read: readPayments, notDetectedWith: ['Transaction ID'] },
        clientListExport(CLIENTS),
    ],
    (_file, name) => {
        throw new UsageError(
            `${name}: not an Invoice Ninja v4 invoices, payments or clients export: no header with ${LAYOUT.invoices.header.join(', ')}, ${LAYOUT.payments.header.join(', ')} or ${CLIENTS.header.join(', ')}`,
        );
    },
);

function readInvoices(file: string, name: string): ToolRead {
    const f = readExport(file, name, LAYOUT.invoices);
    const c = f.columns(LAYOUT.invoices.columns);
    const lines: SourceLine[] = [];
    const rejects: BillingReject[] = [];
    const discounts = new Map<string, { line: number; cell: string; first: SourceLine }>();
    // A record without an invoice number is named by its client alone.
    const key = (row: ExportRow) => (row.cell(c.number) === '' ? [] : [row.cell(c.number)]);
    readRecords(f, { order: f.dateOrder(c.issue, c.due), rejects, key }, (row) => {
        const cell = (i: number) => row.cell(i);
        const head = row.invoiceHead(c, INVOICES);
        const cost = decimal(cell(c.cost).replace(/[$€£¥]/g, ''));
        const quantity = decimal(cell(c.quantity));
        row.check(cost !== null && quantity !== null, `item cost "${cell(c.cost)}" × quantity "${cell(c.quantity)}" is not an amount`, cell(c.cost), cell(c.quantity));
        const line = row.invoiceLine({
            ...head,
            amount_cents: lineCents(quantity!, cost!),
            invoice_total_cents: moneyCents(cell(c.amount)),
        });
        lines.push(line);
        const discount = cell(c.discount);
        if (discount !== '' && !discounts.has(head.number) && (moneyCents(discount.replace('%', '')) ?? 0) !== 0) discounts.set(head.number, { line: row.line, cell: discount, first: line });
    });
    for (const [number, d] of discounts) {
        const items = lines.filter((l) => l.number === number).reduce((s, l) => s + l.amount_cents, 0);
        const off = d.cell.endsWith('%') ? Math.round((items * (moneyCents(d.cell.replace('%', '')) ?? 0)) / 10_000) : moneyCents(d.cell);
        if (off === null) {
            rejects.push({ file: f.name, line: d.line, reason: `discount "${d.cell}" is not an amount or a percentage`, value: shown(number, d.cell) });
            continue;
        }
        lines.push({ ...d.first, kind: 'adjustment', amount_cents: -off, text: `discount\u0001${d.cell}` });
    }
    return { lines, payments: [], rejects, rows: f.records.length, kind: 'invoices' };
}

function readPayments(file: string, name: string): ToolRead {
    const f = readExport(file, name, LAYOUT.payments);
    const c = f.columns(LAYOUT.payments.columns);
    const payments: SourcePayment[] = [];
    const rejects: BillingReject[] = [];
    const order = f.dateOrder(c.date);
    const key = (row: ExportRow) => [row.cell(c.number), row.cell(c.amount), row.cell(c.date)];
    readRecords(f, { order, rejects, key }, (row) => {
        row.check(row.cell(c.number) !== '', 'no invoice number');
        const amount = moneyCents(row.cell(c.amount));
        row.check(amount !== null, `amount "${row.cell(c.amount)}" is not an amount`);
        const date = isoDate(row.cell(c.date), order);
        row.check(date !== null, `date "${row.cell(c.date)}" is not a date`);
        payments.push({ file: f.name, line: row.line, number: row.cell(c.number), client: row.cell(c.client), paid_date: date!, amount_cents: amount! });
    });
    return { lines: [], payments, rejects, rows: f.records.length, kind: 'payments' };
}
