-- Review-flag rule phase_over_estimate: defined in marts/delivery/fct_review_flags.yml, which unions every rule.
with baseline as (

    select * from staging.stg_plan_lines where baseline

),

phase_estimates as (

    select
        project_id,
        phase as phase_key,
        sum(estimated_hours) as estimated_hours,
    from baseline
    group by project_id, phase

),

entries as (

    select
        *,
        -- Time without a phase counts against a baseline phase "(no phase)", as in marts.fct_estimate_vs_actual.
        coalesce(phase, '(no phase)') as phase_key,
    from intermediate.int_entries_priced

),

phase_running as (

    select
        entries.entry_id,
        entries.person_id,
        entries.project_id,
        entries.work_date,
        entries.phase_key,
        entries.duration_seconds,
        phase_estimates.estimated_hours,
        sum(entries.duration_seconds) over (
            partition by entries.project_id, entries.phase_key
            order by entries.work_date, entries.logged_at, entries.entry_id
            rows between unbounded preceding and current row
        ) as cumulative_seconds,
        sum(entries.duration_seconds) over (partition by entries.project_id, entries.phase_key) as phase_seconds,
    from entries
    join phase_estimates using (project_id, phase_key)
    where entries.status <> 'rejected'

),

final as (

    select
        'phase_over_estimate' as rule,
        'entry' as subject,
        'phase_over_estimate:' || entry_id as flag_key,
        entry_id,
        person_id,
        project_id,
        work_date,
        printf(
            'phase %s at %g h of its %g h estimate with this entry',
            phase_key,
            round(cumulative_seconds / 3600, 2),
            estimated_hours::double
        ) as evidence,
        json_object(
            'phase', phase_key,
            'estimated_hours', estimated_hours::double,
            'cumulative_hours', round(cumulative_seconds / 3600, 6),
            'phase_hours', round(phase_seconds / 3600, 6)
        ) as details,
    from phase_running
    where duration_seconds > 0
        and cumulative_seconds > estimated_hours * 3600

)

select * from final
