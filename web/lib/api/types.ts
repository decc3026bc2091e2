/** The shapes the API answers with (server/routes/*.ts declare them with zod; these mirror them). */

export type Cell = string | number | boolean | null;

export interface MetricResult<R = Record<string, Cell>> {
    metric: string;
    grain: string;
    group_by: string[];
    currency: string;
    as_of: string;
    rows: R[];
}

/** The funnel's stages, leaks and a leak's parts, as its mart's .yml declares them (server/schemas/funnel.ts). */
export type { FunnelAnswer as Funnel, FunnelLeakDefinition, FunnelStageDefinition } from '../../../server/schemas/funnel.ts';

/** A group's funnel: its stages (rounded to the cent), cost and margin, and a figure per leak and part the definitions name. */
export interface BreakdownRow {
    key: string;
    label: string;
    potential_value: number;
    tracked_value: number;
    billable_value: number;
    recognized_revenue: number;
    billed_value: number;
    net_billed_value: number;
    collected_value: number;
    total_leaks: number;
    cost: number;
    realized_margin: number;
    client_hours: number;
    /** Leak or part key (definitions.leaks) → its amount. */
    [leak: string]: string | number;
}

export interface Breakdown {
    by: string;
    currency: string;
    as_of: string;
    rows: BreakdownRow[];
}

export interface Drill {
    metric: string;
    part: string;
    description: string;
    amount_column: string;
    currency: string;
    total_rows: number;
    total_amount: number;
    page: number;
    page_size: number;
    columns: string[];
    rows: Record<string, Cell>[];
}

export interface ClientDim {
    client_id: string;
    client_name: string;
    currency: string;
    projects: number;
    active_projects: number;
}

export interface ProjectDim {
    project_id: string;
    code: string | null;
    project_name: string;
    client_id: string;
    client_name: string;
    billing_model: string;
    is_client_work: boolean;
    project_type: string;
    manager_id: string | null;
    manager_name: string | null;
    start_date: string;
    end_date: string | null;
    status: 'active' | 'closed';
    /** A project's terms: absent where they are not the caller's to see (README "Access"). */
    budget_hours?: number | null;
    contract_value?: number | null;
    currency: string;
}

export interface PersonDim {
    person_id: string;
    name: string;
    role: string;
    department: string;
    is_active: boolean;
    weekly_hours: number | null;
}

export interface Dimensions {
    currency: string;
    as_of: string;
    first_month: string | null;
    last_month: string | null;
    clients: ClientDim[];
    projects: ProjectDim[];
    roles: { role: string; people: number }[];
    departments: { department: string; people: number }[];
    project_types: string[];
    people: PersonDim[] | null;
}

export type { Definitions } from '../../../server/schemas/definitions.ts';

export interface BurnRow {
    project_id: string;
    project_name: string;
    client_id: string;
    client_name: string;
    project_type: string;
    billing_model: string;
    status: string;
    start_date: string;
    end_date: string | null;
    budget_basis: string;
    budget_hours: number | null;
    hours_used: number;
    billable_hours_used: number;
    burn: number | null;
    share_elapsed: number | null;
    share_complete: number | null;
    eac_method: string;
    eac_hours: number | null;
    alert_level: number | null;
}

export interface BurnMonth {
    month: string;
    month_end: string;
    hours: number;
    hours_used: number;
    billable_hours_used: number;
    budget_basis: string;
    budget_hours: number | null;
    share_elapsed: number | null;
    share_complete: number | null;
    burn: number | null;
    eac_method: string;
    eac_hours: number | null;
    alert_level: number | null;
}

export interface Batch {
    batch_id: number;
    entity: string;
    file_name: string;
    content_hash: string;
    status: 'loaded' | 'rejected';
    rows_in_file: number;
    rows_inserted: number;
    rows_replaced: number;
    rows_unchanged: number;
    rows_rejected: number;
    started_at: string;
    finished_at: string;
}

export interface Reject {
    file: string;
    line: number | null;
    column: string | null;
    value: string | null;
    reason: string;
}

export interface IngestReport {
    ok: boolean;
    status: 'loaded' | 'unchanged' | 'rejected';
    files: { file: string; entity: string; status: string; rows: number; inserted: number; replaced: number; unchanged: number; rejected: number; batch_id: number | null }[];
    rejects: Reject[];
    /** Every problem found; rejects lists the first rejects_kept_per_reason of each file × reason. */
    rejects_total: number;
    reject_counts: { file: string; reason: string; count: number }[];
    rejects_kept_per_reason: number;
    build: { ok: boolean; ms: number; models: number; error: string | null } | null;
}
