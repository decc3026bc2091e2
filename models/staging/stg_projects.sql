-- Staging: canonical.projects renamed and typed for the models; no joins.
with source as (

    select * from canonical.projects

),

final as (

    select
        project_id,
        client_id,
        code,
        name as project_name,
        billing_model,
        project_type,
        manager_id,
        start_date,
        end_date,
        status,
        budget_hours,
        contract_value,
        billing_model <> 'non_billable' as is_client_work,
    from source

)

select * from final
