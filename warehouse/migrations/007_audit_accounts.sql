-- The audit log of every change, and the accounts people sign in with.
--
-- audit.events is append-only: every create, change, delete, submit, approve, reject, reopen, flag resolution,
-- upload, rebuild, quote change, account and role change appends one row (capture/audit.ts recordAudit), in
-- the transaction of the change itself, and nothing updates or deletes a row. actor is who did it as
-- server/plugins/auth.ts actorOf names callers ('local', '<role>:<person_id>', '<role>:token-<id>',
-- 'cli:<user>'); address is where the request came from. before/after are the values the change replaced and
-- wrote (null for a create / a delete). The time column is occurred_at: "at" is a reserved word in DuckDB.
-- No primary key: event_id comes from a sequence, and an index on a table that only grows would cost memory
-- on every append for a check that cannot fail.
-- audit.time_entry_events (002) stays: the review flag edit_after_approval reads it.

create schema if not exists audit;

create sequence audit.event_seq start 1;

create table audit.events (
    event_id    bigint not null default nextval('audit.event_seq'),
    occurred_at timestamptz not null default now(),
    actor       varchar not null,
    actor_role  varchar,            -- the caller's access role when it acted (server/roles.ts)
    person_id   varchar,            -- the person the caller is, when known
    address     varchar,            -- where the request came from (IP address), or 'cli'
    action      varchar not null,   -- create, update, delete, submit, approve, reject, reopen, upload, rebuild …
    entity      varchar not null,   -- what was acted on: time_entry, quote, batch, models, account, token …
    entity_id   varchar,
    before      json,
    after       json,
    reason      varchar,            -- the reason given (a rejection's comment, a reopening's reason)
    detail      varchar             -- anything else worth reading beside it (a refused change's cause)
);

-- Accounts: one per person who signs in. Passwords are kept only as scrypt hashes with their salt
-- ('scrypt$<N>$<r>$<p>$<salt>$<hash>', base64); a null hash cannot sign in until a password is set.
-- A firm with no enabled account runs in local mode (server/plugins/auth.ts).

create schema if not exists auth;

create table auth.accounts (
    account_id    varchar primary key,
    email         varchar not null unique,   -- stored lower-case
    person_id     varchar,                   -- canonical.people.person_id, when the account is a person's
    role          varchar not null,          -- server/roles.ts ROLES
    password_hash varchar,
    disabled      boolean not null default false,
    created_at    timestamptz not null default now(),
    changed_at    timestamptz not null default now()
);

-- Signed-in sessions. The cookie carries a random id; only its SHA-256 is kept, so a copy of the database
-- signs no one in. Signing out or disabling the account deletes the row.
create table auth.sessions (
    session_hash varchar primary key,
    account_id   varchar not null,
    created_at   timestamptz not null default now(),
    expires_at   timestamptz not null,
    address      varchar
);

-- API tokens for integrations (`realize token create`). Shown once when made; only the SHA-256 is kept.
-- token_id (the hash's first 8 hex digits) names the token in lists, records and `realize token revoke`.
create table auth.tokens (
    token_id   varchar primary key,
    token_hash varchar not null unique,
    person_id  varchar,
    role       varchar not null,
    label      varchar,
    created_at timestamptz not null default now(),
    created_by varchar not null,
    revoked_at timestamptz
);
