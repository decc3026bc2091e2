-- Staging: canonical.plan_lines renamed and typed for the models; no joins.
with source as (

    select * from canonical.plan_lines

),

final as (

    select
        project_id,
        phase,
        role,
        estimated_hours,
        baseline,
    from source

)

select * from final
