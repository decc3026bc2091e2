/** Monthly realization (billing, overall) and utilization side by side, one row per month. */
import { getJson } from '../../api/client.ts';
import type { MetricResult } from '../../api/types.ts';
import { apiParams, type Filters, type Period } from '../../filters.ts';

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

export async function loadRatioMonths(filters: Filters, period: Period): Promise<RatioMonth[]> {
    const [realization, utilization] = await Promise.all([
        getJson<MetricResult>('realization', apiParams('finance', filters, period, { group_by: 'month' })),
        getJson<MetricResult>('utilization', apiParams('people', filters, period, { group_by: 'month' })),
    ]);
    return mergeRatioMonths(realization, utilization);
}
