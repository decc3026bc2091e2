-- Budget burn of fixed_fee, milestone and retainer projects at the end of every month, from the month the
-- project starts (or of its first entry, if earlier) through the horizon month: the burn-up. The day points
-- of intermediate.int_budget_burn_points that end a month, where the burn is defined (marts.fct_budget_burn
-- is its as_of point, marts.fct_budget_burn_daily every day).
with projects as (

    select * from staging.stg_projects

),

points as (

    select * from intermediate.int_budget_burn_points
    where point = 'day'
        and point_date = last_day(point_date)

),

final as (

    select
        points.project_id,
        projects.billing_model,
        points.month,
        points.point_date as month_end,
        points.month_hours as hours,
        points.hours_used,
        points.billable_hours_used,
        points.budget_basis,
        points.budget_hours,
        points.share_elapsed,
        points.milestones,
        points.milestones_signed_off,
        points.share_complete,
        points.burn,
        points.eac_method,
        points.eac_hours,
        points.alert_level,
    from points
    join projects using (project_id)

)

select * from final
