/** Monthly trends: revenue, cost and margin %; realization and utilization as percentage lines. */
import type { EChartsOption } from 'echarts';
import { formatMoney, formatMonth, formatPercent } from '../../format.ts';
import type { Column, TableData } from '../../table.ts';
import { axisLabel, base, moneyAxis, percentAxis, tip, tooltipStyle, type ChartContext } from '../common.ts';
import { COST, SERIES, STAGE } from '../palette.ts';

export interface MarginMonth {
    month: string;
    revenue: number | null;
    cost: number | null;
    margin: number | null;
    margin_pct: number | null;
}

const monthAxis = (months: string[], ctx: ChartContext) => ({
    type: 'category' as const,
    data: months,
    axisLabel: { ...axisLabel, formatter: (m: string) => formatMonth(m, ctx.locale) },
    axisTick: { alignWithLabel: true },
});

export function buildMarginTrendOption(rows: MarginMonth[], ctx: ChartContext, definitions: { revenue?: string; cost?: string; margin_pct?: string } = {}): EChartsOption {
    const months = rows.map((r) => r.month);
    return {
        ...base(),
        legend: { top: 0, left: 0, textStyle: { fontSize: 12 } },
        grid: { left: 8, right: 8, top: 36, bottom: 8, containLabel: true },
        tooltip: {
            ...tooltipStyle,
            trigger: 'axis',
            formatter: (ps: unknown) => {
                const i = (ps as { dataIndex: number }[])[0]?.dataIndex ?? 0;
                const r = rows[i]!;
                return tip(
                    formatMonth(r.month, ctx.locale),
                    [
                        ['Revenue recognized', formatMoney(r.revenue, ctx.currency, ctx.locale)],
                        ['Cost', formatMoney(r.cost, ctx.currency, ctx.locale)],
                        ['Margin', formatMoney(r.margin, ctx.currency, ctx.locale)],
                        ['Margin %', formatPercent(r.margin_pct, ctx.locale)],
                    ],
                    definitions.margin_pct ?? 'Margin % = (revenue recognized − cost) ÷ revenue recognized.',
                );
            },
        },
        xAxis: monthAxis(months, ctx),
        yAxis: [moneyAxis(ctx), percentAxis(ctx, { splitLine: { show: false } })],
        series: [
            { name: 'Revenue recognized', type: 'bar', data: rows.map((r) => r.revenue), itemStyle: { color: STAGE }, barGap: '10%' },
            { name: 'Cost', type: 'bar', data: rows.map((r) => r.cost), itemStyle: { color: COST } },
            { name: 'Margin %', type: 'line', yAxisIndex: 1, data: rows.map((r) => r.margin_pct), itemStyle: { color: SERIES[1] }, lineStyle: { width: 2.5 }, symbolSize: 6 },
        ],
    };
}

export function marginTrendTable(rows: MarginMonth[]): TableData {
    return {
        columns: [
            { key: 'month', label: 'Month', kind: 'month' },
            { key: 'revenue', label: 'Revenue recognized', kind: 'money' },
            { key: 'cost', label: 'Cost', kind: 'money' },
            { key: 'margin', label: 'Margin', kind: 'money' },
            { key: 'margin_pct', label: 'Margin %', kind: 'percent' },
        ],
        rows: rows.map((r) => ({ ...r })),
    };
}

export interface RatioSeries {
    key: string;
    name: string;
    definition?: string;
}

/** Percentage lines by month (one series per key); a null ratio (no denominator) is a gap, not zero. */
export function buildRatioTrendOption(rows: Record<string, string | number | null>[], series: RatioSeries[], ctx: ChartContext): EChartsOption {
    const months = rows.map((r) => String(r.month));
    return {
        ...base(),
        legend: { top: 0, left: 0, textStyle: { fontSize: 12 } },
        grid: { left: 8, right: 16, top: 36, bottom: 8, containLabel: true },
        tooltip: {
            ...tooltipStyle,
            trigger: 'axis',
            formatter: (ps: unknown) => {
                const i = (ps as { dataIndex: number }[])[0]?.dataIndex ?? 0;
                const r = rows[i]!;
                return tip(
                    formatMonth(String(r.month), ctx.locale),
                    series.map((s) => [s.name, formatPercent(r[s.key] as number | null, ctx.locale)]),
                    series.map((s) => s.definition).filter(Boolean).join(' '),
                );
            },
        },
        xAxis: monthAxis(months, ctx),
        yAxis: percentAxis(ctx),
        series: series.map((s, i) => ({
            name: s.name,
            type: 'line' as const,
            data: rows.map((r) => (typeof r[s.key] === 'number' ? (r[s.key] as number) : null)),
            itemStyle: { color: SERIES[i % SERIES.length] },
            lineStyle: { width: 2.5 },
            symbolSize: 6,
            connectNulls: false,
        })),
    };
}

export function ratioTrendTable(rows: Record<string, string | number | null>[], series: RatioSeries[]): TableData {
    const columns: Column[] = [{ key: 'month', label: 'Month', kind: 'month' }, ...series.map((s) => ({ key: s.key, label: s.name, kind: 'percent' as const, help: s.definition }))];
    return { columns, rows: rows.map((r) => Object.fromEntries(columns.map((c) => [c.key, r[c.key] ?? null]))) };
}
