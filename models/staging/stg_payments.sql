-- Staging: canonical.payments renamed and typed for the models; no joins.
with source as (

    select * from canonical.payments

),

final as (

    select
        payment_id,
        invoice_id,
        paid_date,
        amount,
    from source

)

select * from final
