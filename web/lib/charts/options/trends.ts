/** Monthly trends: revenue, cost and margin %; realization and utilization as percentage lines. */
import type { EChartsOption } from 'echarts';
import { formatMoney, formatPercent } from '../../format.ts';
import type { Column, TableData } from '../../table.ts';
import { barSeries, lineSeries, markLines, moneyAxis, percentAxis, type ChartContext } from '../common.ts';
import { monthChart } from '../month-chart.ts';
import { COST, MUTED, SERIES, STAGE } from '../palette.ts';

export interface MarginMonth {
    month: string;
    revenue: number | null;
    cost: number | null;
    margin: number | null;
    margin_pct: number | null;
}

export interface RatioSeries {
    key: string;
    name: string;
    definition?: string;
}

/** The month axis of a trend: each tick under its label (bars sit between ticks otherwise). */
const TICKS_UNDER_LABELS = { axisTick: { alignWithLabel: true } };

export function buildMarginTrendOption(rows: MarginMonth[], ctx: ChartContext, definitions: { revenue?: string; cost?: string; margin_pct?: string } = {}): EChartsOption {
    return {
        ...monthChart(rows, ctx, {
            figures: (r) => [
                ['Revenue recognized', formatMoney(r.revenue, ctx.currency, ctx.locale)],
                ['Cost', formatMoney(r.cost, ctx.currency, ctx.locale)],
                ['Recognized margin', formatMoney(r.margin, ctx.currency, ctx.locale)],
                ['Recognized margin %', formatPercent(r.margin_pct, ctx.locale)],
            ],
            definition: definitions.margin_pct ?? 'Recognized margin % = (revenue recognized − cost) ÷ revenue recognized (not the funnel’s realized margin: cash collected − cost).',
            right: 8,
            axis: TICKS_UNDER_LABELS,
        }),
        yAxis: [moneyAxis(ctx), percentAxis(ctx, { splitLine: { show: false } })],
        series: [
            barSeries('Revenue recognized', rows.map((r) => r.revenue), STAGE, { barGap: '10%' }),
            barSeries('Cost', rows.map((r) => r.cost), COST),
            lineSeries('Recognized margin %', rows.map((r) => r.margin_pct), SERIES[1]!, { yAxisIndex: 1 }),
        ],
    };
}

export function marginTrendTable(rows: MarginMonth[]): TableData {
    return {
        columns: [
            { key: 'month', label: 'Month', kind: 'month' },
            { key: 'revenue', label: 'Revenue recognized', kind: 'money' },
            { key: 'cost', label: 'Cost', kind: 'money' },
            { key: 'margin', label: 'Recognized margin', kind: 'money' },
            { key: 'margin_pct', label: 'Recognized margin %', kind: 'percent' },
        ],
        rows: rows.map((r) => ({ ...r })),
    };
}

/**
 * Percentage lines by month (one series per key); a null ratio (no denominator) is a gap, not zero. A month
 * still open (`openMonth`, its work not all invoiced yet) has a dashed line labelled "open".
 */
export function buildRatioTrendOption(rows: Record<string, string | number | boolean | null>[], series: RatioSeries[], ctx: ChartContext, openMonth?: string): EChartsOption {
    const open = openMonth && rows.some((r) => r.month === openMonth) ? openMonth : undefined;
    return {
        ...monthChart(rows, ctx, {
            figures: (r) => series.map((s) => [s.name, formatPercent(r[s.key] as number | null, ctx.locale)]),
            definition: series.map((s) => s.definition).filter(Boolean).join(' '),
            axis: TICKS_UNDER_LABELS,
        }),
        yAxis: percentAxis(ctx),
        series: series.map((s, i) =>
            lineSeries(
                s.name,
                rows.map((r) => (typeof r[s.key] === 'number' ? (r[s.key] as number) : null)),
                SERIES[i % SERIES.length]!,
                {
                    connectNulls: false,
                    ...(open && i === 0
                        ? { markLine: markLines([{ xAxis: open }], { lineStyle: { color: MUTED, type: 'dashed' }, label: { formatter: 'open', color: MUTED, fontSize: 11, position: 'end' } }) }
                        : {}),
                },
            ),
        ),
    };
}

/** The chart's table; a month still open says so in its own column. */
export function ratioTrendTable(rows: Record<string, string | number | boolean | null>[], series: RatioSeries[]): TableData {
    const columns: Column[] = [{ key: 'month', label: 'Month', kind: 'month' }, ...series.map((s) => ({ key: s.key, label: s.name, kind: 'percent' as const, help: s.definition }))];
    const withOpen = rows.some((r) => r.open === true);
    if (withOpen) columns.push({ key: 'open', label: 'Status', kind: 'text', help: 'Open: its work is not all invoiced or collected yet.' });
    return { columns, rows: rows.map((r) => ({ ...Object.fromEntries(columns.map((c) => [c.key, (r[c.key] as string | number | null) ?? null])), ...(withOpen ? { open: r.open ? 'open' : 'closed' } : {}) })) };
}
