/**
 * Zoho Invoice's (and Zoho Books') invoice export: one row per line item, the invoice's ~80 fields repeated:
 * Invoice Date, Invoice Number, Invoice Status, Customer Name, Due Date, Currency Code, Item Name, Quantity,
 * Usage unit, Item Price, Project Name, Item Total, SubTotal, Total, Entity Discount Amount, Shipping Charge,
 * Adjustment, Round Off, Last Payment Date, WriteOff Date, WriteOff Exchange Rate, WriteOff Amount. Its
 * payments export is read by zoho-payments.ts; its contacts export is a client list (below).
 *
 *   amount    Item Total: quantity × price less the item's discount, before tax (billed value is net of tax).
 *             The invoice's own charges and reductions outside its items — Entity Discount Amount (as minus),
 *             Shipping Charge, Adjustment, Round Off — are one adjustment line each when not zero, so the
 *             lines add up to the invoice's net total (Total less its taxes).
 *   kind      time when the Usage unit says hours (h, hr, hrs, hour, hours): hours = Quantity, rate = Item
 *             Price; else a priced item (fixed_fee); below zero, an adjustment.
 *   project   Project Name, by name within the customer; empty → the customer's billing-history project.
 *   status    Draft, Pending Approval → draft; Approved, Sent, Viewed, Unpaid, Overdue, Partially Paid →
 *             issued; Paid, Closed → paid; Void → void; another is rejected naming it.
 *   payments  the export has none: a paid invoice with a Last Payment Date gets one payment of what its net
 *             amount leaves after its write-off and listed payments, on that date (id `zoho-<number>-paid`,
 *             payments.ts); the payments export gives them one by one.
 *   write-off a WriteOff Amount other than zero is written off the invoice on its WriteOff Date: a credit note
 *             `zoho-<number>-writeoff`, so the funnel's "disputes and write-offs" leak holds it. Zoho writes off
 *             the balance due, tax included: the credit note is net of tax like the invoice's lines, the amount
 *             × the invoice's net ÷ its Total, to the cent (a note says so when they differ). Its reason is
 *             dispute: the canonical reasons are dispute, discount and error, and a write-off is an amount the
 *             client did not pay. A write-off without a readable date is rejected (the invoice loads).
 *   currency  Currency Code (the Exchange Rate and WriteOff Exchange Rate are not used: conversion is the
 *             warehouse's fx_rates, on the invoice's and the credit note's dates).
 * The Invoice Number is the invoice's identity (invoice_id `zoho-<number>`).
 *
 * The contacts export (Display Name, Company Name, Currency Code, Contact Type, Customer Name, …): the client is
 * its Display Name, which the invoices call the Customer Name, with its Currency Code; a vendor (Contact Type)
 * is skipped: it is not a client.
 */
import { clientListExport, type ClientListLayout } from './clients.ts';
import { shown, type BillingReject, type InvoiceStatus, type SourceCredit, type SourceLine, type ToolRead } from './documents.ts';
import { toolReader } from './exports.ts';
import { centsText, decimal, isoDate, moneyCents, readExport, type DateOrder } from './read.ts';
import { readRecords, type InvoiceLayout } from './record.ts';
import { ZOHO_PAYMENTS } from './zoho-payments.ts';
import LAYOUT from './zoho.json' with { type: 'json' };

const STATUS: Record<string, InvoiceStatus> = {
    draft: 'draft',
    'pending approval': 'draft',
    pending_approval: 'draft',
    approved: 'issued',
    sent: 'issued',
    viewed: 'issued',
    unpaid: 'issued',
    overdue: 'issued',
    'partially paid': 'issued',
    partially_paid: 'issued',
    paid: 'paid',
    closed: 'paid',
    void: 'void',
};

const INVOICES: InvoiceLayout = { noClient: 'no customer name', issue: 'invoice date', statuses: STATUS, status: 'a Zoho invoice status' };

const CONTACTS: ClientListLayout = {
    title: 'Zoho contacts',
    header: ['Display Name', 'Currency Code'],
    name: (cell) => cell('Display Name') || cell('Customer Name') || cell('Company Name'),
    currency: 'Currency Code',
    skip: (cell) => (/^vendor$/i.test(cell('Contact Type')) ? 'a vendor (Contact Type), not a client' : null),
};

const HOURS = /^(h|hrs?|hours?)$/i;

export const ZOHO = toolReader([
    { kind: LAYOUT.invoices, read: readInvoices },
    ZOHO_PAYMENTS,
    clientListExport(CONTACTS),
]);

