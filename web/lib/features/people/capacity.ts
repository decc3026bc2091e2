/**
 * People and capacity, shaped for the charts: utilization by week for each role or department (a
 * heatmap), timesheet completeness and logging latency by group, and the individuals a caller may see
 * (a manager's people, an engineer themself) by week.
 */
import type { HeatCell, HeatmapSpec } from '../../charts/options/heatmap.ts';
import { formatDayMonth, formatHours, formatPercent, humanize } from '../../format.ts';
import type { Column, Row, TableData } from '../../table.ts';

export type MetricRow = Record<string, string | number | boolean | null>;

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/** "2026-08-31" → "31 Aug" in the locale (the Monday a week starts). */
export function weekLabel(iso: string, locale: string): string {
    return formatDayMonth(iso, locale);
}

/**
 * A utilization heatmap (weeks across, groups down) from rows grouped by week and `group`. The scale runs
 * from 0 to 100 %, or further when someone is above capacity.
 */
export function utilizationHeatmap(rows: MetricRow[], group: string, locale: string, groupLabel: (g: string) => string = humanize, definition?: string): HeatmapSpec {
    const xs = [...new Set(rows.map((r) => String(r.week)))].sort();
    const ys = [...new Set(rows.map((r) => String(r[group])))].sort((a, b) => groupLabel(a).localeCompare(groupLabel(b)));
    const cells: HeatCell[] = rows.map((r) => ({
        x: String(r.week),
        y: String(r[group]),
        value: num(r.utilization),
        details: [
            ['Billable hours', formatHours(num(r.billable_hours), locale)],
            ['Capacity hours', formatHours(num(r.capacity_hours), locale)],
            ['Logged utilization', formatPercent(num(r.logged_utilization), locale)],
        ],
    }));
    const max = Math.max(1, ...cells.map((c) => c.value ?? 0));
    return { xs, ys, cells, format: 'percent', scale: 'sequential', min: 0, max: Math.ceil(max * 10) / 10, xLabel: (x) => weekLabel(x, locale), yLabel: groupLabel, definition };
}

/** The heatmap's table: one row per group, one column per week (what the cells show). */
export function heatmapTable(spec: HeatmapSpec, groupTitle: string): TableData {
    const cells = new Map(spec.cells.map((c) => [`${c.y}|${c.x}`, c.value]));
    return {
        columns: [{ key: 'group', label: groupTitle, kind: 'text' }, ...spec.xs.map((x) => ({ key: x, label: spec.xLabel ? spec.xLabel(x) : x, kind: spec.format === 'percent' ? ('percent' as const) : ('ratio' as const), digits: spec.format === 'percent' ? 0 : 2 }))],
        rows: spec.ys.map((y) => ({ key: y, group: spec.yLabel ? spec.yLabel(y) : y, ...Object.fromEntries(spec.xs.map((x) => [x, cells.get(`${y}|${x}`) ?? null])) })),
    };
}

/**
 * One row per group (a role, a department, a person: the value of `group`), labelled, in the order of the
 * labels, with the given figures of each.
 */
function groupRows(rows: MetricRow[], group: string, groupLabel: (g: string) => string, figures: readonly string[]): Row[] {
    return rows
        .map((r) => ({ key: String(r[group]), group: groupLabel(String(r[group])), ...Object.fromEntries(figures.map((k) => [k, num(r[k])])) }))
        .sort((a, b) => String(a.group).localeCompare(String(b.group)));
}

/** The table of group rows: the group under its title, then the given columns. */
const groupTable = (rows: Row[], groupTitle: string, columns: Column[]): TableData => ({ columns: [{ key: 'group', label: groupTitle, kind: 'text' }, ...columns], rows });

/** Completeness, utilization and logged hours per group over the period. */
export function completenessRows(rows: MetricRow[], group: string, groupLabel: (g: string) => string = humanize): Row[] {
    return groupRows(rows, group, groupLabel, ['timesheet_completeness', 'utilization', 'logged_utilization', 'all_hours', 'capacity_hours']);
}

export function completenessTable(rows: Row[], groupTitle: string): TableData {
    return groupTable(rows, groupTitle, [
        { key: 'timesheet_completeness', label: 'Timesheet completeness', kind: 'percent' },
        { key: 'utilization', label: 'Utilization', kind: 'percent' },
        { key: 'logged_utilization', label: 'Logged utilization', kind: 'percent' },
        { key: 'all_hours', label: 'Hours logged', kind: 'hours' },
        { key: 'capacity_hours', label: 'Capacity', kind: 'hours' },
    ]);
}

/** Latency buckets (shares of hours) and the Friday-batch share per role (or per `group`: person). */
export function latencyRows(rows: MetricRow[], group = 'role', groupLabel: (g: string) => string = humanize): Row[] {
    return groupRows(rows, group, groupLabel, ['same_day_share', 'within_7_days_share', 'over_7_days_share', 'friday_batch_share', 'hours', 'entries']);
}

export function latencyTable(rows: Row[], groupTitle = 'Role'): TableData {
    return groupTable(rows, groupTitle, [
        { key: 'same_day_share', label: 'Same day', kind: 'percent' },
        { key: 'within_7_days_share', label: 'Within 7 days', kind: 'percent' },
        { key: 'over_7_days_share', label: 'Over 7 days', kind: 'percent' },
        { key: 'hours', label: 'Hours', kind: 'hours' },
        { key: 'entries', label: 'Entries', kind: 'number' },
    ]);
}

export function fridayTable(rows: Row[], groupTitle = 'Role'): TableData {
    return groupTable(rows, groupTitle, [
        { key: 'friday_batch_share', label: 'Friday-batch share', kind: 'percent' },
        { key: 'hours', label: 'Hours', kind: 'hours' },
    ]);
}

/** How many distinct people a person-grouped answer holds (a heatmap's rows). */
export function peopleCount(rows: MetricRow[]): number {
    return new Set(rows.map((r) => String(r.person))).size;
}
