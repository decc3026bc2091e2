-- Budget burn of fixed_fee, milestone and retainer projects at every day, from the first day of the month the
-- project starts (or of its first entry, if earlier) through the end of the horizon month: what a report as
-- of any day up to the horizon reads (GET /api/budget-burn). The day points of
-- intermediate.int_budget_burn_points, where the burn is defined, with the project's billing_model.
with points as (

    select * from intermediate.int_budget_burn_points
    where point = 'day'

),

final as (

    select
        project_id,
        billing_model,
        point_date as as_of,
        month,
        -- The burn as the point states it, every measure in the order it defines them.
        * exclude (project_id, billing_model, point, point_date, month, month_hours),
    from points

)

-- Stored by day: a report reads one as_of, and DuckDB's zone maps skip the row groups of the other days.
select * from final
order by as_of, project_id
