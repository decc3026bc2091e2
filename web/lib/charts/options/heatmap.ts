/**
 * A heatmap of a ratio over two categories (weeks × roles for utilization; roles × phases for estimate vs
 * actual). Empty cells (no denominator) stay blank rather than reading as 0.
 */
import type { EChartsOption } from 'echarts';
import { formatPercent, formatRatio } from '../../format.ts';
import { base, categoryAxis, grid, itemTooltip, tip, type ChartContext } from '../common.ts';
import { DIVERGING, SEQUENTIAL } from '../palette.ts';

export interface HeatCell {
    x: string;
    y: string;
    value: number | null;
    /** Extra lines for the tooltip, already formatted. */
    details?: [string, string][];
}

export interface HeatmapSpec {
    xs: string[];
    ys: string[];
    cells: HeatCell[];
    /** 'percent' values are ratios shown as %; 'ratio' shown as 1.23×. */
    format: 'percent' | 'ratio';
    scale: 'sequential' | 'diverging';
    min: number;
    max: number;
    xLabel?: (x: string) => string;
    yLabel?: (y: string) => string;
    definition?: string;
    /** Print the value in each cell (small matrices). */
    cellLabels?: boolean;
}

export function buildHeatmapOption(spec: HeatmapSpec, ctx: ChartContext): EChartsOption {
    const fmt = (v: number | null) => (spec.format === 'percent' ? formatPercent(v, ctx.locale, 0) : formatRatio(v, ctx.locale));
    const xIndex = new Map(spec.xs.map((x, i) => [x, i]));
    const yIndex = new Map(spec.ys.map((y, i) => [y, i]));
    const data = spec.cells
        .filter((c) => c.value !== null && xIndex.has(c.x) && yIndex.has(c.y))
        .map((c) => ({ value: [xIndex.get(c.x)!, yIndex.get(c.y)!, c.value as number], cell: c }));
    const xl = spec.xLabel ?? ((x: string) => x);
    const yl = spec.yLabel ?? ((y: string) => y);
    return {
        ...base(),
        grid: grid({ top: 8, bottom: 48 }),
        tooltip: itemTooltip(({ data: { cell: c } }: { data: { cell: HeatCell } }) => tip(`${yl(c.y)} · ${xl(c.x)}`, [['Value', fmt(c.value)], ...(c.details ?? [])], spec.definition)),
        xAxis: categoryAxis(spec.xs.map(xl), { hideOverlap: true }, { splitArea: { show: false } }),
        yAxis: categoryAxis(spec.ys.map(yl), {}, { inverse: true }),
        visualMap: {
            type: 'continuous',
            min: spec.min,
            max: spec.max,
            calculable: false,
            orient: 'horizontal',
            left: 'center',
            bottom: 0,
            itemHeight: 160,
            itemWidth: 12,
            text: [fmt(spec.max), fmt(spec.min)],
            textStyle: { fontSize: 11 },
            inRange: { color: spec.scale === 'diverging' ? DIVERGING : SEQUENTIAL },
        },
        series: [
            {
                type: 'heatmap',
                data,
                itemStyle: { borderColor: '#ffffff', borderWidth: 1 },
                label: spec.cellLabels ? { show: true, fontSize: 11, formatter: (p: unknown) => fmt((p as { data: { cell: HeatCell } }).data.cell.value) } : { show: false },
                emphasis: { itemStyle: { borderColor: '#1d2733', borderWidth: 1 } },
            },
        ],
    };
}
