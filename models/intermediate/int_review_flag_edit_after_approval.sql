-- Review-flag rule edit_after_approval: defined in marts/delivery/fct_review_flags.yml, which unions every rule.
with entries as (

    select * from intermediate.int_entries_priced

),

events as (

    select * from staging.stg_time_entry_events

),

final as (

    select
        'edit_after_approval' as rule,
        'entry' as subject,
        'edit_after_approval:' || events.event_id as flag_key,
        entries.entry_id,
        entries.person_id,
        entries.project_id,
        entries.work_date,
        printf(
            '%s %s at %s by %s; the entry was approved at %s',
            events.action,
            events.outcome,
            strftime(events.attempted_at, '%Y-%m-%dT%H:%M:%SZ'),
            events.actor_id,
            strftime(entries.approved_at, '%Y-%m-%dT%H:%M:%SZ')
        ) as evidence,
        json_object(
            'event_id', events.event_id,
            'action', events.action,
            'outcome', events.outcome,
            'actor_id', events.actor_id,
            'attempted_at', strftime(events.attempted_at, '%Y-%m-%dT%H:%M:%SZ'),
            'approved_at', strftime(entries.approved_at, '%Y-%m-%dT%H:%M:%SZ'),
            'detail', events.detail
        ) as details,
    from events
    join entries using (entry_id)
    where events.is_change
        and entries.status = 'approved'
        and events.attempted_at >= entries.approved_at

)

select * from final
