-- Budget burn of fixed_fee, milestone and retainer projects at the firm's as_of date: the as_of point of
-- intermediate.int_budget_burn_points, where the burn is defined (exact to the day), with the project's
-- attributes.
with projects as (

    select * from staging.stg_projects

),

points as (

    select * from intermediate.int_budget_burn_points
    where point = 'as_of'

),

final as (

    select
        points.project_id,
        projects.client_id,
        projects.manager_id,
        points.billing_model,
        projects.status,
        projects.start_date,
        projects.end_date,
        points.point_date as as_of,
        -- The burn as the point states it, every measure in the order it defines them.
        points.* exclude (project_id, billing_model, point, point_date, month, month_hours),
    from points
    join projects using (project_id)

)

select * from final
