/**
 * The import's payments and credit notes, linked to their invoices.
 *
 *   payments   linked by invoice number to an invoice of this import or already in the warehouse (same
 *              tool); a payment of an unknown invoice is rejected naming it. payment_id `<tool>-<number>-<k>`,
 *              the k-th payment row of that invoice in the file, or `<tool>-<number>-p<id>` when the tool
 *              gives the payment's own id (Zoho). When this import holds the invoice and its total with tax
 *              (Zoho's Total), a payment is taken net of tax like the invoice — amount × net ÷ total, to the
 *              cent — and a note says so: collection realization compares it with billed value, net of tax;
 *              a payment from such an export whose invoice is not in this import is taken as paid, with a note.
 *   refunds    a payment below zero is money given back: cash, so it is the payments' business (PRODUCT.md:
 *              corrections of what was billed are credit notes, cash is payments), and the invoice is owed it
 *              again (Invoice Ninja raises the invoice's balance by a refund). Canonical payments never go below
 *              zero, so a refund is taken off the invoice's payments in this import dated on or before it,
 *              latest first, and a note names each one it reduces: collected falls by the refund, billed and
 *              credited do not. One larger than those payments is rejected saying so (nothing is taken off).
 *   credits    a write-off (Zoho's WriteOff Amount) is a credit note of its invoice `<tool>-<number>-<suffix>`,
 *              linked like a payment: the funnel's "disputes and write-offs" leak. Rejected when its invoice is
 *              unknown.
 *   paid       an invoice whose line gives a paid date (FreshBooks' Date Paid, Zoho's Last Payment Date) and no
 *              listed payments gets one payment `<tool>-<number>-paid` of what is left of its total: the total
 *              less its credit notes and the payments listed for it here or in the warehouse, when above zero.
 *              A later import of the tool's payments export for that invoice brings that payment down by what
 *              it lists (to zero when it lists them all), so the invoice is never paid twice.
 */
import type { Warehouse } from '../../warehouse/warehouse.ts';
import { DATE_RANGE } from '../entities.ts';
import type { BillingReject, CreditReason, SourcePayment } from './documents.ts';
import type { GroupedInvoices } from './group.ts';
import { centsText, moneyCents } from './read.ts';
import type { Invoice } from './resolve.ts';
import type { ToolFile } from './tools.ts';

export interface Payment {
    payment_id: string;
    invoice_id: string;
    paid_date: string;
    amount_cents: number;
    currency: string;
}

export interface CreditNote {
    credit_note_id: string;
    invoice_id: string;
    issue_date: string;
    amount_cents: number;
    reason: CreditReason;
    currency: string;
}

const IN_LIST = `(select unnest(from_json($1, '["varchar"]')))`;
const cents = (v: string | null | undefined) => moneyCents(v ?? '0') ?? 0;

/**
 * Payments and credit notes, linked by invoice number to `invoices` (those that load) or to the warehouse's; one
 * of a refused invoice (`refusals`, its reason by invoice_id) or an unknown one is pushed to `rejects`, a payment
 * taken net of tax to `notes`.
 */
