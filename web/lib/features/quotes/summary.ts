/** A quote's headline tables: hours, cost and price at P50/P80/P90, and the hours by phase. */
import type { TableData } from '../../table.ts';
import type { QuoteAnswer } from './types.ts';

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
