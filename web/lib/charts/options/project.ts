/** A project's own charts: budget burn against elapsed time, and retainer usage with rollover. */
import type { EChartsOption } from 'echarts';
import type { BurnMonth } from '../../api/types.ts';
import { formatHours, formatMonth, formatPercent } from '../../format.ts';
import type { TableData } from '../../table.ts';
import { axisLabel, base, percentAxis, splitLine, tip, tooltipStyle, type ChartContext } from '../common.ts';
import { LEAK_COLORS, SERIES, STAGE } from '../palette.ts';

const monthAxis = (months: string[], ctx: ChartContext) => ({
    type: 'category' as const,
    data: months,
    axisLabel: { ...axisLabel, formatter: (m: string) => formatMonth(m, ctx.locale) },
});

/** Burn (hours used ÷ budget) and share of the duration elapsed, month end by month end; alert lines at 75/90/100 %. */
export function buildBurnOption(rows: BurnMonth[], ctx: ChartContext, definition?: string): EChartsOption {
    const top = Math.max(1.1, ...rows.map((r) => r.burn ?? 0)) * 1.05;
    return {
        ...base(),
        legend: { top: 0, left: 0, textStyle: { fontSize: 12 } },
        grid: { left: 8, right: 48, top: 36, bottom: 8, containLabel: true },
        tooltip: {
            ...tooltipStyle,
            trigger: 'axis',
            formatter: (ps: unknown) => {
                const i = (ps as { dataIndex: number }[])[0]?.dataIndex ?? 0;
                const r = rows[i]!;
                return tip(
                    formatMonth(r.month, ctx.locale),
                    [
                        ['Burn', formatPercent(r.burn, ctx.locale)],
                        ['Elapsed', formatPercent(r.share_elapsed, ctx.locale)],
                        ['Hours used', formatHours(r.hours_used, ctx.locale)],
                        ['Budget', formatHours(r.budget_hours, ctx.locale)],
                        ['Estimate at completion', formatHours(r.eac_hours, ctx.locale)],
                    ],
                    definition,
                );
            },
        },
        xAxis: monthAxis(
            rows.map((r) => r.month),
            ctx,
        ),
        yAxis: percentAxis(ctx, { max: Math.ceil(top * 10) / 10, min: 0 }),
        series: [
            {
                name: 'Budget burn',
                type: 'line',
                data: rows.map((r) => r.burn),
                itemStyle: { color: LEAK_COLORS.overrun },
                lineStyle: { width: 3 },
                symbolSize: 6,
                markLine: {
                    silent: true,
                    symbol: 'none',
                    lineStyle: { color: '#9aa4af', type: 'dashed' },
                    label: { formatter: (p: unknown) => `${Math.round((p as { value: number }).value * 100)}%`, fontSize: 10, color: '#5b6675' },
                    data: [{ yAxis: 0.75 }, { yAxis: 0.9 }, { yAxis: 1 }],
                },
            },
            { name: 'Time elapsed', type: 'line', data: rows.map((r) => r.share_elapsed), itemStyle: { color: STAGE }, lineStyle: { width: 2, type: 'dashed' }, symbolSize: 5 },
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

/** Billable hours stacked as included, rolled over and overage, against the month's included hours. */
export function buildRetainerOption(rows: RetainerMonth[], ctx: ChartContext, definition?: string): EChartsOption {
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
                    formatMonth(r.month, ctx.locale),
                    [
                        ['Included hours', formatHours(r.included_hours, ctx.locale)],
                        ['Used from included', formatHours(r.included_used_hours, ctx.locale)],
                        ['Used from rollover', formatHours(r.rollover_used_hours, ctx.locale)],
                        ['Overage', formatHours(r.overage_hours, ctx.locale)],
                        ['Unused included', formatHours(r.included_unused_hours, ctx.locale)],
                    ],
                    definition,
                );
            },
        },
        xAxis: monthAxis(
            rows.map((r) => r.month),
            ctx,
        ),
        yAxis: { type: 'value', axisLabel: { ...axisLabel, formatter: (v: number) => `${v} h` }, splitLine },
        series: [
            { name: 'Included used', type: 'bar', stack: 'h', data: rows.map((r) => r.included_used_hours), itemStyle: { color: STAGE } },
            { name: 'Rollover used', type: 'bar', stack: 'h', data: rows.map((r) => r.rollover_used_hours), itemStyle: { color: SERIES[4] } },
            { name: 'Overage', type: 'bar', stack: 'h', data: rows.map((r) => r.overage_hours), itemStyle: { color: LEAK_COLORS.overrun } },
            { name: 'Included hours', type: 'line', step: 'middle', data: rows.map((r) => r.included_hours), itemStyle: { color: '#1d2733' }, lineStyle: { width: 2, type: 'dashed' }, symbol: 'none' },
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

export interface OverrunMonth {
    month: string;
    billable_value: number;
    recognized_revenue: number;
    overrun: number;
}

/** Billable value against revenue recognized by month; the gap is the overrun (fixed fee beyond budget…). */
export function buildOverrunOption(rows: OverrunMonth[], ctx: ChartContext & { formatMoney: (v: number | null) => string }, definition?: string): EChartsOption {
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
                    formatMonth(r.month, ctx.locale),
                    [
                        ['Billable value', ctx.formatMoney(r.billable_value)],
                        ['Revenue recognized', ctx.formatMoney(r.recognized_revenue)],
                        ['Overrun', ctx.formatMoney(r.overrun)],
                    ],
                    definition,
                );
            },
        },
        xAxis: monthAxis(
            rows.map((r) => r.month),
            ctx,
        ),
        yAxis: { type: 'value', axisLabel: { ...axisLabel, formatter: (v: number) => ctx.formatMoney(v).replace(/[.,]00$/, '') }, splitLine },
        series: [
            { name: 'Billable value', type: 'bar', data: rows.map((r) => r.billable_value), itemStyle: { color: '#9ecae1' } },
            { name: 'Revenue recognized', type: 'bar', data: rows.map((r) => r.recognized_revenue), itemStyle: { color: STAGE } },
            { name: 'Overrun', type: 'line', data: rows.map((r) => r.overrun), itemStyle: { color: LEAK_COLORS.overrun }, lineStyle: { width: 2.5 }, symbolSize: 6 },
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
