-- One row per client, with how many projects it has: labels and filters for the API.
with clients as (

    select * from staging.stg_clients

),

projects as (

    select * from staging.stg_projects

),

project_counts as (

    select
        client_id,
        count(*) as projects,
        count(*) filter (where status = 'active') as active_projects,
    from projects
    group by client_id

),

final as (

    select
        clients.client_id,
        clients.client_name,
        clients.currency,
        coalesce(project_counts.projects, 0)::integer as projects,
        coalesce(project_counts.active_projects, 0)::integer as active_projects,
    from clients
    left join project_counts using (client_id)

)

select * from final
