/**
 * A drill-down's rows grouped (GET /api/drill/:metric?group_by=…): one line per project, person, client or
 * month with its row count and the subtotals of the money and hours, largest amount first. The groups are the
 * same filtered rows the drill-down pages through (server/queries/drill.ts drillGroups); here is what a part
 * offers, and how the money subtotals are answered to the cent so that they add up to the drill-down's total.
 */
import { apportionCents, toCents } from '../../lib/money.ts';
import { DRILL_GROUPINGS, type DrillGrouping } from '../schemas/drill.ts';
import type { DrillPart } from './drill.ts';
import { FILTER_KEYS, type FilterKey } from './filters.ts';

type Row = Record<string, string | number | boolean | null>;

/**
 * The groupings a part offers: those whose column its rows have and that the drill-down can be filtered to,
 * so that a group opens as the same drill-down narrowed to it — a project, person or client by its id filter,
 * a month by `month` where the part's period column is the month.
 */
export function groupingsOf(part: DrillPart, columns: readonly string[]): DrillGrouping[] {
    return (Object.entries(DRILL_GROUPINGS) as [DrillGrouping, string][])
        .filter(([grouping, column]) => columns.includes(column) && (grouping === 'month' ? part.date.column === column : part.filters[column as FilterKey] === column))
        .map(([grouping]) => grouping);
}

/** The columns a group sums: the amount first, then the part's other subtotals its rows have. */
export function subtotalColumns(part: DrillPart, columns: readonly string[]): string[] {
    return [part.amount, ...(part.subtotals ?? []).filter((c) => c !== part.amount && columns.includes(c))];
}

/** The columns of a group line, as answered. */
export function groupColumns(part: DrillPart, columns: readonly string[], grouping: DrillGrouping): string[] {
    return [DRILL_GROUPINGS[grouping], 'row_count', ...subtotalColumns(part, columns)];
}

/**
 * The part as a query with these filters can read it: its summary answers the totals only when it has the
 * column of every filter given (a funnel drill-down narrowed to a person reads the rows themselves).
 */
export function readableFor(part: DrillPart, q: Partial<Record<FilterKey, string | undefined>>, summaryColumns: readonly string[]): DrillPart {
    if (!part.summary) return part;
    const covered = FILTER_KEYS.every((k) => q[k] === undefined || summaryColumns.includes(part.filters[k] ?? k));
    if (covered) return part;
    const { summary: _summary, seek: _seek, ...rows } = part;
    return rows;
}

/** Whether the groups can be summed from the part's summary: it has the group column and every subtotal. */
export function groupsFromSummary(part: DrillPart, summaryColumns: readonly string[], grouping: DrillGrouping, sums: readonly string[]): boolean {
    return !!part.summary && [DRILL_GROUPINGS[grouping], 'row_count', ...sums].every((c) => summaryColumns.includes(c));
}

/**
 * The groups as the API answers them, with their total line. Money subtotals (exact decimal text from the
 * warehouse) are apportioned over every group by the largest remainder (lib/money.ts), so that each money
 * column's subtotals add up to its total to the cent: the amount's to the drill-down's `total_amount`, another
 * money column's to its own sum rounded. Hours keep their precision.
 */
export function groupMoney(part: DrillPart, sums: readonly string[], groups: readonly Row[], total: { n: number; amount: number | null }): { groups: Row[]; totals: Row } {
    const out = groups.map((g) => ({ ...g }));
    const totals: Row = { row_count: total.n };
    for (const column of sums) {
        const values = groups.map((g) => g[column] ?? 0);
        if (part.money.includes(column)) {
            const target = column === part.amount ? toCents(total.amount ?? 0) : undefined;
            const cents = apportionCents(values as (string | number)[], target);
            cents.forEach((c, i) => (out[i]![column] = c / 100));
            totals[column] = cents.reduce((a, b) => a + b, 0) / 100;
        } else {
            out.forEach((g, i) => (g[column] = typeof values[i] === 'string' ? Number(values[i]) : values[i]!));
            totals[column] = column === part.amount ? Math.round((total.amount ?? 0) * 1e6) / 1e6 : Math.round(out.reduce((a, g) => a + Number(g[column] ?? 0), 0) * 1e6) / 1e6;
        }
    }
    return { groups: out, totals };
}

/**
 * A page of the groups sorted by a group column, empty values last; ties keep the warehouse's order (largest
 * amount first, then by the group's value), so a page never depends on anything but the rows.
 */
export function pageOfGroups(groups: readonly Row[], sort: string, order: 'asc' | 'desc', page: number, size: number): Row[] {
    return [...groups].sort((a, b) => compare(a[sort], b[sort], order)).slice((page - 1) * size, page * size);
}

function compare(x: Row[string] | undefined, y: Row[string] | undefined, order: 'asc' | 'desc'): number {
    const xe = x === null || x === undefined;
    const ye = y === null || y === undefined;
    if (xe || ye) return xe === ye ? 0 : xe ? 1 : -1;
    const sign = order === 'asc' ? 1 : -1;
    if (typeof x === 'number' && typeof y === 'number') return sign * (x - y);
    return sign * String(x).localeCompare(String(y));
}
