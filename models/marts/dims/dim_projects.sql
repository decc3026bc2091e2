-- One row per project with its client (none for an internal project), manager and contract terms: labels and
-- filters for the API.
with projects as (

    select * from staging.stg_projects

),

currencies as (

    select * from intermediate.int_project_currency

),

people as (

    select * from staging.stg_people

),

final as (

    select
        projects.project_id,
        projects.code,
        projects.project_name,
        projects.client_id,
        currencies.client_name,
        projects.billing_model,
        projects.is_client_work,
        projects.project_type,
        projects.manager_id,
        managers.name as manager_name,
        projects.start_date,
        projects.end_date,
        projects.status,
        projects.budget_hours,
        projects.contract_value,
        currencies.contract_currency as currency,
    from projects
    join currencies using (project_id)
    left join people as managers
        on managers.person_id = projects.manager_id

)

select * from final
