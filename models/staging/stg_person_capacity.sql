-- Staging: canonical.person_capacity renamed and typed for the models; no joins.
with source as (

    select * from canonical.person_capacity

),

final as (

    select
        person_id,
        effective_from,
        weekly_hours,
        lead(effective_from) over (partition by person_id order by effective_from) - 1 as effective_to,
    from source

)

select * from final