export async function linkPayments(
    warehouse: Warehouse,
    reads: readonly ToolFile[],
    byInvoice: GroupedInvoices,
    invoices: readonly Invoice[],
    refusals: ReadonlyMap<string, string>,
    rejects: BillingReject[],
    notes: BillingReject[],
): Promise<{ payments: Payment[]; creditNotes: CreditNote[] }> {
    const imported = new Map(invoices.map((i) => [i.invoice_id, i]));
    const referenced = [...new Set(reads.flatMap((r) => [...r.read.payments, ...(r.read.credits ?? [])].map((p) => `${r.tool}-${p.number}`)))];
    const existingInvoices = new Map(
        (referenced.length === 0 ? [] : await warehouse.all<{ invoice_id: string; currency: string }>(`select invoice_id, currency from canonical.invoices where invoice_id in ${IN_LIST}`, [JSON.stringify(referenced)])).map(
            (r) => [r.invoice_id, r.currency],
        ),
    );
    /** The invoice's currency, or why a document of it is rejected. */
    const invoiceOf = (tool: string, number: string): { invoice_id: string; currency?: string; why?: string } => {
        const invoice_id = `${tool}-${number}`;
        const refused = refusals.get(invoice_id);
        const currency = refused ? undefined : (imported.get(invoice_id)?.currency ?? existingInvoices.get(invoice_id));
        return currency ? { invoice_id, currency } : { invoice_id, why: refused ? `its invoice is refused: ${refused}` : `invoice ${number} is not in this import or the warehouse` };
    };
    const outside = (date: string) => date < DATE_RANGE.from || date > DATE_RANGE.to;
    const net = (invoice_id: string) => imported.get(invoice_id)!.lines.reduce((s, l) => s + l.amount_cents, 0);

    const payments: Payment[] = [];
    const creditNotes: CreditNote[] = [];
    const ordinal = new Map<string, number>();
    const refunds: { p: SourcePayment; invoice_id: string; amount: number }[] = [];
    for (const { tool, read } of reads) {
        for (const p of read.payments as SourcePayment[]) {
            const shownValue = `"${p.number}", "${centsText(p.amount_cents)}"`;
            if (outside(p.paid_date)) {
                rejects.push({ file: p.file, line: p.line, reason: `date ${p.paid_date} is outside ${DATE_RANGE.from}…${DATE_RANGE.to}`, value: `"${p.paid_date}"` });
                continue;
            }
            const inv = invoiceOf(tool, p.number);
            if (!inv.currency) {
                rejects.push({ file: p.file, line: p.line, reason: inv.why!, value: shownValue });
                continue;
            }
            const refund = p.amount_cents < 0;
            let id = '';
            if (!refund) {
                const k = (ordinal.get(inv.invoice_id) ?? 0) + 1;
                ordinal.set(inv.invoice_id, k);
                id = `${inv.invoice_id}-${p.source_id ? `p${p.source_id}` : k}`;
            }
            let amount = Math.abs(p.amount_cents);
            const gross = byInvoice.get(inv.invoice_id)?.lines[0]?.gross_cents ?? null;
            if (imported.has(inv.invoice_id) && gross !== null && gross > 0 && gross !== net(inv.invoice_id)) {
                const share = Math.round((amount * net(inv.invoice_id)) / gross);
                notes.push({
                    file: p.file,
                    line: p.line,
                    reason: `${refund ? 'refund' : 'payment'} of ${centsText(amount)} on invoice ${p.number} (${centsText(gross)} with tax, ${centsText(net(inv.invoice_id))} net): ${centsText(share)} imported, net of tax`,
                    value: null,
                });
                amount = share;
            } else if (read.grossPayments && !imported.has(inv.invoice_id)) {
                notes.push({
                    file: p.file,
                    line: p.line,
                    reason: `invoice ${p.number} is not in this import: its ${refund ? 'refund' : 'payment'} of ${centsText(amount)} is imported as paid, tax included (imported with the invoices export, it is taken net of tax)`,
                    value: null,
                });
            }
            if (refund) refunds.push({ p, invoice_id: inv.invoice_id, amount });
            else payments.push({ payment_id: id, invoice_id: inv.invoice_id, paid_date: p.paid_date, amount_cents: amount, currency: inv.currency });
        }
        for (const c of read.credits ?? []) {
            const inv = invoiceOf(tool, c.number);
            if (outside(c.issue_date) || !inv.currency) {
                const reason = inv.why ?? `date ${c.issue_date} is outside ${DATE_RANGE.from}…${DATE_RANGE.to}`;
                rejects.push({ file: c.file, line: c.line, reason: `${c.suffix} of ${centsText(c.amount_cents)}: ${reason}`, value: `"${c.number}", "${c.issue_date}"` });
                continue;
            }
            creditNotes.push({ credit_note_id: `${inv.invoice_id}-${c.suffix}`, invoice_id: inv.invoice_id, issue_date: c.issue_date, amount_cents: c.amount_cents, reason: c.reason, currency: inv.currency });
        }
    }
    for (const r of refunds) takeOffPayments(r.p, r.invoice_id, r.amount, payments, rejects, notes);
    payments.push(...(await paidRemainders(warehouse, byInvoice, imported, payments, creditNotes)));
    return { payments, creditNotes };
}

