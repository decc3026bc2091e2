-- Estimate vs actual by project × phase × role: the baseline plan against the hours logged.
-- Full outer: a baseline line without entries has actual 0; entries on a phase × role the baseline does
-- not plan appear with estimated_hours null (and is_unplanned when the project has a baseline at all).
with plan_lines as (

    select * from staging.stg_plan_lines

),

entries as (

    select * from staging.stg_time_entries

),

people as (

    select * from staging.stg_people

),

projects as (

    select * from staging.stg_projects

),

estimates as (

    select
        project_id,
        phase,
        role,
        estimated_hours,
    from plan_lines
    where baseline

),

actuals as (

    select
        entries.project_id,
        -- Entries without a phase meet plan lines of the same placeholder (CESAW tasks without a phase).
        coalesce(entries.phase, '(no phase)') as phase,
        people.role,
        sum(entries.duration_seconds)::bigint as actual_seconds,
        count(*)::integer as entries,
        count(distinct entries.person_id)::integer as people,
        min(entries.work_date) as first_work_date,
        max(entries.work_date) as last_work_date,
    from entries
    join people using (person_id)
    where entries.status <> 'rejected'
    group by all

),

joined as (

    select
        coalesce(estimates.project_id, actuals.project_id) as project_id,
        coalesce(estimates.phase, actuals.phase) as phase,
        coalesce(estimates.role, actuals.role) as role,
        estimates.estimated_hours,
        coalesce(actuals.actual_seconds, 0)::bigint as actual_seconds,
        coalesce(actuals.entries, 0)::integer as entries,
        coalesce(actuals.people, 0)::integer as people,
        actuals.first_work_date,
        actuals.last_work_date,
        estimates.project_id is not null as is_planned,
    from estimates
    full outer join actuals
        on actuals.project_id = estimates.project_id
        and actuals.phase = estimates.phase
        and actuals.role = estimates.role

),

project_flags as (

    select
        project_id,
        bool_or(is_planned) as project_has_baseline,
        sum(entries) > 0 as project_has_entries,
    from joined
    group by project_id

),

final as (

    select
        joined.project_id,
        joined.phase,
        joined.role,
        projects.project_type,
        projects.billing_model,
        projects.client_id,
        projects.status as project_status,
        projects.start_date as project_start_date,
        projects.end_date as project_end_date,
        joined.estimated_hours,
        joined.actual_seconds,
        joined.actual_seconds / 3600.0 as actual_hours,
        -- double, so that quantile_cont interpolates instead of rounding to a decimal's scale.
        case
            when joined.estimated_hours > 0 then (joined.actual_seconds / 3600.0 / joined.estimated_hours)::double
        end as ratio,
        joined.actual_seconds / 3600.0 - coalesce(joined.estimated_hours, 0) as variance_hours,
        joined.is_planned,
        -- Scope is unplanned only against a plan: a project without a baseline has nothing to compare with.
        not joined.is_planned and project_flags.project_has_baseline as is_unplanned,
        project_flags.project_has_baseline,
        project_flags.project_has_entries,
        joined.entries,
        joined.people,
        joined.first_work_date,
        joined.last_work_date,
    from joined
    join project_flags using (project_id)
    join projects using (project_id)

)

select * from final
