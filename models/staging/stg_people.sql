-- Staging: canonical.people renamed and typed for the models; no joins.
with source as (

    select * from canonical.people

),

final as (

    select
        person_id,
        name,
        email,
        role,
        department,
        start_date,
        end_date,
    from source

)

select * from final
