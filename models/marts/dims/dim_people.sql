-- One row per person with role, department, employment dates, and the capacity and cost rate in
-- force on the firm's as_of date ("current").
with people as (

    select * from staging.stg_people

),

capacity as (

    select * from staging.stg_person_capacity

),

cost_rates as (

    select * from staging.stg_cost_rates

),

firm as (

    select * from intermediate.int_firm

),

final as (

    select
        people.person_id,
        people.name,
        people.email,
        people.role,
        people.department,
        people.start_date,
        people.end_date,
        coalesce(people.start_date <= firm.as_of, true)
            and coalesce(people.end_date >= firm.as_of, true) as is_active,
        firm.as_of as current_as_of,
        capacity.weekly_hours as current_weekly_hours,
        capacity.effective_from as current_capacity_from,
        cost_rates.hourly_cost as current_hourly_cost,
        cost_rates.currency as current_cost_currency,
        cost_rates.effective_from as current_cost_from,
    from people
    cross join firm
    -- In force on as_of: the latest capacity and cost rate that took effect on or before it.
    asof left join capacity
        on capacity.person_id = people.person_id and firm.as_of >= capacity.effective_from
    asof left join cost_rates
        on cost_rates.person_id = people.person_id and firm.as_of >= cost_rates.effective_from

)

select * from final
