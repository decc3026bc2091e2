/**
 * What every chart by month starts from: the base, the legend across the top, the plot under it, the tooltip
 * of the month under the pointer (its figures, then the definition) and the months along the x axis. A
 * builder adds its value axes and series.
 */
import type { EChartsOption } from 'echarts';
import { base, grid, legend, monthAxis, monthTooltip, type ChartContext } from './common.ts';

export interface MonthChart<R> {
    /** The tooltip's lines for the month's row. */
    figures: (row: R) => [string, string][];
    definition?: string;
    /** Room right of the plot, in px (16 unless told). */
    right?: number;
    /** Settings over the month axis' own. */
    axis?: Record<string, unknown>;
}

export function monthChart<R extends { month?: string | number | null }>(rows: readonly R[], ctx: ChartContext, chart: MonthChart<R>): EChartsOption {
    return {
        ...base(),
        legend: legend(),
        grid: grid({ top: 36, right: chart.right ?? 16 }),
        tooltip: monthTooltip(rows, ctx, chart.figures, chart.definition),
        xAxis: monthAxis(
            rows.map((r) => String(r.month)),
            ctx,
            chart.axis,
        ),
    };
}
