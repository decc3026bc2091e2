/**
 * Corrections and cash against an issued invoice: credit notes (full or partial, with a reason: dispute,
 * discount or error) and payments (partial ones too).
 *
 * The canonical amounts are net of tax, as invoice lines are (billed value is the lines' sum): a credit note
 * credits a net amount, its tax at the invoice's rate beside it; a payment is entered as received, tax
 * included, and canonical.payments holds its share of the net — received ÷ (1 + tax rate), to the cent; the
 * payment that settles the invoice takes exactly the net still open, so a paid invoice is collected to the
 * cent. A settled invoice becomes 'paid'.
 */
import type { CreditReason } from '../../ingest/billing/documents.ts';
import { CREDIT_REASONS } from '../../ingest/entities.ts';
import type { Warehouse } from '../../warehouse/warehouse.ts';
import { invoiceRow } from './drafts.ts';
import { type Actor, cents, finishWrite, InvoicingError, isDate, type Touched, writeBatch } from './write.ts';

export interface Balance {
    net: number;
    tax_rate: number;
    tax: number;
    gross: number;
    credited_net: number;
    credited_gross: number;
    received: number;
    paid_net: number;
    /** What the client still owes, tax included. */
    outstanding: number;
}

export function taxOf(net: number, rate: number): number {
    return cents(net * rate);
}

export async function balanceOf(warehouse: Warehouse, invoiceId: string): Promise<Balance> {
    const row = await warehouse.one<{ net: number; tax_rate: number; credited_net: number; credits: string; received: number; paid_net: number }>(
        `select
            coalesce((select sum(amount) from canonical.invoice_lines where invoice_id = $1), 0)::double as net,
            coalesce((select tax_rate from invoicing.invoice_details where invoice_id = $1), 0)::double as tax_rate,
            coalesce((select sum(amount) from canonical.credit_notes where invoice_id = $1), 0)::double as credited_net,
            coalesce((select list(amount::double)::varchar from canonical.credit_notes where invoice_id = $1), '[]') as credits,
            coalesce((select sum(coalesce(d.received, p.amount)) from canonical.payments p left join invoicing.payment_details d using (payment_id) where p.invoice_id = $1), 0)::double as received,
            coalesce((select sum(amount) from canonical.payments where invoice_id = $1), 0)::double as paid_net`,
        [invoiceId],
    );
    const r = row!;
    const tax = taxOf(r.net, r.tax_rate);
    const creditedGross = (JSON.parse(r.credits) as number[]).reduce((a, c) => cents(a + c + taxOf(c, r.tax_rate)), 0);
    const gross = cents(r.net + tax);
    return {
        net: r.net,
        tax_rate: r.tax_rate,
        tax,
        gross,
        credited_net: r.credited_net,
        credited_gross: creditedGross,
        received: r.received,
        paid_net: r.paid_net,
        outstanding: cents(gross - creditedGross - r.received),
    };
}

async function issued(warehouse: Warehouse, invoiceId: string) {
    const invoice = await invoiceRow(warehouse, invoiceId);
    if (invoice.status !== 'issued' && invoice.status !== 'paid') throw new InvoicingError(409, `invoice ${invoice.number} is ${invoice.status}: only an issued invoice takes credit notes and payments`);
    return invoice;
}

function checkDate(date: string, field: string, notBefore: string): void {
    if (!isDate(date)) throw new InvoicingError(400, `${field} must be a date YYYY-MM-DD`, field);
    if (date < notBefore) throw new InvoicingError(400, `${field} may not be before the invoice's issue date ${notBefore}`, field);
}

function checkAmount(amount: number, field: string): void {
    if (!Number.isFinite(amount) || amount <= 0 || cents(amount) !== amount) throw new InvoicingError(400, `${field} must be a positive amount in cents`, field);
}

export interface CreditInput {
    /** Net of tax; absent: everything not yet credited (a full credit note). */
    amount?: number | null;
    reason: CreditReason;
    issue_date?: string | null;
    note?: string | null;
}

