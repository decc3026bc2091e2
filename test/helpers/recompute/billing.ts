/**
 * Billed, credited and collected value (PRODUCT.md "Billed value"), attributed to the project-months their
 * invoice lines bill, and billed value again at the rates the revenue was recognized at (stage 4's fx
 * difference).
 */
import { type Firm, type Line, opt } from './canonical.ts';
import { dayNumber, isoDay, monthOf, pico, splitCents, UNIT } from './exact.ts';
import type { Part } from './facts.ts';
import type { ProjectMonths } from './funnel.ts';
import type { Fx } from './prices.ts';

const CENT = UNIT / 100n;

/** Adds every issued or paid invoice, credit note and payment through as_of to the facts; a document it cannot attribute is a problem. */
export function attributeBilling(firm: Firm, fx: Fx, facts: ProjectMonths, problems: string[]): void {
    const { invoices, linesByInvoice } = firm;
    const entryById = new Map(firm.entries.map((e) => [e.id, e]));
    const counts = (invoiceId: string): boolean => ['issued', 'paid'].includes(invoices.get(invoiceId)?.status ?? '');
    // Where a line's amount goes: a time line to the entries it lists, pro rata by hours; any other line to
    // its project and the months of period_start…period_end, pro rata by day (the issue date without a
    // period). Credit notes and payments go over their invoice's lines pro rata by line amount, then like
    // each line. As int_billing_attributed.yml refines this, every piece is whole cents of the document's
    // currency (money is decimal(18,2)): piece k = round(A × (w1+…+wk) ÷ W) − round(A × (w1+…+wk−1) ÷ W),
    // pieces in the order line_no, then work month, work date, entry_id — so a document's pieces add up
    // to it exactly; each piece is then converted at the document date's rate, unrounded.
    const partsOf = (line: Line): Part[] => {
        const listed = line.kind === 'time' ? (firm.entriesOfLine.get(`${line.invoice}|${line.lineNo}`) ?? []) : [];
        if (listed.length > 0) {
            return listed
                .map((id) => entryById.get(id)!)
                .sort((a, b) => monthOf(a.date).localeCompare(monthOf(b.date)) || a.date.localeCompare(b.date) || a.id.localeCompare(b.id))
                .map((e) => ({ project: e.project, month: monthOf(e.date), weight: BigInt(e.seconds), workDate: e.date }));
        }
        const issue = invoices.get(line.invoice)!.issue_date!;
        const start = line.periodStart ?? line.periodEnd ?? issue;
        const end = line.periodEnd ?? line.periodStart ?? issue;
        const days = new Map<string, number>();
        for (let d = dayNumber(start); d <= dayNumber(end); d++) days.set(monthOf(isoDay(d)), (days.get(monthOf(isoDay(d))) ?? 0) + 1);
        return [...days].sort(([a], [b]) => a.localeCompare(b)).map(([month, n]) => ({ project: line.project, month, weight: BigInt(n) }));
    };
    const attribute = (what: 'billed' | 'credited' | 'collected', cents: bigint, line: Line, currency: string, date: string, label: string): void => {
        const parts = partsOf(line);
        splitCents(cents, parts.map((p) => p.weight)).forEach((piece, k) => {
            facts.fact(parts[k]!.project, parts[k]!.month)[what] += fx.convert(piece * CENT, currency, date, label);
        });
    };
    // Stage 4 measures what is not yet invoiced at the rates the revenue was recognized at, and the rest of
    // recognized − billed is the fx difference (PRODUCT.md "The margin funnel"): an invoice line's piece is
    // converted again at the rate of the entry's work date (time billed by entry), of the milestone's
    // sign-off date (a milestone line issued on or after it), else of the first day of the piece's month.
    const signedOff = new Map(firm.milestones.map((m) => [m.milestone_id!, opt(m.signed_off_date)]));
    for (const [invoiceId, lines] of linesByInvoice) {
        if (!counts(invoiceId)) continue;
        const inv = invoices.get(invoiceId)!;
        if (!firm.happened(inv.issue_date!)) continue;
        for (const line of lines) {
            attribute('billed', line.amount / CENT, line, inv.currency!, inv.issue_date!, `invoice ${invoiceId}`);
            const parts = partsOf(line);
            const signOff = line.milestone ? signedOff.get(line.milestone) : null;
            splitCents(line.amount / CENT, parts.map((p) => p.weight)).forEach((piece, k) => {
                const part = parts[k]!;
                const recognizedOn = part.workDate ?? (signOff && signOff <= inv.issue_date! ? signOff : part.month);
                facts.fact(part.project, part.month).billed_at_recognition += fx.convert(piece * CENT, inv.currency!, recognizedOn, `invoice ${invoiceId} at recognition`);
            });
        }
    }
    const document = (what: 'credited' | 'collected', invoiceId: string, amount: bigint, date: string, label: string): void => {
        if (!counts(invoiceId) || !firm.happened(date)) return;
        const inv = invoices.get(invoiceId)!;
        const lines = linesByInvoice.get(invoiceId) ?? [];
        if (lines.length === 0) {
            problems.push(`${label} is on invoice ${invoiceId}, which has no lines`);
            return;
        }
        splitCents(amount / CENT, lines.map((l) => l.amount / CENT)).forEach((share, k) => attribute(what, share, lines[k]!, inv.currency!, date, label));
    };
    for (const r of firm.creditNotes) document('credited', r.invoice_id!, pico(r.amount!), r.issue_date!, `credit note ${r.credit_note_id}`);
    for (const r of firm.payments) document('collected', r.invoice_id!, pico(r.amount!), r.paid_date!, `payment ${r.payment_id}`);
}
