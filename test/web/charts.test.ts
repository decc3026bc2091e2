/**
 * The option builders are pure: data in, ECharts option out. These pin what each chart draws (categories,
 * bar positions, colours, labels, tooltips) for small hand-made inputs.
 */
import { describe, expect, it } from 'vitest';
import type { BreakdownRow, BurnMonth, Definitions, Funnel } from '../../web/lib/api/types.ts';
import { buildCategoryBarOption } from '../../web/lib/charts/options/bars.ts';
import { barParts, buildFunnelOption, funnelSteps, funnelTable } from '../../web/lib/charts/options/funnel.ts';
import { buildHeatmapOption } from '../../web/lib/charts/options/heatmap.ts';
import { buildLeakBreakdownOption, leakBreakdownTable, worstLeaks } from '../../web/lib/charts/options/leaks.ts';
import { buildBurnOption, buildRetainerOption, retainerTable } from '../../web/lib/charts/options/project.ts';
import { buildSpreadOption, lowerBound, upperBound } from '../../web/lib/charts/options/spread.ts';
import { buildMarginTrendOption, buildRatioTrendOption, marginTrendTable, ratioTrendTable } from '../../web/lib/charts/options/trends.ts';
import { COST, GAIN, LEAK_DEFAULT, LEAK_PALETTE, leakColour, MARGIN, STAGE } from '../../web/lib/charts/palette.ts';

const ctx = { currency: 'EUR', locale: 'en-US' };

// A funnel worked by hand: 1000 potential; leaks 100 + 30 + 20 + (−10 gain) + 60 + 5 + 45; collected 750.
// 1000 − 100 = 900 tracked; − 30 − 20 = 850 billable; + 10 = 860 recognized; − 60 = 800 billed;
// − 5 = 795 net billed; − 45 = 750 collected; cost 800 → realized margin −50.
const funnel: Funnel = {
    currency: 'EUR',
    as_of: '2026-11-26',
    stages: [
        { key: 'potential_value', label: 'Potential value', stage: 1, amount: 1000 },
        { key: 'tracked_value', label: 'Tracked value', stage: 2, amount: 900 },
        { key: 'billable_value', label: 'Billable value', stage: 3, amount: 850 },
        { key: 'recognized_revenue', label: 'Recognized revenue', stage: 4, amount: 860 },
        { key: 'billed_value', label: 'Billed', stage: 5, amount: 800 },
        { key: 'net_billed_value', label: 'Net billed', stage: 6, amount: 795 },
        { key: 'collected_value', label: 'Collected', stage: 7, amount: 750 },
    ],
    leaks: [
        { key: 'untracked', label: 'Untracked time', below_stage: 1, amount: 100, definition: 'Capacity not logged', drill: '' },
        { key: 'unbilled_meetings', label: 'Unbilled client meetings', below_stage: 2, amount: 30, definition: 'Meetings', drill: '' },
        { key: 'unbilled_other', label: 'Other unbilled client work', below_stage: 2, amount: 20, definition: 'Other', drill: '' },
        { key: 'overrun', label: 'Scope creep / overrun', below_stage: 3, amount: -10, definition: 'Overrun', drill: '' },
        { key: 'not_invoiced', label: 'Not yet invoiced', below_stage: 4, amount: 60, definition: 'Not invoiced', drill: '' },
        { key: 'credited', label: 'Disputes and write-offs', below_stage: 5, amount: 5, definition: 'Credit notes', drill: '' },
        { key: 'uncollected', label: 'Uncollected', below_stage: 6, amount: 45, definition: 'Unpaid', drill: '' },
    ],
    cost: 800,
    realized_margin: -50,
    client_hours: 12,
    reconciles: { potential_less_leaks: 750, collected: 750 },
};

