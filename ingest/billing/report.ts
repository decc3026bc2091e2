/** What a billing import reports: per file, the counts of what loads, the sums, and every row not imported as it stood. */
import type { IngestReport } from '../canonical.ts';
import type { Comparison, Counts } from './compare.ts';
import type { BillingReject, ToolRead } from './documents.ts';
import type { CreditNote, Payment } from './payments.ts';
import { centsText } from './read.ts';
import type { BillingCreated, Invoice } from './resolve.ts';
import type { BillingTool, ToolFile } from './tools.ts';

export interface BillingReport {
    ok: boolean;
    status: 'imported' | 'unchanged' | 'dry_run' | 'rejected';
    dry_run: boolean;
    files: { file: string; tool: BillingTool; kind: ToolRead['kind']; rows: number; rejected: number; duplicates: number; skipped: number }[];
    rows_read: number;
    /** Clients made (for client lists or invoices), known ones whose currency a list changes, list rows that found theirs as it is. */
    clients: Counts;
    invoices: Counts;
    payments: Counts;
    credit_notes: Counts;
    lines: number;
    /** Σ line amounts of the import's invoices and Σ of its payments, per currency, as decimal text. */
    invoiced: Record<string, string>;
    paid: Record<string, string>;
    /** Σ of the import's credit notes (refunds, write-offs), per currency, as decimal text. */
    credited: Record<string, string>;
    duplicates: BillingReject[];
    /** Rows imported with a change, and why. */
    notes: BillingReject[];
    /** Rows that restate a document rather than being one (a ledger's other side), and why. */
    skipped: BillingReject[];
    rejected: number;
    rejects: BillingReject[];
    created_entities: BillingCreated[];
    ingest: IngestReport | null;
    duration_ms: number;
}

/** The rows and outcomes of an import, before any load. */
export interface ReportInput {
    dryRun: boolean | undefined;
    /** Whether loading would change anything. */
    changed: boolean;
    reads: readonly ToolFile[];
    invoices: readonly Invoice[];
    payments: readonly Payment[];
    creditNotes: readonly CreditNote[];
    clients: Counts;
    comparison: Comparison;
    created: BillingCreated[];
    duplicates: BillingReject[];
    notes: BillingReject[];
    /** Sorted in place by line within each file. */
    rejects: BillingReject[];
}

/** The report of an import as compared; the load fills in `ingest` (and `ok`, `status` when it fails), the caller `duration_ms`. */
export function billingReport(input: ReportInput): BillingReport {
    const { reads, invoices, payments, rejects, duplicates } = input;
    const sumBy = (items: { currency: string; cents: number }[]) => {
        const out: Record<string, number> = {};
        for (const i of items) out[i.currency] = (out[i.currency] ?? 0) + i.cents;
        return Object.fromEntries(Object.entries(out).map(([c, v]) => [c, centsText(v)]));
    };
    const perFile = (file: string, list: BillingReject[]) => list.filter((r) => r.file === file).length;
    return {
        ok: true,
        status: input.dryRun ? 'dry_run' : input.changed ? 'imported' : 'unchanged',
        dry_run: input.dryRun ?? false,
        files: reads.map((r) => ({ file: r.file, tool: r.tool, kind: r.read.kind, rows: r.read.rows, rejected: perFile(r.file, rejects), duplicates: perFile(r.file, duplicates), skipped: r.read.skipped?.length ?? 0 })),
        rows_read: reads.reduce((n, r) => n + r.read.rows, 0),
        clients: input.clients,
        invoices: input.comparison.invoiceCounts,
        payments: input.comparison.paymentCounts,
        credit_notes: input.comparison.creditNoteCounts,
        lines: invoices.reduce((n, i) => n + i.lines.length, 0),
        invoiced: sumBy(invoices.flatMap((i) => i.lines.map((l) => ({ currency: i.currency, cents: l.amount_cents })))),
        paid: sumBy(payments.map((p) => ({ currency: p.currency, cents: p.amount_cents }))),
        credited: sumBy(input.creditNotes.map((c) => ({ currency: c.currency, cents: c.amount_cents }))),
        duplicates,
        notes: input.notes,
        skipped: reads.flatMap((r) => r.read.skipped ?? []),
        rejected: rejects.length,
        rejects: rejects.sort((a, b) => (a.file === b.file ? (a.line ?? 0) - (b.line ?? 0) : 0)),
        created_entities: input.created,
        ingest: null,
        duration_ms: 0,
    };
}
