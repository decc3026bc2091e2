-- What the marts were built from. Every committed write to a table the models read bumps that table's data
-- generation and records what it touched (meta.dirty), in the write's own transaction; a refresh records the
-- generations it read (meta.build_generations) and removes the dirty records it consumed, in its own. A
-- crash leaves either side's state whole: marts behind their data are found and refreshed on the next start.

create schema if not exists meta;

create table meta.data_generations (
    table_name  varchar not null,   -- canonical table, or audit.time_entry_events
    generation  bigint not null,
    written_at  timestamptz not null
);

-- What a write touched: a project (null: every project), the months from_month through to_month (from_month
-- null: every month; to_month null: every month from from_month on). A write that changes the past (a rate
-- card, an fx rate) touches every month from its effective date.
create table meta.dirty (
    table_name  varchar not null,
    generation  bigint not null,
    project_id  varchar,
    from_month  date,
    to_month    date
);

create table meta.build_generations (
    table_name  varchar not null,
    generation  bigint not null
);
