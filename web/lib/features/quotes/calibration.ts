/**
 * The calibration page's figures: the reliability of the backtest (nominal level against the observed share
 * of actuals at or below the forecast at that level, for the method and both baselines; the diagonal is
 * perfect calibration) and the backtest's figures per method, overall and per project type.
 */
import type { EChartsOption } from 'echarts';
import { axisName, axisTooltip, base, grid, legend, percentAxis, tip, type ChartContext } from '../../charts/common.ts';
import { SERIES } from '../../charts/palette.ts';
import { formatNumber, formatPercent, humanize } from '../../format.ts';
import type { TableData } from '../../table.ts';
import type { BacktestAnswer, Figures, ReliabilityFigures } from './types.ts';

const METHODS = ['method', 'global', 'per_class'] as const;
const METHOD_LABELS = { method: 'This method', global: 'One global distribution', per_class: 'Plain per-type quantiles' } as const;

/** Two observed shares that draw as one point (within 0.05 percentage points), or both missing. */
const same = (a: number | null | undefined, b: number | null | undefined) => (a == null || b == null ? a == null && b == null : Math.abs(a - b) < 5e-4);

/** Nudge along x (share of the axis) of a line that lies on an earlier one, so both stay visible. */
export const COINCIDENT_NUDGE = 0.008;

/**
 * How each method's line is told apart from the earlier ones it lies on: the earlier method it equals at every
 * level (then the legend says so), and the nudge along x when it meets an earlier line at any level.
 */
export function coincidence(levels: readonly number[], r: ReliabilityFigures): { sameAs: (string | null)[]; nudge: number[] } {
    const sameAs: (string | null)[] = [];
    const nudge: number[] = [];
    METHODS.forEach((m, k) => {
        const earlier = METHODS.slice(0, k);
        const whole = earlier.find((e) => levels.every((_, i) => same(r[m][i], r[e][i])));
        const touches = earlier.some((e) => levels.some((_, i) => r[m][i] != null && same(r[m][i], r[e][i])));
        sameAs.push(whole ? METHOD_LABELS[whole] : null);
        nudge.push(touches ? k * COINCIDENT_NUDGE : 0);
    });
    return { sameAs, nudge };
}

/**
 * Nominal level (x) vs observed share at or below the forecast (y), one line per method, and the diagonal.
 * Each method has its own symbol; a line lying on an earlier one is dashed, drawn with hollow symbols a little
 * to the right, and named in the legend as the same as that one, so no line hides under another.
 */
export function buildReliabilityOption(levels: number[], r: ReliabilityFigures, ctx: ChartContext): EChartsOption {
    const { sameAs, nudge } = coincidence(levels, r);
    const name = (k: number) => `${METHOD_LABELS[METHODS[k]!]}${sameAs[k] ? ` (same as ${sameAs[k]})` : ''}`;
    return {
        ...base(),
        legend: legend(),
        grid: grid({ top: 36, right: 24 }),
        tooltip: axisTooltip(levels, (level, i) =>
            tip(
                `Nominal ${formatPercent(level, ctx.locale, 0)}`,
                METHODS.map((m, k) => [name(k), formatPercent(r[m][i] ?? null, ctx.locale, 1)]),
                `Share of the ${r.n} backtested projects whose actual hours were at or below the forecast at that level.`,
            ),
        ),
        xAxis: percentAxis(ctx, { min: 0, max: 1, ...axisName('Nominal level') }),
        yAxis: percentAxis(ctx, { min: 0, max: 1 }),
        series: [
            {
                name: 'Perfect calibration',
                type: 'line',
                data: [
                    [0, 0],
                    [1, 1],
                ],
                showSymbol: false,
                silent: true,
                lineStyle: { color: '#9aa4ae', type: 'dashed', width: 1 },
                tooltip: { show: false },
            },
            ...METHODS.map((m, k) => ({
                name: name(k),
                type: 'line' as const,
                data: levels.map((l, i) => [l + nudge[k]!, r[m][i] ?? null]),
                symbol: nudge[k] ? (k === 1 ? 'emptyTriangle' : 'emptyRect') : k === 0 ? 'circle' : k === 1 ? 'triangle' : 'rect',
                symbolSize: k === 0 ? 8 : nudge[k] ? 9 : 6,
                lineStyle: { width: k === 0 ? 2.5 : 1.5, color: SERIES[k], type: nudge[k] ? ('dashed' as const) : ('solid' as const) },
                itemStyle: { color: SERIES[k] },
            })),
        ],
    };
}