/** A refund taken off the invoice's payments dated on or before it, latest first; rejected when they hold less. */
function takeOffPayments(p: SourcePayment, invoice_id: string, refund: number, payments: Payment[], rejects: BillingReject[], notes: BillingReject[]): void {
    const before = payments
        .filter((x) => x.invoice_id === invoice_id && x.paid_date <= p.paid_date)
        .sort((a, b) => (a.paid_date === b.paid_date ? (a.payment_id < b.payment_id ? 1 : -1) : a.paid_date < b.paid_date ? 1 : -1));
    const held = before.reduce((s, x) => s + x.amount_cents, 0);
    if (held < refund) {
        const reason = `a refund of ${centsText(refund)} on invoice ${p.number}, more than the ${centsText(held)} this import pays it by ${p.paid_date}: a payment is never below zero`;
        rejects.push({ file: p.file, line: p.line, reason, value: `"${p.number}", "${centsText(-refund)}"` });
        return;
    }
    let left = refund;
    const taken: string[] = [];
    for (const x of before) {
        if (left === 0) break;
        const off = Math.min(left, x.amount_cents);
        if (off === 0) continue;
        x.amount_cents -= off;
        left -= off;
        taken.push(`${centsText(off)} off ${x.payment_id} (${x.paid_date}), now ${centsText(x.amount_cents)}`);
    }
    notes.push({ file: p.file, line: p.line, reason: `a refund of ${centsText(refund)} on invoice ${p.number} on ${p.paid_date}: ${taken.join('; ')}`, value: null });
}

/**
 * The `-paid` payment of each invoice paid by a date rather than by listed payments: its total less its credit
 * notes and listed payments (this import's and the warehouse's), for the invoices of this import that give a
 * paid date and the warehouse's that have one and get listed payments now.
 */
async function paidRemainders(
    warehouse: Warehouse,
    byInvoice: GroupedInvoices,
    imported: ReadonlyMap<string, Invoice>,
    payments: readonly Payment[],
    creditNotes: readonly CreditNote[],
): Promise<Payment[]> {
    const paidOn = new Map<string, string>();
    for (const inv of imported.values()) {
        const date = byInvoice.get(inv.invoice_id)!.lines[0]!.paid_date;
        if (date) paidOn.set(inv.invoice_id, date);
    }
    const ids = [...new Set([...paidOn.keys(), ...payments.map((p) => p.invoice_id)])];
    if (ids.length === 0) return [];
    const held = await warehouse.all<{ invoice_id: string; id: string; kind: string; amount: string; paid_date: string | null; currency: string }>(
        `select p.invoice_id, p.payment_id as id, 'payment' as kind, p.amount::varchar as amount, p.paid_date::varchar as paid_date, i.currency
            from canonical.payments p join canonical.invoices i using (invoice_id) where p.invoice_id in ${IN_LIST}
        union all
        select invoice_id, credit_note_id, 'credit', amount::varchar, null, null from canonical.credit_notes where invoice_id in ${IN_LIST}
        union all
        select invoice_id, invoice_id, 'line', sum(amount)::varchar, null, null from canonical.invoice_lines where invoice_id in ${IN_LIST} group by invoice_id`,
        [JSON.stringify(ids)],
    );
    const here = new Set([...payments.map((p) => p.payment_id), ...creditNotes.map((c) => c.credit_note_id)]);
    const out: Payment[] = [];
    for (const invoice_id of ids) {
        const standIn = `${invoice_id}-paid`;
        const old = held.find((h) => h.id === standIn && h.kind === 'payment');
        const inv = imported.get(invoice_id);
        const date = paidOn.get(invoice_id) ?? old?.paid_date;
        if (!date || (!inv && !old)) continue;
        const total = inv ? inv.lines.reduce((s, l) => s + l.amount_cents, 0) : cents(held.find((h) => h.invoice_id === invoice_id && h.kind === 'line')?.amount);
        const others = held.filter((h) => h.invoice_id === invoice_id && h.kind !== 'line' && h.id !== standIn && !here.has(h.id)).reduce((s, h) => s + cents(h.amount), 0);
        const settled =
            others +
            payments.filter((p) => p.invoice_id === invoice_id).reduce((s, p) => s + p.amount_cents, 0) +
            creditNotes.filter((c) => c.invoice_id === invoice_id).reduce((s, c) => s + c.amount_cents, 0);
        const left = Math.max(0, total - settled);
        if (left > 0 || old) out.push({ payment_id: standIn, invoice_id, paid_date: date, amount_cents: left, currency: inv?.currency ?? old!.currency });
    }
    return out;
}
