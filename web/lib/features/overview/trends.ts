/** Monthly realization (billing, overall) and utilization side by side, one row per month. */
import type { MetricResult } from '../../api/types.ts';
import type { Filters, Period } from '../../filters.ts';
import { loadMonths, monthsIn } from './data.ts';

export interface RatioMonth {
    month: string;
    billing_realization: number | null;
    overall_realization: number | null;
    utilization: number | null;
    [key: string]: string | number | null;
}

/** Joins the two routes' monthly rows on the month; a month missing from one has null there. */
export function mergeRatioMonths(realization: MetricResult, utilization: MetricResult): RatioMonth[] {
    const byMonth = new Map<string, RatioMonth>();
    const row = (month: string) => {
        let r = byMonth.get(month);
        if (!r) {
            r = { month, billing_realization: null, overall_realization: null, utilization: null };
            byMonth.set(month, r);
        }
        return r;
    };
    for (const r of realization.rows) {
        const m = row(String(r.month));
        m.billing_realization = typeof r.billing_realization === 'number' ? r.billing_realization : null;
        m.overall_realization = typeof r.overall_realization === 'number' ? r.overall_realization : null;
    }
    for (const r of utilization.rows) row(String(r.month)).utilization = typeof r.utilization === 'number' ? r.utilization : null;
    return [...byMonth.values()].sort((a, b) => a.month.localeCompare(b.month));
}

/** The period's months (the answers cover the period before it too, for the KPIs). */
export async function loadRatioMonths(filters: Filters, period: Period): Promise<RatioMonth[]> {
    const [realization, utilization] = await Promise.all([loadMonths('realization', filters, period), loadMonths('utilization', filters, period)]);
    return mergeRatioMonths(monthsIn(realization, period), monthsIn(utilization, period));
}

export async function loadMarginMonths(filters: Filters, period: Period): Promise<MetricResult> {
    return monthsIn(await loadMonths('margin', filters, period), period);
}
