/** Bar charts over categories: one or more measures side by side, or shares stacked to 100 %. */
import type { EChartsOption } from 'echarts';
import { formatHours, formatNumber, formatPercent } from '../../format.ts';
import { axisLabel, base, percentAxis, splitLine, tip, tooltipStyle, type ChartContext } from '../common.ts';
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
        legend: spec.series.length > 1 ? { top: 0, left: 0, textStyle: { fontSize: 12 } } : { show: false },
        grid: { left: 8, right: 40, top: spec.series.length > 1 ? 32 : 8, bottom: 8, containLabel: true },
        tooltip: {
            ...tooltipStyle,
            trigger: 'axis',
            axisPointer: { type: 'shadow' },
            formatter: (ps: unknown) => {
                const i = (ps as { dataIndex: number }[])[0]?.dataIndex ?? 0;
                const r = shown[i]!;
                return tip(label(String(r[spec.category])), spec.series.map((s) => [s.name, fmt(r[s.key] as number | null)]), spec.definition);
            },
        },
        xAxis:
            spec.format === 'percent'
                ? percentAxis(ctx, spec.max !== undefined ? { max: spec.max } : {})
                : { type: 'value', axisLabel: { ...axisLabel, formatter: (v: number) => formatNumber(v, ctx.locale) }, splitLine },
        yAxis: { type: 'category', data: shown.map((r) => label(String(r[spec.category]))), axisLabel, axisTick: { show: false } },
        series: spec.series.map((s, i) => ({
            name: s.name,
            type: 'bar' as const,
            stack: spec.stacked ? 'total' : undefined,
            itemStyle: { color: s.color ?? SERIES[i % SERIES.length] },
            barMaxWidth: 22,
            label: spec.stacked ? { show: false } : { show: true, position: 'right' as const, fontSize: 11, formatter: (p: unknown) => fmt((p as { value: number }).value) },
            data: shown.map((r) => (typeof r[s.key] === 'number' ? (r[s.key] as number) : null)),
        })),
    };
}
