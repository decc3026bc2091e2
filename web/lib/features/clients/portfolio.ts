/**
 * The clients-and-projects table: each client project's period figures (margin and realization routes,
 * grouped by project) beside its budget burn as of the as-of date, and the same rolled up by client from
 * the routes grouped by client (ratios of sums, never averages of project ratios).
 */
import { getJson } from '../../api/client.ts';
import type { BurnRow, Dimensions, MetricResult } from '../../api/types.ts';
import { apiParams, type Filters, type Period } from '../../filters.ts';
import type { Column, Row, TableData } from '../../table.ts';

export interface PortfolioData {
    marginByProject: MetricResult;
    realizationByProject: MetricResult;
    marginByClient: MetricResult;
    realizationByClient: MetricResult;
    burn: BurnRow[];
}

export async function loadPortfolio(filters: Filters, period: Period): Promise<PortfolioData> {
    const [marginByProject, realizationByProject, marginByClient, realizationByClient, burn] = await Promise.all([
        getJson<MetricResult>('margin', apiParams('finance', filters, period, { group_by: 'project' })),
        getJson<MetricResult>('realization', apiParams('finance', filters, period, { group_by: 'project' })),
        getJson<MetricResult>('margin', apiParams('finance', filters, period, { group_by: 'client' })),
        getJson<MetricResult>('realization', apiParams('finance', filters, period, { group_by: 'client' })),
        getJson<{ rows: BurnRow[] }>('budget-burn', apiParams('burn', filters, period)),
    ]);
    return { marginByProject, realizationByProject, marginByClient, realizationByClient, burn: burn.rows };
}

const index = (rows: Record<string, unknown>[], key: string) => new Map(rows.map((r) => [String(r[key]), r]));
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/** A project's or a client's figures for the period, from its margin and realization rows. */
function periodFigures(m: Record<string, unknown>, r: Record<string, unknown>) {
    return {
        revenue: num(m.revenue),
        cost: num(m.cost),
        margin: num(m.margin),
        margin_pct: num(m.margin_pct),
        billing_realization: num(r.billing_realization),
        overall_realization: num(r.overall_realization),
    };
}

/** The period's figures after revenue, as both tables show them. */
const FIGURE_COLUMNS: Column[] = [
    { key: 'cost', label: 'Cost', kind: 'money' },
    { key: 'margin', label: 'Recognized margin', kind: 'money' },
    { key: 'margin_pct', label: 'Recognized margin %', kind: 'percent' },
    { key: 'billing_realization', label: 'Billing realization', kind: 'percent' },
    { key: 'overall_realization', label: 'Overall realization', kind: 'percent' },
];

/** One row per client project in scope (the global filters), with its figures for the period. */
export function projectRows(data: PortfolioData, dims: Dimensions, filters: Filters): Row[] {
    const margin = index(data.marginByProject.rows, 'project');
    const real = index(data.realizationByProject.rows, 'project');
    const burn = index(data.burn as unknown as Record<string, unknown>[], 'project_id');
    return dims.projects
        .filter((p) => p.is_client_work)
        .filter((p) => (!filters.client_id || p.client_id === filters.client_id) && (!filters.project_id || p.project_id === filters.project_id) && (!filters.project_type || p.project_type === filters.project_type))
        .map((p) => {
            const b = burn.get(p.project_id) ?? {};
            return {
                key: p.project_id,
                project: p.project_name,
                client: p.client_name,
                billing_model: p.billing_model,
                project_type: p.project_type,
                status: p.status,
                ...periodFigures(margin.get(p.project_id) ?? {}, real.get(p.project_id) ?? {}),
                burn: num(b.burn),
                eac_hours: num(b.eac_hours),
                alert: num(b.alert_level),
            };
        });
}

/**
 * One row per client in scope that has client work (the firm's own internal "client" has no revenue to
 * show), with its figures for the period and the highest alert of its projects.
 */