export function reliabilityTable(levels: number[], r: ReliabilityFigures): TableData {
    return {
        columns: [{ key: 'level', label: 'Nominal', kind: 'percent', digits: 0 }, ...METHODS.map((m) => ({ key: m, label: METHOD_LABELS[m], kind: 'percent' as const }))],
        rows: levels.map((level, i) => ({ level, method: r.method[i] ?? null, global: r.global[i] ?? null, per_class: r.per_class[i] ?? null })),
    };
}

/** The backtest figures: one row per method, overall or for one project type. */
export function backtestTable(figures: BacktestAnswer['overall']): TableData {
    return {
        columns: [
            { key: 'method', label: 'Forecast', kind: 'text' },
            { key: 'n', label: 'Projects', kind: 'number' },
            { key: 'coverage_p10_p90', label: 'Inside [P10, P90]', kind: 'percent', help: 'Target 80 %' },
            { key: 'share_le_p80', label: 'At or below P80', kind: 'percent', help: 'Target 80 %' },
            { key: 'pinball', label: 'Pinball loss', kind: 'number', digits: 4, help: 'Mean pinball loss on log hours over P10/P50/P90; lower is better' },
            { key: 'mdre_p50', label: 'MdRE of P50', kind: 'percent' },
            { key: 'mdre_estimate', label: 'MdRE of the estimate', kind: 'percent' },
        ],
        rows: METHODS.map((m) => ({ method: METHOD_LABELS[m], ...figures[m] })),
    };
}

/** Per-type rows of the backtest: the method's coverage against both baselines'. */
export function backtestClassTable(b: Pick<BacktestAnswer, 'classes'>): TableData {
    return {
        columns: [
            { key: 'class', label: 'Project type', kind: 'label' },
            { key: 'n', label: 'Projects', kind: 'number' },
            { key: 'method_cov', label: 'Inside [P10, P90]: method', kind: 'percent' },
            { key: 'global_cov', label: 'global', kind: 'percent' },
            { key: 'per_class_cov', label: 'per type', kind: 'percent' },
            { key: 'method_p80', label: '≤ P80: method', kind: 'percent' },
            { key: 'method_pinball', label: 'Pinball: method', kind: 'number', digits: 4 },
            { key: 'global_pinball', label: 'global', kind: 'number', digits: 4 },
            { key: 'per_class_pinball', label: 'per type', kind: 'number', digits: 4 },
        ],
        rows: b.classes.map((c) => ({
            class: c.class,
            n: c.n,
            method_cov: c.method.coverage_p10_p90,
            global_cov: c.global.coverage_p10_p90,
            per_class_cov: c.per_class.coverage_p10_p90,
            method_p80: c.method.share_le_p80,
            method_pinball: c.method.pinball,
            global_pinball: c.global.pinball,
            per_class_pinball: c.per_class.pinball,
        })),
    };
}

/**
 * What the backtest means for a seller, in one sentence: how many past projects (of the chosen type) landed
 * inside the [P10, P90] range a quote would have given them, from the method's coverage and the count scored;
 * and, below it, the same figure as the analysts read it. Coverage weighs each project by the inverse of its
 * chance to have closed, so "k in 10" is that share rounded; with fewer than ten projects it is a count of them.
 */
export function sellerSummary(f: Figures, type: string | null, locale: string): { headline: string; detail: string } {
    const kind = type ? `${humanize(type).toLowerCase()} ` : '';
    if (f.n === 0 || f.coverage_p10_p90 === null) {
        return { headline: `No past ${kind}project could be quoted again yet: too few had ended before the others started.`, detail: 'Quotes of this type lean on the firm’s other projects until some are scored.' };
    }
    const cov = f.coverage_p10_p90;
    const headline =
        f.n >= 10
            ? `${Math.round(cov * 10)} in 10 past ${kind}projects landed inside the range we would have quoted.`
            : `${formatNumber(Math.round(cov * f.n), locale)} of ${formatNumber(f.n, locale)} past ${kind}project${f.n === 1 ? '' : 's'} landed inside the range we would have quoted.`;
    const p80 = f.share_le_p80 === null ? '' : ` ${formatPercent(f.share_le_p80, locale, 0)} finished at or below the P80 hours a price at 80 % confidence covers.`;
    const few = f.n < 20 ? ` With ${formatNumber(f.n, locale)} projects this is a rough guide.` : '';
    return { headline, detail: `${formatPercent(cov, locale, 0)} of ${formatNumber(f.n, locale)} backtested projects inside [P10, P90] (target 80 %).${p80}${few}` };
}
