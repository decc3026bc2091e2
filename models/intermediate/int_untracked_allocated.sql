-- Untracked time valued and allocated (PRODUCT.md margin funnel, stage 1 leak). Per person-week:
--   gap = max(0, capacity − all hours logged, internal included);
--   value = gap × the person's client std value that week ÷ their client hours that week;
-- shared among the projects and months of the person's client entries that week in proportion to their
-- std value, i.e. piece = gap × std of the piece ÷ client hours of the week. A week without client hours
-- adds nothing.
-- Untracked time accrues day by day ("accruals run through the as-of date"): a report as of day d counts
-- the capacity of the week's working days up to d. So each piece is stored as its increments: at each
-- working day d of the week (accrued_on), the value with capacity through d, rounded, minus the same
-- through the day before. The increments through any as_of sum to the piece's value at that as_of
-- exactly, and a report filters accrued_on <= as_of. Computed through the horizon (int_person_days).
with entries as (

    select * from intermediate.int_entries_priced

),

person_days as (

    select * from intermediate.int_person_days

),

capacity_to_date as (

    -- capacity of the person's week through each of its working days
    select
        person_id,
        work_week,
        work_date as accrued_on,
        round(sum(capacity_hours) over (partition by person_id, work_week order by work_date), 6)::decimal(38,6) as capacity_hours,
    from person_days

),

logged_weeks as (

    select
        person_id,
        work_week,
        sum(duration_seconds)::bigint as logged_seconds,
        sum(case when is_client_work then duration_seconds else 0 end)::bigint as client_seconds,
    from entries
    group by all

),

gaps as (

    select
        c.person_id,
        c.work_week,
        c.accrued_on,
        c.capacity_hours,
        round(l.logged_seconds / 3600, 6)::decimal(18,6) as logged_hours,
        round(l.client_seconds / 3600, 6)::decimal(18,6) as client_hours,
        greatest(0, c.capacity_hours * 3600 - l.logged_seconds) as gap_seconds,
        l.client_seconds,
    from capacity_to_date c
    join logged_weeks l using (person_id, work_week)
    where l.client_seconds > 0

),

pieces as (

    select
        person_id,
        work_week,
        client_id,
        project_id,
        work_month,
        sum(coalesce(std_value, 0)) as std_value,
        sum(duration_seconds)::bigint as piece_seconds,
    from entries
    where is_client_work
    group by all

),

to_date as (

    -- each piece's value with the capacity through accrued_on
    select
        g.person_id,
        g.work_week,
        g.accrued_on,
        p.client_id,
        p.project_id,
        p.work_month,
        g.capacity_hours,
        g.logged_hours,
        g.client_hours as week_client_hours,
        g.gap_seconds,
        p.piece_seconds,
        p.std_value,
        round(g.gap_seconds * p.std_value / g.client_seconds, 6)::decimal(18,6) as value_to_date,
    from gaps g
    join pieces p using (person_id, work_week)

),

increments as (

    select
        *,
        gap_seconds - coalesce(lag(gap_seconds) over piece_days, 0) as gap_increment_seconds,
        value_to_date - coalesce(lag(value_to_date) over piece_days, 0) as untracked_value,
    from to_date
    window piece_days as (partition by person_id, work_week, project_id, work_month order by accrued_on)

),

final as (

    select
        person_id,
        work_week,
        accrued_on,
        client_id,
        project_id,
        work_month,
        capacity_hours,
        logged_hours,
        week_client_hours,
        round(gap_seconds / 3600, 6)::decimal(18,6) as gap_hours,
        -- the untracked hours this increment adds, shared like the value (by std value)
        round(gap_increment_seconds * std_value / nullif(sum(std_value) over (partition by person_id, work_week, accrued_on), 0) / 3600, 6)::decimal(18,6) as untracked_hours,
        round(piece_seconds / 3600, 6)::decimal(18,6) as client_hours,
        std_value,
        untracked_value::decimal(18,6) as untracked_value,
    from increments
    where gap_increment_seconds > 0

)

select * from final
