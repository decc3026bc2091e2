/** Pieces every option builder shares: text style, grid, tooltip look, axis label formatters. */
import type { EChartsOption } from 'echarts';
import { formatMoneyCompact, formatPercent } from '../format.ts';
import { GRID, INK, MUTED } from './palette.ts';

export interface ChartContext {
    currency: string;
    locale: string;
}

export const FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';

export function base(): EChartsOption {
    return {
        animation: false,
        aria: { enabled: true },
        textStyle: { fontFamily: FONT, color: INK },
        grid: { left: 8, right: 16, top: 32, bottom: 8, containLabel: true },
    };
}

export const tooltipStyle = {
    backgroundColor: '#ffffff',
    borderColor: '#c9d1da',
    textStyle: { color: INK, fontSize: 12 },
    extraCssText: 'max-width: 360px; white-space: normal; box-shadow: 0 2px 8px rgba(0,0,0,.12);',
    confine: true,
} as const;

export const axisLabel = { color: MUTED, fontSize: 11 };
export const splitLine = { lineStyle: { color: GRID } };

export const moneyAxis = (ctx: ChartContext) => ({
    type: 'value' as const,
    axisLabel: { ...axisLabel, formatter: (v: number) => formatMoneyCompact(v, ctx.currency, ctx.locale) },
    splitLine,
});

export const percentAxis = (ctx: ChartContext, extra: Record<string, unknown> = {}) => ({
    type: 'value' as const,
    axisLabel: { ...axisLabel, formatter: (v: number) => formatPercent(v, ctx.locale, 0) },
    splitLine,
    ...extra,
});

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
