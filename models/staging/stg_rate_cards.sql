-- Staging: canonical.rate_cards renamed and typed for the models; no joins.
with source as (

    select * from canonical.rate_cards

),

final as (

    select
        scope,
        scope_id,
        role,
        effective_from,
        effective_to,
        hourly_rate,
        currency,
        case scope when 'project_role' then 1 when 'project' then 2 when 'client' then 3 when 'person' then 4 when 'role' then 5 else 6 end as precedence,
    from source

)

select * from final
