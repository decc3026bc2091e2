-- Staging: canonical.fx_rates renamed and typed for the models; no joins.
with source as (

    select * from canonical.fx_rates

),

final as (

    select
        currency,
        date as rate_date,
        rate_to_reporting,
    from source

)

select * from final
