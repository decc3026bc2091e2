-- Staging: audit.time_entry_events (warehouse/migrations/002_audit.sql), the capture/approval API's log
-- of every attempted change to an entry, renamed and typed for the models; no joins.
with source as (

    select * from audit.time_entry_events

),

final as (

    select
        event_id,
        entry_id,
        person_id,
        action,
        attempted_at,
        actor_id,
        outcome,
        detail,
        action in ('edit', 'delete') as is_change,
        outcome = 'refused' as was_refused,
    from source

)

select * from final
