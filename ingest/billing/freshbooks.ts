/**
 * FreshBooks' invoice export (Reports → Invoice Details, one row per line item, the invoice's fields repeated):
 * Client Name, Invoice #, Date Issued, Invoice Status, Date Paid, Item Name, Item Description, Rate, Quantity,
 * Discount Percentage, Line Subtotal, Tax 1 Amount, Tax 2 Amount, Line Total, Currency.
 *
 *   amount    the line's net amount: Line Total less its taxes (Tax 1 Amount + Tax 2 Amount), so after the
 *             line's discount and before tax — billed value is net of tax, as standard value is. Without a
 *             Line Total, Line Subtotal. A line below zero is an adjustment; others are priced items
 *             (fixed_fee: the export names no unit, so its quantity is not known to be hours).
 *   status    draft → draft; sent, viewed, disputed, partial, overdue, outstanding, retry, failed → issued;
 *             paid, auto-paid → paid; another is rejected naming it.
 *   payments  the export has no payments: a paid invoice with a Date Paid gets one payment of its net amount
 *             on that date (id `freshbooks-<number>-paid`); a partial payment cannot be told from this file.
 *   currency  the Currency column, else the client's, else the firm's reporting currency.
 * The Invoice # is the invoice's identity (invoice_id `freshbooks-<number>`, leading zeros kept).
 *
 * Its clients export (Organization, First Name, Last Name, Email, Phone, Street, City, Province/State, Country,
 * Postal Code, Notes): the client is its Organization, which is what the invoices call the Client Name, else
 * its contact's First Name and Last Name; the export has no currency (a Currency column is read if present).
 */
import { clientListExport, type ClientListLayout } from './clients.ts';
import { type BillingReject, type InvoiceStatus, type SourceLine, type ToolRead } from './documents.ts';
import { toolReader } from './exports.ts';
import LAYOUT from './freshbooks.json' with { type: 'json' };
import { moneyCents, readExport } from './read.ts';
import { readRecords, type InvoiceLayout } from './record.ts';

const STATUS: Record<string, InvoiceStatus> = {
    draft: 'draft',
    sent: 'issued',
    viewed: 'issued',
    disputed: 'issued',
    partial: 'issued',
    overdue: 'issued',
    outstanding: 'issued',
    retry: 'issued',
    failed: 'issued',
    paid: 'paid',
    'auto-paid': 'paid',
    'auto paid': 'paid',
};

const INVOICES: InvoiceLayout = { noClient: 'no client', issue: 'date issued', statuses: STATUS, status: 'a FreshBooks invoice status' };

const CLIENTS: ClientListLayout = {
    title: 'FreshBooks clients',
    header: ['Organization', 'First Name', 'Last Name', 'Email'],
    name: (cell) => cell('Organization') || `${cell('First Name')} ${cell('Last Name')}`.trim(),
    currency: 'Currency',
};

export const FRESHBOOKS = toolReader([
    { kind: LAYOUT.invoices, read: readInvoices },
    clientListExport(CLIENTS),
]);

function readInvoices(file: string, name: string): ToolRead {
    const f = readExport(file, name, LAYOUT.invoices);
    const c = f.columns(LAYOUT.invoices.columns);
    const lines: SourceLine[] = [];
    const rejects: BillingReject[] = [];
    readRecords(f, { order: f.dateOrder(c.issue, c.paid), rejects, key: (row) => [row.cell(c.number)] }, (row) => {
        const head = row.invoiceHead(c, INVOICES);
        const paid = row.optionalDate(c.paid, 'date paid');
        const [tax1, tax2] = [row.cell(c.tax1), row.cell(c.tax2)];
        const given = row.cell(c.total) !== '' ? row.cell(c.total) : row.cell(c.subtotal);
        const gross = moneyCents(given);
        const taxes = [tax1, tax2].map((t) => (t === '' ? 0 : moneyCents(t)));
        row.check(gross !== null && taxes.every((t) => t !== null), `line total "${given}" or its taxes ("${tax1}", "${tax2}") is not an amount`, given, tax1, tax2);
        const amount = row.cell(c.total) !== '' ? gross! - taxes.reduce<number>((s, t) => s + t!, 0) : gross!;
        lines.push(
            row.invoiceLine({
                ...head,
                currency: row.cell(c.currency).toUpperCase() || null,
                amount_cents: amount,
                paid_date: head.status === 'paid' ? paid : null,
            }),
        );
    });
    return { lines, payments: [], rejects, rows: f.records.length, kind: 'invoices' };
}
