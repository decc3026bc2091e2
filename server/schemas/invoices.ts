/**
 * Invoicing: runs that make drafts, a draft's review (lines, the entries behind them, adjustments), issuing,
 * credit notes, payments, receivables, billing settings and the exports. Amounts are in the invoice's
 * currency; net of tax unless named gross.
 */
import { z } from 'zod';
import { bodyDate, namedClient, namedProject } from './common.ts';

const money = z.number().finite().refine((v) => Math.round(v * 100) / 100 === v, 'must be an amount in cents');
const id = z.string().min(1).max(200);
/** The work period an invoice or a line bills, where it has one. */
const period = { period_start: z.string().nullable(), period_end: z.string().nullable() };

export const invoiceIdParam = z.strictObject({ id: id.describe('invoice_id') });
export const lineParam = z.strictObject({ id: id.describe('invoice_id'), line_no: z.coerce.number().int().min(1).max(100_000) });

export const runBody = z.strictObject({
    client_id: id.nullish().describe('One client; absent or null: every client'),
    from: bodyDate.describe('First work date of the period'),
    to: bodyDate.describe('Last work date of the period'),
    issue_date: bodyDate.nullish().describe('The drafts’ date (default today); issuing sets the final one'),
});

export const runAnswer = z.object({
    invoices: z.array(z.object({ invoice_id: z.string(), client_id: z.string(), lines: z.number(), amount: z.number(), entries: z.number() })),
    unpriced: z.array(z.object({ client_id: z.string(), reason: z.string(), entries: z.number() })).describe('Approved billable entries of the period left out, and why'),
});

export const invoiceSummary = z.object({
    invoice_id: z.string(),
    number: z.string(),
    ...namedClient,
    issue_date: z.string(),
    due_date: z.string().nullable(),
    currency: z.string(),
    status: z.enum(['draft', 'issued', 'paid', 'void']),
    ...period,
    made_here: z.boolean().describe('Made by an invoice run here (false: loaded from a file)'),
    tax_rate: z.number(),
    fx_rate: z.number().nullable().describe('Invoice currency → reporting currency at the run’s fx date'),
    net: z.number(),
    tax: z.number(),
    gross: z.number(),
    credited_net: z.number(),
    credited_gross: z.number(),
    received: z.number(),
    outstanding: z.number(),
});
export type InvoiceSummary = z.infer<typeof invoiceSummary>;

export const invoiceListQuery = z.strictObject({
    status: z.enum(['draft', 'issued', 'paid', 'void']).optional(),
    client_id: id.optional(),
    from: bodyDate.optional().describe('Issued on or after'),
    to: bodyDate.optional().describe('Issued on or before'),
});
export const invoiceList = z.object({ rows: z.array(invoiceSummary) });

const line = z.object({
    line_no: z.number(),
    ...namedProject,
    kind: z.enum(['time', 'fixed_fee', 'milestone', 'retainer_fee', 'overage', 'adjustment']),
    hours: z.number().nullable(),
    rate: z.number().nullable(),
    amount: z.number(),
    ...period,
    milestone_id: z.string().nullable(),
    description: z.string(),
    reason: z.string().nullable(),
});

export const invoiceDetail = z.object({
    invoice: invoiceSummary,
    lines: z.array(line),
    entries: z.array(
        z.object({
            line_no: z.number(),
            entry_id: z.string(),
            work_date: z.string(),
            person_id: z.string(),
            person_name: z.string().nullable(),
            phase: z.string().nullable(),
            activity: z.string(),
            notes: z.string().nullable(),
            hours: z.number().describe('Logged'),
            billed_hours: z.number().describe('Billed, after the client’s rounding'),
        }),
    ),
    credit_notes: z.array(z.object({ credit_note_id: z.string(), issue_date: z.string(), amount: z.number(), reason: z.string(), note: z.string().nullable() })),
    payments: z.array(z.object({ payment_id: z.string(), paid_date: z.string(), received: z.number().describe('As received, tax included'), net: z.number() })),
});
export type InvoiceDetail = z.infer<typeof invoiceDetail>;

export const adjustmentBody = z.strictObject({
    amount: money.refine((v) => v !== 0, 'may not be 0').describe('Net; negative for a reduction'),
    reason: z.string().trim().min(1).max(500),
    project_id: id.nullish(),
});
export const issueBody = z.strictObject({ issue_date: bodyDate.nullish() });
export const issueAnswer = z.object({ number: z.string(), issue_date: z.string(), due_date: z.string() });
export const lineAnswer = z.object({ line_no: z.number() });

export const creditBody = z.strictObject({
    amount: money.positive().nullish().describe('Net of tax; absent: all not yet credited (a full credit note)'),
    reason: z.enum(['dispute', 'discount', 'error']),
    issue_date: bodyDate.nullish(),
    note: z.string().max(500).nullish(),
});
export const creditAnswer = z.object({ credit_note_id: z.string(), amount: z.number() });

export const paymentBody = z.strictObject({ amount: money.positive().describe('As received, tax included'), paid_date: bodyDate.nullish() });
export const paymentAnswer = z.object({ payment_id: z.string(), net: z.number(), outstanding: z.number(), status: z.string() });

export const receivablesQuery = z.strictObject({ as_of: bodyDate.optional().describe('Default today') });
export const receivablesAnswer = z.object({
    as_of: z.string(),
    rows: z.array(
        z.object({
            ...namedClient,
            currency: z.string(),
            invoices: z.number(),
            days_0_30: z.number(),
            days_31_60: z.number(),
            days_61_90: z.number(),
            days_over_90: z.number(),
            total: z.number(),
        }),
    ),
});
export type ReceivablesAnswer = z.infer<typeof receivablesAnswer>;

export const clientSettingsBody = z.strictObject({
    line_grouping: z.enum(['project', 'phase', 'role']),
    rounding_minutes: z.union([z.literal(0), z.literal(6), z.literal(15)]),
    tax_rate: z.number().min(0).lt(1).describe('0.2 = 20 %'),
    payment_terms_days: z.number().int().min(0).max(365),
});
export const clientParam = z.strictObject({ client_id: id });
export const firmSettingsBody = z.strictObject({
    firm_address: z.string().max(500).optional(),
    firm_tax_id: z.string().max(100).optional(),
    date_format: z.enum(['YYYY-MM-DD', 'DD/MM/YYYY', 'MM/DD/YYYY', 'DD.MM.YYYY']).optional(),
    invoice_prefix: z.string().regex(/^[A-Za-z0-9]{1,10}$/).optional(),
    xero_account_code: z.string().max(50).optional(),
    xero_tax_type: z.string().max(100).optional(),
    qbo_tax_code: z.string().max(100).optional(),
});
export const settingsAnswer = z.object({
    firm: z.record(z.string(), z.string().nullable()),
    clients: z.array(clientSettingsBody.extend({ client_id: z.string(), name: z.string(), currency: z.string() })),
});

export const exportParam = z.strictObject({ format: z.enum(['xero', 'quickbooks', 'lines']) });
export const exportQuery = z.strictObject({
    from: bodyDate.optional().describe('Issued on or after'),
    to: bodyDate.optional().describe('Issued on or before'),
    client_id: id.optional(),
    invoice_id: id.optional().describe('One invoice'),
    status: z.enum(['draft', 'issued', 'paid']).optional().describe('Default: issued and paid'),
});
