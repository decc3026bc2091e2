/**
 * The drill panel's table (components/DrillPanel.svelte): the rows behind a figure as shown and as their
 * CSV holds them — empty columns dropped, the amount first, names beside ids.
 */
import type { Dimensions, Drill } from './api/types.ts';
import { csvField } from './csv.ts';
import { csvName } from './download.ts';
import { humanize } from './format.ts';
import type { Column, ColumnKind, Row, TableData } from './table.ts';

/** Column names as people say them; the rest are their words (project_type → Project type). */
const LABELS: Record<string, string> = {
    amount: 'Amount',
    std_value: 'Standard value',
    cost_value: 'Cost',
    bill_rate: 'Bill rate',
    client_id: 'Client ID',
    project_id: 'Project ID',
    person_id: 'Person ID',
    entry_id: 'Entry ID',
    invoice_id: 'Invoice',
    line_no: 'Invoice line',
    document_id: 'Document',
    milestone_id: 'Milestone',
    row_type: 'Kind of row',
    accrued_on: 'Counts from',
    work_week: 'Week',
    fx_rate: 'FX rate',
    amount_native: 'Amount (document currency)',
    latency_days: 'Latency (days)',
};
export const drillLabel = (name: string): string => LABELS[name] ?? humanize(name);

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

/** A column of a drill-down's rows (or of its groups' subtotals) as shown: its plain name, kind and decimals. */
export function drillColumn(name: string, amountColumn: string, unit: 'money' | 'hours'): Column {
    return { key: name, label: drillLabel(name), kind: kindOf(name, amountColumn, unit), digits: name === 'fx_rate' ? 6 : name === 'latency_days' || name === 'amount_native' ? 2 : undefined };
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
        columns.push(drillColumn(c, d.amount_column, unit));
        if (c === 'project_id') columns.push({ key: 'project_name', label: 'Project', kind: 'text' });
        if (c === 'client_id') columns.push({ key: 'client_name', label: 'Client', kind: 'text' });
        if (c === 'person_id' && people.size > 0) columns.push({ key: 'person_name', label: 'Person', kind: 'text' });
    }
    const rows: Row[] = d.rows.map((r) => ({
        ...r,
        project_name: typeof r.project_id === 'string' ? (projects.get(r.project_id) ?? null) : null,
        client_name: typeof r.client_id === 'string' ? (clients.get(r.client_id) ?? null) : null,
        person_name: typeof r.person_id === 'string' ? (people.get(r.person_id) ?? null) : null,
    }));
    return { columns, rows };
}

/**
 * What a drill-down CSV is, in its name and first lines: the figure, the scope (the filters, by name, and the
 * group it was narrowed to), the period, the as-of date and, for a grouped view, the grouping. Each line is one
 * field, escaped as every cell is; the table follows a blank line.
 */
export function drillCsv(
    title: string,
    params: Record<string, string>,
    dims: Pick<Dimensions, 'projects' | 'clients' | 'as_of'> & Partial<Pick<Dimensions, 'people'>>,
    csv: string,
    suffix = '',
    grouping = '',
): [name: string, text: string] {
    const client = params.client_id ? (dims.clients.find((c) => c.client_id === params.client_id)?.client_name ?? params.client_id) : null;
    const project = params.project_id ? (dims.projects.find((p) => p.project_id === params.project_id)?.project_name ?? params.project_id) : null;
    const person = params.person_id ? ((dims.people ?? []).find((p) => p.person_id === params.person_id)?.name ?? params.person_id) : null;
    const month = params.month ? params.month.slice(0, 7) : null;
    const scope = [
        client && `client ${client}`,
        project && `project ${project}`,
        person && `person ${person}`,
        month && `month ${month}`,
        params.role && `role ${humanize(params.role)}`,
        params.project_type && `project type ${humanize(params.project_type)}`,
    ].filter(Boolean);
    const asOf = params.as_of ?? dims.as_of;
    const period = params.from && params.to ? `${params.from} to ${params.to}` : 'all periods';
    const lines = [`Rows behind: ${title}`, `Scope: ${scope.length ? scope.join(', ') : 'the whole firm'}`, `Period: ${period}`, `As of: ${asOf}`];
    if (grouping) lines.push(`Grouped by: ${grouping}`);
    const what = `${title} ${grouping ? `by ${grouping}` : 'rows'}${suffix ? ` ${suffix}` : ''}`;
    const name = csvName(what, `${params.from && params.to ? `${params.from} to ${params.to} ` : ''}as of ${asOf}${[client, project, person, month].map((x) => (x ? ` ${x}` : '')).join('')}`);
    return [name, `${lines.map((l) => csvField(l)).join('\r\n')}\r\n\r\n${csv}`];
}
