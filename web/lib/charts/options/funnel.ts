/**
 * The margin funnel as a waterfall: each stage a bar from zero, each leak a floating bar from the stage
 * above it down to what is left (a negative leak, a gain, floats upwards), then the cost of client hours
 * down to the realized margin. Leak bars carry their key, so a click opens the rows behind them. The stages'
 * and leaks' definitions, short labels and colour keys are the API's (its definitions, from the funnel mart's .yml).
 */
import type { EChartsOption } from 'echarts';
import { toCents } from '../../../../lib/money.ts';
import type { Definitions, Funnel } from '../../api/types.ts';
import { formatMoney, formatMoneyCompact, formatPercent } from '../../format.ts';
import type { TableData } from '../../table.ts';
import { base, categoryAxis, floatingBase, grid, itemTooltip, moneyAxis, tip, type ChartContext } from '../common.ts';
import { COST, GAIN, leakColour, MARGIN, STAGE } from '../palette.ts';

/** What the chart draws the funnel with: the stages and leaks of the API's definitions. */
export type FunnelDefinitions = Pick<Definitions, 'stages' | 'leaks'>;

export interface FunnelStep {
    kind: 'stage' | 'leak' | 'cost' | 'margin';
    key: string;
    label: string;
    /** The figure: a stage's value, a leak's amount (positive = lost), the cost. */
    amount: number;
    /** Where the bar starts and ends on the value axis. */
    from: number;
    to: number;
    definition: string;
    color: string;
    /** The axis label. */
    short: string;
    /** A leak's parts, with their amounts (the tooltip lists them). */
    parts?: { key: string; label: string; amount: number }[];
}

const cents = toCents;

/** The waterfall's steps in order, with where each bar starts and ends (exact to the cent). */
export function funnelSteps(funnel: Funnel, defs: FunnelDefinitions): FunnelStep[] {
    const stageDef = new Map(defs.stages.map((s) => [s.key, s]));
    const leakDef = new Map(defs.leaks.map((l) => [l.key, l]));
    const steps: FunnelStep[] = [];
    for (const stage of [...funnel.stages].sort((a, b) => a.stage - b.stage)) {
        let level = cents(stage.amount);
        steps.push({
            kind: 'stage',
            key: stage.key,
            label: stage.label,
            amount: stage.amount,
            from: 0,
            to: stage.amount,
            definition: stageDef.get(stage.key)?.definition ?? '',
            color: STAGE,
            short: stageDef.get(stage.key)?.short ?? stage.label,
        });
        for (const leak of funnel.leaks.filter((l) => l.below_stage === stage.stage)) {
            const next = level - cents(leak.amount);
            steps.push({
                kind: 'leak',
                key: leak.key,
                label: leak.label,
                amount: leak.amount,
                from: level / 100,
                to: next / 100,
                definition: leak.definition,
                color: leak.amount < 0 ? GAIN : leakColour(leakDef.get(leak.key)?.colour),
                short: leakDef.get(leak.key)?.short ?? leak.label,
                ...(leak.parts ? { parts: leak.parts.map((p) => ({ key: p.key, label: p.label, amount: p.amount })) } : {}),
            });
            level = next;
        }
    }
    const collected = lastStage(funnel)?.amount ?? 0;
    steps.push({
        kind: 'cost',
        key: 'cost',
        label: 'Cost of client hours',
        amount: funnel.cost,
        from: collected,
        to: (cents(collected) - cents(funnel.cost)) / 100,
        definition: 'Hours of all client entries × the person’s cost rate in force on the work date.',
        color: COST,
        short: 'Cost',
    });
    steps.push({
        kind: 'margin',
        key: 'realized_margin',
        label: 'Realized margin',
        amount: funnel.realized_margin,
        from: 0,
        to: funnel.realized_margin,
        definition: 'Collected − cost of all client hours logged.',
        color: funnel.realized_margin < 0 ? '#b2182b' : MARGIN,
        short: 'Realized\nmargin',
    });
    return steps;
}

/** Splits a bar [from, to] into the stacked parts ECharts draws: an invisible base and the visible parts. */
export function barParts(from: number, to: number): { base: number; positive: number; negative: number } {
    const lo = Math.min(from, to);
    const hi = Math.max(from, to);
    const r = (v: number) => Math.round(v * 100) / 100;
    if (lo >= 0) return { base: r(lo), positive: r(hi - lo), negative: 0 };
    if (hi <= 0) return { base: r(hi), positive: 0, negative: r(lo - hi) };
    return { base: 0, positive: r(hi), negative: r(lo) };
}

