-- Utilization by person × week × month. A week (Monday–Sunday) that straddles two months is split into
-- one row per month so that monthly roll-ups are exact: capacity and hours go to the month of their day.
-- Ratios are per row; re-aggregate from the hour columns (ratio of sums), never by averaging ratios.
-- Timesheet completeness is a person-week measure: each slice carries the week's min(logged, capacity)
-- pro rata to the slice's capacity (completeness_credit_hours), so Σ credit / Σ capacity is exact for a
-- week and a capacity-weighted completeness of the person-weeks for any larger group.
with person_days as (

    select * from intermediate.int_person_days

),

entries as (

    select * from intermediate.int_entries_priced

),

people as (

    select * from staging.stg_people

),

capacity as (

    select
        person_id,
        work_week,
        work_month,
        count(*)::integer as working_days,
        -- weekly_hours (4 decimals) ÷ 5 has at most 5 decimals: rounding to 6 is exact.
        sum(round(capacity_hours, 6)::decimal(18,6)) as capacity_hours,
    from person_days
    group by all

),

logged as (

    select
        person_id,
        work_week,
        work_month,
        count(*)::integer as entries,
        sum(duration_seconds) as all_seconds,
        coalesce(sum(duration_seconds) filter (where is_billable_client), 0) as billable_seconds,
        coalesce(sum(duration_seconds) filter (where is_client_work and not billable), 0) as client_non_billable_seconds,
        coalesce(sum(duration_seconds) filter (where not is_client_work), 0) as internal_seconds,
    from entries
    group by all

),

slices as (

    select
        person_id,
        work_week,
        work_month,
        coalesce(capacity.working_days, 0) as working_days,
        coalesce(capacity.capacity_hours, 0)::decimal(18,6) as capacity_hours,
        coalesce(logged.entries, 0) as entries,
        round(coalesce(logged.billable_seconds, 0) / 3600, 6)::decimal(18,6) as billable_hours,
        round(coalesce(logged.client_non_billable_seconds, 0) / 3600, 6)::decimal(18,6) as client_non_billable_hours,
        round(coalesce(logged.internal_seconds, 0) / 3600, 6)::decimal(18,6) as internal_hours,
        round(coalesce(logged.all_seconds, 0) / 3600, 6)::decimal(18,6) as all_hours,
    from capacity
    full join logged using (person_id, work_week, work_month)

),

weeks as (

    select
        *,
        sum(capacity_hours) over person_week as week_capacity_hours,
        sum(all_hours) over person_week as week_all_hours,
        count(*) over person_week > 1 as week_straddles_months,
    from slices
    window person_week as (partition by person_id, work_week)

),

final as (

    select
        weeks.person_id,
        people.role,
        people.department,
        weeks.work_week,
        weeks.work_month,
        weeks.week_straddles_months,
        weeks.working_days,
        weeks.capacity_hours,
        weeks.billable_hours,
        weeks.client_non_billable_hours,
        weeks.billable_hours + weeks.client_non_billable_hours as client_hours,
        weeks.internal_hours,
        weeks.all_hours,
        weeks.entries,
        (weeks.billable_hours / nullif(weeks.capacity_hours, 0))::double as utilization,
        (weeks.all_hours / nullif(weeks.capacity_hours, 0))::double as logged_utilization,
        (weeks.billable_hours / nullif(weeks.all_hours, 0))::double as billable_ratio,
        weeks.week_capacity_hours,
        weeks.week_all_hours,
        case
            when weeks.week_capacity_hours > 0
                then least(1, weeks.week_all_hours / weeks.week_capacity_hours)::double
        end as timesheet_completeness,
        case
            when weeks.week_capacity_hours > 0
                then round(
                    least(weeks.week_all_hours, weeks.week_capacity_hours) * weeks.capacity_hours / weeks.week_capacity_hours,
                    6
                )
            else 0
        end::decimal(18,6) as completeness_credit_hours,
    from weeks
    left join people using (person_id)

)

select * from final
