-- The canonical tables of PRODUCT.md. Every row carries the batch that last wrote it.
-- Durations are whole seconds; money is decimal(18,2); hours and exchange rates decimal(18,4).
-- Keys are primary keys; enums and ranges are checks, so the warehouse refuses what ingest would reject.

create schema if not exists canonical;
create schema if not exists ingest;

create table ingest.batches (
    batch_id        integer primary key,
    entity          varchar not null,
    file_name       varchar not null,
    content_hash    varchar not null,
    status          varchar not null check (status in ('loaded', 'rejected')),
    rows_in_file    bigint not null,
    rows_inserted   bigint not null,
    rows_replaced   bigint not null,
    rows_unchanged  bigint not null,
    rows_rejected   bigint not null,
    started_at      timestamptz not null,
    finished_at     timestamptz not null
);
create sequence ingest.batch_seq start 1;

-- A row replaced by a newer version: which key, which batch wrote the old one, which batch replaced it.
create table ingest.replacements (
    batch_id            integer not null,
    entity              varchar not null,
    row_key             varchar not null,
    previous_batch_id   integer not null
);

-- Every rejected row of a rejected batch, as the ingest report gave it.
create table ingest.rejects (
    batch_id    integer not null,
    file_name   varchar not null,
    line        bigint,
    column_name varchar,
    value       varchar,
    reason      varchar not null
);

create table canonical.settings (
    key         varchar primary key check (key in ('reporting_currency', 'firm_name', 'as_of')),
    value       varchar not null,
    batch_id    integer not null
);

create table canonical.people (
    person_id   varchar primary key,
    name        varchar not null,
    email       varchar,
    role        varchar not null,
    department  varchar,
    start_date  date,
    end_date    date,
    batch_id    integer not null
);

create table canonical.person_capacity (
    person_id       varchar not null,
    effective_from  date not null,
    weekly_hours    decimal(18,4) not null check (weekly_hours between 0 and 168),
    batch_id        integer not null,
    primary key (person_id, effective_from)
);

create table canonical.cost_rates (
    person_id       varchar not null,
    effective_from  date not null,
    hourly_cost     decimal(18,2) not null check (hourly_cost >= 0),
    currency        varchar not null,
    batch_id        integer not null,
    primary key (person_id, effective_from)
);

create table canonical.clients (
    client_id   varchar primary key,
    name        varchar not null,
    currency    varchar not null,
    batch_id    integer not null
);

create table canonical.projects (
    project_id      varchar primary key,
    client_id       varchar not null,
    code            varchar,
    name            varchar not null,
    billing_model   varchar not null check (billing_model in ('time_and_materials', 'fixed_fee', 'retainer', 'milestone', 'non_billable')),
    project_type    varchar not null,
    manager_id      varchar,
    start_date      date not null,
    end_date        date,
    status          varchar not null check (status in ('active', 'closed')),
    budget_hours    decimal(18,4) check (budget_hours >= 0),
    contract_value  decimal(18,2) check (contract_value >= 0),
    batch_id        integer not null
);

create table canonical.plan_lines (
    project_id      varchar not null,
    phase           varchar not null,
    role            varchar not null,
    estimated_hours decimal(18,4) not null check (estimated_hours >= 0),
    baseline        boolean not null,
    batch_id        integer not null,
    primary key (project_id, phase, role, baseline)
);

create table canonical.rate_cards (
    scope           varchar not null check (scope in ('firm', 'client', 'project', 'role', 'person', 'project_role')),
    scope_id        varchar not null,  -- '' for firm and role
    role            varchar not null,  -- '' unless scope is role or project_role
    effective_from  date not null,
    effective_to    date,
    hourly_rate     decimal(18,2) not null check (hourly_rate >= 0),
    currency        varchar not null,
    batch_id        integer not null,
    primary key (scope, scope_id, role, effective_from)
);

create table canonical.retainer_terms (
    project_id      varchar not null,
    effective_from  date not null,
    monthly_fee     decimal(18,2) not null check (monthly_fee >= 0),
    included_hours  decimal(18,4) not null check (included_hours >= 0),
    overage_rate    decimal(18,2) not null check (overage_rate >= 0),
    rollover_months integer not null check (rollover_months >= 0),
    batch_id        integer not null,
    primary key (project_id, effective_from)
);

create table canonical.milestones (
    milestone_id    varchar primary key,
    project_id      varchar not null,
    name            varchar not null,
    amount          decimal(18,2) not null check (amount >= 0),
    planned_date    date,
    signed_off_date date,
    batch_id        integer not null
);

-- The two tables that grow to tens of millions of rows keep their key in a unique index rather than a
-- primary key, so that a bulk load can build the index once after inserting instead of row by row.
create table canonical.time_entries (
    entry_id            varchar not null,
    person_id           varchar not null,
    project_id          varchar not null,
    phase               varchar,
    task                varchar,
    activity            varchar not null,
    work_date           date not null,
    duration_seconds    integer not null check (duration_seconds between 0 and 86400),
    billable            boolean not null,
    notes               varchar,
    source              varchar,
    logged_at           timestamptz not null,
    status              varchar not null check (status in ('draft', 'submitted', 'approved', 'rejected')),
    approved_by         varchar,
    approved_at         timestamptz,
    started_at          timestamptz,
    ended_at            timestamptz,
    batch_id            integer not null
);
create unique index time_entries_key on canonical.time_entries (entry_id);

create table canonical.invoices (
    invoice_id  varchar primary key,
    number      varchar not null,
    client_id   varchar not null,
    issue_date  date not null,
    due_date    date,
    currency    varchar not null,
    status      varchar not null check (status in ('draft', 'issued', 'paid', 'void')),
    batch_id    integer not null
);

create table canonical.invoice_lines (
    invoice_id      varchar not null,
    line_no         integer not null check (line_no >= 1),
    project_id      varchar not null,
    kind            varchar not null check (kind in ('time', 'fixed_fee', 'milestone', 'retainer_fee', 'overage', 'adjustment')),
    hours           decimal(18,4) check (hours >= 0),
    rate            decimal(18,2) check (rate >= 0),
    amount          decimal(18,2) not null,
    period_start    date,
    period_end      date,
    milestone_id    varchar,
    batch_id        integer not null,
    primary key (invoice_id, line_no)
);

create table canonical.invoice_line_entries (
    invoice_id  varchar not null,
    line_no     integer not null,
    entry_id    varchar not null,
    batch_id    integer not null
);
create unique index invoice_line_entries_key on canonical.invoice_line_entries (invoice_id, line_no, entry_id);

create table canonical.credit_notes (
    credit_note_id  varchar primary key,
    invoice_id      varchar not null,
    issue_date      date not null,
    amount          decimal(18,2) not null check (amount >= 0),
    reason          varchar not null check (reason in ('dispute', 'discount', 'error')),
    batch_id        integer not null
);

create table canonical.payments (
    payment_id  varchar primary key,
    invoice_id  varchar not null,
    paid_date   date not null,
    amount      decimal(18,2) not null check (amount >= 0),
    batch_id    integer not null
);

create table canonical.fx_rates (
    currency            varchar not null,
    date                date not null,
    rate_to_reporting   decimal(18,6) not null check (rate_to_reporting > 0),
    batch_id            integer not null,
    primary key (currency, date)
);
