/**
 * The canonical entities of PRODUCT.md: one file per entity, snake_case columns.
 * This table drives the validation of every file that ingest loads; the warehouse tables
 * (warehouse/migrations/001_canonical.sql) hold the same columns, typed, plus batch_id.
 * A test checks that the two agree.
 */

export type ColumnType =
    | 'text'
    | 'date'
    | 'timestamp' // ISO 8601 with offset, stored as timestamptz (UTC)
    | 'money' // decimal(18,2)
    | 'decimal' // decimal(18,4): hours, rates to reporting currency
    | 'integer'
    | 'boolean'
    | 'seconds'; // durations: whole seconds; a file may give `hours` instead (the entity's alternatives)

export interface Column {
    name: string;
    type: ColumnType;
    /** The row is rejected when the cell is empty. */
    required?: boolean;
    /** Allowed values (after trimming; compared case-sensitively, canonical values are lowercase). */
    values?: readonly string[];
    /** Inclusive lower bound, or exclusive when minExclusive. */
    min?: number;
    minExclusive?: boolean;
    max?: number;
    /** The reason a value above max is rejected with, when "must be ≤ max" would not say it. */
    maxReason?: string;
    /** Foreign key: the value must exist in that entity's key (in the same batch or the warehouse). */
    references?: { entity: EntityName; column: string };
    /** Empty cells become '' rather than null, because the column is part of the key. */
    emptyAsBlank?: boolean;
}

export interface Entity {
    name: EntityName;
    /** Columns that identify a row; a later file with the same key replaces the row. */
    key: readonly string[];
    columns: readonly Column[];
    /** Columns a file may give instead of one of `columns`, in another form (time entries: hours for seconds). */
    alternatives?: readonly AlternativeColumn[];
    /** Entities that must load before this one when a folder is ingested. */
    dependsOn: readonly EntityName[];
}

/** Another form of a column: validated as itself, by its own rules, then turned into the stored column. */
export interface AlternativeColumn {
    column: Column;
    /** The entity column it stands for. */
    replaces: string;
    /** SQL turning the given (validated) value into the stored one. */
    stored: (value: string) => string;
}

export const BILLING_MODELS = ['time_and_materials', 'fixed_fee', 'retainer', 'milestone', 'non_billable'] as const;
export const PROJECT_STATUSES = ['active', 'closed'] as const;
export const ENTRY_STATUSES = ['draft', 'submitted', 'approved', 'rejected'] as const;
export const RATE_SCOPES = ['firm', 'client', 'project', 'role', 'person', 'project_role'] as const;
export const INVOICE_STATUSES = ['draft', 'issued', 'paid', 'void'] as const;
export const LINE_KINDS = ['time', 'fixed_fee', 'milestone', 'retainer_fee', 'overage', 'adjustment'] as const;
/** Firm settings: reporting currency, display name, and the date accruals run through (default: today). */
export const SETTING_KEYS = ['reporting_currency', 'firm_name', 'as_of'] as const;
export const CREDIT_REASONS = ['dispute', 'discount', 'error'] as const;

/** Calendar dates outside this range are rejected as implausible (e.g. a log dated in the year 16). */
export const DATE_RANGE = { from: '1970-01-01', to: '2099-12-31' } as const;
/** One entry cannot exceed a day. */
export const MAX_ENTRY_SECONDS = 24 * 3600;

/** A time entry's duration given as hours: the same bounds as duration_seconds, stored as whole seconds. */
const ENTRY_HOURS: AlternativeColumn = {
    column: { name: 'hours', type: 'decimal', required: true, min: 0, max: MAX_ENTRY_SECONDS / 3600, maxReason: `more than 24 h in one entry (max ${MAX_ENTRY_SECONDS / 3600} h)` },
    replaces: 'duration_seconds',
    stored: (value) => `round(${value} * 3600)::integer`,
};

export type EntityName =
    | 'settings'
    | 'people'
    | 'person_capacity'
    | 'cost_rates'
    | 'clients'
    | 'projects'
    | 'plan_lines'
    | 'rate_cards'
    | 'retainer_terms'
    | 'milestones'
    | 'time_entries'
    | 'invoices'
    | 'invoice_lines'
    | 'invoice_line_entries'
    | 'credit_notes'
    | 'payments'
    | 'fx_rates';

const currency: Column = { name: 'currency', type: 'text', required: true };

/** A required column holding a row's key of another entity, named as that key (a time entry's project_id). */
const keyOf = (entity: EntityName, column: string): Column => ({ name: column, type: 'text', required: true, references: { entity, column } });

/** An optional column holding a row's key of another entity, under its own name (a project's manager_id is a person_id). */
const optionalKeyOf = (name: string, entity: EntityName, column: string): Column => ({ name, type: 'text', references: { entity, column } });

