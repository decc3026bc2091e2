/**
 * The calibration page's figures: the reliability of the backtest (nominal level against the observed share
 * of actuals at or below the forecast at that level, for the method and both baselines; the diagonal is
 * perfect calibration) and the backtest's figures per method, overall and per project type.
 */
import type { EChartsOption } from 'echarts';
import { axisName, axisTooltip, base, grid, legend, percentAxis, tip, type ChartContext } from '../../charts/common.ts';
import { SERIES } from '../../charts/palette.ts';
import { formatPercent } from '../../format.ts';
import type { TableData } from '../../table.ts';
import type { BacktestAnswer, ReliabilityFigures } from './types.ts';

const METHODS = ['method', 'global', 'per_class'] as const;
const METHOD_LABELS = { method: 'This method', global: 'One global distribution', per_class: 'Plain per-type quantiles' } as const;

/** Nominal level (x) vs observed share at or below the forecast (y), one line per method, and the diagonal. */
export function buildReliabilityOption(levels: number[], r: ReliabilityFigures, ctx: ChartContext): EChartsOption {
    return {
        ...base(),
        legend: legend(),
        grid: grid({ top: 36, right: 24 }),
        tooltip: axisTooltip(levels, (level, i) =>
            tip(
                `Nominal ${formatPercent(level, ctx.locale, 0)}`,
                METHODS.map((m) => [METHOD_LABELS[m], formatPercent(r[m][i] ?? null, ctx.locale, 1)]),
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
                name: METHOD_LABELS[m],
                type: 'line' as const,
                data: levels.map((l, i) => [l, r[m][i] ?? null]),
                symbol: k === 0 ? 'circle' : k === 1 ? 'triangle' : 'rect',
                symbolSize: k === 0 ? 8 : 6,
                lineStyle: { width: k === 0 ? 2.5 : 1.5, color: SERIES[k] },
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