/** The first stage (potential value) and the last (collected), whatever the definitions name them. */
const firstStage = (funnel: Funnel) => [...funnel.stages].sort((a, b) => a.stage - b.stage)[0];
const lastStage = (funnel: Funnel) => [...funnel.stages].sort((a, b) => a.stage - b.stage).at(-1);

export function buildFunnelOption(funnel: Funnel, ctx: ChartContext, defs: FunnelDefinitions): EChartsOption {
    const steps = funnelSteps(funnel, defs);
    const potential = firstStage(funnel)?.amount ?? 0;
    const parts = steps.map((s) => barParts(s.from, s.to));
    // One label per bar: on its part above zero, else on its part below.
    const item = (s: FunnelStep, value: number, labelled: boolean) => ({
        value,
        key: s.key,
        kind: s.kind,
        amount: s.amount,
        itemStyle: { color: s.color, borderRadius: 2 },
        ...(labelled ? {} : { label: { show: false } }),
    });
    const label = {
        show: true,
        position: 'top' as const,
        fontSize: 11,
        color: '#1d2733',
        formatter: (p: unknown) => {
            const d = (p as { data: { amount: number; kind: string } }).data;
            return `${d.kind === 'leak' || d.kind === 'cost' ? (d.amount < 0 ? '+' : '−') : ''}${formatMoneyCompact(Math.abs(d.amount), ctx.currency, ctx.locale)}`;
        },
    };
    return {
        ...base(),
        grid: grid({ top: 28 }),
        tooltip: itemTooltip(({ dataIndex }: { dataIndex: number }) => {
            const s = steps[dataIndex]!;
            const lines: [string, string][] = [[s.kind === 'leak' ? 'Leak' : s.kind === 'cost' ? 'Cost' : 'Amount', formatMoney(s.amount, ctx.currency, ctx.locale)]];
            if (potential) lines.push(['Share of potential', formatPercent(s.amount / potential, ctx.locale)]);
            for (const p of s.parts ?? []) lines.push([p.label, formatMoney(p.amount, ctx.currency, ctx.locale)]);
            const hint = s.kind === 'leak' ? ' Click to see the rows behind it.' : '';
            return tip(s.label, lines, s.definition + hint);
        }),
        xAxis: categoryAxis(
            steps.map((s) => s.short),
            { interval: 0, lineHeight: 13 },
        ),
        yAxis: moneyAxis(ctx),
        series: [
            floatingBase(
                'waterfall',
                parts.map((p) => p.base),
                { emphasis: { disabled: true } },
            ),
            {
                name: 'amount',
                type: 'bar',
                stack: 'waterfall',
                barCategoryGap: '28%',
                cursor: 'pointer',
                label,
                data: steps.map((s, i) => item(s, parts[i]!.positive, parts[i]!.positive !== 0)),
            },
            {
                name: 'amount below zero',
                type: 'bar',
                stack: 'waterfall',
                cursor: 'pointer',
                label: { ...label, position: 'bottom' as const },
                data: steps.map((s, i) => item(s, parts[i]!.negative, parts[i]!.positive === 0 && parts[i]!.negative !== 0)),
            },
        ],
    };
}

/** The waterfall as a table: every step with its amount and share of the potential value. */
export function funnelTable(funnel: Funnel, defs: FunnelDefinitions): TableData {
    const steps = funnelSteps(funnel, defs);
    const potential = firstStage(funnel)?.amount ?? 0;
    return {
        columns: [
            { key: 'step', label: 'Step', kind: 'text' },
            { key: 'type', label: 'Type', kind: 'text' },
            { key: 'amount', label: 'Amount', kind: 'money' },
            { key: 'share', label: 'Share of potential', kind: 'percent' },
        ],
        rows: steps.map((s) => ({
            key: s.key,
            step: s.label,
            type: s.kind === 'leak' ? 'Leak' : s.kind === 'cost' ? 'Cost' : s.kind === 'margin' ? 'Result' : 'Stage',
            amount: s.amount,
            share: potential ? s.amount / potential : null,
        })),
    };
}
