-- Estimate vs actual by project × phase, all roles together: the project × phase × role mart rolled up.
with lines as (

    select * from marts.fct_estimate_vs_actual

),

rolled_up as (

    select
        project_id,
        phase,
        any_value(project_type) as project_type,
        any_value(billing_model) as billing_model,
        any_value(client_id) as client_id,
        any_value(project_status) as project_status,
        any_value(project_start_date) as project_start_date,
        any_value(project_end_date) as project_end_date,
        sum(estimated_hours) as estimated_hours,
        sum(actual_seconds)::bigint as actual_seconds,
        coalesce(sum(actual_seconds) filter (where is_unplanned), 0)::bigint as unplanned_seconds,
        count(*) filter (where is_planned)::integer as planned_roles,
        count(*) filter (where is_unplanned)::integer as unplanned_roles,
        bool_or(project_has_baseline) as project_has_baseline,
        bool_or(project_has_entries) as project_has_entries,
        sum(entries)::integer as entries,
        -- A person has one role, so the people of different roles are different people.
        sum(people)::integer as people,
        min(first_work_date) as first_work_date,
        max(last_work_date) as last_work_date,
    from lines
    group by project_id, phase

),

final as (

    select
        project_id,
        phase,
        project_type,
        billing_model,
        client_id,
        project_status,
        project_start_date,
        project_end_date,
        estimated_hours,
        actual_seconds,
        actual_seconds / 3600.0 as actual_hours,
        case when estimated_hours > 0 then (actual_seconds / 3600.0 / estimated_hours)::double end as ratio,
        actual_seconds / 3600.0 - coalesce(estimated_hours, 0) as variance_hours,
        unplanned_seconds,
        unplanned_seconds / 3600.0 as unplanned_hours,
        planned_roles > 0 as is_planned,
        planned_roles = 0 and project_has_baseline as is_unplanned,
        planned_roles,
        unplanned_roles,
        project_has_baseline,
        project_has_entries,
        entries,
        people,
        first_work_date,
        last_work_date,
    from rolled_up

)

select * from final
