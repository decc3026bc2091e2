-- What a write touched, by person too: a time entry's write touches its person's rows (their review flags,
-- utilization, logging latency) besides its project's month. Null: every person (every write that is not a
-- person's own time, and the records written before this column).
alter table meta.dirty add column person_id varchar;
