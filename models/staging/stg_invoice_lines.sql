-- Staging: canonical.invoice_lines renamed and typed for the models; no joins.
with source as (

    select * from canonical.invoice_lines

),

final as (

    select
        invoice_id,
        line_no,
        project_id,
        kind,
        hours,
        rate,
        amount,
        period_start,
        period_end,
        milestone_id,
    from source

)

select * from final
