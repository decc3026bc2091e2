/**
 * The drill panel's grouped view (web/lib/drill-groups.ts): a line per group by name beside its id, its rows and
 * subtotals, and the total line; the filter that opens a group; the CSV of the groups, which says what it holds
 * in its name and first lines (the grouping too) and escapes names as every cell.
 */
import { describe, expect, it } from 'vitest';
import type { Dimensions, Drill } from '../../web/lib/api/types.ts';
import { drillCsv } from '../../web/lib/drill.ts';
import { drillGroupTable, groupFilter, groupName, isTotalLine } from '../../web/lib/drill-groups.ts';
import { toCsv } from '../../web/lib/table.ts';
import { csvRecords } from '../helpers/csv.ts';

const dims: Pick<Dimensions, 'projects' | 'clients' | 'people' | 'as_of'> = {
    projects: [
        { project_id: 'P1', project_name: '=Portal', client_id: 'C1', client_name: 'Acme' } as Dimensions['projects'][number],
        { project_id: 'P2', project_name: 'Billing', client_id: 'C1', client_name: 'Acme' } as Dimensions['projects'][number],
    ],
    clients: [{ client_id: 'C1', client_name: 'Acme', currency: 'EUR', projects: 2, active_projects: 2 }],
    people: [{ person_id: 'E1', name: 'Eve Engineer', role: 'developer', department: 'Engineering', is_active: true, weekly_hours: 40 }],
    as_of: '2024-02-29',
};

/** The hand-worked firm of test/server/drill-groups.test.ts, by project, as the API answers it. */
const byProject: Drill = {
    metric: 'realization',
    part: 'standard_value',
    description: 'Billable client entries',
    amount_column: 'std_value',
    money_columns: ['std_value', 'cost_value'],
    currency: 'EUR',
    total_rows: 4,
    total_amount: 50.04,
    page: 1,
    page_size: 100,
    columns: ['project_id', 'row_count', 'std_value', 'hours', 'cost_value'],
    rows: [
        { project_id: 'P1', row_count: 1, std_value: 36.7, hours: 1.1, cost_value: 55 },
        { project_id: 'P2', row_count: 2, std_value: 10.01, hours: 0.3, cost_value: 15 },
        { project_id: 'P3', row_count: 1, std_value: 3.33, hours: 0.1, cost_value: 5 },
    ],
    groupings: ['project', 'person', 'client', 'month'],
    group_by: 'project',
    total_groups: 3,
    group_totals: { row_count: 4, std_value: 50.04, hours: 1.5, cost_value: 75 },
};

describe('a drill-down grouped, in the panel', () => {
    it('shows each group by name beside its id, its rows and subtotals, the amount first, and a total line', () => {
        const t = drillGroupTable(byProject, dims, 'money');
        expect(t.columns.map((c) => [c.key, c.label, c.kind])).toEqual([
            ['group_name', 'Project', 'text'],
            ['project_id', 'Project ID', 'text'],
            ['row_count', 'Rows', 'number'],
            ['std_value', 'Standard value', 'money'],
            ['hours', 'Hours', 'hours'],
            ['cost_value', 'Cost', 'money'],
        ]);
        // A project the directory does not name keeps its id.
        expect(t.rows.map((r) => r.group_name)).toEqual(['=Portal', 'Billing', 'P3', 'Total (3 projects)']);
        expect(t.rows.map(isTotalLine)).toEqual([false, false, false, true]);
        expect(t.rows.at(-1)).toMatchObject({ row_count: 4, std_value: 50.04, cost_value: 75 });
    });

    it('opens a group with its filter; the total line and a group without a value open nothing', () => {
        const t = drillGroupTable(byProject, dims, 'money');
        expect(groupFilter('project', t.rows[1]!)).toEqual({ project_id: 'P2' });
        expect(groupName('project', t.rows[1]!)).toBe('Project Billing');
        expect(groupFilter('project', t.rows[3]!)).toBeNull();
        expect(groupFilter('person', { person_id: null, row_count: 3 })).toBeNull();
        expect(groupFilter('month', { month: '2024-02-01' })).toEqual({ month: '2024-02' });
        const byPerson = drillGroupTable({ ...byProject, group_by: 'person', columns: ['person_id', 'row_count', 'std_value'], rows: [{ person_id: 'E1', row_count: 1, std_value: 40.03 }, { person_id: null, row_count: 2, std_value: 10.01 }], total_groups: 2 }, dims, 'money');
        expect(byPerson.rows.map((r) => r.group_name)).toEqual(['Eve Engineer', 'No person', 'Total (2 people)']);
        const byMonth = drillGroupTable({ ...byProject, group_by: 'month', columns: ['month', 'row_count', 'std_value'], rows: [{ month: '2024-01-01', row_count: 1, std_value: 36.7 }], total_groups: 1 }, dims, 'money');
        expect(byMonth.columns.map((c) => c.key)).toEqual(['group_name', 'row_count', 'std_value']);
        expect(byMonth.rows.map((r) => r.group_name)).toEqual(['2024-01', 'Total (1 month)']);
    });

    it('writes the groups as CSV: its name and first lines say scope, period, as-of and the grouping; names escaped', () => {
        const csv = toCsv(drillGroupTable(byProject, dims, 'money'), { currency: 'EUR' });
        const [name, text] = drillCsv('Standard value', { from: '2024-01-01', to: '2024-02-29', client_id: 'C1' }, dims, csv, '', 'project');
        expect(name).toBe('standard-value-by-project-2024-01-01-to-2024-02-29-as-of-2024-02-29-acme.csv');
        const records = csvRecords(text);
        expect(records.slice(0, 6)).toEqual([['Rows behind: Standard value'], ['Scope: client Acme'], ['Period: 2024-01-01 to 2024-02-29'], ['As of: 2024-02-29'], ['Grouped by: project'], ['']]);
        expect(records[6]).toEqual(['Project', 'Project ID', 'Rows', 'Standard value (EUR)', 'Hours (h)', 'Cost (EUR)']);
        expect(records[7]).toEqual(["'=Portal", 'P1', '1', '36.70', '1.10', '55.00']);
        expect(records[10]).toEqual(['Total (3 projects)', '', '4', '50.04', '1.50', '75.00']);
        // The subtotals in the file add up to its total line to the cent.
        expect(records.slice(7, 10).reduce((s, r) => s + Math.round(Number(r[3]) * 100), 0)).toBe(5004);
        // A group opened from it: the scope names the group.
        const [opened, head] = drillCsv('Standard value', { person_id: 'E1', month: '2024-02' }, dims, csv);
        expect(opened).toBe('standard-value-rows-as-of-2024-02-29-eve-engineer-2024-02.csv');
        expect(csvRecords(head)[1]).toEqual(['Scope: person Eve Engineer, month 2024-02']);
    });
});
