-- Staging: canonical.settings renamed and typed for the models; no joins.
with source as (

    select * from canonical.settings

),

final as (

    select
        key,
        value,
    from source

)

select * from final