// The stages and leaks as the API's definitions describe them (labels, short labels, colour keys).
const leakDef = (key: string, label: string, below_stage: number, short: string, colour: string) => ({
    key,
    label,
    below_stage,
    definition: label,
    short,
    colour,
    filters: ['client_id', 'project_id', 'project_type'],
    parts: [],
});
const defs: Pick<Definitions, 'stages' | 'leaks'> = {
    stages: [
        { key: 'potential_value', label: 'Potential value', stage: 1, short: 'Potential', definition: 'Tracked plus untracked value.' },
        { key: 'tracked_value', label: 'Tracked value', stage: 2, short: 'Tracked', definition: 'All client hours.' },
        { key: 'billable_value', label: 'Billable value', stage: 3, short: 'Billable', definition: 'Billable client hours.' },
        { key: 'recognized_revenue', label: 'Recognized revenue', stage: 4, short: 'Recognized', definition: 'Revenue recognized.' },
        { key: 'billed_value', label: 'Billed', stage: 5, short: 'Billed', definition: 'Invoiced.' },
        { key: 'net_billed_value', label: 'Net billed', stage: 6, short: 'Net billed', definition: 'Billed less credits.' },
        { key: 'collected_value', label: 'Collected', stage: 7, short: 'Collected', definition: 'Paid.' },
    ],
    leaks: [
        leakDef('untracked', 'Untracked time', 1, 'Untracked', 'orange'),
        leakDef('unbilled_meetings', 'Unbilled client meetings', 2, 'Meetings', 'sky'),
        leakDef('unbilled_other', 'Other unbilled client work', 2, 'Other\nunbilled', 'blue'),
        leakDef('overrun', 'Scope creep / overrun', 3, 'Overrun', 'vermillion'),
        leakDef('not_invoiced', 'Not yet invoiced', 4, 'Not\ninvoiced', 'purple'),
        leakDef('credited', 'Disputes and write-offs', 5, 'Credited', 'grey'),
        leakDef('uncollected', 'Uncollected', 6, 'Uncollected', 'brown'),
    ],
};

type Series = { name: string; data: unknown[]; itemStyle?: { color: string }; stack?: string; yAxisIndex?: number };

