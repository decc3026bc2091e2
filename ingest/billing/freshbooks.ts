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
import { readClientList, type ClientListLayout } from './clients.ts';
import { shown, type BillingReject, type InvoiceStatus, type SourceLine, type ToolRead } from './documents.ts';
import { dateOrderOf, hasHeader, isoDate, moneyCents, readExport } from './read.ts';

const HEADER = ['Client Name', 'Invoice #', 'Date Issued', 'Invoice Status', 'Line Total'];

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

const CLIENTS: ClientListLayout = {
    title: 'FreshBooks clients',
    header: ['Organization', 'First Name', 'Last Name', 'Email'],
    name: (cell) => cell('Organization') || `${cell('First Name')} ${cell('Last Name')}`.trim(),
    currency: 'Currency',
};

export function isFreshBooks(file: string): boolean {
    return hasHeader(file, HEADER) || hasHeader(file, CLIENTS.header);
}

export function readFreshBooks(file: string, name: string): ToolRead {
    if (!hasHeader(file, HEADER) && hasHeader(file, CLIENTS.header)) return readClientList(file, name, CLIENTS);
    const f = readExport(file, name, 'FreshBooks invoice', HEADER);
    const c = {
        client: f.col('Client Name'),
        number: f.col('Invoice #'),
        issue: f.col('Date Issued'),
        status: f.col('Invoice Status'),
        paid: f.col('Date Paid'),
        subtotal: f.col('Line Subtotal'),
        tax1: f.col('Tax 1 Amount'),
        tax2: f.col('Tax 2 Amount'),
        total: f.col('Line Total'),
        currency: f.col('Currency'),
    };
    const order = dateOrderOf(f.records.flatMap((r) => [r.cells[c.issue] ?? '', r.cells[c.paid] ?? '']));
    const lines: SourceLine[] = [];
    const rejects: BillingReject[] = [];
    for (const r of f.records) {
        const cell = (i: number) => (i >= 0 ? (r.cells[i] ?? '').trim() : '');
        const number = cell(c.number);
        const reject = (reason: string, ...values: string[]) => rejects.push({ file: f.name, line: r.line, reason, value: shown(number, ...values) });
        if (number === '') {
            reject('no invoice number', cell(c.client));
            continue;
        }
        if (cell(c.client) === '') {
            reject('no client');
            continue;
        }
        const issue = isoDate(cell(c.issue), order);
        if (!issue) {
            reject(`date issued "${cell(c.issue)}" is not a date`, cell(c.issue));
            continue;
        }
        const status = STATUS[cell(c.status).toLowerCase()];
        if (!status) {
            reject(`status "${cell(c.status)}" is not a FreshBooks invoice status`, cell(c.status));
            continue;
        }
        const paid = cell(c.paid) === '' ? null : isoDate(cell(c.paid), order);
        if (cell(c.paid) !== '' && !paid) {
            reject(`date paid "${cell(c.paid)}" is not a date`, cell(c.paid));
            continue;
        }
        const given = cell(c.total) !== '' ? cell(c.total) : cell(c.subtotal);
        const gross = moneyCents(given);
        const taxes = [cell(c.tax1), cell(c.tax2)].map((t) => (t === '' ? 0 : moneyCents(t)));
        if (gross === null || taxes.some((t) => t === null)) {
            reject(`line total "${given}" or its taxes ("${cell(c.tax1)}", "${cell(c.tax2)}") is not an amount`, given, cell(c.tax1), cell(c.tax2));
            continue;
        }
        const amount = cell(c.total) !== '' ? gross - taxes.reduce<number>((s, t) => s + t!, 0) : gross;
        lines.push({
            file: f.name,
            line: r.line,
            number,
            client: cell(c.client),
            issue_date: issue,
            due_date: null,
            status,
            currency: cell(c.currency).toUpperCase() || null,
            project: null,
            kind: amount < 0 ? 'adjustment' : 'fixed_fee',
            hours: null,
            rate_cents: null,
            amount_cents: amount,
            invoice_total_cents: null,
            text: r.cells.join('\u0001'),
            paid_date: status === 'paid' ? paid : null,
        });
    }
    return { lines, payments: [], rejects, rows: f.records.length, kind: 'invoices' };
}
