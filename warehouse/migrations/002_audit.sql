-- The audit log of time capture and approval. The capture/approval API appends one row for every
-- attempt to change an entry — applied or refused — and never updates or deletes a row. Approved time is
-- frozen, so an edit or delete of an approved entry must come back 'refused'; the review flag
-- edit_after_approval (marts.fct_review_flags) lists such attempts.

create schema if not exists audit;

create sequence audit.time_entry_event_seq start 1;

create table audit.time_entry_events (
    event_id        bigint primary key default nextval('audit.time_entry_event_seq'),
    entry_id        varchar not null,   -- the entry acted on (canonical.time_entries.entry_id)
    person_id       varchar not null,   -- whose entry it is
    action          varchar not null check (action in ('create', 'edit', 'delete', 'submit', 'approve', 'reject')),
    attempted_at    timestamptz not null,
    actor_id        varchar not null,   -- who attempted it (the person, their manager, an admin)
    outcome         varchar not null check (outcome in ('applied', 'refused')),
    detail          varchar              -- what was attempted or why it was refused, free text
);