describe('the funnel waterfall', () => {
    it('walks from potential value down through each leak to collected, then cost to the realized margin', () => {
        const steps = funnelSteps(funnel, defs);
        expect(steps.map((s) => [s.key, s.from, s.to])).toEqual([
            ['potential_value', 0, 1000],
            ['untracked', 1000, 900],
            ['tracked_value', 0, 900],
            ['unbilled_meetings', 900, 870],
            ['unbilled_other', 870, 850],
            ['billable_value', 0, 850],
            ['overrun', 850, 860],
            ['recognized_revenue', 0, 860],
            ['not_invoiced', 860, 800],
            ['billed_value', 0, 800],
            ['credited', 800, 795],
            ['net_billed_value', 0, 795],
            ['uncollected', 795, 750],
            ['collected_value', 0, 750],
            ['cost', 750, -50],
            ['realized_margin', 0, -50],
        ]);
        expect(steps.find((s) => s.key === 'overrun')!.color).toBe(GAIN);
        expect(steps.find((s) => s.key === 'untracked')!.color).toBe(LEAK_PALETTE.orange);
        expect(steps.find((s) => s.key === 'cost')!.color).toBe(COST);
        expect(steps[0]!.color).toBe(STAGE);
    });

    it('splits a floating bar into an invisible base and what shows above and below zero', () => {
        expect(barParts(1000, 900)).toEqual({ base: 900, positive: 100, negative: 0 });
        expect(barParts(850, 860)).toEqual({ base: 850, positive: 10, negative: 0 });
        expect(barParts(750, -50)).toEqual({ base: 0, positive: 750, negative: -50 });
        expect(barParts(0, -50)).toEqual({ base: 0, positive: 0, negative: -50 });
        expect(barParts(-20, -50)).toEqual({ base: -20, positive: 0, negative: -30 });
    });

    it('draws the bars, labels leaks with a minus (gains with a plus) and explains each in its tooltip', () => {
        const withDefinition = { ...defs, stages: defs.stages.map((s) => (s.key === 'potential_value' ? { ...s, definition: 'Everything people could have logged.' } : s)) };
        const option = buildFunnelOption(funnel, ctx, withDefinition);
        const series = option.series as Series[];
        expect((option.xAxis as { data: string[] }).data).toEqual(['Potential', 'Untracked', 'Tracked', 'Meetings', 'Other\nunbilled', 'Billable', 'Overrun', 'Recognized', 'Not\ninvoiced', 'Billed', 'Credited', 'Net billed', 'Uncollected', 'Collected', 'Cost', 'Realized\nmargin']);
        expect(series[0]!.data).toEqual([0, 900, 0, 870, 850, 0, 850, 0, 800, 0, 795, 0, 750, 0, 0, 0]);
        expect((series[1]!.data as { value: number }[]).map((d) => d.value)).toEqual([1000, 100, 900, 30, 20, 850, 10, 860, 60, 800, 5, 795, 45, 750, 750, 0]);
        expect((series[2]!.data as { value: number }[]).map((d) => d.value)).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, -50, -50]);
        const items = series[1]!.data as { key: string; kind: string; amount: number; itemStyle: { color: string } }[];
        expect(items[15]!.itemStyle.color).toBe('#b2182b');
        const label = (series[1] as unknown as { label: { formatter: (p: unknown) => string } }).label.formatter;
        expect(label({ data: items[1] })).toBe('−€100');
        expect(label({ data: items[6] })).toBe('+€10');
        expect(label({ data: items[0] })).toBe('€1K');
        const tooltip = (option.tooltip as { formatter: (p: unknown) => string }).formatter;
        expect(tooltip({ dataIndex: 0 })).toContain('Everything people could have logged.');
        expect(tooltip({ dataIndex: 1 })).toContain('€100.00');
        expect(tooltip({ dataIndex: 1 })).toContain('10.0%');
        expect(tooltip({ dataIndex: 1 })).toContain('Click to see the rows behind it.');
        expect(MARGIN).toBe('#007a5a');
    });

    it('gives the same steps as a table', () => {
        const t = funnelTable(funnel, defs);
        expect(t.columns.map((c) => c.key)).toEqual(['step', 'type', 'amount', 'share']);
        expect(t.rows.slice(0, 3)).toEqual([
            { key: 'potential_value', step: 'Potential value', type: 'Stage', amount: 1000, share: 1 },
            { key: 'untracked', step: 'Untracked time', type: 'Leak', amount: 100, share: 0.1 },
            { key: 'tracked_value', step: 'Tracked value', type: 'Stage', amount: 900, share: 0.9 },
        ]);
        expect(t.rows.at(-1)).toEqual({ key: 'realized_margin', step: 'Realized margin', type: 'Result', amount: -50, share: -0.05 });
    });
});

const leakRow = (key: string, label: string, leaks: number[]): BreakdownRow => {
    const [untracked, unbilled_meetings, unbilled_other, overrun, not_invoiced, credited, uncollected] = leaks as [number, number, number, number, number, number, number];
    const total = leaks.reduce((a, b) => a + b, 0);
    return { key, label, untracked, unbilled_meetings, unbilled_other, overrun, not_invoiced, credited, uncollected, total_leaks: total, potential_value: 0, tracked_value: 0, billable_value: 0, recognized_revenue: 0, billed_value: 0, net_billed_value: 0, collected_value: 0, cost: 0, realized_margin: 0, client_hours: 0 };
};

