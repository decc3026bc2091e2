/**
 * What a billing tool's module reads from its export: invoice lines, payments, credits (write-offs) and clients
 * as the file states them.
 */
import type { CREDIT_REASONS, LINE_KINDS } from '../entities.ts';

export type LineKind = (typeof LINE_KINDS)[number];
export type CreditReason = (typeof CREDIT_REASONS)[number];
export type InvoiceStatus = 'draft' | 'issued' | 'paid' | 'void';

/** One line of an invoice, with the invoice's own fields repeated as the exports repeat them. */
export interface SourceLine {
    file: string;
    line: number;
    /** The tool's invoice number (the invoice id's stem). */
    number: string;
    client: string;
    issue_date: string;
    due_date: string | null;
    status: InvoiceStatus;
    /** The file's currency for the invoice, when it has one. */
    currency: string | null;
    /** The project the export names for the line, when it names one. */
    project: string | null;
    kind: LineKind;
    hours: number | null;
    /** Unit price in cents, for time lines. */
    rate_cents: number | null;
    /** The line's net amount (after its discount, before tax), in cents. */
    amount_cents: number;
    /** What the file gives as the invoice's net total, when it gives one (for the repeated-row rule). */
    invoice_total_cents: number | null;
    /** The record's cells, to tell a repeated identical row. */
    text: string;
    /** Paid date of a paid invoice in an export without a payments file (FreshBooks' Date Paid). */
    paid_date: string | null;
    /** The invoice's total with tax, when the export gives it (Zoho's Total): payments of it are taken net of tax. */
    gross_cents?: number | null;
}

export interface SourcePayment {
    file: string;
    line: number;
    /** The invoice number the payment settles. */
    number: string;
    client: string;
    paid_date: string;
    /** What the client paid; below zero, money given back (a refund: payments.ts makes it a credit note). */
    amount_cents: number;
    /** The tool's own id of this payment's application to the invoice, when it gives one (Zoho's). */
    source_id?: string | null;
}

/** An amount taken off an invoice after it was issued, as the file states it (Zoho's write-off). */
export interface SourceCredit {
    file: string;
    line: number;
    /** The invoice number it reduces. */
    number: string;
    /** What makes its id: `<tool>-<number>-<suffix>`. */
    suffix: string;
    issue_date: string;
    /** Net of tax, in cents (never below zero). */
    amount_cents: number;
    reason: CreditReason;
}

/** A client of a client list: its name and, where the list gives one, its currency. */
export interface SourceClient {
    file: string;
    line: number;
    name: string;
    currency: string | null;
}

export interface BillingReject {
    file: string;
    line: number | null;
    reason: string;
    value: string | null;
}

export interface ToolRead {
    lines: SourceLine[];
    payments: SourcePayment[];
    credits?: SourceCredit[];
    clients?: SourceClient[];
    rejects: BillingReject[];
    /** Rows that restate a document rather than being one (a ledger's other side), with why. */
    skipped?: BillingReject[];
    /** Rows imported with a change, and why. */
    notes?: BillingReject[];
    /** Payments of invoices whose total with tax is in another export (Zoho's): one of an invoice outside the import cannot be taken net of tax. */
    grossPayments?: boolean;
    /** Data rows the file holds (after its header). */
    rows: number;
    kind: 'invoices' | 'payments' | 'transactions' | 'clients';
}

/** The quoted cell values a reject names. */
export function shown(...cells: (string | undefined)[]): string {
    return cells.map((c) => `"${(c ?? '').trim()}"`).join(', ');
}
