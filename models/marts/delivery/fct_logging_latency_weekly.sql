-- Logging latency by person × week: entries and hours per latency bucket and the "Friday batch" share,
-- the share of the week's hours logged on its last working day or later. Sums are kept so that the API
-- re-aggregates shares as ratios of sums.
with latency as (

    select * from marts.fct_logging_latency

),

people as (

    select * from staging.stg_people

),

rolled_up as (

    select
        person_id,
        work_week,
        any_value(last_working_day) as last_working_day,
        count(*)::integer as entries,
        sum(duration_seconds) as seconds,
        count(*) filter (where latency_bucket = 'same_day')::integer as same_day_entries,
        coalesce(sum(duration_seconds) filter (where latency_bucket = 'same_day'), 0) as same_day_seconds,
        count(*) filter (where latency_bucket = 'within_7_days')::integer as within_7_days_entries,
        coalesce(sum(duration_seconds) filter (where latency_bucket = 'within_7_days'), 0) as within_7_days_seconds,
        count(*) filter (where latency_bucket = 'over_7_days')::integer as over_7_days_entries,
        coalesce(sum(duration_seconds) filter (where latency_bucket = 'over_7_days'), 0) as over_7_days_seconds,
        count(*) filter (where is_batch)::integer as batch_entries,
        coalesce(sum(duration_seconds) filter (where is_batch), 0) as batch_seconds,
        max(latency_seconds) as max_latency_seconds,
    from latency
    group by person_id, work_week

),

final as (

    select
        rolled_up.person_id,
        people.role,
        people.department,
        rolled_up.work_week,
        rolled_up.last_working_day,
        rolled_up.entries,
        round(rolled_up.seconds / 3600, 6)::decimal(18,6) as hours,
        rolled_up.same_day_entries,
        round(rolled_up.same_day_seconds / 3600, 6)::decimal(18,6) as same_day_hours,
        rolled_up.within_7_days_entries,
        round(rolled_up.within_7_days_seconds / 3600, 6)::decimal(18,6) as within_7_days_hours,
        rolled_up.over_7_days_entries,
        round(rolled_up.over_7_days_seconds / 3600, 6)::decimal(18,6) as over_7_days_hours,
        rolled_up.batch_entries,
        round(rolled_up.batch_seconds / 3600, 6)::decimal(18,6) as batch_hours,
        (rolled_up.batch_seconds / nullif(rolled_up.seconds, 0))::double as batch_share,
        (rolled_up.max_latency_seconds / 86400)::double as max_latency_days,
    from rolled_up
    left join people using (person_id)

)

select * from final
