/** A project's own charts: budget burn against elapsed time, and retainer usage with rollover. */
import type { EChartsOption } from 'echarts';
import type { BurnMonth } from '../../api/types.ts';
import { formatHours, formatPercent } from '../../format.ts';
import type { TableData } from '../../table.ts';
import { barSeries, lineSeries, markLines, percentAxis, valueAxis, type ChartContext } from '../common.ts';
import { monthChart } from '../month-chart.ts';
import { OVERRUN, SERIES, STAGE } from '../palette.ts';

export interface RetainerMonth {
    month: string;
    included_hours: number;
    billable_hours: number;
    included_used_hours: number;
    rollover_used_hours: number;
    overage_hours: number;
    included_unused_hours: number;
    fee: number;
    overage_amount: number;
    revenue: number;
}

/** A month without activity (the calendar stays continuous) has null figures: a gap, not a zero. */
export interface OverrunMonth {
    month: string;
    billable_value: number | null;
    recognized_revenue: number | null;
    overrun: number | null;
}

/** Burn (hours used ÷ budget) and share of the duration elapsed, month end by month end; alert lines at 75/90/100 %. */
export function buildBurnOption(rows: BurnMonth[], ctx: ChartContext, definition?: string): EChartsOption {
    const top = Math.max(1.1, ...rows.map((r) => r.burn ?? 0)) * 1.05;
    return {
        ...monthChart(rows, ctx, {
            figures: (r) => [
                ['Burn', formatPercent(r.burn, ctx.locale)],
                ['Elapsed', formatPercent(r.share_elapsed, ctx.locale)],
                ['Hours used', formatHours(r.hours_used, ctx.locale)],
                ['Budget', formatHours(r.budget_hours, ctx.locale)],
                ['Estimate at completion', formatHours(r.eac_hours, ctx.locale)],
            ],
            definition,
            right: 48,
        }),
        yAxis: percentAxis(ctx, { max: Math.ceil(top * 10) / 10, min: 0 }),
        series: [
            lineSeries(
                'Budget burn',
                rows.map((r) => r.burn),
                OVERRUN,
                {
                    lineStyle: { width: 3 },
                    markLine: markLines([{ yAxis: 0.75 }, { yAxis: 0.9 }, { yAxis: 1 }], {
                        lineStyle: { color: '#9aa4af', type: 'dashed' },
                        label: { formatter: (p: unknown) => `${Math.round((p as { value: number }).value * 100)}%`, fontSize: 10, color: '#5b6675' },
                    }),
                },
            ),
            lineSeries(
                'Time elapsed',
                rows.map((r) => r.share_elapsed),
                STAGE,
                { lineStyle: { width: 2, type: 'dashed' }, symbolSize: 5 },
            ),
        ],
    };
}

export function burnTable(rows: BurnMonth[]): TableData {
    return {
        columns: [
            { key: 'month', label: 'Month', kind: 'month' },
            { key: 'hours', label: 'Hours in month', kind: 'hours' },
            { key: 'hours_used', label: 'Hours used (cumulative)', kind: 'hours' },
            { key: 'budget_hours', label: 'Budget', kind: 'hours' },
            { key: 'burn', label: 'Burn', kind: 'percent' },
            { key: 'share_elapsed', label: 'Elapsed', kind: 'percent' },
            { key: 'eac_hours', label: 'Estimate at completion', kind: 'hours' },
            { key: 'alert_level', label: 'Alert (%)', kind: 'number' },
        ],
        rows: rows.map((r) => ({ ...r })),
    };
}

/** What a retainer month's tooltip says, in hours. */
const RETAINER_FIGURES: [string, 'included_hours' | 'included_used_hours' | 'rollover_used_hours' | 'overage_hours' | 'included_unused_hours'][] = [
    ['Included hours', 'included_hours'],
    ['Used from included', 'included_used_hours'],
    ['Used from rollover', 'rollover_used_hours'],
    ['Overage', 'overage_hours'],
    ['Unused included', 'included_unused_hours'],
];

/** Billable hours stacked as included, rolled over and overage, against the month's included hours. */
export function buildRetainerOption(rows: RetainerMonth[], ctx: ChartContext, definition?: string): EChartsOption {
    const hours = (key: keyof RetainerMonth) => rows.map((r) => r[key]);
    return {
        ...monthChart(rows, ctx, { figures: (r) => RETAINER_FIGURES.map(([label, key]) => [label, formatHours(r[key], ctx.locale)]), definition }),
        yAxis: valueAxis((v) => `${v} h`),
        series: [
            barSeries('Included used', hours('included_used_hours'), STAGE, { stack: 'h' }),
            barSeries('Rollover used', hours('rollover_used_hours'), SERIES[4]!, { stack: 'h' }),
            barSeries('Overage', hours('overage_hours'), OVERRUN, { stack: 'h' }),
            { name: 'Included hours', type: 'line', step: 'middle', data: hours('included_hours'), itemStyle: { color: '#1d2733' }, lineStyle: { width: 2, type: 'dashed' }, symbol: 'none' },
        ],
    };
}

export function retainerTable(rows: RetainerMonth[]): TableData {
    return {
        columns: [
            { key: 'month', label: 'Month', kind: 'month' },
            { key: 'included_hours', label: 'Included', kind: 'hours' },
            { key: 'billable_hours', label: 'Billable', kind: 'hours' },
            { key: 'included_used_hours', label: 'Included used', kind: 'hours' },
            { key: 'rollover_used_hours', label: 'Rollover used', kind: 'hours' },
            { key: 'overage_hours', label: 'Overage', kind: 'hours' },
            { key: 'included_unused_hours', label: 'Unused', kind: 'hours' },
            { key: 'fee', label: 'Fee', kind: 'money' },
            { key: 'overage_amount', label: 'Overage billed', kind: 'money' },
            { key: 'revenue', label: 'Revenue', kind: 'money' },
        ],
        rows: rows.map((r) => ({ ...r })),
    };
}

/** Billable value against revenue recognized by month; the gap is the overrun (fixed fee beyond budget…). */
export function buildOverrunOption(rows: OverrunMonth[], ctx: ChartContext & { formatMoney: (v: number | null) => string }, definition?: string): EChartsOption {
    return {
        ...monthChart(rows, ctx, {
            figures: (r) => [
                ['Billable value', ctx.formatMoney(r.billable_value)],
                ['Revenue recognized', ctx.formatMoney(r.recognized_revenue)],
                ['Overrun', ctx.formatMoney(r.overrun)],
            ],
            definition,
        }),
        yAxis: valueAxis((v) => ctx.formatMoney(v).replace(/[.,]00$/, '')),
        series: [
            barSeries('Billable value', rows.map((r) => r.billable_value), '#9ecae1'),
            barSeries('Revenue recognized', rows.map((r) => r.recognized_revenue), STAGE),
            lineSeries('Overrun', rows.map((r) => r.overrun), OVERRUN),
        ],
    };
}

export function overrunTable(rows: OverrunMonth[]): TableData {
    return {
        columns: [
            { key: 'month', label: 'Month', kind: 'month' },
            { key: 'billable_value', label: 'Billable value', kind: 'money' },
            { key: 'recognized_revenue', label: 'Revenue recognized', kind: 'money' },
            { key: 'overrun', label: 'Overrun', kind: 'money' },
        ],
        rows: rows.map((r) => ({ ...r })),
    };
}