describe('the worst leaks', () => {
    const rows = [leakRow('C1', 'Acme', [10, 0, 0, 5, 0, 0, 0]), leakRow('C2', 'Borealis', [50, 1, 1, -20, 3, 0, 5]), leakRow('C3', 'Cobalt', [1, 0, 0, 0, 0, 0, 0])];

    it('keeps the groups with the largest total leak, worst first, and stacks each kind of leak', () => {
        expect(worstLeaks(rows, 2).map((r) => r.key)).toEqual(['C2', 'C1']);
        const option = buildLeakBreakdownOption(rows, ctx, defs.leaks, 2);
        expect((option.yAxis as { data: string[] }).data).toEqual(['Acme', 'Borealis']); // drawn bottom-up: the worst on top
        const series = option.series as Series[];
        expect(series.map((s) => s.name)).toEqual(['Untracked time', 'Unbilled client meetings', 'Other unbilled client work', 'Scope creep / overrun', 'Not yet invoiced', 'Disputes and write-offs', 'Uncollected']);
        expect(series[3]!.data).toEqual([
            { value: 5, groupKey: 'C1' },
            { value: -20, groupKey: 'C2' },
        ]);
        expect(series.every((s) => s.stack === 'leaks')).toBe(true);
        expect(series[0]!.itemStyle!.color).toBe(LEAK_PALETTE.orange);
    });

    it('tables the same groups, worst first', () => {
        const t = leakBreakdownTable(rows, defs.leaks, 2, 'Client');
        expect(t.rows.map((r) => [r.label, r.total_leaks, r.overrun])).toEqual([
            ['Borealis', 40, -20],
            ['Acme', 15, 5],
        ]);
        expect(t.columns[0]).toEqual({ key: 'label', label: 'Client', kind: 'text' });
    });
});

describe('leaks as the API defines them', () => {
    it('draws a leak the definitions add, in its colour key’s colour, and an unknown key in the default colour', () => {
        expect(leakColour('vermillion')).toBe('#d55e00');
        expect(leakColour('no-such-colour')).toBe(LEAK_DEFAULT);
        expect(leakColour('constructor')).toBe(LEAK_DEFAULT);
        const more = { ...defs, leaks: [...defs.leaks.slice(0, 6), leakDef('disputed', 'Unpaid and in dispute', 6, 'Disputed', 'teal'), defs.leaks[6]!] };
        const withLeak: Funnel = {
            ...funnel,
            leaks: [...funnel.leaks.slice(0, 6), { key: 'disputed', label: 'Unpaid and in dispute', below_stage: 6, amount: 15, definition: 'In dispute', drill: '' }, { ...funnel.leaks[6]!, amount: 30 }],
        };
        const steps = funnelSteps(withLeak, more);
        expect(steps.map((s) => [s.key, s.from, s.to]).slice(10, 14)).toEqual([
            ['credited', 800, 795],
            ['net_billed_value', 0, 795],
            ['disputed', 795, 780],
            ['uncollected', 780, 750],
        ]);
        expect(steps.find((s) => s.key === 'disputed')).toMatchObject({ short: 'Disputed', color: LEAK_DEFAULT });
        const row = { ...leakRow('C1', 'Acme', [1, 0, 0, 0, 0, 0, 2]), disputed: 3, total_leaks: 6 };
        const series = buildLeakBreakdownOption([row], ctx, more.leaks, 1).series as Series[];
        expect(series.map((s) => s.name)).toContain('Unpaid and in dispute');
        expect(leakBreakdownTable([row], more.leaks, 1).rows[0]!.disputed).toBe(3);
    });

    it('names a leak’s parts in its tooltip and its table columns', () => {
        const split = defs.leaks.map((l) =>
            l.key === 'overrun' ? { ...l, parts: [{ key: 'budget_overrun', label: 'Overrun', definition: 'd', short: 'Overrun', colour: 'vermillion', filters: [] }, { key: 'price_difference', label: 'Price difference', definition: 'd', short: 'Price', colour: 'yellow', filters: [] }] } : l,
        );
        const withParts: Funnel = {
            ...funnel,
            leaks: funnel.leaks.map((l) => (l.key === 'overrun' ? { ...l, parts: [{ key: 'budget_overrun', label: 'Overrun', amount: 5, definition: 'd', drill: '' }, { key: 'price_difference', label: 'Price difference', amount: -15, definition: 'd', drill: '' }] } : l)),
        };
        const option = buildFunnelOption(withParts, ctx, { ...defs, leaks: split });
        const tooltip = (option.tooltip as { formatter: (p: unknown) => string }).formatter;
        expect(tooltip({ dataIndex: 6 })).toContain('Price difference');
        expect(tooltip({ dataIndex: 6 })).toContain('-€15.00');
        const row = { ...leakRow('C1', 'Acme', [0, 0, 0, -10, 0, 0, 0]), budget_overrun: 5, price_difference: -15 };
        const t = leakBreakdownTable([row], split, 1);
        expect(t.columns.map((c) => c.key)).toEqual(['label', 'untracked', 'unbilled_meetings', 'unbilled_other', 'overrun', 'budget_overrun', 'price_difference', 'not_invoiced', 'credited', 'uncollected', 'total_leaks']);
        expect(t.rows[0]!.price_difference).toBe(-15);
    });
});

