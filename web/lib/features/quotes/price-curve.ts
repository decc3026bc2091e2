/** A quote's price curve: price against the probability that the margin reaches the target, and its table. */
import type { EChartsOption } from 'echarts';
import { axisName, axisTooltip, base, grid, markLines, moneyAxis, percentAxis, tip, type ChartContext } from '../../charts/common.ts';
import { INK, SERIES } from '../../charts/palette.ts';
import { formatMoney, formatPercent } from '../../format.ts';
import type { TableData } from '../../table.ts';
import type { QuoteAnswer } from './types.ts';

const r2 = (v: number) => Math.round(v * 100) / 100;

/** Price (x) vs probability the margin reaches the target (y); the quoted price and confidence marked. */
export function buildPriceCurveOption(q: Pick<QuoteAnswer, 'price_curve' | 'price' | 'proposal'>, ctx: ChartContext): EChartsOption {
    const marks: { name: string; xAxis: number; lineStyle: object }[] = [{ name: `Quoted (${formatPercent(q.price.confidence, ctx.locale, 0)})`, xAxis: r2(q.price.price), lineStyle: { color: SERIES[1], type: 'dashed' } }];
    if (q.proposal) marks.push({ name: 'Proposed', xAxis: r2(q.proposal.price), lineStyle: { color: SERIES[3], type: 'dashed' } });
    return {
        ...base(),
        grid: grid({ top: 40, right: 24 }),
        tooltip: axisTooltip(q.price_curve, (p) =>
            tip(formatMoney(p.price, ctx.currency, ctx.locale), [[`P(margin ≥ ${formatPercent(q.price.target_margin, ctx.locale, 0)})`, formatPercent(p.p_margin_at_least_target, ctx.locale, 1)]]),
        ),
        xAxis: moneyAxis(ctx, { ...axisName('Price'), scale: true, splitLine: { show: false } }),
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
                    { label: { position: 'end', fontSize: 10, formatter: (p: { name?: string }) => p.name ?? '' } },
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
