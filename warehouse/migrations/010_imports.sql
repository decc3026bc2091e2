-- Imports from other tools (ingest/import/): what their people, clients and projects were mapped to, each
-- import's report, and the firm's rules for turning calendars and commits into draft entries.
create schema if not exists import;

-- A name (or e-mail) of another tool resolved to a canonical row, remembered so the next import resolves it
-- the same way. kind person: source_key is the lowercased e-mail, else "name:<lowercased name>"; client: the
-- lowercased name; project: "<lowercased client>/<lowercased project>".
create table import.mappings (
    kind        varchar not null check (kind in ('person', 'client', 'project')),
    source_key  varchar not null,
    target_id   varchar not null,
    created_at  timestamptz not null,
    created_by  varchar,
    primary key (kind, source_key)
);

-- One row per import that wrote something: the tool, its files, who, and the report's counts.
create table import.runs (
    run_id              integer primary key,
    tool                varchar not null,
    files               varchar not null,
    started_at          timestamptz not null,
    finished_at         timestamptz not null,
    created_by          varchar,
    rows_read           bigint not null,
    rows_imported       bigint not null,
    rows_unchanged      bigint not null,
    rows_rejected       bigint not null,
    seconds_imported    bigint not null,
    report              varchar not null
);
create sequence import.run_seq start 1;

-- Suggestions: a calendar attendee's e-mail domain or a word of an event's title → a client (and optionally a
-- project); a repository's name → a project. Edited by the firm.
create table import.suggestion_rules (
    kind        varchar not null check (kind in ('domain', 'keyword', 'repository')),
    pattern     varchar not null,
    client_id   varchar,
    project_id  varchar,
    primary key (kind, pattern)
);

-- A suggested draft the person dismissed: the next import of the same calendar or log does not bring it back.
create table import.dismissed_suggestions (
    entry_id        varchar primary key,
    person_id       varchar not null,
    dismissed_at    timestamptz not null
);
