/**
 * The import's payments, linked to their invoices.
 *
 *   payments   linked by invoice number to an invoice of this import or already in the warehouse (same
 *              tool); a payment of an unknown invoice is rejected naming it. payment_id `<tool>-<number>-<k>`,
 *              the k-th payment row of that invoice in the file. An invoice whose line gives a paid date
 *              (FreshBooks' Date Paid) gets one payment of its total, when that is not below zero:
 *              `<tool>-<number>-paid`.
 */
import type { Warehouse } from '../../warehouse/warehouse.ts';
import { DATE_RANGE } from '../entities.ts';
import type { BillingReject, SourcePayment } from './documents.ts';
import type { GroupedInvoices } from './group.ts';
import { centsText } from './read.ts';
import type { Invoice } from './resolve.ts';
import type { ToolFile } from './tools.ts';

export interface Payment {
    payment_id: string;
    invoice_id: string;
    paid_date: string;
    amount_cents: number;
    currency: string;
}

/**
 * Payments, linked by invoice number to `invoices` (those that load) or to the warehouse's; one of a refused
 * invoice (`refusals`, its reason by invoice_id) or an unknown one is pushed to `rejects`.
 */
export async function linkPayments(
    warehouse: Warehouse,
    reads: readonly ToolFile[],
    byInvoice: GroupedInvoices,
    invoices: readonly Invoice[],
    refusals: ReadonlyMap<string, string>,
    rejects: BillingReject[],
): Promise<Payment[]> {
    const imported = new Map(invoices.map((i) => [i.invoice_id, i]));
    const paymentIds = [...new Set(reads.flatMap((r) => r.read.payments.map((p) => `${r.tool}-${p.number}`)))];
    const existingInvoices = new Map(
        (paymentIds.length === 0
            ? []
            : await warehouse.all<{ invoice_id: string; currency: string }>(`select invoice_id, currency from canonical.invoices where invoice_id in (select unnest(from_json($1, '["varchar"]')))`, [JSON.stringify(paymentIds)])
        ).map((r) => [r.invoice_id, r.currency]),
    );
    const payments: Payment[] = [];
    const ordinal = new Map<string, number>();
    for (const { tool, read } of reads) {
        for (const p of read.payments as SourcePayment[]) {
            const invoice_id = `${tool}-${p.number}`;
            const refused = refusals.get(invoice_id);
            const currency = refused ? undefined : (imported.get(invoice_id)?.currency ?? existingInvoices.get(invoice_id));
            if (p.paid_date < DATE_RANGE.from || p.paid_date > DATE_RANGE.to) {
                rejects.push({ file: p.file, line: p.line, reason: `date ${p.paid_date} is outside ${DATE_RANGE.from}…${DATE_RANGE.to}`, value: `"${p.paid_date}"` });
                continue;
            }
            if (!currency) {
                const why = refused ? `its invoice is refused: ${refused}` : `invoice ${p.number} is not in this import or the warehouse`;
                rejects.push({ file: p.file, line: p.line, reason: why, value: `"${p.number}", "${centsText(p.amount_cents)}"` });
                continue;
            }
            const k = (ordinal.get(invoice_id) ?? 0) + 1;
            ordinal.set(invoice_id, k);
            payments.push({ payment_id: `${invoice_id}-${k}`, invoice_id, paid_date: p.paid_date, amount_cents: p.amount_cents, currency });
        }
    }
    for (const inv of invoices) {
        const paidOn = byInvoice.get(inv.invoice_id)!.lines[0]!.paid_date;
        const total = inv.lines.reduce((s, l) => s + l.amount_cents, 0);
        if (paidOn && total >= 0) payments.push({ payment_id: `${inv.invoice_id}-paid`, invoice_id: inv.invoice_id, paid_date: paidOn, amount_cents: total, currency: inv.currency });
    }
    return payments;
}
