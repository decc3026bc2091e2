-- Time capture and the weekly review in the product. The entries themselves are canonical.time_entries rows
-- (source timer, grid or form; status draft → submitted → approved | rejected), the same a file loads, so
-- every mart follows; what the canonical layout has no column for lives here.

create schema if not exists capture;

-- A running timer: at most one per person. A row survives a reload and a server restart; stopping it saves
-- an entry (one per day when it ran past midnight) and deletes the row; discarding deletes it.
create table capture.timers (
    person_id   varchar primary key,
    project_id  varchar not null,
    phase       varchar,
    activity    varchar not null,
    notes       varchar,
    billable    boolean not null,
    started_at  timestamptz not null,
    started_by  varchar not null
);

-- Every review decision's comment, kept: a rejection's comment is what its person reads beside the entry.
-- Rows are only appended.
create table capture.review_comments (
    entry_id    varchar not null,
    decision    varchar not null check (decision in ('approve', 'reject')),
    comment     varchar not null,
    decided_by  varchar not null,
    decided_at  timestamptz not null
);
create index review_comments_entry on capture.review_comments (entry_id);

-- Flags a manager acted on: resolved (fixed) or dismissed (accepted as it is), with the reason, who and when.
-- flag_key is marts.fct_review_flags.flag_key (rule:entry_id, rule:person_id:work_date); group_id is set when
-- the flag was resolved with its group (rule:project_id:phase). Only appended: the latest row of a flag counts.
create table capture.flag_resolutions (
    flag_key    varchar not null,
    group_id    varchar,
    resolution  varchar not null check (resolution in ('resolved', 'dismissed')),
    reason      varchar not null,
    resolved_by varchar not null,
    resolved_at timestamptz not null
);
create index flag_resolutions_key on capture.flag_resolutions (flag_key);

-- Approved entries an admin reopened (back to draft), with the reason and the approval it undid.
create table capture.reopenings (
    entry_id            varchar not null,
    reason              varchar not null,
    reopened_by         varchar not null,
    reopened_at         timestamptz not null,
    was_approved_by     varchar,
    was_approved_at     timestamptz
);
