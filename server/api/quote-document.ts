/**
 * A saved quote to hand on: the printable page the PDF is printed from (capture/invoicing/pdf.ts, the same
 * headless Chromium as invoices) and its CSV (web/lib/table.ts toCsv, every text cell safe in a spreadsheet).
 * Both are made from the tables the quote's page shows (web/lib/features/quotes/summary.ts), so the page,
 * the PDF and the CSV never disagree. Every value in the HTML is escaped; it has its own styles and no script.
 */
import { esc } from '../../capture/invoicing/document.ts';
import { linesTable, phaseTable, quoteExportTable, referenceNote, summaryTable } from '../../web/lib/features/quotes/summary.ts';
import { cellText, toCsv, type FormatContext, type TableData } from '../../web/lib/table.ts';
import { formatMoney, formatPercent, humanize } from '../../web/lib/format.ts';
import type { SavedQuoteDetail } from '../schemas/quotes.ts';

const NUMERIC = new Set(['money', 'rate', 'hours', 'percent', 'ratio', 'number']);

const STYLE = `
    body { font: 13px/1.45 system-ui, sans-serif; color: #1b1f24; margin: 32px; }
    h1 { font-size: 22px; margin: 0 0 4px; }
    h2 { font-size: 15px; margin: 24px 0 6px; }
    .muted { color: #5b6470; }
    .price { font-size: 26px; font-weight: 700; margin: 12px 0 2px; }
    table { border-collapse: collapse; width: 100%; margin-top: 6px; }
    th, td { text-align: left; padding: 4px 8px; border-bottom: 1px solid #d8dde3; vertical-align: top; }
    th { background: #f3f5f7; font-weight: 600; }
    td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
`;

/** A table as the page shows it: each cell formatted by cellText, numbers right-aligned. */
function tableHtml(t: TableData, ctx: FormatContext): string {
    const cls = (kind: string) => (NUMERIC.has(kind) ? ' class="num"' : '');
    const head = t.columns.map((c) => `<th${cls(c.kind)}>${esc(c.label)}</th>`).join('');
    const body = t.rows.map((r) => `<tr>${t.columns.map((c) => `<td${cls(c.kind)}>${esc(cellText(c, r, ctx))}</td>`).join('')}</tr>`).join('\n');
    return `<table><thead><tr>${head}</tr></thead><tbody>${body}</tbody></table>`;
}

/** The quote as one printable page: what was quoted, for what, by whom and on which data. */
export function quoteHtml(q: SavedQuoteDetail): string {
    const ctx = { currency: q.currency, locale: 'en-US' };
    const r = q.result;
    const title = `Quote #${q.quote_id}${q.name ? `: ${q.name}` : ''}`;
    const proposal = r.proposal
        ? `<h2>Proposed price ${esc(formatMoney(r.proposal.price, ctx.currency, ctx.locale))}</h2>
           <p>${esc(formatPercent(r.proposal.p_margin_below_target, ctx.locale, 0))} chance the margin falls below ${esc(formatPercent(r.price.target_margin, ctx.locale, 0))}; expected margin ${esc(formatPercent(r.proposal.expected_margin, ctx.locale, 1))}.</p>`
        : '';
    return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${esc(title)}</title><style>${STYLE}</style></head>
<body>
<h1>${esc(title)}</h1>
<div class="muted">Version ${q.version}${q.revises ? ` (edited from #${q.revises})` : ''} · ${esc(humanize(q.project_type))} · ${esc(humanize(q.billing_model))} · saved ${esc(q.created_at.slice(0, 16).replace('T', ' '))} UTC${q.created_by ? ` by ${esc(q.created_by)}` : ''} · data as of ${esc(q.as_of)}</div>
<div class="price">${esc(formatMoney(r.price.price, ctx.currency, ctx.locale))}</div>
<div class="muted">Price for ${esc(formatPercent(r.price.target_margin, ctx.locale, 0))} margin at ${esc(formatPercent(r.price.confidence, ctx.locale, 0))} confidence; ${esc(referenceNote(r.reference, q.project_type, q.billing_model, ctx.locale))}.</div>
${proposal}
<h2>Hours, cost and price</h2>${tableHtml(summaryTable(r), ctx)}
<h2>Hours by phase</h2>${tableHtml(phaseTable(r), ctx)}
<h2>Deal lines</h2>${tableHtml(linesTable(r), ctx)}
</body></html>`;
}

/** The quote's CSV: one table of its figures and lines (summary.ts quoteExportTable). */
export function quoteCsv(q: SavedQuoteDetail): string {
    const t = quoteExportTable(q.result, q.currency);
    const about = [
        { figure: 'Quote', item: `#${q.quote_id}, version ${q.version}`, note: q.name ?? '' },
        { figure: 'Deal', item: `${q.project_type}, ${q.billing_model}`, note: `saved ${q.created_at.slice(0, 10)} by ${q.created_by ?? 'unknown'}; data as of ${q.as_of}; currency ${q.currency}` },
    ];
    return toCsv({ ...t, rows: [...about, ...t.rows] }, { currency: q.currency });
}
