-- Budget burn of fixed_fee, milestone and retainer projects at the end of every month, from the month the
-- project starts (or of its first entry, if earlier) through the horizon month: the burn-up. The day points
-- of intermediate.int_budget_burn_points that end a month, where the burn is defined (marts.fct_budget_burn
-- is its as_of point, marts.fct_budget_burn_daily every day).
with points as (

    select * from intermediate.int_budget_burn_points
    where point = 'day'
        and point_date = last_day(point_date)

),

final as (

    select
        project_id,
        billing_model,
        month,
        point_date as month_end,
        month_hours as hours,
        hours_used,
        billable_hours_used,
        budget_basis,
        budget_hours,
        share_elapsed,
        milestones,
        milestones_signed_off,
        share_complete,
        burn,
        eac_method,
        eac_hours,
        alert_level,
    from points

)

select * from final
