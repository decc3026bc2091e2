-- Budget burn of fixed_fee, milestone and retainer projects at every day, from the first day of the month the
-- project starts (or of its first entry, if earlier) through the end of the horizon month: what a report as
-- of any day up to the horizon reads (GET /api/budget-burn). The day points of
-- intermediate.int_budget_burn_points, where the burn is defined, with the project's billing_model.
with projects as (

    select * from staging.stg_projects

),

points as (

    select * from intermediate.int_budget_burn_points
    where point = 'day'

),

final as (

    select
        points.project_id,
        projects.billing_model,
        points.point_date as as_of,
        points.month,
        -- The burn as the point states it, every measure in the order it defines them.
        points.* exclude (project_id, point, point_date, month, month_hours),
    from points
    join projects using (project_id)

)

-- Stored by day: a report reads one as_of, and DuckDB's zone maps skip the row groups of the other days.
select * from final
order by as_of, project_id
