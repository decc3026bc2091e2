/**
 * The quote pages' tables: a quote's hours, cost and price at P50/P80/P90, its hours by phase and its deal
 * lines with the ratio each used; the saved quotes.
 */
import { formatNumber, humanize } from '../../format.ts';
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
 * The saved quotes, each linked to its page, with its version, and the project it became: linked to the
 * project's page only for a caller who may open it (opensProjects: server/roles.ts mayOpen), never to a page
 * that would refuse them. The cell shows the quote as "#7"; its link takes the number itself (qid), not that text.
 */
export function savedQuotesTable(rows: SavedQuoteRow[], opensProjects = true): TableData {
    return {
        columns: [
            { key: 'quote_id', label: 'Quote', kind: 'text', href: (r) => `/quotes/${r.qid}` },
            { key: 'name', label: 'Name', kind: 'text', href: (r) => `/quotes/${r.qid}` },
            { key: 'version', label: 'Version', kind: 'number' },
            { key: 'created_at', label: 'Saved', kind: 'date' },
            { key: 'project_type', label: 'Type', kind: 'label' },
            { key: 'billing_model', label: 'Billing', kind: 'label' },
            { key: 'estimated_hours', label: 'Estimate', kind: 'hours', digits: 0 },
            { key: 'hours_p50', label: 'P50 hours', kind: 'hours', digits: 0 },
            { key: 'hours_p80', label: 'P80 hours', kind: 'hours', digits: 0 },
            { key: 'quoted_price', label: 'Price', kind: 'money' },
            { key: 'project_id', label: 'Project', kind: 'text', href: (r) => (r.project_id && opensProjects ? `/projects/${r.project_id}` : null) },
        ],
        rows: rows.map((r) => ({ ...r, quote_id: `#${r.quote_id}`, created_at: r.created_at.slice(0, 10), qid: r.quote_id })),
    };
}

/**
 * A saved quote as one table for its CSV: the total's and each phase's hours at P10…P90 beside the estimate,
 * cost, the price at P50/P80/P90 and at the quote's confidence, the proposed price's risk, then each deal line
 * with the ratio it drew and its role's cost rate. Text cells (the quote's name, phases) are the person's own:
 * toCsv writes them as text, never as a formula.
 */
export function quoteExportTable(
    q: Pick<QuoteAnswer, 'hours' | 'hours_by_phase' | 'cost' | 'price' | 'proposal' | 'lines' | 'cost_rates' | 'estimated_hours'>,
    currency: string,
): TableData {
    const pct = (v: number) => `${Math.round(v * 100)} %`;
    const levels = (x: { p10: number; p50: number; p80: number; p90: number }) => ({ p10: x.p10, p50: x.p50, p80: x.p80, p90: x.p90 });
    return {
        columns: [
            { key: 'figure', label: 'Figure', kind: 'text' },
            { key: 'item', label: 'Item', kind: 'text' },
            { key: 'unit', label: 'Unit', kind: 'text' },
            { key: 'estimate', label: 'Estimate', kind: 'number', digits: 2 },
            ...(['p10', 'p50', 'p80', 'p90'] as const).map((k) => ({ key: k, label: k.toUpperCase(), kind: 'number' as const, digits: 2 })),
            { key: 'amount', label: 'Amount', kind: 'money' },
            { key: 'share', label: 'Share', kind: 'percent' },
            { key: 'note', label: 'Note', kind: 'text' },
        ],
        rows: [
            { figure: 'Hours', item: 'Total', unit: 'h', estimate: q.estimated_hours, ...levels(q.hours) },
            ...q.hours_by_phase.map((p) => ({ figure: 'Hours by phase', item: p.phase, unit: 'h', estimate: p.estimated_hours, ...levels(p) })),
            { figure: 'Cost', item: 'Total', unit: currency, ...levels(q.cost) },
            { figure: `Price for ${pct(q.price.target_margin)} margin`, item: 'Total', unit: currency, p50: q.price.at.p50, p80: q.price.at.p80, p90: q.price.at.p90 },
            { figure: 'Quoted price', item: `at ${pct(q.price.confidence)} confidence`, unit: currency, amount: q.price.price },
            ...(q.proposal
                ? [
                      { figure: 'Proposed price', item: 'Price', unit: currency, amount: q.proposal.price },
                      { figure: 'Proposed price', item: 'Chance the margin falls below target', share: q.proposal.p_margin_below_target },
                      { figure: 'Proposed price', item: 'Expected margin', unit: currency, amount: q.proposal.expected_margin_amount, share: q.proposal.expected_margin },
                  ]
                : []),
            ...q.lines.map((l) => ({
                figure: 'Deal line',
                item: `${l.phase} × ${l.role}`,
                unit: 'h',
                estimate: l.estimated_hours,
                amount: q.cost_rates.find((r) => r.role === l.role)?.hourly_cost ?? null,
                note: `ratio from ${l.ratio_level}; amount: cost rate per hour`,
            })),
        ],
    };
}

/**
 * Which closed projects a quote was made from, and why (models/quote/engine.ts step 2): its type and billing
 * model when enough usable projects share both, else its type, else every type. The counts are the engine's
 * own (`of_type`, `of_type_and_billing`, `min_class_projects`); `listed` is how many closed projects of the
 * type the page lists, so a fallback never seems to contradict it: listed ones that could not be used are
 * named as such.
 */
export function referenceNote(r: QuoteAnswer['reference'], type: string, billing: string, locale: string, listed?: number): string {
    const n = (v: number) => formatNumber(v, locale);
    const kind = humanize(type).toLowerCase();
    const bill = humanize(billing).toLowerCase();
    const plural = (v: number, word: string) => `${n(v)} ${word}${v === 1 ? '' : 's'}`;
    if (r.level === 'project_type_billing_model') return `from ${plural(r.projects, `closed ${kind} project`)} billed ${bill}`;
    if (r.of_type === undefined || r.min_class_projects === undefined) {
        return r.level === 'project_type' ? `from ${plural(r.projects, `closed ${kind} project`)}` : `from ${plural(r.projects, 'closed project')} of every type`;
    }
    const min = n(r.min_class_projects);
    if (r.level === 'project_type') {
        return `from ${plural(r.projects, `closed ${kind} project`)} of every billing model: only ${n(r.of_type_and_billing ?? 0)} of them billed ${bill}, fewer than the ${min} a class needs`;
    }
    const usable = r.of_type;
    const unusable = listed !== undefined && listed > usable ? `${n(listed)} closed ${kind} projects, of which only ${n(usable)} have a baseline plan and time logged before the quote’s date` : `only ${plural(usable, `closed ${kind} project`)} with a baseline plan and time logged`;
    return `from ${plural(r.projects, 'closed project')} of every type: ${unusable}, fewer than the ${min} needed to quote from one type alone`;
}
