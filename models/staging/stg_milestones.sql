-- Staging: canonical.milestones renamed and typed for the models; no joins.
with source as (

    select * from canonical.milestones

),

final as (

    select
        milestone_id,
        project_id,
        name as milestone_name,
        amount,
        planned_date,
        signed_off_date,
    from source

)

select * from final
