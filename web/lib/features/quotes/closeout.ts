/**
 * A project's closeout against its baseline plan and the linked quote: by phase as a chart (estimate and
 * actual bars, the quote's P50 and P80 as markers) with its table, and by phase × role as a table with
 * subtotals.
 */
import type { EChartsOption } from 'echarts';
import { axisTooltip, barSeries, base, categoryAxis, grid, legend, markerSeries, tip, valueAxis, type ChartContext } from '../../charts/common.ts';
import { INK, MUTED, SERIES } from '../../charts/palette.ts';
import { formatHours, humanize } from '../../format.ts';
import type { Row, TableData } from '../../table.ts';
import { phaseOrder } from '../closeout/evidence.ts';
import { UNPLANNED_PHASE, type CloseoutAnswer } from './types.ts';

const r2 = (v: number) => Math.round(v * 100) / 100;

/** The linked quote's quantiles for a phase or the project, as columns. */
const QUOTE_COLUMNS = (['p50', 'p80', 'p90'] as const).map((k) => ({ key: `quote_${k}`, label: `Quote ${k.toUpperCase()}`, kind: 'hours' as const, digits: 0 }));

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
    const hasQuote = phases.some((p) => p.quote_p50 !== null);
    const round = (v: number | null) => (v === null ? null : r2(v));
    const hours = (v: number | null) => formatHours(v, ctx.locale, 0);
    return {
        ...base(),
        legend: legend({}, 'right'),
        grid: grid({ top: 36 }),
        tooltip: axisTooltip(
            phases,
            (p) => {
                const lines: [string, string][] = [
                    ['Baseline estimate', hours(p.estimated_hours)],
                    ['Actual', hours(p.actual_hours)],
                ];
                if (p.quote_p50 !== null) lines.push(['Quote P50', hours(p.quote_p50)], ['Quote P80', hours(p.quote_p80)]);
                return tip(p.phase, lines);
            },
            'shadow',
        ),
        xAxis: categoryAxis(
            phases.map((p) => p.phase),
            { interval: 0, formatter: (v: string) => humanize(v) },
        ),
        yAxis: valueAxis(undefined, { name: 'Hours', nameTextStyle: { color: MUTED, fontSize: 11 } }),
        series: [
            barSeries('Baseline estimate', phases.map((p) => round(p.estimated_hours)), '#9ecae1', { barMaxWidth: 28 }),
            barSeries('Actual', phases.map((p) => round(p.actual_hours)), SERIES[0]!, { barMaxWidth: 28 }),
            ...(hasQuote
                ? [
                      markerSeries('Quote P50', phases.map((p) => round(p.quote_p50)), 'rect', [24, 3], INK),
                      markerSeries('Quote P80', phases.map((p) => round(p.quote_p80)), 'diamond', 10, SERIES[1]!),
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
            ...(hasQuote ? QUOTE_COLUMNS : []),
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
            ...(hasQuote ? [...QUOTE_COLUMNS, { key: 'verdict', label: 'Actual against P80', kind: 'text' as const }] : []),
        ],
        rows,
    };
}
