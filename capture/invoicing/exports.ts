/**
 * Invoices as the accounting tools import them, one row per line with the invoice repeated, dates in the
 * firm's date format (settings.ts), every cell through the dashboard's csvField (a text cell a spreadsheet
 * would run as a formula is written as text):
 * - Xero's sales-invoice import: ContactName, InvoiceNumber, InvoiceDate, DueDate, Description, Quantity,
 *   UnitAmount, AccountCode, TaxType, Currency, Reference;
 * - QuickBooks Online's invoice import: Invoice number, Customer, Invoice date, Due date, Terms, Service Date,
 *   Item (Product/Service), Item Description, Item Quantity, Item Rate, Item Amount, Item tax code, Memo;
 * - every line with the ids of the entries it bills.
 * A line's quantity × unit amount is its amount to the cent: a time or overage line whose hours × rate would
 * round otherwise is written as 1 × its amount, its hours in the description, so the tools total what the
 * invoice does.
 */
import { csvField } from '../../web/lib/csv.ts';
import { formatDate } from './settings.ts';

export interface ExportInvoice {
    invoice_id: string;
    number: string;
    client_name: string | null;
    client_id: string;
    issue_date: string;
    due_date: string | null;
    currency: string;
    status: string;
    tax_rate: number;
}

export interface ExportLine {
    invoice_id: string;
    line_no: number;
    project_id: string;
    kind: string;
    hours: number | null;
    rate: number | null;
    amount: number;
    period_start: string | null;
    period_end: string | null;
    milestone_id: string | null;
    description: string;
    reason: string | null;
}

export interface ExportSettings {
    date_format: string | null;
    xero_account_code: string | null;
    xero_tax_type: string | null;
    qbo_tax_code: string | null;
}

export const XERO_COLUMNS = ['ContactName', 'InvoiceNumber', 'InvoiceDate', 'DueDate', 'Description', 'Quantity', 'UnitAmount', 'AccountCode', 'TaxType', 'Currency', 'Reference'];
export const QUICKBOOKS_COLUMNS = [
    'Invoice number',
    'Customer',
    'Invoice date',
    'Due date',
    'Terms',
    'Service Date',
    'Item (Product/Service)',
    'Item Description',
    'Item Quantity',
    'Item Rate',
    'Item Amount',
    'Item tax code',
    'Memo',
];
export const LINE_COLUMNS = [
    'invoice_id',
    'number',
    'client_id',
    'client',
    'issue_date',
    'currency',
    'status',
    'line_no',
    'project_id',
    'kind',
    'description',
    'hours',
    'rate',
    'amount',
    'period_start',
    'period_end',
    'milestone_id',
    'reason',
    'entry_ids',
];

const ITEMS: Record<string, string> = {
    time: 'Hours',
    fixed_fee: 'Fixed fee',
    milestone: 'Milestone',
    retainer_fee: 'Retainer',
    overage: 'Overage hours',
    adjustment: 'Adjustment',
};

type Cell = { text: string; numeric?: boolean };
const text = (value: string | null | undefined): Cell => ({ text: value ?? '' });
const num = (value: number | null | undefined): Cell => ({ text: value === null || value === undefined ? '' : String(value), numeric: true });

function csv(header: string[], rows: Cell[][]): string {
    return [header.map((h) => csvField(h)).join(','), ...rows.map((r) => r.map((c) => csvField(c.text, c.numeric)).join(','))].join('\r\n') + '\r\n';
}

/** Quantity and unit amount whose product is the line's amount to the cent. */
export function quantityOf(line: ExportLine): { quantity: number; unit: number; description: string } {
    if (line.hours !== null && line.rate !== null && Math.round(line.hours * line.rate * 100) / 100 === line.amount) {
        return { quantity: line.hours, unit: line.rate, description: line.description };
    }
    const hours = line.hours !== null && line.kind !== 'adjustment' ? ` (${line.hours} h)` : '';
    return { quantity: 1, unit: line.amount, description: `${line.description}${hours}` };
}

function terms(inv: ExportInvoice): string {
    if (!inv.due_date) return '';
    const days = Math.round((Date.parse(inv.due_date) - Date.parse(inv.issue_date)) / 86_400_000);
    return days === 0 ? 'Due on receipt' : `Net ${days}`;
}

function byInvoice(invoices: ExportInvoice[], lines: ExportLine[]): [ExportInvoice, ExportLine][] {
    const of = new Map(invoices.map((i) => [i.invoice_id, i]));
    return lines.filter((l) => of.has(l.invoice_id)).map((l) => [of.get(l.invoice_id)!, l]);
}

export function xeroCsv(invoices: ExportInvoice[], lines: ExportLine[], s: ExportSettings): string {
    const rows = byInvoice(invoices, lines).map(([inv, line]) => {
        const q = quantityOf(line);
        return [
            text(inv.client_name ?? inv.client_id),
            text(inv.number),
            text(formatDate(inv.issue_date, s.date_format)),
            text(formatDate(inv.due_date, s.date_format)),
            text(q.description),
            num(q.quantity),
            num(q.unit),
            text(s.xero_account_code),
            text(inv.tax_rate > 0 ? s.xero_tax_type : 'Tax Exempt'),
            text(inv.currency),
            text(inv.invoice_id),
        ];
    });
    return csv(XERO_COLUMNS, rows);
}

export function quickbooksCsv(invoices: ExportInvoice[], lines: ExportLine[], s: ExportSettings): string {
    const rows = byInvoice(invoices, lines).map(([inv, line]) => {
        const q = quantityOf(line);
        return [
            text(inv.number),
            text(inv.client_name ?? inv.client_id),
            text(formatDate(inv.issue_date, s.date_format)),
            text(formatDate(inv.due_date, s.date_format)),
            text(terms(inv)),
            text(formatDate(line.period_end ?? inv.issue_date, s.date_format)),
            text(ITEMS[line.kind] ?? line.kind),
            text(q.description),
            num(q.quantity),
            num(q.unit),
            num(line.amount),
            text(inv.tax_rate > 0 ? s.qbo_tax_code : 'NON'),
            text(line.reason ?? inv.invoice_id),
        ];
    });
    return csv(QUICKBOOKS_COLUMNS, rows);
}

export function linesCsv(invoices: ExportInvoice[], lines: ExportLine[], entryIds: Map<string, string[]>, s: ExportSettings): string {
    const rows = byInvoice(invoices, lines).map(([inv, line]) => [
        text(inv.invoice_id),
        text(inv.number),
        text(inv.client_id),
        text(inv.client_name),
        text(formatDate(inv.issue_date, s.date_format)),
        text(inv.currency),
        text(inv.status),
        num(line.line_no),
        text(line.project_id),
        text(line.kind),
        text(line.description),
        num(line.hours),
        num(line.rate),
        num(line.amount),
        text(formatDate(line.period_start, s.date_format)),
        text(formatDate(line.period_end, s.date_format)),
        text(line.milestone_id),
        text(line.reason),
        text((entryIds.get(`${line.invoice_id}#${line.line_no}`) ?? []).join(' ')),
    ]);
    return csv(LINE_COLUMNS, rows);
}