export function clientRows(data: PortfolioData, dims: Dimensions, filters: Filters): Row[] {
    const margin = index(data.marginByClient.rows, 'client');
    const real = index(data.realizationByClient.rows, 'client');
    const alerts = new Map<string, number>();
    for (const b of data.burn) if (b.alert_level !== null && b.client_id !== null) alerts.set(b.client_id, Math.max(alerts.get(b.client_id) ?? 0, b.alert_level));
    const withClientWork = new Set(dims.projects.filter((p) => p.is_client_work).map((p) => p.client_id));
    return dims.clients
        .filter((c) => withClientWork.has(c.client_id) && (!filters.client_id || c.client_id === filters.client_id))
        .map((c) => ({
            key: c.client_id,
            client: c.client_name,
            projects: c.projects,
            active_projects: c.active_projects,
            ...periodFigures(margin.get(c.client_id) ?? {}, real.get(c.client_id) ?? {}),
            alert: alerts.get(c.client_id) ?? null,
        }));
}

export interface LocalFilter {
    text: string;
    billing_model: string;
    status: string;
    alertsOnly: boolean;
    /** Also list projects without activity in the period (hidden unless asked for). */
    showInactive: boolean;
}

const PERIOD_KEYS = ['revenue', 'cost', 'margin', 'margin_pct', 'billing_realization', 'overall_realization'] as const;

/** A project with no figure for the period (no revenue, cost or standard value in it): a row of dashes. */
export function inactiveInPeriod(row: Row): boolean {
    return PERIOD_KEYS.every((k) => row[k] === null || row[k] === undefined);
}

/**
 * The table's own filters: a search over names, billing model, status, only projects with an alert; projects
 * without activity in the period only when asked for.
 */
export function applyLocalFilter(rows: Row[], f: LocalFilter): Row[] {
    const q = f.text.trim().toLowerCase();
    return rows.filter(
        (r) =>
            (f.showInactive || !inactiveInPeriod(r)) &&
            (!q || String(r.project ?? '').toLowerCase().includes(q) || String(r.client ?? '').toLowerCase().includes(q)) &&
            (!f.billing_model || r.billing_model === f.billing_model) &&
            (!f.status || r.status === f.status) &&
            (!f.alertsOnly || (typeof r.alert === 'number' && r.alert > 0)),
    );
}

export function projectTable(rows: Row[], href: (id: string) => string): TableData {
    return {
        columns: [
            { key: 'project', label: 'Project', kind: 'text', href: (r) => href(String(r.key)) },
            { key: 'client', label: 'Client', kind: 'text' },
            { key: 'billing_model', label: 'Billing', kind: 'label' },
            { key: 'project_type', label: 'Type', kind: 'label' },
            { key: 'status', label: 'Status', kind: 'label' },
            { key: 'revenue', label: 'Revenue', kind: 'money', help: 'Revenue recognized in the period' },
            ...FIGURE_COLUMNS,
            { key: 'burn', label: 'Budget burn', kind: 'percent', help: 'Hours used ÷ budget hours, as of the as-of date' },
            { key: 'eac_hours', label: 'EAC', kind: 'hours', digits: 0, help: 'Estimate at completion, hours' },
            { key: 'alert', label: 'Alert (%)', kind: 'number', help: 'Burn alert level reached: 75, 90 or 100 %' },
        ],
        rows,
    };
}

export function clientTable(rows: Row[]): TableData {
    return {
        columns: [
            { key: 'client', label: 'Client', kind: 'text' },
            { key: 'projects', label: 'Projects', kind: 'number' },
            { key: 'active_projects', label: 'Active', kind: 'number' },
            { key: 'revenue', label: 'Revenue', kind: 'money' },
            ...FIGURE_COLUMNS,
            { key: 'alert', label: 'Highest alert (%)', kind: 'number' },
        ],
        rows,
    };
}
