-- Staging: canonical.credit_notes renamed and typed for the models; no joins.
with source as (

    select * from canonical.credit_notes

),

final as (

    select
        credit_note_id,
        invoice_id,
        issue_date,
        amount,
        reason,
    from source

)

select * from final
