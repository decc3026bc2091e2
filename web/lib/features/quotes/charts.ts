/**
 * The quote pages' charts, as pure option builders with the table of exactly what each shows:
 * - the distribution of simulated total hours (histogram) with the estimate and P10/P50/P80/P90 marked;
 * - price versus the probability that the margin reaches the target (the engine's price curve), with the
 *   quoted price and the chosen confidence marked;
 * - the reliability of the backtest: nominal level against the observed share of actuals at or below the
 *   forecast at that level, for the method and both baselines (the diagonal is perfect calibration).
 */
import type { EChartsOption } from 'echarts';
import { formatHours, formatMoney, formatPercent, humanize } from '../../format.ts';
import type { Row, TableData } from '../../table.ts';
import { axisLabel, base, moneyAxis, percentAxis, splitLine, tip, tooltipStyle, type ChartContext } from '../../charts/common.ts';
import { INK, MUTED, SERIES } from '../../charts/palette.ts';
import { phaseOrder } from '../closeout/evidence.ts';
import { UNPLANNED_PHASE, type BacktestAnswer, type CloseoutAnswer, type QuoteAnswer, type ReliabilityFigures } from './types.ts';

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
    return {
        ...base(),
        grid: { left: 8, right: 24, top: 40, bottom: 8, containLabel: true },
        tooltip: {
            ...tooltipStyle,
            trigger: 'item',
            formatter: (p: unknown) => {
                const i = (p as { dataIndex: number }).dataIndex;
                const b = q.histogram[i];
                if (!b) return '';
                return tip(`${formatHours(b.from, ctx.locale, 0)} – ${formatHours(b.to, ctx.locale, 0)}`, [
                    ['Simulations', String(b.count)],
                    ['Share', formatPercent(b.count / q.simulations, ctx.locale, 1)],
                ]);
            },
        },
        xAxis: { type: 'value', name: 'Total hours', nameLocation: 'middle', nameGap: 28, axisLabel, splitLine: { show: false }, scale: true },
        yAxis: { type: 'value', axisLabel: { ...axisLabel, formatter: (v: number) => formatPercent(v, ctx.locale, 0) }, splitLine },
        series: [
            {
                name: 'Simulated total hours',
                type: 'bar',
                barWidth: '96%',
                itemStyle: { color: '#c6dbef', borderColor: SERIES[0], borderWidth: 0.5 },
                data: q.histogram.map((b) => [r2((b.from + b.to) / 2), Math.round((b.count / q.simulations) * 1e5) / 1e5]),
                markLine: {
                    silent: true,
                    symbol: 'none',
                    label: { position: 'end', fontSize: 10, formatter: (p: { name?: string }) => p.name ?? '' },
                    // The estimate's label sits at the foot of its line, so it does not collide with a nearby quantile's.
                    data: marks.map(([name, x, color]) => ({
                        name,
                        xAxis: r2(x),
                        lineStyle: { color, type: name === 'Estimate' ? 'dotted' : 'dashed', width: 1.5 },
                        ...(name === 'Estimate' ? { label: { position: 'insideStartTop' as const, fontSize: 10, color: MUTED, formatter: 'Estimate' } } : {}),
                    })),
                },
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

/** Price (x) vs probability the margin reaches the target (y); the quoted price and confidence marked. */
export function buildPriceCurveOption(q: Pick<QuoteAnswer, 'price_curve' | 'price' | 'proposal'>, ctx: ChartContext): EChartsOption {
    const marks: { name: string; xAxis: number; lineStyle: object }[] = [{ name: `Quoted (${formatPercent(q.price.confidence, ctx.locale, 0)})`, xAxis: r2(q.price.price), lineStyle: { color: SERIES[1], type: 'dashed' } }];
    if (q.proposal) marks.push({ name: 'Proposed', xAxis: r2(q.proposal.price), lineStyle: { color: SERIES[3], type: 'dashed' } });
    return {
        ...base(),
        grid: { left: 8, right: 24, top: 40, bottom: 8, containLabel: true },
        tooltip: {
            ...tooltipStyle,
            trigger: 'axis',
            formatter: (ps: unknown) => {
                const i = (ps as { dataIndex: number }[])[0]?.dataIndex ?? 0;
                const p = q.price_curve[i]!;
                return tip(formatMoney(p.price, ctx.currency, ctx.locale), [
                    [`P(margin ≥ ${formatPercent(q.price.target_margin, ctx.locale, 0)})`, formatPercent(p.p_margin_at_least_target, ctx.locale, 1)],
                ]);
            },
        },
        xAxis: { ...moneyAxis(ctx), name: 'Price', nameLocation: 'middle', nameGap: 28, scale: true, splitLine: { show: false } },
        yAxis: percentAxis(ctx, { min: 0, max: 1 }),
        series: [
            {
                name: 'Probability of reaching the target margin',
                type: 'line',
                showSymbol: false,
                lineStyle: { color: SERIES[0], width: 2 },
                data: q.price_curve.map((p) => [r2(p.price), Math.round(p.p_margin_at_least_target * 1e4) / 1e4]),
                markLine: {
                    silent: true,
                    symbol: 'none',
                    label: { position: 'end', fontSize: 10, formatter: (p: { name?: string }) => p.name ?? '' },
                    data: [...marks, { name: 'Confidence', yAxis: q.price.confidence, lineStyle: { color: INK, type: 'dotted' }, label: { position: 'insideEndTop', fontSize: 10, formatter: 'Confidence' } } as never],
                },
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

const METHOD_LABELS = { method: 'This method', global: 'One global distribution', per_class: 'Plain per-type quantiles' } as const;

/** Nominal level (x) vs observed share at or below the forecast (y), one line per method, and the diagonal. */
export function buildReliabilityOption(levels: number[], r: ReliabilityFigures, ctx: ChartContext): EChartsOption {
    const methods = ['method', 'global', 'per_class'] as const;
    return {
        ...base(),
        legend: { top: 0, left: 0, textStyle: { fontSize: 12 } },
        grid: { left: 8, right: 24, top: 36, bottom: 8, containLabel: true },
        tooltip: {
            ...tooltipStyle,
            trigger: 'axis',
            formatter: (ps: unknown) => {
                const i = (ps as { dataIndex: number }[])[0]?.dataIndex ?? 0;
                return tip(
                    `Nominal ${formatPercent(levels[i]!, ctx.locale, 0)}`,
                    methods.map((m) => [METHOD_LABELS[m], formatPercent(r[m][i] ?? null, ctx.locale, 1)]),
                    `Share of the ${r.n} backtested projects whose actual hours were at or below the forecast at that level.`,
                );
            },
        },
        xAxis: { type: 'value', min: 0, max: 1, name: 'Nominal level', nameLocation: 'middle', nameGap: 28, axisLabel: { ...axisLabel, formatter: (v: number) => formatPercent(v, ctx.locale, 0) }, splitLine },
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
            ...methods.map((m, k) => ({
                name: METHOD_LABELS[m],
                type: 'line' as const,
                data: levels.map((l, i) => [l, r[m][i] ?? null]),
                symbol: k === 0 ? 'circle' : k === 1 ? 'triangle' : 'rect',
                symbolSize: k === 0 ? 8 : 6,
                lineStyle: { width: k === 0 ? 2.5 : 1.5, color: SERIES[k === 0 ? 0 : k === 1 ? 1 : 2] },
                itemStyle: { color: SERIES[k === 0 ? 0 : k === 1 ? 1 : 2] },
            })),
        ],
    };
}

export function reliabilityTable(levels: number[], r: ReliabilityFigures): TableData {
    return {
        columns: [
            { key: 'level', label: 'Nominal', kind: 'percent', digits: 0 },
            { key: 'method', label: METHOD_LABELS.method, kind: 'percent' },
            { key: 'global', label: METHOD_LABELS.global, kind: 'percent' },
            { key: 'per_class', label: METHOD_LABELS.per_class, kind: 'percent' },
        ],
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
        rows: (['method', 'global', 'per_class'] as const).map((m) => ({ method: METHOD_LABELS[m], ...figures[m] })),
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

/** The quote's summary rows: hours, cost and price at P50/P80/P90. */
export function summaryTable(q: Pick<QuoteAnswer, 'hours' | 'cost' | 'price'>): TableData {
    const m = q.price.target_margin;
    return {
        columns: [
            { key: 'level', label: '', kind: 'text' },
            { key: 'hours', label: 'Hours', kind: 'hours', digits: 0 },
            { key: 'cost', label: 'Cost', kind: 'money' },
            { key: 'price', label: `Price for ${Math.round(m * 100)} % margin`, kind: 'money' },
        ],
        rows: (['p50', 'p80', 'p90'] as const).map((k) => ({ level: k.toUpperCase(), hours: q.hours[k], cost: q.cost[k], price: q.price.at[k] })),
    };
}

export function phaseTable(q: Pick<QuoteAnswer, 'hours_by_phase'>): TableData {
    return {
        columns: [
            { key: 'phase', label: 'Phase', kind: 'label' },
            { key: 'estimated_hours', label: 'Estimate', kind: 'hours', digits: 0 },
            { key: 'p10', label: 'P10', kind: 'hours', digits: 0 },
            { key: 'p50', label: 'P50', kind: 'hours', digits: 0 },
            { key: 'p80', label: 'P80', kind: 'hours', digits: 0 },
            { key: 'p90', label: 'P90', kind: 'hours', digits: 0 },
        ],
        rows: q.hours_by_phase.map((p) => ({ ...p })),
    };
}

export interface CloseoutPhase {
    phase: string;
    estimated_hours: number;
    actual_hours: number;
    ratio: number | null;
    quote_estimated_hours?: number | null;
    quote_p50: number | null;
    quote_p80: number | null;
    quote_p90: number | null;
}

/** Closeout by phase: baseline estimate and actual hours as bars, the linked quote's P50 and P80 as markers. */
export function buildCloseoutOption(unordered: CloseoutPhase[], ctx: ChartContext): EChartsOption {
    const phases = [...unordered].sort((a, b) => phaseOrder(a.phase, b.phase));
    const cats = phases.map((p) => p.phase);
    const hasQuote = phases.some((p) => p.quote_p50 !== null);
    const round = (v: number | null) => (v === null ? null : r2(v));
    return {
        ...base(),
        legend: { top: 0, right: 0, textStyle: { fontSize: 12 } },
        grid: { left: 8, right: 16, top: 36, bottom: 8, containLabel: true },
        tooltip: {
            ...tooltipStyle,
            trigger: 'axis',
            axisPointer: { type: 'shadow' },
            formatter: (ps: unknown) => {
                const i = (ps as { dataIndex: number }[])[0]?.dataIndex ?? 0;
                const p = phases[i]!;
                const lines: [string, string][] = [
                    ['Baseline estimate', `${formatHours(p.estimated_hours, ctx.locale, 0)}`],
                    ['Actual', `${formatHours(p.actual_hours, ctx.locale, 0)}`],
                ];
                if (p.quote_p50 !== null) lines.push(['Quote P50', `${formatHours(p.quote_p50, ctx.locale, 0)}`], ['Quote P80', `${formatHours(p.quote_p80, ctx.locale, 0)}`]);
                return tip(p.phase, lines);
            },
        },
        xAxis: { type: 'category', data: cats, axisLabel: { ...axisLabel, interval: 0, formatter: (v: string) => humanize(v) }, axisTick: { show: false } },
        yAxis: { type: 'value', axisLabel, splitLine, name: 'Hours', nameTextStyle: { color: MUTED, fontSize: 11 } },
        series: [
            { name: 'Baseline estimate', type: 'bar', barMaxWidth: 28, itemStyle: { color: '#9ecae1' }, data: phases.map((p) => round(p.estimated_hours)) },
            { name: 'Actual', type: 'bar', barMaxWidth: 28, itemStyle: { color: SERIES[0] }, data: phases.map((p) => round(p.actual_hours)) },
            ...(hasQuote
                ? [
                      { name: 'Quote P50', type: 'line' as const, lineStyle: { opacity: 0 }, symbol: 'rect', symbolSize: [24, 3], itemStyle: { color: INK }, data: phases.map((p) => round(p.quote_p50)) },
                      { name: 'Quote P80', type: 'line' as const, lineStyle: { opacity: 0 }, symbol: 'diamond', symbolSize: 10, itemStyle: { color: SERIES[1] }, data: phases.map((p) => round(p.quote_p80)) },
                  ]
                : []),
        ],
    };
}

export function closeoutTable(phases: CloseoutPhase[]): TableData {
    const hasQuote = phases.some((p) => p.quote_p50 !== null);
    return {
        columns: [
            { key: 'phase', label: 'Phase', kind: 'label' },
            { key: 'estimated_hours', label: 'Baseline estimate', kind: 'hours', digits: 0 },
            { key: 'actual_hours', label: 'Actual', kind: 'hours', digits: 0 },
            { key: 'ratio', label: 'Actual ÷ estimate', kind: 'ratio' },
            ...(hasQuote
                ? ([
                      { key: 'quote_p50', label: 'Quote P50', kind: 'hours', digits: 0 },
                      { key: 'quote_p80', label: 'Quote P80', kind: 'hours', digits: 0 },
                      { key: 'quote_p90', label: 'Quote P90', kind: 'hours', digits: 0 },
                  ] as const)
                : []),
        ],
        rows: [...phases].sort((a, b) => phaseOrder(a.phase, b.phase)).map((p) => ({ ...p })),
    };
}

/**
 * Closeout by phase × role: each line's baseline estimate, the linked quote's own estimate and the actual
 * hours; a subtotal per phase with the quote's P50/P80/P90 for the phase and whether the actual stayed within
 * its P80; the project total against the quote's (recalibrated) total quantiles. Hours on cells the baseline
 * did not plan are grouped under "(unplanned)", as in the quote, each named by its phase and role.
 */
export function closeoutLinesTable(c: Pick<CloseoutAnswer, 'lines' | 'phases' | 'quote' | 'estimated_hours' | 'actual_hours'>): TableData {
    const hasQuote = c.quote !== null;
    const r6 = (v: number) => Math.round(v * 1e6) / 1e6;
    const verdict = (actual: number, p80: number | null | undefined): string | null => (hasQuote && typeof p80 === 'number' ? (actual <= p80 ? 'within P80' : 'above P80') : null);
    const groupOf = (l: CloseoutAnswer['lines'][number]) => (l.is_unplanned ? UNPLANNED_PHASE : l.phase);
    const groups = [...new Set([...c.lines.map(groupOf), ...c.phases.map((p) => p.phase)])].sort(phaseOrder);
    const rows: Row[] = [];
    for (const g of groups) {
        const inGroup = c.lines
            .filter((l) => groupOf(l) === g)
            .sort((a, b) => phaseOrder(a.phase, b.phase) || a.role.localeCompare(b.role));
        for (const l of inGroup) {
            rows.push({
                key: `${l.phase}|${l.role}`,
                phase: g,
                role: g === UNPLANNED_PHASE ? `${humanize(l.phase)} × ${humanize(l.role)}` : humanize(l.role),
                estimated_hours: l.estimated_hours,
                quote_estimated_hours: l.quote_estimated_hours,
                actual_hours: r6(l.actual_hours),
                ratio: l.estimated_hours ? l.actual_hours / l.estimated_hours : null,
                quote_p50: null,
                quote_p80: null,
                quote_p90: null,
                verdict: null,
                level: 'line',
            });
        }
        const p = c.phases.find((x) => x.phase === g);
        const est = p?.estimated_hours ?? inGroup.reduce((a, l) => a + (l.estimated_hours ?? 0), 0);
        const act = p?.actual_hours ?? inGroup.reduce((a, l) => a + l.actual_hours, 0);
        rows.push({
            key: `${g}|*`,
            phase: g,
            role: 'All roles',
            estimated_hours: r6(est),
            quote_estimated_hours: p?.quote_estimated_hours ?? null,
            actual_hours: r6(act),
            ratio: est > 0 ? act / est : null,
            quote_p50: p?.quote_p50 ?? null,
            quote_p80: p?.quote_p80 ?? null,
            quote_p90: p?.quote_p90 ?? null,
            verdict: verdict(act, p?.quote_p80),
            level: 'phase',
        });
    }
    if (groups.length > 0) {
        rows.push({
            key: '*|*',
            phase: 'All phases',
            role: 'All roles',
            estimated_hours: r6(c.estimated_hours),
            quote_estimated_hours: c.quote?.estimated_hours ?? null,
            actual_hours: r6(c.actual_hours),
            ratio: c.estimated_hours > 0 ? c.actual_hours / c.estimated_hours : null,
            quote_p50: c.quote?.hours.p50 ?? null,
            quote_p80: c.quote?.hours.p80 ?? null,
            quote_p90: c.quote?.hours.p90 ?? null,
            verdict: verdict(c.actual_hours, c.quote?.hours.p80),
            level: 'total',
        });
    }
    return {
        columns: [
            { key: 'phase', label: 'Phase', kind: 'label' },
            { key: 'role', label: 'Role', kind: 'text' },
            { key: 'estimated_hours', label: 'Baseline plan', kind: 'hours', digits: 0 },
            ...(hasQuote ? ([{ key: 'quote_estimated_hours', label: 'Quoted estimate', kind: 'hours', digits: 0, help: 'The bottom-up estimate the quote was made from' }] as const) : []),
            { key: 'actual_hours', label: 'Actual', kind: 'hours', digits: 0 },
            { key: 'ratio', label: 'Actual ÷ plan', kind: 'ratio' },
            ...(hasQuote
                ? ([
                      { key: 'quote_p50', label: 'Quote P50', kind: 'hours', digits: 0 },
                      { key: 'quote_p80', label: 'Quote P80', kind: 'hours', digits: 0 },
                      { key: 'quote_p90', label: 'Quote P90', kind: 'hours', digits: 0 },
                      { key: 'verdict', label: 'Actual against P80', kind: 'text' },
                  ] as const)
                : []),
        ],
        rows,
    };
}
