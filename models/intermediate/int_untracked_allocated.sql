-- Untracked time valued and allocated (PRODUCT.md margin funnel, stage 1 leak). Per person-week:
--   gap = max(0, capacity − all hours logged, internal included), capacity counting working days through
--         the firm's as_of (a week cut by the as_of has the capacity of its days up to it);
--   value = gap × the person's client std value that week ÷ their client hours that week;
-- shared among the projects and months of the person's client entries that week in proportion to their
-- std value, i.e. piece = gap × std of the piece ÷ client hours of the week. A week without client hours
-- adds nothing.
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
        person_days.person_id,
        person_days.work_week,
        round(sum(person_days.capacity_hours), 6)::decimal(38,6) as capacity_hours,
    from person_days
    cross join firm
    where person_days.work_date <= firm.as_of
    group by all

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
        c.capacity_hours,
        round(l.logged_seconds / 3600, 6)::decimal(18,6) as logged_hours,
        round(l.client_seconds / 3600, 6)::decimal(18,6) as client_hours,
        greatest(0, c.capacity_hours * 3600 - l.logged_seconds) as gap_seconds,
        l.client_seconds,
    from capacity_weeks c
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

final as (

    select
        g.person_id,
        g.work_week,
        p.client_id,
        p.project_id,
        p.work_month,
        g.capacity_hours,
        g.logged_hours,
        g.client_hours as week_client_hours,
        round(g.gap_seconds / 3600, 6)::decimal(18,6) as gap_hours,
        round(p.piece_seconds / 3600, 6)::decimal(18,6) as client_hours,
        p.std_value,
        round(g.gap_seconds * p.std_value / g.client_seconds, 6)::decimal(18,6) as untracked_value,
    from gaps g
    join pieces p using (person_id, work_week)
    where g.gap_seconds > 0

)

select * from final
