/** A quote's simulated total hours: the histogram with the estimate and P10/P50/P80/P90 marked, and its table. */
import type { EChartsOption } from 'echarts';
import { axisName, base, grid, itemTooltip, markLines, percentAxis, tip, valueAxis, type ChartContext } from '../../charts/common.ts';
import { MUTED, SERIES } from '../../charts/palette.ts';
import { formatHours, formatNumber, formatPercent } from '../../format.ts';
import type { TableData } from '../../table.ts';
import { labelRoom, markLabel, placeMarkLabels } from './mark-labels.ts';
import type { QuoteAnswer } from './types.ts';

const r2 = (v: number) => Math.round(v * 100) / 100;

/** Histogram bars: the bin's centre and count; the quantiles as vertical marker lines. */
export function buildDistributionOption(q: Pick<QuoteAnswer, 'histogram' | 'hours' | 'estimated_hours' | 'simulations'>, ctx: ChartContext): EChartsOption {
    const marks: [string, number, string][] = [
        ['Estimate', q.estimated_hours, MUTED],
        ['P10', q.hours.p10, SERIES[4]!],
        ['P50', q.hours.p50, SERIES[0]!],
        ['P80', q.hours.p80, SERIES[1]!],
        ['P90', q.hours.p90, SERIES[5]!],
    ];
    // The x axis spans exactly the bins and the marks, so the quantiles' labels are placed where their lines are drawn.
    const xs = [...q.histogram.flatMap((b) => [b.from, b.to]), ...marks.map(([, x]) => x)].map(r2);
    const domain: [number, number] = [Math.min(...xs), Math.max(...xs)];
    const quantiles = marks.slice(1);
    const placed = placeMarkLabels(
        quantiles.map(([, x]) => r2(x)),
        quantiles.map(([name]) => name),
        domain,
    );
    return {
        ...base(),
        grid: grid({ top: labelRoom(placed), right: 24 }),
        tooltip: itemTooltip(({ dataIndex }: { dataIndex: number }) => {
            const b = q.histogram[dataIndex];
            if (!b) return '';
            return tip(`${formatHours(b.from, ctx.locale, 0)} – ${formatHours(b.to, ctx.locale, 0)}`, [
                ['Simulations', String(b.count)],
                ['Share', formatPercent(b.count / q.simulations, ctx.locale, 1)],
            ]);
        }),
        xAxis: valueAxis((v) => formatNumber(v, ctx.locale, 0), { ...axisName('Total hours'), splitLine: { show: false }, min: domain[0], max: domain[1] }),
        yAxis: percentAxis(ctx),
        series: [
            {
                name: 'Simulated total hours',
                type: 'bar',
                barWidth: '96%',
                itemStyle: { color: '#c6dbef', borderColor: SERIES[0], borderWidth: 0.5 },
                data: q.histogram.map((b) => [r2((b.from + b.to) / 2), Math.round((b.count / q.simulations) * 1e5) / 1e5]),
                markLine: markLines(
                    // The estimate's label sits at the foot of its line, so it does not collide with a nearby quantile's.
                    marks.map(([name, x, color], i) => ({
                        name,
                        xAxis: r2(x),
                        lineStyle: { color, type: name === 'Estimate' ? 'dotted' : 'dashed', width: 1.5 },
                        label: i === 0 ? { position: 'insideStartTop' as const, fontSize: 10, color: MUTED, formatter: 'Estimate' } : markLabel(placed[i - 1]!, name, color),
                    })),
                    { label: { position: 'end', fontSize: 10 } },
                ),
            },
        ],
    };
}

export function distributionTable(q: Pick<QuoteAnswer, 'histogram' | 'simulations'>): TableData {
    return {
        columns: [
            { key: 'from', label: 'From (h)', kind: 'hours', digits: 0 },
            { key: 'to', label: 'To (h)', kind: 'hours', digits: 0 },
            { key: 'count', label: 'Simulations', kind: 'number' },
            { key: 'share', label: 'Share', kind: 'percent' },
        ],
        rows: q.histogram.map((b) => ({ from: b.from, to: b.to, count: b.count, share: b.count / q.simulations })),
    };
}