export async function issueCreditNote(warehouse: Warehouse, invoiceId: string, input: CreditInput, actor: Actor): Promise<{ credit_note_id: string; amount: number }> {
    if (!CREDIT_REASONS.includes(input.reason)) throw new InvoicingError(400, `reason must be one of ${CREDIT_REASONS.join(', ')}`, 'reason');
    if (input.amount != null) checkAmount(input.amount, 'amount');
    return warehouse.transaction(async () => {
        const invoice = await issued(warehouse, invoiceId);
        const date = input.issue_date ?? new Date().toISOString().slice(0, 10);
        checkDate(date, 'issue_date', invoice.issue_date);
        const balance = await balanceOf(warehouse, invoiceId);
        const open = cents(balance.net - balance.credited_net);
        if (open <= 0) throw new InvoicingError(409, `invoice ${invoice.number} is credited in full already`);
        const amount = input.amount ?? open;
        if (amount > open) throw new InvoicingError(400, `amount ${amount} is more than the ${open} of invoice ${invoice.number} not yet credited`, 'amount');
        const n = (await warehouse.one<{ n: number }>(`select nextval('invoicing.document_seq')::integer as n`))!.n;
        const note = { credit_note_id: `RZ-CN-${n}`, invoice_id: invoiceId, issue_date: date, amount, reason: input.reason };
        const batch = await writeBatch(warehouse, 'credit_notes', `credit note on ${invoice.number}`, 1, actor);
        await warehouse.run(`insert into canonical.credit_notes (credit_note_id, invoice_id, issue_date, amount, reason, batch_id) values ($1, $2, $3, $4, $5, $6)`, [
            ...Object.values(note),
            batch,
        ] as never);
        await warehouse.run(`insert into invoicing.credit_note_details values ($1, $2, now(), $3)`, [note.credit_note_id, input.note ?? null, actor.actor]);
        await finishWrite(warehouse, actor, { credit_notes: [note] }, { action: 'credit_note', entity: 'credit_notes', entity_id: note.credit_note_id, after: note, reason: input.reason });
        return { credit_note_id: note.credit_note_id, amount };
    });
}

export interface PaymentInput {
    /** As received, tax included. */
    amount: number;
    paid_date?: string | null;
}

export async function recordPayment(
    warehouse: Warehouse,
    invoiceId: string,
    input: PaymentInput,
    actor: Actor,
): Promise<{ payment_id: string; net: number; outstanding: number; status: string }> {
    checkAmount(input.amount, 'amount');
    return warehouse.transaction(async () => {
        const invoice = await issued(warehouse, invoiceId);
        const date = input.paid_date ?? new Date().toISOString().slice(0, 10);
        checkDate(date, 'paid_date', invoice.issue_date);
        const balance = await balanceOf(warehouse, invoiceId);
        if (balance.outstanding <= 0) throw new InvoicingError(409, `invoice ${invoice.number} is settled: nothing is outstanding`);
        if (input.amount > balance.outstanding) {
            throw new InvoicingError(400, `amount ${input.amount} is more than the ${balance.outstanding} invoice ${invoice.number} has outstanding`, 'amount');
        }
        const settles = input.amount === balance.outstanding;
        const net = settles ? cents(balance.net - balance.credited_net - balance.paid_net) : cents(input.amount / (1 + balance.tax_rate));
        const n = (await warehouse.one<{ n: number }>(`select nextval('invoicing.document_seq')::integer as n`))!.n;
        const payment = { payment_id: `RZ-PAY-${n}`, invoice_id: invoiceId, paid_date: date, amount: net };
        const batch = await writeBatch(warehouse, 'payments', `payment on ${invoice.number}`, 1, actor);
        await warehouse.run(`insert into canonical.payments (payment_id, invoice_id, paid_date, amount, batch_id) values ($1, $2, $3, $4, $5)`, [...Object.values(payment), batch] as never);
        await warehouse.run(`insert into invoicing.payment_details values ($1, $2, now(), $3)`, [payment.payment_id, input.amount, actor.actor]);
        const touched: Touched = { payments: [payment] };
        const status = settles ? 'paid' : invoice.status;
        if (settles && invoice.status !== 'paid') {
            await warehouse.run(`update canonical.invoices set status = 'paid', batch_id = $2 where invoice_id = $1`, [invoiceId, batch]);
            touched.invoices = [invoice, { ...invoice, status: 'paid' }];
        }
        await finishWrite(warehouse, actor, touched, { action: 'payment', entity: 'payments', entity_id: payment.payment_id, after: { ...payment, received: input.amount, status } });
        return { payment_id: payment.payment_id, net, outstanding: cents(balance.outstanding - input.amount), status };
    });
}