function readInvoices(file: string, name: string): ToolRead {
    const f = readExport(file, name, LAYOUT.invoices);
    const c = f.columns(LAYOUT.invoices.columns);
    const order = f.dateOrder(c.issue, c.due, c.paid, c.writeOffDate);
    const lines: SourceLine[] = [];
    const rejects: BillingReject[] = [];
    const notes: BillingReject[] = [];
    const credits: SourceCredit[] = [];
    /** The invoice's charges outside its items and its write-off, taken from its first row. */
    const extras = new Map<string, { first: SourceLine; amounts: number[]; subtotal: number | null; writeOff: { cells: string[]; amount: number | null } }>();
    readRecords(f, { order, rejects, key: (row) => [row.cell(c.number)] }, (row) => {
        const cell = (i: number) => row.cell(i);
        const head = row.invoiceHead(c, INVOICES);
        const paid = row.optionalDate(c.paid, 'last payment date');
        const amount = row.money(c.item, 'item total');
        const charges = [c.discount, c.shipping, c.adjustment, c.roundOff].map((i) => (cell(i) === '' ? 0 : moneyCents(cell(i))));
        row.check(
            charges.every((x) => x !== null),
            'the entity discount, shipping charge, adjustment or round off is not an amount',
            cell(c.discount),
            cell(c.shipping),
            cell(c.adjustment),
            cell(c.roundOff),
        );
        const [discount, shipping, adjustment, roundOff] = charges as number[];
        const hours = HOURS.test(cell(c.unit)) ? decimal(cell(c.quantity)) : null;
        const rate = hours !== null ? moneyCents(cell(c.price)) : null;
        const time = hours !== null && rate !== null && hours >= 0 && rate >= 0 && amount >= 0;
        const line = row.invoiceLine({
            ...head,
            currency: cell(c.currency).toUpperCase() || null,
            project: cell(c.project) || null,
            kind: time ? 'time' : amount < 0 ? 'adjustment' : 'fixed_fee',
            hours: time ? hours : null,
            rate_cents: time ? rate : null,
            amount_cents: amount,
            paid_date: head.status === 'paid' ? paid : null,
            gross_cents: moneyCents(cell(c.total)),
        });
        lines.push(line);
        if (!extras.has(head.number)) {
            const writeOff = { cells: [cell(c.writeOffDate), cell(c.writeOff)], amount: cell(c.writeOff) === '' ? 0 : moneyCents(cell(c.writeOff)) };
            extras.set(head.number, { first: line, amounts: [-discount!, shipping!, adjustment!, roundOff!], subtotal: moneyCents(cell(c.subtotal)), writeOff });
        }
    });
    for (const [number, e] of extras) {
        // The invoice's own net total (its SubTotal and charges) tells an exactly repeated row (run.ts).
        const items = lines.filter((l) => l.number === number);
        const net = e.subtotal === null ? null : e.subtotal + e.amounts.reduce((s, a) => s + a, 0);
        for (const l of items) l.invoice_total_cents = net;
        for (const [i, a] of e.amounts.entries()) {
            if (a !== 0) lines.push({ ...e.first, kind: 'adjustment', hours: null, rate_cents: null, amount_cents: a, text: `charge ${i}` });
        }
        const credit = writeOffCredit(e.first, e.writeOff, net ?? items.reduce((s, l) => s + l.amount_cents, 0), order);
        if (credit.reject) rejects.push(credit.reject);
        if (credit.note) notes.push(credit.note);
        if (credit.credit) credits.push(credit.credit);
    }
    return { lines, payments: [], credits, rejects, notes, rows: f.records.length, kind: 'invoices' };
}

/** An invoice's write-off as a credit note net of tax, or the reject that says why it cannot be one. */
function writeOffCredit(
    first: SourceLine,
    writeOff: { cells: string[]; amount: number | null },
    net: number,
    order: DateOrder,
): { credit?: SourceCredit; note?: BillingReject; reject?: BillingReject } {
    const [dateCell, amountCell] = writeOff.cells as [string, string];
    const at = { file: first.file, line: first.line, value: shown(first.number, dateCell, amountCell) };
    if (writeOff.amount === 0) return {};
    if (writeOff.amount === null || writeOff.amount < 0) return { reject: { ...at, reason: `write-off amount "${amountCell}" is not an amount written off` } };
    const date = isoDate(dateCell, order);
    if (!date) return { reject: { ...at, reason: `write-off of ${centsText(writeOff.amount)} on invoice ${first.number}: its date "${dateCell}" is not a date` } };
    const gross = first.gross_cents ?? null;
    const amount = gross !== null && gross > 0 && gross !== net ? Math.round((writeOff.amount * net) / gross) : writeOff.amount;
    const credit: SourceCredit = { file: first.file, line: first.line, number: first.number, suffix: 'writeoff', issue_date: date, amount_cents: amount, reason: 'dispute' };
    if (amount === writeOff.amount) return { credit };
    const reason = `write-off of ${centsText(writeOff.amount)} on invoice ${first.number} (${centsText(gross!)} with tax, ${centsText(net)} net): ${centsText(amount)} credited, net of tax`;
    return { credit, note: { file: first.file, line: first.line, reason, value: null } };
}
