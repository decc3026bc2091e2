/**
 * The drill panel's table (components/DrillPanel.svelte): the rows behind a figure as shown and as their
 * CSV holds them — empty columns dropped, the amount first, names beside ids.
 */
import type { Dimensions, Drill } from './api/types.ts';
import type { Column, ColumnKind, Row, TableData } from './table.ts';

const MONEY = new Set(['amount', 'std_value', 'cost_value', 'bill_rate', 'revenue']);
const HOURS = new Set(['hours', 'billable_hours']);
const DATES = new Set(['work_date', 'work_week', 'document_date', 'recognized_on', 'issue_date', 'due_date', 'paid_date']);
const HIDDEN = new Set(['metric']);

function kindOf(name: string, amountColumn: string, unit: 'money' | 'hours'): ColumnKind {
    if (name === amountColumn) return unit === 'hours' ? 'hours' : 'money';
    if (MONEY.has(name)) return 'money';
    if (HOURS.has(name)) return 'hours';
    if (name === 'month') return 'month';
    if (DATES.has(name)) return 'date';
    if (name === 'latency_days' || name === 'fx_rate' || name === 'amount_native') return 'number';
    return 'text';
}

/** The rows as shown; `unit` says whether the amount is money (funnel) or hours (utilization, flags). */
export function drillTable(d: Drill, dims: Pick<Dimensions, 'projects' | 'clients' | 'people'>, unit: 'money' | 'hours'): TableData {
    const projects = new Map(dims.projects.map((p) => [p.project_id, p.project_name]));
    const clients = new Map(dims.clients.map((c) => [c.client_id, c.client_name]));
    const people = new Map((dims.people ?? []).map((p) => [p.person_id, p.name]));
    // The amount first (what adds up to the figure), then hours, then the rest as the API orders them.
    const first = [d.amount_column, 'hours'].filter((c, i, a) => a.indexOf(c) === i && d.columns.includes(c));
    const ordered = [...first, ...d.columns.filter((c) => !first.includes(c))];
    const present = ordered.filter((c) => !HIDDEN.has(c) && d.rows.some((r) => r[c] !== null && r[c] !== undefined && r[c] !== ''));
    const columns: Column[] = [];
    for (const c of present) {
        const kind = kindOf(c, d.amount_column, unit);
        columns.push({ key: c, label: c.replaceAll('_', ' '), kind, digits: c === 'fx_rate' ? 6 : c === 'latency_days' || c === 'amount_native' ? 2 : undefined });
        if (c === 'project_id') columns.push({ key: 'project_name', label: 'project', kind: 'text' });
        if (c === 'client_id') columns.push({ key: 'client_name', label: 'client', kind: 'text' });
        if (c === 'person_id' && people.size > 0) columns.push({ key: 'person_name', label: 'person', kind: 'text' });
    }
    const rows: Row[] = d.rows.map((r) => ({
        ...r,
        project_name: typeof r.project_id === 'string' ? (projects.get(r.project_id) ?? null) : null,
        client_name: typeof r.client_id === 'string' ? (clients.get(r.client_id) ?? null) : null,
        person_name: typeof r.person_id === 'string' ? (people.get(r.person_id) ?? null) : null,
    }));
    return { columns, rows };
}
