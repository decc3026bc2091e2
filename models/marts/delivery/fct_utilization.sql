-- Utilization by person × day, with the day's week and month. A report counts the days through its as-of
-- date (PRODUCT.md: capacity, like every accrual, stops at the as-of date, and entries dated after it do not
-- count), so the rows are days; sums by work_week or work_month give exact weekly and monthly figures.
-- Ratios are per row; re-aggregate from the hour columns (ratio of sums), never by averaging ratios.
-- Timesheet completeness is a person-week measure, min(1, logged / capacity), and a week is judged on what
-- it holds through the as-of date. A month's completeness is the capacity-weighted mean of its person-week
-- slices, so each day carries its capacity × the week's completeness as judged on each day of the week:
-- completeness_credit_<k> is the credit when the report's as-of day is the week's k-th day (1 Monday … 7
-- Sunday: the whole week). A report reads column 7 for weeks ended by its as-of date and column
-- isodow(as_of) for the week running at it; the days after the as-of day are not read at all.
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
        work_date,
        1 as working_days,
        -- weekly_hours (4 decimals) ÷ 5 has at most 5 decimals: rounding to 6 is exact.
        round(capacity_hours, 6)::decimal(18,6) as capacity_hours,
    from person_days

),

logged as (

    select
        person_id,
        work_date,
        count(*)::integer as entries,
        sum(duration_seconds) as all_seconds,
        coalesce(sum(duration_seconds) filter (where is_billable_client), 0) as billable_seconds,
        coalesce(sum(duration_seconds) filter (where is_client_work and not billable), 0) as client_non_billable_seconds,
        coalesce(sum(duration_seconds) filter (where not is_client_work), 0) as internal_seconds,
    from entries
    group by all

),

days as (

    select
        person_id,
        work_date,
        date_trunc('week', work_date)::date as work_week,
        date_trunc('month', work_date)::date as work_month,
        coalesce(capacity.working_days, 0) as working_days,
        coalesce(capacity.capacity_hours, 0)::decimal(18,6) as capacity_hours,
        coalesce(logged.entries, 0) as entries,
        round(coalesce(logged.billable_seconds, 0) / 3600, 6)::decimal(18,6) as billable_hours,
        round(coalesce(logged.client_non_billable_seconds, 0) / 3600, 6)::decimal(18,6) as client_non_billable_hours,
        round(coalesce(logged.internal_seconds, 0) / 3600, 6)::decimal(18,6) as internal_hours,
        round(coalesce(logged.all_seconds, 0) / 3600, 6)::decimal(18,6) as all_hours,
    from capacity
    full join logged using (person_id, work_date)

),

weeks as (

    select
        *,
        sum(capacity_hours) over person_week as week_capacity_hours,
        sum(all_hours) over person_week as week_all_hours,
        count(distinct work_month) over person_week > 1 as week_straddles_months,
        -- the week's capacity and hours through its k-th day (1 Monday … 7 Sunday)
        sum(case when isodow(work_date) <= 1 then capacity_hours else 0 end) over person_week as capacity_through_1,
        sum(case when isodow(work_date) <= 1 then all_hours else 0 end) over person_week as logged_through_1,
        sum(case when isodow(work_date) <= 2 then capacity_hours else 0 end) over person_week as capacity_through_2,
        sum(case when isodow(work_date) <= 2 then all_hours else 0 end) over person_week as logged_through_2,
        sum(case when isodow(work_date) <= 3 then capacity_hours else 0 end) over person_week as capacity_through_3,
        sum(case when isodow(work_date) <= 3 then all_hours else 0 end) over person_week as logged_through_3,
        sum(case when isodow(work_date) <= 4 then capacity_hours else 0 end) over person_week as capacity_through_4,
        sum(case when isodow(work_date) <= 4 then all_hours else 0 end) over person_week as logged_through_4,
        sum(case when isodow(work_date) <= 5 then capacity_hours else 0 end) over person_week as capacity_through_5,
        sum(case when isodow(work_date) <= 5 then all_hours else 0 end) over person_week as logged_through_5,
        sum(case when isodow(work_date) <= 6 then capacity_hours else 0 end) over person_week as capacity_through_6,
        sum(case when isodow(work_date) <= 6 then all_hours else 0 end) over person_week as logged_through_6,
        sum(case when isodow(work_date) <= 7 then capacity_hours else 0 end) over person_week as capacity_through_7,
        sum(case when isodow(work_date) <= 7 then all_hours else 0 end) over person_week as logged_through_7,
    from days
    window person_week as (partition by person_id, work_week)

),

final as (

    select
        weeks.person_id,
        people.role,
        people.department,
        weeks.work_date,
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
        case
            when weeks.capacity_through_1 > 0
                then round(weeks.capacity_hours * least(1, weeks.logged_through_1 / weeks.capacity_through_1), 6)
            else 0
        end::decimal(18,6) as completeness_credit_1,
        case
            when weeks.capacity_through_2 > 0
                then round(weeks.capacity_hours * least(1, weeks.logged_through_2 / weeks.capacity_through_2), 6)
            else 0
        end::decimal(18,6) as completeness_credit_2,
        case
            when weeks.capacity_through_3 > 0
                then round(weeks.capacity_hours * least(1, weeks.logged_through_3 / weeks.capacity_through_3), 6)
            else 0
        end::decimal(18,6) as completeness_credit_3,
        case
            when weeks.capacity_through_4 > 0
                then round(weeks.capacity_hours * least(1, weeks.logged_through_4 / weeks.capacity_through_4), 6)
            else 0
        end::decimal(18,6) as completeness_credit_4,
        case
            when weeks.capacity_through_5 > 0
                then round(weeks.capacity_hours * least(1, weeks.logged_through_5 / weeks.capacity_through_5), 6)
            else 0
        end::decimal(18,6) as completeness_credit_5,
        case
            when weeks.capacity_through_6 > 0
                then round(weeks.capacity_hours * least(1, weeks.logged_through_6 / weeks.capacity_through_6), 6)
            else 0
        end::decimal(18,6) as completeness_credit_6,
        case
            when weeks.capacity_through_7 > 0
                then round(weeks.capacity_hours * least(1, weeks.logged_through_7 / weeks.capacity_through_7), 6)
            else 0
        end::decimal(18,6) as completeness_credit_7,
    from weeks
    left join people using (person_id)

)

select * from final