/** A person's or project's value that holds from its effective_from until the next row's: one row per owner × date. */
const effectiveDated = (name: EntityName, owner: EntityName, ownerKey: string, columns: readonly Column[]): Entity => ({
    name,
    key: [ownerKey, 'effective_from'],
    dependsOn: [owner],
    columns: [keyOf(owner, ownerKey), { name: 'effective_from', type: 'date', required: true }, ...columns],
});

export const ENTITIES: readonly Entity[] = [
    {
        name: 'settings',
        key: ['key'],
        dependsOn: [],
        columns: [
            { name: 'key', type: 'text', required: true, values: SETTING_KEYS },
            { name: 'value', type: 'text', required: true },
        ],
    },
    {
        name: 'people',
        key: ['person_id'],
        dependsOn: [],
        columns: [
            { name: 'person_id', type: 'text', required: true },
            { name: 'name', type: 'text', required: true },
            { name: 'email', type: 'text' },
            { name: 'role', type: 'text', required: true },
            { name: 'department', type: 'text' },
            { name: 'start_date', type: 'date' },
            { name: 'end_date', type: 'date' },
        ],
    },
    effectiveDated('person_capacity', 'people', 'person_id', [{ name: 'weekly_hours', type: 'decimal', required: true, min: 0, max: 168 }]),
    effectiveDated('cost_rates', 'people', 'person_id', [{ name: 'hourly_cost', type: 'money', required: true, min: 0 }, currency]),
    {
        name: 'clients',
        key: ['client_id'],
        dependsOn: [],
        columns: [
            { name: 'client_id', type: 'text', required: true },
            { name: 'name', type: 'text', required: true },
            currency,
        ],
    },
    {
        name: 'projects',
        key: ['project_id'],
        dependsOn: ['clients', 'people'],
        columns: [
            { name: 'project_id', type: 'text', required: true },
            // Empty for internal work (billing_model non_billable, rules.ts); when given, a client of the firm.
            optionalKeyOf('client_id', 'clients', 'client_id'),
            { name: 'code', type: 'text' },
            { name: 'name', type: 'text', required: true },
            { name: 'billing_model', type: 'text', required: true, values: BILLING_MODELS },
            { name: 'project_type', type: 'text', required: true },
            optionalKeyOf('manager_id', 'people', 'person_id'),
            { name: 'start_date', type: 'date', required: true },
            { name: 'end_date', type: 'date' },
            { name: 'status', type: 'text', required: true, values: PROJECT_STATUSES },
            { name: 'budget_hours', type: 'decimal', min: 0 },
            { name: 'contract_value', type: 'money', min: 0 },
        ],
    },
    {
        name: 'plan_lines',
        key: ['project_id', 'phase', 'role', 'baseline'],
        dependsOn: ['projects'],
        columns: [
            keyOf('projects', 'project_id'),
            { name: 'phase', type: 'text', required: true },
            { name: 'role', type: 'text', required: true },
            { name: 'estimated_hours', type: 'decimal', required: true, min: 0 },
            { name: 'baseline', type: 'boolean', required: true },
        ],
    },
    {
        name: 'rate_cards',
        key: ['scope', 'scope_id', 'role', 'effective_from'],
        dependsOn: [],
        columns: [
            { name: 'scope', type: 'text', required: true, values: RATE_SCOPES },
            { name: 'scope_id', type: 'text', emptyAsBlank: true },
            { name: 'role', type: 'text', emptyAsBlank: true },
            { name: 'effective_from', type: 'date', required: true },
            { name: 'effective_to', type: 'date' },
            { name: 'hourly_rate', type: 'money', required: true, min: 0 },
            currency,
        ],
    },
    effectiveDated('retainer_terms', 'projects', 'project_id', [
        { name: 'monthly_fee', type: 'money', required: true, min: 0 },
        { name: 'included_hours', type: 'decimal', required: true, min: 0 },
        { name: 'overage_rate', type: 'money', required: true, min: 0 },
        { name: 'rollover_months', type: 'integer', required: true, min: 0, max: 120 },
    ]),
    {
        name: 'milestones',
        key: ['milestone_id'],
        dependsOn: ['projects'],
        columns: [
            { name: 'milestone_id', type: 'text', required: true },
            keyOf('projects', 'project_id'),
            { name: 'name', type: 'text', required: true },
            { name: 'amount', type: 'money', required: true, min: 0 },
            { name: 'planned_date', type: 'date' },
            { name: 'signed_off_date', type: 'date' },
        ],
    },
    {
        name: 'time_entries',
        key: ['entry_id'],
        dependsOn: ['people', 'projects'],
        columns: [
            { name: 'entry_id', type: 'text', required: true },
            keyOf('people', 'person_id'),
            keyOf('projects', 'project_id'),
            { name: 'phase', type: 'text' },
            { name: 'task', type: 'text' },
            { name: 'activity', type: 'text', required: true },
            { name: 'work_date', type: 'date', required: true },
            // Zero duration is possible (a timer started and stopped): it loads and is flagged for review.
            {
                name: 'duration_seconds',
                type: 'seconds',
                required: true,
                min: 0,
                max: MAX_ENTRY_SECONDS,
                maxReason: `more than 24 h in one entry (max ${MAX_ENTRY_SECONDS} s)`,
            },
            { name: 'billable', type: 'boolean', required: true },
            { name: 'notes', type: 'text' },
            { name: 'source', type: 'text' },
            { name: 'logged_at', type: 'timestamp', required: true },
            { name: 'status', type: 'text', required: true, values: ENTRY_STATUSES },
            optionalKeyOf('approved_by', 'people', 'person_id'),
            { name: 'approved_at', type: 'timestamp' },
            { name: 'started_at', type: 'timestamp' },
            { name: 'ended_at', type: 'timestamp' },
        ],
        alternatives: [ENTRY_HOURS],
    },
    {
        name: 'invoices',
        key: ['invoice_id'],
        dependsOn: ['clients'],
        columns: [
            { name: 'invoice_id', type: 'text', required: true },
            { name: 'number', type: 'text', required: true },
            keyOf('clients', 'client_id'),
            { name: 'issue_date', type: 'date', required: true },
            { name: 'due_date', type: 'date' },
            currency,
            { name: 'status', type: 'text', required: true, values: INVOICE_STATUSES },
        ],
    },
    {
        name: 'invoice_lines',
        key: ['invoice_id', 'line_no'],
        dependsOn: ['invoices', 'projects', 'milestones'],
        columns: [
            keyOf('invoices', 'invoice_id'),
            { name: 'line_no', type: 'integer', required: true, min: 1 },
            keyOf('projects', 'project_id'),
            { name: 'kind', type: 'text', required: true, values: LINE_KINDS },
            { name: 'hours', type: 'decimal', min: 0 },
            { name: 'rate', type: 'money', min: 0 },
            // Adjustment lines may be negative (a discount on the face of the invoice).
            { name: 'amount', type: 'money', required: true },
            { name: 'period_start', type: 'date' },
            { name: 'period_end', type: 'date' },
            optionalKeyOf('milestone_id', 'milestones', 'milestone_id'),
        ],
    },
    {
        name: 'invoice_line_entries',
        key: ['invoice_id', 'line_no', 'entry_id'],
        dependsOn: ['invoice_lines', 'time_entries'],
        columns: [
            keyOf('invoices', 'invoice_id'),
            { name: 'line_no', type: 'integer', required: true, min: 1 },
            keyOf('time_entries', 'entry_id'),
        ],
    },
    {
        name: 'credit_notes',
        key: ['credit_note_id'],
        dependsOn: ['invoices'],
        columns: [
            { name: 'credit_note_id', type: 'text', required: true },
            keyOf('invoices', 'invoice_id'),
            { name: 'issue_date', type: 'date', required: true },
            { name: 'amount', type: 'money', required: true, min: 0 },
            { name: 'reason', type: 'text', required: true, values: CREDIT_REASONS },
        ],
    },
    {
        name: 'payments',
        key: ['payment_id'],
        dependsOn: ['invoices'],
        columns: [
            { name: 'payment_id', type: 'text', required: true },
            keyOf('invoices', 'invoice_id'),
            { name: 'paid_date', type: 'date', required: true },
            { name: 'amount', type: 'money', required: true, min: 0 },
        ],
    },
    {
        name: 'fx_rates',
        key: ['currency', 'date'],
        dependsOn: [],
        columns: [
            currency,
            { name: 'date', type: 'date', required: true },
            { name: 'rate_to_reporting', type: 'decimal', required: true, min: 0, minExclusive: true },
        ],
    },
];

export const ENTITY_BY_NAME: ReadonlyMap<EntityName, Entity> = new Map(ENTITIES.map((e) => [e.name, e]));

export function isEntityName(name: string): name is EntityName {
    return ENTITY_BY_NAME.has(name as EntityName);
}

export function entity(name: EntityName): Entity {
    const found = ENTITY_BY_NAME.get(name);
    if (!found) throw new Error(`unknown entity ${name}`);
    return found;
}

/** Entities in an order where every entity comes after those it depends on. */
export function loadOrder(names: readonly EntityName[]): EntityName[] {
    const wanted = new Set(names);
    const done = new Set<EntityName>();
    const out: EntityName[] = [];
    const visit = (n: EntityName): void => {
        if (done.has(n)) return;
        done.add(n);
        for (const d of entity(n).dependsOn) visit(d);
        if (wanted.has(n)) out.push(n);
    };
    for (const n of names) visit(n);
    return out;
}
