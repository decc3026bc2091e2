/**
 * The printable invoice: the firm's details, the client, the lines, net, tax and total, what was credited and
 * received, and an appendix listing the time behind each line (every entry, logged and billed hours). Plain
 * HTML with its own styles and no script, the same page the PDF is printed from (pdf.ts). Every value is
 * escaped; dates in the firm's date format.
 */
import type { InvoiceDetail } from '../../server/schemas/invoices.ts';
import { formatDate } from './settings.ts';

export interface DocumentFirm {
    firm_name: string | null;
    firm_address: string | null;
    firm_tax_id: string | null;
    date_format: string | null;
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export const esc = (value: unknown): string => String(value ?? '').replace(/[&<>"']/g, (c) => ESCAPES[c]!);

function money(amount: number, currency: string): string {
    return `${amount.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })} ${currency}`;
}

const STYLE = `
    body { font: 13px/1.45 system-ui, sans-serif; color: #1b1f24; margin: 32px; }
    h1 { font-size: 22px; margin: 0 0 4px; }
    h2 { font-size: 15px; margin: 28px 0 8px; }
    header { display: flex; justify-content: space-between; gap: 24px; }
    .muted { color: #5b6470; }
    table { border-collapse: collapse; width: 100%; margin-top: 8px; }
    th, td { text-align: left; padding: 5px 8px; border-bottom: 1px solid #d8dde3; vertical-align: top; }
    th { background: #f3f5f7; font-weight: 600; }
    td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
    .totals { width: auto; margin-left: auto; }
    .totals td { border: none; padding: 3px 8px; }
    .totals tr.total td { font-weight: 700; border-top: 2px solid #1b1f24; }
    .draft { color: #b3261e; font-weight: 700; }
    .appendix { page-break-before: always; }
    pre { font: inherit; margin: 0; white-space: pre-wrap; }
`;

export function invoiceHtml(doc: InvoiceDetail, firm: DocumentFirm): string {
    const inv = doc.invoice;
    const d = (date: string | null) => esc(formatDate(date, firm.date_format));
    const m = (amount: number) => esc(money(amount, inv.currency));
    const title = inv.status === 'draft' ? `Draft invoice ${inv.number}` : `Invoice ${inv.number}`;
    const lines = doc.lines
        .map(
            (l) => `<tr><td>${l.line_no}</td><td>${esc(l.description)}${l.reason && l.kind !== 'adjustment' ? `<div class="muted">${esc(l.reason)}</div>` : ''}</td>
            <td>${l.period_start ? `${d(l.period_start)}${l.period_end && l.period_end !== l.period_start ? ` – ${d(l.period_end)}` : ''}` : ''}</td>
            <td class="num">${l.hours ?? ''}</td><td class="num">${l.rate === null ? '' : m(l.rate)}</td><td class="num">${m(l.amount)}</td></tr>`,
        )
        .join('\n');
    const totals = [
        ['Net', inv.net],
        [`Tax (${(inv.tax_rate * 100).toFixed(2).replace(/\.?0+$/, '')} %)`, inv.tax],
        ['Total', inv.gross],
        ...(inv.credited_gross ? [['Credited', -inv.credited_gross]] : []),
        ...(inv.received ? [['Received', -inv.received]] : []),
        ...(inv.credited_gross || inv.received ? [['Outstanding', inv.outstanding]] : []),
    ] as [string, number][];
    const appendix = doc.lines
        .filter((l) => doc.entries.some((e) => e.line_no === l.line_no))
        .map((l) => {
            const rows = doc.entries
                .filter((e) => e.line_no === l.line_no)
                .map(
                    (e) =>
                        `<tr><td>${d(e.work_date)}</td><td>${esc(e.person_name ?? e.person_id)}</td><td>${esc(e.phase)}</td><td>${esc(e.activity)}</td><td><pre>${esc(e.notes)}</pre></td><td>${esc(e.entry_id)}</td><td class="num">${e.hours}</td><td class="num">${e.billed_hours}</td></tr>`,
                )
                .join('\n');
            return `<h2>Line ${l.line_no}: ${esc(l.description)}</h2>
            <table><thead><tr><th>Date</th><th>Person</th><th>Phase</th><th>Activity</th><th>Notes</th><th>Entry</th><th class="num">Logged h</th><th class="num">Billed h</th></tr></thead>
            <tbody>${rows}</tbody></table>`;
        })
        .join('\n');
    return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${esc(title)}</title><style>${STYLE}</style></head>
<body>
<header>
    <div><h1>${esc(firm.firm_name ?? '')}</h1><div class="muted"><pre>${esc(firm.firm_address)}</pre>${firm.firm_tax_id ? `Tax id ${esc(firm.firm_tax_id)}` : ''}</div></div>
    <div><h1 class="${inv.status === 'draft' ? 'draft' : ''}">${esc(title)}</h1>
        <div>Date ${d(inv.issue_date)}${inv.due_date ? ` · due ${d(inv.due_date)}` : ''}</div>
        ${inv.period_start ? `<div>Period ${d(inv.period_start)} – ${d(inv.period_end)}</div>` : ''}
        <div class="muted">${esc(inv.invoice_id)} · ${esc(inv.currency)}${inv.fx_rate !== null && inv.fx_rate !== 1 ? ` · fx ${inv.fx_rate} to the reporting currency` : ''}</div></div>
</header>
<h2>Bill to</h2><div>${esc(inv.client_name ?? inv.client_id)}</div>
<table><thead><tr><th>#</th><th>Description</th><th>Period</th><th class="num">Hours</th><th class="num">Rate</th><th class="num">Amount</th></tr></thead>
<tbody>${lines}</tbody></table>
<table class="totals"><tbody>${totals.map(([k, v]) => `<tr class="${k === 'Total' || k === 'Outstanding' ? 'total' : ''}"><td>${esc(k)}</td><td class="num">${m(v)}</td></tr>`).join('')}</tbody></table>
${doc.credit_notes.length ? `<h2>Credit notes</h2><table><tbody>${doc.credit_notes.map((c) => `<tr><td>${esc(c.credit_note_id)}</td><td>${d(c.issue_date)}</td><td>${esc(c.reason)}</td><td class="num">${m(c.amount)} net</td></tr>`).join('')}</tbody></table>` : ''}
${appendix ? `<section class="appendix"><h1>Appendix: the time behind each line</h1>${appendix}</section>` : ''}
</body></html>`;
}
