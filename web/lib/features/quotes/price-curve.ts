/** A quote's price curve: price against the probability that the margin reaches the target, and its table. */
import type { EChartsOption } from 'echarts';
import { axisName, axisTooltip, base, grid, markLines, moneyAxis, percentAxis, tip, type ChartContext } from '../../charts/common.ts';
import { INK, SERIES } from '../../charts/palette.ts';
import { formatMoney, formatPercent } from '../../format.ts';
import type { TableData } from '../../table.ts';
import { labelRoom, markLabel, placeMarkLabels } from './mark-labels.ts';
import type { QuoteAnswer } from './types.ts';

const r2 = (v: number) => Math.round(v * 100) / 100;

/**
 * Price (x) vs probability the margin reaches the target (y); the quoted and proposed prices and the confidence
 * marked. The x axis spans exactly the curve and the marks, so the labels' placement (mark-labels.ts) knows
 * where each line is drawn and close prices get labels that do not overlap.
 */
export function buildPriceCurveOption(q: Pick<QuoteAnswer, 'price_curve' | 'price' | 'proposal'>, ctx: ChartContext): EChartsOption {
    const marks: { name: string; xAxis: number; lineStyle: { color: string; type: 'dashed' }; label?: object }[] = [
        { name: `Quoted (${formatPercent(q.price.confidence, ctx.locale, 0)})`, xAxis: r2(q.price.price), lineStyle: { color: SERIES[1]!, type: 'dashed' } },
    ];
    if (q.proposal) marks.push({ name: 'Proposed', xAxis: r2(q.proposal.price), lineStyle: { color: SERIES[3]!, type: 'dashed' } });
    const xs = [...q.price_curve.map((p) => r2(p.price)), ...marks.map((m) => m.xAxis)];
    const domain: [number, number] = [Math.min(...xs), Math.max(...xs)];
    const placed = placeMarkLabels(
        marks.map((m) => m.xAxis),
        marks.map((m) => m.name),
        domain,
    );
    // Each label in its line's colour, so a label lifted onto a row above still says which line is its own.
    marks.forEach((m, i) => (m.label = markLabel(placed[i]!, m.name, m.lineStyle.color)));
    return {
        ...base(),
        grid: grid({ top: labelRoom(placed), right: 24 }),
        tooltip: axisTooltip(q.price_curve, (p) =>
            tip(formatMoney(p.price, ctx.currency, ctx.locale), [[`P(margin ≥ ${formatPercent(q.price.target_margin, ctx.locale, 0)})`, formatPercent(p.p_margin_at_least_target, ctx.locale, 1)]]),
        ),
        xAxis: moneyAxis(ctx, { ...axisName('Price'), min: domain[0], max: domain[1], splitLine: { show: false } }),
        yAxis: percentAxis(ctx, { min: 0, max: 1 }),
        series: [
            {
                name: 'Probability of reaching the target margin',
                type: 'line',
                showSymbol: false,
                lineStyle: { color: SERIES[0], width: 2 },
                data: q.price_curve.map((p) => [r2(p.price), Math.round(p.p_margin_at_least_target * 1e4) / 1e4]),
                markLine: markLines(
                    [...marks, { name: 'Confidence', yAxis: q.price.confidence, lineStyle: { color: INK, type: 'dotted' }, label: { position: 'insideEndTop', fontSize: 10, formatter: 'Confidence' } } as never],
                    { label: { position: 'end', fontSize: 10 } },
                ),
            },
        ],
    };
}

export function priceCurveTable(q: Pick<QuoteAnswer, 'price_curve'>): TableData {
    return {
        columns: [
            { key: 'price', label: 'Price', kind: 'money' },
            { key: 'p', label: 'P(margin ≥ target)', kind: 'percent' },
        ],
        rows: q.price_curve.map((p) => ({ price: p.price, p: p.p_margin_at_least_target })),
    };
}
