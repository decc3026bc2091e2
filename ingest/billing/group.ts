/**
 * The lines of an import's files grouped into invoices.
 *
 *   identity   invoice_id `<tool>-<the tool's invoice number>`; lines numbered 1… in the file's order
 *              (a discount line last; resolve.ts numbers them); payment_id `<tool>-<number>-<k>`, the k-th
 *              payment row of that invoice in the file (payments.ts). Importing the same export again changes nothing.
 *   repeated   an exact repeat of a row within one invoice, when the invoice's own total (a column such as
 *              Invoice Ninja's Amount) counts it once, is a duplicate, reported with its line; identical rows
 *              the total does count are two lines. The same invoice in two files of one import: the later
 *              file's rows are the invoice, the earlier ones duplicates.
 */
import type { BillingReject, SourceLine } from './documents.ts';
import { centsText } from './read.ts';
import type { BillingTool, ToolFile } from './tools.ts';

/** An invoice's lines as the files give them, by invoice_id. */
export type GroupedInvoices = Map<string, { tool: BillingTool; lines: SourceLine[] }>;

/** Groups lines into invoices; the later file's rows of an invoice win; repeated rows the total counts once. */
export function groupInvoices(reads: readonly ToolFile[]): { byInvoice: GroupedInvoices; duplicates: BillingReject[] } {
    const duplicates: BillingReject[] = [];
    const byInvoice: GroupedInvoices = new Map();
    for (const { tool, read } of reads) {
        for (const l of read.lines) {
            const id = `${tool}-${l.number}`;
            const had = byInvoice.get(id);
            if (had && had.lines[0]!.file !== l.file) {
                for (const old of had.lines) duplicates.push({ file: old.file, line: old.line, reason: `invoice ${l.number} again in ${l.file}, which is the one imported`, value: null });
                had.lines = [];
            }
            if (!had) byInvoice.set(id, { tool, lines: [l] });
            else had.lines.push(l);
        }
    }
    for (const inv of byInvoice.values()) {
        const total = inv.lines.find((l) => l.invoice_total_cents !== null)?.invoice_total_cents ?? null;
        const sum = inv.lines.reduce((s, l) => s + l.amount_cents, 0);
        if (total === null || sum === total) continue;
        const seen = new Set<string>();
        const kept = inv.lines.filter((l) => (seen.has(l.text) ? false : (seen.add(l.text), true)));
        if (kept.length < inv.lines.length && kept.reduce((s, l) => s + l.amount_cents, 0) === total) {
            for (const l of inv.lines) {
                if (!kept.includes(l)) duplicates.push({ file: l.file, line: l.line, reason: `the same row again: invoice ${l.number}'s total (${centsText(total)}) counts it once`, value: null });
            }
            inv.lines = kept;
        }
    }
    return { byInvoice, duplicates };
}
