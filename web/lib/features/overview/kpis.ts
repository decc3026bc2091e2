/**
 * The overview's headline figures, each from the metric route that defines it, for a period and the one
 * before it. Ratios are the API's (ratio of sums over the period), never averages of monthly ratios.
 */
import type { Definitions, MetricResult } from '../../api/types.ts';
import type { Filters, Period, Source } from '../../filters.ts';
import { formatChange, formatPercent, formatRate, type Change } from '../../format.ts';
import { loadMonths, periodTotals } from './data.ts';

export interface KpiValues {
    billing_realization: number | null;
    overall_realization: number | null;
    utilization: number | null;
    margin_pct: number | null;
    effective_billable_rate: number | null;
}

export interface KpiSpec {
    key: keyof KpiValues;
    label: string;
    /** Which metric route defines it (its description is the tooltip). */
    metric: 'realization' | 'utilization' | 'margin';
    source: Source;
    kind: 'percent' | 'rate';
}

export const KPIS: readonly KpiSpec[] = [
    { key: 'billing_realization', label: 'Billing realization', metric: 'realization', source: 'finance', kind: 'percent' },
    { key: 'overall_realization', label: 'Overall realization', metric: 'realization', source: 'finance', kind: 'percent' },
    { key: 'utilization', label: 'Utilization', metric: 'utilization', source: 'people', kind: 'percent' },
    { key: 'margin_pct', label: 'Recognized margin %', metric: 'margin', source: 'finance', kind: 'percent' },
    { key: 'effective_billable_rate', label: 'Effective billable rate', metric: 'margin', source: 'finance', kind: 'rate' },
];

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/** Picks the five figures out of the three routes' single (ungrouped) rows. */
export function kpiValues(realization: MetricResult, margin: MetricResult, utilization: MetricResult): KpiValues {
    const r = realization.rows[0] ?? {};
    const m = margin.rows[0] ?? {};
    const u = utilization.rows[0] ?? {};
    return {
        billing_realization: num(r.billing_realization),
        overall_realization: num(r.overall_realization),
        utilization: num(u.utilization),
        margin_pct: num(m.margin_pct),
        effective_billable_rate: num(m.effective_billable_rate),
    };
}

/** What the KPIs need of the definitions: each metric's ratios. */
export type MetricRatios = { metrics: readonly Pick<Definitions['metrics'][number], 'name' | 'ratios'>[] };

/** A metric's ratios as its mart's .yml declares them (GET /api/definitions): ratio → [numerator, denominator]. */
export function metricRatios(defs: MetricRatios, metric: KpiSpec['metric']): Record<string, readonly [string, string]> {
    return defs.metrics.find((m) => m.name === metric)?.ratios ?? {};
}

/**
 * The KPIs of `within` (the period shown, or the one before it) from the months of `period` and the period
 * before it: the same three answers serve both tiles' values and the trends.
 */
export async function loadKpis(defs: MetricRatios, filters: Filters, period: Period, within: Period = period): Promise<KpiValues> {
    const [realization, margin, utilization] = await Promise.all([loadMonths('realization', filters, period), loadMonths('margin', filters, period), loadMonths('utilization', filters, period)]);
    return kpiValues(
        periodTotals(realization, within, metricRatios(defs, 'realization')),
        periodTotals(margin, within, metricRatios(defs, 'margin')),
        periodTotals(utilization, within, metricRatios(defs, 'utilization')),
    );
}

export interface KpiShown {
    spec: KpiSpec;
    value: string;
    previous: string;
    change: Change;
}

/** What each tile shows: the value, the previous period's, and the change (pp for ratios, % for the rate). */
export function kpiTiles(current: KpiValues, previous: KpiValues | undefined, currency: string, locale: string): KpiShown[] {
    return KPIS.map((spec) => {
        const fmt = (v: number | null | undefined) => (spec.kind === 'rate' ? formatRate(v ?? null, currency, locale) : formatPercent(v ?? null, locale));
        const prev = previous ? previous[spec.key] : null;
        return {
            spec,
            value: fmt(current[spec.key]),
            previous: fmt(prev),
            change: formatChange(current[spec.key], prev, spec.kind === 'rate' ? 'relative' : 'points', locale),
        };
    });
}
