-- Staging: canonical.cost_rates renamed and typed for the models; no joins.
with source as (

    select * from canonical.cost_rates

),

final as (

    select
        person_id,
        effective_from,
        hourly_cost,
        currency,
        lead(effective_from) over (partition by person_id order by effective_from) - 1 as effective_to,
    from source

)

select * from final
