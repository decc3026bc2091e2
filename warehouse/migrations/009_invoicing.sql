-- Invoicing in the product: the runs that make draft invoices from approved time and the terms, issuing
-- them, credit notes and payments. The documents themselves are canonical rows (canonical.invoices,
-- invoice_lines, invoice_line_entries, credit_notes, payments), the same a file loads, so the marts follow;
-- what the canonical layout has no column for lives here: how a client is billed, the firm's invoice
-- details, each document's tax and fx, line descriptions and adjustment reasons, the numbers issued per year,
-- and the claims that keep anything from being billed twice.

create schema if not exists invoicing;

-- How each client is billed. A client without a row is billed with the defaults.
create table invoicing.client_settings (
    client_id           varchar primary key,
    line_grouping       varchar not null default 'project' check (line_grouping in ('project', 'phase', 'role')),
    rounding_minutes    integer not null default 0 check (rounding_minutes in (0, 6, 15)),
    tax_rate            decimal(9,4) not null default 0 check (tax_rate >= 0 and tax_rate < 1),
    payment_terms_days  integer not null default 30 check (payment_terms_days between 0 and 365),
    changed_at          timestamptz not null default now(),
    changed_by          varchar not null
);

-- The firm's details on its invoices and exports (the canonical settings hold name, currency and as-of).
create table invoicing.firm_settings (
    key     varchar primary key check (key in ('firm_address', 'firm_tax_id', 'date_format', 'invoice_prefix', 'xero_account_code', 'xero_tax_type', 'qbo_tax_code')),
    value   varchar not null
);
insert into invoicing.firm_settings values
    ('date_format', 'YYYY-MM-DD'),
    ('invoice_prefix', 'INV'),
    ('xero_account_code', '200'),
    ('xero_tax_type', 'Tax on Sales'),
    ('qbo_tax_code', 'TAX');

-- The last number issued per year: read and raised in the issuing transaction, so numbers are gapless.
create table invoicing.invoice_numbers (
    year        integer primary key,
    last_number integer not null check (last_number >= 0)
);

create sequence invoicing.document_seq start 1;

-- What a document made here carries beyond its canonical row.
create table invoicing.invoice_details (
    invoice_id      varchar primary key,
    period_start    date not null,
    period_end      date not null,
    tax_rate        decimal(9,4) not null,
    -- client currency → reporting currency, latest rate on or before fx_date (1 when they are the same)
    fx_rate         decimal(18,6),
    fx_date         date not null,
    created_at      timestamptz not null,
    created_by      varchar not null,
    issued_at       timestamptz,
    issued_by       varchar
);

create table invoicing.line_details (
    invoice_id      varchar not null,
    line_no         integer not null,
    description     varchar not null,
    reason          varchar,            -- adjustments: why
    primary key (invoice_id, line_no)
);

-- An entry is billed once: a draft claims its entries, and a second claim of one fails here, whatever
-- runs at the same time. Deleting a draft releases its claims. billed_seconds is the time billed after the
-- client's rounding; the entry's logged duration is never changed.
create table invoicing.billed_entries (
    entry_id        varchar primary key,
    invoice_id      varchar not null,
    line_no         integer not null,
    billed_seconds  integer not null check (billed_seconds >= 0)
);

-- Likewise for what is billed by period or once: a retainer month ('retainer:<project>:<YYYY-MM>'), a
-- fixed-fee instalment ('fixed_fee:<project>:<YYYY-MM>'), a milestone ('milestone:<milestone_id>').
create table invoicing.billed_items (
    item        varchar primary key,
    invoice_id  varchar not null,
    line_no     integer not null
);

-- A payment as received (tax included); canonical.payments holds its share of the invoice's net amount.
create table invoicing.payment_details (
    payment_id  varchar primary key,
    received    decimal(18,2) not null check (received > 0),
    recorded_at timestamptz not null,
    recorded_by varchar not null
);

create table invoicing.credit_note_details (
    credit_note_id  varchar primary key,
    note            varchar,
    recorded_at     timestamptz not null,
    recorded_by     varchar not null
);