describe('trends', () => {
    const months = [
        { month: '2026-01-01', revenue: 100, cost: 60, margin: 40, margin_pct: 0.4 },
        { month: '2026-02-01', revenue: 0, cost: 10, margin: -10, margin_pct: null },
    ];

    it('draws revenue and cost as bars and margin % on its own axis, a month without revenue as a gap', () => {
        const option = buildMarginTrendOption(months, ctx);
        const series = option.series as Series[];
        expect(series.map((s) => [s.name, s.data, s.yAxisIndex ?? 0])).toEqual([
            ['Revenue recognized', [100, 0], 0],
            ['Cost', [60, 10], 0],
            ['Recognized margin %', [0.4, null], 1],
        ]);
        const label = ((option.xAxis as { axisLabel: { formatter: (m: string) => string } }).axisLabel.formatter)('2026-02-01');
        expect(label).toBe('Feb 2026');
        expect(marginTrendTable(months).rows).toEqual(months);
    });

    it('says a month’s figures in its tooltip as its table shows them, a missing margin % as a dash', () => {
        const tooltip = (buildMarginTrendOption(months, ctx, { margin_pct: 'Def.' }).tooltip as { formatter: (p: unknown) => string }).formatter;
        const lines = (html: string) => [...html.matchAll(/<span>([^<]*)<\/span><b>([^<]*)<\/b>/g)].map((m) => [m[1], m[2]]);
        expect(lines(tooltip([{ dataIndex: 0 }]))).toEqual([
            ['Revenue recognized', '€100.00'],
            ['Cost', '€60.00'],
            ['Recognized margin', '€40.00'],
            ['Recognized margin %', '40.0%'],
        ]);
        expect(lines(tooltip([{ dataIndex: 1 }]))[3]).toEqual(['Recognized margin %', '–']);
        expect(tooltip([{ dataIndex: 1 }])).toContain('Def.');
    });

    it('draws ratio lines per series and tables them', () => {
        const rows = [{ month: '2026-01-01', a: 0.5, b: null }];
        const series = [{ key: 'a', name: 'A' }, { key: 'b', name: 'B' }];
        const option = buildRatioTrendOption(rows, series, ctx);
        expect((option.series as Series[]).map((s) => s.data)).toEqual([[0.5], [null]]);
        expect(ratioTrendTable(rows, series)).toEqual({
            columns: [
                { key: 'month', label: 'Month', kind: 'month' },
                { key: 'a', label: 'A', kind: 'percent', help: undefined },
                { key: 'b', label: 'B', kind: 'percent', help: undefined },
            ],
            rows: [{ month: '2026-01-01', a: 0.5, b: null }],
        });
    });
});

