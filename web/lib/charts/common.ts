/**
 * The scaffolding every option builder shares, so a chart states only what is its own: the option's base
 * (text style, grid), the legend, tooltips (their look, and which row of data they describe), axes with
 * their label formatters, and the few series shapes several charts draw (marker-only lines, floating bars,
 * reference lines).
 */
import type { BarSeriesOption, EChartsOption, LineSeriesOption, MarkLineComponentOption } from 'echarts';
import { formatMoneyCompact, formatMonth, formatPercent } from '../format.ts';
import { GRID, INK, MUTED } from './palette.ts';

export interface ChartContext {
    currency: string;
    locale: string;
}

/** Extra settings merged over a helper's defaults (ECharts' own option shapes). */
type Extra = Record<string, unknown>;

export const FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';

export function base(): EChartsOption {
    return {
        animation: false,
        aria: { enabled: true },
        textStyle: { fontFamily: FONT, color: INK },
        grid: grid({ top: 32 }),
    };
}

/** The plot area: 8 px from the left and bottom, 16 from the right unless told; axis labels inside it. */
export function grid(sides: { top: number; right?: number; bottom?: number }) {
    return { left: 8, right: 16, bottom: 8, ...sides, containLabel: true };
}

/** The legend across the top, from the left (or the right) edge. */
export function legend(extra: Extra = {}, side: 'left' | 'right' = 'left') {
    return { top: 0, [side]: 0, textStyle: { fontSize: 12 }, ...extra };
}

export const tooltipStyle = {
    backgroundColor: '#ffffff',
    borderColor: '#c9d1da',
    textStyle: { color: INK, fontSize: 12 },
    extraCssText: 'max-width: 360px; white-space: normal; box-shadow: 0 2px 8px rgba(0,0,0,.12);',
    confine: true,
} as const;

/**
 * The tooltip of a category chart: `describe` tells the row drawn at the category under the pointer (rows
 * in the order they are drawn); a 'shadow' pointer shades the whole category.
 */
export function axisTooltip<R>(rows: readonly R[], describe: (row: R, index: number) => string, pointer?: 'shadow') {
    return {
        ...tooltipStyle,
        trigger: 'axis' as const,
        ...(pointer ? { axisPointer: { type: pointer } } : {}),
        formatter: (ps: unknown) => {
            const i = (ps as { dataIndex: number }[])[0]?.dataIndex ?? 0;
            return describe(rows[i]!, i);
        },
    };
}

/** The tooltip of a chart by month: the month under the pointer, its figures, then the definition. */
export function monthTooltip<R extends { month?: string | number | null }>(rows: readonly R[], ctx: ChartContext, figures: (row: R) => [string, string][], definition?: string) {
    return axisTooltip(rows, (r) => tip(formatMonth(String(r.month), ctx.locale), figures(r), definition));
}

/** The tooltip of the one item (bar, cell) under the pointer. */
export function itemTooltip<P>(describe: (p: P) => string) {
    return { ...tooltipStyle, trigger: 'item' as const, formatter: (p: unknown) => describe(p as P) };
}

export const axisLabel = { color: MUTED, fontSize: 11 };
export const splitLine = { lineStyle: { color: GRID } };

/** A value axis with muted labels, written by `format` when given, and light grid lines. */
export function valueAxis(format?: (v: number) => string, extra: Extra = {}) {
    return { type: 'value' as const, axisLabel: format ? { ...axisLabel, formatter: format } : axisLabel, splitLine, ...extra };
}

export const moneyAxis = (ctx: ChartContext, extra: Extra = {}) => valueAxis((v) => formatMoneyCompact(v, ctx.currency, ctx.locale), extra);

export const percentAxis = (ctx: ChartContext, extra: Extra = {}) => valueAxis((v) => formatPercent(v, ctx.locale, 0), extra);

/** Categories along an axis, muted labels (with `label`'s settings), no ticks. */
export function categoryAxis(data: string[], label: Extra = {}, extra: Extra = {}) {
    return { type: 'category' as const, data, axisLabel: { ...axisLabel, ...label }, axisTick: { show: false }, ...extra };
}

/** Months (first days, YYYY-MM-DD) along the x axis, labelled in the locale. */
export function monthAxis(months: string[], ctx: ChartContext, extra: Extra = {}) {
    return { type: 'category' as const, data: months, axisLabel: { ...axisLabel, formatter: (m: string) => formatMonth(m, ctx.locale) }, ...extra };
}

/** An axis's title, centred under (or beside) it. */
export const axisName = (name: string) => ({ name, nameLocation: 'middle' as const, nameGap: 28 });

/** Bars in one colour (`extra`: a stack, a width). */
export function barSeries(name: string, data: BarSeriesOption['data'], color: string, extra: BarSeriesOption = {}): BarSeriesOption {
    return { name, type: 'bar' as const, data, itemStyle: { color }, ...extra };
}

/** A line series with its points marked: the usual trend line. */
export function lineSeries(name: string, data: LineSeriesOption['data'], color: string, extra: LineSeriesOption = {}): LineSeriesOption {
    return { name, type: 'line' as const, data, itemStyle: { color }, lineStyle: { width: 2.5 }, symbolSize: 6, ...extra };
}

/** Markers only, no line between them (a median, a quantile): one symbol per category. */
export function markerSeries(name: string, data: LineSeriesOption['data'], symbol: string, symbolSize: number | number[], color: string): LineSeriesOption {
    return { name, type: 'line' as const, lineStyle: { opacity: 0 }, symbol, symbolSize, itemStyle: { color }, data };
}

/** The invisible bar a floating bar stands on, stacked under it (not hoverable, no tooltip). */
export function floatingBase(stack: string, data: number[], extra: BarSeriesOption = {}): BarSeriesOption {
    return { name: 'base', type: 'bar' as const, stack, silent: true, itemStyle: { color: 'transparent' }, ...extra, tooltip: { show: false }, data };
}

/** Reference lines across the plot (alert levels, quantiles, "on plan"), not interactive. */
export function markLines(data: MarkLineComponentOption['data'], extra: MarkLineComponentOption = {}): MarkLineComponentOption {
    return { silent: true, symbol: 'none', ...extra, data };
}

/** Escapes text placed into tooltip HTML. */
export function esc(s: string): string {
    return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** A tooltip block: bold title, lines of "label: value", then the definition in muted text. */
export function tip(title: string, lines: [string, string][], definition?: string): string {
    const body = lines.map(([k, v]) => `<div style="display:flex;justify-content:space-between;gap:16px"><span>${esc(k)}</span><b>${esc(v)}</b></div>`).join('');
    const def = definition ? `<div style="margin-top:6px;color:${MUTED};font-size:11px;line-height:1.35">${esc(definition)}</div>` : '';
    return `<div style="font-weight:600;margin-bottom:4px">${esc(title)}</div>${body}${def}`;
}
