-- Logging latency per entry: how long after its work date an entry was logged.
--   end of work_date = work_date + 1 day at 00:00 UTC (the warehouse's zone; a firm's local midnight is
--                      not known), so latency = logged_at − (work_date + 1 day), negative when the entry
--                      was logged during its own day.
--   bucket           = same_day when latency ≤ 1 day (logged by the end of the next day), within_7_days
--                      when ≤ 7 days, over_7_days beyond; the boundaries belong to the faster bucket.
--   is_batch         = logged on the last working day of the entry's person-week or later (the "Friday
--                      batch"); the last working day is the week's Friday, or the person's last day with
--                      capacity that week when that is earlier (employment or capacity ends mid-week).
with entries as (

    select * from intermediate.int_entries_priced

),

person_days as (

    select * from intermediate.int_person_days

),

firm as (

    select * from intermediate.int_firm

),

capacity_weeks as (

    select
        person_id,
        work_week,
        max(work_date) filter (where capacity_hours > 0) as last_capacity_day,
    from person_days
    group by all

),

measured as (

    select
        entries.entry_id,
        entries.person_id,
        entries.project_id,
        entries.role,
        entries.department,
        entries.work_date,
        entries.work_week,
        entries.work_month,
        entries.duration_seconds,
        round(entries.duration_seconds / 3600, 6)::decimal(18,6) as hours,
        entries.logged_at,
        -- epoch() of a plain timestamp reads it as UTC; cheaper than a time-zone conversion per row.
        epoch((entries.work_date + 1)::timestamp)::bigint as work_date_end_epoch,
        (epoch(entries.logged_at) - epoch((entries.work_date + 1)::timestamp))::bigint as latency_seconds,
        case
            -- A week that is not over at the horizon: its later days are unknown, not days off.
            when entries.work_week + 4 > firm.horizon then entries.work_week + 4
            else coalesce(capacity_weeks.last_capacity_day, entries.work_week + 4)
        end as last_working_day,
    from entries
    cross join firm
    left join capacity_weeks using (person_id, work_week)

),

final as (

    select
        entry_id,
        person_id,
        project_id,
        role,
        department,
        work_date,
        work_week,
        work_month,
        duration_seconds,
        hours,
        logged_at,
        to_timestamp(work_date_end_epoch) as work_date_end,
        latency_seconds,
        (latency_seconds / 3600)::double as latency_hours,
        (latency_seconds / 86400)::double as latency_days,
        case
            when latency_seconds <= 86400 then 'same_day'
            when latency_seconds <= 7 * 86400 then 'within_7_days'
            else 'over_7_days'
        end as latency_bucket,
        last_working_day,
        epoch(logged_at) >= epoch(last_working_day::timestamp) as is_batch,
    from measured

)

-- Stored latest-logged first, the drill-down's default order (GET /api/drill/logging-latency sorts by
-- latency_days descending): its first page reads the first row groups.
select * from final
order by latency_seconds desc
