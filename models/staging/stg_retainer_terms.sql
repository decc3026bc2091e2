-- Staging: canonical.retainer_terms renamed and typed for the models; no joins.
with source as (

    select * from canonical.retainer_terms

),

final as (

    select
        project_id,
        effective_from,
        monthly_fee,
        included_hours,
        overage_rate,
        rollover_months,
        lead(effective_from) over (partition by project_id order by effective_from) - 1 as effective_to,
    from source

)

select * from final
