/** Bar charts over categories: one or more measures side by side, or shares stacked to 100 %. */
import type { EChartsOption } from 'echarts';
import { formatHours, formatNumber, formatPercent } from '../../format.ts';
import { axisTooltip, barSeries, base, categoryAxis, grid, legend, percentAxis, tip, valueAxis, type ChartContext } from '../common.ts';
import { SERIES } from '../palette.ts';

export interface BarSeries {
    key: string;
    name: string;
    color?: string;
}

export type ValueFormat = 'percent' | 'hours' | 'count';

function formatter(format: ValueFormat, ctx: ChartContext) {
    return (v: number | null) => (format === 'percent' ? formatPercent(v, ctx.locale) : format === 'hours' ? formatHours(v, ctx.locale) : formatNumber(v, ctx.locale));
}

/**
 * Horizontal bars, one row per category (first category on top). `stacked` stacks the series (shares that
 * add to 100 %).
 */
export function buildCategoryBarOption(
    rows: Record<string, unknown>[],
    spec: { category: string; categoryLabel?: (c: string) => string; series: BarSeries[]; format: ValueFormat; stacked?: boolean; definition?: string; max?: number },
    ctx: ChartContext,
): EChartsOption {
    const fmt = formatter(spec.format, ctx);
    const label = spec.categoryLabel ?? ((c: string) => c);
    const shown = [...rows].reverse();
    return {
        ...base(),
        legend: spec.series.length > 1 ? legend() : { show: false },
        grid: grid({ top: spec.series.length > 1 ? 32 : 8, right: 40 }),
        tooltip: axisTooltip(
            shown,
            (r) => tip(label(String(r[spec.category])), spec.series.map((s) => [s.name, fmt(r[s.key] as number | null)]), spec.definition),
            'shadow',
        ),
        xAxis: spec.format === 'percent' ? percentAxis(ctx, spec.max !== undefined ? { max: spec.max } : {}) : valueAxis((v) => formatNumber(v, ctx.locale)),
        yAxis: categoryAxis(shown.map((r) => label(String(r[spec.category])))),
        series: spec.series.map((s, i) =>
            barSeries(
                s.name,
                shown.map((r) => (typeof r[s.key] === 'number' ? (r[s.key] as number) : null)),
                s.color ?? SERIES[i % SERIES.length]!,
                {
                    stack: spec.stacked ? 'total' : undefined,
                    barMaxWidth: 22,
                    label: spec.stacked ? { show: false } : { show: true, position: 'right' as const, fontSize: 11, formatter: (p: unknown) => fmt((p as { value: number }).value) },
                },
            ),
        ),
    };
}
