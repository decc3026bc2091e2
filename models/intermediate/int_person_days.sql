-- Capacity by person-day: every working day (Mon–Fri) of each person's employment, from the first day
-- their capacity is known through the horizon, with weekly_hours effective that day ÷ 5.
with people as (

    select * from staging.stg_people

),

capacity as (

    select * from staging.stg_person_capacity

),

firm as (

    select * from intermediate.int_firm

),

bounds as (

    select
        p.person_id,
        -- From the later of the start date and the first known capacity: before any capacity is known a
        -- day has none, and a row for it would only pad every roll-up with zeros (years of them for people
        -- hired long before the data begins).
        greatest(
            coalesce(p.start_date, (select min(effective_from) from capacity c where c.person_id = p.person_id)),
            (select min(effective_from) from capacity c where c.person_id = p.person_id)
        ) as first_day,
        least(coalesce(p.end_date, firm.horizon), firm.horizon) as last_day,
    from people p
    cross join firm

),

days as (

    select
        b.person_id,
        d::date as work_date,
    from bounds b,
        generate_series(b.first_day::timestamp, b.last_day::timestamp, interval 1 day) as g(d)
    where b.first_day is not null and isodow(d) <= 5

),

final as (

    select
        days.person_id,
        days.work_date,
        date_trunc('week', days.work_date)::date as work_week,
        date_trunc('month', days.work_date)::date as work_month,
        coalesce(capacity.weekly_hours, 0) / 5 as capacity_hours,
    from days
    asof left join capacity
        on capacity.person_id = days.person_id and days.work_date >= capacity.effective_from

)

select * from final
