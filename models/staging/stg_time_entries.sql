-- Staging: canonical.time_entries renamed and typed for the models; no joins.
with source as (

    select * from canonical.time_entries

),

final as (

    select
        entry_id,
        person_id,
        project_id,
        phase,
        task,
        activity,
        work_date,
        duration_seconds,
        billable,
        notes,
        source,
        logged_at,
        status,
        approved_by,
        approved_at,
        started_at,
        ended_at,
        batch_id,
        duration_seconds / 3600.0 as hours,
    from source

)

select * from final
