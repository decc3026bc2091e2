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

current_capacity as (

    select
        capacity.person_id,
        capacity.weekly_hours,
        capacity.effective_from,
    from capacity
    cross join firm
    where capacity.effective_from <= firm.as_of
    qualify row_number() over (partition by capacity.person_id order by capacity.effective_from desc) = 1

),

current_cost as (

    select
        cost_rates.person_id,
        cost_rates.hourly_cost,
        cost_rates.currency,
        cost_rates.effective_from,
    from cost_rates
    cross join firm
    where cost_rates.effective_from <= firm.as_of
    qualify row_number() over (partition by cost_rates.person_id order by cost_rates.effective_from desc) = 1

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
        current_capacity.weekly_hours as current_weekly_hours,
        current_capacity.effective_from as current_capacity_from,
        current_cost.hourly_cost as current_hourly_cost,
        current_cost.currency as current_cost_currency,
        current_cost.effective_from as current_cost_from,
    from people
    cross join firm
    left join current_capacity using (person_id)
    left join current_cost using (person_id)

)

select * from final
