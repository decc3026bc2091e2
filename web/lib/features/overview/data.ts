/**
 * Every request the overview makes, in one place: the page's cards call these, and the route's load
 * function calls them all as soon as the firm's as-of date is known, so the requests are in flight while
 * the page is still being set up (identical requests are shared by the API client).
 */
import { getJson } from '../../api/client.ts';
import type { Breakdown, Dimensions, Funnel, MetricResult } from '../../api/types.ts';
import { apiParams, previousPeriod, resolvePeriod, type Filters, type Period } from '../../filters.ts';
import { loadKpis } from './kpis.ts';
import { loadRatioMonths } from './trends.ts';

export const loadFunnel = (filters: Filters, period: Period) => getJson<Funnel>('funnel', apiParams('funnel', filters, period));
export const loadMarginMonths = (filters: Filters, period: Period) => getJson<MetricResult>('margin', apiParams('finance', filters, period, { group_by: 'month' }));
export const loadBreakdown = (by: 'client' | 'project', filters: Filters, period: Period) => getJson<Breakdown>('funnel/breakdown', apiParams('funnel', filters, period, { by }));

export function prefetchOverview(dims: Dimensions, filters: Filters): void {
    const period = resolvePeriod(filters, dims.as_of, dims.first_month);
    const swallow = (p: Promise<unknown>) => void p.catch(() => undefined); // the cards show errors themselves
    swallow(loadFunnel(filters, period));
    swallow(loadKpis(filters, period));
    swallow(loadKpis(filters, previousPeriod(period)));
    swallow(loadMarginMonths(filters, period));
    swallow(loadRatioMonths(filters, period));
    swallow(loadBreakdown('client', filters, period));
    swallow(loadBreakdown('project', filters, period));
}
