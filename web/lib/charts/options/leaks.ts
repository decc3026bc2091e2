/**
 * The worst leaks by client or project: one horizontal bar per group, stacked by kind of leak — the leaks the
 * API's definitions name (a leak split into parts stays one bar: its parts are in the table).
 */
import type { EChartsOption } from 'echarts';
import type { BreakdownRow, Definitions } from '../../api/types.ts';
import { formatMoney } from '../../format.ts';
import type { TableData } from '../../table.ts';
import { axisTooltip, barSeries, base, categoryAxis, grid, legend, moneyAxis, tip, type ChartContext } from '../common.ts';
import { leakColour } from '../palette.ts';

/** The leaks of the API's definitions (key, label, colour key). */
export type LeakDefinitions = Definitions['leaks'];

const amountOf = (r: BreakdownRow, key: string): number => Number(r[key] ?? 0);

/** The `limit` groups with the largest total leak (potential − collected), largest first. */
export function worstLeaks(rows: BreakdownRow[], limit: number): BreakdownRow[] {
    return [...rows].sort((a, b) => b.total_leaks - a.total_leaks || a.label.localeCompare(b.label)).slice(0, limit);
}

export function buildLeakBreakdownOption(rows: BreakdownRow[], ctx: ChartContext, leaks: LeakDefinitions, limit = 10): EChartsOption {
    const top = worstLeaks(rows, limit);
    // ECharts draws the first category at the bottom: reverse so the worst is on top.
    const shown = [...top].reverse();
    return {
        ...base(),
        legend: legend({ itemWidth: 12, itemHeight: 10, textStyle: { fontSize: 11 } }),
        grid: grid({ top: 56 }),
        tooltip: axisTooltip(
            shown,
            (r) =>
                tip(
                    r.label,
                    [
                        ...leaks.filter((l) => amountOf(r, l.key) !== 0).map((l) => [l.label, formatMoney(amountOf(r, l.key), ctx.currency, ctx.locale)] as [string, string]),
                        ['Total leaks', formatMoney(r.total_leaks, ctx.currency, ctx.locale)],
                    ],
                    'Total leaks = potential value − collected. Click a bar to filter the dashboard to it.',
                ),
            'shadow',
        ),
        xAxis: moneyAxis(ctx),
        yAxis: categoryAxis(
            shown.map((r) => r.label),
            { width: 150, overflow: 'truncate' },
        ),
        series: leaks.map((l) =>
            barSeries(
                l.label,
                shown.map((r) => ({ value: amountOf(r, l.key), groupKey: r.key })),
                leakColour(l.colour),
                { stack: 'leaks', cursor: 'pointer', barMaxWidth: 22 },
            ),
        ),
    };
}

export function leakBreakdownTable(rows: BreakdownRow[], leaks: LeakDefinitions, limit = 10, groupLabel = 'Client'): TableData {
    const columns = leaks.flatMap((l) => [l, ...l.parts]);
    return {
        columns: [
            { key: 'label', label: groupLabel, kind: 'text' },
            ...columns.map((l) => ({ key: l.key, label: l.label, kind: 'money' as const })),
            { key: 'total_leaks', label: 'Total leaks', kind: 'money' },
        ],
        rows: worstLeaks(rows, limit).map((r) => ({ key: r.key, label: r.label, ...Object.fromEntries(columns.map((l) => [l.key, amountOf(r, l.key)])), total_leaks: r.total_leaks })),
    };
}
