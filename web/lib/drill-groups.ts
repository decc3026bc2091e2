/**
 * A drill-down grouped (components/DrillPanel.svelte, GET /api/drill/:metric?group_by=…): one line per project,
 * person, client or month with its row count and subtotals, and the total line under them, as shown and as
 * their CSV holds them; and the filter that opens a group's rows.
 */
import type { Dimensions, Drill } from './api/types.ts';
import { drillColumn } from './drill.ts';
import type { Column, Row, TableData } from './table.ts';
import { DRILL_GROUPINGS, type DrillGrouping } from '../../server/drill-groupings.ts';

export type { DrillGrouping };

/** The groupings as the panel offers them. */
export const GROUPING_LABELS: Record<DrillGrouping, string> = { project: 'Project', person: 'Person', client: 'Client', month: 'Month' };

/** The column of the rows each grouping groups on. */
export const GROUP_KEY: Readonly<Record<DrillGrouping, string>> = DRILL_GROUPINGS;

/** What a group without a value holds (rows with no person: revenue and invoice pieces of a funnel leak). */
const NONE: Record<DrillGrouping, string> = { project: 'No project', person: 'No person', client: 'No client', month: 'No month' };

/** A line of the table that is the total, not a group. */
export const isTotalLine = (row: Row): boolean => row.group_total === true;

/**
 * The groups as shown: the group by name (and its id), its rows, then the amount and the other subtotals; the
 * total line last (`group_total`), with the count of groups and every subtotal over all of them.
 */
export function drillGroupTable(d: Drill, dims: Pick<Dimensions, 'projects' | 'clients' | 'people'>, unit: 'money' | 'hours'): TableData {
    const grouping = d.group_by;
    if (!grouping) throw new Error('not a grouped drill-down');
    const key = GROUP_KEY[grouping];
    const names: Map<string, string> = new Map(
        grouping === 'project'
            ? dims.projects.map((p) => [p.project_id, p.project_name])
            : grouping === 'client'
              ? dims.clients.map((c) => [c.client_id, c.client_name])
              : grouping === 'person'
                ? (dims.people ?? []).map((p) => [p.person_id, p.name])
                : [],
    );
    const sums = d.columns.filter((c) => c !== key && c !== 'row_count');
    // The group by name first (a month as YYYY-MM), then its id where it has one.
    const columns: Column[] = [{ key: 'group_name', label: GROUPING_LABELS[grouping], kind: 'text' }];
    if (grouping !== 'month') columns.push(drillColumn(key, d.amount_column, unit));
    columns.push({ key: 'row_count', label: 'Rows', kind: 'number' });
    for (const c of sums) columns.push(drillColumn(c, d.amount_column, unit));
    const rows: Row[] = d.rows.map((r) => {
        const value = r[key];
        const name =
            value === null || value === undefined ? NONE[grouping] : grouping === 'month' ? String(value).slice(0, 7) : (names.get(String(value)) ?? (grouping === 'person' ? null : String(value)));
        return { ...r, group_name: name };
    });
    const n = d.total_groups ?? rows.length;
    const noun = grouping === 'person' ? (n === 1 ? 'person' : 'people') : `${grouping}${n === 1 ? '' : 's'}`;
    rows.push({ ...(d.group_totals ?? {}), group_name: `Total (${n} ${noun})`, group_total: true });
    return { columns, rows };
}

/**
 * The filter that opens a group's rows (the same drill-down narrowed to it), or null for the total line and a
 * group without a value, which no filter selects.
 */
export function groupFilter(grouping: DrillGrouping, row: Row): Record<string, string> | null {
    if (isTotalLine(row)) return null;
    const value = row[GROUP_KEY[grouping]];
    if (value === null || value === undefined || value === '') return null;
    return grouping === 'month' ? { month: String(value).slice(0, 7) } : { [GROUP_KEY[grouping]]: String(value) };
}

/** A group's name as a person reads it (for the panel's heading once it is opened). */
export function groupName(grouping: DrillGrouping, row: Row): string {
    return `${GROUPING_LABELS[grouping]} ${String(row.group_name ?? row[GROUP_KEY[grouping]] ?? '')}`;
}
