-- Staging: canonical.clients renamed and typed for the models; no joins.
with source as (

    select * from canonical.clients

),

final as (

    select
        client_id,
        name as client_name,
        currency,
    from source

)

select * from final
