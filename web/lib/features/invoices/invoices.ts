/**
 * The invoicing pages' data: the API's shapes (server/schemas/invoices.ts, as types), the writes (each drops
 * the cached answers, since the dashboards move with them), downloads that carry the signed-in token, and the
 * tables the pages show.
 */
import type { z } from 'zod';
import { ApiError, apiUrl, invalidate, sendJson } from '../../api/client.ts';
import { authHeaders } from '../../api/session.ts';
import { saveBlob } from '../../download.ts';
import { amountInRowCurrency, CURRENCY_COLUMN, type TableData } from '../../table.ts';
import type { invoiceDetail, invoiceSummary, receivablesAnswer, runAnswer, settingsAnswer } from '../../../../server/schemas/invoices.ts';

export type InvoiceSummary = z.infer<typeof invoiceSummary>;
export type InvoiceDetail = z.infer<typeof invoiceDetail>;
export type RunAnswer = z.infer<typeof runAnswer>;
export type Receivables = z.infer<typeof receivablesAnswer>;
export type BillingSettings = z.infer<typeof settingsAnswer>;

/** A write: its answer, after which every cached GET is dropped (figures, lists, the funnel). */
export async function write<T>(path: string, body: unknown, method: 'POST' | 'PUT' | 'DELETE' = 'POST'): Promise<T> {
    const answer = await sendJson<T>(method, path, body);
    invalidate();
    return answer;
}

/** Downloads /api/<path> as a file, with the signed-in token (a plain link would not carry it). */
export async function download(path: string, params: Record<string, string | undefined>, filename: string): Promise<void> {
    const res = await fetch(apiUrl(path, params), { headers: authHeaders() });
    if (!res.ok) {
        const p = (await res.json().catch(() => ({}))) as { title?: string; detail?: string };
        throw new ApiError(res.status, p.title ?? `HTTP ${res.status}`, p.detail ?? res.statusText);
    }
    saveBlob(filename, await res.blob());
}

/** First and last day of a month given as YYYY-MM. */
export function monthRange(month: string): { from: string; to: string } {
    const [y, m] = month.split('-').map(Number) as [number, number];
    const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
    return { from: `${month}-01`, to: `${month}-${String(last).padStart(2, '0')}` };
}

/** The month before today's, YYYY-MM: what a run usually bills. */
export function lastMonth(today = new Date()): string {
    const d = new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth() - 1, 1));
    return d.toISOString().slice(0, 7);
}

export function invoiceTable(rows: InvoiceSummary[]): TableData {
    return {
        columns: [
            { key: 'number', label: 'Number', kind: 'text', href: (r) => `/invoices/${encodeURIComponent(String(r.invoice_id))}` },
            { key: 'client_name', label: 'Client', kind: 'text' },
            { key: 'issue_date', label: 'Date', kind: 'date' },
            { key: 'due_date', label: 'Due', kind: 'date' },
            { key: 'status', label: 'Status', kind: 'label' },
            CURRENCY_COLUMN,
            amountInRowCurrency('net', 'Net'),
            amountInRowCurrency('gross', 'Total'),
            amountInRowCurrency('outstanding', 'Outstanding'),
        ],
        rows,
    };
}

export function receivablesTable(rows: Receivables['rows']): TableData {
    return {
        columns: [
            { key: 'client_name', label: 'Client', kind: 'text' },
            CURRENCY_COLUMN,
            { key: 'invoices', label: 'Invoices', kind: 'number' },
            amountInRowCurrency('days_0_30', '0–30 days'),
            amountInRowCurrency('days_31_60', '31–60 days'),
            amountInRowCurrency('days_61_90', '61–90 days'),
            amountInRowCurrency('days_over_90', 'Over 90 days'),
            amountInRowCurrency('total', 'Total'),
        ],
        rows,
    };
}

export function entryTable(entries: InvoiceDetail['entries']): TableData {
    return {
        columns: [
            { key: 'work_date', label: 'Date', kind: 'date' },
            { key: 'person_name', label: 'Person', kind: 'text' },
            { key: 'phase', label: 'Phase', kind: 'text' },
            { key: 'activity', label: 'Activity', kind: 'label' },
            { key: 'notes', label: 'Notes', kind: 'text' },
            { key: 'entry_id', label: 'Entry', kind: 'text', href: (r) => `/rates?entry=${encodeURIComponent(String(r.entry_id))}` },
            { key: 'hours', label: 'Logged h', kind: 'hours' },
            { key: 'billed_hours', label: 'Billed h', kind: 'hours' },
        ],
        rows: entries,
    };
}

export const KIND_LABELS: Record<string, string> = {
    time: 'Time',
    fixed_fee: 'Fixed fee',
    milestone: 'Milestone',
    retainer_fee: 'Retainer fee',
    overage: 'Overage',
    adjustment: 'Adjustment',
};
