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
        points.budget_basis,
        points.budget_hours,
        points.hours_used,
        points.billable_hours_used,
        points.remaining_hours,
        points.burn,
        points.share_elapsed,
        points.milestones,
        points.milestones_signed_off,
        points.share_complete,
        points.eac_method,
        points.eac_hours,
        points.eac_burn,
        points.alert_level,
        points.last_work_date,
    from points
    join projects using (project_id)

)

-- Stored by day: a report reads one as_of, and DuckDB's zone maps skip the row groups of the other days.
select * from final
order by as_of, project_id
