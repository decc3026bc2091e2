-- Staging: canonical.invoice_line_entries renamed and typed for the models; no joins.
with source as (

    select * from canonical.invoice_line_entries

),

final as (

    select
        invoice_id,
        line_no,
        entry_id,
    from source

)

select * from final
