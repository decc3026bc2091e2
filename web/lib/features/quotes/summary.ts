/**
 * The quote pages' tables: a quote's hours, cost and price at P50/P80/P90, its hours by phase and its deal
 * lines with the ratio each used; the saved quotes.
 */
import type { TableData } from '../../table.ts';
import type { QuoteAnswer, SavedQuoteRow } from './types.ts';

/** The quote's summary rows: hours, cost and price at P50/P80/P90. */
export function summaryTable(q: Pick<QuoteAnswer, 'hours' | 'cost' | 'price'>): TableData {
    const m = q.price.target_margin;
    return {
        columns: [
            { key: 'level', label: '', kind: 'text' },
            { key: 'hours', label: 'Hours', kind: 'hours', digits: 0 },
            { key: 'cost', label: 'Cost', kind: 'money' },
            { key: 'price', label: `Price for ${Math.round(m * 100)} % margin`, kind: 'money' },
        ],
        rows: (['p50', 'p80', 'p90'] as const).map((k) => ({ level: k.toUpperCase(), hours: q.hours[k], cost: q.cost[k], price: q.price.at[k] })),
    };
}

export function phaseTable(q: Pick<QuoteAnswer, 'hours_by_phase'>): TableData {
    return {
        columns: [
            { key: 'phase', label: 'Phase', kind: 'label' },
            { key: 'estimated_hours', label: 'Estimate', kind: 'hours', digits: 0 },
            ...(['p10', 'p50', 'p80', 'p90'] as const).map((k) => ({ key: k, label: k.toUpperCase(), kind: 'hours' as const, digits: 0 })),
        ],
        rows: q.hours_by_phase.map((p) => ({ ...p })),
    };
}

/** The deal's lines: which ratio each drew (phase × role, phase or project) and the role's cost rate. */
export function linesTable(q: Pick<QuoteAnswer, 'lines' | 'cost_rates'>): TableData {
    return {
        columns: [
            { key: 'phase', label: 'Phase', kind: 'label' },
            { key: 'role', label: 'Role', kind: 'label' },
            { key: 'estimated_hours', label: 'Estimate', kind: 'hours', digits: 0 },
            { key: 'ratio_level', label: 'Ratio from', kind: 'label' },
            { key: 'reference_projects_with_cell', label: 'Projects with the cell', kind: 'number' },
            { key: 'rate', label: 'Cost rate', kind: 'rate' },
        ],
        rows: q.lines.map((l) => ({ ...l, rate: q.cost_rates.find((r) => r.role === l.role)?.hourly_cost ?? null })),
    };
}

/**
 * The saved quotes, each linked to its page (and to the project it became). The cell shows the quote as
 * "#7"; its link takes the number itself (qid), not that text.
 */
export function savedQuotesTable(rows: SavedQuoteRow[]): TableData {
    return {
        columns: [
            { key: 'quote_id', label: 'Quote', kind: 'text', href: (r) => `/quotes/${r.qid}` },
            { key: 'name', label: 'Name', kind: 'text', href: (r) => `/quotes/${r.qid}` },
            { key: 'created_at', label: 'Saved', kind: 'date' },
            { key: 'project_type', label: 'Type', kind: 'label' },
            { key: 'billing_model', label: 'Billing', kind: 'label' },
            { key: 'estimated_hours', label: 'Estimate', kind: 'hours', digits: 0 },
            { key: 'hours_p50', label: 'P50 hours', kind: 'hours', digits: 0 },
            { key: 'hours_p80', label: 'P80 hours', kind: 'hours', digits: 0 },
            { key: 'quoted_price', label: 'Price', kind: 'money' },
            { key: 'project_id', label: 'Project', kind: 'text', href: (r) => (r.project_id ? `/projects/${r.project_id}` : null) },
        ],
        rows: rows.map((r) => ({ ...r, quote_id: `#${r.quote_id}`, created_at: r.created_at.slice(0, 10), qid: r.quote_id })),
    };
}
