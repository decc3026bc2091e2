-- Calendar feeds (capture/suggestions/feeds.ts): a person's calendar address (an ICS feed, webcal:// read as
-- https://), which the server reads on demand and on a schedule into the same suggestions as an uploaded
-- calendar. The address is a secret (private calendar links carry a token): it is kept here and nowhere
-- else; the audit log and every answer show it masked. One feed per person.
create table suggest.feeds (
    person_id        varchar primary key,
    url              varchar not null,
    time_zone        varchar not null,
    created_at       timestamptz not null,
    created_by       varchar,
    updated_at       timestamptz not null,
    updated_by       varchar,
    -- The last read, whatever came of it (the schedule picks the feeds read least recently).
    last_attempt_at  timestamptz,
    -- The last read that reached the suggestions, and what it did (the upload report's counts, as JSON).
    last_success_at  timestamptz,
    last_counts      json,
    -- Why the last read failed, in plain words; null once one succeeds.
    last_error       varchar
);

-- The calendar occurrences (source keys) each feed has produced: a pending suggestion whose event is no longer
-- in the feed (deleted, or moved to another time) is withdrawn on the next read. A suggestion from an uploaded
-- file that the feed never listed is left alone.
create table suggest.feed_keys (
    person_id   varchar not null,
    source_key  varchar not null,
    primary key (person_id, source_key)
);
