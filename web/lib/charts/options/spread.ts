/**
 * Closeout evidence: for each phase of a project type, the spread of per-project actual ÷ estimate ratios
 * (a bar from P10 to P90), the median (a marker) and the ratio of sums (a diamond), against 1.0 = on plan.
 */
import type { EChartsOption } from 'echarts';
import { formatNumber, formatRatio, humanize } from '../../format.ts';
import type { Column, TableData } from '../../table.ts';
import { axisTooltip, base, categoryAxis, floatingBase, grid, legend, markerSeries, markLines, tip, valueAxis, type ChartContext } from '../common.ts';
import { INK, SERIES } from '../palette.ts';

export interface SpreadRow {
    phase: string;
    projects: number;
    ratio_projects: number;
    estimated_hours: number;
    actual_hours: number;
    ratio_of_sums: number | null;
    ratio_median: number | null;
    ratio_p10: number | null;
    ratio_p90: number | null;
}

/** The axis hugs the data (and always shows 1.0×) instead of starting at zero. */
export function lowerBound(rows: SpreadRow[]): number {
    const lo = Math.min(1, ...rows.map((r) => r.ratio_p10 ?? 1), ...rows.map((r) => r.ratio_of_sums ?? 1));
    return Math.max(0, Math.floor(tenths(lo - 0.1)) / 10);
}

export function upperBound(rows: SpreadRow[]): number {
    const hi = Math.max(1, ...rows.map((r) => r.ratio_p90 ?? 1), ...rows.map((r) => r.ratio_of_sums ?? 1), ...rows.map((r) => r.ratio_median ?? 1));
    return Math.ceil(tenths(hi + 0.1)) / 10;
}

/** v × 10 with floating-point noise removed, so 1.4 does not round up to 1.5. */
const tenths = (v: number) => Math.round(v * 1e7) / 1e6;

export function buildSpreadOption(rows: SpreadRow[], ctx: ChartContext, definition?: string): EChartsOption {
    const shown = rows.filter((r) => r.ratio_p10 !== null && r.ratio_p90 !== null);
    const r2 = (v: number) => Math.round(v * 1e4) / 1e4;
    return {
        ...base(),
        legend: legend({ data: ['P10–P90 of projects', 'Median', 'Σ actual ÷ Σ estimate'] }),
        grid: grid({ top: 36, right: 56 }),
        tooltip: axisTooltip(
            shown,
            (r) =>
                tip(
                    humanize(r.phase),
                    [
                        ['P10', formatRatio(r.ratio_p10, ctx.locale)],
                        ['Median', formatRatio(r.ratio_median, ctx.locale)],
                        ['P90', formatRatio(r.ratio_p90, ctx.locale)],
                        ['Σ actual ÷ Σ estimate', formatRatio(r.ratio_of_sums, ctx.locale)],
                        ['Projects with a ratio', formatNumber(r.ratio_projects, ctx.locale)],
                    ],
                    definition,
                ),
            'shadow',
        ),
        xAxis: categoryAxis(
            shown.map((r) => humanize(r.phase)),
            { interval: 0 },
        ),
        yAxis: valueAxis((v) => `${v}×`, { min: lowerBound(shown), max: upperBound(shown) }),
        series: [
            floatingBase(
                'spread',
                shown.map((r) => r2(r.ratio_p10!)),
            ),
            {
                name: 'P10–P90 of projects',
                type: 'bar',
                stack: 'spread',
                barMaxWidth: 36,
                itemStyle: { color: '#c6dbef', borderColor: SERIES[0], borderWidth: 1 },
                data: shown.map((r) => r2(r.ratio_p90! - r.ratio_p10!)),
                markLine: markLines([{ yAxis: 1 }], { lineStyle: { color: INK, type: 'dashed' }, label: { formatter: 'on plan', fontSize: 10 } }),
            },
            markerSeries('Median', shown.map((r) => r.ratio_median), 'rect', [26, 4], INK),
            markerSeries('Σ actual ÷ Σ estimate', shown.map((r) => r.ratio_of_sums), 'diamond', 11, SERIES[1]!),
        ],
    };
}

/** The columns of a ratio's spread over projects, after the phase (the closeout evidence adds the role between). */
export const SPREAD_COLUMNS: Column[] = [
    { key: 'projects', label: 'Projects', kind: 'number' },
    { key: 'estimated_hours', label: 'Estimated', kind: 'hours' },
    { key: 'actual_hours', label: 'Actual', kind: 'hours' },
    { key: 'ratio_of_sums', label: 'Σ actual ÷ Σ estimate', kind: 'ratio' },
    { key: 'ratio_p10', label: 'P10', kind: 'ratio' },
    { key: 'ratio_median', label: 'Median', kind: 'ratio' },
    { key: 'ratio_p90', label: 'P90', kind: 'ratio' },
];

export function spreadTable(rows: SpreadRow[]): TableData {
    return {
        columns: [{ key: 'phase', label: 'Phase', kind: 'label' }, ...SPREAD_COLUMNS],
        rows: rows.map((r) => ({ ...r })),
    };
}
