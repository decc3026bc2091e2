-- Capture suggestions (capture/suggestions/): meetings from a person's calendar and sessions from their commits
-- proposed as time entries, which the person confirms (a draft entry is made), edits or dismisses; and the
-- firm's rules that match them to clients and projects. Replaces the two placeholder tables of 010, which
-- nothing wrote.
drop table if exists import.suggestion_rules;
drop table if exists import.dismissed_suggestions;

create schema if not exists suggest;

-- The firm's rules: an attendee's e-mail domain or a word of a meeting's title → a client (and optionally one of
-- its projects); a repository's name → a project. `billable` overrides the project's own rule (its billing
-- model) when set; `phase` is the phase suggested entries get.
create table suggest.rules (
    kind        varchar not null check (kind in ('domain', 'keyword', 'repository')),
    pattern     varchar not null,
    client_id   varchar,
    project_id  varchar,
    phase       varchar,
    billable    boolean,
    changed_at  timestamptz not null,
    changed_by  varchar,
    primary key (kind, pattern)
);

-- One suggested entry. source_key is what makes an upload idempotent: a calendar occurrence's
-- "<UID>@<original start>", a day of commits' "<repository>@<date>". A suggestion the person confirmed
-- (entry_id is the draft it became) or dismissed is never changed or brought back by a later upload.
create table suggest.suggestions (
    suggestion_id   varchar primary key,
    person_id       varchar not null,
    source          varchar not null check (source in ('calendar', 'git')),
    source_key      varchar not null,
    work_date       date not null,
    starts_at       timestamptz,
    project_id      varchar,
    phase           varchar,
    activity        varchar not null,
    seconds         integer not null check (seconds between 1 and 86400),
    billable        boolean not null,
    notes           varchar,
    evidence        varchar not null,
    status          varchar not null check (status in ('suggested', 'confirmed', 'dismissed')),
    entry_id        varchar,
    created_at      timestamptz not null,
    created_by      varchar,
    updated_at      timestamptz not null,
    decided_at      timestamptz,
    decided_by      varchar,
    unique (person_id, source, source_key)
);

-- The commits uploaded for a person, once each: a day's sessions are computed from all of them, so a log that
-- overlaps an earlier one adds only what is new.
create table suggest.commits (
    person_id       varchar not null,
    repository      varchar not null,
    hash            varchar not null,
    authored_at     timestamptz not null,
    local_date      date not null,
    utc_offset_min  integer not null,
    subject         varchar not null,
    primary key (person_id, repository, hash)
);
