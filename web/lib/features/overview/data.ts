/**
 * Every request the overview makes, in one place: six, so a browser's six connections to the server carry
 * them at once. The KPIs of the period and of the one before it, and the monthly trends, all come from
 * three answers — realization, margin and utilization by month over both periods — summed per period
 * (ratios of sums, as the API computes them for an ungrouped request). The root layout calls
 * prefetchOverview as soon as the firm's as-of date is known, so the requests are in flight while the page
 * is still loading; the cards call the same functions and share the answers (the API client dedupes).
 */
import { getJson } from '../../api/client.ts';
import type { Breakdown, Dimensions, Funnel, MetricResult } from '../../api/types.ts';
import { apiParams, previousPeriod, resolvePeriod, type Filters, type Period } from '../../filters.ts';

export type MonthlyMetric = 'realization' | 'margin' | 'utilization';

export const loadFunnel = (filters: Filters, period: Period) => getJson<Funnel>('funnel', apiParams('funnel', filters, period));
export const loadBreakdown = (by: 'client' | 'project', filters: Filters, period: Period) => getJson<Breakdown>('funnel/breakdown', apiParams('funnel', filters, period, { by }));

/** The period and the one before it, as one span of months. */
export function withPrevious(period: Period): Period {
    return { from: previousPeriod(period).from, to: period.to, months: period.months * 2 };
}

/** A metric by month over the period and the one before it. */
export function loadMonths(metric: MonthlyMetric, filters: Filters, period: Period): Promise<MetricResult> {
    return getJson<MetricResult>(metric, apiParams(metric === 'utilization' ? 'people' : 'finance', filters, withPrevious(period), { group_by: 'month' }));
}

/** The monthly rows that fall in a period (months are first days, YYYY-MM-DD). */
export function monthsIn(result: MetricResult, period: Period): MetricResult {
    return { ...result, rows: result.rows.filter((r) => typeof r.month === 'string' && r.month >= period.from && r.month <= period.to) };
}

/**
 * One row for a period out of monthly rows: every sum added over the period's months and each ratio
 * recomputed from those sums (null when the denominator is 0) — what the route answers without group_by.
 */
export function periodTotals(result: MetricResult, period: Period, ratios: Record<string, readonly [string, string]>): MetricResult {
    const sums: Record<string, number> = {};
    for (const row of monthsIn(result, period).rows) {
        for (const [k, v] of Object.entries(row)) if (typeof v === 'number' && !(k in ratios)) sums[k] = (sums[k] ?? 0) + v;
    }
    const row: Record<string, number | null> = { ...sums };
    for (const [name, [num, den]] of Object.entries(ratios)) row[name] = sums[den] ? (sums[num] ?? 0) / sums[den] : null;
    return { ...result, group_by: [], rows: [row] };
}

export function prefetchOverview(dims: Dimensions, filters: Filters): void {
    const period = resolvePeriod(filters, dims.as_of, dims.first_month);
    const swallow = (p: Promise<unknown>) => void p.catch(() => undefined); // the cards show errors themselves
    swallow(loadFunnel(filters, period));
    for (const metric of ['realization', 'margin', 'utilization'] as const) swallow(loadMonths(metric, filters, period));
    swallow(loadBreakdown('client', filters, period));
    swallow(loadBreakdown('project', filters, period));
}
