-- Staging: canonical.invoices renamed and typed for the models; no joins.
with source as (

    select * from canonical.invoices

),

final as (

    select
        invoice_id,
        number as invoice_number,
        client_id,
        issue_date,
        due_date,
        currency,
        status,
        status in ('issued', 'paid') as counts_as_billed,
    from source

)

select * from final
