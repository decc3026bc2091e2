-- Who loaded each batch: the command line's user ("cli:<name>"), the server's caller ("local", or
-- "person:<id> (<role>)"). Batches recorded before this say nothing (null).
alter table ingest.batches add column created_by varchar;

-- A rejected batch's report counts every problem but lists (ingest.rejects) only the first ones of each
-- file and reason: how many there were of each.
create table ingest.reject_counts (
    batch_id    integer not null,
    file_name   varchar not null,
    reason      varchar not null,
    rejects     bigint not null
);
