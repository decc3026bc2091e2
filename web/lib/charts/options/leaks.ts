/** The worst leaks by client or project: one horizontal bar per group, stacked by kind of leak. */
import type { EChartsOption } from 'echarts';
import { LEAK_KEYS, type BreakdownRow, type LeakKey } from '../../api/types.ts';
import { formatMoney } from '../../format.ts';
import type { TableData } from '../../table.ts';
import { axisTooltip, barSeries, base, categoryAxis, grid, legend, moneyAxis, tip, type ChartContext } from '../common.ts';
import { LEAK_COLORS } from '../palette.ts';

export const LEAK_LABELS: Record<LeakKey, string> = {
    untracked: 'Untracked time',
    unbilled_meetings: 'Unbilled client meetings',
    unbilled_other: 'Other unbilled client work',
    overrun: 'Scope creep / overrun',
    not_invoiced: 'Not yet invoiced',
    credited: 'Disputes and write-offs',
    uncollected: 'Uncollected',
};

/** The `limit` groups with the largest total leak (potential − collected), largest first. */
export function worstLeaks(rows: BreakdownRow[], limit: number): BreakdownRow[] {
    return [...rows].sort((a, b) => b.total_leaks - a.total_leaks || a.label.localeCompare(b.label)).slice(0, limit);
}

export function buildLeakBreakdownOption(rows: BreakdownRow[], ctx: ChartContext, limit = 10): EChartsOption {
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
                        ...LEAK_KEYS.filter((k) => r[k] !== 0).map((k) => [LEAK_LABELS[k], formatMoney(r[k], ctx.currency, ctx.locale)] as [string, string]),
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
        series: LEAK_KEYS.map((k) =>
            barSeries(
                LEAK_LABELS[k],
                shown.map((r) => ({ value: r[k], groupKey: r.key })),
                LEAK_COLORS[k],
                { stack: 'leaks', cursor: 'pointer', barMaxWidth: 22 },
            ),
        ),
    };
}

export function leakBreakdownTable(rows: BreakdownRow[], limit = 10, groupLabel = 'Client'): TableData {
    return {
        columns: [
            { key: 'label', label: groupLabel, kind: 'text' },
            ...LEAK_KEYS.map((k) => ({ key: k, label: LEAK_LABELS[k], kind: 'money' as const })),
            { key: 'total_leaks', label: 'Total leaks', kind: 'money' },
        ],
        rows: worstLeaks(rows, limit).map((r) => ({ key: r.key, label: r.label, ...Object.fromEntries(LEAK_KEYS.map((k) => [k, r[k]])), total_leaks: r.total_leaks })),
    };
}