describe('heatmaps, bars and the project charts', () => {
    it('places heatmap cells by category index and leaves cells without a value blank', () => {
        const option = buildHeatmapOption(
            {
                xs: ['w1', 'w2'],
                ys: ['dev', 'qa'],
                cells: [
                    { x: 'w2', y: 'qa', value: 0.8 },
                    { x: 'w1', y: 'dev', value: null },
                    { x: 'w9', y: 'dev', value: 0.1 },
                ],
                format: 'percent',
                scale: 'sequential',
                min: 0,
                max: 1.2,
            },
            ctx,
        );
        const data = (option.series as Series[])[0]!.data as { value: number[] }[];
        expect(data.map((d) => d.value)).toEqual([[1, 1, 0.8]]);
        expect((option.visualMap as { min: number; max: number; text: string[] }).text).toEqual(['120%', '0%']);
    });

    it('draws horizontal bars top-down in the given order, percent shares capped at 100 %', () => {
        const rows = [
            { group: 'Analyst', share: 0.6 },
            { group: 'Architect', share: 0.71 },
        ];
        const option = buildCategoryBarOption(rows, { category: 'group', series: [{ key: 'share', name: 'Share' }], format: 'percent', max: 1 }, ctx);
        expect((option.yAxis as { data: string[] }).data).toEqual(['Architect', 'Analyst']);
        expect((option.series as Series[])[0]!.data).toEqual([0.71, 0.6]);
        expect((option.xAxis as { max: number }).max).toBe(1);
    });

    it('draws burn against elapsed time with the alert lines', () => {
        const burn: BurnMonth[] = [
            { month: '2026-03-01', month_end: '2026-03-31', hours: 10, hours_used: 10, billable_hours_used: 10, budget_basis: 'budget_hours', budget_hours: 100, share_elapsed: 0.1, share_complete: null, burn: 0.1, eac_method: 'linear', eac_hours: 100, alert_level: null },
            { month: '2026-04-01', month_end: '2026-04-30', hours: 110, hours_used: 120, billable_hours_used: 110, budget_basis: 'budget_hours', budget_hours: 100, share_elapsed: 0.5, share_complete: null, burn: 1.2, eac_method: 'linear', eac_hours: 240, alert_level: 100 },
        ];
        const option = buildBurnOption(burn, ctx);
        const series = option.series as (Series & { markLine?: { data: { yAxis: number }[] } })[];
        expect(series[0]!.data).toEqual([0.1, 1.2]);
        expect(series[1]!.data).toEqual([0.1, 0.5]);
        expect(series[0]!.markLine!.data).toEqual([{ yAxis: 0.75 }, { yAxis: 0.9 }, { yAxis: 1 }]);
        expect((option.yAxis as { max: number }).max).toBe(1.3);
    });

    it('stacks retainer hours as included, rolled over and overage', () => {
        const rows = [{ month: '2026-01-01', included_hours: 100, billable_hours: 130, included_used_hours: 100, rollover_used_hours: 20, overage_hours: 10, included_unused_hours: 0, fee: 1000, overage_amount: 500, revenue: 1500 }];
        const series = buildRetainerOption(rows, ctx).series as Series[];
        expect(series.map((s) => [s.name, s.data])).toEqual([
            ['Included used', [100]],
            ['Rollover used', [20]],
            ['Overage', [10]],
            ['Included hours', [100]],
        ]);
        expect(retainerTable(rows).columns.map((c) => c.kind)).toEqual(['month', 'hours', 'hours', 'hours', 'hours', 'hours', 'hours', 'money', 'money', 'money']);
    });

    it('draws the closeout spread from P10 to P90 with the median, on an axis that hugs the data', () => {
        const rows = [
            { phase: 'build', projects: 5, ratio_projects: 5, estimated_hours: 100, actual_hours: 110, ratio_of_sums: 1.1, ratio_median: 1.05, ratio_p10: 0.8, ratio_p90: 1.3 },
            { phase: 'test', projects: 1, ratio_projects: 0, estimated_hours: 0, actual_hours: 5, ratio_of_sums: null, ratio_median: null, ratio_p10: null, ratio_p90: null },
        ];
        const option = buildSpreadOption(rows, ctx);
        const series = option.series as Series[];
        expect((option.xAxis as { data: string[] }).data).toEqual(['Build']);
        expect(series[0]!.data).toEqual([0.8]);
        expect(series[1]!.data).toEqual([0.5]);
        expect(series[2]!.data).toEqual([1.05]);
        expect(lowerBound(rows)).toBe(0.7);
        expect(upperBound(rows)).toBe(1.4);
    });
});
