-- Estimate vs actual of closed projects by project_type × phase, per role (the project × phase × role lines)
-- and for all roles together (role null: the project × phase rollup, whose per-project ratio is the phase's):
-- the ratio of sums and the distribution (median, P10, P90) of the per-project ratios at each level.
with lines as (

    select
        *,
        case when is_unplanned then actual_seconds else 0 end as unplanned_seconds,
    from marts.fct_estimate_vs_actual

),

phases as (

    select * from marts.fct_estimate_vs_actual_project_phase

),

closed as (

    select * from (
        select * from lines
        union all by name
        select * from phases
    )
    where project_status = 'closed'
        -- Compare only projects that have both sides: a baseline plan, and time tracked here (a closed
        -- project with no entries at all was not tracked, its 0 h are not an actual).
        and project_has_baseline
        and project_has_entries

),

final as (

    select
        project_type,
        phase,
        role,
        count(*)::integer as projects,
        count(ratio)::integer as ratio_projects,
        count(*) filter (where is_unplanned)::integer as unplanned_projects,
        coalesce(sum(estimated_hours), 0) as estimated_hours,
        sum(actual_seconds) / 3600.0 as actual_hours,
        sum(unplanned_seconds) / 3600.0 as unplanned_actual_hours,
        case
            when sum(estimated_hours) > 0 then sum(actual_seconds) / 3600.0 / sum(estimated_hours)
        end as ratio_of_sums,
        sum(actual_seconds) filter (where ratio is not null) / 3600.0
            / sum(estimated_hours) filter (where ratio is not null) as planned_ratio_of_sums,
        quantile_cont(ratio, 0.5) as ratio_median,
        quantile_cont(ratio, 0.1) as ratio_p10,
        quantile_cont(ratio, 0.9) as ratio_p90,
    from closed
    group by project_type, phase, role

)

select * from final
