/**
 * The Import page's billing history, without a DOM: the invoicing tools offered, a billing import's query
 * (POST /api/imports/billing; import.ts postBilling sends it) and its report as table rows. The shapes are the
 * route's zod schema types (server/schemas/imports.ts), imported as types only.
 */
import type { BillingAnswer, BillingImportQuery } from '../../../../server/schemas/imports.ts';
import { formatMoney } from '../../format.ts';

export type BillingTool = BillingAnswer['files'][number]['tool'];

/** Every tool the route reads, by the name its exports go by (a tool the route adds fails the type check here). */
export const BILLING_TOOL_LABELS = {
    invoiceninja: 'Invoice Ninja',
    freshbooks: 'FreshBooks',
    zoho: 'Zoho Invoice',
    wave: 'Wave',
} as const satisfies Record<BillingTool, string>;

export const BILLING_TOOLS = Object.keys(BILLING_TOOL_LABELS) as BillingTool[];

/** The query as the schema reads it: booleans as 'true'/'false'. */
export function billingParams(q: Pick<BillingImportQuery, 'tool' | 'dry_run' | 'create'>): Record<string, string> {
    return { tool: q.tool, dry_run: String(q.dry_run), create: String(q.create) };
}

/** The amounts of a report (per currency, decimal text) as the dashboard shows money, currencies apart. */
export function amounts(byCurrency: Record<string, string>, locale: string): string {
    const entries = Object.entries(byCurrency).sort(([a], [b]) => a.localeCompare(b));
    return entries.length === 0 ? '' : entries.map(([currency, text]) => formatMoney(Number(text), currency, locale)).join(' · ');
}

/** A type, not an interface: a table's rows are records. */
export type BillingRow = {
    what: string;
    created: number | null;
    updated: number | null;
    unchanged: number | null;
    amount: string;
};

/** What a billing import did or would do: invoices, lines, payments, credit notes and clients, one row each. */
export function billingRows(report: BillingAnswer, locale: string): BillingRow[] {
    const projects = report.created_entities.filter((e) => e.kind === 'project').length;
    return [
        { what: 'Invoices', ...report.invoices, amount: amounts(report.invoiced, locale) },
        { what: 'Invoice lines', created: report.lines, updated: null, unchanged: null, amount: '' },
        { what: 'Payments', ...report.payments, amount: amounts(report.paid, locale) },
        { what: 'Credit notes', ...report.credit_notes, amount: amounts(report.credited, locale) },
        { what: 'Clients', ...report.clients, amount: '' },
        { what: 'Billing-history projects', created: projects, updated: null, unchanged: null, amount: '' },
    ];
}

/** Rows imported with a change, counted once as a duplicate, or skipped (a ledger's other side), each with its kind. */
export function noteRows(report: BillingAnswer): { kind: string; file: string; line: number | null; reason: string; value: string | null }[] {
    return [
        ...report.notes.map((r) => ({ kind: 'imported with a change', ...r })),
        ...report.duplicates.map((r) => ({ kind: 'duplicate', ...r })),
        ...report.skipped.map((r) => ({ kind: 'skipped', ...r })),
    ];
}
