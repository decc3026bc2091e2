-- Review-flag rule unplanned_scope: defined in marts/delivery/fct_review_flags.yml, which unions every rule.
with entries as (

    select
        *,
        -- An entry without a phase is matched to a baseline phase "(no phase)", as in marts.fct_estimate_vs_actual.
        coalesce(phase, '(no phase)') as phase_key,
    from intermediate.int_entries_priced

),

baseline as (

    select * from staging.stg_plan_lines where baseline

),

planned_projects as (

    select distinct project_id from baseline

),

planned_phases as (

    select distinct project_id, phase from baseline

),

planned_lines as (

    select distinct project_id, phase, role from baseline

),

final as (

    select
        'unplanned_scope' as rule,
        'entry' as subject,
        'unplanned_scope:' || entries.entry_id as flag_key,
        entries.entry_id,
        entries.person_id,
        entries.project_id,
        entries.work_date,
        case
            when planned_phases.phase is null
                then printf('phase %s is not in the project''s baseline plan', entries.phase_key)
            else printf('role %s is not planned for phase %s', entries.role, entries.phase_key)
        end as evidence,
        json_object(
            'phase', entries.phase_key,
            'role', entries.role,
            'phase_planned', planned_phases.phase is not null
        ) as details,
    from entries
    join planned_projects using (project_id)
    left join planned_phases
        on planned_phases.project_id = entries.project_id and planned_phases.phase = entries.phase_key
    left join planned_lines
        on planned_lines.project_id = entries.project_id and planned_lines.phase = entries.phase_key and planned_lines.role = entries.role
    where planned_lines.project_id is null
        and entries.status <> 'rejected'

)

select * from final
